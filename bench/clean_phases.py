"""A clean build, phase by phase: wall, CPU and peak RSS (this process, its largest child,
the whole tree) per phase.

    PYTHONPATH=CODE python bench/clean_phases.py CORPUS

Removes CORPUS/site, .site.standby and .gongkai-cache first, then checks and builds in this
process with timers around each phase. Memory is sampled every 0.25 s by a separate process
(a sampling *thread* would stop the build from forking its workers: see parallel.can_fork).
Used to compare two versions' clean 100k builds side by side (run both under the same load:
CPU seconds compare, wall times do not).
"""

from __future__ import annotations

import os
import resource
import shutil
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("SOURCE_DATE_EPOCH", "1768435200")
from generator.project import load_project
from generator.site import build as B
from generator.site import incremental

marks: dict[str, list[float]] = {}
stack: list[str] = ["(startup)"]
peaks: dict[str, list[int]] = {}


SAMPLER = r"""
import json, os, signal, sys, time
parent, phase_file, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
me = os.getpid()
peaks = {}
def rss(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
def tree(root):
    kids = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    kids.setdefault(int(f.read().rsplit(")", 1)[1].split()[1]), []).append(int(p))
            except (OSError, ValueError, IndexError):
                pass
    todo, found = list(kids.get(root, [])), []
    while todo:
        p = todo.pop()
        if p != me:
            found.append(p)
            todo.extend(kids.get(p, []))
    return found
stop = False
def done(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, done)
while not stop:
    try:
        name = open(phase_file).read() or "?"
    except OSError:
        name = "?"
    own = rss(parent)
    kids = [rss(c) for c in tree(parent)]
    p = peaks.setdefault(name, [0, 0, 0])
    p[0] = max(p[0], own); p[1] = max(p[1], max(kids, default=0)); p[2] = max(p[2], own + sum(kids))
    time.sleep(0.25)
json.dump(peaks, open(out, "w"))
"""


def cpu() -> float:
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


PHASE = f"/tmp/phase-{os.getpid()}"


def _phase(name):
    with open(PHASE + ".tmp", "w") as f:
        f.write(name)
    os.replace(PHASE + ".tmp", PHASE)


def timed(name, fn):
    def run(*args, **kwargs):
        stack.append(name)
        _phase(name)
        w, c = time.monotonic(), cpu()
        try:
            return fn(*args, **kwargs)
        finally:
            stack.pop()
            _phase(stack[-1])
            m = marks.setdefault(name, [0.0, 0.0])
            m[0] += time.monotonic() - w
            m[1] += cpu() - c

    return run


def main() -> int:
    root = Path(sys.argv[1]).resolve()
    for name in ("site", ".site.standby", ".gongkai-cache"):
        shutil.rmtree(root / name, ignore_errors=True)
    import json
    import signal
    import subprocess

    _phase("(startup)")
    sampler = subprocess.Popen([sys.executable, "-c", SAMPLER, str(os.getpid()), PHASE, PHASE + ".json"])
    for i, writer in enumerate(B.OUTPUT_WRITERS):
        if writer is not B.write_exports:
            B.OUTPUT_WRITERS[i] = timed(writer.__name__, writer)
            if writer is B.write_search:
                B.write_search = B.OUTPUT_WRITERS[i]
    cw = incremental.cached_writer
    incremental.cached_writer = lambda *a: timed("write_exports (cached)", cw(*a))
    for attr in ("_render_bulk", "_place_stored", "engine_config", "_no_duplicates"):
        if hasattr(B, attr):
            setattr(B, attr, timed(attr, getattr(B, attr)))
    B.PageBuilder.jobs = timed("PageBuilder.jobs", B.PageBuilder.jobs)
    incremental.input_keys = timed("input_keys", incremental.input_keys)
    B.Engine.__init__ = timed("Engine.__init__", B.Engine.__init__)
    B.Engine.finish = timed("Engine.finish", B.Engine.finish)
    B.Engine.templates = timed("Engine.templates", B.Engine.templates)
    # made beside the pages (forked): the parent's wait for them, not their CPU (their process's
    # CPU counts when it is reaped, within the phase that collects it)
    if hasattr(B, "_Search"):
        B._Search.finish = timed("search collected", B._Search.finish)
    if hasattr(B, "_Exports"):
        B._Exports.finish = timed("exports collected", B._Exports.finish)
    B.BuildCache.prune = timed("cache prune", B.BuildCache.prune)
    B.BuildCache.record = timed("cache record", B.BuildCache.record)
    B.BuildCache.save_stamps = timed("cache save_stamps", B.BuildCache.save_stamps)
    if hasattr(B, "swap"):
        B.swap = timed("swap", B.swap)
    if hasattr(B, "mark_site"):
        B.mark_site = timed("mark_site", B.mark_site)
    print("load average", os.getloadavg(), flush=True)
    w, c = time.monotonic(), cpu()
    project = timed("check (load_project)", load_project)(root, cache=True)
    project.sources.clear()
    stats = timed("build_site total", B.build_site)(project, root / "site")
    marks["whole"] = [time.monotonic() - w, cpu() - c]
    time.sleep(0.3)
    sampler.send_signal(signal.SIGTERM)
    sampler.wait()
    peaks.update(json.loads(Path(PHASE + ".json").read_text()))
    for name, (wall, used) in marks.items():
        p = peaks.get(name, [0, 0, 0])
        print(
            f"{name:26} {wall:8.2f} s wall {used:8.2f} s CPU  peak own {p[0] / 2**30:5.2f} GB child {p[1] / 2**30:5.2f} GB tree {p[2] / 2**30:5.2f} GB"
        )
    for name, p in peaks.items():
        if name not in marks:
            print(f"{name:26} peak own {p[0] / 2**30:5.2f} GB child {p[1] / 2**30:5.2f} GB")
    print(
        "maxrss self",
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
        "GB; children",
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20,
        "GB",
    )
    print(f"pages {stats.pages}; load average {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
