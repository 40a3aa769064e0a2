"""Annual-report statistics: exact numbers, the identity and its causes, the page and its JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.model.annual import annual_stats
from tests.conftest import ProjectFactory, run_cli

D = dt.date
TODAY = D(2025, 3, 1)


def normative(p: ProjectFactory, name: str, serial: int, info_type: str, written: dt.date, events: list[Any]) -> None:
    agency, code = ("gov", "000000001") if info_type == "规章" else ("office", "000000002")
    number = f"测试市人民政府令第{serial}号" if info_type == "规章" else f"测政办规〔{written.year}〕{serial}号"
    p.entry(
        name,
        index_no=f"{code}/{written.year}-{serial:05d}",
        title=f"{info_type}{name}",
        publisher=agency,
        doc_number=number,
        genre="命令" if info_type == "规章" else "通知",
        info_type=info_type,
        written_date=written,
        published_date=written,
        validity=events[-1][1],
        validity_history=[
            {"date": day, "status": status, **({"by": by} if by else {})}
            for day, status, by in (e + (None,) * (3 - len(e)) for e in events)
        ],
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> ProjectFactory:
    """Hand-made: normal data (尚未生效 across a year end, 失效, 已修改, a replacement) and one
    document whose validity record predates its 成文日期 (a genuine break)."""
    p = ProjectFactory(tmp_path_factory.mktemp("stats"))
    N, R = "行政规范性文件", "规章"
    normative(p, "N1", 1, N, D(2021, 3, 1), [(D(2021, 3, 10), "有效"), (D(2025, 6, 1), "废止")])  # repeal after TODAY
    normative(p, "N2", 2, N, D(2021, 6, 1), [(D(2021, 6, 5), "有效"), (D(2023, 5, 1), "废止")])
    normative(p, "N3", 3, N, D(2022, 12, 20), [(D(2022, 12, 25), "尚未生效"), (D(2023, 1, 1), "有效")])
    normative(p, "N4", 4, N, D(2023, 2, 1), [(D(2023, 2, 1), "有效"), (D(2024, 2, 1), "失效")])
    normative(p, "N5", 5, N, D(2023, 4, 1), [(D(2023, 4, 1), "有效"), (D(2024, 7, 1), "已修改")])
    normative(
        p, "R1", 1, R, D(2022, 1, 10), [(D(2022, 1, 12), "有效"), (D(2024, 6, 1), "废止", "000000001/2024-00002")]
    )
    normative(p, "R2", 2, R, D(2024, 5, 20), [(D(2024, 6, 1), "有效")])
    # its validity record is dated before its 成文日期: a genuine error in the data
    normative(p, "N6", 6, N, D(2024, 3, 1), [(D(2023, 6, 1), "有效")])
    p.entry("other", index_no="000000002/2024-00009", published_date=D(2024, 3, 5), written_date=D(2024, 3, 1))
    p.entry(
        "draft",
        index_no="000000002/2024-00010",
        info_type=N,
        doc_number="测政办规〔2024〕10号",
        draft=True,
        validity="有效",
        validity_history=[{"date": D(2024, 3, 5), "status": "有效"}],
    )
    return p


def table(project: ProjectFactory) -> dict[tuple[int, str], tuple[int, int, int, int]]:
    cat = project.load(TODAY).public()
    out = {}
    for ys in annual_stats(cat.entries.values(), TODAY):
        for row in ys.rows:
            out[(ys.year, row.info_type)] = (len(row.made), len(row.repealed), row.in_force, row.in_force_before)
    return out


def test_exact_numbers(project: ProjectFactory) -> None:
    #                               制发 废止 现行有效 上年现行有效
    assert table(project) == {
        (2021, "规章"): (0, 0, 0, 0),
        (2021, "行政规范性文件"): (2, 0, 2, 0),
        (2022, "规章"): (1, 0, 1, 0),
        # N3 made in December, 尚未生效 until 2023: counted in 现行有效 from 2022
        (2022, "行政规范性文件"): (1, 0, 3, 2),
        (2023, "规章"): (0, 0, 1, 1),
        (2023, "行政规范性文件"): (2, 1, 5, 3),  # N2 repealed; N3 coming into force changes nothing; N6
        (2024, "规章"): (1, 1, 1, 1),  # R2 replaces R1
        # N4 lapses (失效 counts), N5 becomes 已修改 (stays in force, amended), N6 made
        (2024, "行政规范性文件"): (1, 1, 4, 5),
        (2025, "规章"): (0, 0, 1, 1),
        (2025, "行政规范性文件"): (0, 0, 4, 4),  # N1's repeal on 2025-06-01 is after the cut-off
    }


def test_not_yet_in_force_keeps_the_identity(make_project: Any) -> None:
    """A 规章 signed in one year and in force in the next is normal data: no break in either year."""
    p = make_project()
    R = "规章"
    normative(p, "A", 1, R, D(2024, 12, 20), [(D(2024, 12, 28), "尚未生效"), (D(2025, 2, 1), "有效")])
    normative(p, "B", 2, R, D(2025, 9, 20), [(D(2025, 9, 26), "尚未生效")])  # still pending at the cut-off
    normative(p, "C", 3, R, D(2023, 3, 1), [(D(2023, 3, 5), "尚未生效"), (D(2024, 3, 1), "废止")])  # never in force
    years = {ys.year: ys for ys in annual_stats(p.load().public().entries.values(), D(2025, 12, 31))}
    assert all(ys.balanced for ys in years.values())
    rows = {y: years[y].rows[0] for y in (2023, 2024, 2025)}
    assert [(len(r.made), len(r.repealed), r.in_force) for r in rows.values()] == [(1, 0, 1), (1, 1, 1), (1, 0, 2)]
    assert [c for ys in years.values() for r in ys.rows for c in r.causes] == []


def test_identity_breaks_and_their_causes(project: ProjectFactory) -> None:
    cat = project.load(TODAY).public()
    years = {ys.year: ys for ys in annual_stats(cat.entries.values(), TODAY)}
    assert [y for y, ys in years.items() if not ys.balanced] == [2023, 2024]
    assert [ys.complete for ys in years.values()] == [True, True, True, True, False]
    assert years[2025].as_of == TODAY
    causes = {
        (y, row.info_type): (row.difference, [(c.index_no, c.effect, c.reason) for c in row.causes])
        for y, ys in years.items()
        for row in ys.rows
        if row.causes
    }
    assert causes == {
        (2023, "行政规范性文件"): (
            1,
            [("000000002/2024-00006", 1, "本年变为“有效”，但成文日期 2024-03-01 不在本年，未计入本年制发")],
        ),
        (2024, "行政规范性文件"): (-1, [("000000002/2024-00006", -1, EARLY_RECORD)]),
    }


EARLY_RECORD = "本年制发（成文日期 2024-03-01），但上年末已有效力状况记录“有效”（记录日期早于成文日期）"


def test_signed_in_december_published_in_january_keeps_the_identity(make_project: Any) -> None:
    """The first validity record comes with publication, in the next year: counted from its 成文日期."""
    p = make_project()
    normative(p, "A", 1, "规章", D(2023, 12, 22), [(D(2024, 1, 8), "有效")])
    normative(p, "B", 2, "规章", D(2023, 12, 28), [(D(2024, 1, 10), "尚未生效"), (D(2024, 3, 1), "有效")])
    years = {ys.year: ys for ys in annual_stats(p.load().public().entries.values(), D(2024, 12, 31))}
    assert all(ys.balanced for ys in years.values())
    row23, row24 = years[2023].rows[0], years[2024].rows[0]
    assert (len(row23.made), row23.in_force, len(row24.made), row24.in_force) == (2, 2, 0, 2)


def test_no_normative_documents_no_years(make_project: Any) -> None:
    p = make_project()
    p.entry()
    assert annual_stats(p.load().public().entries.values(), TODAY) == []


def test_causes_add_up_to_the_difference(make_project: Any) -> None:
    """A repeal of a document that was never in force, and one made in force without being made this year."""
    p = make_project()
    N = "行政规范性文件"
    normative(p, "A", 1, N, D(2023, 12, 1), [(D(2023, 12, 5), "尚未生效"), (D(2024, 3, 1), "废止")])
    normative(p, "B", 2, N, D(2024, 6, 1), [(D(2023, 6, 1), "有效")])  # 成文日期 after its first record
    years = {ys.year: ys for ys in annual_stats(p.load().public().entries.values(), D(2024, 12, 31))}
    row = years[2024].rows[1]
    # A, repealed before it came into force, was counted (尚未生效) and leaves: no cause
    assert (len(row.made), len(row.repealed), row.in_force, row.in_force_before) == (1, 1, 1, 2)
    assert row.difference == -1 == sum(c.effect for c in row.causes)
    assert [(c.index_no, c.effect, c.reason) for c in row.causes] == [
        (
            "000000002/2024-00002",
            -1,
            "本年制发（成文日期 2024-06-01），但上年末已有效力状况记录“有效”（记录日期早于成文日期）",
        ),
    ]


# ------------------------------------------------------------------ the built page and JSON


@pytest.fixture(scope="module")
def site(project: ProjectFactory, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project.build(tmp_path_factory.mktemp("stats-site") / "site", build_date=TODAY)


def test_annual_json(site: Path) -> None:
    data = json.loads((site / "stats" / "annual.json").read_text(encoding="utf-8"))
    assert data["basis"] == "国办公开办函〔2021〕30号"
    assert data["as_of"] == "2025-03-01"
    assert set(data["rules"]) == {"made", "repealed", "in_force", "identity"}
    assert [y["year"] for y in data["years"]] == [2021, 2022, 2023, 2024, 2025]
    y2024 = data["years"][3]
    assert y2024["identity_holds"] is False
    normative_row = y2024["rows"][1]
    assert {k: normative_row[k] for k in ("info_type", "made", "repealed", "in_force", "in_force_previous_year")} == {
        "info_type": "行政规范性文件",
        "made": 1,
        "repealed": 1,
        "in_force": 4,
        "in_force_previous_year": 5,
    }
    assert normative_row["difference"] == -1
    assert normative_row["repealed_entries"] == [
        {
            "index_no": "000000002/2023-00004",
            "title": "行政规范性文件N4",
            "url": "https://www.example.gov.cn/xxgk/catalogue/000000002-2023-00004/",
        }
    ]
    assert [(c["index_no"], c["effect"]) for c in normative_row["causes"]] == [("000000002/2024-00006", -1)]
    assert "000000002/2024-00010" not in json.dumps(data)  # the draft is not counted


def test_stats_page(site: Path) -> None:
    html = (site / "stats" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in html and "政府信息公开工作年度报告统计" in html
    # the report's own layout, newest year first
    assert html.index('<h2 id="gk-y2025">2025 年（截至 2025-03-01）</h2>') < html.index(
        '<h2 id="gk-y2024">2024 年</h2>'
    )
    assert re.search(r"<th scope=\"row\">行政规范性文件</th><td>1</td><td>1</td><td>4</td>", html)
    # a genuine break is a neutral note for citizens (W130 tells the editors), not a red alarm
    assert "勾稽关系不成立" not in html and "gk-identity--broken" not in html
    assert '<div class="gk-notice gk-identity gk-identity--note" role="note"><p>行政规范性文件：' in html
    assert "上年现行有效 5 + 本年制发 1 − 本年废止 1 = 5，现行有效件数为 4（差额 -1）。差额说明：" in html
    assert EARLY_RECORD in html
    assert "规章：勾稽关系成立（上年现行有效 1 + 本年制发 1 − 本年废止 1 = 1）。" in html
    # the chart: inline SVG with a title, a description and a data-table fallback; no script, no CDN
    start = html.index('<figure class="gk-chart"><svg')
    svg = html[start : html.index("</svg>", start)]
    assert 'role="img"' in svg and 'aria-labelledby="gk-chart-title gk-chart-desc"' in svg
    assert '<title id="gk-chart-title">2021—2025 年现行有效规章和行政规范性文件件数</title>' in svg
    assert "行政规范性文件：2021 年 2 件、2022 年 3 件、2023 年 5 件、2024 年 4 件、2025 年 4 件" in svg
    assert svg.count("<polyline") == 2 and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert "现行有效件数（图表数据）" in html
    assert 'href="annual.json"' in html


def test_stats_and_data_pages_are_linked_from_the_catalogue(site: Path) -> None:
    home = (site / "catalogue" / "index.html").read_text(encoding="utf-8")
    assert 'href="../stats/">年度报告统计</a>' in home
    assert 'href="../data/">开放数据</a>' in home


def test_empty_catalogue_page(make_project: Any, tmp_path: Path) -> None:
    p = make_project()
    p.entry()
    site = p.build(tmp_path / "site")
    assert "目录中尚无规章和行政规范性文件，暂无统计。" in (site / "stats" / "index.html").read_text(encoding="utf-8")
    assert json.loads((site / "stats" / "annual.json").read_text(encoding="utf-8"))["years"] == []


def test_a_long_year_is_listed_on_its_own_page(make_project: Any, tmp_path: Path) -> None:
    """The main page stays short at any size: a year with many documents links to stats/<year>/."""
    from generator.site.stats import DETAILS_INLINE

    p = make_project()
    count = DETAILS_INLINE + 5
    for serial in range(1, count + 1):
        normative(p, f"N{serial}", serial, "行政规范性文件", D(2023, 3, 1), [(D(2023, 3, 1), "有效")])
    normative(p, "M1", count + 1, "行政规范性文件", D(2024, 3, 1), [(D(2024, 3, 1), "有效")])
    site = p.build(tmp_path / "site", build_date=TODAY)
    main = (site / "stats" / "index.html").read_text(encoding="utf-8")
    assert f'<a href="../stats/2023/">2023 年统计明细（{count} 项）</a>' in main
    assert "行政规范性文件N7</a>" not in main  # no document of the long year on the main page
    assert "<summary>统计明细</summary>" in main and "行政规范性文件M1</a>" in main  # a short year stays inline
    year = (site / "stats" / "2023" / "index.html").read_text(encoding="utf-8")
    assert "<h1>2023 年规章和行政规范性文件统计明细</h1>" in year
    assert all(f"行政规范性文件N{n}</a>" in year for n in range(1, count + 1))
    assert f"行政规范性文件本年制发（{count} 件）" in year
    assert not (site / "stats" / "2024").exists()


def test_many_causes_are_cut_on_the_main_page(make_project: Any, tmp_path: Path) -> None:
    from generator.site.stats import CAUSES_INLINE

    p = make_project()
    count = CAUSES_INLINE + 2
    for serial in range(1, count + 1):
        # a validity record dated before the 成文日期: each one a cause
        normative(p, f"A{serial}", serial, "行政规范性文件", D(2024, 3, 1), [(D(2023, 6, 1), "有效")])
    site = p.build(tmp_path / "site", build_date=TODAY)
    main = (site / "stats" / "index.html").read_text(encoding="utf-8")
    reason = EARLY_RECORD
    assert f"行政规范性文件：上年现行有效 {count} + 本年制发 {count} − 本年废止 0 = {2 * count}" in main
    assert main.count(reason) == CAUSES_INLINE
    assert '<li>另有 2 项，见<a href="../stats/2024/">2024 年统计明细</a></li>' in main
    year = (site / "stats" / "2024" / "index.html").read_text(encoding="utf-8")
    assert year.count(reason) == count


def test_cli_stats(project: ProjectFactory) -> None:
    result = run_cli("stats", str(project.root), "--build-date", "2025-03-01", "--year", "2024")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:4] == [
        "2024 年 第二十条第（一）项",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "规章\t1\t1\t1",
        "行政规范性文件\t1\t1\t4",
    ]
    assert "行政规范性文件：勾稽关系不成立" in result.stdout
    as_json = run_cli("stats", str(project.root), "--build-date", "2025-03-01", "--format", "json")
    assert [y["year"] for y in json.loads(as_json.stdout)["years"]] == [2021, 2022, 2023, 2024, 2025]


def test_check_reports_each_cause_to_the_editors(project: ProjectFactory) -> None:
    """W130 at the entry's validity_history, once per year it breaks; normal data gives none."""
    diags = [d for d in project.load(TODAY).diagnostics if d.code == "W130"]
    assert sorted((d.path, dict(d.params)["year"], dict(d.params)["effect"]) for d in diags) == [
        ("catalogue/N6.md", 2023, "+1"),
        ("catalogue/N6.md", 2024, "-1"),
    ]
    text = next(d for d in diags if dict(d.params)["year"] == 2024).format()
    assert "2024 年行政规范性文件年度统计勾稽关系不成立（本条影响 -1）" in text
    assert "validity_history" in text  # the hint names the field to check
    assert all(d.line > 1 for d in diags)


def test_w130_in_english_gives_the_reason_in_english(project: ProjectFactory) -> None:
    """`--lang en`: the cause is explained in English; Chinese only in quoted values and data (info_type)."""
    from tests.test_messages_en import _leaks

    diags = [d for d in project.load(TODAY).diagnostics if d.code == "W130"]
    assert len(diags) == 2
    for d in diags:
        text = d.message("en")
        assert text.endswith(dict(d.params)["reason_en"]), text
        assert "this year" in dict(d.params)["reason_en"]
        assert _leaks(d) == [], text


def test_stats_in_english_gives_each_cause_in_english(project: ProjectFactory) -> None:
    result = run_cli("stats", str(project.root), "--build-date", "2025-03-01", "--year", "2024", "--lang", "en")
    assert result.returncode == 0, result.stderr
    causes = [line for line in result.stdout.splitlines() if line.startswith("  - ")]
    assert causes and all("this year" in line for line in causes), result.stdout
    # Chinese only in the entry's number and title and in quoted vocabulary values
    assert all(not re.search(r"[\u4e00-\u9fff]", re.sub(r"“[^”]*”", "", line.split("): ", 1)[1])) for line in causes)
