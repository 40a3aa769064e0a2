"""The annual-report statistics page (``stats/``) and its data (``stats/annual.json``).

Numbers come from :mod:`generator.model.annual`; this module only renders them:
the report's own table layout per year, the identity check with the entries that
break it, and a trend chart drawn as inline SVG at build time (with ``<title>``,
``<desc>`` and a data table, so it needs no script and no chart CDN).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from generator.model import urls as U
from generator.model.annual import ROWS, Row, YearStats, annual_stats
from generator.model.catalogue import Catalogue
from generator.model.entry import Entry
from generator.site.htmlkit import a, esc, iso, join, rel
from generator.site.pagetypes import StagedPage

TITLE = "政府信息公开工作年度报告统计"
BASIS = "国办公开办函〔2021〕30号"
SECTION = "第二十条第（一）项"
COLUMNS = ("本年制发件数", "本年废止件数", "现行有效件数")
RULES = {
    "made": "本年制发件数：成文日期在本年内的规章、行政规范性文件件数。",
    "repealed": "本年废止件数：效力状况记录中本年内变为“废止”或“失效”的件数（“已修改”不计入）。",
    "in_force": "现行有效件数：12 月 31 日（当年尚未结束时为统计日）效力状况为“有效”、“尚未生效”（已公布、尚未施行）"
    "或“已修改”（以修改后的文本继续有效）的件数。",
    "identity": "勾稽关系：现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数。",
}
JSON_NAME = "annual.json"


def stats_of(cat: Catalogue) -> list[YearStats]:
    return annual_stats(cat.entries.values(), cat.build_date)


# ------------------------------------------------------------------ JSON
def _entry_ref(cat: Catalogue, e: Entry) -> dict[str, str]:
    return {"index_no": e.index_no, "title": e.title, "url": cat.config.url.rstrip("/") + "/" + U.href(U.item_url(e))}


def _row_json(cat: Catalogue, row: Row) -> dict[str, Any]:
    return {
        "info_type": row.info_type,
        "made": len(row.made),
        "repealed": len(row.repealed),
        "in_force": row.in_force,
        "in_force_previous_year": row.in_force_before,
        "identity_holds": row.balanced,
        "difference": row.difference,
        "made_entries": [_entry_ref(cat, e) for e in row.made],
        "repealed_entries": [_entry_ref(cat, e) for e in row.repealed],
        "causes": [
            {**_entry_ref(cat, cat.entries[c.index_no]), "effect": c.effect, "reason": c.reason} for c in row.causes
        ],
    }


def annual_json(cat: Catalogue) -> dict[str, Any]:
    return {
        "title": f"{TITLE}：{SECTION}",
        "basis": BASIS,
        "as_of": iso(cat.build_date) or None,
        "rules": RULES,
        "years": [
            {
                "year": ys.year,
                "as_of": ys.as_of.isoformat(),
                "complete": ys.complete,
                "identity_holds": ys.balanced,
                "rows": [_row_json(cat, row) for row in ys.rows],
            }
            for ys in stats_of(cat)
        ],
    }


def write_annual_json(cat: Catalogue, site_dir: Path) -> None:
    folder = site_dir / U.STATS
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(annual_json(cat), ensure_ascii=False, indent=2) + "\n"
    (folder / JSON_NAME).write_text(text, encoding="utf-8")


# ------------------------------------------------------------------ page
def stats_pages(cat: Catalogue) -> Iterator[StagedPage]:
    years = stats_of(cat)
    here = U.STATS
    parts = [
        f"<h1>{TITLE}</h1>",
        f"<p>本页根据政府信息公开目录自动统计政府信息公开工作年度报告第二部分“主动公开政府信息情况”中{SECTION}"
        f"（规章和行政规范性文件）的数据，表格格式依据{BASIS}。</p>",
        '<ul class="gk-rules">' + "".join(f"<li>{esc(text)}</li>" for text in RULES.values()) + "</ul>",
        f"<p>机器可读数据：{a(JSON_NAME, 'annual.json')}；完整目录数据见{a(rel(here, U.DATA), '开放数据')}。</p>",
    ]
    if not years:
        parts.append('<p class="gk-empty">目录中尚无规章和行政规范性文件，暂无统计。</p>')
    else:
        parts.append(trend_chart(years))
        parts.append(trend_table(years))
        parts.extend(year_section(cat, ys, here) for ys in reversed(years))
    yield StagedPage(here, TITLE, join(parts), {"ColumnName": "政府信息公开年报", "ColumnType": "信息发布"})
    for ys in years:
        if _own_page(ys):
            yield year_page(cat, ys)


# A year listing more documents than this gets its own page (stats/<year>/): the main
# page stays a few tables long however large the catalogue (at 100k entries the lists
# of one year hold hundreds of documents).
DETAILS_INLINE = 40


CAUSES_INLINE = 10  # causes of a broken identity listed on the main page


def _own_page(ys: YearStats) -> bool:
    return _listed(ys) > DETAILS_INLINE or any(len(row.causes) > CAUSES_INLINE for row in ys.rows)


def _listed(ys: YearStats) -> int:
    return sum(len(row.made) + len(row.repealed) + len(row.causes) for row in ys.rows)


def year_url(year: int) -> str:
    return f"{U.STATS}{year}/"


def year_page(cat: Catalogue, ys: YearStats) -> StagedPage:
    """One year's table, identity and every document counted (for years too long to list inline)."""
    here = year_url(ys.year)
    title = f"{_year_label(ys)}规章和行政规范性文件统计明细"
    items = _detail_items(cat, ys, here)
    body = join(
        [
            f"<h1>{esc(title)}</h1>",
            f"<p>{a(rel(here, U.STATS), TITLE)}中 {esc(_year_label(ys))} 各项数字所依据的文件。</p>",
            _table(ys),
            *(identity(cat, row, here) for row in ys.rows),
            f'<ul class="gk-stats-list">{"".join(items)}</ul>',
        ]
    )
    return StagedPage(here, title, body, {"ColumnName": "政府信息公开年报", "ColumnType": "信息发布"})


