"""Open-data exports: catalogue.json, catalogue.csv, datapackage.json and per-item JSON.

Everything is written from the *public* catalogue (:meth:`Catalogue.public`): no
drafts, nothing embargoed, no 依申请公开 bodies or attachments, and relations only
to items that are themselves public — the exports say exactly what the site shows.

* ``catalogue.csv`` — UTF-8 with BOM (Excel opens Chinese correctly), CRLF, one row
  per entry, columns in :data:`COLUMNS` order, lists joined with "；".
* ``catalogue.json`` — the same rows and columns as a JSON array, lists as arrays.
* ``datapackage.json`` — a Frictionless Data Package describing both files.
* ``catalogue/<slug>/index.json`` and ``interpretations/<slug>/index.json`` — one
  item's metadata each, next to its page. Bodies are not exported: they are on the
  page, and rendering every body a second time would double the cost of the
  slowest step of a large build.

The column table is derived from the field registry (model/fields.py ``Field.export``)
plus the computed columns below: the data package schema, the ``data/`` page and
docs/exports.md all follow it (a test keeps the docs in step).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.model import fields as F
from generator.model import urls as U
from generator.model.catalogue import Catalogue
from generator.model.entry import Entry, Interpretation, Item, value_of
from generator.site.htmlkit import a, esc, iso, rel
from generator.site.pagetypes import StagedPage

LIST_SEPARATOR = "；"
CSV_NAME, JSON_NAME, PACKAGE_NAME, ITEM_JSON = "catalogue.csv", "catalogue.json", "datapackage.json", "index.json"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    name: str
    title: str  # Chinese label
    type: str  # Frictionless type in catalogue.json: string, date, array
    description: str
    value: Callable[[Entry, Catalogue], Any]
    required: bool = False


def _url(cat: Catalogue, path: str) -> str:
    return cat.config.url.rstrip("/") + "/" + U.href(path)


def _ids(entries: list[Entry]) -> list[str]:
    return [e.index_no for e in entries]


def _topics(e: Entry, _: Catalogue) -> list[str]:
    return [f"{first}\\{second}" if second else first for first, second in e.topics]


def _events(e: Entry, cat: Catalogue) -> list[dict[str, str]]:
    out = []
    for ev in e.validity_history:
        item = {"date": ev.date.isoformat(), "status": ev.status}
        if ev.by and ev.by in cat.entries:  # only a public document is named
            item["by"] = ev.by
        if ev.note:
            item["note"] = ev.note
        out.append(item)
    return out


def _notes(item: Item, _: Catalogue) -> list[dict[str, str]]:
    return [{"date": n.date.isoformat(), "note": n.note} for n in item.history]


def _attachments(e: Entry, cat: Catalogue) -> list[dict[str, str]]:
    out = []
    for att in e.attachments:
        item = {"title": att.title, "url": _url(cat, f"attachments/{att.file}")}
        if att.sha256:
            item["sha256"] = att.sha256
        out.append(item)
    return out


def _related(name: str) -> Callable[[Entry, Catalogue], list[str]]:
    return lambda e, cat: _ids(cat.related(e.index_no, name))


# Columns computed from an entry and the catalogue rather than read from one field,
# each placed after the registry field it derives from.
_COMPUTED: dict[str, tuple[Column, ...]] = {
    "title": (
        Column(
            "url", "网址", "string", "本条目在网站上的网址（由索引号生成）", lambda e, c: _url(c, U.item_url(e)), True
        ),
    ),
    "publisher": (
        Column(
            "publisher_id",
            "发布机构标识",
            "string",
            "发布机构在本站的 id（见发布机构网址）",
            lambda e, c: e.publisher,
            True,
        ),
    ),
    "relations": (
        Column("amends", "修改了", "array", "本文件修改的文件（索引号）", _related("amends")),
        Column("repeals", "废止了", "array", "本文件废止的文件（索引号）", _related("repeals")),
        Column("replaces", "替代了", "array", "本文件替代的文件（索引号）", _related("replaces")),
        Column("amended_by", "被修改", "array", "修改本文件的文件（索引号）", _related("amended_by")),
        Column("repealed_by", "被废止", "array", "废止本文件的文件（索引号）", _related("repealed_by")),
        Column("replaced_by", "被替代", "array", "替代本文件的文件（索引号）", _related("replaced_by")),
        Column(
            "interpretations",
            "相关解读",
            "array",
            "本文件的政策解读（索引号）",
            lambda e, c: [i.index_no for i in c.interpretations_of(e.index_no)],
        ),
    ),
}
# Fields whose exported value is not the plain one of their type.
_VALUES: dict[str, Callable[[Entry, Catalogue], Any]] = {
    "topics": _topics,
    "validity_history": _events,
    "history": _notes,
    "attachments": _attachments,
}


def _plain_value(fld: F.Field) -> Callable[[Entry, Catalogue], Any]:
    """An entry's value of registry field ``fld`` as exported, by the field's type."""
    name = fld.name
    if fld.type == "agency":
        return lambda e, c: c.config.agency_name(value_of(e, name))
    if fld.type == "agency_list":
        return lambda e, c: [c.config.agency_name(i) for i in value_of(e, name) or ()]
    if fld.type == "date":
        return lambda e, c: iso(value_of(e, name)) or None
    if fld.type.endswith("_list"):
        return lambda e, c: list(value_of(e, name) or ())
    return lambda e, c: value_of(e, name) or None


def _columns() -> tuple[Column, ...]:
    """The export columns: every entry field with ``export`` in the registry (model/fields.py),
    in registry order, each followed by the columns computed from it."""
    out: list[Column] = []
    for fld in F.ENTRY_FIELDS:
        if fld.export:
            x = fld.export
            value = _VALUES.get(fld.name) or _plain_value(fld)
            out.append(Column(fld.name, x.title or fld.label, x.type, x.description, value, x.required))
        out.extend(_COMPUTED.get(fld.name, ()))
    return tuple(out)


COLUMNS: tuple[Column, ...] = _columns()


# ------------------------------------------------------------------ rows
def row(e: Entry, cat: Catalogue) -> dict[str, Any]:
    return {col.name: col.value(e, cat) for col in COLUMNS}


def rows(cat: Catalogue) -> list[dict[str, Any]]:
    return [row(e, cat) for e in cat.entries.values()]  # sorted by 索引号 (Catalogue.build)


def csv_cell(value: Any) -> str:
    """A JSON row value as CSV text: lists joined with "；", records as "date status …"."""
    if value is None:
        return ""
    text = LIST_SEPARATOR.join(_flat(v) for v in value) if isinstance(value, list) else str(value)
    # A cell starting like a formula would be evaluated by spreadsheet programs.
    return "'" + text if text.startswith(_FORMULA_START) else text


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return str(value["url"]) if "url" in value else " ".join(str(v) for v in value.values())
    return str(value)


def catalogue_csv(table: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.name for c in COLUMNS])
    for r in table:
        writer.writerow([csv_cell(r[c.name]) for c in COLUMNS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def catalogue_json(table: list[dict[str, Any]]) -> bytes:
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in table]
    return ("[\n" + ",\n".join(lines) + ("\n" if lines else "") + "]\n").encode("utf-8")


# ------------------------------------------------------------------ data package
def _fields(csv_types: bool) -> list[dict[str, Any]]:
    out = []
    for col in COLUMNS:
        typ = "string" if csv_types and col.type == "array" else col.type
        spec: dict[str, Any] = {"name": col.name, "title": col.title, "type": typ, "description": col.description}
        if csv_types and col.type == "array":
            spec["description"] += f"（多项以“{LIST_SEPARATOR}”分隔）"
        if col.required:
            spec["constraints"] = {"required": True, **({"unique": True} if col.name == "index_no" else {})}
        out.append(spec)
    return out


def datapackage(cat: Catalogue) -> dict[str, Any]:
    name = cat.config.name
    return {
        "profile": "tabular-data-package",
        "name": "gongkai-catalogue",
        "title": f"{name}：政府信息公开目录",
        "description": "政府信息公开目录中全部公开条目的元数据（不含草稿、未到公开时间的条目和依申请公开信息的正文）。",
        "homepage": cat.config.url,
        "resources": [
            {
                "name": "catalogue-csv",
                "path": CSV_NAME,
                "profile": "tabular-data-resource",
                "title": "政府信息公开目录（CSV）",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "dialect": {
                    "delimiter": ",",
                    "lineTerminator": "\r\n",
                    "quoteChar": '"',
                    "doubleQuote": True,
                    "header": True,
                },
                "schema": {"fields": _fields(csv_types=True), "primaryKey": ["index_no"], "missingValues": [""]},
            },
            {
                "name": "catalogue-json",
                "path": JSON_NAME,
                "profile": "tabular-data-resource",
                "title": "政府信息公开目录（JSON）",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "schema": {"fields": _fields(csv_types=False), "primaryKey": ["index_no"]},
            },
        ],
    }


# ------------------------------------------------------------------ per item
def entry_json(e: Entry, cat: Catalogue, values: dict[str, Any] | None = None) -> dict[str, Any]:
    """``values``: the entry's row, when the caller has it already."""
    return {"kind": "entry", **(values if values is not None else row(e, cat))}


