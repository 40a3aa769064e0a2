"""Benchmarks: every figure of issue 18 in one run, gongkai beside plain mkdocs-material.

    python bench/run.py --sizes 1000,10000,100000         # the whole table (see bench/README.md)
    python bench/run.py --sizes 1000,10000,100000 --only-targets   # only what the targets need
    python bench/run.py [--seed 1] [--work DIR] [--full-max 10000] [--reference-max 100000]
                        [--reference-nav-max 1000] [--serve-max 10000] [--timeout 3600]
    python bench/run.py --search-only bench/out/results.json   # per-query figures of its built sites
    python bench/run.py --engines-only --sizes 1000,10000      # gongkai build with MkDocs vs Zensical

For every N it writes (or reuses: same N, seed and generator code) a corpus with
``bench/make_corpus.py`` and measures, each in a fresh child process:

* ``gongkai check`` without a cache;
* a clean ``gongkai build`` (no site/, .gongkai-cache/ or .site.standby/): time, peak memory, output
  size and file count, the largest HTML page, search-index bytes;
* rebuilds from a warm state: with no change; after one entry's body is edited (a sentence
  appended), after its title is edited, after one new entry is added (a copy of a simple
  entry under a new 索引号, title and file name), after one entry is deleted (one that no
  other file refers to). Each change is undone after its build and the undo is built too
  (reported as a second sample), so every measured build sees exactly one change; a journal
  beside the corpus (``corpus-N-S.undo.json``) restores it after an interrupted run;
* the serve round trip, when ``bench/serve_roundtrip.py`` is in the tree (up to
  ``--serve-max``): its ``edit_to_visible_s``;
* per typical 2–4 word query, the gzip bytes headless Chromium fetched and the time to the
  first result shown (through bench/search_bench.py, on the built site);
* plain mkdocs-material on the same N entries (one Markdown page per entry: the title
  and the body), without navigation (``nav`` names the home page only; up to
  ``--reference-max``) and with the default navigation (every page in the nav; quadratic
  output, so only up to ``--reference-nav-max``).

Time is wall time and CPU time (user + system) of the whole process tree: this process
is a child subreaper, so a process a build leaves running (the background deletion of
the previous site) is waited for and its CPU counted before the next step starts; the
wait is reported as ``background_s``. Peak memory is reported twice: the largest single
process (``ru_maxrss`` of the children, as ``/usr/bin/time -v`` shows it) and the peak of
the summed PSS of the whole process tree (sampled from /proc every 0.2 s; worker
processes share pages with their parent, PSS counts each shared page once).

``--only-targets`` skips what the target table does not use: ``check``, the no-change
rebuild, the title edit, the deletion of an entry that existed before (the new entry
deleted again stands for it: nothing refers to it either), the default-navigation
reference, and the reference, search and serve figures at sizes without a target. Sizes
above ``--full-max`` (default 10,000) are measured that way in any case (the plain Material
reference alone takes ~20 min at 100k; bench/README.md gives the duration of a whole run).

``--engines-only`` measures just a clean ``gongkai build`` per page engine — MkDocs +
Material (the default fast path) and Zensical (``--engine zensical``) — on the same corpus,
one after the other in the same run, into ``bench/out/engines.json`` / ``engines.md``.

Results go to ``bench/out/results.json`` and ``bench/out/results.md`` (rewritten after
every size): the targets of issue 18 with the measured figure and met / not met, then
every figure; the growth exponent between sizes is fitted as log(t₂/t₁)/log(N₂/N₁).
Progress goes to stderr with timestamps.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime as dt
import hashlib
import itertools
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[1]
BUILD_DATE = "2026-01-15"
SERVE_SCRIPT = REPO / "bench" / "serve_roundtrip.py"  # written by the engine helper; optional
TARGET_SIZES = (10000, 100000)  # the sizes issue 18 sets targets for


@dataclass
class Run:
    seconds: float | None = None
    cpu_seconds: float | None = None  # user + system time of the whole process tree
    load: tuple[float, float] | None = None  # 1-minute load average before and after (others' work)
    max_rss_mb: float | None = None  # largest single process
    tree_pss_mb: float | None = None  # peak of the summed PSS of the process tree
    ok: bool = True
    note: str = ""
    background_s: float | None = None  # waited after exit for processes the command left running
    background_cpu_s: float | None = None  # their CPU time (included in cpu_seconds)


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
    rebuild_undo_edit: Run = field(default_factory=Run)  # the edit undone: a second one-edit sample
    rebuild_title_edit: Run = field(default_factory=Run)
    rebuild_undo_title: Run = field(default_factory=Run)
    rebuild_add: Run = field(default_factory=Run)
    rebuild_undo_add: Run = field(default_factory=Run)  # the new entry deleted again
    rebuild_delete: Run = field(default_factory=Run)
    rebuild_undo_delete: Run = field(default_factory=Run)  # the deleted entry back
    mutations: dict[str, str] = field(default_factory=dict)  # which files the changes touched
    serve: dict[str, Any] = field(default_factory=dict)  # bench/serve_roundtrip.py --json, plus its run
    output: Output = field(default_factory=Output)
    ref_nonav: Run = field(default_factory=Run)
    ref_nonav_output: Output = field(default_factory=Output)
    ref_nav: Run = field(default_factory=Run)
    ref_nav_output: Output = field(default_factory=Output)
    search_note: str = ""
    seconds_total: float | None = None  # this size's part of the run, corpus generation included


# ------------------------------------------------------------------ measuring
def become_subreaper() -> bool:
    """Adopt the processes a measured command leaves behind (Linux ``PR_SET_CHILD_SUBREAPER``),
    so that :func:`measure` can wait for them and count their CPU time."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(36, 1, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _own_children() -> set[int]:
    me = os.getpid()
    out = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == me:
                        out.add(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return out


def _reap(pids: set[int], allowed: float) -> float:
    """Wait up to ``allowed`` seconds for adopted ``pids`` (then kill them); their CPU seconds."""
    cpu = 0.0
    deadline = time.monotonic() + allowed
    todo = set(pids)
    while todo:
        for pid in list(todo):
            try:
                done, _, usage = os.wait4(pid, os.WNOHANG)
            except ChildProcessError:
                todo.discard(pid)
                continue
            if done:
                cpu += usage.ru_utime + usage.ru_stime
                todo.discard(pid)
        if todo and time.monotonic() > deadline:
            for pid in todo:
                with contextlib.suppress(OSError):
                    os.kill(pid, 9)
            deadline = math.inf  # killed: the next rounds reap them
        if todo:
            time.sleep(0.05)
    return cpu


def reap_zombies() -> None:
    """Reap adopted children that have exited (say, Chromium's helpers after a search run)."""
    for pid in _own_children():
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
                state = fh.read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state == "Z":
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)


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


