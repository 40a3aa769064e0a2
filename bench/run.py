"""Benchmarks: gongkai against plain mkdocs-material on the same corpus, in one run.

    python bench/run.py [--sizes 1000,10000,100000] [--seed 1] [--work DIR]
                        [--reference-max 10000] [--reference-nav-max 1000] [--timeout 1800]
    python bench/run.py --search-only bench/out/results.json   # per-query figures of its built sites
    python bench/run.py --engines-only --sizes 1000,10000      # gongkai build with MkDocs vs Zensical

For every N it writes (or reuses) a corpus with ``bench/make_corpus.py`` and measures,
each in a fresh child process:

* ``gongkai check`` time and peak memory;
* a clean ``gongkai build`` (no site/, no .gongkai-cache/): time, peak memory, output
  size and file count, the largest HTML page, search-index bytes: in total, and per
  typical 2–4 word query the gzip bytes headless Chromium fetched and the time to the
  first result shown (:func:`search_queries`, through bench/search_bench.py);
* a rebuild with no change, and a rebuild after editing one entry;
* plain mkdocs-material on the same N entries (one Markdown page per entry: the title
  and the body), without navigation (``nav`` names the home page only) and with the
  default navigation (every page in the nav; quadratic output, so only up to
  ``--reference-nav-max``).

Peak memory is reported twice: the largest single process (``ru_maxrss`` of the
children, as ``/usr/bin/time -v`` shows it) and the peak of the summed PSS of the
whole process tree (sampled from /proc every 0.2 s; worker processes share pages
with their parent, PSS counts each shared page once).

``--engines-only`` measures just a clean ``gongkai build`` per page engine — MkDocs +
Material (the default fast path) and Zensical (``--engine zensical``) — on the same corpus,
one after the other in the same run, into ``bench/out/engines.json`` / ``engines.md``.

Results go to ``bench/out/results.json`` and ``bench/out/results.md``; the growth
exponent between the two smallest sizes is fitted as log(t₂/t₁)/log(N₂/N₁).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BUILD_DATE = "2026-01-15"


@dataclass
class Run:
    seconds: float | None = None
    cpu_seconds: float | None = None  # user + system time of the whole process tree
    load: tuple[float, float] | None = None  # 1-minute load average before and after (others' work)
    max_rss_mb: float | None = None  # largest single process
    tree_pss_mb: float | None = None  # peak of the summed PSS of the process tree
    ok: bool = True
    note: str = ""


@dataclass
class Output:
    bytes: int = 0
    files: int = 0
    html_pages: int = 0
    largest_html: int = 0
    largest_html_path: str = ""
    search_bytes: int = 0
    search_files: int = 0
    search_per_query: dict[str, int] = field(default_factory=dict)  # gzip bytes fetched per query
    search_first_ms: dict[str, float] = field(default_factory=dict)  # ms to the first result shown


@dataclass
class Size:
    n: int
    entries: int = 0
    interpretations: int = 0
    corpus_bytes: int = 0
    check: Run = field(default_factory=Run)
    build: Run = field(default_factory=Run)
    rebuild_nochange: Run = field(default_factory=Run)
    rebuild_one_edit: Run = field(default_factory=Run)
    output: Output = field(default_factory=Output)
    ref_nonav: Run = field(default_factory=Run)
    ref_nonav_output: Output = field(default_factory=Output)
    ref_nav: Run = field(default_factory=Run)
    ref_nav_output: Output = field(default_factory=Output)


# ------------------------------------------------------------------ measuring
def _tree_pids(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(cmd: list[str], cwd: Path | None = None, timeout: float | None = None) -> Run:
    """Run ``cmd``; wall time, peak RSS of the largest process, peak PSS of the tree."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "CI": "true", "SOURCE_DATE_EPOCH": "1768435200"}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        peak = 0
        stop = threading.Event()
        timed_out = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, sum(_pss_kb(pid) for pid in _tree_pids(proc.pid)))
                if timeout is not None and time.monotonic() - start > timeout:
                    timed_out.set()
                    for pid in reversed(_tree_pids(proc.pid)):
                        with contextlib.suppress(OSError):
                            os.kill(pid, 9)
                stop.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4 gives this child's own rusage: ru_maxrss is the largest process of its tree
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.monotonic() - start
        stop.set()
        sampler.join()
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    ok = proc.returncode == 0 and not timed_out.is_set()
    note = f"timeout after {timeout:.0f} s" if timed_out.is_set() else (lines[-1] if lines and not ok else "")
    cpu = round(usage.ru_utime + usage.ru_stime, 2)
    load = (round(load_before, 2), round(os.getloadavg()[0], 2))
    return Run(round(elapsed, 2), cpu, load, round(usage.ru_maxrss / 1024, 1), round(peak / 1024, 1), ok, note)