def _year_label(ys: YearStats) -> str:
    return f"{ys.year} 年" if ys.complete else f"{ys.year} 年（截至 {ys.as_of.isoformat()}）"


def _table(ys: YearStats) -> str:
    head = "".join(f'<th scope="col">{c}</th>' for c in ("信息内容", *COLUMNS))
    body = "".join(
        f'<tr><th scope="row">{row.info_type}</th><td>{len(row.made)}</td><td>{len(row.repealed)}</td>'
        f"<td>{row.in_force}</td></tr>"
        for row in ys.rows
    )
    return (
        f'<div class="gk-table-wrap" tabindex="0" role="region" aria-label="{esc(_year_label(ys))} {SECTION}">'
        f'<table class="gk-list gk-stats"><caption>{esc(_year_label(ys))} {SECTION}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def year_section(cat: Catalogue, ys: YearStats, here: str) -> str:
    table = _table(ys)
    return join(
        [
            f'<section class="gk-year" aria-labelledby="gk-y{ys.year}"><h2 id="gk-y{ys.year}">{esc(_year_label(ys))}</h2>',
            table,
            *(identity(cat, row, here, ys) for row in ys.rows),
            details(cat, ys, here),
            "</section>",
        ]
    )


def _formula(row: Row) -> str:
    made, gone = len(row.made), len(row.repealed)
    return f"上年现行有效 {row.in_force_before} + 本年制发 {made} − 本年废止 {gone} = {row.expected}"


def identity_text(row: Row, lang: str = "zh") -> str:
    """The identity check of one row as a line of text (for the command line)."""
    if lang == "en":
        state = (
            "identity holds"
            if row.balanced
            else f"identity BROKEN: in force {row.in_force}, difference {row.difference:+d}"
        )
        return (
            f"{row.info_type}: {state} ({row.in_force_before} + {len(row.made)} − {len(row.repealed)} = {row.expected})"
        )
    if row.balanced:
        return f"{row.info_type}：勾稽关系成立（{_formula(row)}）"
    return (
        f"{row.info_type}：勾稽关系不成立——{_formula(row)}，而现行有效件数为 {row.in_force}（相差 {row.difference:+d}）"
    )


def identity(cat: Catalogue, row: Row, here: str, short: YearStats | None = None) -> str:
    """The identity line of a row; with ``short`` (the main page) a long list of causes is
    cut to its first CAUSES_INLINE and the rest left to the year's own page."""
    if row.balanced:
        return f'<p class="gk-identity gk-identity--ok">{row.info_type}：勾稽关系成立（{_formula(row)}）。</p>'
    sign = f"+{row.difference}" if row.difference > 0 else str(row.difference)
    shown = row.causes[:CAUSES_INLINE] if short is not None else row.causes
    causes = "".join(
        f"<li>{_link(cat, c.index_no, here)}（{esc(c.index_no)}，影响 {'+' if c.effect > 0 else ''}{c.effect}）："
        f"{esc(c.reason)}</li>"
        for c in shown
    )
    if short is not None and len(shown) < len(row.causes):
        more = a(rel(here, year_url(short.year)), f"{_year_label(short)}统计明细")
        causes += f"<li>另有 {len(row.causes) - len(shown)} 项，见{more}</li>"
    # A neutral note, not an alarm: the data are what the editors entered; `gongkai check`
    # reports each cause to them as W130.
    return (
        f'<div class="gk-notice gk-identity gk-identity--note" role="note"><p>{row.info_type}：'
        f"{_formula(row)}，现行有效件数为 {row.in_force}（差额 {sign}）。差额说明：</p><ul>{causes}</ul></div>"
    )


def _link(cat: Catalogue, index_no: str, here: str) -> str:
    entry = cat.entries[index_no]
    return a(rel(here, U.item_url(entry)), entry.title)


def details(cat: Catalogue, ys: YearStats, here: str) -> str:
    listed = _listed(ys)
    if _own_page(ys):
        link = a(rel(here, year_url(ys.year)), f"{_year_label(ys)}统计明细（{listed} 项）")
        return f'<p class="gk-stats-details">各项数字所依据的文件见{link}。</p>'
    items = _detail_items(cat, ys, here)
    if not items:
        return ""
    return f'<details class="gk-stats-details"><summary>统计明细</summary><ul>{"".join(items)}</ul></details>'


def _detail_items(cat: Catalogue, ys: YearStats, here: str) -> list[str]:
    items = []
    for row in ys.rows:
        for label, entries in (("本年制发", row.made), ("本年废止", row.repealed)):
            if entries:
                links = "；".join(_link(cat, e.index_no, here) for e in entries)
                items.append(f"<li>{row.info_type}{label}（{len(entries)} 件）：{links}</li>")
        if row.balanced and row.causes:
            offsetting = "；".join(f"{_link(cat, c.index_no, here)}：{esc(c.reason)}" for c in row.causes)
            items.append(f"<li>{row.info_type}相互抵消的差异（勾稽关系仍成立）：{offsetting}</li>")
    return items


# ------------------------------------------------------------------ chart
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 52, 20, 44, 40
MARKERS = ("circle", "square")
COLOURS = ("#b71c1c", "#0d47a1")  # dark red, dark blue: ≥ 6:1 on white; the theme lightens them for dark mode


def _nice_step(top: int) -> int:
    raw = max(top, 1) / 4
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return max(1, int(factor * power))
    return int(10 * power)  # pragma: no cover


def _f(value: float) -> str:
    return f"{value:.1f}"


def trend_chart(years: Sequence[YearStats]) -> str:
    """现行有效件数 per year, one line per row, as an accessible inline SVG."""
    n = len(years)
    peak = max((row.in_force for ys in years for row in ys.rows), default=0)
    step = _nice_step(peak)
    top = max(step, math.ceil(peak / step) * step)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + plot_w * (i + 0.5) / n

    def y(v: int) -> float:
        return TOP + plot_h * (1 - v / top)

    first, last = years[0].year, years[-1].year
    series_text = "；".join(
        f"{kind}：" + "、".join(f"{ys.year} 年 {ys.rows[k].in_force} 件" for ys in years) for k, kind in enumerate(ROWS)
    )
    out = [
        f'<figure class="gk-chart"><svg role="img" aria-labelledby="gk-chart-title gk-chart-desc" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="gk-chart-title">{first}—{last} 年现行有效规章和行政规范性文件件数</title>',
        f'<desc id="gk-chart-desc">折线图，按年显示 12 月 31 日现行有效件数。{esc(series_text)}。</desc>',
        '<g class="gk-chart__grid" fill="currentColor" font-size="12">',
    ]
    for v in range(0, top + 1, step):
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_f(y(v))}" y2="{_f(y(v))}" stroke="currentColor" '
            f'stroke-opacity="0.2"/><text x="{LEFT - 8}" y="{_f(y(v) + 4)}" text-anchor="end">{v}</text>'
        )
    for i, ys in enumerate(years):
        out.append(f'<text x="{_f(x(i))}" y="{HEIGHT - BOTTOM + 20}" text-anchor="middle">{ys.year}</text>')
    out.append("</g>")
    for k, kind in enumerate(ROWS):
        points = [(x(i), y(ys.rows[k].in_force), ys.rows[k].in_force) for i, ys in enumerate(years)]
        dash = ' stroke-dasharray="6 4"' if k else ""
        path = " ".join(f"{_f(px)},{_f(py)}" for px, py, _ in points)
        out.append(
            f'<g class="gk-chart__series gk-chart__s{k}" color="{COLOURS[k]}" stroke="currentColor" fill="currentColor">'
        )
        out.append(f'<polyline points="{path}" fill="none" stroke-width="2.5"{dash}/>')
        for px, py, v in points:
            out.append(_marker(k, px, py))
            dx, anchor = (-7, "end") if k == 0 else (7, "start")
            out.append(
                f'<text x="{_f(px + dx)}" y="{_f(py - 8)}" text-anchor="{anchor}" font-size="12" stroke="none">{v}</text>'
            )
        lx = LEFT + 8 + k * 170
        out.append(
            f'<line x1="{lx}" x2="{lx + 28}" y1="18" y2="18" stroke-width="2.5"{dash}/>{_marker(k, lx + 14, 18)}'
        )
        out.append(f'<text x="{lx + 36}" y="22" font-size="13" stroke="none">{kind}</text></g>')
    out.append("</svg><figcaption>现行有效件数趋势（数据见下表）</figcaption></figure>")
    return "".join(out)


def _marker(k: int, x: float, y: float) -> str:
    if MARKERS[k % 2] == "circle":
        return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="4.5"/>'
    return f'<rect x="{_f(x - 4.5)}" y="{_f(y - 4.5)}" width="9" height="9"/>'


def trend_table(years: Sequence[YearStats]) -> str:
    head = "".join(f'<th scope="col">{kind}</th>' for kind in ROWS)
    body = "".join(
        f'<tr><th scope="row">{esc(_year_label(ys))}</th>'
        + "".join(f"<td>{r.in_force}</td>" for r in ys.rows)
        + "</tr>"
        for ys in years
    )
    return (
        '<div class="gk-table-wrap" tabindex="0" role="region" aria-label="现行有效件数（图表数据）"><table class="gk-list gk-stats-trend"><caption>现行有效件数（图表数据）</caption>'
        f'<thead><tr><th scope="col">年度</th>{head}</tr></thead><tbody>{body}</tbody></table></div>'
    )
