"""engine.js in node: lunr.js' own scores from the compact shards, and the ranking rules.

The compact format must lose nothing: for every query, engine.js (which expands the
query's term records into a small lunr index and lets lunr.js score it) gives exactly —
bit for bit — the scores lunr.js gives on the plain index lunr.py serializes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from lunr import lunr
from lunr.builder import Builder

from generator.search.compact import codes, decode, expand, field_text
from generator.search.documents import FIELDS, search_docs
from generator.search.index import write_index
from generator.search.postings import thousandths
from generator.site.engine import lunr_js_path
from tests.conftest import ProjectFactory
from tests.search_helpers import CJK_RUN, JS_DIR, node_json, run_queries

EXACT_RUNNER = Path(__file__).parent / "js" / "exact.js"
WORDS = ["政府", "信息", "公开", "工作", "通知", "关于", "做好", "办法", "实施", "意见", "澜江", "市人民",
         "补助", "资金", "管理", "加装电梯", "老旧小区", "应急", "预案", "统计", "报表", "第一", "二〇二四"]  # fmt: skip


def random_text(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(WORDS) + rng.choice(["", "", "，", "。", " 2024 ", "的"]) for _ in range(words))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """A built search/ folder (small thresholds: heavy terms and buckets), lunr.py's full
    index of the same documents, and queries taken from the documents."""
    rng = random.Random(20260115)
    root = tmp_path_factory.mktemp("exact")
    p = ProjectFactory(root / "repo")
    for n in range(1, 41):
        p.entry(
            f"e{n}",
            index_no=f"000000002/2024-{n:05d}",
            title=random_text(rng, rng.randint(2, 6)),
            doc_number=f"测政办发〔2024〕{n}号",
            keywords=[rng.choice(WORDS)],
            abstract=random_text(rng, 3),
            body=random_text(rng, rng.randint(0, 120)) + "\n",
            published_date=dt.date(2024, 1 + n % 12, 1 + n % 28),
        )
    for n in range(41, 46):
        p.interpretation(
            f"i{n}", index_no=f"000000002/2024-{n:05d}", title=random_text(rng, 4), interprets=[f"000000002/2024-{n - 40:05d}"],
            body=random_text(rng, 40) + "\n",
        )  # fmt: skip
    cat = p.load().public()
    search = root / "search"
    write_index(cat, search, lambda item: "x/", heavy=40, target=150)
    docs = search_docs(cat)
    rows = [{"id": d.ref, **{f.name: d.field_terms(i) for i, f in enumerate(FIELDS)}} for d in docs]
    spec = [{"field_name": f.name, "boost": f.boost, "extractor": (lambda d, f=f.name: d[f])} for f in FIELDS]
    full = root / "full.json"
    full.write_text(json.dumps(lunr("id", spec, rows, builder=Builder()).serialize(), ensure_ascii=False), "utf-8")
    texts = [d.texts[0] for d in docs] + [d.texts[-1] for d in docs]
    queries = []
    for text in texts:
        runs = CJK_RUN.findall(text)
        for _ in range(3 if runs else 0):
            run = rng.choice(runs)
            size = rng.randint(1, min(6, len(run)))
            start = rng.randint(0, len(run) - size)
            queries.append(run[start : start + size])
    queries += [f"{rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(40)]
    queries += ["2024 通知", "工作 实施 意见 办法", "没有这个词", "政", "二〇"]
    return search, full, queries


def exact_scores(search: Path, full: Path, queries: list[str]) -> list[dict[str, Any]]:
    js = search.parent / "js"
    if not js.is_dir():
        js.mkdir()
        shutil.copyfile(lunr_js_path(), js / "lunr.js")
        for name in ("tokenizer.js", "engine.js"):
            shutil.copyfile(JS_DIR / name, js / name)
    return list(node_json([str(EXACT_RUNNER), str(js), str(search), str(full)], queries))


def test_engine_scores_are_lunr_js_scores_on_the_lunr_py_index(corpus: tuple[Path, Path, list[str]]) -> None:
    search, full, queries = corpus
    results = exact_scores(search, full, queries)
    assert len(results) == len(queries) > 300
    differ = [(q, r) for q, r in zip(queries, results, strict=True) if r["engine"] != r["lunr"]]
    assert differ == []  # same documents, scores equal as doubles (JSON keeps every bit)
    found = [r for r in results if r["lunr"]]
    assert len(found) > len(queries) * 0.8
    assert any(len(r["lunr"]) > 10 for r in found) and any(len(r["terms"]) > 3 for r in found)
    assert any(not r["lunr"] for r in results)  # and queries without results agree too


def test_the_shards_expand_to_the_lunr_py_index(corpus: tuple[Path, Path, list[str]]) -> None:
    """Term numbers included: the index built in two phases numbers terms as lunr.py does."""
    search, full, _ = corpus
    shards = [json.loads(f.read_text(encoding="utf-8")) for f in (search / "shards").glob("*.json")]
    forms = {type(p) for shard in shards for r in shard for p in r[4:] if p}
    assert forms == {str, list}  # dense and sparse fields: the engine's scores above read both
    manifest = json.loads((search / "manifest.json").read_text(encoding="utf-8"))
    lengths = json.loads((search / "lengths.json").read_text(encoding="utf-8"))
    assert manifest["heavy"] and len(shards) > len(manifest["heavy"]) + 5
    expected = json.loads(full.read_text(encoding="utf-8"))
    assert expand(shards, [f.name for f in FIELDS], [f.boost for f in FIELDS], lengths, []) == expected


def test_the_comparison_sees_a_changed_weight(corpus: tuple[Path, Path, list[str]]) -> None:
    """The comparison can fail: the full index with one weight changed by 0.001 gives other scores."""
    search, full, _ = corpus
    index = json.loads(full.read_text(encoding="utf-8"))
    terms = {posting["_index"]: t for t, posting in index["invertedIndex"]}
    for _, vector in index["fieldVectors"]:
        k = next((k for k in range(0, len(vector), 2) if len(terms[vector[k]]) == 2), None)
        if k is not None:
            vector[k + 1] += 0.001
            term = terms[vector[k]]
            break
    changed = full.with_name("changed.json")
    changed.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    [result] = exact_scores(search, changed, [term])
    assert result["engine"].keys() == result["lunr"].keys()
    assert result["engine"] != result["lunr"]


# --- ranking: a policy before its interpretations --------------------------------------

POLICY_TITLE = "测试市既有住宅加装电梯管理办法"


@pytest.fixture(scope="module")
def policy_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = ProjectFactory(tmp_path_factory.mktemp("policy-first") / "repo")
    p.entry(
        "policy",
        index_no="000000002/2024-00001",
        title=POLICY_TITLE,
        doc_number="测政办规〔2024〕3号",
        body="第一条 为了规范既有住宅增设电梯工作，制定本办法。\n\n"
        + "第二条 业主应当协商一致，依法申请，按规定验收。\n\n" * 20,
    )
    p.entry(
        "other",
        index_no="000000002/2024-00002",
        title="测试市住宅专项维修资金管理办法",
        doc_number="测政办规〔2024〕4号",
        body="维修资金用于住宅共用部位的维修。\n",
    )
    p.interpretation(
        "reading",
        index_no="000000002/2024-00003",
        title=f"《{POLICY_TITLE}》政策解读",
        interprets=["000000002/2024-00001"],
        body=f"{POLICY_TITLE}已经印发。" * 3 + "加装电梯是民生工程。\n",
    )
    return p.build()


def test_a_policy_ranks_before_its_interpretation_for_its_title_words(policy_site: Path) -> None:
    from tests.search_helpers import documents

    by_title = {doc["t"]: ref for ref, doc in documents(policy_site).items()}
    policy, reading = by_title[POLICY_TITLE], by_title[f"《{POLICY_TITLE}》政策解读"]
    query = "加装电梯 管理办法"
    [result, by_date, title] = run_queries(
        policy_site, [{"q": query}, {"q": query, "sort": "date"}, {"q": POLICY_TITLE}]
    )
    scores = result["scores"]
    assert scores[reading] > scores[policy]  # lunr alone would put the interpretation first
    assert result["refs"][:2] == [policy, reading]
    assert title["refs"][:2] == [policy, reading]
    assert set(by_date["refs"]) == set(result["refs"])


def test_an_exact_match_of_the_interpretation_still_comes_first(policy_site: Path) -> None:
    from tests.search_helpers import documents

    by_title = {doc["t"]: ref for ref, doc in documents(policy_site).items()}
    [result] = run_queries(policy_site, [{"q": "000000002/2024-00003"}])
    assert result["refs"][0] == by_title[f"《{POLICY_TITLE}》政策解读"]
    assert result["exact"] == [result["refs"][0]]


def test_engine_rounds_weights_as_python_rounds(tmp_path: Path) -> None:
    """engine.js' thousandths(x) / 1000 is Python's round(x, 3): random doubles, exact halves
    (x = odd / 16), and the doubles on either side of every halfway point tried."""
    rng = random.Random(3)
    values = [rng.uniform(0, 2e4) for _ in range(3000)] + [rng.uniform(0, 3) for _ in range(3000)]
    values += [m / 16 for m in range(1, 4000, 2)]
    for _ in range(2000):
        half = (rng.randrange(0, 20_000_000) + 0.5) / 1000
        values += [half, math.nextafter(half, 0), math.nextafter(half, math.inf)]
    script = (
        "const G = require(process.argv[1]); let s = ''; process.stdin.on('data', (c) => { s += c; });"
        "process.stdin.on('end', () => process.stdout.write(JSON.stringify(JSON.parse(s).map(G.thousandths))));"
    )
    got = node_json(["-e", script, str(JS_DIR / "engine.js")], values, timeout=120)
    assert [k / 1000 for k in got] == [round(x, 3) for x in values]
    assert got == [thousandths(x) for x in values]


def test_engine_reads_coded_numbers_as_python_writes_them() -> None:
    """Postings lists are strings of codes(): small numbers one character, others escaped."""
    rng = random.Random(5)
    lists = [
        [rng.choice([rng.randrange(61), rng.randrange(61, 10**6)]) for _ in range(rng.randrange(50))]
        for _ in range(200)
    ]
    lists += [[0, 60, 61, 62, 100, 999_999, 1]]
    script = (
        "const G = require(process.argv[1]); let s = ''; process.stdin.on('data', (c) => { s += c; });"
        "process.stdin.on('end', () => process.stdout.write(JSON.stringify(JSON.parse(s).map(G.uncodes))));"
    )
    result = node_json(["-e", script, str(JS_DIR / "engine.js")], [codes(values) for values in lists], timeout=120)
    assert result == lists


def test_engine_reads_dense_and_sparse_fields_as_python_does() -> None:
    rng = random.Random(7)
    fields = []
    for _ in range(300):
        docs = sorted(rng.sample(range(rng.choice([50, 500, 5000])), rng.randint(1, 40)))
        tfs = [rng.choice([1, 1, 2, 3, 60, 61, 200]) for _ in docs]
        fields.append(field_text([docs[0]] + [b - a for a, b in itertools.pairwise(docs)], tfs))
    values = [json.loads(text) for text in fields]
    assert {type(v) for v in values} == {str, list}
    script = (
        "const G = require(process.argv[1]); let s = ''; process.stdin.on('data', (c) => { s += c; });"
        "process.stdin.on('end', () => process.stdout.write(JSON.stringify(JSON.parse(s).map((p) => {"
        "const r = G.postings(p); return Array.from(r.docs).map((d, k) => [d, r.tfs[k]]); }))));"
    )
    result = node_json(["-e", script, str(JS_DIR / "engine.js")], values, timeout=120)
    expected = [[list(pair) for pair in decode(["t", 0, 0, 1.0, v])[3][0]] for v in values]
    assert result == expected


def test_equal_scores_rank_policies_first_then_newest_then_by_number(tmp_path: Path) -> None:
    """Ties of rank: a policy before an interpretation, then the newest, then catalogue order."""
    from tests.search_helpers import documents

    p = ProjectFactory(tmp_path / "repo")
    dates = [dt.date(2024, 3, 1), dt.date(2024, 5, 1), dt.date(2024, 3, 1), dt.date(2023, 1, 1), dt.date(2024, 5, 1)]
    for n, date in enumerate(dates, start=1):
        p.entry(f"e{n}", index_no=f"000000002/{date.year}-{n:05d}", title="既有住宅加装电梯", published_date=date, written_date=date,
                doc_number=f"测政办规〔2024〕{n}号", body="加装电梯是民生工程。\n")  # fmt: skip
    p.entry(
        "other", index_no="000000002/2024-00009", title="维修资金", doc_number="测政办规〔2024〕9号", body="无关。\n"
    )
    for n, date in [(6, dt.date(2022, 1, 1)), (7, dt.date(2025, 1, 1))]:
        p.interpretation(f"i{n}", index_no=f"000000002/{date.year}-{n:05d}", title="既有住宅加装电梯", published_date=date,
                         interprets=["000000002/2024-00009"], body="加装电梯是民生工程。\n")  # fmt: skip
    site = p.build()
    by_number = {int(doc["i"][-5:]): ref for ref, doc in documents(site).items()}
    [result] = run_queries(site, [{"q": "加装电梯 民生"}])
    assert len(set(result["scores"].values())) == 1 and len(result["refs"]) == 7  # all tie
    expected = [2, 5, 1, 3, 4, 7, 6]  # newest first, number on equal dates; interpretations last
    assert result["refs"] == [by_number[n] for n in expected]