def search_stats(site: Path, out: Output) -> None:
    """Search-index bytes: everything under search/ (Material's index or gongkai's shards)."""
    folder = site / "search"
    if folder.is_dir():
        files = [p for p in folder.rglob("*") if p.is_file()]
        out.search_bytes = sum(p.stat().st_size for p in files)
        out.search_files = len(files)
    if (folder / "manifest.json").is_file():
        for q in search_queries(site):
            out.search_per_query[q["q"]] = int(q["gzip"])
            if "one" in q:  # a query without results shows no first result
                out.search_first_ms[q["q"]] = round(float(q["one"]), 1)


def search_queries(site: Path) -> list[dict[str, Any]]:
    """Per typical query, in headless Chromium through the site's own engine.js: what it
    fetched and when its first result showed (bench/search_bench.py, cold page each).

    Empty without Debian's Chromium or Playwright. The harness files go into a temporary
    folder that links to the site's search/ folder: the built site is not touched.
    """
    if not Path("/usr/bin/chromium").exists():
        return []
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from bench.search_bench import browser_figures

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "search").symlink_to(site.resolve() / "search")
        try:
            return list(browser_figures(root, 1)["queries"])
        except ImportError:  # no Playwright
            return []


def output_stats(site: Path) -> Output:
    out = Output()
    if not site.is_dir():
        return out
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        out.bytes += size
        out.files += 1
        if path.suffix == ".html":
            out.html_pages += 1
            if size > out.largest_html:
                out.largest_html, out.largest_html_path = size, path.relative_to(site).as_posix()
    search_stats(site, out)
    return out


# ------------------------------------------------------------------ corpora
def corpus(work: Path, n: int, seed: int, realdata: bool) -> Path:
    path = work / f"corpus-{n}-{seed}{'-real' if realdata else ''}"
    stamp = path / ".bench-complete"
    if stamp.is_file():
        return path
    shutil.rmtree(path, ignore_errors=True)
    cmd = [sys.executable, str(REPO / "bench" / "make_corpus.py"), str(n), str(path), "--seed", str(seed)]
    if realdata:
        cmd.append("--realdata")
    subprocess.run(cmd, check=True)
    stamp.write_text("ok\n", encoding="utf-8")
    return path


