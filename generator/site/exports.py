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

Every file is made of *pieces*, one item's each (:func:`entry_pieces`: the entry's own
JSON file, its CSV line and its catalogue.json element; :func:`interpretation_file`),
joined by :func:`csv_file` and :func:`json_file`. An item's pieces are a function of the
item itself, the site configuration and the values of the columns that read other items
(``Column.reads_catalogue``: :func:`shown_of_others`, :func:`interpreted`); every other
column sees the configuration only (:class:`_ConfigOnly`). The build cache relies on
that to reuse the pieces of items whose inputs did not change
(:func:`generator.site.incremental.cached_writer`): :func:`write_exports` and the cached
path join the same pieces.

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
from typing import Any, NamedTuple, cast

from generator.model import fields as F
from generator.model import urls as U
from generator.model.catalogue import Catalogue
from generator.model.entry import Entry, Interpretation, Item, value_of
from generator.model.siteconfig import SiteConfig
from generator.site.cache import _folder
from generator.site.htmlkit import a, esc, iso, rel
from generator.site.pagetypes import StagedPage

LIST_SEPARATOR = "；"
CSV_NAME, JSON_NAME, PACKAGE_NAME, ITEM_JSON = "catalogue.csv", "catalogue.json", "datapackage.json", "index.json"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# json.dumps with these options, without making an encoder for every call (11k calls at 10k entries)
compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_indented_json = json.JSONEncoder(ensure_ascii=False, indent=2).encode
_json_str: Callable[[str], str] = json.encoder.encode_basestring


class _Unusual(Exception):
    """A value :func:`_indented` leaves to the json module (any type but the plain JSON ones)."""


