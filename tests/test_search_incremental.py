"""Incremental index builds: edit, rebuild from the previous build's state, compare with a clean build.

The index of an incremental build must be byte for byte the index a clean build of the
same sources writes; and an edit must change only the files of the terms it touches.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.model.catalogue import Catalogue
from generator.model.entry import Entry
from generator.search import index as search_index
from generator.search.incremental import STATE_FILE
from generator.search.index import IndexStats, write_index
from generator.search.shards import Layout
from generator.search.tokenizer import index_no_key
from tests.conftest import ProjectFactory

WORDS = ["政府", "信息", "公开", "工作", "通知", "关于", "做好", "办法", "实施", "意见", "澜江", "市人民",
         "补助", "资金", "管理", "加装电梯", "老旧小区", "应急", "预案", "统计", "报表", "第一", "二〇二四"]  # fmt: skip
HEAVY, TARGET = 40, 150  # small thresholds: heavy terms and several buckets per namespace


def text(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(WORDS) + rng.choice(["", "", "，", "。", " 2024 ", "的"]) for _ in range(words))


def random_catalogue(root: Path, rng: random.Random, keyword: Callable[[random.Random], str]) -> Catalogue:
    """40 entries and 3 interpretations of random text, each interpretation explaining an entry."""
    p = ProjectFactory(root)
    for n in range(1, 41):
        p.entry(
            f"e{n}",
            index_no=f"000000002/2024-{n:05d}",
            title=text(rng, rng.randint(2, 6)),
            doc_number=f"测政办发〔2024〕{n}号",
            keywords=[keyword(rng)],
            abstract=text(rng, 3),
            body=text(rng, rng.randint(0, 120)) + "\n",
            published_date=dt.date(2024, 1 + n % 12, 1 + n % 28),
        )
    for n in range(41, 44):
        p.interpretation(
            f"i{n}", index_no=f"000000002/2024-{n:05d}", title=text(rng, 4), interprets=[f"000000002/2024-{n - 40:05d}"],
            body=text(rng, 40) + "\n",
        )  # fmt: skip
    return p.load().public()


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    return random_catalogue(
        tmp_path_factory.mktemp("incremental") / "repo", random.Random(20261206), lambda rng: rng.choice(WORDS)
    )


Edit = Callable[[Entry], Entry]


def edited(cat: Catalogue, edits: dict[int, Edit]) -> Catalogue:
    entries = list(cat.entries.values())
    for n, edit in edits.items():
        entries[n] = edit(entries[n])
    return Catalogue.build(cat.config, entries, cat.interpretations.values(), cat.pages, cat.build_date)


def build(cat: Catalogue, out: Path, state: Path | None = None, previous: Path | None = None) -> IndexStats:
    return write_index(
        cat, out, lambda item: "x/", workers=1, heavy=HEAVY, target=TARGET, state=state, previous=previous
    )


def files(folder: Path) -> dict[str, bytes]:
    return {str(f.relative_to(folder)): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()}


def differing(a: Path, b: Path) -> list[str]:
    fa, fb = files(a), files(b)
    return sorted(name for name in fa.keys() | fb.keys() if fa.get(name) != fb.get(name))


def body(new: str) -> Edit:
    return lambda e: dataclasses.replace(e, body=new)


def replace_in_body(old: str, new: str) -> Edit:
    return lambda e: dataclasses.replace(e, body=e.body.replace(old, new, 1))


SCENARIOS: dict[str, dict[int, Edit]] = {
    "one word in a body": {17: replace_in_body("的", "和")},
    "a new sentence first": {20: lambda e: dataclasses.replace(e, body="新增加的条款自发布之日起施行。" + e.body)},
    "the first document emptied": {0: body("")},  # the terms it introduced first appear later now
    "the first document rewritten": {0: body("澜江市人民政府关于做好老旧小区加装电梯工作的通知。2025 abc")},
    "title and keywords": {5: lambda e: dataclasses.replace(e, title="关于应急预案的意见", keywords=("应急", "新词"))},
    "abstract and 文号": {9: lambda e: dataclasses.replace(e, abstract="统计报表", doc_number="测政办发〔2025〕1号")},
    "a word only this document had": {3: body("独有词汇罕见的表述。")},
    # what results show of other documents: an interpretation shows the title of its policy
    "the title of an interpreted policy": {0: lambda e: dataclasses.replace(e, title="修订后的政策标题")},
    "the date only (no term changes)": {7: lambda e: dataclasses.replace(e, published_date=dt.date(2020, 2, 2))},
    "a phrase repeated in a body": {12: lambda e: dataclasses.replace(e, body=e.body + "罕见词汇" * 45)},
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_an_incremental_build_equals_a_clean_build(catalogue: Catalogue, tmp_path: Path, name: str) -> None:
    state, before, after, clean = tmp_path / "state", tmp_path / "before", tmp_path / "after", tmp_path / "clean"
    build(catalogue, before, state)
    assert (state / STATE_FILE).is_file()
    cat = edited(catalogue, SCENARIOS[name])
    stats = build(cat, after, state, previous=before)
    assert stats.reused > 0  # the incremental path: files taken from the previous build
    build(cat, clean)
    assert differing(after, clean) == []
    assert differing(before, clean)  # the edit shows


def test_edits_in_a_row(catalogue: Catalogue, tmp_path: Path) -> None:
    """The state an incremental build leaves serves the next one (random edits, removals and
    additions, checked each time)."""
    rng = random.Random(7)
    state, previous = tmp_path / "state", tmp_path / "0"
    build(catalogue, previous, state)
    cat = catalogue
    for step in range(1, 13):
        n = rng.randrange(len(cat.entries))
        entries = list(cat.entries.values())
        if step % 3 == 1:  # removed
            cat = rebuilt(cat, entries[:n] + entries[n + 1 :])
        elif step % 3 == 2:  # added: a new 索引号 sorted right after entry n
            new = dataclasses.replace(entries[n], index_no=f"{entries[n].index_no}{step}", doc_number="")
            cat = rebuilt(cat, [*entries, dataclasses.replace(new, body=text(rng, rng.randint(0, 60)))])
        else:
            cat = edited(cat, {n: body(text(rng, rng.randint(0, 60)))})
        out = tmp_path / str(step)
        assert build(cat, out, state, previous=previous).reused > 0
        build(cat, tmp_path / f"clean{step}")
        assert differing(out, tmp_path / f"clean{step}") == [], step
        previous = out


def test_a_small_edit_rewrites_few_shard_files(catalogue: Catalogue, tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    build(catalogue, before)
    build(edited(catalogue, {25: lambda e: dataclasses.replace(e, body=e.body + "补充")}), after)
    shards = [f for f in files(before) if f.startswith("shards/")]
    changed = [f for f in differing(before, after) if f.startswith("shards/")]
    assert 0 < len(changed) <= 6 < len(shards) // 4  # the bigrams around one character, not every file
    others = {f for f in differing(before, after) if not f.startswith("shards/")}
    assert {"manifest.json", "lengths.json", "text/p.json"} == others  # document 25 is ref "p"


def test_a_tampered_previous_file_is_computed_again(catalogue: Catalogue, tmp_path: Path) -> None:
    state, before, after, clean = tmp_path / "state", tmp_path / "before", tmp_path / "after", tmp_path / "clean"
    build(catalogue, before, state)
    victims = sorted((before / "shards").glob("*.json"))[:3] + sorted((before / "text").glob("*.json"))[:3]
    for victim in victims:
        victim.write_text("[]\n", encoding="utf-8")
    (before / "shards" / victims[1].name).unlink()
    same_size = sorted((before / "shards").glob("*.json"))[-1]  # edited in place, size kept
    data = same_size.read_bytes()
    same_size.write_bytes(data.replace(b"1", b"2", 1))
    assert len(same_size.read_bytes()) == len(data) != 0 and same_size.read_bytes() != data
    cat = edited(catalogue, {30: replace_in_body("的", "和")})
    build(cat, after, state, previous=before)
    build(cat, clean)
    assert differing(after, clean) == []


def rebuilt(cat: Catalogue, entries: list[Entry]) -> Catalogue:
    return Catalogue.build(cat.config, entries, cat.interpretations.values(), (), cat.build_date)


def added(cat: Catalogue, at: int, number: int) -> Catalogue:
    """A copy of entry ``at`` under a new 索引号 (sorted right after it), with a body of its own."""
    entries = list(cat.entries.values())
    model = entries[at]
    new = dataclasses.replace(
        model,
        index_no=model.index_no + "1",
        doc_number=f"测政办发〔2025〕{number}号",
        body="新增条目独有的表述" + model.body,
    )
    return rebuilt(cat, [*entries, new])


def first_copy(cat: Catalogue) -> Entry:
    """An entry sorted before every other (a copy of the fifth, without its 文号)."""
    return dataclasses.replace(list(cat.entries.values())[4], index_no="000000002/2024-00000", doc_number="")


RENUMBERING: dict[str, Callable[[Catalogue], Catalogue]] = {
    "the first document removed": lambda c: rebuilt(c, list(c.entries.values())[1:]),
    "a middle document removed": lambda c: rebuilt(c, [e for n, e in enumerate(c.entries.values()) if n != 20]),
    "the last entry removed": lambda c: rebuilt(c, list(c.entries.values())[:-1]),
    "the last document (an interpretation) removed": lambda c: Catalogue.build(
        c.config, c.entries.values(), list(c.interpretations.values())[:-1], (), c.build_date
    ),
    "a document added first": lambda c: rebuilt(c, [first_copy(c), *c.entries.values()]),
    "a document added in the middle": lambda c: added(c, 20, 901),
    "a document added after the last entry": lambda c: added(c, 39, 902),
    "an entry withdrawn (made a draft)": lambda c: withdrawn(c, 17, draft=True),
    "an entry withdrawn (embargoed again)": lambda c: withdrawn(c, 33, embargo_until=dt.date(2999, 1, 1)),
    "an interpretation withdrawn": lambda c: Catalogue.build(
        c.config,
        c.entries.values(),
        [dataclasses.replace(i, draft=True) if n == 1 else i for n, i in enumerate(c.interpretations.values())],
        (),
        c.build_date,
    ).public(c.build_date),
}


def withdrawn(cat: Catalogue, at: int, **change: object) -> Catalogue:
    """Entry ``at`` no longer public (a draft again, or embargoed): the public catalogue loses it."""
    entries = list(cat.entries.values())
    entries[at] = dataclasses.replace(entries[at], **change)  # type: ignore[arg-type]
    return rebuilt(cat, entries).public(cat.build_date)


def renamed(cat: Catalogue, at: int, index_no: str) -> Catalogue:
    """Entry ``at`` under another 索引号 (its interpretations follow it)."""
    entries = list(cat.entries.values())
    was = entries[at].index_no
    entries[at] = dataclasses.replace(entries[at], index_no=index_no)
    interps = [
        dataclasses.replace(i, interprets=tuple(index_no if x == was else x for x in i.interprets))
        for i in cat.interpretations.values()
    ]
    return Catalogue.build(cat.config, entries, interps, (), cat.build_date)


SAME_COUNT: dict[str, Callable[[Catalogue], Catalogue]] = {
    "renamed in place (a new 索引号 sorting where the old one did)": lambda c: renamed(c, 20, "000000002/2024-000211"),
    "renamed elsewhere (the entry moves to the end)": lambda c: renamed(c, 20, "000000002/2024-09999"),
    "renamed first to last": lambda c: renamed(c, 0, "000000002/2024-09999"),
    "an interpreted policy renamed": lambda c: renamed(c, 1, "000000002/2024-000011"),
    "withdrawn to 依申请公开 (the body leaves the index)": lambda c: rebuilt(
        c, [dataclasses.replace(e, disclosure="依申请公开") if n == 25 else e for n, e in enumerate(c.entries.values())]
    ).public(c.build_date),
}


@pytest.mark.parametrize("name", SAME_COUNT)
def test_renamed_or_withdrawn_documents(catalogue: Catalogue, tmp_path: Path, name: str) -> None:
    """A rename moves a document (or keeps its place under a new 索引号); an entry withdrawn
    to 依申请公开 keeps its place without its body: the same files as a clean build."""
    state, before, after, clean = tmp_path / "state", tmp_path / "before", tmp_path / "after", tmp_path / "clean"
    build(catalogue, before, state)
    cat = SAME_COUNT[name](catalogue)
    assert len(search_index.search_items(cat)) == len(search_index.search_items(catalogue))
    build(cat, after, state, previous=before)
    build(cat, clean)
    assert differing(before, clean)  # the change shows
    assert differing(after, clean) == []
    back = tmp_path / "back"
    build(catalogue, back, state, previous=after)
    assert differing(back, before) == []


@pytest.mark.parametrize("name", RENUMBERING)
def test_added_or_removed_documents(catalogue: Catalogue, tmp_path: Path, name: str) -> None:
    """Documents after an added or removed one are renumbered, and the document count is in
    every idf: every shard file changes, yet the build takes the previous postings and
    snippet texts (linked under their new numbers) and writes what a clean build writes."""
    state, before, after, clean = tmp_path / "state", tmp_path / "before", tmp_path / "after", tmp_path / "clean"
    build(catalogue, before, state)
    cat = RENUMBERING[name](catalogue)
    assert len(search_index.search_items(cat)) != len(search_index.search_items(catalogue))
    assert build(cat, after, state, previous=before).reused > 0
    build(cat, clean)
    assert differing(after, clean) == []
    # and back: the state this build left serves the next one
    back = tmp_path / "back"
    assert build(catalogue, back, state, previous=after).reused > 0
    assert differing(back, before) == []


def test_a_state_from_other_code_or_settings_is_not_used(
    catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state, before, after = tmp_path / "state", tmp_path / "before", tmp_path / "after"
    build(catalogue, before, state)
    cat = edited(catalogue, {4: replace_in_body("的", "和")})
    monkeypatch.setattr(search_index, "code_fingerprint", lambda: "other code")
    assert build(cat, after, state, previous=before).reused == 0
    monkeypatch.undo()
    build(catalogue, before2 := tmp_path / "before2", state)
    assert write_index(cat, tmp_path / "other", lambda item: "x/", workers=1, heavy=HEAVY + 1, target=TARGET,
                       state=state, previous=before2).reused == 0  # fmt: skip
    assert build(cat, tmp_path / "same", state, previous=before2).reused == 0  # that build replaced the state
    build(catalogue, before3 := tmp_path / "before3", state)
    assert build(cat, tmp_path / "again", state, previous=before3).reused > 0  # same code and settings: used


def test_a_damaged_state_is_not_used(catalogue: Catalogue, tmp_path: Path) -> None:
    state, before = tmp_path / "state", tmp_path / "before"
    build(catalogue, before, state)
    build(catalogue, tmp_path / "again", state, previous=before)
    rows = sorted(f.name for f in state.glob("*.bin"))
    assert len(rows) == 2 and len({name.split("-", 1)[1] for name in rows}) == 1  # one state's rows, no leftovers
    cat = edited(catalogue, {11: replace_in_body("的", "和")})
    truncated = state / rows[0]
    truncated.write_bytes(truncated.read_bytes()[:-4])
    assert build(cat, tmp_path / "after", state, previous=tmp_path / "again").reused == 0
    (state / STATE_FILE).write_bytes(b"not a pickle")
    assert build(cat, tmp_path / "after2", state, previous=tmp_path / "after").reused == 0
    build(cat, tmp_path / "clean")
    assert differing(tmp_path / "after", tmp_path / "clean") == differing(tmp_path / "after2", tmp_path / "clean") == []


def test_an_updated_layout_equals_a_new_one() -> None:
    """Layout.updated (an edit's terms moved from the previous layout) gives Layout's files,
    heavy terms and counts, or None when a bucket count changes."""
    rng = random.Random(5)
    updated = anew = 0
    for _ in range(300):
        terms = (
            [f"t{n}" for n in range(rng.randint(1, 80))] + [f"#k{n}" for n in range(rng.randint(0, 9))] + ["字", "词"]
        )
        sizes = {t: rng.choice([1, 2, 3, 9, 20, 39, 40, 70]) for t in terms}
        before = Layout(sizes.items(), heavy=40, target=150)
        moved = set(rng.sample(terms, rng.randint(0, 6)))
        after = dict(sizes)
        for t in moved:
            if rng.random() < 0.2:
                del after[t]  # gone
            else:
                after[t] = rng.choice([1, 5, 39, 40, 41, 90])
        for n in range(rng.randint(0, 3)):
            after[f"new{n}"] = rng.choice([1, 40])
            moved.add(f"new{n}")
        expect = Layout(after.items(), heavy=40, target=150)
        got = Layout.updated(before.files, after, moved, heavy=40, target=150)
        if expect.counts != before.counts:
            assert got is None
            anew += 1
            continue
        assert got is not None
        layout, changed = got
        updated += 1
        assert (layout.files, layout.heavy, layout.counts) == (expect.files, expect.heavy, expect.counts)
        assert changed == {
            n for n in expect.files.keys() | before.files.keys() if expect.files.get(n) != before.files.get(n)
        }
    assert updated > 100 and anew > 10  # both paths taken


def test_display_records_follow_body_and_title_edits(catalogue: Catalogue, tmp_path: Path) -> None:
    """A body edit leaves the docs/ files as they were; a title edit changes the edited
    document's record, and the result equals a clean build (no display text is kept from
    an earlier build)."""
    state, before = tmp_path / "state", tmp_path / "before"
    build(catalogue, before, state)
    cat = edited(catalogue, {17: replace_in_body("的", "和")})
    build(cat, tmp_path / "body", state, previous=before)
    assert [f for f in differing(before, tmp_path / "body") if f.startswith("docs/")] == []
    cat = edited(cat, {17: lambda e: dataclasses.replace(e, title="关于统计报表的通知")})
    build(cat, tmp_path / "title", state, previous=tmp_path / "body")
    assert [f for f in differing(tmp_path / "body", tmp_path / "title") if f.startswith("docs/")] == ["docs/4.json"]
    record = json.loads((tmp_path / "title" / "docs" / "4.json").read_text(encoding="utf-8"))[17 % 4]
    assert record["t"] == "关于统计报表的通知"
    build(cat, tmp_path / "clean")
    assert differing(tmp_path / "title", tmp_path / "clean") == []


RECORD_EDITS: dict[str, Edit] = {
    "title": lambda e: dataclasses.replace(e, title="关于应急预案的意见"),
    "agency": lambda e: dataclasses.replace(e, publisher="gov"),
    "date": lambda e: dataclasses.replace(e, published_date=dt.date(2020, 2, 2)),
    "文号": lambda e: dataclasses.replace(e, doc_number="测政办发〔2030〕7号"),
    "validity": lambda e: dataclasses.replace(e, validity="已废止"),
}


@pytest.mark.parametrize("name", RECORD_EDITS)
def test_a_changed_display_record_is_not_taken_from_the_state(catalogue: Catalogue, tmp_path: Path, name: str) -> None:
    """Edit what one result shows: the docs/ file holding it equals a clean build's (a stale
    text from an earlier build would keep the old value)."""
    state, before, after, clean = tmp_path / "state", tmp_path / "before", tmp_path / "after", tmp_path / "clean"
    build(catalogue, before, state)
    cat = edited(catalogue, {6: RECORD_EDITS[name]})
    assert build(cat, after, state, previous=before).reused > 0
    build(cat, clean)
    assert differing(after, clean) == []
    assert "docs/1.json" in differing(before, clean)  # document 6 is in docs/1.json


@pytest.mark.parametrize("name", [n for n in RENUMBERING if "withdrawn" in n])
def test_the_state_keeps_no_withdrawn_record(catalogue: Catalogue, tmp_path: Path, name: str) -> None:
    """What a build keeps for the next one holds nothing of a withdrawn document: no display
    text (none is kept) and not its terms (its 索引号's exact key, which it alone has)."""
    state, before = tmp_path / "state", tmp_path / "before"
    build(catalogue, before, state)
    cat = RENUMBERING[name](catalogue)
    gone = [i for i in search_index.search_items(catalogue) if i.index_no not in cat.entries | cat.interpretations]
    assert len(gone) == 1
    key = index_no_key(gone[0].index_no)
    was = search_index.load_state(state, pickle_params(state))
    assert was is not None and key in was.postings.ids
    build(cat, tmp_path / "after", state, previous=before)
    kept = search_index.load_state(state, pickle_params(state))
    assert kept is not None and key not in kept.postings.ids
    stored = b"".join(f.read_bytes() for f in sorted(state.iterdir()))
    assert gone[0].index_no.encode() not in stored and gone[0].title.encode() not in stored


def pickle_params(state: Path) -> list[object]:
    import pickle

    with (state / STATE_FILE).open("rb") as f:
        return list(pickle.load(f)[1].params)


def test_unchanged_files_are_noted_for_a_standby_not_linked(catalogue: Catalogue, tmp_path: Path) -> None:
    """With ``into`` (a standby site's list), an unchanged file is noted there (the previous
    build's file and inode), not linked into the new folder; the two together are what a
    clean build writes."""
    state, before, after, clean = tmp_path / "state", tmp_path / "before", tmp_path / "after", tmp_path / "clean"
    build(catalogue, before, state)
    cat = edited(catalogue, {17: replace_in_body("的", "和")})
    into: dict[str, tuple[str, int, int]] = {}
    stats = write_index(cat, after, lambda item: "x/", workers=1, heavy=HEAVY, target=TARGET, state=state,
                        previous=before, into=into)  # fmt: skip
    assert stats.reused == len(into) > 0
    for dest, (source, dev, ino) in into.items():
        rel = str(Path(dest).relative_to(after))
        assert not Path(dest).exists() and source == str(before / rel)
        assert (dev, ino) == (Path(source).stat().st_dev, Path(source).stat().st_ino)
        Path(dest).hardlink_to(source)  # what the standby does
    build(cat, clean)
    assert differing(after, clean) == []
    # the next build takes the noted files from where they were published
    again = edited(cat, {18: replace_in_body("的", "和")})
    assert build(again, tmp_path / "again", state, previous=after).reused > 0
    build(again, tmp_path / "clean2")
    assert differing(tmp_path / "again", tmp_path / "clean2") == []
