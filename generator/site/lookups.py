"""What a page may read of the catalogue: recorded lookups, each with a digest of its result.

The page builders never hold the :class:`~generator.model.catalogue.Catalogue`. They get a
:class:`CatalogueView`, whose only ways to reach catalogue data are the methods marked
:func:`lookup` (plus the site configuration, which is part of every page's input key).
A lookup

* works only while a page is being built (inside :meth:`CatalogueView.recording`); outside
  it raises :class:`LookupOutsidePage`, so data cannot be looked up while the jobs are
  planned and smuggled into a page unrecorded;
* records its name, its arguments and a digest of its result;
* returns other items as :class:`Summary` projections — exactly the fields a page may show
  of another item — never the item itself, so a page cannot read a field of another item
  that the digest does not cover.

On the next build :meth:`CatalogueView.replay` runs the recorded lookups again against the
new catalogue (dictionary lookups) and compares digests: when all match, and the page's
own inputs are unchanged, the page built then is the page a build now would make
(see :mod:`generator.site.incremental`). Replaying runs the same method bodies as
recording, so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from generator.model import urls as U
from generator.model.catalogue import Catalogue
from generator.model.entry import Entry, Interpretation, Item, Page
from generator.model.links import hidden_target
from generator.model.siteconfig import SiteConfig
from generator.site.pagetypes import Lookup

P = ParamSpec("P")
R = TypeVar("R")

# name -> the undecorated method, for replay
LOOKUPS: dict[str, Callable[..., Any]] = {}


class LookupOutsidePage(RuntimeError):
    """A catalogue lookup made while no page was being built: it would not be recorded."""


@dataclass(frozen=True)
class Summary:
    """What a page shows of another item: its link, 索引号, date and, when it has them, its
    文号 and 效力状况 (entries) or its form and 解读机构 (interpretations)."""

    kind: str
    index_no: str
    url: str
    title: str
    published_date: dt.date
    doc_number: str | None = None
    validity: str | None = None
    form: str | None = None
    interpreter_org: str | None = None


def summary(item: Item) -> Summary:
    if isinstance(item, Entry):
        return Summary(
            item.kind, item.index_no, U.item_url(item), item.title, item.published_date, item.doc_number, item.validity
        )
    assert isinstance(item, Interpretation)
    return Summary(
        item.kind,
        item.index_no,
        U.item_url(item),
        item.title,
        item.published_date,
        form=item.form,
        interpreter_org=item.interpreter_org,
    )


# the kinds of listing :meth:`CatalogueView.listing` knows (see _make_groups)
LISTING_KINDS = ("topic", "agency", "year", "type", "library", "repealed", "entries", "interpretations")


def _blake(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def topic_key(first: str, second: str | None) -> str:
    """The group key of a topic class (``second`` None) or subclass."""
    return first if second is None else f"{first}\x1f{second}"


def lookup(method: Callable[..., R]) -> Callable[..., R]:
    """Mark a :class:`CatalogueView` method as a recorded lookup (arguments: str, int, None
    or tuples of them; the result: those, :class:`Summary`, or lists/tuples of them)."""
    name = method.__name__
    LOOKUPS[name] = method

    @functools.wraps(method)
    def recorded(self: CatalogueView, *args: Any) -> R:
        record = self._record
        if record is None:
            raise LookupOutsidePage(f"catalogue lookup {name}{args!r} outside a page build")
        result = method(self, *args)
        if (name, args) not in record:
            record[(name, args)] = self.digest(result)
        return result

    return recorded


class CatalogueView:
    """The catalogue as page builders see it: recorded lookups only (see the module docstring)."""

    def __init__(self, catalogue: Catalogue, root: Path) -> None:
        self.__cat = catalogue
        self.__root = root  # attachment sizes are read from the project folder
        self.config: SiteConfig = catalogue.config  # keyed as site_config.yml by every page
        self._record: dict[tuple[str, tuple[Any, ...]], str] | None = None
        self.__summaries: dict[tuple[str, str], tuple[Summary, str]] = {}
        self.__groups: dict[str, dict[str, list[Item]]] = {}
        self.__by_org: Counter[str] | None = None
        self.__digests: dict[str, str] = {}  # short encodings ("[]", "None", "0", …) → their digest

    # ----------------------------------------------------------- recording
    @contextmanager
    def recording(self) -> Iterator[dict[tuple[str, tuple[Any, ...]], str]]:
        """Record the lookups made inside the block (one page's build). A page built inside
        another's build adds its lookups to the outer page's too."""
        saved, self._record = self._record, {}
        record = self._record
        try:
            yield record
        finally:
            self._record = saved
            if saved is not None:
                saved.update(record)

    def replay(self, lookups: list[Lookup]) -> bool:
        """Whether every recorded lookup gives the same digest on this catalogue."""
        empty = self.digest([])
        for name, args, expected in lookups:
            method = LOOKUPS.get(name)
            if method is None:
                return False
            try:
                result = method(self, *args)
            except Exception:  # a stored record from other code: build the page
                return False
            if type(result) is list and not result:  # most lookups find nothing (no relation of a kind)
                if empty != expected:
                    return False
            elif self.digest(result) != expected:
                return False
        return True

    def digest(self, value: Any) -> str:
        text = self._encode(value)
        if len(text) > 40:
            return _blake(text)
        known = self.__digests.get(text)  # most lookups give a few short results (an empty list above all)
        if known is None:
            known = self.__digests[text] = _blake(text)
        return known

    def _encode(self, value: Any) -> str:
        if not value and isinstance(value, list):
            return "[]"
        if isinstance(value, Summary):
            return self.__summaries[(value.kind, value.index_no)][1]
        if isinstance(value, (list, tuple)):
            known = self.__summaries  # a listing is 50 summaries: their encodings without a call each
            return (
                "["
                + ",".join([known[(v.kind, v.index_no)][1] if type(v) is Summary else self._encode(v) for v in value])
                + "]"
            )
        if value is None or isinstance(value, (str, int, bool)):
            return repr(value)
        raise TypeError(f"a lookup result of type {type(value).__name__} cannot be digested")

    def _summary(self, item: Item) -> Summary:
        return (self.__summaries.get((item.kind, item.index_no)) or self._summarise(item))[0]

    def _summarise(self, item: Item) -> tuple[Summary, str]:
        """``item``'s summary and its digest, made once per build."""
        s = summary(item)
        known = self.__summaries[(item.kind, item.index_no)] = (
            s,
            hashlib.blake2b(repr(s).encode(), digest_size=16).hexdigest(),
        )
        return known

    def _group(self, kind: str) -> dict[str, list[Item]]:
        groups = self.__groups.get(kind)
        if groups is None:
            groups = self.__groups[kind] = self._make_groups(kind)
        return groups

    def _make_groups(self, kind: str) -> dict[str, list[Item]]:  # one of LISTING_KINDS
        cat = self.__cat
        out: dict[str, list[Item]] = defaultdict(list)
        if kind == "topic":
            for (first, second), entries in cat.by_topic().items():
                out[topic_key(first, second)] = list(entries)
        elif kind == "agency":
            out.update({key: list(entries) for key, entries in cat.by_agency().items()})
        elif kind == "year":
            out.update({str(year): list(entries) for year, entries in cat.by_year().items()})
        elif kind == "type":
            out.update({key: list(entries) for key, entries in cat.by_info_type().items()})
        elif kind == "library":
            out[""] = list(cat.current_normative())
        elif kind == "repealed":
            out[""] = list(cat.repealed_normative())
        elif kind == "entries":
            out[""] = list(cat.newest_entries())
        elif kind == "interpretations":
            out[""] = list(cat.newest_interpretations())
        else:
            raise ValueError(f"no listing {kind!r}")
        return dict(out)

    # ------------------------------------------------------------- planning
    # What the build needs to know before any page is built: which pages there are. Not
    # recorded, so never inside a page build: what a page gets from here reaches it only as
    # an argument of its job, which is part of its input key (PageJob.inputs).
    def _planning(self) -> None:
        if self._record is not None:
            raise LookupOutsidePage("planning lookups are not recorded: use a lookup inside a page build")

    def plan_items(self) -> list[Item]:
        """Every entry and interpretation (their own pages are keyed by their source files)."""
        self._planning()
        return [*self.__cat.entries.values(), *self.__cat.interpretations.values()]

    def plan_content_pages(self) -> tuple[Page, ...]:
        self._planning()
        return self.__cat.pages

    def plan_members(self) -> dict[str, list[str]]:
        """Every listing group (its kind and key joined by a NUL) → its members' 索引号, in listing
        order (what :func:`generator.site.incremental.clean_groups` compares between builds)."""
        self._planning()
        return {
            f"{kind}\0{key}": [m.index_no for m in members]
            for kind in LISTING_KINDS
            for key, members in self._group(kind).items()
        }

    def plan_sizes(self, kind: str) -> dict[str, int]:
        """Group key -> member count of a listing (how many pages it has)."""
        self._planning()
        return {key: len(items) for key, items in self._group(kind).items()}

    # -------------------------------------------------------------- lookups
    @lookup
    def entry(self, index_no: str) -> Summary | None:
        found = self.__cat.entries.get(index_no)
        return self._summary(found) if found else None

    @lookup
    def related(self, index_no: str, relation: str) -> list[Summary]:
        return [self._summary(e) for e in self.__cat.related(index_no, relation)]

    @lookup
    def interpretations_of(self, index_no: str) -> list[Summary]:
        return [self._summary(i) for i in self.__cat.interpretations_of(index_no)]

    @lookup
    def sources_of(self, index_no: str) -> list[Summary]:
        """The catalogue's entries an interpretation explains."""
        interp = self.__cat.interpretations.get(index_no)
        return [self._summary(e) for e in self.__cat.sources_of(interp)] if interp else []

    @lookup
    def listing(self, kind: str, key: str, start: int, stop: int) -> tuple[int, list[Summary]]:
        """(member count, members ``start:stop``) of a listing, newest first."""
        members = self._group(kind).get(key, [])
        known = self.__summaries
        return len(members), [(known.get((m.kind, m.index_no)) or self._summarise(m))[0] for m in members[start:stop]]

    @lookup
    def group_keys(self, kind: str) -> list[str]:
        """The keys of a listing's non-empty groups."""
        return sorted(self._group(kind))

    @lookup
    def interpretations_by(self, agency: str) -> int:
        if self.__by_org is None:
            self.__by_org = Counter(i.interpreter_org for i in self.__cat.interpretations.values())
        return self.__by_org.get(agency, 0)

    @lookup
    def totals(self) -> tuple[int, int]:
        return len(self.__cat.entries), len(self.__cat.interpretations)

    @lookup
    def has_page(self, slug: str) -> bool:
        return any(p.slug == slug for p in self.__cat.pages)

    @lookup
    def file_size(self, path: str) -> int | None:
        """The size of a file below the project folder (None when it cannot be read)."""
        try:
            return (self.__root / path).stat().st_size
        except OSError:
            return None

    @lookup
    def hidden_target(self, href: str, source: str) -> str | None:
        """The unpublished 索引号 or file a body link in ``source`` reaches (see model/links.py)."""
        return hidden_target(href, source, self.__cat.hidden)
