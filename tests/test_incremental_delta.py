"""The verified-pages shortcut across a catalogue change (incremental.Verified, dirty_items).

When front matter or paths changed, a page the last build placed or built is placed again
without reading its record when none of its item lookups (``entry``, ``related``,
``interpretations_of``, ``sources_of``) is about a *dirty* item: one whose source changed,
appeared or went, or one related to such an item in either build. Its other catalogue lookups
(totals, group keys, hidden link targets, listings of a group whose members or their order
changed, or one of whose members changed) are replayed.

Two kinds of test: soundness directly (for many changed catalogues, every item lookup about
an item that is not dirty, and every listing of a clean group, gives the digest it gave
before), and whole builds
for the changes an editor makes (an add that changes a listing and an old entry's reverse
relations, an interpretation added to a policy, a relation's target made a draft and public
again, the only entry of a year and topic added then deleted): the incremental build equals a
clean build, and it took the shortcut for most pages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bench.make_corpus import generate
from generator.model.catalogue import REVERSE, Catalogue
from generator.model.entry import Item
from generator.project import load_project
from generator.site import build as B
from generator.site import incremental
from generator.site.lookups import CatalogueView
from tests.corpus_repo import CorpusRepo, differences, field_of, tree

DAY = dt.date(2026, 1, 15)
RELATIONS = (*REVERSE, *REVERSE.values())


# ------------------------------------------------------------ the dirty set, directly
def _items(cat: Catalogue) -> list[Item]:
    return [*cat.entries.values(), *cat.interpretations.values()]


def _shape(cat: Catalogue, root: Path) -> tuple[Any, dict[str, list[str]]]:
    """The catalogue's shape with each item's whole repr standing for its front matter's digest,
    through JSON as the next build reads it; its listing groups' members."""
    members = CatalogueView(cat, root).plan_members()
    shape = incremental.catalogue_shape(_digests(cat), cat, members)
    assert shape is not None
    return json.loads(json.dumps(shape)), members


def _item_lookups(cat: Catalogue, root: Path, numbers: set[str]) -> dict[tuple[str, tuple[Any, ...]], str]:
    """Every item lookup about ``numbers`` on ``cat``, with its digest."""
    view = CatalogueView(cat, root)
    with view.recording() as record:
        for n in sorted(numbers):
            view.entry(n)
            view.interpretations_of(n)
            view.sources_of(n)
            for relation in RELATIONS:
                view.related(n, relation)
    return dict(record)


def _changed(cat: Catalogue, rng: random.Random) -> Iterator[tuple[str, Catalogue]]:
    """Catalogues differing from ``cat`` in one or two items' front matter, in many ways."""
    entries = list(cat.entries.values())
    interps = list(cat.interpretations.values())
    related = [e for e in entries if e.relations]
    reversed_targets = [e for e in entries if cat.reverse.get(e.index_no)]
    interpreted = [e for e in entries if cat.interpreted_by.get(e.index_no)]
    assert related and reversed_targets and interpreted and interps
    kinds = [
        "title",
        "delete",
        "validity",
        "relation added",
        "relations removed",
        "date of a relation's source",
        "new entry amending",
        "retargeted interpretation",
        "new interpretation",
        "interpretation deleted",
        "interpreted entry deleted",
        "relation target deleted",
    ]
    for round_ in range(3 * len(kinds)):
        es, its = entries[:], interps[:]
        kind = kinds[round_ % len(kinds)]
        k = rng.randrange(len(es))
        other = es[rng.randrange(len(es))].index_no
        if kind == "title":
            es[k] = replace(es[k], title=es[k].title + "（改）")
        elif kind == "delete":
            del es[k]
        elif kind == "validity":
            es[k] = replace(es[k], validity="废止", doc_number="新文号")
        elif kind == "relation added":
            es[k] = replace(es[k], relations={**es[k].relations, "repeals": (other,)})
        elif kind == "relations removed":
            e = rng.choice(related)
            es[es.index(e)] = replace(e, relations={})
        elif kind == "date of a relation's source":  # reorders the reverse lists it is in
            target = rng.choice(reversed_targets)
            source = cat.entries[rng.choice(list(cat.reverse[target.index_no].values()))[0]]
            es[es.index(source)] = replace(source, published_date=source.published_date - dt.timedelta(days=900))
        elif kind == "new entry amending":
            e = es[k]
            es.append(replace(e, index_no=e.index_no[:-5] + "99999", source="new.md", relations={"amends": (other,)}))
        elif kind == "retargeted interpretation":
            j = rng.randrange(len(its))
            its[j] = replace(its[j], interprets=(es[k].index_no,), form="图解")
        elif kind == "new interpretation":
            i = its[rng.randrange(len(its))]
            its.append(replace(i, index_no=i.index_no[:-5] + "99998", source="new-i.md", interprets=(other,)))
        elif kind == "interpretation deleted":
            del its[rng.randrange(len(its))]
        elif kind == "interpreted entry deleted":
            es.remove(rng.choice(interpreted))
        else:
            e = rng.choice(related)
            target = cat.entries.get(next(iter(e.relations.values()))[0])
            if target is not None and target in es:
                es.remove(target)
        yield kind, Catalogue.build(cat.config, es, its, cat.pages, cat.build_date)


