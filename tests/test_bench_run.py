"""bench/run.py's single changes: each keeps the corpus clean and its undo restores every byte."""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from bench.make_corpus import generate
from bench.run import Changes, Journal, Output, Run, Size, last_json, measure, serve_roundtrip, targets
from generator.project import load_project

LATER = dt.date(2026, 1, 15)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "corpus-30-7"
    generate(30, out, seed=7)
    return out


@pytest.mark.parametrize("change", ["edit_body", "edit_title", "add_entry", "delete_entry"])
def test_each_change_is_one_clean_change_and_undone_exactly(corpus: Path, change: str) -> None:
    before = tree(corpus)
    project = load_project(corpus, LATER)
    assert project.diagnostics == []
    entries = {e.source: e for e in project.catalogue.entries.values()}
    changes = Changes.plan(corpus)
    journal = getattr(changes, change)()
    assert Journal.path_for(corpus).is_file()
    after = tree(corpus)
    assert len(set(after.items()) ^ set(before.items())) in (1, 2)  # one file changed, added or deleted
    project = load_project(corpus, LATER)
    assert [d.format() for d in project.diagnostics] == []  # no error, no warning
    now = {e.source: e for e in project.catalogue.entries.values()}
    if change == "add_entry":
        (new,) = set(now) - set(entries)
        assert now[new].index_no not in {e.index_no for e in entries.values()}
        assert now[new].title not in {e.title for e in entries.values()}
    elif change == "delete_entry":
        assert len(set(entries) - set(now)) == 1 and set(now) < set(entries)
    else:
        edited = changes.edited.relative_to(corpus).as_posix()
        field = "body" if change == "edit_body" else "title"
        assert getattr(now[edited], field) != getattr(entries[edited], field)
        assert set(now) == set(entries)
    journal.undo()
    assert tree(corpus) == before
    assert not Journal.path_for(corpus).exists()


def test_the_deleted_entry_is_one_nothing_refers_to(corpus: Path) -> None:
    changes = Changes.plan(corpus)
    index_no = changes.deleted.read_text(encoding="utf-8").split("index_no: ", 1)[1].split("\n", 1)[0]
    others = [p for p in corpus.rglob("*.md") if p != changes.deleted]
    assert not any(index_no in p.read_text(encoding="utf-8") for p in others)
    assert changes.added != changes.deleted and not changes.added.exists()


def test_an_interrupted_change_is_restored_on_the_next_run(corpus: Path) -> None:
    before = tree(corpus)
    changes = Changes.plan(corpus)
    changes.add_entry()  # the run stops here: no undo
    changes.delete_entry()
    assert tree(corpus) != before
    assert Journal.recover(corpus)
    assert not Journal.recover(corpus)
    # the second journal replaced the first: the new file stays, the deleted file is back
    changes.added.unlink()
    assert tree(corpus) == before


def test_measure_counts_what_a_command_leaves_running(tmp_path: Path) -> None:
    from bench.run import become_subreaper

    if not become_subreaper():
        pytest.skip("no PR_SET_CHILD_SUBREAPER here")
    script = (
        "import subprocess, sys\n"
        "subprocess.Popen([sys.executable, '-c', 'import time; t = time.process_time()\\n"
        "while time.process_time() - t < 0.5: pass'], start_new_session=True)\n"
    )
    try:
        run = measure([sys.executable, "-c", script])
    finally:
        # this test process (a pytest worker) must not go on adopting orphans that it never
        # reaps: a later test that waits for an orphan to die would see it as a zombie
        ctypes.CDLL(None, use_errno=True).prctl(36, 0, 0, 0, 0)
    assert run.ok and run.background_s is not None
    assert run.cpu_seconds is not None and run.cpu_seconds >= 0.5
    assert run.background_cpu_s is not None and run.background_cpu_s >= 0.45


def test_serve_round_trip_is_read_from_the_script_or_not_measured(tmp_path: Path) -> None:
    import argparse

    args = argparse.Namespace(serve_script=tmp_path / "absent.py", timeout=60)
    assert serve_roundtrip(tmp_path, 10, args)["note"].startswith("not measured")
    script = tmp_path / "serve_roundtrip.py"
    script.write_text(
        "import json, sys\nprint('building…')\nprint(json.dumps({'edit_to_visible_s': 1.25, 'corpus': sys.argv[1]}))\n",
        encoding="utf-8",
    )
    args.serve_script = script
    figures = serve_roundtrip(tmp_path, 10, args)
    assert figures["edit_to_visible_s"] == 1.25 and figures["corpus"] == str(tmp_path) and figures["run"]["ok"]
    assert last_json('{"a": 1}\n') == {"a": 1} and last_json("no json") is None


