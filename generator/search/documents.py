"""The public catalogue → search documents: per-field terms, display metadata, facets.

Only what :meth:`Catalogue.public` kept reaches this module: drafts and embargoed
items are gone and 依申请公开 entries arrive without a body, so their 正文 can
never enter a search file.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Any

from generator.model import fields as F
from generator.model.catalogue import Catalogue
from generator.model.entry import Entry, Interpretation, Item
from generator.search.compact import ref_of
from generator.search.facets import field_value
from generator.search.tokenizer import doc_number_key, index_no_key, term_counts, terms


@dataclass(frozen=True)
class Field:
    name: str  # lunr field name (short: it is repeated in every posting)
    label: str
    boost: int
    mode: str  # tokenizer mode
    sources: tuple[tuple[str, str, str], ...] = ()  # (kind, front-matter field, type) read; () = the body


BODY = Field("b", "正文", 1, "text")  # the Markdown body: not a front-matter field, always last (snippet_text)


def index_fields() -> tuple[Field, ...]:
    """The lunr fields: the registry's search declarations (model/fields.py) in order, then the body."""
    declared = []
    for search in F.search_fields():
        sources = []
        for kind in ("entry", "interpretation"):
            fld = F.declaring(kind, search.key, "search")
            if fld is not None:
                sources.append((kind, fld.name, fld.type))
        declared.append(Field(search.key, search.label, search.boost, search.mode, tuple(sources)))
    return (*declared, BODY)


# Computed once (like site/exports.py COLUMNS): a test that changes the registry recomputes it.
FIELDS: tuple[Field, ...] = index_fields()

INTERPRETATION_TYPE = "政策解读"
SNIPPET_TEXT_LIMIT = 20000  # characters of plain text kept per document for snippets

# Markup that vanishes in the rendered page is removed without a trace, so that text on
# both sides stays adjacent (为了**做好** → 为了做好) as the reader sees it.
_MD_FENCES = re.compile(r"^```.*?$", re.MULTILINE)
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_TAG = re.compile(r"<[^>]+>")
_MD_REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S.*$", re.MULTILINE)  # [id]: url "title" (not shown)
_MD_LINE_MARKS = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)|^\s*[-:| ]{3,}\s*$", re.MULTILINE)
_INLINE_MARKS = "*_`~"
_SPACE_RUNS = re.compile(" {2,}")
_BLANKS = re.compile(r"\n\s*\n+")


