// Facet counts of engine.js (one pass over the hits) against the definition: per facet, the
// hits passing every OTHER facet's filter, counted by their values of that facet.
// argv: jsDir searchDir; stdin: JSON [{query, filters}]; stdout: per case {engine, naive, hits, shown}.
"use strict";
const fs = require("fs");
const path = require("path");
const [, , jsDir, searchDir] = process.argv;
const lunr = require(path.join(jsDir, "lunr.js"));
const T = require(path.join(jsDir, "tokenizer.js"));
const G = require(path.join(jsDir, "engine.js"));
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (c) => { input += c; });
process.stdin.on("end", async () => {
  lunr.utils.warn = () => {};
  const engine = G.create({
    lunr, tokenizer: T,
    load: (p) => Promise.resolve(JSON.parse(fs.readFileSync(path.join(searchDir, p.split("?")[0]), "utf8"))),
  });
  await engine.init();
  const naive = (hits, filters) => {
    const out = {};
    engine.facetKeys.forEach((key, k) => {
      const counts = engine.facets[k].values.map(() => 0);
      hits.filter((h) => engine.facetKeys.every((other, j) => {
        if (other === key || !filters[other]) { return true; }
        const v = engine.facets[j].values.indexOf(filters[other]), cell = engine.rows[h.i][j];
        return Array.isArray(cell) ? cell.indexOf(v) >= 0 : cell === v;
      })).forEach((h) => {
        const cell = engine.rows[h.i][k];
        (Array.isArray(cell) ? cell : [cell]).forEach((v) => { if (v >= 0) { counts[v] += 1; } });
      });
      out[key] = counts;
    });
    return out;
  };
  const out = [];
  for (const c of JSON.parse(input)) {
    const r = await engine.search(c.query, c.filters, "");
    out.push({ engine: r.counts, naive: naive(r.all, c.filters), hits: r.all.length, shown: r.hits.length });
  }
  process.stdout.write(JSON.stringify(out));
});