def measure(
    cmd: list[str], cwd: Path | None = None, timeout: float | None = None, stdout: IO[bytes] | None = None
) -> Run:
    """Run ``cmd``; wall time, CPU time of the tree, peak RSS of the largest process, peak PSS of the tree.

    Processes the command leaves running are adopted when this process is a subreaper
    (:func:`become_subreaper`): they are waited for, their CPU time is added and the wait is
    ``background_s``; the wall time is the command's own.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO), "CI": "true", "SOURCE_DATE_EPOCH": "1768435200"}
    load_before = os.getloadavg()[0]
    before = _own_children()
    with tempfile.TemporaryFile() as err:
        start = time.monotonic()
        out = stdout if stdout is not None else subprocess.DEVNULL
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
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
        cpu = usage.ru_utime + usage.ru_stime
        background = background_cpu = None
        left = _own_children() - before - {proc.pid}
        if left:
            background_cpu = _reap(left, 0 if timed_out.is_set() else (timeout or 3600))
            cpu += background_cpu
            background, background_cpu = round(time.monotonic() - start - elapsed, 2), round(background_cpu, 2)
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    ok = proc.returncode == 0 and not timed_out.is_set()
    note = f"timeout after {timeout:.0f} s" if timed_out.is_set() else (lines[-1] if lines and not ok else "")
    load = (round(load_before, 2), round(os.getloadavg()[0], 2))
    rss, pss = round(usage.ru_maxrss / 1024, 1), round(peak / 1024, 1)
    return Run(round(elapsed, 2), round(cpu, 2), load, rss, pss, ok, note, background, background_cpu)


def search_stats(site: Path, out: Output, queries: bool = True) -> None:
    """Search-index bytes: everything under search/ (Material's index or gongkai's shards);
    with ``queries``, the per-query figures of gongkai's index (:func:`search_queries`)."""
    folder = site / "search"
    if folder.is_dir():
        files = [p for p in folder.rglob("*") if p.is_file()]
        out.search_bytes = sum(p.stat().st_size for p in files)
        out.search_files = len(files)
    if queries and (folder / "manifest.json").is_file():
        query_figures(site, out)


def query_figures(site: Path, out: Output) -> None:
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


def output_stats(site: Path, queries: bool = True) -> Output:
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
    search_stats(site, out, queries)
    return out


