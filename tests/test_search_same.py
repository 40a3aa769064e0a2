"""Heavy terms holding the same postings (format 5, manifest ``same``): the bigrams of a phrase
that never occurs split (容错纠错: 容错, 错纠, 纠错) have equal records but for their own first
appearance, and engine.js loads one file for all of them. The results, their order and every
score must be what the engine gives without the aliases; incremental builds must still equal
clean ones when an edit makes or breaks such a group."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from generator.model.catalogue import Catalogue
from generator.search.compact import decode, js_order
from generator.search.index import write_index
from generator.search.shards import heavy_name, same_postings
from generator.site.engine import lunr_js_path
from tests.conftest import ProjectFactory
from tests.search_helpers import CJK_RUN, JS_DIR, node_json

FETCHED_RUNNER = Path(__file__).parent / "js" / "fetched.js"
# phrases whose inner bigrams occur only inside them (容错纠错, 加装电梯, 老旧小区), beside words
# sharing a bigram with them (电梯 alone, 纠错 alone in some documents)
WORDS = ["政府", "信息", "公开", "工作", "通知", "容错纠错", "担当作为", "加装电梯", "老旧小区", "电梯",
         "补助", "资金", "管理", "应急", "预案", "统计", "报表", "二〇二四"]  # fmt: skip
HEAVY, TARGET = 40, 150


def text(rng: random.Random, words: int, vocabulary: list[str] = WORDS) -> str:
    return "".join(rng.choice(vocabulary) + rng.choice(["", "，", "。", " 2024 ", "的"]) for _ in range(words))


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    rng = random.Random(20261207)
    p = ProjectFactory(tmp_path_factory.mktemp("same") / "repo")
    for n in range(1, 61):
        p.entry(
            f"e{n}",
            index_no=f"000000002/2024-{n:05d}",
            title=text(rng, rng.randint(2, 5), WORDS[:5] + WORDS[10:]),  # the phrases in bodies only
            doc_number=f"测政办发〔2024〕{n}号",
            keywords=[rng.choice(WORDS[:5])],
            abstract=text(rng, 2, WORDS[:5]),
            body=text(rng, rng.randint(0, 90)) + ("纠错" if n % 7 == 0 else "") + "\n",
            published_date=dt.date(2024, 1 + n % 12, 1 + n % 28),
        )
    for n in range(61, 64):
        p.interpretation(
            f"i{n}", index_no=f"000000002/2024-{n:05d}", title=text(rng, 3, WORDS[:5]),
            interprets=[f"000000002/2024-{n - 60:05d}"], body=text(rng, 30) + "\n",
        )  # fmt: skip
    return p.load().public()


def build(cat: Catalogue, out: Path, state: Path | None = None, previous: Path | None = None) -> None:
    write_index(cat, out, lambda item: "x/", workers=1, heavy=HEAVY, target=TARGET, state=state, previous=previous)


def manifest(search: Path) -> dict[str, Any]:
    return json.loads((search / "manifest.json").read_text(encoding="utf-8"))


def heavy_records(search: Path) -> dict[str, list[Any]]:
    out = {}
    for term in manifest(search)["heavy"]:
        for rec in json.loads((search / "shards" / f"{heavy_name(term)}.json").read_text(encoding="utf-8")):
            if rec[0] == term:
                out[term] = rec
    return out


def expected_same(search: Path) -> list[list[Any]]:
    """Brute force: heavy terms whose decoded postings (every field) equal an earlier one's."""
    first: dict[str, str] = {}
    out = []
    records = heavy_records(search)
    for term in sorted(records, key=js_order):
        _, (origin, rank), idf, fields = decode(records[term])
        held = first.setdefault(json.dumps([idf, fields]), term)
        if held != term:
            out.append([term, held, origin, rank])
    return out


