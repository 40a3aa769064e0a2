"""Incremental rebuilds on an existing corpus (issue 18): one edit, a new entry, a deleted entry.

    python bench/make_corpus.py 10000 /tmp/c10k --seed 1
    python bench/rebuild.py /tmp/c10k

Builds once to warm the caches (not reported unless ``--show-warm``), then measures
``gongkai build`` after each change, and ``gongkai check`` after an edit, each with
wall and CPU seconds (children included) and the load average before and after. The
corpus is left as it was: the added entry is the one deleted afterwards, and the
edits are undone (the undo builds are not reported). ``bench/run.py`` measures the same
changes (and deletes an entry that existed before) as part of the full run.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.run import Run, become_subreaper, gongkai, measure


def middle(src: Path) -> Path:
    files = sorted((src / "catalogue").rglob("*.md"))
    return files[len(files) // 2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    parser.add_argument("--show-warm", action="store_true")
    args = parser.parse_args(argv)
    become_subreaper()  # count the background deletion of the previous site, and wait for it
    src: Path = args.corpus.resolve()
    build = gongkai("build", str(src), "-q")
    check = gongkai("check", str(src))
    results: dict[str, Run] = {}

    def step(name: str, cmd: list[str]) -> None:
        run = measure(cmd)
        results[name] = run
        print(
            f"{name:28} {run.seconds or 0:7.2f} s wall {run.cpu_seconds or 0:7.2f} s CPU  load {run.load}  ok={run.ok} {run.note}",
            flush=True,
        )

    warm = measure(build)
    if args.show_warm:
        results["warm-up build"] = warm
    step("rebuild, no change", build)

    target = middle(src)
    original = target.read_text(encoding="utf-8")
    target.write_text(original + f"\n（基准测试修改于第 {int(time.time())} 秒。）\n", encoding="utf-8")
    step("check, one body edited", check)
    step("rebuild, one body edited", build)
    title = next(line for line in original.splitlines() if line.startswith("title: "))
    target.write_text(original.replace(title, title.rstrip('"') + "（修订）" + '"' * title.endswith('"'), 1))
    step("rebuild, one title edited", build)
    target.write_text(original, encoding="utf-8")
    measure(build)  # undo, not reported

    number = re.search(r"^index_no: (\S+)-(\d{5})$", original, re.M)
    assert number, "no index_no in the middle entry"
    new_no = f"{number.group(1)}-99999"
    added = target.with_name(f"bench-added-{int(time.time())}.md")
    added.write_text(
        original.replace(number.group(0), f"index_no: {new_no}", 1).replace(title, title + "（新增）", 1),
        encoding="utf-8",
    )
    try:
        step("rebuild, one entry added", build)
    finally:
        added.unlink()
    step("rebuild, one entry deleted", build)

    if args.json:
        args.json.write_text(json.dumps({k: vars(v) for k, v in results.items()}, indent=1), encoding="utf-8")
    return 0 if all(r.ok for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
