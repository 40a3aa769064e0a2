"""An incremental index build that knows unchanged items by their source files' digests.

The build passes the project's ``source_digests`` (source path → SHA-256 of its front matter
and of its bytes) to the index: an item whose source file holds the bytes of a document of
the previous build (same code, configuration and URL function) is that document, its body
not read. The index must still be byte for byte a clean build's, display records that show
other items or the configuration included.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import pickle
import random
from pathlib import Path

import pytest

from generator.model.catalogue import Catalogue
from generator.model.entry import Entry, Interpretation, Item
from generator.search.incremental import STATE_FILE, document_key
from generator.search.index import IndexStats, search_items, write_index
from generator.site.search import write_search_index
from tests.conftest import ProjectFactory
from tests.test_search_incremental import HEAVY, TARGET, differing, random_catalogue, text

POISON = "本段不应被读取"  # the body an unchanged item is given: read, it would change the index


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """Entries and interpretations of random text (as test_search_incremental's), each
    interpretation explaining an entry."""
    return random_catalogue(
        tmp_path_factory.mktemp("digests") / "repo", random.Random(20261208), lambda rng: text(rng, 1)
    )


def digests_of(cat: Catalogue) -> dict[str, tuple[bytes, bytes]]:
    """What the project would pass: per source path a digest of its item (standing for its file's bytes)."""
    return {
        item.source: (b"", hashlib.sha256(repr(item).encode()).digest())
        for item in (*cat.entries.values(), *cat.interpretations.values())
    }


def build(
    cat: Catalogue,
    out: Path,
    state: Path | None = None,
    previous: Path | None = None,
    digests: dict[str, tuple[bytes, bytes]] | None = None,
) -> IndexStats:
    return write_index(
        cat, out, lambda item: "x/", workers=1, heavy=HEAVY, target=TARGET, state=state, previous=previous,
        digests=digests,
    )  # fmt: skip


def rebuilt(cat: Catalogue, entries: list[Entry], interps: list[Interpretation] | None = None) -> Catalogue:
    interps = list(cat.interpretations.values()) if interps is None else interps
    return Catalogue.build(cat.config, entries, interps, cat.pages, cat.build_date)


def poisoned(cat: Catalogue, keep: set[str]) -> Catalogue:
    """``cat`` with every item's body but those of the sources ``keep`` replaced by POISON."""

    def poison(item: Item) -> Item:
        return item if item.source in keep else dataclasses.replace(item, body=POISON)

    entries = [poison(e) for e in cat.entries.values()]
    interps = [poison(i) for i in cat.interpretations.values()]
    return rebuilt(cat, entries, interps)  # type: ignore[arg-type]


EDITS = {
    "body": lambda e: dataclasses.replace(e, body=e.body + "补充：加装电梯资金管理办法。\n"),
    "title": lambda e: dataclasses.replace(e, title="关于" + e.title),
    "publisher": lambda e: dataclasses.replace(e, publisher="gov"),
}


@pytest.mark.parametrize("name", EDITS)
@pytest.mark.parametrize("at", [0, 7])
def test_an_edit_known_by_digests_equals_a_clean_build(
    catalogue: Catalogue, tmp_path: Path, name: str, at: int
) -> None:
    """One entry edited (its digest changes): the update reads no other body (they are
    poisoned here) and writes what a clean build writes; entry 0 is interpreted by an
    interpretation, whose display record shows its title."""
    state, before, after, clean = tmp_path / "state", tmp_path / "before", tmp_path / "after", tmp_path / "clean"
    build(catalogue, before, state, digests=digests_of(catalogue))
    entries = list(catalogue.entries.values())
    entries[at] = EDITS[name](entries[at])
    cat = rebuilt(catalogue, entries)
    stats = build(poisoned(cat, {entries[at].source}), after, state, before, digests_of(cat))
    assert stats.reused > 0
    build(cat, clean)
    assert differing(after, clean) == []
    if at == 0 and name == "title":  # the interpretation of entry 0 shows the new title
        assert any(f.startswith("docs/") for f in differing(before, clean) if f != "docs/0.json")


def test_the_poison_would_be_seen(catalogue: Catalogue, tmp_path: Path) -> None:
    """The check above can fail: without digests the poisoned bodies are read (content keys)."""
    state, before, after = tmp_path / "state", tmp_path / "before", tmp_path / "after"
    build(catalogue, before, state, digests=digests_of(catalogue))
    build(poisoned(catalogue, set()), after, state, before)
    assert differing(before, after) != []


def test_a_changed_configuration_is_not_hidden_by_unchanged_digests(catalogue: Catalogue, tmp_path: Path) -> None:
    """An agency renamed in the configuration changes the display records of its documents,
    whose files did not change: they are made again, as a clean build makes them."""
    state, before, after, clean = tmp_path / "state", tmp_path / "before", tmp_path / "after", tmp_path / "clean"
    build(catalogue, before, state, digests=digests_of(catalogue))
    config = catalogue.config
    agencies = tuple(dataclasses.replace(a, name=a.name + "（新）") for a in config.agencies)
    assert agencies, "the test catalogue's configuration names agencies"
    cat = Catalogue.build(
        dataclasses.replace(config, agencies=agencies),
        catalogue.entries.values(),
        catalogue.interpretations.values(),
        catalogue.pages,
        catalogue.build_date,
    )
    build(cat, after, state, before, digests_of(cat))
    build(cat, clean)
    assert differing(after, clean) == []
    assert any(f.startswith("docs/") for f in differing(before, clean))


def test_an_item_without_a_digest_is_read(catalogue: Catalogue, tmp_path: Path) -> None:
    """A source the digests do not name is keyed by its content: its edit is seen."""
    state, before, after, clean = tmp_path / "state", tmp_path / "before", tmp_path / "after", tmp_path / "clean"
    build(catalogue, before, state, digests=digests_of(catalogue))
    entries = list(catalogue.entries.values())
    entries[3] = EDITS["body"](entries[3])
    cat = rebuilt(catalogue, entries)
    digests = digests_of(catalogue)  # the old digests: entry 3's is removed, not updated
    del digests[entries[3].source]
    build(cat, after, state, before, digests)
    build(cat, clean)
    assert differing(after, clean) == []


def state_keys(state: Path) -> list[bytes]:
    with (state / STATE_FILE).open("rb") as f:
        return list(pickle.load(f)[1].keys)


def test_a_project_build_updates_by_its_source_digests(tmp_path: Path) -> None:
    """With a project's own digests: a body edit on disk, then an update beside a clean
    build; the state's keys stay the documents' content keys."""
    p = ProjectFactory(tmp_path / "repo")
    for n in range(1, 13):
        p.entry(f"e{n}", index_no=f"000000002/2024-{n:05d}", title=f"关于第{n}项工作的通知",
                body=f"第{n}项工作的正文，做好信息公开。\n", published_date=dt.date(2024, 1, n))  # fmt: skip
    p.interpretation("i1", index_no="000000002/2024-00020", interprets=["000000002/2024-00001"])
    project = p.load()
    site, state = tmp_path / "one", tmp_path / "state"
    write_search_index(project.public(), site, state, None, None, project.source_digests)
    write_search_index(project.public(), tmp_path / "two", state, site / "search", None, project.source_digests)
    p.entry("e5", index_no="000000002/2024-00005", title="关于第5项工作的通知",
            body="第5项工作的正文，改为加装电梯。\n", published_date=dt.date(2024, 1, 5))  # fmt: skip
    project = p.load()
    cat = project.public()
    write_search_index(cat, tmp_path / "three", state, tmp_path / "two" / "search", None, project.source_digests)
    write_search_index(cat, tmp_path / "clean")
    assert differing(tmp_path / "three" / "search", tmp_path / "clean" / "search") == []
    assert state_keys(state) == [document_key(item) for item in search_items(cat)]