def test_targets_compare_wall_time_and_report_cpu() -> None:
    size = Size(10000)
    size.rebuild_one_edit = Run(seconds=4.0, cpu_seconds=2.5)
    size.rebuild_add = Run(seconds=4.0, cpu_seconds=4.0)
    size.build = Run(seconds=25.0, cpu_seconds=40.0, max_rss_mb=900)
    size.serve = {"edit_to_visible_s": 1.5}
    size.output = Output(search_per_query={"a": 140 * 1024, "b": 150 * 1024, "c": 100 * 1024})
    rows = {(r["n"], r["target"].split(":")[0], r["limit"]): r for r in targets([size])}
    edit = rows[(10000, "one entry edited", "3 s")]
    assert edit["met"] is False and edit["met_by_cpu"] is True
    assert rows[(10000, "one new entry added", "5 s")]["met"] is True
    assert rows[(10000, "one entry deleted", "5 s")]["met"] is None  # not measured
    assert rows[(10000, "clean `gongkai build` ≤ 20 s", "20 s")]["met"] is False
    assert rows[(10000, "one entry edited", "2 s")]["met"] is True  # serve
    search = next(r for r in rows.values() if r["n"] == 10000 and "gzip" in r["target"])
    assert search["met"] is True  # median 140 KB ≤ 141.2 KB although one query fetched 150 KB
    assert all(r["met"] is None for r in rows.values() if r["n"] == 100000)
    json.dumps(targets([size]))


def test_a_lean_run_takes_the_new_entry_deleted_again_as_the_deletion() -> None:
    size = Size(10000)
    size.rebuild_undo_add = Run(seconds=4.5, cpu_seconds=3.0)
    (row,) = [r for r in targets([size]) if r["target"].startswith("one entry deleted")]
    assert row["met"] is True and "deleted again" in row["measured"]
    size.rebuild_delete = Run(seconds=6.0, cpu_seconds=3.0)
    (row,) = [r for r in targets([size]) if r["target"].startswith("one entry deleted")]
    assert row["met"] is False and row["met_by_cpu"] is True and "second sample: 4.5 s" in row["measured"]


@pytest.mark.parametrize("lean", [False, True])
def test_rebuild_steps_each_see_one_change_and_leave_the_corpus_as_it_was(
    corpus: Path, tmp_path: Path, lean: bool
) -> None:
    """With a stand-in for ``gongkai build`` that records the sources it sees."""
    import argparse

    from bench.run import rebuilds

    before = tree(corpus)
    seen = tmp_path / "seen.jsonl"
    record = (
        "import json, pathlib, sys\n"
        f"root = pathlib.Path({str(corpus)!r})\n"
        "files = {p.relative_to(root).as_posix(): p.read_bytes().hex() for p in sorted(root.rglob('*.md'))}\n"
        f"open({str(seen)!r}, 'a').write(json.dumps(files) + '\\n')\n"
    )
    size = Size(30)
    rebuilds(size, corpus, [sys.executable, "-c", record], argparse.Namespace(timeout=60), lean)
    states = [json.loads(line) for line in seen.read_text().splitlines()]
    original = {k: v.hex() for k, v in before.items() if k.endswith(".md")}
    assert len(states) == (3 if lean else 8)
    for k, state in enumerate(states):
        changed = set(state.items()) ^ set(original.items())
        # a change build differs from the original by one file; an undo build not at all
        assert len({name for name, _ in changed}) == (1 if k % 2 == 0 else 0), k
    measured = [name for name, value in vars(size).items() if isinstance(value, Run) and value.seconds is not None]
    if lean:
        assert measured == ["rebuild_one_edit", "rebuild_add", "rebuild_undo_add"]
        assert size.rebuild_undo_edit.note.startswith("not run")
    else:
        assert len(measured) == 8
    assert tree(corpus) == before