def plain_text(markdown: str) -> str:
    """Readable text of a Markdown body: markup, tags, images and link targets dropped."""
    text = _MD_FENCES.sub("", markdown) if "```" in markdown else markdown
    text = _MD_REFDEF.sub("", text) if "]:" in text else text
    text = _MD_IMAGE.sub(" ", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_TAG.sub("", text)
    text = _MD_LINE_MARKS.sub("", text)
    for mark in _INLINE_MARKS:  # each of * _ ` ~ dropped
        text = text.replace(mark, "")
    if "|" in text:  # table cells: whitespace around each | becomes one space
        parts = text.split("|")
        text = " ".join([parts[0].rstrip(), *(part.strip() for part in parts[1:-1]), parts[-1].lstrip()])
    text = _SPACE_RUNS.sub(" ", text.replace("\t", " "))  # runs of spaces and tabs: one space
    return _BLANKS.sub("\n", text).strip()


@dataclass(frozen=True)
class SearchDoc:
    ref: str
    item: Item
    texts: tuple[str, ...]  # per FIELDS entry
    keys: tuple[tuple[str, ...], ...]  # exact keys appended to each field's terms

    def field_terms(self, i: int) -> list[str]:
        """The terms of field ``i`` in order: what the gongkai pipeline function gives lunr."""
        return terms(self.texts[i], FIELDS[i].mode) + list(self.keys[i])

    def field_counts(self, i: int, known: Container[str] = ()) -> dict[str, int]:
        """``Counter(field_terms(i))``, faster; terms not in ``known`` in order of first appearance."""
        counts = term_counts(self.texts[i], FIELDS[i].mode, known)
        for key in self.keys[i]:
            counts[key] = counts.get(key, 0) + 1
        return counts


def search_items(cat: Catalogue) -> list[Item]:
    """Entries (by 索引号), then interpretations (by 索引号): a stable document order."""
    return [*cat.entries.values(), *cat.interpretations.values()]


def _exact_key(typ: str, text: str) -> str | None:
    """The exact-match key a 文号 or 索引号 adds to its field's terms."""
    if not text:
        return None
    return doc_number_key(text) if typ == "doc_number" else index_no_key(text) if typ == "index_no" else None


_SOURCES: dict[str, list[tuple[str, str] | None]] = {}  # per kind: per front-matter field of FIELDS (name, type)
_SOURCES_OF: list[tuple[Field, ...]] = [FIELDS]  # the FIELDS _SOURCES was made for


def _sources(kind: str) -> list[tuple[str, str] | None]:
    if _SOURCES_OF[0] is not FIELDS:  # the registry changed (a test)
        _SOURCES.clear()
        _SOURCES_OF[0] = FIELDS
    plan = _SOURCES.get(kind)
    if plan is None:
        plan = _SOURCES[kind] = [
            next(((name, typ) for k, name, typ in fld.sources if k == kind), None) for fld in FIELDS[:-1]
        ]
    return plan


def front_texts(item: Item) -> list[tuple[str, str]]:
    """``(text, field type)`` of every front-matter search field (all of FIELDS but the
    body) on ``item``; ``""`` where its kind has no such field or it is absent."""
    out = []
    for source in _sources(item.kind):
        value = field_value(item, source[0]) if source else None
        text = " ".join(value) if isinstance(value, list | tuple) else str(value) if value else ""
        out.append((text, source[1] if source else ""))
    return out


def search_doc(n: int, item: Item, body: bool = True) -> SearchDoc:
    """The search document ``n`` of ``item``; without ``body`` its body field is left empty
    and ``item.body`` is not read (a body may be loaded on demand)."""
    front = front_texts(item)
    texts = (*(text for text, _ in front), plain_text(item.body) if body and item.body else "")
    keys = tuple((key,) if (key := _exact_key(typ, text)) else () for text, typ in front)
    return SearchDoc(ref_of(n), item, texts, (*keys, ()))


def search_docs(cat: Catalogue) -> list[SearchDoc]:
    return [search_doc(n, item) for n, item in enumerate(search_items(cat))]


def agency_of(item: Item) -> str:
    return (
        item.publisher if isinstance(item, Entry) else item.interpreter_org if isinstance(item, Interpretation) else ""
    )


def display(item: Item, cat: Catalogue, url: str) -> dict[str, Any]:
    """What the result of ``item``'s document shows before its snippet: its record in the
    file ``search/docs/<n>.json``."""
    out: dict[str, Any] = {
        "t": item.title,
        "i": item.index_no,
        "u": url,
        "d": item.published_date.isoformat(),
        "a": cat.config.agency_name(agency_of(item)),
    }
    if isinstance(item, Entry):
        out.update({"n": item.doc_number or "", "v": item.validity or "", "y": item.info_type or ""})
        if not item.body_public:
            out["r"] = 1  # 依申请公开: metadata only
    else:
        assert isinstance(item, Interpretation)
        sources = cat.sources_of(item)
        out.update({"n": "", "v": "", "y": INTERPRETATION_TYPE, "o": [s.title for s in sources]})
    return out


def snippet_text(doc: SearchDoc) -> dict[str, Any]:
    """What snippets are cut from, loaded after the results show: ``search/text/<ref>.json``."""
    return {"s": doc.item.abstract, "x": doc.texts[-1][:SNIPPET_TEXT_LIMIT]}
