// Runs the real engine.js over a built site's search/ folder (files read from disk).
// stdin: JSON [{"q": "...", "filters": {...}, "sort": ""|"date"}]; stdout: per query the result
// refs in order, the refs of exact 文号/索引号 matches, and every match's lunr score by ref.
"use strict";
const H = require("./harness.js");
const [, , jsDir, searchDir] = process.argv;
const S = H.scripts(jsDir);
const engine = H.engineOver(S, searchDir);
H.run(async (cases) => {
  const out = [];
  for (const { q, filters, sort } of cases) {
    const r = await engine.search(q, filters || {}, sort || "");
    const scores = {};
    (r.browse ? [] : r.all).forEach((h) => { scores[h.i.toString(36)] = h.score; });
    out.push({
      refs: r.hits.map((h) => h.i.toString(36)),
      exact: r.hits.filter((h) => h.exact).map((h) => h.i.toString(36)),
      scores,
    });
  }
  return out;
});
