// The first page first: engine.search(query, filters, sort, first) against the same search
// without `first` (everything sorted). argv: jsDir searchDir; stdin: JSON [{query, filters,
// sort, first}]; stdout: per case {whole, early, later}: the refs of the whole order, the
// first `first` refs when the search resolves, and all refs after upTo(first + 1).
"use strict";
const H = require("./harness.js");
const [, , jsDir, searchDir] = process.argv;
const S = H.scripts(jsDir);
const refs = (hits) => hits.map((h) => h.i.toString(36));
H.run(async (cases) => {
  const engine = H.engineOver(S, searchDir);
  await engine.init();
  const out = [];
  for (const c of cases) {
    const whole = await engine.search(c.query, c.filters, c.sort);
    const r = await engine.search(c.query, c.filters, c.sort, c.first);
    const early = refs(r.hits.slice(0, c.first)), members = refs(r.hits).sort();
    const same = r.upTo(c.first) === r.hits && refs(r.hits.slice(0, c.first)).join() === early.join();
    out.push({ whole: refs(whole.hits), early, members, same, later: refs(r.upTo(c.first + 1)) });
  }
  return out;
});