# ------------------------------------------------------------------ corpora
def generator_fingerprint(n: int, seed: int, realdata: bool) -> str:
    """What decides a corpus' bytes: N, the seed, the text source and the generator's code."""
    h = hashlib.sha256(f"{n}/{seed}/{realdata}".encode())
    for name in ("make_corpus.py", "corpus_text.py"):
        h.update((REPO / "bench" / name).read_bytes())
    return h.hexdigest()


def corpus(work: Path, n: int, seed: int, realdata: bool) -> Path:
    """The corpus for (N, seed): reused when its stamp names the same generator code, else written."""
    path = work / f"corpus-{n}-{seed}{'-real' if realdata else ''}"
    Journal.recover(path)
    stamp = path / ".bench-complete"
    fingerprint = generator_fingerprint(n, seed, realdata)
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == fingerprint:
        log(f"N={n}: reusing the corpus in {path}")
        return path
    log(f"N={n}: writing the corpus into {path}")
    shutil.rmtree(path, ignore_errors=True)
    cmd = [sys.executable, str(REPO / "bench" / "make_corpus.py"), str(n), str(path), "--seed", str(seed)]
    if realdata:
        cmd.append("--realdata")
    subprocess.run(cmd, check=True)
    stamp.write_text(fingerprint + "\n", encoding="utf-8")
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


# ------------------------------------------------------------------ single changes
INDEX_NO = re.compile(r"^index_no: ([0-9A-Z]{9})/(\d{4})-(\d{5})$", re.M)
REFERENCE = re.compile(r"[0-9A-Z]{9}/\d{4}-\d{5}")
# front matter that makes an entry unfit to copy or delete without a finding: 文号 must be
# unique, relations and histories point at others, attachments and drafts have their own rules
NOT_SIMPLE = ("doc_number:", "relations:", "validity_history:", "attachments:", "draft:", "依申请公开", "公开年报")
BODY_EDIT = "（基准测试：正文末尾增加的一句。）"


