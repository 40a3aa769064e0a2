"""The types of the field registry: what a front-matter field declaration says.

:class:`Field` (name, labels, type, requirement, help, template example) and what it
adds to each output — :class:`Meta` (metadata table row), :class:`Export` (export
column), :class:`Search` (lunr field), :class:`Facet` (search page filter) — and the
readable names of the value types (:data:`TYPE_NAMES`). The declarations themselves are
in model/fields_shared.py, fields_entry.py, fields_interpretation.py and fields.py.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Meta:
    """A row of the item page's metadata table (site/pages.py)."""

    order: int  # rows are sorted by it
    always: bool = False  # shown even when empty (the core 目录 fields); else only as entered
    wide: bool = False  # a full-width row after the two-column grid


@dataclass(frozen=True)
class Export:
    """A column of catalogue.csv / catalogue.json (site/exports.py): read on entry fields only
    (a field shared with interpretations, such as ``history``, exports the entries' values)."""

    type: str  # Frictionless type in catalogue.json: string, date, array
    description: str
    required: bool = False
    title: str = ""  # column title; "" = the field's label


@dataclass(frozen=True)
class Search:
    """A lunr field of the search index (generator/search/documents.py ``FIELDS``).

    A key shared by several kinds (索引号 of entries and interpretations) is declared
    the same way on each; the index lists its fields by ``order``, the body (正文, not a
    front-matter field) last."""

    key: str  # short lunr field name, repeated in every posting
    label: str
    boost: int
    order: int  # position in the index's field list
    mode: str = "full"  # tokenizer mode (generator/search/tokenizer.py)


@dataclass(frozen=True)
class Facet:
    """A filter of the search page: a column of ``search/facets.json`` (generator/search/facets.py).

    Its values come from the field's type: the agencies of site_config.yml, the top-level
    topics, the years of the published items, a vocabulary's values, or the distinct
    values entered (text). The browser reads the keys, labels and values from facets.json."""

    key: str  # facets.json key and URL parameter of the search page
    label: str  # heading on the search page
    order: int  # facets are listed by it
    others: str = ""  # the value of items whose kind has no field with this facet (appended to the values)


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # Chinese label, as shown on the site
    type: str  # see TYPE_NAMES
    required: str  # "yes" | "no" | "cond"
    help: str  # Chinese help line (used in templates and docs)
    example: str = ""  # YAML value for `gongkai new`; "" = leave out, commented
    subfields: tuple[str, ...] = ()
    label_en: str = ""  # English label (messages with --lang en)
    sample: str = ""  # the commented example of an optional field in `gongkai new` ("" = "…")
    default: object = None  # a default the schema itself defines; None = none (never invented)
    published: bool = True  # False: steers the build, never shown (draft, embargo_until, origin…)
    meta: Meta | None = None  # row in the page's metadata table
    export: Export | None = None  # column in the entry exports
    search: Search | None = None  # lunr field
    facet: Facet | None = None  # filter of the search page
    vocab: str = ""  # site_config.yml vocabularies.<vocab> the values come from
    privacy_exempt: str = ""  # why its strings are not privacy-scanned; "" = scanned (the default)


# type -> (Chinese description, English description)
TYPE_NAMES: dict[str, tuple[str, str]] = {
    "text": ("文字", "text"),
    "date": ("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
    "bool": ("true 或 false", "true or false"),
    "text_list": ("文字列表", "a list of text"),
    "agency": ("机构 id", "an agency id"),
    "agency_list": ("机构 id 列表", "a list of agency ids"),
    "vocab": ("词表中的值", "a vocabulary value"),
    "vocab_list": ("词表值列表", "a list of vocabulary values"),
    "topics": ("主题分类列表", "a list of topics"),
    "index_no": ("索引号", "an index number"),
    "index_no_list": ("索引号列表", "a list of index numbers"),
    "doc_number": ("文号", "a document number"),
    "events": ("记录列表", "a list of records"),
    "attachments": ("附件列表", "a list of attachments"),
    "relations": ("关系映射", "a mapping of relations"),
    "media": ("媒体映射", "a media mapping"),
    "int": ("整数", "an integer"),
    "acks": ("登记列表", "a list of acknowledgements"),
    "mapping": ("映射", "a mapping"),
    "external_refs": ("站外文件列表", "a list of documents published elsewhere"),
    "origin": ("导入来源映射", "an import origin mapping"),
}