def reference_docs(src: Path, dest: Path, nav: bool) -> Path:
    """A plain mkdocs-material project: one Markdown page per catalogue entry."""
    shutil.rmtree(dest, ignore_errors=True)
    docs = dest / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n\n基准测试参照站点。\n", encoding="utf-8")
    for path in sorted((src / "catalogue").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        title = next(line[7:] for line in front.splitlines() if line.startswith("title: ")).strip('"')
        target = docs / path.relative_to(src / "catalogue")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {title}\n\n{body}", encoding="utf-8")
    config = [
        "site_name: 参照站点",
        "site_url: https://example.org/",
        "theme:",
        "  name: material",
        "  language: zh",
        "plugins: [search]",
    ]
    if not nav:
        config += ["nav:", "  - 首页: index.md", "validation:", "  nav:", "    omitted_files: ignore"]
    (dest / "mkdocs.yml").write_text("\n".join(config) + "\n", encoding="utf-8")
    return dest


# ------------------------------------------------------------------ one size
def gongkai(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def bench_size(n: int, args: argparse.Namespace) -> Size:
    work: Path = args.work
    src = corpus(work, n, args.seed, args.realdata)
    result = Size(n)
    result.entries = len(list((src / "catalogue").rglob("*.md")))
    result.interpretations = len(list((src / "content" / "interpretations").rglob("*.md")))
    result.corpus_bytes = sum(p.stat().st_size for p in src.rglob("*.md"))
    log(f"N={n}: check")
    result.check = measure(gongkai("check", str(src), "--build-date", BUILD_DATE), timeout=args.timeout)
    shutil.rmtree(src / "site", ignore_errors=True)
    shutil.rmtree(src / ".gongkai-cache", ignore_errors=True)
    log(f"N={n}: clean build")
    build = gongkai("build", str(src), "--build-date", BUILD_DATE, "--quiet")
    result.build = measure(build, timeout=args.timeout)
    result.output = output_stats(src / "site")
    if result.build.ok:
        log(f"N={n}: rebuild, no change")
        result.rebuild_nochange = measure(build, timeout=args.timeout)
        log(f"N={n}: rebuild, one entry edited")
        edit_one(src)
        result.rebuild_one_edit = measure(build, timeout=args.timeout)
    reference(result, src, args)
    return result


def reference(result: Size, src: Path, args: argparse.Namespace) -> None:
    """Plain mkdocs-material on the entries of ``src``: without navigation, then with it."""
    n = result.n
    for nav, largest, skipped in (
        (False, args.reference_max, "not run"),
        (True, args.reference_nav_max, "not run (output grows with N²)"),
    ):
        name = "ref_nav" if nav else "ref_nonav"
        if not (args.reference and n <= largest):
            getattr(result, name).note = skipped
            continue
        log(f"N={n}: plain mkdocs-material, {'default navigation' if nav else 'no navigation'}")
        ref = reference_docs(src, args.work / f"ref-{n}-{'nav' if nav else 'nonav'}", nav=nav)
        run = measure([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=ref, timeout=args.timeout)
        setattr(result, name, run)
        setattr(result, f"{name}_output", output_stats(ref / "site"))
        shutil.rmtree(ref, ignore_errors=True)


def edit_one(src: Path) -> None:
    """Append a sentence to the body of the middle catalogue entry."""
    files = sorted((src / "catalogue").rglob("*.md"))
    target = files[len(files) // 2]
    with target.open("a", encoding="utf-8") as fh:
        fh.write(f"\n（基准测试修改于第 {int(time.time())} 秒。）\n")


def log(text: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {text}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ report
def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    mem = 0
    with contextlib.suppress(OSError, StopIteration):
        mem = int(
            next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1]
        )
    from importlib.metadata import version

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "mkdocs": version("mkdocs"),
        "mkdocs-material": version("mkdocs-material"),
        "markdown": version("markdown"),
    }


def exponent(a: float | None, b: float | None, n1: int, n2: int) -> float | None:
    if not a or not b or n1 == n2:
        return None
    return round(math.log(b / a) / math.log(n2 / n1), 2)


def fmt_s(run: Run) -> str:
    if run.seconds is None:
        return run.note or "—"
    cpu = f" / {run.cpu_seconds:.0f} s CPU" if run.cpu_seconds is not None else ""
    return f"{run.seconds:.1f} s{cpu}" + (f" ({run.note})" if run.note else "")


def fmt_mb(value: float | None) -> str:
    return "—" if value is None else (f"{value / 1024:.2f} GB" if value >= 1024 else f"{value:.0f} MB")


def fmt_bytes(value: int) -> str:
    if not value:
        return "—"
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if value >= size:
            return f"{value / size:.1f} {unit}"
    return f"{value} B"


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else "—"


def markdown(sizes: list[Size], info: dict[str, Any]) -> str:
    head = ["figure", *(f"N = {s.n:,}" for s in sizes)]
    rows: list[list[str]] = []

    def row(label: str, cells: list[str]) -> None:
        rows.append([label, *cells])

    row("entries + interpretations", [f"{s.entries:,} + {s.interpretations:,}" for s in sizes])
    row(
        "load average during the build (before → after)",
        [f"{s.build.load[0]} → {s.build.load[1]}" if s.build.load else "—" for s in sizes],
    )
    row("`gongkai check` (wall / CPU)", [fmt_s(s.check) for s in sizes])
    row("`gongkai build`, clean (wall / CPU)", [fmt_s(s.build) for s in sizes])
    row("peak RSS, largest process", [fmt_mb(s.build.max_rss_mb) for s in sizes])
    row("peak PSS, whole process tree", [fmt_mb(s.build.tree_pss_mb) for s in sizes])
    row("output size (files)", [f"{fmt_bytes(s.output.bytes)} ({s.output.files:,})" for s in sizes])
    row("largest HTML page", [fmt_bytes(s.output.largest_html) for s in sizes])
    row("search index (files)", [f"{fmt_bytes(s.output.search_bytes)} ({s.output.search_files})" for s in sizes])
    if any(s.output.search_per_query for s in sizes):
        row(
            "search: gzip bytes per 2–4 word query (median / max)",
            [spread(list(s.output.search_per_query.values()), fmt_bytes) for s in sizes],
        )
        row(
            "search: first result shown (median / max)",
            [spread(list(s.output.search_first_ms.values()), lambda v: f"{v:.0f} ms") for s in sizes],
        )
    row("rebuild, no change", [fmt_s(s.rebuild_nochange) for s in sizes])
    row("rebuild, one entry edited", [fmt_s(s.rebuild_one_edit) for s in sizes])
    row("**plain Material, no nav**: build", [fmt_s(s.ref_nonav) for s in sizes])
    row("— peak RSS / PSS", [f"{fmt_mb(s.ref_nonav.max_rss_mb)} / {fmt_mb(s.ref_nonav.tree_pss_mb)}" for s in sizes])
    row(
        "— output / largest page",
        [f"{fmt_bytes(s.ref_nonav_output.bytes)} / {fmt_bytes(s.ref_nonav_output.largest_html)}" for s in sizes],
    )
    row("— search index", [fmt_bytes(s.ref_nonav_output.search_bytes) for s in sizes])
    row("**plain Material, default nav**: build", [fmt_s(s.ref_nav) for s in sizes])
    row(
        "— output / largest page",
        [f"{fmt_bytes(s.ref_nav_output.bytes)} / {fmt_bytes(s.ref_nav_output.largest_html)}" for s in sizes],
    )
    row("gongkai build ÷ plain Material (no nav)", [ratio(s.build.seconds, s.ref_nonav.seconds) for s in sizes])
    row("gongkai build ÷ plain Material (default nav)", [ratio(s.build.seconds, s.ref_nav.seconds) for s in sizes])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    for a, b in itertools.pairwise(sizes):
        fits = {
            "check time (CPU)": exponent(a.check.cpu_seconds, b.check.cpu_seconds, a.n, b.n),
            "build time (wall)": exponent(a.build.seconds, b.build.seconds, a.n, b.n),
            "build time (CPU)": exponent(a.build.cpu_seconds, b.build.cpu_seconds, a.n, b.n),
            "peak PSS": exponent(a.build.tree_pss_mb, b.build.tree_pss_mb, a.n, b.n),
            "output bytes": exponent(a.output.bytes, b.output.bytes, a.n, b.n),
            "plain Material build (no nav, wall)": exponent(a.ref_nonav.seconds, b.ref_nonav.seconds, a.n, b.n),
            "plain Material build (no nav, CPU)": exponent(a.ref_nonav.cpu_seconds, b.ref_nonav.cpu_seconds, a.n, b.n),
        }
        shown = ", ".join(f"{k} **{v}**" for k, v in fits.items() if v is not None)
        lines += ["", f"Growth exponent N = {a.n:,} → {b.n:,} (t ∝ N^k): {shown}"]
    lines += ["", "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items())]
    return "\n".join(lines) + "\n"


def spread(values: list[Any], show: Any) -> str:
    if not values:
        return "—"
    return f"{show(statistics.median(values))} / {show(max(values))}"


def search_only(path: Path, work: Path, seed: int) -> int:
    """Measure the per-query search figures of the sites an earlier run left in ``work``."""
    info, sizes = load_sizes(path)
    for size in sizes:
        site = work / f"corpus-{size.n}-{seed}" / "site"
        if (site / "search" / "manifest.json").is_file():
            log(f"N={size.n}: search queries")
            size.output.search_per_query, size.output.search_first_ms = {}, {}
            search_stats(site, size.output)
    return rewrite(path, info, sizes)


def reference_only(path: Path, args: argparse.Namespace) -> int:
    """Run plain mkdocs-material for the sizes of an earlier run that lack it (``--sizes``)."""
    info, sizes = load_sizes(path)
    wanted = {int(x) for x in args.sizes.split(",")}
    for size in sizes:
        if size.n in wanted:
            reference(size, corpus(args.work, size.n, args.seed, args.realdata), args)
            for run in (size.ref_nonav, size.ref_nav):
                if run.seconds is not None:
                    run.note = f"separate run, {dt.datetime.now():%Y-%m-%d %H:%M}"
    return rewrite(path, info, sizes)


def rewrite(path: Path, info: dict[str, Any], sizes: list[Size]) -> int:
    path.write_text(
        json.dumps({"machine": info, "sizes": [asdict(s) for s in sizes]}, ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    path.with_suffix(".md").write_text(markdown(sizes, info), encoding="utf-8")
    print(markdown(sizes, info))
    return 0


def load_sizes(path: Path) -> tuple[dict[str, Any], list[Size]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    sizes = []
    for raw in data["sizes"]:
        size = Size(raw["n"])
        for key, value in raw.items():
            current = getattr(size, key)
            if isinstance(current, Run):
                value = Run(**{**value, "load": tuple(value["load"]) if value.get("load") else None})
            elif isinstance(current, Output):
                value = Output(**value)
            setattr(size, key, value)
        sizes.append(size)
    return data["machine"], sizes


def report(paths: list[Path]) -> int:
    """One table from several runs (say 1k and 10k in one, 100k in another)."""
    info: dict[str, Any] = {}
    sizes: list[Size] = []
    for path in paths:
        info, more = load_sizes(path)
        sizes += more
    print(markdown(sorted(sizes, key=lambda s: s.n), info))
    return 0


ENGINES = ("mkdocs", "zensical")


def engines_only(args: argparse.Namespace) -> int:
    """A clean ``gongkai build`` per engine on the same corpus, same run (see the module docstring)."""
    args.work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    info = machine()
    with contextlib.suppress(Exception):
        from importlib.metadata import version

        info["zensical"] = version("zensical")
    results: list[dict[str, Any]] = []
    for n in sorted(int(x) for x in args.sizes.split(",")):
        src = corpus(args.work, n, args.seed, args.realdata)
        row: dict[str, Any] = {"n": n}
        for engine in ENGINES:
            site = args.work / f"site-{n}-{engine}"
            shutil.rmtree(site, ignore_errors=True)
            shutil.rmtree(src / ".gongkai-cache", ignore_errors=True)
            log(f"N={n}: clean build, engine {engine}")
            cmd = gongkai("build", str(src), "--engine", engine, "--site-dir", str(site), "--build-date", BUILD_DATE)
            run = measure([*cmd, "--quiet"], timeout=args.timeout)
            pages = sum(1 for _ in site.rglob("*.html")) if site.is_dir() else 0
            row[engine] = {**asdict(run), "html_pages": pages}
            shutil.rmtree(site, ignore_errors=True)
        results.append(row)
    (args.out / "engines.json").write_text(
        json.dumps({"machine": info, "sizes": results}, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    text = engines_markdown(results, info)
    (args.out / "engines.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


def engines_markdown(results: list[dict[str, Any]], info: dict[str, Any]) -> str:
    head = ["clean `gongkai build`", *(f"N = {r['n']:,}" for r in results)]
    rows = []
    for engine in ENGINES:
        runs = [Run(**{k: v for k, v in r[engine].items() if k != "html_pages"}) for r in results]
        rows.append([f"{engine}: wall / CPU", *(fmt_s(run) for run in runs)])
        rows.append([f"{engine}: peak PSS (tree)", *(fmt_mb(run.tree_pss_mb) for run in runs)])
        rows.append([f"{engine}: HTML pages", *(f"{r[engine]['html_pages']:,}" for r in results)])
    rows.append(
        ["zensical ÷ mkdocs (wall)", *(ratio(r["zensical"]["seconds"], r["mkdocs"]["seconds"]) for r in results)]
    )
    rows.append(
        [
            "zensical ÷ mkdocs (CPU)",
            *(ratio(r["zensical"]["cpu_seconds"], r["mkdocs"]["cpu_seconds"]) for r in results),
        ]
    )
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    lines += ["", "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items())]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated entry counts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/gongkai-bench"), help="corpora and scratch")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    parser.add_argument("--no-reference", dest="reference", action="store_false", help="skip plain mkdocs-material")
    parser.add_argument("--reference-max", type=int, default=10000, help="largest N for the no-nav reference")
    parser.add_argument("--reference-nav-max", type=int, default=1000, help="largest N for the default-nav reference")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed for one command")
    parser.add_argument("--realdata", action="store_true", help="bodies from ../shared/realdata sentences")
    parser.add_argument("--report", type=Path, nargs="+", help="only print the table of earlier results.json files")
    parser.add_argument("--search-only", type=Path, help="add per-query search figures to this results.json")
    parser.add_argument(
        "--reference-only", type=Path, help="add plain mkdocs-material for --sizes to this results.json"
    )
    parser.add_argument("--engines-only", action="store_true", help="clean gongkai build per engine (--sizes)")
    args = parser.parse_args(argv)
    if args.engines_only:
        return engines_only(args)
    if args.report:
        return report(args.report)
    if args.search_only:
        return search_only(args.search_only, args.work, args.seed)
    if args.reference_only:
        return reference_only(args.reference_only, args)
    args.work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    info = machine()
    sizes = []
    for n in sorted(int(x) for x in args.sizes.split(",")):
        sizes.append(bench_size(n, args))
        (args.out / "results.json").write_text(
            json.dumps({"machine": info, "sizes": [asdict(s) for s in sizes]}, ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
        (args.out / "results.md").write_text(markdown(sizes, info), encoding="utf-8")
    print(markdown(sizes, info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