def _indented(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``: the json module writes an indented
    document with its pure-Python encoder (its C encoder does not indent), ~3x this for the
    11k item files at 10k entries; anything but str/int/bool/None/list/tuple/dict with str
    keys goes to the json module itself."""
    out: list[str] = []
    try:
        _emit(value, "\n", out)
    except _Unusual:
        return _indented_json(value)
    return "".join(out)


def _emit(value: Any, nl: str, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_json_str(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif type(value) is int:
        out.append(int.__repr__(value))
    elif type(value) is dict:
        if not value:
            out.append("{}")
            return
        inner = nl + "  "
        sep = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            out.append(sep + _json_str(key) + ": ")
            sep = "," + inner
            _emit(item, inner, out)
        out.append(nl + "}")
    elif type(value) is list or type(value) is tuple:
        if not value:
            out.append("[]")
            return
        inner = nl + "  "
        sep = "[" + inner
        for item in value:
            out.append(sep)
            sep = "," + inner
            _emit(item, inner, out)
        out.append(nl + "]")
    else:
        raise _Unusual


@dataclass(frozen=True)
class Column:
    name: str
    title: str  # Chinese label
    type: str  # Frictionless type in catalogue.json: string, date, array
    description: str
    value: Callable[[Entry, Catalogue], Any]
    required: bool = False
    # True: the value shows something of other items (their 索引号, whether they are public):
    # computed with the whole catalogue and part of the entry's cache key. False: ``value``
    # gets the configuration only (see _ConfigOnly), so it cannot read another item.
    reads_catalogue: bool = False


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


def _relation(name: str, title: str, description: str) -> Column:
    """The column of the public entries linked to an entry by relation ``name``."""
    return Column(
        name, title, "array", description, lambda e, cat: _ids(cat.related(e.index_no, name)), reads_catalogue=True
    )


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
        _relation("amends", "修改了", "本文件修改的文件（索引号）"),
        _relation("repeals", "废止了", "本文件废止的文件（索引号）"),
        _relation("replaces", "替代了", "本文件替代的文件（索引号）"),
        _relation("amended_by", "被修改", "修改本文件的文件（索引号）"),
        _relation("repealed_by", "被废止", "废止本文件的文件（索引号）"),
        _relation("replaced_by", "被替代", "替代本文件的文件（索引号）"),
        Column(
            "interpretations",
            "相关解读",
            "array",
            "本文件的政策解读（索引号）",
            lambda e, c: [i.index_no for i in c.interpretations_of(e.index_no)],
            reads_catalogue=True,
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
_READS_CATALOGUE = {"validity_history"}  # names the document behind an event only when it is public


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
            reads = fld.name in _READS_CATALOGUE
            out.append(Column(fld.name, x.title or fld.label, x.type, x.description, value, x.required, reads))
        out.extend(_COMPUTED.get(fld.name, ()))
    return tuple(out)


COLUMNS: tuple[Column, ...] = _columns()


# ------------------------------------------------------------------ rows
class _ConfigOnly:
    """The catalogue as a column that does not read other items sees it: the configuration
    only. Such a column reaching for another item fails here, in every build and test,
    instead of going stale in the cache (whose key holds the other items' values only
    through :func:`shown_of_others`)."""

    __slots__ = ("config",)

    def __init__(self, config: SiteConfig) -> None:
        self.config = config


def _own(cat: Catalogue) -> Catalogue:
    return cast(Catalogue, _ConfigOnly(cat.config))


def shown_of_others(e: Entry, cat: Catalogue) -> list[Any]:
    """The values of the columns that read other items (``Column.reads_catalogue``), in column order."""
    return [col.value(e, cat) for col in COLUMNS if col.reads_catalogue]


def row(e: Entry, cat: Catalogue, others: list[Any] | None = None) -> dict[str, Any]:
    """``others``: :func:`shown_of_others`, when the caller has it already."""
    shown = iter(shown_of_others(e, cat) if others is None else others)
    own = _own(cat)
    return {col.name: next(shown) if col.reads_catalogue else col.value(e, own) for col in COLUMNS}


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


def _csv_record(cells: list[str]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(cells)  # a writer keeps nothing from row to row
    return buf.getvalue().encode("utf-8")


def csv_line(r: dict[str, Any]) -> bytes:
    """Row ``r`` as its line of catalogue.csv, CRLF included (more than one line of text when a
    cell holds a line break)."""
    return _csv_record([csv_cell(r[c.name]) for c in COLUMNS])


def json_line(r: dict[str, Any]) -> bytes:
    """Row ``r`` as its element of catalogue.json: one line, without the separator."""
    return compact_json(r).encode("utf-8")


def csv_head() -> bytes:
    """What catalogue.csv holds before its first row: the BOM and the header line."""
    return "\ufeff".encode() + _csv_record([c.name for c in COLUMNS])


def csv_file(lines: list[bytes]) -> bytes:
    """catalogue.csv from the rows' :func:`csv_line`."""
    return csv_head() + b"".join(lines)


def json_file(lines: list[bytes]) -> bytes:
    """catalogue.json from the rows' :func:`json_line`."""
    return b"[\n" + b",\n".join(lines) + (b"\n" if lines else b"") + b"]\n"


def catalogue_csv(table: list[dict[str, Any]]) -> bytes:
    return csv_file([csv_line(r) for r in table])


def catalogue_json(table: list[dict[str, Any]]) -> bytes:
    return json_file([json_line(r) for r in table])


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


def interpreted(i: Interpretation, cat: Catalogue) -> list[dict[str, str]]:
    """What an interpretation's JSON shows of other items: the public documents it interprets."""
    return [{"index_no": s.index_no, "title": s.title, "url": _url(cat, U.item_url(s))} for s in cat.sources_of(i)]


def interpretation_json(
    i: Interpretation, catalogue: Catalogue, others: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """``others``: :func:`interpreted`, when the caller has it already."""
    cat = _own(catalogue)  # the rest reads the configuration only
    return {
        "kind": "interpretation",
        "index_no": i.index_no,
        "title": i.title,
        "url": _url(cat, U.item_url(i)),
        "interprets": interpreted(i, catalogue) if others is None else others,
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
    return (_indented(value) + "\n").encode("utf-8")


class EntryPieces(NamedTuple):
    file: bytes  # catalogue/<slug>/index.json
    csv: bytes  # its line of catalogue.csv
    json: bytes  # its element of catalogue.json


def entry_pieces(e: Entry, cat: Catalogue, others: list[Any] | None = None) -> EntryPieces:
    """Everything the exports hold of entry ``e`` (``others``: :func:`shown_of_others`, when known)."""
    r = row(e, cat, others)
    return EntryPieces(_dump(entry_json(e, cat, r)), csv_line(r), json_line(r))


def interpretation_file(i: Interpretation, cat: Catalogue, others: list[dict[str, str]] | None = None) -> bytes:
    """Interpretation ``i``'s own JSON file (``others``: :func:`interpreted`, when known)."""
    return _dump(interpretation_json(i, cat, others))


def package_file(cat: Catalogue) -> bytes:
    return _dump(datapackage(cat))


def item_file(item: Item) -> str:
    """Where an item's own JSON file is, relative to the site folder."""
    return f"{U.item_url(item)}{ITEM_JSON}"


def write_exports(cat: Catalogue, site_dir: Path) -> None:
    """OUTPUT_WRITER: every export file, into the freshly built site."""
    pieces = [entry_pieces(e, cat) for e in cat.entries.values()]  # sorted by 索引号 (Catalogue.build)
    (site_dir / CSV_NAME).write_bytes(csv_file([p.csv for p in pieces]))
    (site_dir / JSON_NAME).write_bytes(json_file([p.json for p in pieces]))
    (site_dir / PACKAGE_NAME).write_bytes(package_file(cat))
    files: list[tuple[Item, bytes]] = [(e, p.file) for e, p in zip(cat.entries.values(), pieces, strict=True)]
    files += [(i, interpretation_file(i, cat)) for i in cat.interpretations.values()]
    base = os.fspath(site_dir)
    for item, data in files:  # plain strings and one mkdir each: 11k files at 10k entries
        folder = f"{base}/{U.item_url(item)}"
        _folder(folder)
        with open(folder + ITEM_JSON, "wb") as fh:
            fh.write(data)


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