def without_aliases(search: Path, to: Path) -> Path:
    """The same index, its manifest without ``same`` (what format 4's engine did: a file a term)."""
    shutil.copytree(search, to)
    m = manifest(to)
    m["same"] = []
    (to / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    return to


def run(search: Path, queries: list[str]) -> list[dict[str, Any]]:
    js = search.parent / f"js-{search.name}"
    if not js.is_dir():
        js.mkdir()
        shutil.copyfile(lunr_js_path(), js / "lunr.js")
        for name in ("tokenizer.js", "engine.js"):
            shutil.copyfile(JS_DIR / name, js / name)
    return list(node_json([str(FETCHED_RUNNER), str(js), str(search)], queries))


@pytest.fixture(scope="module")
def index(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    search = tmp_path_factory.mktemp("same-index") / "search"
    build(catalogue, search)
    return search


def test_the_manifest_lists_exactly_the_heavy_terms_with_equal_postings(index: Path) -> None:
    same = manifest(index)["same"]
    assert same == expected_same(index)
    aliases = {alias[0]: alias[1] for alias in same}
    assert aliases["错纠"] == "容错" and aliases["装电"] == "加装"  # the first in JavaScript order
    assert aliases["担当"] == aliases["当作"] == "作为"
    assert "纠错" not in aliases and "容错" not in aliases  # 纠错 also stands alone: other postings
    assert "电梯" not in aliases  # 电梯 alone too


def test_same_postings_compares_every_row() -> None:
    """Equal sizes and equal sums of keys and tfs are not equal postings."""
    ids = {"a": 0, "b": 1, "c": 2, "d": 3, "e": 4}
    sizes = [2, 2, 2, 2, 1]
    key = np.array([8, 17, 8, 17, 9, 16, 8, 17, 5], dtype=np.uint32)
    tf = np.array([1, 2, 1, 2, 1, 2, 2, 1, 1], dtype=np.uint32)
    assert same_postings(["a", "b", "c", "d", "e"], ids, sizes, key, tf) == {"b": "a"}
    assert same_postings(["a", "c", "d", "e"], ids, sizes, key, tf) == {}


def test_the_engine_loads_one_file_for_a_phrase_and_finds_the_same(index: Path, tmp_path: Path) -> None:
    plain = without_aliases(index, tmp_path / "plain")
    queries = ["容错纠错", "加装电梯", "容错纠错 加装电梯", "担当作为 容错纠错 工作"]
    with_, without = run(index, queries), run(plain, queries)
    for q, a, b in zip(queries, with_, without, strict=True):
        assert a["refs"] == b["refs"] and a["scores"] == b["scores"], q
        assert a["refs"], q
        heavy_a = [f for f in a["fetched"] if f.startswith("shards/h")]
        heavy_b = [f for f in b["fetched"] if f.startswith("shards/h")]
        assert len(heavy_a) < len(heavy_b), q
    assert len([f for f in with_[0]["fetched"] if f.startswith("shards/")]) == 2  # 容错 (错纠 with it), 纠错


def test_results_scores_and_order_equal_without_the_aliases(catalogue: Catalogue, index: Path, tmp_path: Path) -> None:
    """Random queries (substrings of the documents, word pairs, heavy terms only, light and
    heavy mixed): the same results in the same order with the same scores, never more files."""
    rng = random.Random(7)
    queries = []
    for item in list(catalogue.entries.values())[:40]:
        runs = CJK_RUN.findall(item.body)
        for _ in range(3 if runs else 0):
            chosen = rng.choice(runs)
            size = rng.randint(2, min(8, len(chosen)))
            start = rng.randint(0, len(chosen) - size)
            queries.append(chosen[start : start + size])
    queries += [f"{rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(40)]
    queries += ["容错纠错 没有这个词", "错纠", "装电 2024", "纠错 电梯", "政府 工作 信息 公开"]
    plain = without_aliases(index, tmp_path / "plain")
    with_, without = run(index, queries), run(plain, queries)
    assert [(r["refs"], r["scores"]) for r in with_] == [(r["refs"], r["scores"]) for r in without]
    fewer = 0
    for a, b in zip(with_, without, strict=True):
        assert set(a["fetched"]) - set(b["fetched"]) <= {f for f in a["fetched"] if f.startswith("shards/h")}
        assert len(a["fetched"]) <= len(b["fetched"])
        fewer += len(a["fetched"]) < len(b["fetched"])
    assert fewer > 20 and sum(bool(r["refs"]) for r in with_) > len(queries) * 0.7


@pytest.mark.parametrize("change", ["break", "make"])
def test_an_edit_that_makes_or_breaks_a_group_equals_a_clean_build(
    catalogue: Catalogue, tmp_path: Path, change: str
) -> None:
    """装电 alone in one body breaks 装电 = 加装; removing it again makes the group anew."""
    entries = list(catalogue.entries.values())
    with_split = entries[:]
    with_split[10] = dataclasses.replace(entries[10], body=entries[10].body + "装电\n")

    def cat(items: list[Any]) -> Catalogue:
        return Catalogue.build(
            catalogue.config, items, catalogue.interpretations.values(), catalogue.pages, catalogue.build_date
        )

    before, after = (entries, with_split) if change == "break" else (with_split, entries)
    build(cat(before), tmp_path / "a", state=tmp_path / "state")
    build(cat(after), tmp_path / "b", state=tmp_path / "state", previous=tmp_path / "a")
    build(cat(after), tmp_path / "clean")
    files = sorted(str(f.relative_to(tmp_path / "clean")) for f in (tmp_path / "clean").rglob("*") if f.is_file())
    assert files == sorted(str(f.relative_to(tmp_path / "b")) for f in (tmp_path / "b").rglob("*") if f.is_file())
    assert [f for f in files if (tmp_path / "b" / f).read_bytes() != (tmp_path / "clean" / f).read_bytes()] == []
    aliases = [{a[0] for a in manifest(tmp_path / x)["same"]} for x in ("a", "b")]
    split = aliases[0] if change == "break" else aliases[1]
    joined = aliases[1] if change == "break" else aliases[0]
    assert "装电" in split and "装电" not in joined
    assert manifest(tmp_path / "b")["same"] == expected_same(tmp_path / "b")
