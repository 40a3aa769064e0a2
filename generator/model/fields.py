"""The front-matter schema, as data: the field registry.

This module is the registry's one entry point (``from generator.model import fields as F``):
it assembles the kinds (:data:`FIELDS_BY_KIND`; the types are in model/field_types.py,
the declarations in fields_entry.py, fields_interpretation.py and fields_shared.py, the
page fields here), the sub-fields, and the queries every consumer uses.

Every front-matter field is declared once, here, and everything else is derived:

* the schema checks (required fields, types, unknown keys, vocabularies) —
  checks/schema.py reads :func:`field_map`;
* the model: a field without an attribute on :class:`~generator.model.entry.Entry`
  lives in ``Item.extra`` (model/entry.py), so a plain field needs no model change;
* the entry and interpretation pages' metadata table (:attr:`Field.meta`,
  site/pages.py ``meta_rows``);
* the export columns of catalogue.csv/.json, datapackage.json and the ``data/``
  page (:attr:`Field.export`, site/exports.py ``COLUMNS``);
* the privacy scan (checks/privacy.py): every string is scanned unless its field
  states why not (:attr:`Field.privacy_exempt`) — free text is scanned by default;
* the ``gongkai new`` templates (:attr:`Field.example` / :attr:`Field.sample`),
  the canonical key order of ``gongkai fmt``;
* docs/schema.md and docs/exports.md (tests/test_docs.py, tests/test_exports.py
  fail when they drift).

* the search index: its lunr fields (:attr:`Field.search`, generator/search/documents.py
  ``FIELDS``) and its facets (:attr:`Field.facet`, generator/search/facets.py), which the
  browser reads from ``search/facets.json`` (theme/assets/javascripts/search/engine.js).

No field has an invented default: a field absent from a file is absent from every
output (the project rule "never invent data"). :attr:`Field.default` names the
only defaults the schema itself defines (``draft: false``).
"""

from __future__ import annotations

from typing import Any

from generator.model.field_types import TYPE_NAMES, Export, Facet, Field, Meta, Search
from generator.model.fields_entry import ENTRY_FIELDS
from generator.model.fields_interpretation import INTERPRETATION_FIELDS
from generator.model.fields_shared import (
    COMMON_TAIL,
    FACET_AGENCY,
    FACET_TOPIC,
    FACET_YEAR,
    ORIGIN,
    PRIVACY_ACK,
    SEARCH_ABSTRACT,
    SEARCH_INDEX_NO,
    SEARCH_KEYWORDS,
    SEARCH_TITLE,
)

__all__ = [
    "COMMON_TAIL",
    "ENTRY_FIELDS",
    "FACET_AGENCY",
    "FACET_TOPIC",
    "FACET_YEAR",
    "FIELDS_BY_KIND",
    "INTERPRETATION_FIELDS",
    "ORIGIN",
    "PAGE_FIELDS",
    "PRIVACY_ACK",
    "SEARCH_ABSTRACT",
    "SEARCH_INDEX_NO",
    "SEARCH_KEYWORDS",
    "SEARCH_TITLE",
    "SUBFIELDS",
    "SUBFIELD_PRIVACY_EXEMPT",
    "SUBFIELD_VOCAB",
    "TYPE_NAMES",
    "Export",
    "Facet",
    "Field",
    "Meta",
    "Search",
    "all_fields",
    "declaring",
    "field_map",
    "meta_fields",
    "names_of_type",
    "privacy_exempt_keys",
    "search_facets",
    "search_fields",
    "vocab_fields",
]

PAGE_FIELDS: tuple[Field, ...] = (
    Field("title", "标题", "text", "yes", "页面标题", "请在此填写页面标题", label_en="title"),
    Field(
        "nav_order",
        "导航顺序",
        "int",
        "no",
        "在导航中的顺序（整数，越小越靠前）；省略则不进导航",
        label_en="navigation order",
        sample="10",
        published=False,
    ),
    Field(
        "draft",
        "草稿",
        "bool",
        "no",
        "true 表示草稿：不发布",
        "false",
        label_en="draft",
        default=False,
        published=False,
    ),
    PRIVACY_ACK,
)

FIELDS_BY_KIND: dict[str, tuple[Field, ...]] = {
    "entry": ENTRY_FIELDS,
    "interpretation": INTERPRETATION_FIELDS,
    "page": PAGE_FIELDS,
}

