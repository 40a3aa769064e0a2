"""Recall rule: any ≥2 consecutive CJK characters from a public item's title or body find it.

Runs the real query path (engine.js + tokenizer.js + the lunr.js copied into the site) in
node over the built sample site, and over a small fixture for exact cases.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from tests.conftest import ProjectFactory
from tests.search_helpers import CJK_RUN, documents, page_parts, run_queries

PER_TITLE = 6
PER_BODY = 12


def substrings(text: str, n: int, rng: random.Random) -> list[str]:
    runs = CJK_RUN.findall(text)
    out = []
    for _ in range(n if runs else 0):
        run = rng.choice(runs)
        size = rng.randint(2, min(8, len(run)))
        start = rng.randint(0, len(run) - size)
        out.append(run[start : start + size])
    return out


def sampled_queries(site: Path, seed: int) -> list[tuple[str, str, str]]:
    """(ref, where, query) for every search document of the site."""
    rng = random.Random(seed)
    out = []
    for ref, doc in sorted(documents(site).items()):
        title, body = page_parts(site, doc["u"])
        assert title == doc["t"]
        out += [(ref, "title", q) for q in substrings(title, PER_TITLE, rng)]
        out += [(ref, "body", q) for q in substrings(body, PER_BODY, rng)]
    return out


def assert_recall(site: Path, seed: int) -> int:
    cases = sampled_queries(site, seed)
    results = run_queries(site, [{"q": q} for _, _, q in cases])
    missed = [(ref, where, q) for (ref, where, q), r in zip(cases, results, strict=True) if ref not in r["refs"]]
    assert missed == []
    return len(cases)


def test_recall_on_the_sample_site(sample_site: Path) -> None:
    if not (sample_site / "search" / "docs").is_dir() or not any((sample_site / "search" / "docs").iterdir()):
        pytest.skip("the repository has no sample content")
    assert assert_recall(sample_site, seed=3) > 0


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = ProjectFactory(tmp_path_factory.mktemp("recall") / "repo")
    p.entry(
        "a", title="测试市人民政府关于民政工作的意见", body="为了**做好**民政工作，*特*制定本意见。\n\n- 第一条　总则\n"
    )
    p.entry(
        "b",
        index_no="000000003/2024-00002",
        title="测试市教育局关于义务教育招生入学的通知",
        publisher="edu",
        doc_number="测教发〔2024〕7号",
        body="| 学段 | 时间 |\n|---|---|\n| 小学 | 七月 |\n\n详见[招生平台](https://example.org)。\n",
        published_date=dt.date(2024, 6, 1),
    )
    return p.build()


def test_recall_on_a_fixture_with_markup(fixture_site: Path) -> None:
    assert assert_recall(fixture_site, seed=1) > 0


def test_bigrams_find_substrings_across_word_boundaries(fixture_site: Path) -> None:
    """民政 inside 人民政府: found, where word segmenters miss it."""
    refs = {doc["t"]: ref for ref, doc in documents(fixture_site).items()}
    [minzheng, phrase, cell] = run_queries(fixture_site, [{"q": "民政"}, {"q": "做好民政"}, {"q": "招生平台"}])
    assert refs["测试市人民政府关于民政工作的意见"] in minzheng["refs"]
    assert phrase["refs"] == [refs["测试市人民政府关于民政工作的意见"]]
    assert cell["refs"] == [refs["测试市教育局关于义务教育招生入学的通知"]]


def test_all_terms_are_required(fixture_site: Path) -> None:
    [both, none] = run_queries(fixture_site, [{"q": "民政 总则"}, {"q": "民政 招生"}])
    assert len(both["refs"]) == 1
    assert none["refs"] == []
