// Scores of the same queries two ways: lunr.js querying lunr.py's full serialized index
// (argv[4]), and engine.js querying the compact shards of a built search/ folder (argv[3]).
// stdin: JSON ["query", …]; stdout: per query {lunr: {ref: score}, engine: {ref: score}}.
"use strict";
const fs = require("fs");
const H = require("./harness.js");
const [, , jsDir, searchDir, fullIndex] = process.argv;
const S = H.scripts(jsDir);
const { lunr } = S;
const engine = H.engineOver(S, searchDir);
const full = lunr.Index.load(JSON.parse(fs.readFileSync(fullIndex, "utf8")));
H.run(async (cases) => {
  await engine.init();
  const out = [];
  for (const q of cases) {
    const plan = engine.plan(q);
    const viaLunr = {};
    full.query((query) => {
      plan.terms.forEach((t) => query.term(t, { usePipeline: false, presence: lunr.Query.presence.REQUIRED }));
    }).forEach((r) => { viaLunr[r.ref] = r.score; });
    const found = await engine.matchAll(plan);
    const viaEngine = {};
    if (found) { found.docs.forEach((i) => { viaEngine[i.toString(36)] = found.scores[i]; }); }
    out.push({ terms: plan.terms, lunr: viaLunr, engine: viaEngine });
  }
  return out;
});
