/* gongkai search tokenizer — the browser half of one specification (docs/search.md).
 * generator/search/tokenizer.py is the build-time half; tests/test_search_parity.py runs
 * both over the same strings. No eval, no globals beyond GongkaiTokenizer. */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) { module.exports = factory(); }
  else { root.GongkaiTokenizer = factory(); }
})(this, function () {
  "use strict";

  var KEY_PREFIX = "#";
  var CJK = "\\u3007\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{323af}";
  var RUN = new RegExp("([" + CJK + "]+)|([0-9a-z]+)", "gu");
  var CHUNK_SPLIT = /[ \t\n\r\f\v\u00a0\u2028\u2029]+/u;
  // Python's \s for str, spelled out (normalise_doc_number strips it).
  var PY_SPACE = "[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  var PY_SPACES = new RegExp(PY_SPACE + "+", "gu");
  // generator/model/identifiers.py: DOC_NUMBER_RE, ORDER_NUMBER_RE, _VARIANT_RE, 第 form.
  var DOC_NUMBER_RE = /^(.+?)〔([0-9]{4})〕([1-9][0-9]*)号$/u;
  var ORDER_NUMBER_RE = /^(.+?)第([1-9][0-9]*)号$/u;
  var VARIANT_RE = new RegExp(
    "^(.+?)" + PY_SPACE + "*(?:[\\[［【（(〔﹝]" + PY_SPACE + "*([0-9]{4})" + PY_SPACE +
    "*[\\]］】）)〕﹞]|([0-9]{4})年)" + PY_SPACE + "*第?0*([0-9]+)" + PY_SPACE + "*号?$", "u");
  var ORDER_LENIENT_RE = /^(.+?)第0*([1-9][0-9]*)号?$/u;
  var INDEX_NO_SEPARATORS = /[/\-－—_]/gu;
  var INDEX_NO_SPACES = /[\s/\-－—_]+/gu;
  var INDEX_NO_CANDIDATE = /^(?=.*[0-9])[0-9a-z]{6,}$/u;

  /** Full-width ASCII → ASCII (not （）), U+3000 → space, A–Z → a–z. Length-preserving. */
  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c >= 0xff01 && c <= 0xff5e && c !== 0xff08 && c !== 0xff09) { c -= 0xfee0; }
      else if (c === 0x3000) { c = 0x20; }
      if (c >= 0x41 && c <= 0x5a) { c += 0x20; }
      out += String.fromCharCode(c);
    }
    return out;
  }

  function cjkTerms(run, unigrams, out) {
    var chars = Array.from(run);
    if (chars.length === 1) { out.push(chars[0]); return; }
    for (var i = 0; i < chars.length - 1; i++) {
      if (unigrams) { out.push(chars[i]); }
      out.push(chars[i] + chars[i + 1]);
    }
    if (unigrams) { out.push(chars[chars.length - 1]); }
  }

  /** Index terms of text in position order; mode "full" (with unigrams) or "text". */
  function terms(text, mode) {
    var out = [], unigrams = (mode || "full") === "full", m;
    var folded = fold(text);
    RUN.lastIndex = 0;
    while ((m = RUN.exec(folded)) !== null) {
      if (m[1]) { cjkTerms(m[1], unigrams, out); } else { out.push(m[2]); }
    }
    return out;
  }

  function docNumber(prefix, year, num) {
    return { prefix: prefix, year: year, num: num };
  }

  /** Port of identifiers.normalise_doc_number (ASCII digits only). */
  function normaliseDocNumber(value) {
    var text = value.replace(PY_SPACES, ""), m;
    if ((m = DOC_NUMBER_RE.exec(text))) { return docNumber(m[1], m[2], m[3]); }
    if ((m = ORDER_NUMBER_RE.exec(text)) && text.indexOf("〔") < 0) { return docNumber(m[1], null, m[2]); }
    if ((m = VARIANT_RE.exec(text)) && parseInt(m[4], 10) > 0) {
      return docNumber(m[1], m[2] || m[3], String(parseInt(m[4], 10)));
    }
    if ((m = ORDER_LENIENT_RE.exec(text))) { return docNumber(m[1], null, m[2]); }
    return null;
  }

  function docNumberKey(value) {
    var n = normaliseDocNumber(value);
    if (!n) { return null; }
    return KEY_PREFIX + (n.prefix + (n.year === null ? "" : String(parseInt(n.year, 10))) + "-" +
      String(parseInt(n.num, 10))).toLowerCase();
  }

  function indexNoKey(value) {
    return KEY_PREFIX + value.replace(INDEX_NO_SPACES, "").toUpperCase().toLowerCase();
  }

  /** Exact keys a query may mean: the whole query or any chunk read as 文号 or 索引号. */
  function queryKeys(text) {
    var chunks = fold(text).split(CHUNK_SPLIT).filter(function (c) { return c.length > 0; });
    var candidates = chunks.length > 1 ? [chunks.join("")].concat(chunks) : chunks;
    var keys = [];
    candidates.forEach(function (chunk) {
      var key = docNumberKey(chunk);
      if (key) { keys.push(key); }
      var bare = chunk.replace(INDEX_NO_SEPARATORS, "");
      if (INDEX_NO_CANDIDATE.test(bare)) { keys.push(indexNoKey(bare)); }
    });
    return keys;
  }

  /** Terms a query must match ("text" mode) followed by its exact keys; no duplicates. */
  function queryTerms(text) {
    var seen = Object.create(null), out = [];
    terms(text, "text").concat(queryKeys(text)).forEach(function (t) {
      if (!seen[t]) { seen[t] = true; out.push(t); }
    });
    return out;
  }

  function isKey(term) { return term.charAt(0) === KEY_PREFIX; }

  var LABELS = { full: "gongkai-full", text: "gongkai-text", query: "gongkai-query" };

  function pipelineFunction(mode) {
    return function (token) {
      var source = token.toString();
      var values = mode === "query" ? queryTerms(source) : terms(source, mode);
      return values.map(function (v) { return token.clone(function () { return v; }); });
    };
  }

  /** Register the pipeline functions with lunr.js under the labels lunr.py uses. */
  function register(lunr) {
    Object.keys(LABELS).forEach(function (mode) {
      if (!lunr.Pipeline.registeredFunctions[LABELS[mode]]) {
        lunr.Pipeline.registerFunction(pipelineFunction(mode), LABELS[mode]);
      }
    });
  }

  var api = { fold: fold, terms: terms, queryKeys: queryKeys, queryTerms: queryTerms, isKey: isKey,
              docNumberKey: docNumberKey, indexNoKey: indexNoKey, register: register, LABELS: LABELS };
  if (typeof lunr !== "undefined") { register(lunr); }
  return api;
});
