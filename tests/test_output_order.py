"""The order of gongkai's own outputs in a build (generator/site/build.write_outputs).

A search index made in the build's process is its largest memory: it is written first, before
the exports' structures have grown the heap (freed objects do not give memory back to the
system). An index made beside the pages (build._Search) is collected last, so that the other
outputs are written while it finishes. Either way the site is the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.site import build as B
from tests.conftest import ProjectFactory, write_rich_catalogue


def spied(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    writers = []
    for writer in B.OUTPUT_WRITERS:

        def wrapped(cat: Any, out: Path, *args: Any, _w: Any = writer, **kw: Any) -> None:
            calls.append(_w.__name__)
            _w(cat, out, *args, **kw)

        writers.append(wrapped)
        if writer is B.write_search:  # write_outputs recognises the search writer by identity
            monkeypatch.setattr(B, "write_search", wrapped)
    monkeypatch.setattr(B, "OUTPUT_WRITERS", writers)
    return calls


def test_a_clean_build_writes_its_search_index_first(make_project: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    p: ProjectFactory = make_project()
    write_rich_catalogue(p)
    monkeypatch.setattr(B, "FIRST_BESIDE_MAX", 0)  # a site too large for a first index beside the pages
    names = [w.__name__ for w in B.OUTPUT_WRITERS]
    assert names[0] != "write_search"  # (registered last)
    calls = spied(monkeypatch)
    p.build()
    assert calls[0] == "write_search"
    assert sorted(calls) == sorted(names)  # each once


def test_a_small_site_s_first_index_made_beside_is_collected_last(
    make_project: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    p: ProjectFactory = make_project()
    write_rich_catalogue(p)
    others = [w.__name__ for w in B.OUTPUT_WRITERS if w is not B.write_search]
    calls = spied(monkeypatch)
    finish = B._Search.finish

    def collected(search: B._Search, *args: Any) -> None:
        calls.append("collected")
        finish(search, *args)

    monkeypatch.setattr(B._Search, "finish", collected)
    p.build()  # a clean build: no index yet, a small site
    assert calls == [*others, "collected"]


def test_without_the_search_writer_the_others_keep_their_order(
    make_project: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    p: ProjectFactory = make_project()
    write_rich_catalogue(p)
    others = [w for w in B.OUTPUT_WRITERS if w is not B.write_search]
    monkeypatch.setattr(B, "OUTPUT_WRITERS", others)
    calls = spied(monkeypatch)
    p.build()
    assert calls == [w.__name__ for w in others]
