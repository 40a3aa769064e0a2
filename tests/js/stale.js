// Runs the real engine.js over a search/ folder whose manifest is replaced by the one given,
// and reports whether init() and search() refuse it. argv: jsDir searchDir.
// stdin: JSON [{manifest: {...} | null (the folder's own), query}]; stdout: per case
// {ok, stale, format, message, hits, again, loaded} (hits: the refs a search found, when it ran).
"use strict";
const H = require("./harness.js");
const [, , jsDir, searchDir] = process.argv;
const S = H.scripts(jsDir);
const { G } = S;
H.run(async (cases) => {
  const out = [];
  for (const c of cases) {
    const loaded = [];
    const read = H.reader(searchDir);
    const engine = H.engineOver(S, searchDir, (p) => {
      loaded.push(p.split("?")[0]);
      return Promise.resolve(p === "manifest.json" && c.manifest !== null ? c.manifest : read(p));
    });
    const row = { engineFormat: G.format };
    try {
      const r = await engine.search(c.query, {}, "");
      row.ok = true;
      row.hits = r.hits.map((h) => h.i.toString(36));
    } catch (err) {
      row.ok = false;
      row.stale = !!err.stale;
      row.format = err.format === undefined ? null : err.format;
      row.message = String(err.message);
    }
    // a second search on the same engine is refused too (nothing is computed from the index)
    try { await engine.search(c.query, {}, ""); row.again = true; } catch (err) { row.again = !!err.stale && "stale"; }
    row.loaded = loaded.filter((p) => p !== "manifest.json");
    out.push(row);
  }
  return out;
});
