// Runs the real engine.js over a built site's search/ folder (files read from disk).
// stdin: JSON [{"q": "...", "filters": {...}, "sort": ""|"date"}]; stdout: per query the result
// refs in order, the refs of exact 文号/索引号 matches, and every match's lunr score by ref.
"use strict";
const fs = require("fs");
const path = require("path");
const [, , jsDir, searchDir] = process.argv;
const lunr = require(path.join(jsDir, "lunr.js"));
const T = require(path.join(jsDir, "tokenizer.js"));
const G = require(path.join(jsDir, "engine.js"));
const engine = G.create({
  lunr, tokenizer: T,
  load: (p) => Promise.resolve(JSON.parse(fs.readFileSync(path.join(searchDir, p.split("?")[0]), "utf8"))),
});
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (c) => { input += c; });
process.stdin.on("end", async () => {
  lunr.utils.warn = () => {};
  const out = [];
  for (const { q, filters, sort } of JSON.parse(input)) {
    const r = await engine.search(q, filters || {}, sort || "");
    const scores = {};
    (r.browse ? [] : r.all).forEach((h) => { scores[h.i.toString(36)] = h.score; });
    out.push({
      refs: r.hits.map((h) => h.i.toString(36)),
      exact: r.hits.filter((h) => h.exact).map((h) => h.i.toString(36)),
      scores,
    });
  }
  process.stdout.write(JSON.stringify(out));
});
