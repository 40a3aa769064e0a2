// Scores of the same queries two ways: lunr.js querying lunr.py's full serialized index
// (argv[4]), and engine.js querying the compact shards of a built search/ folder (argv[3]).
// stdin: JSON ["query", …]; stdout: per query {lunr: {ref: score}, engine: {ref: score}}.
"use strict";
const fs = require("fs");
const path = require("path");
const [, , jsDir, searchDir, fullIndex] = process.argv;
const lunr = require(path.join(jsDir, "lunr.js"));
const T = require(path.join(jsDir, "tokenizer.js"));
const G = require(path.join(jsDir, "engine.js"));
const engine = G.create({
  lunr, tokenizer: T,
  load: (p) => Promise.resolve(JSON.parse(fs.readFileSync(path.join(searchDir, p.split("?")[0]), "utf8"))),
});
const full = lunr.Index.load(JSON.parse(fs.readFileSync(fullIndex, "utf8")));
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (c) => { input += c; });
process.stdin.on("end", async () => {
  await engine.init();
  const out = [];
  for (const q of JSON.parse(input)) {
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
  process.stdout.write(JSON.stringify(out));
});
