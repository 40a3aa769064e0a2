// Facet counts of engine.js (one pass over the hits) against the definition: per facet, the
// hits passing every OTHER facet's filter, counted by their values of that facet.
// argv: jsDir searchDir; stdin: JSON [{query, filters}]; stdout: per case {engine, naive, hits, shown}.
"use strict";
const H = require("./harness.js");
const [, , jsDir, searchDir] = process.argv;
const S = H.scripts(jsDir);
H.run(async (cases) => {
  const engine = H.engineOver(S, searchDir);
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
  for (const c of cases) {
    const r = await engine.search(c.query, c.filters, "");
    out.push({ engine: r.counts, naive: naive(r.all, c.filters), hits: r.all.length, shown: r.hits.length });
  }
  return out;
});
