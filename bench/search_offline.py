"""Offline byte analysis of a built search index: what would a query fetch under other designs?

    python bench/search_offline.py SITE/search            # e.g. the index search_bench.py --keep wrote

Runs the bench queries (``search_bench.QUERIES``) through the real engine.js in node (files
read from disk, a fresh engine per query) and reports, per query, from the files it loads
and its first 20 results:

1. the bytes fetched now, by kind (term files, display records, snippet texts; gzip level 6,
   KiB, as ``search_bench.py`` counts them);
2. snippet texts under other designs, each compared with today's snippet (the window of
   engine.js' ``snippet`` over the whole stored text): the text cut after K characters
   (bytes; snippets that come out the same, and those showing fewer distinct query terms),
   and the text's first F characters in one file, the rest in another fetched only when the
   snippet is not provably today's from the first (no window in them holding every query
   term the text holds) — exact, so only the bytes and the files are reported;
3. the body runs of the query's distinct heavy postings (one dense code string over all
   documents, as one file would hold it): gzip, the order-0 entropy of the term
   frequencies (zeros included) and the entropy conditioned on the document's body length
   (fixed buckets of ``lengths.json``'s length: what an entropy coder with that context
   could reach), the gzip of the frequencies replaced by their rank within the bucket, and
   the entropy conditioned on the bucket and the previous run's frequency in the document
   (the bigrams of one phrase: what near-aliases coded by an entropy coder could reach).

Nothing is built or written besides a temporary node script; figures go to
bench/README-search.md by hand.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.search_bench import QUERIES, load_average
from generator.search.compact import codes, decode, ref_of
from generator.search.shards import block_file, heavy_name
from generator.site.engine import THEME_DIR, lunr_js_path

TOP = 20  # results on the first page
WINDOW = 90  # engine.js snippet size: a window of 3/4 of it holds the most distinct terms

RUNNER = """\
"use strict";
const fs = require("fs"), path = require("path");
const [, , jsDir, lunrJs, searchDir, top] = process.argv;
const lunr = require(lunrJs); lunr.utils.warn = () => {};
const T = require(path.join(jsDir, "tokenizer.js")), G = require(path.join(jsDir, "engine.js"));
const read = (p) => JSON.parse(fs.readFileSync(path.join(searchDir, p.split("?")[0]), "utf8"));
(async () => {
  const out = [];
  for (const q of JSON.parse(fs.readFileSync(0, "utf8"))) {
    const engine = G.create({ lunr, tokenizer: T, load: (p) => Promise.resolve(read(p)) });
    await engine.init();
    engine.fetched = [];
    const r = await engine.search(q, {}, "");
    const hits = r.hits.slice(0, +top);
    await Promise.all(hits.map((h) => engine.doc(h.i)));
    out.push({ q, terms: r.terms, matches: r.all.length, top: hits.map((h) => h.i),
               fetched: engine.fetched.map((f) => f.split("?")[0]) });
  }
  process.stdout.write(JSON.stringify(out));
})();
"""


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def run_queries(search: Path, queries: list[str]) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        runner = Path(tmp) / "runner.js"
        runner.write_text(RUNNER, encoding="utf-8")
        js = THEME_DIR / "assets" / "javascripts" / "search"
        args = ["node", str(runner), str(js), str(lunr_js_path()), str(search), str(TOP)]
        done = subprocess.run(args, input=json.dumps(queries), capture_output=True, text=True, check=True)
    result: list[dict[str, Any]] = json.loads(done.stdout)
    return result


def occurrences(text: str, terms: list[str]) -> list[tuple[int, int, int]]:
    """engine.js ``occurrences`` for CJK terms (the bench's queries have no ASCII words)."""
    found = []
    for t, term in enumerate(terms):
        at = text.find(term)
        while at >= 0:
            found.append((at, at + len(term), t))
            at = text.find(term, at + 1)
    return sorted(found)


def best_window(found: list[tuple[int, int, int]], size: float = WINDOW * 3 / 4) -> tuple[int, int]:
    """engine.js ``bestStart``: (start, distinct terms) of the first window holding the most."""
    best, count = found[0][0], 0
    for i in range(min(len(found), 400)):
        seen = set()
        j = i
        while j < len(found) and found[j][1] <= found[i][0] + size:
            seen.add(found[j][2])
            j += 1
        if len(seen) > count:
            best, count = found[i][0], len(seen)
    return best, count


def provable_end(text: str, terms: list[str]) -> int:
    """Characters a progressive reader needs before the snippet is provably the whole text's:
    up to the end of the first window holding every query term the text holds, else all."""
    found = occurrences(text, terms)
    present = len({t for _, _, t in found})
    size = WINDOW * 3 / 4
    for i in range(min(len(found), 400)):
        seen = set()
        j = i
        while j < len(found) and found[j][1] <= found[i][0] + size:
            seen.add(found[j][2])
            j += 1
        if len(seen) == present:
            return min(len(text), found[i][0] + WINDOW + 2)
    return len(text)


def snippet_figures(search: Path, q: dict[str, Any]) -> dict[str, Any]:
    texts = [json.loads((search / "text" / f"{ref_of(i)}.json").read_text(encoding="utf-8")) for i in q["top"]]
    out: dict[str, Any] = {}
    for k in (20000, 3000, 2000, 1000):
        size, same, fewer = 0, 0, 0
        for t in texts:
            size += gz(dumps({"s": t["s"], "x": t["x"][:k]}))
            whole, cut = occurrences(t["x"], q["terms"]), occurrences(t["x"][:k], q["terms"])
            if not whole or (cut and best_window(cut) == best_window(whole)):
                same += 1
            elif not cut or best_window(cut)[1] < best_window(whole)[1]:
                fewer += 1
        out[f"cut {k}"] = (size, same, fewer)
    for first in (600, 1000, 1500):
        size, files = 0, 0
        for t in texts:
            x, end = t["x"], provable_end(t["x"], q["terms"])
            size += gz(dumps({"s": t["s"], "x": x[:first], "n": len(x)}))
            files += 1
            if end > first:
                size += gz(dumps(x[first:]))
                files += 1
        out[f"first {first} + rest"] = (size, files)
    return out


def body_runs(search: Path, terms: list[str], manifest: dict[str, Any], lengths: np.ndarray) -> list[tuple[str, ...]]:
    heavy = set(manifest["heavy"])
    same = {row[0]: row[1] for row in manifest.get("same", [])}
    seen, rows, previous = set(), [], None
    body = len(manifest["fields"]) - 1
    buckets = np.floor(4 * np.log2(lengths + 1)).astype(np.int64)  # fixed: a document's own length only
    for term in terms:
        base = same.get(term, term)
        if term not in heavy or base in seen:
            continue
        seen.add(base)
        tf = np.zeros(len(lengths), dtype=np.int64)
        for k in range(64):
            path = search / "shards" / f"{block_file(heavy_name(base), k)}.json"
            if not path.exists():
                continue
            for rec in json.loads(path.read_text(encoding="utf-8")):
                if rec[0] == base:
                    for doc, f in decode(rec)[3][body]:
                        tf[doc] = f
        nz = np.nonzero(tf)[0]
        if not len(nz):
            continue
        run, ctx = tf[nz[0] : nz[-1] + 1], buckets[nz[0] : nz[-1] + 1]
        pair = ctx if previous is None else ctx * 4096 + np.minimum(previous[nz[0] : nz[-1] + 1], 4095)
        h2 = sum(entropy(run[pair == c]) for c in np.unique(pair))
        previous = tf
        ranked = np.zeros_like(run)
        h0 = entropy(run)
        h1 = 0.0
        for c in np.unique(ctx):
            sel = run[ctx == c]
            h1 += entropy(sel)
            counts = collections.Counter(sel.tolist())
            order = {v: r for r, (v, _) in enumerate(sorted(counts.items(), key=lambda x: (-x[1], x[0])))}
            ranked[ctx == c] = [order[v] for v in sel.tolist()]
        figures = (gz(codes(run).encode()), h0, h1, gz(codes(ranked).encode()), h2)
        rows.append((base, f"{len(nz)}", *(kib(f) for f in figures)))
    return rows


def entropy(values: np.ndarray) -> float:
    """Order-0 entropy of ``values`` in bytes."""
    n = len(values)
    return -sum(c * math.log2(c / n) for c in collections.Counter(values.tolist()).values()) / 8


def kib(n: float) -> str:
    return f"{n / 1024:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("search", type=Path, help="a built search/ folder")
    parser.add_argument("--query", action="append", help="instead of the bench's queries (repeatable)")
    args = parser.parse_args()
    search: Path = args.search
    manifest = json.loads((search / "manifest.json").read_text(encoding="utf-8"))
    lengths = np.array(json.loads((search / "lengths.json").read_text(encoding="utf-8"))[-1], dtype=np.int64)
    print(f"{search}: format {manifest['format']}, {manifest['documents']} documents; load {load_average()}")
    totals: dict[str, list[float]] = collections.defaultdict(list)
    for q in run_queries(search, args.query or QUERIES):
        sizes = {f: gz((search / f).read_bytes()) for f in q["fetched"]}
        kind = {k: sum(v for f, v in sizes.items() if f.startswith(k)) for k in ("shards/", "docs/")}
        snip = snippet_figures(search, q)
        text = snip["cut 20000"][0]
        total = sum(sizes.values()) + text
        totals["now"].append(total)
        print(f"\n{q['q']}: {q['matches']} matches; now {kib(total)} KiB = term files {kib(kind['shards/'])} "
              f"({sum(f.startswith('shards/') for f in sizes)} files) + display {kib(kind['docs/'])} + snippet texts {kib(text)}")  # fmt: skip
        for name, figures in snip.items():
            if name.startswith("cut"):
                size, same, fewer = figures
                totals[name].append(total - text + size)
                print(
                    f"  snippet text {name}: {kib(size)} KiB; {same} of {len(q['top'])} snippets the same, {fewer} with fewer terms"
                )
            else:
                size, files = figures
                totals[name].append(total - text + size)
                print(f"  snippet text in {name} (exact): {kib(size)} KiB in {files} files")
        print(
            "  body runs (KiB): term, documents, gzip, order-0 entropy, entropy | length bucket, gzip of ranks in bucket, "
            "entropy | length bucket and the previous run's term frequency"
        )
        runs = body_runs(search, q["terms"], manifest, lengths)
        for row in runs:
            print("   ", " ".join(row))
        if runs:
            sums = [sum(float(r[i]) for r in runs) for i in range(2, 7)]
            print("    together", " ".join(f"{s:.1f}" for s in sums))
    print("\nper query, median / max KiB:")
    for name, values in totals.items():
        print(f"  {name}: {kib(statistics.median(values))} / {kib(max(values))}")
    print(f"load {load_average()}; pid {os.getpid()}")


if __name__ == "__main__":
    main()
