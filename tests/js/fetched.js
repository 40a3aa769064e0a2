// Runs the real engine.js over a search/ folder (files read from disk) and reports, per query,
// the result refs in order, every match's score and the files the query loaded.
// With "whole" after the folder, heavy terms load every block (engine.partial = false).
// stdin: JSON ["query", …]; stdout: per query {refs, scores, fetched}. A fresh engine per query
// (a cold page), so that each query's files are its own.
"use strict";
const H = require("./harness.js");
const [, , jsDir, searchDir, mode] = process.argv;  // mode "whole": every block of a heavy term
const S = H.scripts(jsDir);
H.run(async (cases) => {
  const out = [];
  for (const q of cases) {
    const engine = H.engineOver(S, searchDir);
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
  return out;
});
