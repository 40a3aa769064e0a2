"""What citizens see, checked in the built HTML and in engine.js (no browser): validity in search
ranking, attachment type and size, the self-contained 404 page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.site.pages import file_kind, human_size
from tests.conftest import ProjectFactory
from tests.search_helpers import documents, run_queries

D = dt.date


# ----------------------------------------------------------------------------- search: validity


@pytest.fixture(scope="module")
def lift_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 加装电梯 case: a repealed 2021 notice (with a popular interpretation that lifts it)
    and the 2024 notice in force, at comparable relevance; and a repealed document far more
    relevant than anything in force for its own words."""
    p = ProjectFactory(tmp_path_factory.mktemp("validity-rank") / "repo")
    p.entry(
        "old",
        index_no="000000002/2021-00001",
        title="测试市既有住宅加装电梯实施办法",
        doc_number="测政办规〔2021〕1号",
        published_date=D(2021, 3, 1),
        written_date=D(2021, 2, 20),
        info_type="行政规范性文件",
        validity="废止",
        validity_history=[{"date": D(2021, 3, 1), "status": "有效"}, {"date": D(2024, 5, 1), "status": "废止"}],
        body="加装电梯的申请、审批和补助。\n",
    )
    p.entry(
        "new",
        index_no="000000002/2024-00001",
        title="测试市既有住宅加装电梯管理办法",
        doc_number="测政办规〔2024〕1号",
        published_date=D(2024, 5, 1),
        written_date=D(2024, 4, 20),
        info_type="行政规范性文件",
        validity="有效",
        validity_history=[{"date": D(2024, 5, 1), "status": "有效"}],
        body="既有住宅加装电梯的管理。\n",
    )
    p.interpretation(
        "qa",
        index_no="000000002/2021-00002",
        title="既有住宅加装电梯怎么申请？——《测试市既有住宅加装电梯实施办法》政策问答",
        interprets=["000000002/2021-00001"],
        published_date=D(2021, 3, 2),
        body="加装电梯怎么申请？加装电梯的补助是多少？加装电梯要多少业主同意？\n",
    )
    p.entry(
        "lapsed",
        index_no="000000002/2022-00003",
        title="测试市老旧小区雨污分流改造补助办法",
        doc_number="测政办规〔2022〕3号",
        published_date=D(2022, 3, 1),
        written_date=D(2022, 2, 20),
        info_type="行政规范性文件",
        validity="失效",
        validity_history=[{"date": D(2022, 3, 1), "status": "有效"}, {"date": D(2024, 3, 1), "status": "失效"}],
        body="雨污分流改造。雨污分流改造补助。雨污分流改造验收。\n",
    )
    p.entry(
        "mention",
        index_no="000000002/2024-00004",
        title="测试市2024年城市建设工作要点",
        doc_number="测政办发〔2024〕4号",
        published_date=D(2024, 2, 1),
        written_date=D(2024, 1, 25),
        body="推进老旧小区改造，其中包括雨污分流。" + "城市更新、道路建设、园林绿化。" * 30 + "\n",
    )
    return p.build()


def _titles(site: Path) -> dict[str, str]:
    return {ref: doc["t"] for ref, doc in documents(site).items()}


def test_at_comparable_relevance_the_document_in_force_comes_first(lift_site: Path) -> None:
    titles = _titles(lift_site)
    [result] = run_queries(lift_site, [{"q": "加装电梯"}])
    order = [titles[r] for r in result["refs"]]
    new, old = "测试市既有住宅加装电梯管理办法", "测试市既有住宅加装电梯实施办法"
    ref = {t: r for r, t in titles.items()}
    qa = ref["既有住宅加装电梯怎么申请？——《测试市既有住宅加装电梯实施办法》政策问答"]
    # lunr alone: the repealed notice, lifted by its interpretation, outranks the one in force
    assert max(result["scores"][ref[old]], result["scores"][qa]) > result["scores"][ref[new]]
    assert order[0] == new
    assert order.index(old) < order.index(titles[qa])  # still a policy before its interpretation


def test_validity_is_a_tie_break_not_a_filter(lift_site: Path) -> None:
    """A lapsed document much more relevant than anything in force stays first."""
    titles = _titles(lift_site)
    [result] = run_queries(lift_site, [{"q": "雨污分流"}])
    assert [titles[r] for r in result["refs"]][:2] == [
        "测试市老旧小区雨污分流改造补助办法",
        "测试市2024年城市建设工作要点",
    ]


def test_validity_weight_leaves_the_scores_and_the_date_order_alone(lift_site: Path) -> None:
    [relevance, by_date] = run_queries(lift_site, [{"q": "加装电梯"}, {"q": "加装电梯", "sort": "date"}])
    assert relevance["scores"] == by_date["scores"]  # lunr's scores, untouched (parity: test_search_engine.py)
    dates = {ref: doc["d"] for ref, doc in documents(lift_site).items()}
    assert [dates[r] for r in by_date["refs"]] == sorted((dates[r] for r in by_date["refs"]), reverse=True)


# ----------------------------------------------------------------------------- attachments


@pytest.mark.parametrize(
    ("size", "shown"),
    [(0, "0 B"), (856, "856 B"), (1024, "1.0 KB"), (12 * 1024, "12 KB"), (1258291, "1.2 MB"), (1023 * 1024, "1.0 MB")],
)
def test_human_size(size: int, shown: str) -> None:
    assert human_size(size) == shown


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("files/a.pdf", "PDF"),
        ("b.DOCX", "Word"),
        ("c.xlsx", "Excel"),
        ("d.ofd", "OFD"),
        ("e.dat", "DAT"),
        ("noext", ""),
        (".env", ""),
    ],
)
def test_file_kind(name: str, kind: str) -> None:
    assert file_kind(name) == kind


def test_attachments_show_type_and_size(tmp_path: Path) -> None:
    p = ProjectFactory(tmp_path / "repo")
    pdf = b"%PDF-1.4\n" + b"0" * (1258291 - 9)
    attachments = [
        {"title": "实施细则", "file": "files/rules.pdf", "sha256": p.attachment("files/rules.pdf", pdf)},
        {"title": "申请表", "file": "files/form.docx", "sha256": p.attachment("files/form.docx", b"x" * 2000)},
    ]
    p.entry(attachments=attachments)
    site = p.build()
    html = (site / "catalogue" / "000000002-2024-00001" / "index.html").read_text(encoding="utf-8")
    section = html[html.index('<section class="gk-attachments">') :]
    assert re.search(r">实施细则</a> <span class=\"gk-att-info\">PDF · 1\.2 MB</span>", section)
    assert re.search(r">申请表</a> <span class=\"gk-att-info\">Word · 2\.0 KB</span>", section)


# ----------------------------------------------------------------------------- 404


def test_404_page_is_chinese_and_self_contained(sample_site: Path) -> None:
    from generator.site.engine import CONTENT_SECURITY_POLICY

    html = (sample_site / "404.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "页面不存在" in html and "Not found" not in html
    # nothing loaded from any address: the page works at any depth and under any base path
    assert not re.search(r"<(?:link|script|img|iframe)\b", html)
    # the site's own policy, and nothing it would refuse (no inline style or script)
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert csp and csp.group(1).replace("&#39;", "'") == CONTENT_SECURITY_POLICY
    assert "<style" not in html and " style=" not in html
    assert "网站标识码：3399000001" in html
    assert 'href="https://www.lanjiang.gov.cn/xxgk/catalogue/"' in html