def _listings(cat: Catalogue, root: Path, size: int) -> dict[tuple[str, tuple[Any, ...]], str]:
    """Every page of every listing on ``cat`` (``size`` rows a page), with its digest."""
    view = CatalogueView(cat, root)
    members = view.plan_members()
    with view.recording() as record:
        for group, numbers in members.items():
            kind, key = group.split("\0")
            for start in range(0, len(numbers) + size, size):
                view.listing(kind, key, start, start + size)
    return dict(record)


def test_a_listing_of_a_clean_group_gives_the_same_result(tmp_path: Path) -> None:
    generate(120, tmp_path / "repo", seed=6)
    cat = _with_relations(load_project(tmp_path / "repo", DAY).public(), random.Random(3))
    old_shape, _ = _shape(cat, tmp_path)
    compared = changed = 0
    for kind, new in _changed(cat, random.Random(12)):
        new_shape, members = _shape(new, tmp_path)
        clean = incremental.clean_groups(old_shape, new_shape, incremental.changed_items(old_shape, new_shape), members)
        assert 0 < len(clean) < len(members), kind
        before, after = _listings(cat, tmp_path, 7), _listings(new, tmp_path, 7)
        for lookup, digest in before.items():
            group = f"{lookup[1][0]}\0{lookup[1][1]}"
            if group in clean:
                assert after.get(lookup) == digest, (kind, lookup)
                compared += 1
            elif lookup in after and after[lookup] != digest:
                changed += 1
    assert compared > 1000 and changed > 10


def test_an_item_lookup_about_an_item_that_is_not_dirty_gives_the_same_result(tmp_path: Path) -> None:
    generate(120, tmp_path / "repo", seed=6)
    cat = _with_relations(load_project(tmp_path / "repo", DAY).public(), random.Random(3))
    old_shape, _ = _shape(cat, tmp_path)
    compared = related_changed = 0
    for kind, new in _changed(cat, random.Random(11)):
        numbers = {i.index_no for i in _items(cat)} | {i.index_no for i in _items(new)}
        dirty = incremental.dirty_items(old_shape, _shape(new, tmp_path)[0], new)
        assert len(dirty) < len(numbers) // 4, kind  # the shortcut stays worth having
        before, after = _item_lookups(cat, tmp_path, numbers), _item_lookups(new, tmp_path, numbers)
        own = _own_changes(cat, new)
        for lookup, digest in before.items():
            if lookup[1][0] not in dirty:
                assert after[lookup] == digest, (kind, lookup)
                compared += 1
            elif after[lookup] != digest and lookup[1][0] not in own:
                related_changed += 1  # changed though its own item did not: the relations are needed
    assert compared > 1000 and related_changed > 5


