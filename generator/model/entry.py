"""Catalogue items: entries, interpretations and plain pages. Pure data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from typing import Any

from generator.model.identifiers import slugify_index_no

Topic = tuple[str, str | None]


class Body:
    """The ``body`` field of items and pages: its text, possibly left in the source file until read.

    A cached check's result (:mod:`generator.project_cache`) may leave the body in its file; the
    field then holds a callable (``project_cache.LazyBody``) that reads it, checks it against the
    body that was checked, and returns it: called once, on the first read of ``body``. Anything
    else set (``__init__``, :func:`dataclasses.replace`) is the text itself. Stored in the
    instance's ``__dict__`` under the field's name, as a plain field is."""

    def __get__(self, obj: object | None, objtype: type | None = None) -> str:
        if obj is None:
            return ""  # the field's default
        value = obj.__dict__["body"]
        if value.__class__ is not str:
            value = value()
            obj.__dict__["body"] = value
        return value

    def __set__(self, obj: object, value: str) -> None:  # or what reads it (set untyped: see above)
        obj.__dict__["body"] = value


@dataclass(frozen=True)
class ValidityEvent:
    date: dt.date
    status: str
    by: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Note:
    date: dt.date
    note: str


@dataclass(frozen=True)
class PrivacyAck:
    """A reviewed number that may be published (e.g. a public service hotline)."""

    value: str
    reason: str


@dataclass(frozen=True)
class Attachment:
    title: str
    file: str
    sha256: str | None = None


@dataclass(frozen=True)
class ExternalRef:
    """A document explained by an interpretation but published elsewhere (not in this catalogue)."""

    title: str
    doc_number: str | None = None
    url: str | None = None


@dataclass(frozen=True, kw_only=True)
class Item:
    """What entries and interpretations share: both are catalogue items with a 索引号."""

    source: str
    index_no: str
    title: str
    published_date: dt.date
    topics: tuple[Topic, ...] = ()
    keywords: tuple[str, ...] = ()
    abstract: str = ""
    draft: bool = False
    embargo_until: dt.date | None = None
    history: tuple[Note, ...] = ()
    privacy_ack: tuple[PrivacyAck, ...] = ()
    origin: dict[str, str] | None = None  # where an import read it (never shown)
    # Registry fields (model/fields.py) without an attribute of their own: a plain field
    # declared there needs no change here. Read them with :func:`value_of`.
    extra: dict[str, Any] = field(default_factory=dict)
    body: Body = Body()  # the text (see Body)
    body_line: int = 1
    missing: frozenset[str] = frozenset()  # required fields absent (see partial_item): never published

    kind = "item"

    @property
    def slug(self) -> str:
        return slugify_index_no(self.index_no)

    @property
    def year(self) -> int:
        return self.published_date.year

    def is_published(self, build_date: dt.date) -> bool:
        """Drafts and embargoed items are not published anywhere."""
        if self.draft:
            return False
        return self.embargo_until is None or self.embargo_until <= build_date


@dataclass(frozen=True, kw_only=True)
class Entry(Item):
    publisher: str
    written_date: dt.date
    disclosure: str
    info_type: str | None = None  # 信息类别: absent when the source does not classify the record
    issuers: tuple[str, ...] = ()
    doc_number: str | None = None
    registration_no: str | None = None
    effective_date: dt.date | None = None
    expires: dt.date | None = None
    genre: str | None = None
    validity: str | None = None
    validity_history: tuple[ValidityEvent, ...] = ()
    scope: str | None = None
    period: str | None = None
    channel: tuple[str, ...] = ()
    procedure: str | None = None
    attachments: tuple[Attachment, ...] = ()
    relations: dict[str, tuple[str, ...]] = field(default_factory=dict)

    kind = "entry"

    @property
    def body_public(self) -> bool:
        """依申请公开 entries publish their catalogue metadata only."""
        return self.disclosure == "主动公开"

    def status_on(self, day: dt.date) -> str | None:
        """Validity on a given day, from the dated history (None before the first event)."""
        status = None
        for event in self.validity_history:
            if event.date <= day:
                status = event.status
        return status

    def event(self, status: str) -> ValidityEvent | None:
        return next((e for e in reversed(self.validity_history) if e.status == status), None)


@dataclass(frozen=True, kw_only=True)
class Interpretation(Item):
    interprets: tuple[str, ...] = ()
    interprets_external: tuple[ExternalRef, ...] = ()
    form: str
    interpreter_org: str
    interpreter: str | None = None
    contact: str | None = None
    media: dict[str, str] | None = None

    kind = "interpretation"


@dataclass(frozen=True, kw_only=True)
class Page:
    source: str
    slug: str
    title: str
    nav_order: int | None = None
    draft: bool = False
    privacy_ack: tuple[PrivacyAck, ...] = ()
    body: Body = Body()  # the text (see Body)
    body_line: int = 1


def value_of(item: Item, name: str) -> Any:
    """The value of registry field ``name``: its attribute, else from :attr:`Item.extra`."""
    return getattr(item, name) if name in item.__dataclass_fields__ else item.extra.get(name)


def _split_extra(cls: type[Item], v: dict[str, Any]) -> dict[str, Any]:
    """``v`` with the values that have no attribute on ``cls`` moved into ``extra``."""
    extra = {k: v.pop(k) for k in [k for k in v if k not in cls.__dataclass_fields__]}
    if extra:
        v["extra"] = extra
    return v


def entry_from(values: dict[str, Any], source: str, body: str, body_line: int) -> Entry:
    v = _split_extra(Entry, dict(values))
    v["validity_history"] = tuple(ValidityEvent(**e) for e in v.get("validity_history", ()))
    v["history"] = tuple(Note(**n) for n in v.get("history", ()))
    v["attachments"] = tuple(Attachment(**a) for a in v.get("attachments", ()))
    v["relations"] = {k: tuple(x) for k, x in sorted(v.get("relations", {}).items())}
    v["privacy_ack"] = acks(v)
    return Entry(source=source, body=body, body_line=body_line, **v)


def interpretation_from(values: dict[str, Any], source: str, body: str, body_line: int) -> Interpretation:
    v = _split_extra(Interpretation, dict(values))
    v["history"] = tuple(Note(**n) for n in v.get("history", ()))
    v["privacy_ack"] = acks(v)
    v["interprets_external"] = tuple(ExternalRef(**r) for r in v.get("interprets_external", ()))
    return Interpretation(source=source, body=body, body_line=body_line, **v)


def page_from(values: dict[str, Any], source: str, slug: str, body: str, body_line: int) -> Page:
    v = dict(values)
    v["privacy_ack"] = acks(v)
    return Page(source=source, slug=slug, body=body, body_line=body_line, **v)


def acks(values: dict[str, Any]) -> tuple[PrivacyAck, ...]:
    return tuple(PrivacyAck(**a) for a in values.get("privacy_ack", ()))


def without_body(entry: Entry) -> Entry:
    return replace(entry, body="", attachments=())


_PLACEHOLDER_DATE = dt.date(1, 1, 1)


def partial_item(
    kind: str, values: dict[str, Any], source: str, body: str, body_line: int
) -> Entry | Interpretation | None:
    """An item from values lacking required fields, placeholders in their stead, so that the
    cross-file checks still see the rest of it (every problem at once). Never published:
    :attr:`Item.missing` names the placeholders, and checks that need them skip the item."""
    from dataclasses import MISSING

    cls: type[Entry] | type[Interpretation] = Entry if kind == "entry" else Interpretation
    if kind not in ("entry", "interpretation"):
        return None
    v = dict(values)
    missing: set[str] = set()
    for f in fields(cls):
        if f.default is MISSING and f.default_factory is MISSING and f.name not in ("source",) and f.name not in v:
            missing.add(f.name)
            hint = str(f.type)
            v[f.name] = _PLACEHOLDER_DATE if "date" in hint else () if "tuple" in hint else ""
    v["missing"] = frozenset(missing)
    try:
        if kind == "entry":
            item: Entry | Interpretation = entry_from(v, source, body, body_line)
        else:
            item = interpretation_from(v, source, body, body_line)
    except (TypeError, ValueError):
        return None
    return item
