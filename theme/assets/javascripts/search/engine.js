/* gongkai search engine — no DOM: loads the compact index on demand, scores with lunr.js,
 * filters by facets, ranks, highlights. Used by search.js in the browser and by the tests in
 * node. Index layout and format: generator/search/index.py and compact.py, docs/search.md. */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) { module.exports = factory(); }
  else { root.GongkaiSearch = factory(); }
})(this, function () {
  "use strict";

  var FNV_OFFSET = 0x811c9dc5, FNV_PRIME = 0x01000193;

  /* The index format this engine reads (generator/search/index.py: FORMAT_VERSION). An index
   * of another format (a cached engine of an older release, or an index older or newer than
   * the engine) is refused, never read: its records would give wrong results. */
  var FORMAT = 5;

  /** The error init() rejects with when the index's format is not FORMAT: err.stale is true. */
  function staleIndex(manifest) {
    var format = manifest && typeof manifest === "object" ? manifest.format : undefined;
    var err = new Error("search index format " + format + ", engine reads format " + FORMAT);
    err.stale = true;
    err.format = format;
    err.build = manifest && typeof manifest === "object" ? manifest.build : undefined;
    return err;
  }

  /** 32-bit FNV-1a over code points (generator/search/shards.py). */
  function fnv1a(term) {
    var h = FNV_OFFSET;
    for (var ch of term) { h = Math.imul((h ^ ch.codePointAt(0)) >>> 0, FNV_PRIME) >>> 0; }
    return h >>> 0;
  }

  function namespace(term, tokenizer) {
    if (tokenizer.isKey(term)) { return "k"; }
    var cps = Array.from(term);
    return cps.length === 1 && cps[0].charCodeAt(0) > 0x7f ? "u" : "b";
  }

  /** The bucket of a light term. */
  function shardOf(term, counts, tokenizer) {
    var ns = namespace(term, tokenizer);
    return ns + (fnv1a(term) % counts[ns]);
  }

  /**
   * options: lunr, tokenizer (GongkaiTokenizer), load(path) → Promise of parsed JSON,
   * where path is relative to the search/ folder ("manifest.json", "shards/b3.json", …).
   */
  function Engine(options) {
    this.lunr = options.lunr;
    this.tok = options.tokenizer;
    this.load = options.load;
    this.shards = Object.create(null);
    this.records = Object.create(null);
    this.docs = Object.create(null);
    this.texts = Object.create(null);
    this.decoded = Object.create(null);
    this.fetched = [];
    this.tok.register(this.lunr);
  }

  Engine.prototype.init = function () {
    var self = this;
    if (!this._init) {
      this._init = this.load("manifest.json").then(function (manifest) {
        if (!manifest || manifest.format !== FORMAT) { throw staleIndex(manifest); }
        self.manifest = manifest;
        self.version = "?v=" + manifest.build;
        self.fields = manifest.fields.map(function (f) { return f.name; });
        self.boosts = manifest.fields.map(function (f) { return f.boost; });
        self.heavy = Object.create(null);
        manifest.heavy.forEach(function (term) { self.heavy[term] = "h" + fnv1a(term).toString(36); });
        // heavy terms holding the same postings as an earlier one: [term, that term, origin, rank]
        self.same = Object.create(null);
        (manifest.same || []).forEach(function (alias) { self.same[alias[0]] = alias; });
        // an index of more than one block of documents: per heavy term the blocks its file
        // has (heavy files are written a block of documents at a time)
        self.blockDocs = manifest.blockDocs || 0;
        self.split = Object.create(null);
        (manifest.blocks || []).forEach(function (mask, k) { self.split[manifest.heavy[k]] = maskBlocks(mask); });
        return Promise.all([self.load("facets.json" + self.version), self.load("lengths.json" + self.version)]);
      }).then(function (both) {
        // facets.json lists the facets (generator/search/facets.py, from the field registry);
        // a row holds one cell per facet in that order, then the date and the sources.
        self.facets = both[0].facets;
        self.facetKeys = self.facets.map(function (f) { return f.key; });
        self.col = { date: self.facets.length, sources: self.facets.length + 1 };
        self.facetKeys.forEach(function (key, k) { self.col[key] = k; });
        self.rows = both[0].docs;
        self.norms = both[1].map(function (lengths) { return norms(lengths, self.manifest.bm25); });
        return self;
      });
    }
    return this._init;
  };

  Engine.prototype.fetch = function (path) {
    this.fetched.push(path);
    return this.load(path + this.version);
  };

  /* The block numbers of a hexadecimal mask (bit k: block k), ascending. */
  function maskBlocks(mask) {
    var out = [];
    for (var i = 0; i < mask.length; i++) {
      var digit = parseInt(mask.charAt(mask.length - 1 - i), 16);
      for (var b = 0; b < 4; b++) { if (digit >> b & 1) { out.push(i * 4 + b); } }
    }
    return out;
  }

  /** A shard file as {term: record}. */
  Engine.prototype.shard = function (name) {
    if (!this.shards[name]) {
      this.shards[name] = this.fetch("shards/" + name + ".json").then(function (records) {
        var byTerm = Object.create(null);
        records.forEach(function (r) { byTerm[r[0]] = r; });
        return byTerm;
      });
    }
    return this.shards[name];
  };

  /* Per document: lunr's length normalisation k1 * (1 - b + b * length / average) of one field,
   * the same operations in the same order as lunr.py (postings.py: kd). */
  function norms(lengths, bm25) {
    var n = lengths.length, sum = 0, out = new Float64Array(n);
    for (var d = 0; d < n; d++) { sum += lengths[d]; }
    var avg = n ? sum / n : 0;
    for (var e = 0; e < n; e++) { out[e] = avg ? bm25.k1 * (1 - bm25.b + bm25.b * (lengths[e] / avg)) : 0; }
    return out;
  }

  /* The integer k with k / 1000 === Python's round(score, 3) (postings.py: thousandths): round
   * half to even on the exact value of the double. Near a half, toFixed(3) rounds the exact
   * value (ties away from zero); an exact tie is score = odd / 16 (score * 16 is exact). */
  function thousandths(score) {
    var scaled = score * 1000, k = Math.round(scaled);
    if (Math.abs(scaled - k) <= 0.4999) { return k; }
    var sixteenths = score * 16;
    if (sixteenths === Math.floor(sixteenths) && sixteenths % 2 === 1) {
      k = Math.floor(scaled);
      return k % 2 === 0 ? k : k + 1;
    }
    return Math.round(parseFloat(score.toFixed(3)) * 1000);
  }

  var ORIGIN = 16777216;  // index = origin * 2^24 + rank: lunr's term order (< 2^53 below 2^26 documents)

  /* The integers of compact.py's codes(): 0–60 one character of DIGITS each, a larger
   * number "Z" + decimal digits + ",". */
  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY", ESCAPE = 90;  // "Z"
  var VALUE = new Int8Array(128);
  for (var v = 0; v < DIGITS.length; v++) { VALUE[DIGITS.charCodeAt(v)] = v; }
  var ZERO = DIGITS.charCodeAt(0);
  function uncodes(text) {
    var out = [];
    for (var i = 0; i < text.length;) {
      var c = text.charCodeAt(i);
      if (c === ESCAPE) {
        var end = text.indexOf(",", i);
        out.push(parseInt(text.slice(i + 1, end), 10));
        i = end + 1;
      } else { out.push(VALUE[c]); i++; }
    }
    return out;
  }

  /* A term record decoded: {term, index, fields: [{docs, milli}]} (compact.py's decode): the
   * weight of docs[j] is milli[j] / 1000, the double lunr.py writes as round(weight, 3) — BM25
   * from the term's idf, the tf and the field length, as lunr.py computes it (postings.py: weight). */
  var NONE = { docs: new Int32Array(0), milli: new Float64Array(0) };

  /* How many integers the codes of `text` hold, and how many of them are not 0 (from `from` on). */
  function codeCount(text, from) {
    var n = 0, nonzero = 0;
    for (var i = 0; i < text.length; n++) {
      var c = text.charCodeAt(i);
      if (c === ESCAPE) { i = text.indexOf(",", i) + 1; if (n >= from) { nonzero++; } } else {
        if (n >= from && c !== ZERO) { nonzero++; }
        i++;
      }
    }
    return { n: n, nonzero: nonzero };
  }

  /* One field's postings as {docs, tfs} (Int32Arrays): sparse ["gaps", "tf"] or dense "first,
   * tf or 0 per document from the first to the last" (compact.py: field_text). Read straight
   * from the codes into typed arrays (no array of every code: at 100k documents a query's
   * dense runs are ~500,000 codes, and the garbage collector was a quarter of a search). */
  function postings(p) {
    var docs, tfs, n = 0, i = 0, c, end, value, doc;
    if (typeof p === "string") {
      var size = codeCount(p, 1).nonzero, k = -1, first = 0;
      docs = new Int32Array(size);
      tfs = new Int32Array(size);
      while (i < p.length) {
        c = p.charCodeAt(i);
        if (c === ESCAPE) { end = p.indexOf(",", i); value = parseInt(p.slice(i + 1, end), 10); i = end + 1; } else { value = VALUE[c]; i++; }
        if (k < 0) { first = value; } else if (value) { docs[n] = first + k; tfs[n] = value; n++; }
        k++;
      }
      return { docs: docs, tfs: tfs };
    }
    var gaps = p[0], counts = p[1];
    docs = new Int32Array(codeCount(gaps, 0).n);
    tfs = new Int32Array(docs.length);
    for (doc = 0; i < gaps.length; n++) {
      c = gaps.charCodeAt(i);
      if (c === ESCAPE) { end = gaps.indexOf(",", i); doc += parseInt(gaps.slice(i + 1, end), 10); i = end + 1; } else { doc += VALUE[c]; i++; }
      docs[n] = doc;
    }
    for (i = 0, n = 0; i < counts.length; n++) {
      c = counts.charCodeAt(i);
      if (c === ESCAPE) { end = counts.indexOf(",", i); tfs[n] = parseInt(counts.slice(i + 1, end), 10); i = end + 1; } else { tfs[n] = VALUE[c]; i++; }
    }
    return { docs: docs, tfs: tfs };
  }

  Engine.prototype.decode = function (record) {
    var fields = [], idf = record[3], k1 = this.manifest.bm25.k1;
    for (var f = 0; f < this.fields.length; f++) {
      var p = record[4 + f];
      if (!p) { fields.push(NONE); continue; }
      var both = postings(p), docs = both.docs, tfs = both.tfs, milli = new Float64Array(docs.length);
      var norm = this.norms[f], boost = this.boosts[f];
      for (var k = 0; k < docs.length; k++) {
        milli[k] = thousandths(idf * ((k1 + 1) * tfs[k]) / (norm[docs[k]] + tfs[k]) * boost);
      }
      fields.push({ docs: docs, milli: milli });
    }
    return { term: record[0], index: record[1] * ORIGIN + record[2], fields: fields };
  };

  /** The decoded record of a term, or null when no document has it. A term whose postings
   * equal another heavy term's (manifest.same) takes them from that term's file: the
   * bigrams of a phrase are often all in one query and then load one file. */
  Engine.prototype.record = function (term) {
    var self = this, alias = this.same[term];
    if (!this.records[term] && this.splitOf(term)) {
      this.records[term] = this.blocksRecord(term, this.splitOf(term));
    }
    if (!this.records[term] && alias) {
      this.records[term] = this.record(alias[1]).then(function (r) {
        return r && { term: term, index: alias[2] * ORIGIN + alias[3], fields: r.fields };
      });
    }
    if (!this.records[term]) {
      var name = this.heavy[term] || shardOf(term, this.manifest.shards, this.tok);
      this.records[term] = this.shard(name).then(function (byTerm) {
        return byTerm[term] ? self.decode(byTerm[term]) : null;
      });
    }
    return this.records[term];
  };

  /** The blocks of a heavy term's file in an index written in blocks (for a term with the
   * same postings as another: that term's, whose file holds them); else null. */
  Engine.prototype.splitOf = function (term) {
    var alias = this.same[term];
    return this.split[alias ? alias[1] : term] || null;
  };

  /** The decoded postings of a heavy term in block k of its file, or null. */
  Engine.prototype.blockRecord = function (term, k) {
    var self = this, name = this.heavy[term] + (k ? "-" + k : "");
    return this.shard(name).then(function (byTerm) {
      var key = name + " " + term;  // one decoded record per file and term
      if (!(key in self.decoded)) { self.decoded[key] = byTerm[term] ? self.decode(byTerm[term]) : null; }
      return self.decoded[key];
    });
  };

  /**
   * A heavy term's record from some blocks of its file (ascending): its postings in those
   * blocks' documents only, or null when none holds the term. A term with the same postings
   * as another (manifest.same) reads that term's blocks.
   */
  Engine.prototype.blocksRecord = function (term, blocks) {
    var alias = this.same[term], self = this, held = alias ? alias[1] : term;
    return Promise.all(blocks.map(function (k) { return self.blockRecord(held, k); })).then(function (parts) {
      parts = parts.filter(function (r) { return r; });
      if (!parts.length) { return null; }
      var fields = parts[0].fields.map(function (first, f) {
        if (parts.length === 1) { return first; }
        var size = 0, at = 0;
        parts.forEach(function (r) { size += r.fields[f].docs.length; });
        var docs = new Int32Array(size), milli = new Float64Array(size);
        parts.forEach(function (r) {
          var part = r.fields[f];
          docs.set(part.docs, at);
          milli.set(part.milli, at);
          at += part.docs.length;
        });
        return size ? { docs: docs, milli: milli } : NONE;
      });
      return { term: term, index: alias ? alias[2] * ORIGIN + alias[3] : parts[0].index, fields: fields };
    });
  };

  /** Query terms: {terms: required terms in query order, keys: exact keys}. */
  Engine.prototype.plan = function (query) {
    var self = this, plan = { terms: [], keys: [] };
    this.tok.queryTerms(query).forEach(function (term) {
      (self.tok.isKey(term) ? plan.keys : plan.terms).push(term);
    });
    return plan;
  };

  /* Documents holding every term: a 0/1 array over document numbers, and how many. */
  function candidates(records, n) {
    var seen = new Uint16Array(n), count = 0;
    records.forEach(function (r, k) {
      r.fields.forEach(function (field) {
        var docs = field.docs;
        for (var j = 0; j < docs.length; j++) { if (seen[docs[j]] === k) { seen[docs[j]] = k + 1; } }
      });
    });
    var all = new Uint8Array(n);
    for (var d = 0; d < n; d++) { if (seen[d] === records.length) { all[d] = 1; count++; } }
    return { has: all, count: count };
  }

  /*
   * lunr.js' Index.query, scoring only, for a query whose terms are all REQUIRED.
   * lunr scores a document as Σ over its matching fields of queryVector.similarity(fieldVector):
   * the dot product of the field vector with a query vector holding 1 at the index of every
   * query term, divided by the query vector's magnitude. Index.query's bookkeeping (sets,
   * MatchData, FieldRefs for every match) is what makes it slow for thousands of matches;
   * here the same lunr.Vector objects meet the same way: the query vector is built as lunr
   * builds it, each field vector holds the document's query-term elements in ascending term
   * index (the dot product meets no other element), and a document's field scores are added
   * in the order Index.query adds them (fields in order of first match: query term by query
   * term, fields in index order). tests/test_search_engine.py checks that the scores equal
   * lunr.js' on the full index lunr.py serializes, bit for bit.
   */
  Engine.prototype.score = function (records, has) {
    var nf = this.fields.length, n = has.length, query = new this.lunr.Vector();
    records.forEach(function (r) { query.upsert(r.index, 1, function (a, b) { return a + b; }); });
    // Per (document, field): lunr's dot product of the query vector (1 at every query term)
    // with the field vector, added up as Vector.dot adds it: ascending term index, from 0.
    var dots = new Float64Array(n * nf), seen = new Uint8Array(n * nf);
    var firsts = new Int8Array(n * nf), count = new Uint8Array(n), matched = [], scores = new Float64Array(n);
    records.forEach(function (r) {  // query order: the order in which fields first match
      for (var f = 0; f < nf; f++) {
        var docs = r.fields[f].docs;
        for (var j = 0; j < docs.length; j++) {
          var d = docs[j], key = d * nf + f;
          if (has[d] && !seen[key]) {
            seen[key] = 1;
            if (!count[d]) { matched.push(d); }
            firsts[d * nf + count[d]++] = f;
          }
        }
      }
    });
    records.slice().sort(function (a, b) { return a.index - b.index; }).forEach(function (r) {
      for (var f = 0; f < nf; f++) {
        var docs = r.fields[f].docs, milli = r.fields[f].milli;
        for (var j = 0; j < docs.length; j++) {
          if (has[docs[j]]) { dots[docs[j] * nf + f] += 1 * (milli[j] / 1000); }
        }
      }
    });
    var magnitude = query.magnitude();
    for (var m = 0; m < matched.length; m++) {
      var d = matched[m], score = 0;
      for (var k = 0; k < count[d]; k++) {
        var s = dots[d * nf + firsts[d * nf + k]] / magnitude || 0;  // Vector.similarity
        score = k === 0 ? s : score + s;
      }
      scores[d] = score;
    }
    return { docs: Int32Array.from(matched).sort(), scores: scores };
  };

  /* No document holds every term. */
  var NO_MATCH = { docs: new Int32Array(0), scores: new Float64Array(0) };

  /** lunr.js scores of the documents holding every term (AND): {docs: their numbers, ascending
   * (Int32Array), scores: a Float64Array over all documents, the score of d at scores[d]}. (Not
   * an object keyed by number: 60,000 keys, then their names parsed back, took ~50 ms.) */
  Engine.prototype.matchAll = function (plan) {
    var self = this;
    if (!plan.terms.length) { return Promise.resolve(null); }
    if (plan.terms.some(function (t) { return self.splitOf(t); }) && this.partial !== false) { return this.matchBlocks(plan); }
    return Promise.all(plan.terms.map(function (t) { return self.record(t); })).then(function (records) {
      if (records.indexOf(null) >= 0) { return NO_MATCH; }
      var found = candidates(records, self.manifest.documents);
      return found.count ? self.score(records, found.has) : NO_MATCH;
    });
  };

  /*
   * matchAll on an index written in blocks, loading only blocks that can hold a match: a
   * document holding every term lies in a block every heavy term's file has (the manifest's
   * masks), so only those blocks are loaded, all at once. A query with light terms loads
   * their records first, then of each heavy term only those blocks that hold a document
   * having every light term. A document outside the loaded blocks lacks a term, so the
   * matches and their scores are those of the whole records.
   */
  Engine.prototype.matchBlocks = function (plan) {
    var self = this, n = this.manifest.documents, size = this.blockDocs;
    var heavy = plan.terms.filter(function (t) { return self.splitOf(t); });
    var light = plan.terms.filter(function (t) { return !self.splitOf(t); });
    var common = this.splitOf(heavy[0]).filter(function (k) {
      return heavy.every(function (t) { return self.splitOf(t).indexOf(k) >= 0; });
    });
    var first = Promise.all(light.map(function (t) { return self.record(t); }));
    return first.then(function (records) {
      if (records.indexOf(null) >= 0) { return null; }
      var blocks = common;
      if (records.length) {  // only the blocks holding a document that has every light term
        var found = candidates(records, n), wanted = Object.create(null);
        for (var d = 0; d < n; d++) { if (found.has[d]) { wanted[Math.floor(d / size)] = true; } }
        blocks = common.filter(function (k) { return wanted[k]; });
      }
      if (!blocks.length) { return null; }
      return Promise.all(heavy.map(function (t) { return self.blocksRecord(t, blocks); })).then(function (more) {
        return more.indexOf(null) >= 0 ? null : records.concat(more);
      });
    }).then(function (records) {
      if (!records) { return NO_MATCH; }
      var byTerm = Object.create(null);
      records.forEach(function (r) { byTerm[r.term] = r; });
      records = plan.terms.map(function (t) { return byTerm[t]; });  // query order: lunr's order of first match
      var found = candidates(records, n);
      return found.count ? self.score(records, found.has) : NO_MATCH;
    });
  };

  /* A result: every field the sorts set is there from the start (one object shape). */
  function hit(i, score, exact) {
    return { i: i, score: score, exact: exact, rank: 0, tie: 0 };
  }

  /* Does the ascending array hold i? */
  function binaryHas(sorted, i) {
    var lo = 0, hi = sorted.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] === i) { return true; }
      if (sorted[mid] < i) { lo = mid + 1; } else { hi = mid - 1; }
    }
    return false;
  }

  /** Documents whose 文号 or 索引号 equals one of the query's exact keys: {docNumber: true}. */
  Engine.prototype.matchKeys = function (plan) {
    var self = this, exact = Object.create(null);
    return Promise.all(plan.keys.map(function (k) { return self.record(k); })).then(function (records) {
      records.forEach(function (r) {
        (r ? r.fields : []).forEach(function (field) { for (var j = 0; j < field.docs.length; j++) { exact[field.docs[j]] = true; } });
      });
      return exact;
    });
  };

  /** Matching documents, unordered: [{i, score, exact}]; null for an empty query. */
  Engine.prototype.match = function (query) {
    var self = this;
    return this.init().then(function () {
      var plan = self.plan(query || "");
      if (!plan.terms.length && !plan.keys.length) { return null; }
      return Promise.all([self.matchAll(plan), self.matchKeys(plan)]).then(function (both) {
        var found = both[0] || NO_MATCH, exact = both[1], docs = found.docs, hits = [];
        // the exact matches holding some term not: score 0; all in ascending document order
        var only = Object.keys(exact).map(Number).filter(function (i) {
          return !binaryHas(docs, i);
        }).sort(function (a, b) { return a - b; });
        var k = 0;
        for (var j = 0; j < docs.length; j++) {
          for (; k < only.length && only[k] < docs[j]; k++) { hits.push(hit(only[k], 0, true)); }
          hits.push(hit(docs[j], found.scores[docs[j]], !!exact[docs[j]]));
        }
        for (; k < only.length; k++) { hits.push(hit(only[k], 0, true)); }
        hits.terms = plan.terms;
        return hits;
      });
    });
  };

  /** What result i shows: {t, n, i, u, d, a, v, y, [r], [o]} (docs/ files hold docsPerFile each). */
  Engine.prototype.doc = function (i) {
    var per = this.manifest.docsPerFile, g = Math.floor(i / per);
    if (!this.docs[g]) { this.docs[g] = this.fetch("docs/" + g + ".json"); }
    return this.docs[g].then(function (records) { return records[i % per]; });
  };

  /** Abstract and plain text of a result, for its snippet: {s, x}. */
  Engine.prototype.text = function (i) {
    if (!this.texts[i]) { this.texts[i] = this.fetch("text/" + i.toString(36) + ".json"); }
    return this.texts[i];
  };

  Engine.prototype.valueIndex = function (key, value) {
    var facet = this.facets[this.facetKeys.indexOf(key)];
    return facet ? facet.values.indexOf(value) : -1;
  };

  function hasValue(row, col, v) {
    var cell = row[col];
    return Array.isArray(cell) ? cell.indexOf(v) >= 0 : cell === v;
  }

  /** Keep documents passing every filter except `skip`; filters: {key: value}. */
  Engine.prototype.filter = function (hits, filters, skip) {
    var self = this, wanted = [];
    this.facetKeys.forEach(function (key) {
      if (key !== skip && filters[key]) { wanted.push([self.col[key], self.valueIndex(key, filters[key])]); }
    });
    if (!wanted.length) { return hits.slice(); }
    return hits.filter(function (h) {
      var row = self.rows[h.i];
      return wanted.every(function (w) { return hasValue(row, w[0], w[1]); });
    });
  };

  /** Counts per facet value, each facet counted with the other facets' filters applied. */
  Engine.prototype.counts = function (hits, filters) {
    var self = this, out = {}, nk = this.facetKeys.length, wanted = [], all = [];
    this.facetKeys.forEach(function (key, k) {
      all.push(k);
      if (filters[key]) { wanted.push([k, self.valueIndex(key, filters[key])]); }
    });
    var counts = this.facets.map(function (facet) { return new Int32Array(facet.values.length); });
    // One pass: a hit passing every filter counts in every facet; one failing the filter of
    // facet k alone counts in facet k only (each facet counted with the others' filters).
    for (var h = 0; h < hits.length; h++) {
      var row = this.rows[hits[h].i], failed = -1, fails = 0;
      for (var w = 0; w < wanted.length && fails < 2; w++) {
        if (!hasValue(row, wanted[w][0], wanted[w][1])) { failed = wanted[w][0]; fails++; }
      }
      if (fails > 1) { continue; }
      var facets = fails ? [failed] : all;
      for (var f = 0; f < facets.length; f++) {
        var cell = row[facets[f]], c = counts[facets[f]];
        if (Array.isArray(cell)) {
          for (var v = 0; v < cell.length; v++) { if (cell[v] >= 0) { c[cell[v]] += 1; } }
        } else if (cell >= 0) { c[cell] += 1; }
      }
    }
    for (var k = 0; k < nk; k++) { out[this.facetKeys[k]] = Array.prototype.slice.call(counts[k]); }
    return out;
  };

  function byDate(rows, col) {
    return function (a, b) { return rows[b.i][col] - rows[a.i][col] || a.i - b.i; };
  }

  /*
   * Validity weights, applied to the rank after scoring (the scores stay lunr's): at comparable
   * relevance a document in force comes before one that is not. A repealed or lapsed document
   * needs a lunr score 1/0.75 = 1.33 times that of a document in force to rank above it.
   */
  var VALIDITY_WEIGHT = { "废止": 0.75, "失效": 0.75, "已修改": 0.9 };

  /** Per document: its validity weight; an interpretation takes the best weight of its sources. */
  Engine.prototype.weights = function () {
    if (this._weights) { return this._weights; }
    var rows = this.rows, col = this.col;
    var values = col.validity === undefined ? [] : this.facets[col.validity].values;
    var own = rows.map(function (row) {
      var v = col.validity === undefined ? -1 : row[col.validity];
      return v >= 0 && VALIDITY_WEIGHT[values[v]] ? VALIDITY_WEIGHT[values[v]] : 1;
    });
    this._weights = rows.map(function (row, i) {
      var sources = row[col.sources];
      if (!sources || !sources.length) { return own[i]; }
      return Math.max.apply(null, sources.map(function (s) { return own[s] === undefined ? 1 : own[s]; }));
    });
    return this._weights;
  };

  /*
   * Relevance order: exact 文号/索引号 matches first, then lunr's score — except that a policy
   * ranks at least as high as its best-scoring matching interpretation and, at equal rank,
   * a policy comes before an interpretation. An interpretation that repeats the policy's
   * name in its title and text often outscores the policy on the policy's own title words.
   * The rank is then weighted by validity (VALIDITY_WEIGHT). Only the shown (filtered) hits
   * take part.
   */
  function byRelevance(rows, col, hits, weights, ties) {
    var at = new Int32Array(rows.length).fill(-1);  // document → its place in hits (not an object of numbered keys)
    hits.forEach(function (h, k) { at[h.i] = k; h.rank = h.score; });
    hits.forEach(function (h) {
      if (h.exact) { return; }
      (rows[h.i][col.sources] || []).forEach(function (s) {
        var policy = at[s] >= 0 ? hits[at[s]] : null;
        if (policy && policy.rank < h.score) { policy.rank = h.score; }
      });
    });
    hits.forEach(function (h) { h.rank *= weights[h.i]; h.tie = ties[h.i]; });
    return function (a, b) { return (b.exact - a.exact) || (b.rank - a.rank) || (a.tie - b.tie); };
  }

  /*
   * Per document: its place in the order that breaks ties of rank — a policy before an
   * interpretation, then newest first, then by number. Computed once: comparing one
   * number is what keeps sorting ~60,000 matches fast. The three keys are packed into one
   * double (47 bits: exact) and sorted as numbers.
   */
  Engine.prototype.ties = function () {
    if (this._ties) { return this._ties; }
    var rows = this.rows, col = this.col, n = rows.length, newest = -Infinity, oldest = Infinity, k;
    for (k = 0; k < n; k++) {
      newest = Math.max(newest, rows[k][col.date]);
      oldest = Math.min(oldest, rows[k][col.date]);
    }
    var order, tie = new Int32Array(n), DAYS = 1048576, DOCS = 67108864;  // 2^20 days, 2^26 documents
    if (n < DOCS && newest - oldest < DAYS) {
      var keys = new Float64Array(n);
      for (k = 0; k < n; k++) {
        keys[k] = ((rows[k][col.sources] ? 1 : 0) * DAYS + (newest - rows[k][col.date])) * DOCS + k;
      }
      keys.sort();
      order = Array.prototype.map.call(keys, function (key) { return key % DOCS; });
    } else {
      order = rows.map(function (row, i) { return i; }).sort(function (a, b) {
        return ((rows[a][col.sources] ? 1 : 0) - (rows[b][col.sources] ? 1 : 0)) ||
          (rows[b][col.date] - rows[a][col.date]) || (a - b);
      });
    }
    for (k = 0; k < n; k++) { tie[order[k]] = k; }
    return (this._ties = tie);
  };

  /*
   * Sorts `hits` in place so that its first `first` are the first `first` of the whole order
   * `order` (a total order: ties end in the document number), the rest after them unsorted;
   * returns a function that sorts the rest (once). A selection, one comparison per hit for
   * most: sorting 60,000 matches took a fifth of a search, before the first result could show.
   */
  function sortFirst(hits, order, first) {
    var n = hits.length, sorted = false;
    function rest() {
      if (!sorted) {
        var tail = hits.slice(first).sort(order);
        for (var k = 0; k < tail.length; k++) { hits[first + k] = tail[k]; }
        sorted = true;
      }
      return hits;
    }
    if (!(first > 0) || n <= first) { hits.sort(order); sorted = true; return rest; }
    var top = [], picked = new Uint8Array(n), tail = [], j;  // top: positions in hits, in order
    for (j = 0; j < n; j++) {
      if (top.length === first && order(hits[j], hits[top[first - 1]]) >= 0) { continue; }
      var at = top.length === first ? first - 1 : top.length;
      while (at > 0 && order(hits[j], hits[top[at - 1]]) < 0) { top[at] = top[at - 1]; at--; }
      top[at] = j;
    }
    top = top.map(function (k) { picked[k] = 1; return hits[k]; });
    for (j = 0; j < n; j++) { if (!picked[j]) { tail.push(hits[j]); } }
    for (j = 0; j < first; j++) { hits[j] = top[j]; }
    for (j = 0; j < tail.length; j++) { hits[first + j] = tail[j]; }
    return rest;
  }

  /**
   * The whole search: {hits (filtered, sorted), all (unfiltered matches), counts, terms,
   * upTo}. An empty query lists every document (newest first) so that filters alone can
   * browse. With `first` (the page's first page of results), only the first `first` hits
   * are in order when the search resolves (the first result shows sooner); `upTo(n)` puts
   * the first n in order (all of them once n > first) and returns the hits.
   */
  Engine.prototype.search = function (query, filters, sort, first) {
    var self = this;
    filters = filters || {};
    return this.match(query).then(function (hits) {
      var browse = hits === null, terms = browse ? [] : hits.terms;
      if (browse) { hits = self.rows.map(function (row, i) { return hit(i, 0, false); }); }
      var shown = self.filter(hits, filters);
      var order = browse || sort === "date" ? byDate(self.rows, self.col.date) : byRelevance(self.rows, self.col, shown, self.weights(), self.ties());
      var rest = sortFirst(shown, order, first);
      return {
        hits: shown, all: hits, counts: self.counts(hits, filters), terms: terms, browse: browse,
        upTo: function (n) { return n > first ? rest() : shown; }
      };
    });
  };

  function isWordChar(c) { return /[0-9a-z]/.test(c); }

  /* Occurrences [start, end, term#] of the (non-key) query terms in text; ASCII words only
   * as whole words (the query "2" must not mark the 2 of "2021"). */
  function occurrences(text, terms, tokenizer) {
    var folded = tokenizer.fold(text), found = [];
    terms.forEach(function (term, t) {
      var word = isWordChar(term.charAt(0));
      for (var at = folded.indexOf(term); at >= 0 && term; at = folded.indexOf(term, at + 1)) {
        var end = at + term.length;
        if (word && (isWordChar(folded.charAt(at - 1)) || isWordChar(folded.charAt(end)))) { continue; }
        found.push([at, end, t]);
      }
    });
    return found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
  }

  function merge(found) {
    var merged = [];
    found.forEach(function (m) {
      var last = merged[merged.length - 1];
      if (last && m[0] <= last[1]) { last[1] = Math.max(last[1], m[1]); } else { merged.push([m[0], m[1]]); }
    });
    return merged;
  }

  function ranges(text, terms, tokenizer) { return merge(occurrences(text, terms, tokenizer)); }

  /* Start of the window of `size` characters holding the most distinct query terms. */
  function bestStart(found, size) {
    var best = found[0][0], bestCount = 0;
    for (var i = 0; i < found.length && i < 400; i++) {
      var seen = {}, count = 0;
      for (var j = i; j < found.length && found[j][1] <= found[i][0] + size; j++) {
        if (!seen[found[j][2]]) { seen[found[j][2]] = true; count++; }
      }
      if (count > bestCount) { best = found[i][0]; bestCount = count; }
    }
    return best;
  }

  /** Split text into [{text, mark}] segments for safe rendering (no HTML strings). */
  function highlight(text, terms, tokenizer) {
    var out = [], pos = 0;
    ranges(text, terms, tokenizer).forEach(function (r) {
      if (r[0] > pos) { out.push({ text: text.slice(pos, r[0]), mark: false }); }
      out.push({ text: text.slice(r[0], r[1]), mark: true });
      pos = r[1];
    });
    if (pos < text.length) { out.push({ text: text.slice(pos), mark: false }); }
    return out;
  }

  /** A window of `text` around the first match, as segments; null when nothing matches. */
  function snippet(text, terms, tokenizer, size) {
    size = size || 90;
    var found = occurrences(text, terms, tokenizer);
    if (!found.length) { return null; }
    var start = Math.max(0, bestStart(found, size * 3 / 4) - Math.floor(size / 4));
    if (start > 0 && /[\udc00-\udfff]/.test(text.charAt(start))) { start -= 1; }
    var end = Math.min(text.length, start + size);
    if (end < text.length && /[\ud800-\udbff]/.test(text.charAt(end - 1))) { end += 1; }
    var segments = highlight(text.slice(start, end), terms, tokenizer);
    if (start > 0) { segments.unshift({ text: "…", mark: false }); }
    if (end < text.length) { segments.push({ text: "…", mark: false }); }
    return segments;
  }

  return {
    create: function (options) { return new Engine(options); }, format: FORMAT,
    fnv1a: fnv1a, shardOf: shardOf, namespace: namespace, thousandths: thousandths, uncodes: uncodes, postings: postings,
    highlight: highlight, snippet: snippet
  };
});