def _with_relations(cat: Catalogue, rng: random.Random) -> Catalogue:
    """``cat`` with relations between a fifth of its entries (several naming the same target)."""
    es = list(cat.entries.values())
    numbers = [e.index_no for e in es]
    for k in rng.sample(range(len(es)), len(es) // 5):
        relation = rng.choice(list(REVERSE))
        es[k] = replace(es[k], relations={relation: tuple(rng.sample(numbers[:30], 2))})
    return Catalogue.build(cat.config, es, cat.interpretations.values(), cat.pages, cat.build_date)


def _digests(cat: Catalogue) -> dict[str, tuple[bytes, bytes]]:
    return {i.source: (hashlib.sha256(repr(i).encode()).digest(), b"") for i in _items(cat)}


def _own_changes(old: Catalogue, new: Catalogue) -> set[str]:
    """The 索引号 of the items that differ, appeared or went."""
    a = {(i.kind, i.index_no): i for i in _items(old)}
    b = {(i.kind, i.index_no): i for i in _items(new)}
    return {number for key in a.keys() | b.keys() if a.get(key) != b.get(key) for number in (key[1],)}


def test_an_item_without_a_known_source_gives_no_shape(tmp_path: Path) -> None:
    """Then nothing is compared: the next build falls back to the full replay."""
    generate(20, tmp_path / "repo", seed=2)
    cat = load_project(tmp_path / "repo", DAY).public()
    digests = _digests(cat)
    assert incremental.catalogue_shape(digests, cat) is not None
    digests.pop(next(iter(cat.entries.values())).source)
    assert incremental.catalogue_shape(digests, cat) is None


# ------------------------------------------------------------------ whole builds
class Repo(CorpusRepo):
    pass


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("delta")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(B, "PARALLEL_MIN_PAGES", 0)
        mp.setenv("XDG_CACHE_HOME", str(base / "user-cache"))
        generate(200, base / "repo", seed=5)
        _build(base / "repo")
        yield base


@pytest.fixture
def repo(warm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.setattr(B, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setenv("XDG_CACHE_HOME", str(warm / "user-cache"))
    shutil.copytree(warm / "repo", tmp_path / "repo", symlinks=True)
    return Repo(tmp_path / "repo")


@pytest.fixture
def shortcut(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The base keys of the pages placed through the shortcut."""
    taken: list[str] = []
    real = incremental._place_verified

    def counted(cache: Any, key: str, *args: Any) -> bool:
        ok = real(cache, key, *args)
        if ok:
            taken.append(key)
        return ok

    monkeypatch.setattr(incremental, "_place_verified", counted)
    return taken


def _build(root: Path) -> B.BuildStats:
    project = load_project(root, DAY, cache=True)
    assert not project.errors, [d.format() for d in project.diagnostics]
    project.sources.clear()
    return B.build_site(project, root / "site", workers=2)


def _incremental_equals_clean(repo: Repo, tmp_path: Path, shortcut: list[str], name: str) -> set[str]:
    """Build incrementally and cleanly, compare; the files the incremental build changed."""
    before = tree(repo.root / "site")
    shortcut.clear()
    stats = _build(repo.root)
    clean = tmp_path / name
    B.build_site(load_project(repo.root, DAY), clean, cache=False, workers=2)
    after = tree(repo.root / "site")
    assert differences(after, tree(clean)) == []
    assert len(shortcut) > 100 and len(shortcut) <= stats.placed  # the shortcut was taken
    return {path for path in after.keys() | before.keys() if after.get(path) != before.get(path)}


def _entry_text(repo: Repo, skip: int) -> tuple[Path, str, str]:
    path = repo.plain_entry(skip=skip)
    text = path.read_text(encoding="utf-8")
    return path, text, field_of(text, "index_no")


def _page(number: str) -> str:
    from generator.model import urls as U

    return U.index_url(number) + "index.html"


def test_an_added_entry_amending_an_old_one_changes_its_page_and_the_listings(
    repo: Repo, tmp_path: Path, shortcut: list[str]
) -> None:
    _, _, old = _entry_text(repo, 40)
    source, text, number = _entry_text(repo, 5)
    new = f"{number[:-5]}99999"
    text = text.replace(f"index_no: {number}", f"index_no: {new}")
    text = re.sub(r"^doc_number: .*\n", "", text, flags=re.M)
    text = text.replace("disclosure: ", f"relations:\n  amends: [{old}]\ndisclosure: ", 1)
    source.with_name("added.md").write_text(text, encoding="utf-8")
    changed = _incremental_equals_clean(repo, tmp_path, shortcut, "clean")
    year = field_of(text, "published_date")[:4]
    assert _page(old) in changed and _page(new) in changed  # the old entry shows the new one
    assert any(path.startswith(f"years/{year}/") for path in changed)  # its year's listing


def test_an_interpretation_added_to_a_policy_shows_on_the_policys_page(
    repo: Repo, tmp_path: Path, shortcut: list[str]
) -> None:
    _, _, target = _entry_text(repo, 30)
    source = repo.interpretations()[0]
    text = source.read_text(encoding="utf-8")
    number = field_of(text, "index_no")
    text = text.replace(f"index_no: {number}", f"index_no: {number[:-5]}99998")
    text = re.sub(r"^interprets: .*$", f"interprets: [{target}]", text, count=1, flags=re.M)
    source.with_name("added-interpretation.md").write_text(text, encoding="utf-8")
    changed = _incremental_equals_clean(repo, tmp_path, shortcut, "clean")
    assert _page(target) in changed


def test_a_relation_target_made_a_draft_and_public_again(repo: Repo, tmp_path: Path, shortcut: list[str]) -> None:
    """The entry naming it is not edited: its page drops the relation, then shows it again."""
    source = next(p for p in repo.files() if "relations:\n  " in p.read_text(encoding="utf-8"))
    found = re.search(r"relations:\n  \w+: \[([^\],]+)", source.read_text(encoding="utf-8"))
    assert found
    target = repo.entry(found.group(1))
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    naming = _page(field_of(source.read_text(encoding="utf-8"), "index_no"))
    assert naming in _incremental_equals_clean(repo, tmp_path, shortcut, "draft")
    target.write_text(text, encoding="utf-8")
    assert naming in _incremental_equals_clean(repo, tmp_path, shortcut, "public")


def test_the_only_entry_of_a_year_and_a_topic_added_then_deleted(
    repo: Repo, tmp_path: Path, shortcut: list[str]
) -> None:
    """Its year's and topic's listings appear, then go (and the views' home pages list them)."""
    source, text, number = _entry_text(repo, 5)
    used = {t for p in repo.files() for t in re.findall(r"[^\[\], ]+\\[^\[\], ]+", p.read_text(encoding="utf-8"))}
    from generator.model.vocab import DEFAULT_TOPICS

    topic = next(
        f"{first}\\{second}" for first, kids in DEFAULT_TOPICS for second in kids if f"{first}\\{second}" not in used
    )
    new = f"{number.split('/')[0]}/2012-99997"
    text = text.replace(f"index_no: {number}", f"index_no: {new}")
    text = re.sub(r"^doc_number: .*\n", "", text, flags=re.M)
    text = re.sub(r"^(written_date|published_date): \d{4}", r"\1: 2012", text, flags=re.M)
    text = re.sub(r"^topics: .*$", f"topics: [{topic}]", text, count=1, flags=re.M)
    added = source.with_name("only-one.md")
    added.write_text(text, encoding="utf-8")
    changed = _incremental_equals_clean(repo, tmp_path, shortcut, "added")
    assert any(path.startswith("years/2012/") for path in changed)
    added.unlink()
    changed = _incremental_equals_clean(repo, tmp_path, shortcut, "deleted")
    assert any(path.startswith("years/2012/") for path in changed)
    assert not (repo.root / "site" / "years" / "2012").exists()