def interpretation_json(i: Interpretation, cat: Catalogue) -> dict[str, Any]:
    return {
        "kind": "interpretation",
        "index_no": i.index_no,
        "title": i.title,
        "url": _url(cat, U.item_url(i)),
        "interprets": [
            {"index_no": s.index_no, "title": s.title, "url": _url(cat, U.item_url(s))} for s in cat.sources_of(i)
        ],
        "interprets_external": [
            {"title": r.title, "doc_number": r.doc_number, "url": r.url} for r in i.interprets_external
        ],
        "form": i.form,
        "interpreter_org": cat.config.agency_name(i.interpreter_org),
        "interpreter_org_id": i.interpreter_org,
        "interpreter": i.interpreter,
        "contact": i.contact,
        "published_date": iso(i.published_date),
        "topics": [f"{first}\\{second}" if second else first for first, second in i.topics],
        "keywords": list(i.keywords),
        "abstract": i.abstract or None,
        "media": {"title": i.media.get("title"), "url": _url(cat, f"media/{i.media['file']}")} if i.media else None,
        "history": _notes(i, cat),
    }


def _dump(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_exports(cat: Catalogue, site_dir: Path) -> None:
    """OUTPUT_WRITER: every export file, into the freshly built site."""
    table = rows(cat)
    (site_dir / CSV_NAME).write_bytes(catalogue_csv(table))
    (site_dir / JSON_NAME).write_bytes(catalogue_json(table))
    (site_dir / PACKAGE_NAME).write_bytes(_dump(datapackage(cat)))
    # rows() lists the entries in catalogue order: each row is also the entry's own JSON
    items: list[tuple[Item, dict[str, Any]]] = [
        (e, entry_json(e, cat, r)) for e, r in zip(cat.entries.values(), table, strict=True)
    ]
    items += [(i, interpretation_json(i, cat)) for i in cat.interpretations.values()]
    base = os.fspath(site_dir)
    for item, data in items:  # plain strings and one mkdir each: 11k files at 10k entries
        folder = f"{base}/{U.item_url(item)}"
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        with open(folder + ITEM_JSON, "wb") as fh:
            fh.write(_dump(data))


# ------------------------------------------------------------------ the data/ page
def data_pages(cat: Catalogue) -> Iterator[StagedPage]:
    """PAGE_SOURCE: the 开放数据 page listing the downloads and the columns."""
    here = U.DATA
    downloads = [
        (CSV_NAME, "政府信息公开目录（CSV，可用 Excel 打开）"),
        (JSON_NAME, "政府信息公开目录（JSON）"),
        (PACKAGE_NAME, "数据包说明（Frictionless Data Package）"),
        (f"{U.STATS}annual.json", "年度报告统计（JSON）"),
    ]
    links = "".join(f"<li>{a(rel(here, path), label)}</li>" for path, label in downloads)
    cols = "".join(
        f"<tr><td><code>{c.name}</code></td><td>{esc(c.title)}</td><td>{esc(c.description)}</td></tr>" for c in COLUMNS
    )
    html = (
        "<h1>开放数据</h1>"
        f"<p>本站目录中全部公开条目（共 {len(cat.entries)} 条）的元数据可整体下载。数据随网站每次更新同步生成，"
        "只包含网站公开展示的内容：不含草稿、未到公开时间的条目，依申请公开信息不含正文和附件。</p>"
        f'<ul class="gk-downloads">{links}</ul>'
        f"<p>每个条目和政策解读页面旁另有该条目元数据的 JSON 文件（页面网址后加 <code>{ITEM_JSON}</code>）；"
        "正文请查看页面本身。</p>"
        "<h2>字段说明</h2>"
        f"<p>CSV 文件为 UTF-8 编码（带 BOM），多项内容以“{LIST_SEPARATOR}”分隔；JSON 文件中多项内容为数组。"
        "为防止电子表格把内容当作公式执行，CSV 中以 =、+、-、@ 开头的内容前加了一个英文单引号。</p>"
        '<div class="gk-table-wrap"><table class="gk-list"><thead><tr><th scope="col">字段</th><th scope="col">名称</th>'
        f'<th scope="col">说明</th></tr></thead><tbody>{cols}</tbody></table></div>'
    )
    yield StagedPage(here, "开放数据", html, {"ColumnName": "开放数据"})