# Sub-fields of structured values: name -> (required, type)
SUBFIELDS: dict[str, dict[str, tuple[bool, str]]] = {
    "validity_history": {
        "date": (True, "date"),
        "status": (True, "vocab"),
        "by": (False, "index_no"),
        "note": (False, "text"),
    },
    "history": {"date": (True, "date"), "note": (True, "text")},
    "attachments": {"title": (True, "text"), "file": (True, "text"), "sha256": (False, "text")},
    "relations": {
        "amends": (False, "index_no_list"),
        "repeals": (False, "index_no_list"),
        "replaces": (False, "index_no_list"),
    },
    "media": {"file": (True, "text"), "title": (False, "text")},
    "interprets_external": {"title": (True, "text"), "doc_number": (False, "doc_number"), "url": (False, "text")},
    "origin": {"id": (False, "text"), "url": (False, "text")},
    "privacy_ack": {"value": (True, "text"), "reason": (True, "text")},
}


def field_map(kind: str) -> dict[str, Field]:
    return {f.name: f for f in FIELDS_BY_KIND[kind]}


# Sub-field keys whose strings are not privacy-scanned, and why (see Field.privacy_exempt).
SUBFIELD_PRIVACY_EXEMPT: dict[str, str] = {
    "sha256": "a checksum, not free text",
    "status": "a validity vocabulary value, not free text",
}


def all_fields() -> tuple[Field, ...]:
    """Every declared field of every kind (a name may appear once per kind)."""
    return tuple(f for fields in FIELDS_BY_KIND.values() for f in fields)


def privacy_exempt_keys() -> frozenset[str]:
    """Keys (at any depth) whose strings the privacy scan skips: everything else is scanned."""
    return frozenset(f.name for f in all_fields() if f.privacy_exempt) | frozenset(SUBFIELD_PRIVACY_EXEMPT)


def meta_fields(kind: str) -> tuple[Field, ...]:
    """The fields of ``kind`` shown in the page's metadata table, in row order."""
    return tuple(sorted((f for f in FIELDS_BY_KIND[kind] if f.meta), key=lambda f: f.meta.order if f.meta else 0))


# Sub-fields whose values come from a vocabulary (see Field.vocab).
SUBFIELD_VOCAB: dict[str, str] = {"status": "validity"}


def vocab_fields() -> dict[str, str]:
    """Field name -> the vocabulary (``Vocabularies`` attribute, ``vocabularies.<name>`` in
    site_config.yml) its values come from, in registry order."""
    return {f.name: f.vocab for f in all_fields() if f.vocab}


def names_of_type(*types: str) -> tuple[str, ...]:
    """Entry and interpretation field names of the given types, in registry order, once each."""
    kinds = (ENTRY_FIELDS, INTERPRETATION_FIELDS)
    return tuple(dict.fromkeys(f.name for fields in kinds for f in fields if f.type in types))


def _declared(attr: str, reserved: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every ``search`` or ``facet`` declaration (``attr``) by key, checked: a key shared by
    several kinds must be declared identically, one kind may not use a key twice, and no two
    keys may share a place in the order. A registry that breaks this is a programming error,
    raised at once rather than indexing one field under another's name."""
    by_key: dict[str, Any] = {}
    for kind, fields in FIELDS_BY_KIND.items():
        seen: set[str] = set()
        for fld in fields:
            decl = getattr(fld, attr)
            if decl is None:
                continue
            if decl.key in reserved:
                raise ValueError(f"{attr} key {decl.key!r} of {kind}.{fld.name} is reserved")
            if decl.key in seen:
                raise ValueError(f"{attr} key {decl.key!r} is declared by two {kind} fields")
            seen.add(decl.key)
            if by_key.setdefault(decl.key, decl) != decl:
                raise ValueError(f"{attr} key {decl.key!r} of {kind}.{fld.name} differs from its other declaration")
    orders = [d.order for d in by_key.values()]
    if len(set(orders)) != len(orders):
        raise ValueError(f"two {attr} keys share an order: {sorted(orders)}")
    return by_key


def search_fields() -> tuple[Search, ...]:
    """The lunr fields the registry declares, once per key, in index order (the body,
    not a front-matter field, is added by generator/search/documents.py as ``b``)."""
    return tuple(sorted(_declared("search", reserved=("b",)).values(), key=lambda s: s.order))


def search_facets() -> tuple[Facet, ...]:
    """The search page's facets, once per key, in display order."""
    return tuple(sorted(_declared("facet").values(), key=lambda s: s.order))


def declaring(kind: str, key: str, attr: str) -> Field | None:
    """The field of ``kind`` whose ``search`` or ``facet`` (``attr``) has ``key``, if any."""
    for fld in FIELDS_BY_KIND[kind]:
        decl = getattr(fld, attr)
        if decl is not None and decl.key == key:
            return fld
    return None
