/* gongkai search engine — no DOM: loads the sharded lunr.js index on demand, runs the query,
 * filters by facets, highlights. Used by search.js in the browser and by the tests in node.
 * Index layout and scoring: generator/search/index.py and serialize.py, docs/search.md. */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) { module.exports = factory(); }
  else { root.GongkaiSearch = factory(); }
})(this, function () {
  "use strict";

  var FNV_OFFSET = 0x811c9dc5, FNV_PRIME = 0x01000193;
  var EXACT_BONUS = 1e6;
  var FACET_KEYS = ["agency", "topic", "year", "type", "validity"];
  var COL = { agency: 0, topic: 1, year: 2, type: 3, validity: 4, date: 5 };

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
    this.docs = Object.create(null);
    this.fetched = [];
    this.tok.register(this.lunr);
  }

  Engine.prototype.init = function () {
    var self = this;
    if (!this._init) {
      this._init = this.load("manifest.json").then(function (manifest) {
        self.manifest = manifest;
        self.version = "?v=" + manifest.build;
        return self.load("facets.json" + self.version);
      }).then(function (facets) {
        self.facets = facets.facets;
        self.rows = facets.docs;
        return self;
      });
    }
    return this._init;
  };

  Engine.prototype.shard = function (name) {
    var self = this;
    if (!this.shards[name]) {
      var path = "shards/" + name + ".json" + this.version;
      this.fetched.push(path);
      this.shards[name] = this.load(path).then(function (data) { return self.lunr.Index.load(data); });
    }
    return this.shards[name];
  };

  Engine.prototype.doc = function (i) {
    if (!this.docs[i]) {
      var path = "docs/" + i.toString(36) + ".json" + this.version;
      this.fetched.push(path);
      this.docs[i] = this.load(path);
    }
    return this.docs[i];
  };

  /** Query terms grouped by shard: {required: {shard: [terms]}, keys: {shard: [keys]}}. */
  Engine.prototype.plan = function (query) {
    var self = this, plan = { terms: [], required: {}, keys: {} };
    this.tok.queryTerms(query).forEach(function (term) {
      var group = self.tok.isKey(term) ? plan.keys : plan.required;
      var name = shardOf(term, self.manifest.shards, self.tok);
      (group[name] = group[name] || []).push(term);
      if (!self.tok.isKey(term)) { plan.terms.push(term); }
    });
    return plan;
  };

  function runClauses(lunr, index, terms) {
    var found = terms.filter(function (t) { return index.invertedIndex[t] !== undefined; });
    if (found.length < terms.length) { return null; }
    var results = index.query(function (q) {
      found.forEach(function (t) {
        q.term(t, { usePipeline: false, presence: lunr.Query.presence.REQUIRED });
      });
    });
    return { n: found.length, results: results };
  }

  /** Documents containing every term (AND): {docIndex: score}, or {} when a term is missing. */
  Engine.prototype.matchAll = function (plan) {
    var self = this, names = Object.keys(plan.required);
    if (!names.length) { return Promise.resolve(null); }
    return Promise.all(names.map(function (n) { return self.shard(n); })).then(function (indexes) {
      var parts = [], total = 0;
      for (var i = 0; i < names.length; i++) {
        var part = runClauses(self.lunr, indexes[i], plan.required[names[i]]);
        if (!part) { return {}; }
        parts.push(part);
        total += part.n;
      }
      return combine(parts, total);
    });
  };

  /* lunr.js scores query·fieldVector/|query|; a shard sees sqrt(n_s) of sqrt(n), so rescale. */
  function combine(parts, total) {
    var scores = null;
    parts.forEach(function (part) {
      var factor = Math.sqrt(part.n / total), next = Object.create(null);
      part.results.forEach(function (r) {
        var i = parseInt(r.ref, 36);
        if (scores === null) { next[i] = r.score * factor; }
        else if (i in scores) { next[i] = scores[i] + r.score * factor; }
      });
      scores = next;
    });
    return scores || {};
  }

  /** Documents whose 文号 or 索引号 equals one of the query's exact keys. */
  Engine.prototype.matchKeys = function (plan) {
    var self = this, names = Object.keys(plan.keys), exact = Object.create(null);
    return Promise.all(names.map(function (n) { return self.shard(n); })).then(function (indexes) {
      indexes.forEach(function (index, k) {
        plan.keys[names[k]].forEach(function (key) {
          var part = runClauses(self.lunr, index, [key]);
          (part ? part.results : []).forEach(function (r) { exact[parseInt(r.ref, 36)] = true; });
        });
      });
      return exact;
    });
  };

  /** Matching documents, best first: [{i, score, exact}]; null for an empty query. */
  Engine.prototype.match = function (query) {
    var self = this;
    return this.init().then(function () {
      var plan = self.plan(query || "");
      if (!plan.terms.length && !Object.keys(plan.keys).length) { return null; }
      return Promise.all([self.matchAll(plan), self.matchKeys(plan)]).then(function (both) {
        var scores = both[0] || {}, exact = both[1], hits = [];
        Object.keys(exact).forEach(function (i) { if (!(i in scores)) { scores[i] = 0; } });
        Object.keys(scores).forEach(function (key) {
          var i = parseInt(key, 10);
          hits.push({ i: i, score: scores[key] + (exact[i] ? EXACT_BONUS : 0), exact: !!exact[i] });
        });
        hits.terms = plan.terms;
        return hits;
      });
    });
  };

  Engine.prototype.valueIndex = function (key, value) {
    var facet = this.facets[FACET_KEYS.indexOf(key)];
    return facet ? facet.values.indexOf(value) : -1;
  };

  function hasValue(row, key, v) {
    var cell = row[COL[key]];
    return Array.isArray(cell) ? cell.indexOf(v) >= 0 : cell === v;
  }

  /** Keep documents passing every filter except `skip`; filters: {key: value}. */
  Engine.prototype.filter = function (hits, filters, skip) {
    var self = this, wanted = [];
    FACET_KEYS.forEach(function (key) {
      if (key !== skip && filters[key]) { wanted.push([key, self.valueIndex(key, filters[key])]); }
    });
    return hits.filter(function (h) {
      var row = self.rows[h.i];
      return wanted.every(function (w) { return hasValue(row, w[0], w[1]); });
    });
  };

  /** Counts per facet value, each facet counted with the other facets' filters applied. */
  Engine.prototype.counts = function (hits, filters) {
    var self = this, out = {};
    FACET_KEYS.forEach(function (key, k) {
      var counts = self.facets[k].values.map(function () { return 0; });
      self.filter(hits, filters, key).forEach(function (h) {
        var cell = self.rows[h.i][COL[key]];
        (Array.isArray(cell) ? cell : [cell]).forEach(function (v) { if (v >= 0) { counts[v] += 1; } });
      });
      out[key] = counts;
    });
    return out;
  };

  function byDate(rows) {
    return function (a, b) { return rows[b.i][COL.date] - rows[a.i][COL.date] || a.i - b.i; };
  }

  /**
   * The whole search: {hits (filtered, sorted), all (unfiltered matches), counts, terms}.
   * An empty query lists every document (newest first) so that filters alone can browse.
   */
  Engine.prototype.search = function (query, filters, sort) {
    var self = this;
    filters = filters || {};
    return this.match(query).then(function (hits) {
      var browse = hits === null, terms = browse ? [] : hits.terms;
      if (browse) { hits = self.rows.map(function (row, i) { return { i: i, score: 0, exact: false }; }); }
      var shown = self.filter(hits, filters);
      var dated = byDate(self.rows);
      shown.sort(browse || sort === "date" ? dated : function (a, b) { return b.score - a.score || dated(a, b); });
      return { hits: shown, all: hits, counts: self.counts(hits, filters), terms: terms, browse: browse };
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
    create: function (options) { return new Engine(options); },
    fnv1a: fnv1a, shardOf: shardOf, namespace: namespace,
    highlight: highlight, snippet: snippet, FACET_KEYS: FACET_KEYS
  };
});
