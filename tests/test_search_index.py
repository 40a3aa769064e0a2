"""The search index: lunr.py is the reference for our serializer; shards; public content only."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lunr import lunr
from lunr.builder import Builder
from lunr.index import Index
from lunr.query import QueryPresence

from generator.search import shards as S
from generator.search.documents import FIELDS, plain_text, search_docs
from generator.search.index import build_postings, write_index
from generator.search.serialize import Postings, js_order, serialize
from generator.search.tokenizer import gongkai_full, gongkai_text, query_terms, register_pipeline_functions, terms
from generator.site.engine import lunr_js_path
from tests.conftest import BUILD_DATE, ProjectFactory

D = dt.date
CHARS = "政府信息公开工作通知关于做好办法实施意见澜江市人民的和年月日第一二三"


def random_corpus(n: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [
        {
            "id": format(i, "x"),
            "t": "".join(rng.choices(CHARS, k=rng.randint(3, 20))),
            "b": "".join(rng.choices(CHARS + "，。 abc 2020", k=rng.randint(0, 400))),
        }
        for i in range(n)
    ]


def roundtrip(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False))


def reference(docs: list[dict[str, Any]], fields: list[tuple[str, int]]) -> dict[str, Any]:
    """lunr.py over pre-tokenized lists with an empty pipeline."""
    spec = [{"field_name": f, "boost": b, "extractor": (lambda d, f=f: d[f])} for f, b in fields]
    return lunr("id", spec, docs, builder=Builder()).serialize()


def ours(docs: list[dict[str, Any]], fields: list[tuple[str, int]], **kw: Any) -> dict[str, Any]:
    p = Postings(tuple(f for f, _ in fields), tuple(b for _, b in fields))
    for d in docs:
        p.add(d["id"], [d[f] for f, _ in fields])
    return roundtrip(serialize(p, **kw))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_serializer_equals_lunr_py_on_random_corpora(seed: int) -> None:
    docs = [{"id": d["id"], "t": terms(d["t"], "full"), "b": terms(d["b"], "text")} for d in random_corpus(40, seed)]
    fields = [("t", 10), ("b", 1)]
    assert ours(docs, fields, drop_empty=False, js_sort=False) == roundtrip(reference(docs, fields))


def test_serializer_equals_lunr_py_running_our_pipeline_functions() -> None:
    """lunr.py tokenizes with the registered gongkai pipeline functions; same JSON out."""
    register_pipeline_functions()
    corpus = random_corpus(30, 7)
    builder = Builder()
    builder.pipeline.add(gongkai_full, gongkai_text)
    builder.pipeline.skip(gongkai_full, ["b"])
    builder.pipeline.skip(gongkai_text, ["t"])
    spec = [{"field_name": "t", "boost": 10, "extractor": lambda d: [d["t"]]},
            {"field_name": "b", "boost": 1, "extractor": lambda d: [d["b"]]}]  # fmt: skip
    expected = lunr("id", spec, corpus, builder=builder).serialize()
    docs = [{"id": d["id"], "t": terms(d["t"], "full"), "b": terms(d["b"], "text")} for d in corpus]
    assert ours(docs, [("t", 10), ("b", 1)], drop_empty=False, js_sort=False)["invertedIndex"] == roundtrip(
        expected["invertedIndex"]
    )
    assert ours(docs, [("t", 10), ("b", 1)], drop_empty=False, js_sort=False)["fieldVectors"] == roundtrip(
        expected["fieldVectors"]
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> ProjectFactory:
    p = ProjectFactory(tmp_path_factory.mktemp("search") / "repo")
    p.entry("a", body="# 总则\n\n为了做好**政务公开**工作，根据[条例](https://example.org)制定本办法。\n")
    p.entry(
        "b",
        index_no="000000002/2024-00003",
        title="测试市既有住宅加装电梯管理办法",
        doc_number="测政办规〔2024〕3号",
        info_type="行政规范性文件",
        validity="废止",
        validity_history=[{"date": D(2024, 3, 5), "status": "有效"}, {"date": D(2025, 1, 1), "status": "废止"}],
        keywords=["加装电梯", "老旧小区"],
        abstract="规范既有住宅加装电梯的申请、审批和补助。",
        body="既有住宅加装电梯应当经本单元业主表决同意。\n\n| 项目 | 补助 |\n|---|---|\n| 电梯 | 20万元 |\n",
    )
    p.entry(
        "request",
        index_no="000000002/2024-00004",
        title="依申请公开的会议纪要",
        disclosure="依申请公开",
        doc_number=None,
        body="MARKERONREQUEST 议定事项的正文。\n",
    )
    p.entry(
        "draft", index_no="000000002/2024-00005", title="草稿标题MARKERDRAFTTITLE", draft=True, body="MARKERDRAFT\n"
    )
    p.entry(
        "embargo",
        index_no="000000002/2024-00006",
        title="尚未到发布时间MARKEREMBARGOTITLE",
        embargo_until=D(2026, 6, 1),
        body="MARKEREMBARGO\n",
    )
    p.interpretation(body="解读：加装电梯补助提高到二十万元。\n", interprets=["000000002/2024-00003"])
    return p


@pytest.fixture(scope="module")
def site(project: ProjectFactory) -> Path:
    return project.build()


def test_index_of_real_documents_equals_lunr_py(project: ProjectFactory) -> None:
    docs = search_docs(project.load().public())
    rows = [{"id": d.ref, **{f.name: d.field_terms(i) for i, f in enumerate(FIELDS)}} for d in docs]
    fields = [(f.name, f.boost) for f in FIELDS]
    p = build_postings(docs)
    assert roundtrip(serialize(p, drop_empty=False, js_sort=False)) == roundtrip(reference(rows, fields))


def restrict(full: dict[str, Any], keep: set[str]) -> dict[str, Any]:
    """The full lunr.py index restricted to ``keep`` terms, indices renumbered, empty vectors dropped."""
    entries = [e for e in full["invertedIndex"] if e[0] in keep]
    old = sorted(e[1]["_index"] for e in entries)
    new = {o: n for n, o in enumerate(old)}
    inverted = [[t, {**post, "_index": new[post["_index"]]}] for t, post in entries]
    vectors = []
    for ref, elements in full["fieldVectors"]:
        pairs = [(new[elements[k]], elements[k + 1]) for k in range(0, len(elements), 2) if elements[k] in new]
        if pairs:
            vectors.append([ref, [x for pair in sorted(pairs) for x in pair]])
    return {**full, "invertedIndex": inverted, "fieldVectors": vectors}


def test_each_shard_is_the_full_index_restricted_to_its_terms() -> None:
    docs = [{"id": d["id"], "t": terms(d["t"], "full"), "b": terms(d["b"], "text")} for d in random_corpus(40, 11)]
    fields = [("t", 10), ("b", 1)]
    full = roundtrip(reference(docs, fields))
    p = Postings(("t", "b"), (10, 1))
    for d in docs:
        p.add(d["id"], [d["t"], d["b"]])
    counts = {"b": 7, "u": 3, "k": 1}
    layout = S.partition(p.terms, counts)
    assert sorted(i for ids in layout.values() for i in ids) == list(range(len(p.terms)))
    for name, ids in layout.items():
        shard = roundtrip(serialize(p, ids, js_sort=False))
        assert shard == restrict(full, {p.terms[i] for i in ids}), name


def combined_scores(p: Postings, layout: dict[str, list[int]], query: list[str]) -> dict[str, float]:
    """What engine.js does: AND across shards, shard scores rescaled by sqrt(n_shard / n)."""
    by_shard: dict[str, list[str]] = {}
    for term in query:
        by_shard.setdefault(S.shard_name(term, {"b": 7, "u": 3, "k": 1}), []).append(term)
    total = len(query)
    scores: dict[str, float] | None = None
    for name, shard_terms in by_shard.items():
        index = Index.load(roundtrip(serialize(p, layout[name])))
        results = index.query(
            callback=lambda q, ts=shard_terms: [
                q.term(t, use_pipeline=False, presence=QueryPresence.REQUIRED) for t in ts
            ]
        )
        part = {r["ref"]: r["score"] * math.sqrt(len(shard_terms) / total) for r in results}
        scores = part if scores is None else {k: scores[k] + v for k, v in part.items() if k in scores}
    return scores or {}


@pytest.mark.parametrize("pick", [(0, 0, 2), (3, 1, 4), (5, 0, 3), (7, 2, 6)])
def test_sharded_query_scores_equal_the_full_index(pick: tuple[int, int, int]) -> None:
    register_pipeline_functions()
    corpus = random_corpus(40, 5)
    doc, start, end = pick
    query = corpus[doc]["t"][start:end] + " " + corpus[doc]["b"][10:14]
    docs = [{"id": d["id"], "t": terms(d["t"], "full"), "b": terms(d["b"], "text")} for d in corpus]
    full = Index.load(roundtrip(reference(docs, [("t", 10), ("b", 1)])))
    p = Postings(("t", "b"), (10, 1))
    for d in docs:
        p.add(d["id"], [d["t"], d["b"]])
    layout = S.partition(p.terms, {"b": 7, "u": 3, "k": 1})
    words = query_terms(query)
    expected = {
        r["ref"]: r["score"]
        for r in full.query(
            callback=lambda q: [q.term(t, use_pipeline=False, presence=QueryPresence.REQUIRED) for t in words]
        )
    }
    got = combined_scores(p, layout, words)
    assert expected, query
    assert got.keys() == expected.keys()
    assert all(math.isclose(got[k], expected[k], rel_tol=1e-9) for k in expected)


def test_terms_are_sorted_as_javascript_compares_strings() -> None:
    p = Postings(("t",), (1,))
    p.add("0", [["\uf900", "\U00020000", "a"]])
    inverted = [t for t, _ in serialize(p)["invertedIndex"]]
    assert inverted == ["a", "\U00020000", "\uf900"]  # UTF-16: D840 < F900
    assert sorted(inverted, key=js_order) == inverted


def search_files(site: Path) -> list[Path]:
    return sorted(f for f in (site / "search").rglob("*") if f.is_file() and f.name != "index.html")


def test_only_public_content_reaches_the_search_files(site: Path) -> None:
    text = "\n".join(f.read_text(encoding="utf-8") for f in search_files(site))
    for marker in ["MARKERONREQUEST", "MARKERDRAFT", "MARKERDRAFTTITLE", "MARKEREMBARGO", "MARKEREMBARGOTITLE"]:
        assert marker not in text
        assert marker.lower() not in text
    assert "依申请公开的会议纪要" in text  # its catalogue metadata is searchable


def test_search_output_layout(site: Path) -> None:
    manifest = json.loads((site / "search" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pipeline"] == ["gongkai-query"]
    assert [f["name"] for f in manifest["fields"]] == [f.name for f in FIELDS]
    assert manifest["documents"] == 4  # 3 public entries + 1 interpretation
    for ns, count in manifest["shards"].items():
        for n in range(count):
            shard = json.loads((site / "search" / "shards" / f"{ns}{n}.json").read_text(encoding="utf-8"))
            assert shard["version"] == "2.3.9"
            assert shard["pipeline"] == ["gongkai-query"]
    assert len(list((site / "search" / "docs").glob("*.json"))) == 4
    facets = json.loads((site / "search" / "facets.json").read_text(encoding="utf-8"))
    assert [f["key"] for f in facets["facets"]] == ["agency", "topic", "year", "type", "validity"]
    assert len(facets["docs"]) == 4


def test_lunr_js_comes_from_the_installed_mkdocs(site: Path) -> None:
    copied = site / "assets" / "javascripts" / "search" / "lunr.js"
    assert copied.read_bytes() == lunr_js_path().read_bytes()
    assert not (
        Path(__file__).resolve().parents[1] / "theme" / "assets" / "javascripts" / "search" / "lunr.js"
    ).exists()


def test_search_page_has_no_inline_script_and_no_engine_search(site: Path) -> None:
    html = (site / "search" / "index.html").read_text(encoding="utf-8")
    assert 'id="gk-search-q"' in html
    page = html.split('id="gk-search-form"', 1)[1].split("</article>", 1)[0]
    assert re.findall(r"<script\b(?![^>]*\bsrc=)[^>]*>", page) == []  # our part: external scripts only
    assert re.findall(r"\son[a-z]+=", page) == []
    assert not (site / "search" / "search_index.json").exists()  # Material's search plugin is gone


def test_display_documents_carry_result_fields(site: Path, project: ProjectFactory) -> None:
    docs = search_docs(project.load().public())
    by_title = {d.item.title: d for d in docs}
    ref = by_title["测试市既有住宅加装电梯管理办法"].ref
    shown = json.loads((site / "search" / "docs" / f"{ref}.json").read_text(encoding="utf-8"))
    assert shown["n"] == "测政办规〔2024〕3号"
    assert shown["v"] == "废止"
    assert shown["u"] == "catalogue/000000002-2024-00003/"
    assert "业主表决同意" in shown["x"]


def test_plain_text_drops_markup() -> None:
    assert plain_text("# 总则\n\n为了**做好**[工作](https://x.org)。<b>x</b>") == "总则\n为了做好工作。x"


def test_write_index_is_deterministic(project: ProjectFactory, tmp_path: Path) -> None:
    cat = project.load().public()
    a, b = tmp_path / "a", tmp_path / "b"
    write_index(cat, a, lambda item: "x/", workers=1)
    write_index(cat, b, lambda item: "x/", workers=1)
    files = sorted(p.relative_to(a) for p in a.rglob("*.json"))
    assert files == sorted(p.relative_to(b) for p in b.rglob("*.json"))
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    assert BUILD_DATE  # the fixture builds for the shared build date


def reference_plain_text(markdown: str) -> str:
    """plain_text() as first written, one regex per rule (the fast version must agree)."""
    text = re.sub(r"^```.*?$", "", markdown, flags=re.MULTILINE)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)|^\s*[-:| ]{3,}\s*$", "", text, flags=re.MULTILINE)
    text = re.sub(r"[*_`~]+", "", text)
    text = re.sub(r"\s*\|\s*", " ", text)
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\n\s*\n+", "\n", text).strip()


@settings(max_examples=2000)
@given(st.text(alphabet="ab政府 \t\n|*_`~#>-:1.)[]()!<>\u3000\xa0\r\x0b\x0c\u2028", max_size=80))
def test_plain_text_follows_its_rules(markdown: str) -> None:
    assert plain_text(markdown) == reference_plain_text(markdown)