class Journal:
    """The original bytes of the files a change touches, kept beside the corpus until undone.

    ``corpus-N-S.undo.json`` (next to the corpus folder) holds each path's original text,
    or null for a file the change created; :meth:`recover` puts them back after a run was
    interrupted between a change and its undo.
    """

    def __init__(self, src: Path, paths: list[Path]) -> None:
        self.file = self.path_for(src)
        self.saved = {str(p): p.read_bytes().decode("utf-8") if p.is_file() else None for p in paths}
        self.file.write_text(json.dumps(self.saved, ensure_ascii=False), encoding="utf-8")

    @staticmethod
    def path_for(src: Path) -> Path:
        return src.with_name(src.name + ".undo.json")

    def undo(self) -> None:
        self.restore(self.saved)
        self.file.unlink()

    @staticmethod
    def restore(saved: dict[str, str | None]) -> None:
        for name, text in saved.items():
            path = Path(name)
            if text is None:
                path.unlink(missing_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(text.encode("utf-8"))

    @classmethod
    def recover(cls, src: Path) -> bool:
        file = cls.path_for(src)
        if not file.is_file():
            return False
        log(f"restoring {src} from {file.name} (an earlier run stopped between a change and its undo)")
        cls.restore(json.loads(file.read_text(encoding="utf-8")))
        file.unlink()
        return True


@dataclass
class Changes:
    """The single changes measured on a corpus; each method applies one and returns its journal."""

    src: Path
    edited: Path  # the middle catalogue file: a sentence appended to its body, or its title edited
    deleted: Path  # a simple entry no other file refers to
    added: Path  # the new file: a copy of another simple entry under a new 索引号, title and name
    added_text: str

    @classmethod
    def plan(cls, src: Path) -> Changes:
        entries = sorted((src / "catalogue").rglob("*.md"))
        others = sorted((src / "content").rglob("*.md"))
        referenced: set[str] = set()
        serials: dict[tuple[str, str], int] = {}
        simple: list[tuple[Path, re.Match[str], str]] = []
        for path in [*entries, *others]:
            parts = path.read_bytes().decode("utf-8").split("---\n", 2)
            front = parts[1] if len(parts) == 3 else ""
            own = INDEX_NO.search(front)
            found = REFERENCE.findall(front)
            if own:
                found.remove(own.group(0).split(": ", 1)[1])
                key = (own.group(1), own.group(2))
                serials[key] = max(serials.get(key, 0), int(own.group(3)))
                if path.parent.parent == src / "catalogue" and not any(word in front for word in NOT_SIMPLE):
                    simple.append((path, own, "---\n".join(parts)))
            referenced.update(found)
        unreferenced = [s for s in simple if s[1].group(0).split(": ", 1)[1] not in referenced]
        if len(unreferenced) < 2:
            raise SystemExit(f"{src}: no two simple entries that nothing refers to (to delete and to copy)")
        deleted = unreferenced[len(unreferenced) // 3][0]
        source, own, text = unreferenced[2 * len(unreferenced) // 3]
        prefix, year = own.group(1), own.group(2)
        serial = serials[(prefix, year)] + 1
        agency = source.stem.split("-", 1)[0]
        added = source.with_name(f"{agency}-{year}-{serial:05d}.md")
        if added.exists():
            raise SystemExit(f"{added} exists already")
        new_no = f"index_no: {prefix}/{year}-{serial:05d}"
        text = text.replace(own.group(0), new_no, 1)
        text = re.sub(r"^(title: )(\"?)(.*?)(\"?)$", r"\1\2\3（补充）\4", text, count=1, flags=re.M)
        return cls(src, entries[len(entries) // 2], deleted, added, f"{text}\n{BODY_EDIT}\n")

    def describe(self) -> dict[str, str]:
        return {
            "edited": self.edited.relative_to(self.src).as_posix(),
            "added": self.added.relative_to(self.src).as_posix(),
            "deleted": self.deleted.relative_to(self.src).as_posix(),
        }

    def edit_body(self) -> Journal:
        journal = Journal(self.src, [self.edited])
        with self.edited.open("a", encoding="utf-8") as fh:
            fh.write(f"\n{BODY_EDIT}\n")
        return journal

    def edit_title(self) -> Journal:
        journal = Journal(self.src, [self.edited])
        text = self.edited.read_bytes().decode("utf-8")
        text, n = re.subn(r"^(title: )(\"?)(.*?)(\"?)$", r"\1\2\3（修订）\4", text, count=1, flags=re.M)
        assert n == 1, f"no title in {self.edited}"
        self.edited.write_bytes(text.encode("utf-8"))
        return journal

    def add_entry(self) -> Journal:
        journal = Journal(self.src, [self.added])
        self.added.write_bytes(self.added_text.encode("utf-8"))
        return journal

    def delete_entry(self) -> Journal:
        journal = Journal(self.src, [self.deleted])
        self.deleted.unlink()
        return journal


# ------------------------------------------------------------------ one size
def gongkai(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def step(result: Size, name: str, label: str, cmd: list[str], args: argparse.Namespace) -> Run:
    """Measure ``cmd`` as the figure ``name`` of ``result``, with progress lines on stderr."""
    log(f"N={result.n}: {label} …")
    run = measure(cmd, timeout=args.timeout)
    setattr(result, name, run)
    extra = f" (background: {run.background_s:.1f} s, {run.background_cpu_s:.1f} s CPU)" if run.background_s else ""
    status = "" if run.ok else f"  FAILED: {run.note}"
    log(f"N={result.n}: {label}: {run.seconds:.1f} s wall, {run.cpu_seconds:.1f} s CPU{extra}, load {run.load}{status}")
    return run


def bench_size(n: int, args: argparse.Namespace) -> Size:
    started = time.monotonic()
    work: Path = args.work
    src = corpus(work, n, args.seed, args.realdata)
    result = Size(n)
    result.entries = len(list((src / "catalogue").rglob("*.md")))
    result.interpretations = len(list((src / "content" / "interpretations").rglob("*.md")))
    result.corpus_bytes = sum(p.stat().st_size for p in src.rglob("*.md"))
    targeted = n in TARGET_SIZES
    # a clean build: no site, no cache and no standby site (a previous run's, which the build would sync)
    for folder in ("site", ".gongkai-cache", ".site.standby"):
        shutil.rmtree(src / folder, ignore_errors=True)
    lean = is_lean(n, args)
    if not lean:
        step(result, "check", "gongkai check (no cache)", gongkai("check", str(src), "--build-date", BUILD_DATE), args)
        shutil.rmtree(src / ".gongkai-cache", ignore_errors=True)
    build = gongkai("build", str(src), "--build-date", BUILD_DATE, "--quiet")
    step(result, "build", "clean gongkai build", build, args)
    result.output = output_stats(src / "site", queries=False)  # the queries come after the rebuilds
    if result.build.ok:
        if not lean:
            step(result, "rebuild_nochange", "rebuild, no change", build, args)
        rebuilds(result, src, build, args, lean)
        if targeted or not lean:
            log(f"N={n}: search queries in headless Chromium …")
            try:
                query_figures(src / "site", result.output)
                reap_zombies()
                if not result.output.search_per_query:
                    result.search_note = "not measured (no /usr/bin/chromium or no Playwright)"
            except Exception as exc:  # a broken search harness must not cost the rest of the run
                result.search_note = f"not measured: {type(exc).__name__}: {exc}"
                log(f"N={n}: search: {result.search_note}")
        if n <= args.serve_max and (targeted or not lean):
            result.serve = serve_roundtrip(src, n, args)
    reference(result, src, args)
    result.seconds_total = round(time.monotonic() - started, 1)
    return result


def is_lean(n: int, args: argparse.Namespace) -> bool:
    """Only the steps the target table uses at this size (``--only-targets``, or N above ``--full-max``)."""
    return bool(args.only_targets or n > args.full_max)


def rebuilds(result: Size, src: Path, build: list[str], args: argparse.Namespace, lean: bool) -> None:
    """Each single change from the warm state, built, undone and built again.

    Lean (:func:`is_lean`): the new entry, then the body edit only; the new entry deleted again
    (an entry nothing refers to, built into the warm site) is then the deletion's figure, and
    the edit, the last change, is undone in the files without a build (the site keeps it:
    the search figures do not depend on one sentence, and the next run builds clean).
    """
    changes = Changes.plan(src)
    result.mutations = changes.describe()
    pairs = [
        ("rebuild_one_edit", "rebuild_undo_edit", "one entry's body edited", changes.edit_body),
        ("rebuild_title_edit", "rebuild_undo_title", "one entry's title edited", changes.edit_title),
        ("rebuild_add", "rebuild_undo_add", "one entry added", changes.add_entry),
        ("rebuild_delete", "rebuild_undo_delete", "one entry deleted", changes.delete_entry),
    ]
    if lean:  # the new entry (and its deletion) first; the edit last, undone without a build
        pairs = [pairs[2], pairs[0]]
    for k, (name, undo_name, label, change) in enumerate(pairs):
        journal = change()
        try:
            step(result, name, f"rebuild, {label}", build, args)
        finally:
            journal.undo()
        if lean and k == len(pairs) - 1:
            getattr(result, undo_name).note = "not run (lean: the last change is undone without a build)"
            continue
        step(result, undo_name, f"rebuild, {label} undone", build, args)


def serve_roundtrip(src: Path, n: int, args: argparse.Namespace) -> dict[str, Any]:
    """``bench/serve_roundtrip.py CORPUS --json`` (the engine helper's), when it is in the tree."""
    script: Path = args.serve_script
    if not script.is_file():
        log(f"N={n}: serve round trip not measured ({script.name} is not in this tree)")
        return {"note": f"not measured: {script.relative_to(REPO) if script.is_relative_to(REPO) else script} absent"}
    log(f"N={n}: serve round trip ({script.name}) …")
    with tempfile.TemporaryFile() as out:
        run = measure([sys.executable, str(script), str(src), "--json"], timeout=args.timeout, stdout=out)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    figures = last_json(text)
    if not run.ok or figures is None:
        note = run.note or "no JSON object on stdout"
        log(f"N={n}: serve round trip failed: {note}")
        return {"note": f"not measured: {note}", "run": asdict(run)}
    log(f"N={n}: serve round trip: {figures.get('edit_to_visible_s')} s from the save to the page shown")
    return {**figures, "run": asdict(run)}


def last_json(text: str) -> dict[str, Any] | None:
    """The JSON object a script printed: its whole output, or its last line that is one."""
    for candidate in [text, *reversed(text.strip().splitlines())]:
        with contextlib.suppress(ValueError):
            value = json.loads(candidate)
            if isinstance(value, dict):
                return value
    return None


def reference(result: Size, src: Path, args: argparse.Namespace) -> None:
    """Plain mkdocs-material on the entries of ``src``: without navigation, then with it."""
    n = result.n
    for nav, largest, skipped in (
        (False, args.reference_max, "not run"),
        (True, args.reference_nav_max, "not run (output grows with N²)"),
    ):
        name = "ref_nav" if nav else "ref_nonav"
        wanted = not is_lean(n, args) or (not nav and n in TARGET_SIZES)
        if not (args.reference and n <= largest and wanted):
            getattr(result, name).note = skipped
            continue
        log(f"N={n}: plain mkdocs-material, {'default navigation' if nav else 'no navigation'} …")
        ref = reference_docs(src, args.work / f"ref-{n}-{'nav' if nav else 'nonav'}", nav=nav)
        run = measure([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=ref, timeout=args.timeout)
        log(f"N={n}: plain mkdocs-material: {run.seconds:.1f} s wall, {run.cpu_seconds:.1f} s CPU")
        setattr(result, name, run)
        setattr(result, f"{name}_output", output_stats(ref / "site"))
        shutil.rmtree(ref, ignore_errors=True)


STARTED = time.monotonic()


def log(text: str) -> None:
    elapsed = int(time.monotonic() - STARTED)
    print(f"[{dt.datetime.now():%H:%M:%S} +{elapsed // 60}:{elapsed % 60:02d}] {text}", file=sys.stderr, flush=True)


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
    cpu = ""
    if run.cpu_seconds is not None:
        cpu = f" / {run.cpu_seconds:.1f} s CPU" if run.cpu_seconds < 100 else f" / {run.cpu_seconds:.0f} s CPU"
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
    if any(s.output.search_per_query or s.search_note for s in sizes):
        row(
            "search: gzip bytes per 2–4 word query (median / max)",
            [spread(list(s.output.search_per_query.values()), fmt_bytes) or s.search_note or "—" for s in sizes],
        )
        row(
            "search: first result shown (median / max)",
            [spread(list(s.output.search_first_ms.values()), lambda v: f"{v:.0f} ms") or "—" for s in sizes],
        )
    row("rebuild, no change", [fmt_s(s.rebuild_nochange) for s in sizes])
    row("rebuild, one entry's body edited", [fmt_s(s.rebuild_one_edit) for s in sizes])
    row("— the edit undone (a second sample)", [fmt_s(s.rebuild_undo_edit) for s in sizes])
    row("rebuild, one entry's title edited", [fmt_s(s.rebuild_title_edit) for s in sizes])
    row("— the title edit undone", [fmt_s(s.rebuild_undo_title) for s in sizes])
    row("rebuild, one new entry added", [fmt_s(s.rebuild_add) for s in sizes])
    row("— the new entry deleted again", [fmt_s(s.rebuild_undo_add) for s in sizes])
    row("rebuild, one entry deleted (nothing refers to it)", [fmt_s(s.rebuild_delete) for s in sizes])
    row("— the deleted entry back", [fmt_s(s.rebuild_undo_delete) for s in sizes])
    row("`gongkai serve`: save → edited page shown", [fmt_serve(s.serve) for s in sizes])
    if any("add_to_visible_s" in s.serve or "delete_to_gone_s" in s.serve for s in sizes):
        row(
            "— new entry's page served / deleted entry's page gone",
            [f"{fmt_serve(s.serve, 'add_to_visible_s')} / {fmt_serve(s.serve, 'delete_to_gone_s')}" for s in sizes],
        )
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
    row(
        "— the same in CPU time",
        [ratio(s.build.cpu_seconds, s.ref_nonav.cpu_seconds) for s in sizes],
    )
    row("gongkai build ÷ plain Material (default nav)", [ratio(s.build.seconds, s.ref_nav.seconds) for s in sizes])
    lines = targets_markdown(targets(sizes))
    lines += ["", "### Every figure", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    changed = {k: v for s in sizes for k, v in s.mutations.items()}
    if changed:
        lines += ["", "Changed files (largest N): " + ", ".join(f"{k} `{v}`" for k, v in changed.items())]
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


def fmt_serve(serve: dict[str, Any], key: str = "edit_to_visible_s") -> str:
    value = serve.get(key)
    if isinstance(value, int | float):
        return f"{value:.2f} s"
    if key in serve:  # null: the script gave up waiting
        return "not shown within the script's --timeout"
    return str(serve.get("note") or "not measured")


def spread(values: list[Any], show: Any) -> str:
    if not values:
        return ""
    return f"{show(statistics.median(values))} / {show(max(values))}"


# ------------------------------------------------------------------ targets (issue 18)
KIB = 1024
# (N, what, limit): time limits are wall seconds of the command, as the issue states them
TIME_TARGETS: list[tuple[int, str, str, float]] = [
    (10000, "rebuild_one_edit", "one entry edited: `gongkai build` ≤ 3 s", 3),
    (10000, "rebuild_add", "one new entry added: `gongkai build` ≤ 5 s", 5),
    (10000, "rebuild_delete", "one entry deleted: `gongkai build` ≤ 5 s", 5),
    (100000, "rebuild_one_edit", "one entry edited: `gongkai build` ≤ 10 s", 10),
    (10000, "build", "clean `gongkai build` ≤ 20 s", 20),
    (100000, "build", "clean `gongkai build` ≤ 3 min", 180),
]
SECOND_SAMPLE = {
    "rebuild_one_edit": "rebuild_undo_edit",
    "rebuild_add": "rebuild_undo_delete",
    "rebuild_delete": "rebuild_undo_add",
}


def targets(sizes: list[Size]) -> list[dict[str, Any]]:
    """Each target of issue 18 with the figure measured and whether it is met.

    ``met`` compares the wall time (the issue's targets are wall-clock) and ``met_by_cpu``
    the CPU time of the process tree, which a busy machine does not inflate.
    """
    by_n = {s.n: s for s in sizes}
    rows: list[dict[str, Any]] = []

    def add(n: int, label: str, limit: str, measured: str, met: bool | None, by_cpu: bool | None = None) -> None:
        rows.append({"n": n, "target": label, "limit": limit, "measured": measured, "met": met, "met_by_cpu": by_cpu})

    def absent(n: int, label: str, limit: str, why: str) -> None:
        add(n, label, limit, why, None)

    order = [
        ("time", TIME_TARGETS[0]),
        ("serve", None),
        ("time", TIME_TARGETS[1]),
        ("time", TIME_TARGETS[2]),
        ("time", TIME_TARGETS[3]),
        ("time", TIME_TARGETS[4]),
        ("time", TIME_TARGETS[5]),
        ("memory", None),
        ("search100k", None),
        ("search10k", None),
    ]
    for kind, spec in order:
        if kind == "time":
            assert spec is not None
            n, name, label, limit = spec
            size = by_n.get(n)
            if size is None:
                absent(n, label, f"{limit:g} s", f"not measured (N = {n:,} not in --sizes)")
                continue
            run: Run = getattr(size, name)
            fallback = name == "rebuild_delete" and run.seconds is None and size.rebuild_undo_add.seconds is not None
            if fallback:  # a lean run deletes only the entry it added (nothing refers to it either)
                run = size.rebuild_undo_add
            if run.seconds is None:
                absent(n, label, f"{limit:g} s", run.note or "not measured")
                continue
            text = fmt_s(run) + (" (the new entry deleted again)" if fallback else "")
            if not fallback and name in SECOND_SAMPLE and getattr(size, SECOND_SAMPLE[name]).seconds is not None:
                text += f" (second sample: {fmt_s(getattr(size, SECOND_SAMPLE[name]))})"
            if name == "build" and size.ref_nonav.seconds:
                text += (
                    f"; plain Material {fmt_s(size.ref_nonav)}: {ratio(run.seconds, size.ref_nonav.seconds)} its wall,"
                    f" {ratio(run.cpu_seconds, size.ref_nonav.cpu_seconds)} its CPU"
                )
            ok = run.ok
            add(n, label, f"{limit:g} s", text, ok and run.seconds <= limit, ok and (run.cpu_seconds or 0) <= limit)
        elif kind == "serve":
            label = "one entry edited: `gongkai serve` shows the page ≤ 2 s after the save"
            size = by_n.get(10000)
            if size is None:
                absent(10000, label, "2 s", "not measured (N = 10,000 not in --sizes)")
                continue
            value = size.serve.get("edit_to_visible_s")
            if isinstance(value, int | float):
                more = [
                    f"{name} {fmt_serve(size.serve, key)}"
                    for name, key in (("new entry", "add_to_visible_s"), ("deleted entry", "delete_to_gone_s"))
                    if key in size.serve
                ]
                if isinstance(size.serve.get("cpu_s"), int | float):
                    more.append(f"serve's CPU over the steps {size.serve['cpu_s']:.1f} s")
                add(10000, label, "2 s", f"{value:.2f} s" + (f" ({'; '.join(more)})" if more else ""), value <= 2)
            elif "edit_to_visible_s" in size.serve:
                add(10000, label, "2 s", fmt_serve(size.serve), False)
            else:
                absent(10000, label, "2 s", fmt_serve(size.serve))
        elif kind == "memory":
            label = "clean build: largest process ≤ 4 GB"
            size = by_n.get(100000)
            if size is None or size.build.max_rss_mb is None:
                absent(100000, label, "4 GB", "not measured" + ("" if size else " (N = 100,000 not in --sizes)"))
                continue
            rss = size.build.max_rss_mb
            add(100000, label, "4 GB", f"{fmt_mb(rss)} (PSS of the tree {fmt_mb(size.build.tree_pss_mb)})", rss <= 4096)
        else:
            big = kind == "search100k"
            n = 100000 if big else 10000
            size = by_n.get(n)
            kb_limit, ms_limit = (250.0, 300.0) if big else (141.2, 150.0)
            which = "max" if big else "median"
            labels = (
                f"search: gzip fetched per 2–4 word query ≤ {kb_limit:g} KB ({which} of the queries"
                + ("" if big else "; today's median 141.2 KB")
                + ")",
                f"search: first result shown ≤ {ms_limit:g} ms ({which}" + ("" if big else "; today ~120–150 ms") + ")",
            )
            for label, values, limit, unit in (
                (labels[0], size.output.search_per_query if size else {}, kb_limit * KIB, "KB"),
                (labels[1], size.output.search_first_ms if size else {}, ms_limit, "ms"),
            ):
                limit_text = f"{kb_limit:g} KB" if unit == "KB" else f"{ms_limit:g} ms"
                if size is None:
                    absent(n, label, limit_text, f"not measured (N = {n:,} not in --sizes)")
                    continue
                if not values:
                    absent(n, label, limit_text, size.search_note or "not measured")
                    continue
                figures = list(values.values())
                value = max(figures) if big else statistics.median(figures)
                show = fmt_bytes if unit == "KB" else (lambda v: f"{v:.0f} ms")
                add(n, label, limit_text, f"median {spread(figures, show).replace(' / ', ', max ')}", value <= limit)
    return rows


def targets_markdown(rows: list[dict[str, Any]]) -> list[str]:
    def word(value: bool | None) -> str:
        return {True: "yes", False: "**no**", None: "not measured"}[value]

    lines = [
        "### Targets (issue 18)",
        "",
        "Times are wall / CPU seconds of the whole process tree; *met* compares the wall time, "
        "*by CPU* the CPU time (a shared machine inflates wall time, not CPU time).",
        "",
        "| N | target | measured | met? | by CPU |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        cpu = "" if r["met_by_cpu"] is None else ("yes" if r["met_by_cpu"] else "no")
        lines.append(f"| {r['n']:,} | {r['target']} | {r['measured']} | {word(r['met'])} | {cpu} |")
    return lines


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
    data = {"machine": info, "targets": targets(sizes), "sizes": [asdict(s) for s in sizes]}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
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
    info["bytecode"] = precompile()
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
    parser.add_argument("--only-targets", action="store_true", help="only what the target table needs")
    parser.add_argument(
        "--full-max", type=int, default=10000, help="largest N measured in full (above: as --only-targets)"
    )
    parser.add_argument("--no-reference", dest="reference", action="store_false", help="skip plain mkdocs-material")
    parser.add_argument("--reference-max", type=int, default=100000, help="largest N for the no-nav reference")
    parser.add_argument("--reference-nav-max", type=int, default=1000, help="largest N for the default-nav reference")
    parser.add_argument("--serve-max", type=int, default=10000, help="largest N for the serve round trip")
    parser.add_argument("--serve-script", type=Path, default=SERVE_SCRIPT, help=argparse.SUPPRESS)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds allowed for one command")
    parser.add_argument("--realdata", action="store_true", help="bodies from ../shared/realdata sentences")
    parser.add_argument("--report", type=Path, nargs="+", help="only print the table of earlier results.json files")
    parser.add_argument("--search-only", type=Path, help="add per-query search figures to this results.json")
    parser.add_argument(
        "--reference-only", type=Path, help="add plain mkdocs-material for --sizes to this results.json"
    )
    parser.add_argument("--engines-only", action="store_true", help="clean gongkai build per engine (--sizes)")
    args = parser.parse_args(argv)
    become_subreaper()
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
    info["bytecode"] = precompile()
    info["code"] = code_version()
    info["command"] = " ".join(["python bench/run.py", *(argv if argv is not None else sys.argv[1:])])
    info["started"] = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    sizes = []
    numbers = sorted(int(x) for x in args.sizes.split(","))
    log(f"sizes {', '.join(f'{n:,}' for n in numbers)}; work folder {args.work}; results into {args.out}")
    for n in numbers:
        sizes.append(bench_size(n, args))
        info["finished"] = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
        info["run_minutes"] = round((time.monotonic() - STARTED) / 60, 1)
        write_results(args.out, info, sizes)
    log(f"done: {args.out / 'results.md'}")
    print(markdown(sizes, info))
    return 0


def precompile() -> str:
    """Compile gongkai's modules to bytecode once, before anything is measured, as installing
    its wheel does (pip compiles at install time): with PYTHONDONTWRITEBYTECODE set (this
    workplace's machines set it) an editable checkout is otherwise compiled again by every
    ``gongkai`` process, ~0.15-0.25 CPU-s of each command measured. The bytecode goes to
    ``__pycache__/`` beside the sources (ignored by git) and is used while they are unchanged."""
    import compileall

    ok = compileall.compile_dir(REPO / "generator", quiet=1, workers=1)
    flag = "PYTHONDONTWRITEBYTECODE set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "bytecode written on import"
    return f"generator/ compiled before the run ({flag}){'' if ok else '; some modules failed to compile'}"


def write_results(out: Path, info: dict[str, Any], sizes: list[Size]) -> None:
    data = {"machine": info, "targets": targets(sizes), "sizes": [asdict(s) for s in sizes]}
    (out / "results.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "results.md").write_text(markdown(sizes, info), encoding="utf-8")


def code_version() -> str:
    """The commit measured, with ``+changes`` when the work tree differs from it."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


if __name__ == "__main__":
    sys.exit(main())
