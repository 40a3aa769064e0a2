"""Per-entry history on the site: 变更记录 (change notes) and the dated 效力状况记录 timeline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import ProjectFactory, write_rich_catalogue


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = ProjectFactory(tmp_path_factory.mktemp("history"))
    write_rich_catalogue(p)
    p.entry(
        "2024/h1",
        index_no="000000002/2024-00006",
        title="有多条变更记录的条目",
        history=[
            {"date": dt.date(2024, 3, 6), "note": "更正标题中的错别字"},
            {"date": dt.date(2024, 4, 1), "note": "补充附件 <b>不是标签</b> & 说明"},
        ],
    )
    return p.build(p.root / "site")


def page(site: Path, slug: str) -> str:
    return (site / "catalogue" / slug / "index.html").read_text(encoding="utf-8")


def section(html: str, cls: str) -> str:
    start = html.index(f'<section class="{cls}"')
    return html[start : html.index("</section>", start) + len("</section>")]


def test_change_notes_are_shown_as_a_dated_list(site: Path) -> None:
    html = section(page(site, "000000002-2024-00006"), "gk-history")
    assert '<h2 id="gk-history-h">变更记录</h2>' in html
    assert html.count("<li>") == 2
    assert '<li><time datetime="2024-03-06">2024-03-06</time> 更正标题中的错别字</li>' in html
    assert "补充附件 &lt;b&gt;不是标签&lt;/b&gt; &amp; 说明" in html  # escaped, never markup


def test_interpretations_show_their_change_notes(site: Path) -> None:
    html = (site / "interpretations" / "000000002-2023-00002" / "index.html").read_text(encoding="utf-8")
    assert '<li><time datetime="2023-02-10">2023-02-10</time> 补充问答</li>' in section(html, "gk-history")


def test_validity_history_is_a_dated_timeline_naming_the_deciding_document(site: Path) -> None:
    html = section(page(site, "000000001-2022-00001"), "gk-timeline")
    assert '<h2 id="gk-timeline-h">效力状况记录</h2>' in html
    assert html.index("2022-01-12") < html.index("2024-06-01")  # oldest first
    assert '<time datetime="2024-06-01">2024-06-01</time> <span class="gk-badge gk-badge--repealed">废止</span>' in html
    assert '（依据：<a href="../../catalogue/000000001-2024-00001/">测试市政府信息公开办法</a>）' in html


def test_entries_without_history_have_no_empty_sections(site: Path) -> None:
    html = page(site, "000000003-2024-00002")
    assert "gk-history" not in html and "gk-timeline" not in html


def test_a_non_public_deciding_document_is_not_named(tmp_path: Path) -> None:
    p = ProjectFactory(tmp_path / "p")
    p.entry(
        "d",
        index_no="000000002/2024-00002",
        title="草稿中的废止决定",
        draft=True,
    )
    p.entry(
        "n",
        info_type="行政规范性文件",
        doc_number="测政办规〔2024〕1号",
        validity="废止",
        validity_history=[
            {"date": dt.date(2024, 3, 5), "status": "有效"},
            {"date": dt.date(2024, 9, 1), "status": "废止", "by": "000000002/2024-00002"},
        ],
    )
    site = p.build(tmp_path / "site")
    html = section(page(site, "000000002-2024-00001"), "gk-timeline")
    assert "依据" not in html and "草稿中的废止决定" not in html and "2024-00002" not in html
