"""What an incremental index build does not redo, and that skipping it changes no byte.

Each shortcut of generator/search/incremental.py and index.py is checked twice: the files
equal a clean build's in the cases around it (an edit that changes only what results
show, an interpretation whose policy's title changed, words new to the index or gone
from it, edits in a row, a damaged state), and a count shows the shortcut is taken
(so that it cannot silently stop working).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import pickle
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from generator.model.catalogue import Catalogue
from generator.search import incremental
from generator.search import index as search_index
from generator.search.incremental import STATE_FILE
from generator.search.postings import term_rows
from tests import test_search_incremental
from tests.test_search_incremental import (
    added,
    body,
    build,
    differing,
    edited,
    rebuilt,
    replace_in_body,
)

catalogue = test_search_incremental.catalogue  # the fixture: 40 entries, 3 interpretations


def stamps(state: Path) -> dict[str, tuple[int, int]]:
    """Every file of the state: its inode and modification time (a file written again differs)."""
    return {f.name: (f.stat().st_ino, f.stat().st_mtime_ns) for f in sorted(state.iterdir())}


def counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """Calls of ``module.name`` from now on (one element per call)."""
    calls: list[int] = []
    fn = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return fn(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def same_as_clean(cat: Catalogue, out: Path, tmp_path: Path, tag: str) -> None:
    build(cat, tmp_path / f"clean-{tag}")
    assert differing(out, tmp_path / f"clean-{tag}") == [], tag


def test_an_unchanged_catalogue_rewrites_neither_state_nor_files(
    catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing changed: the state is not saved again (its ~64 MB of rows at 10k documents),
    and every file, facets, lengths and manifest included, is the previous build's."""
    state, before, after = tmp_path / "state", tmp_path / "before", tmp_path / "after"
    build(catalogue, before, state)
    was = stamps(state)
    saved = counting(monkeypatch, search_index, "save_state")
    spliced = counting(monkeypatch, incremental, "_spliced")
    stats = build(catalogue, after, state, previous=before)
    assert saved == [] and spliced == []
    assert stamps(state) == was
    every = sorted(str(f.relative_to(before)) for f in before.rglob("*") if f.is_file())
    assert stats.reused == len(every)
    for rel in ("facets.json", "lengths.json", "manifest.json"):
        assert (after / rel).stat().st_ino == (before / rel).stat().st_ino, rel
    assert differing(before, after) == []
    # the state left as it was serves the next build, which is then saved
    cat = edited(catalogue, {13: replace_in_body("的", "和")})
    build(cat, again := tmp_path / "again", state, previous=after)
    assert len(saved) == 1
    same_as_clean(cat, again, tmp_path, "after an unchanged build")


DISPLAY_ONLY: dict[str, Callable[[Catalogue], Catalogue]] = {
    "a date": lambda c: edited(c, {7: lambda e: dataclasses.replace(e, published_date=dt.date(2020, 2, 2))}),
    "a validity": lambda c: edited(c, {8: lambda e: dataclasses.replace(e, validity="已废止")}),
}


