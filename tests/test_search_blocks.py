"""Heavy terms written a block of documents at a time (format 5; ``BLOCK_DOCS`` documents a
block, small here): engine.js loads only the blocks every heavy term of the query has (the
manifest's masks) and, when the query has light terms, loads those first and then only the
blocks holding a document that has all of them. Same results, order and scores as loading every block (and as
lunr.js on lunr.py's index); the index still expands to lunr.py's; incremental builds still
equal clean ones."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from lunr import lunr
from lunr.builder import Builder

from generator.model.catalogue import Catalogue
from generator.search.compact import decode, expand
from generator.search.documents import FIELDS, search_docs
from generator.search.index import write_index
from generator.search.shards import heavy_name
from generator.site.engine import lunr_js_path
from tests.conftest import ProjectFactory
from tests.search_helpers import CJK_RUN, JS_DIR, node_json

RUNNERS = Path(__file__).parent / "js"
WORDS = ["政府", "信息", "公开", "工作", "通知", "关于", "做好", "办法", "实施", "容错纠错", "补助", "资金",
         "管理", "应急", "预案", "统计", "报表"]  # fmt: skip
HEAVY, TARGET, BLOCK = 40, 150, 16  # 84 documents: 6 blocks


def text(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(WORDS) + rng.choice(["", "，", "。", " 2024 ", "的"]) for _ in range(words))


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """债务风险 (heavy: title and body) only in documents 0–19 (blocks 0 and 1), 专项审计 (light)
    only in documents 4–8 (block 0), the other words everywhere."""
    rng = random.Random(20261207)
    p = ProjectFactory(tmp_path_factory.mktemp("blocks") / "repo")
    for n in range(1, 81):
        rare = "债务风险" if n <= 20 else ""
        p.entry(
            f"e{n}",
            index_no=f"000000002/2024-{n:05d}",
            title=text(rng, rng.randint(2, 5)) + rare,
            doc_number=f"测政办发〔2024〕{n}号",
            keywords=[rng.choice(WORDS)],
            abstract=text(rng, 2),
            body=text(rng, rng.randint(5, 60)) + rare + ("专项审计" if 5 <= n <= 9 else "") + "\n",
            published_date=dt.date(2024, 1 + n % 12, 1 + n % 28),
        )
    for n in range(81, 85):
        p.interpretation(
            f"i{n}", index_no=f"000000002/2024-{n:05d}", title=text(rng, 3),
            interprets=[f"000000002/2024-{n - 80:05d}"], body=text(rng, 30) + "\n",
        )  # fmt: skip
    return p.load().public()


def build(cat: Catalogue, out: Path, state: Path | None = None, previous: Path | None = None) -> None:
    write_index(
        cat, out, lambda item: "x/", workers=1, heavy=HEAVY, target=TARGET, state=state, previous=previous, block=BLOCK
    )


@pytest.fixture(scope="module")
def index(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    search = tmp_path_factory.mktemp("blocks-index") / "search"
    build(catalogue, search)
    return search


def js_folder(search: Path) -> Path:
    js = search.parent / "js"
    if not js.is_dir():
        js.mkdir()
        shutil.copyfile(lunr_js_path(), js / "lunr.js")
        for name in ("tokenizer.js", "engine.js"):
            shutil.copyfile(JS_DIR / name, js / name)
    return js


def run(runner: str, *args: str, queries: list[str]) -> list[dict[str, Any]]:
    return list(node_json([str(RUNNERS / runner), *args], queries))


def queries(catalogue: Catalogue) -> list[str]:
    rng = random.Random(11)
    out = ["债务风险 工作", "债务风险 政府 信息 公开", "专项审计 政府", "专项审计 债务风险 工作", "政府 工作",
           "容错纠错 资金", "债务", "没有这个词 政府", "风险 2024"]  # fmt: skip
    for item in list(catalogue.entries.values())[::3]:
        runs = CJK_RUN.findall(item.body)
        for _ in range(2 if runs else 0):
            chosen = rng.choice(runs)
            size = rng.randint(2, min(8, len(chosen)))
            start = rng.randint(0, len(chosen) - size)
            out.append(chosen[start : start + size])
    out += [f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(30)]
    return out


def manifest(search: Path) -> dict[str, Any]:
    return json.loads((search / "manifest.json").read_text(encoding="utf-8"))


def test_each_heavy_file_holds_its_block_and_the_manifest_names_them(index: Path) -> None:
    m = manifest(index)
    assert m["format"] == 5 and m["blockDocs"] == BLOCK and m["documents"] == 84
    assert len(m["heavy"]) == len(m["blocks"]) > 10
    held: dict[str, int] = {}
    for path in (index / "shards").glob("h*.json"):
        name, _, k = path.stem.partition("-")
        block = int(k or 0)
        for rec in json.loads(path.read_text(encoding="utf-8")):
            assert heavy_name(rec[0]) == name
            docs = [d for pairs in decode(rec)[3] for d, _ in pairs]
            assert docs and all(block * BLOCK <= d < (block + 1) * BLOCK for d in docs), (path.name, rec[0])
            held[rec[0]] = held.get(rec[0], 0) | 1 << block
    assert {t: format(mask, "x") for t, mask in held.items()} == dict(zip(m["heavy"], m["blocks"], strict=True))
    masks = dict(zip(m["heavy"], m["blocks"], strict=True))
    assert masks["债务"] == masks["风险"] == "3"  # documents 0–19: blocks 0 and 1
    assert masks["政府"] == "3f"


def test_a_blocked_index_expands_to_lunr_py_and_scores_as_lunr_js(catalogue: Catalogue, index: Path) -> None:
    docs = search_docs(catalogue)
    rows = [{"id": d.ref, **{f.name: d.field_terms(i) for i, f in enumerate(FIELDS)}} for d in docs]
    spec = [{"field_name": f.name, "boost": f.boost, "extractor": (lambda d, f=f.name: d[f])} for f in FIELDS]
    serialized = lunr("id", spec, rows, builder=Builder()).serialize()
    full = index.parent / "full.json"
    full.write_text(json.dumps(serialized, ensure_ascii=False), "utf-8")
    shards = [json.loads(f.read_text(encoding="utf-8")) for f in (index / "shards").glob("*.json")]
    lengths = json.loads((index / "lengths.json").read_text(encoding="utf-8"))
    assert expand(shards, [f.name for f in FIELDS], [f.boost for f in FIELDS], lengths, []) == json.loads(
        full.read_text(encoding="utf-8")
    )
    qs = queries(catalogue)
    results = run("exact.js", str(js_folder(index)), str(index), str(full), queries=qs)
    assert [(q, r["engine"]) for q, r in zip(qs, results, strict=True)] == [
        (q, r["lunr"]) for q, r in zip(qs, results, strict=True)
    ]
    assert sum(bool(r["lunr"]) for r in results) > len(qs) * 0.7


def test_loading_only_the_candidates_blocks_finds_the_same(catalogue: Catalogue, index: Path) -> None:
    qs = queries(catalogue)
    js = str(js_folder(index))
    partial, whole = (
        run("fetched.js", js, str(index), queries=qs),
        run("fetched.js", js, str(index), "whole", queries=qs),
    )
    for q, a, b in zip(qs, partial, whole, strict=True):
        assert (a["refs"], a["scores"]) == (b["refs"], b["scores"]), q
        assert set(a["fetched"]) <= set(b["fetched"]), q
    got = dict(zip(qs, partial, strict=True))

    def heavy_files(q: str, term: str) -> list[str]:
        name = heavy_name(term)
        return sorted(f for f in got[q]["fetched"] if f == f"shards/{name}.json" or f.startswith(f"shards/{name}-"))

    gov = heavy_name("政府")
    # 债务 is in blocks 0 and 1 only: only those blocks of the others
    assert 10 < len(got["债务风险 工作"]["refs"]) <= 20
    assert heavy_files("债务风险 工作", "工作") == sorted(
        [f"shards/{heavy_name('工作')}.json", f"shards/{heavy_name('工作')}-1.json"]
    )
    assert heavy_files("债务风险 政府 信息 公开", "政府") == sorted([f"shards/{gov}.json", f"shards/{gov}-1.json"])
    # a light term first: 专项审计 is in block 0 only
    assert 0 < len(got["专项审计 政府"]["refs"]) <= 5
    assert heavy_files("专项审计 政府", "政府") == [f"shards/{gov}.json"]
    # candidates in every block: every block
    assert len(heavy_files("政府 工作", "政府")) == 6
    assert sum(len(a["fetched"]) < len(b["fetched"]) for a, b in zip(partial, whole, strict=True)) >= 4
    # no document has the light term: no heavy file
    assert got["没有这个词 政府"]["refs"] == [] and not heavy_files("没有这个词 政府", "政府")


Edit = tuple[str, Any]


@pytest.mark.parametrize("change", ["body", "new block", "add", "delete"])
def test_an_incremental_build_equals_a_clean_build(catalogue: Catalogue, tmp_path: Path, change: str) -> None:
    entries = list(catalogue.entries.values())
    after = entries[:]
    if change == "body":  # a document of block 2
        after[40] = dataclasses.replace(entries[40], body=entries[40].body + "政府工作\n")
    elif change == "new block":  # 债务风险 now also in block 4: a new block file of 债务, 务风, 风险
        after[70] = dataclasses.replace(entries[70], body=entries[70].body + "债务风险\n")
    elif change == "add":
        new = dataclasses.replace(entries[30], index_no="000000002/2023-00001", doc_number="测政办发〔2023〕1号")
        after.append(dataclasses.replace(new, source="catalogue/x.md"))  # the first document: every number moves
    else:
        del after[10]

    def cat(items: list[Any]) -> Catalogue:
        return Catalogue.build(
            catalogue.config, items, catalogue.interpretations.values(), catalogue.pages, catalogue.build_date
        )

    build(cat(entries), tmp_path / "a", state=tmp_path / "state")
    build(cat(after), tmp_path / "b", state=tmp_path / "state", previous=tmp_path / "a")
    build(cat(after), tmp_path / "clean")

    def files(folder: Path) -> dict[str, bytes]:
        return {str(f.relative_to(folder)): f.read_bytes() for f in folder.rglob("*") if f.is_file()}

    a, b, clean = files(tmp_path / "a"), files(tmp_path / "b"), files(tmp_path / "clean")
    assert sorted(b) == sorted(clean)
    assert [f for f in clean if b[f] != clean[f]] == []
    assert a != b
    if change == "new block":
        assert f"shards/{heavy_name('债务')}-4.json" in b and f"shards/{heavy_name('债务')}-4.json" not in a
