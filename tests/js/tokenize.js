// Reads a JSON array of strings on stdin; prints, per string, the JS tokenizer's output in
// every mode and the shard of every term (tests/test_search_parity.py compares with Python).
"use strict";
const dir = process.argv[2];
const T = require(dir + "/tokenizer.js");
const G = require(dir + "/engine.js");
const counts = JSON.parse(process.argv[3]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const out = JSON.parse(input).map((s) => {
    const all = T.terms(s, "full").concat(T.queryTerms(s));
    return {
      fold: T.fold(s),
      full: T.terms(s, "full"),
      text: T.terms(s, "text"),
      query: T.queryTerms(s),
      shards: all.map((t) => G.shardOf(t, counts, T)),
    };
  });
  process.stdout.write(JSON.stringify(out));
});
