"""Where one incremental rebuild goes: phase by phase, wall and CPU (children included).

    python bench/rebuild_phases.py /tmp/c10k [FILE_NUMBER [body|title|add|delete]]

Appends a sentence to one entry's body (the FILE_NUMBER-th catalogue file, default 4000;
use a new number each run, the edit is not undone) — or prefixes its title, adds a copy
of it under a new 索引号, or deletes it — then runs the check and the build in
this process with timers around each phase. Run ``gongkai build`` on the corpus once first
so that the caches are warm; with SOURCE_DATE_EPOCH unset it is set as bench/run.py sets it.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("SOURCE_DATE_EPOCH", "1768435200")

from generator.project import load_project
from generator.site import build as B
from generator.site import incremental

marks: dict[str, tuple[float, float]] = {}


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        wall, used = time.monotonic(), cpu()
        try:
            return fn(*args, **kwargs)
        finally:
            w, c = marks.get(name, (0.0, 0.0))
            marks[name] = (w + time.monotonic() - wall, c + cpu() - used)

    return run


def main() -> int:
    root = Path(sys.argv[1]).resolve()
    number = int(sys.argv[2]) if len(sys.argv) > 2 else 4000
    edit = sys.argv[3] if len(sys.argv) > 3 else "body"
    for i, writer in enumerate(B.OUTPUT_WRITERS):
        if writer is not B.write_exports:  # identity decides whether it goes through the cache
            B.OUTPUT_WRITERS[i] = timed(writer.__name__, writer)
            if writer is B.write_search:  # identity also decides whether the index is updated from its state:
                B.write_search = B.OUTPUT_WRITERS[i]  # the wrapper must be what write_outputs compares with
    cached_writer = incremental.cached_writer
    incremental.cached_writer = lambda *a: timed("write_exports (cached)", cached_writer(*a))
    B._render_bulk = timed("pages (bulk)", B._render_bulk)
    # the search index updated in a forked process beside the pages: its CPU is counted when
    # it is collected (the wait, wall, is what the build paid for it)
    B._Search.finish = timed("search (collected)", B._Search.finish)  # type: ignore[method-assign]
    B.BuildCache.prune = timed("cache prune", B.BuildCache.prune)  # type: ignore[method-assign]
    target = sorted((root / "catalogue").rglob("*.md"))[number]
    text, stamp = target.read_text(encoding="utf-8"), int(time.time())
    added = target.parent / f"bench-{stamp}.md"
    if edit == "body":
        target.write_text(text + f"\n（阶段计时修改 {stamp}）\n", encoding="utf-8")
    elif edit == "title":
        target.write_text(text.replace("\ntitle: ", f"\ntitle: 修订{stamp}", 1), encoding="utf-8")
    elif edit == "add":  # a copy of the entry under a new 索引号 (its last part made unique)
        head, _, tail = text.partition("\nindex_no: ")
        index_no, _, rest = tail.partition("\n")
        new_no = f"{index_no.rsplit('-', 1)[0]}-9{stamp % 10000:04d}"
        rest = "\n".join(line for line in rest.split("\n") if not line.startswith("doc_number:"))  # 文号 are unique
        added.write_text(f"{head}\nindex_no: {new_no}\n{rest}", encoding="utf-8")
    elif edit == "delete":
        target.unlink()
    else:
        raise SystemExit(f"unknown edit {edit!r}: body, title, add or delete")
    print("load average", os.getloadavg())
    wall, used = time.monotonic(), cpu()
    project = load_project(root, cache=True, lazy=True)  # as gongkai build loads it
    marks["check (load_project)"] = (time.monotonic() - wall, cpu() - used)
    if errors := project.errors:
        # e.g. an added 规范性文件 without 文号 (E105), a deleted entry that others cite (E501):
        # the edit is undone so that the corpus stays buildable; pick another FILE_NUMBER
        added.unlink(missing_ok=True)
        target.write_text(text, encoding="utf-8")
        first = errors[0]
        print(f"the {edit} of file {number} makes the corpus invalid ({first.code} at {first.path}); "
              "undone: pick another FILE_NUMBER", file=sys.stderr)  # fmt: skip
        return 2
    project.sources.clear()  # as `gongkai build` does
    stats = timed("build_site total", B.build_site)(project, root / "site")
    marks["whole"] = (time.monotonic() - wall, cpu() - used)
    for name, (w, c) in marks.items():
        print(f"{name:26} {w:7.2f} s wall {c:7.2f} s CPU")
    print(f"reused {stats.reused} of {stats.pages} pages; load average {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