@pytest.mark.parametrize("name", DISPLAY_ONLY)
def test_an_edit_of_what_results_show_keeps_the_rows(
    catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """No document's terms changed: the postings are not copied and their row files are kept
    (the new state names the same ones), yet the docs/ file shows the change; the next
    build, a body edit, starts from those rows and equals a clean build."""
    state, before, after = tmp_path / "state", tmp_path / "before", tmp_path / "after"
    build(catalogue, before, state)
    rows = {f.name: f.stat().st_ino for f in state.glob("*.bin")}
    spliced = counting(monkeypatch, incremental, "_spliced")
    cat = DISPLAY_ONLY[name](catalogue)
    assert build(cat, after, state, previous=before).reused > 0
    assert spliced == []
    assert {f.name: f.stat().st_ino for f in state.glob("*.bin")} == rows
    assert any(rel.startswith("docs/") for rel in differing(before, after))
    same_as_clean(cat, after, tmp_path, name)
    then = edited(cat, {21: lambda e: dataclasses.replace(e, body=e.body + "另行补充的条款。")})
    build(then, again := tmp_path / "again", state, previous=after)
    assert len(spliced) == 3  # one copy per row column (term, key, term frequency)
    assert {f.name for f in state.glob("*.bin")}.isdisjoint(rows)  # new rows, the old ones removed
    same_as_clean(then, again, tmp_path, "then a body")


def test_an_edit_copies_each_row_column_once_and_counts_no_rows(
    catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A body edit drops and inserts rows in one copy per column, and takes every term's number
    of postings from the state (updated by the edit), not from a count over every row."""
    state, before, after = tmp_path / "state", tmp_path / "before", tmp_path / "after"
    build(catalogue, before, state)
    rows = (state / next(state.glob("key-*.bin")).name).stat().st_size // 4
    spliced = counting(monkeypatch, incremental, "_spliced")
    counted = counting(monkeypatch, search_index, "_sizes")
    bincount, counts = np.bincount, []

    def measured(values: Any, *args: Any, **kwargs: Any) -> Any:
        counts.append(len(values))
        return bincount(values, *args, **kwargs)

    monkeypatch.setattr(np, "bincount", measured)
    cat = edited(catalogue, {17: body("独有词汇罕见的表述。新词出现")})  # words gone and new
    build(cat, after, state, previous=before)
    assert len(spliced) == 3 and counted == []
    assert counts and max(counts) < rows  # the edited document's rows, the rewritten shards' rows: never all
    monkeypatch.undo()
    same_as_clean(cat, after, tmp_path, "edit")


def kept_sizes(state: Path) -> tuple[np.ndarray, np.ndarray]:
    """The per-term counts the state keeps, and those counted from its rows."""
    with (state / STATE_FILE).open("rb") as f:
        params = pickle.load(f)[1].params
    kept = incremental.load_state(state, params)
    assert kept is not None and kept.sizes is not None
    term = np.frombuffer(kept.postings.term, dtype=np.uint32)
    return kept.sizes, np.bincount(term, minlength=len(kept.postings.ids))


def test_the_kept_term_counts_follow_edits_additions_and_removals(catalogue: Catalogue, tmp_path: Path) -> None:
    """The state's per-term counts (updated by each build, never recounted) equal a count of its
    rows after edits with new and vanished words, an interpretation's policy retitled, an
    addition, a removal, and builds with nothing changed, in a row; every build equals a
    clean one."""
    rng = random.Random(11)
    state, previous = tmp_path / "state", tmp_path / "0"
    build(catalogue, previous, state)
    steps: list[Callable[[Catalogue], Catalogue]] = [
        lambda c: edited(c, {3: body("独有词汇罕见的表述。")}),  # words only this document had
        lambda c: edited(c, {0: lambda e: dataclasses.replace(e, title="修订后的政策标题")}),  # interpreted policy
        lambda c: c,  # nothing
        lambda c: added(c, 20, 903),
        lambda c: edited(c, {5: body("全新的独特用语" * 3)}),
        lambda c: rebuilt(c, [e for n, e in enumerate(c.entries.values()) if n != 9]),
        lambda c: edited(c, {rng.randrange(30): body("")}),
        lambda c: c,
    ]
    cat = catalogue
    for n, step in enumerate(steps, 1):
        cat = step(cat)
        out = tmp_path / str(n)
        assert build(cat, out, state, previous=previous).reused > 0, n
        same_as_clean(cat, out, tmp_path, str(n))
        kept, counted = kept_sizes(state)
        assert kept.tolist() == counted.tolist(), n
        previous = out


def test_a_state_whose_rows_are_missing_or_of_another_version_is_not_used(
    catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unchanged build keeps the state's row files; if they are gone (or the state is of
    another version) the next build starts from scratch, and still equals a clean build."""
    state, before = tmp_path / "state", tmp_path / "before"
    build(catalogue, before, state)
    build(catalogue, same := tmp_path / "same", state, previous=before)  # nothing changed: state kept
    for row in state.glob("*.bin"):
        row.unlink()
    cat = edited(catalogue, {2: replace_in_body("的", "和")})
    after = tmp_path / "after"
    assert build(cat, after, state, previous=same).reused == 0
    same_as_clean(cat, after, tmp_path, "rows gone")
    assert len(list(state.glob("*.bin"))) == 2  # that build saved a state again
    monkeypatch.setattr(incremental, "STATE_VERSION", incremental.STATE_VERSION + 1)
    assert build(cat, tmp_path / "other", state, previous=after).reused == 0


def test_term_rows_are_the_rows_a_scan_finds() -> None:
    """term_rows (bisection in a column sorted by term) selects what a pass over every row does."""
    rng = np.random.default_rng(3)
    for _ in range(200):
        term = np.sort(rng.integers(0, rng.integers(1, 60), size=rng.integers(0, 400))).astype(np.uint32)
        count = int(term.max()) + 2 if len(term) else 2
        wanted = rng.integers(0, count, size=rng.integers(0, 12)).astype(np.uint32)
        mask = np.zeros(count, dtype=bool)
        mask[wanted] = True
        assert term_rows(term, wanted).tolist() == np.flatnonzero(mask[term]).tolist()


def test_an_unchanged_build_on_another_file_system_copies(
    catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When links fail (another file system), the reused facets, lengths and manifest are copied
    (their bytes checked), like every other reused file."""
    state, before, after = tmp_path / "state", tmp_path / "before", tmp_path / "after"
    build(catalogue, before, state)

    def no_link(*args: Any, **kwargs: Any) -> None:
        raise OSError("cross-device link")

    monkeypatch.setattr(os, "link", no_link)
    assert build(catalogue, after, state, previous=before).reused > 0
    assert (after / "facets.json").stat().st_ino != (before / "facets.json").stat().st_ino
    assert differing(before, after) == []


def test_several_documents_and_runs_replaced_at_once(
    catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one-copy splice with many cuts: several documents edited at once (rows dropped and
    inserted at the same places, words new in two documents at once), and a run of documents
    replaced by a shorter or longer one (the later documents renumbered in place while the
    replaced rows still stand among them); random, in a row, each equal to a clean build."""
    monkeypatch.setattr(incremental, "MAX_CHANGED", 0.5)  # 43 documents: else one edit at most
    rng = random.Random(29)
    state, previous = tmp_path / "state", tmp_path / "0"
    build(catalogue, previous, state)
    cat = catalogue
    for step in range(1, 9):
        entries = list(cat.entries.values())
        if step % 2:  # 2-5 documents edited, a shared new word in two of them
            chosen = rng.sample(range(len(entries)), rng.randint(2, 5))
            shared = f"共同新词{step}"
            edits: dict[int, Callable[[Any], Any]] = {
                n: body(shared + test_search_incremental.text(rng, rng.randint(0, 50)) + (shared if k < 2 else ""))
                for k, n in enumerate(chosen)
            }
            cat = edited(cat, edits)
        else:  # the run lo … hi - 1 replaced by 0-3 new documents
            lo = rng.randrange(len(entries) - 3)
            hi = lo + rng.randint(0, 3)
            new = [
                dataclasses.replace(
                    entries[lo],
                    index_no=f"{entries[lo].index_no}{step}{k}",
                    doc_number="",
                    body=test_search_incremental.text(rng, rng.randint(0, 40)),
                )
                for k in range(rng.randint(0 if hi > lo else 1, 3))
            ]
            cat = rebuilt(cat, entries[:lo] + new + entries[hi:])
        out = tmp_path / str(step)
        assert build(cat, out, state, previous=previous).reused > 0, step
        same_as_clean(cat, out, tmp_path, str(step))
        kept, counted = kept_sizes(state)
        assert kept.tolist() == counted.tolist(), step
        previous = out
