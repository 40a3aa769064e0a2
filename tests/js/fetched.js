// Runs the real engine.js over a search/ folder (files read from disk) and reports, per query,
// the result refs in order, every match's score and the files the query loaded.
// With "whole" after the folder, heavy terms load every block (engine.partial = false).
// stdin: JSON ["query", …]; stdout: per query {refs, scores, fetched}. A fresh engine per query
// (a cold page), so that each query's files are its own.
"use strict";
const fs = require("fs");
const path = require("path");
const [, , jsDir, searchDir, mode] = process.argv;  // mode "whole": every block of a heavy term
const lunr = require(path.join(jsDir, "lunr.js"));
const T = require(path.join(jsDir, "tokenizer.js"));
const G = require(path.join(jsDir, "engine.js"));
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (c) => { input += c; });
process.stdin.on("end", async () => {
  lunr.utils.warn = () => {};
  const out = [];
  for (const q of JSON.parse(input)) {
    const engine = G.create({
      lunr, tokenizer: T,
      load: (p) => Promise.resolve(JSON.parse(fs.readFileSync(path.join(searchDir, p.split("?")[0]), "utf8"))),
    });
    await engine.init();
    if (mode === "whole") { engine.partial = false; }
    engine.fetched = [];
    const r = await engine.search(q, {}, "");
    const scores = {};
    r.all.forEach((h) => { scores[h.i.toString(36)] = h.score; });
    out.push({
      refs: r.hits.map((h) => h.i.toString(36)),
      scores,
      fetched: engine.fetched.map((f) => f.split("?")[0]),
    });
  }
  process.stdout.write(JSON.stringify(out));
});
