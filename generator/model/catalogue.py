"""The immutable catalogue: items by 索引号, relations in both directions, indexes.

:meth:`Catalogue.public` is the only way the site layer gets a catalogue: it
drops drafts and embargoed items and strips the body of 依申请公开 entries, so
nothing downstream (pages, search index, feeds, exports) can leak them — even
as a reverse link on another page.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from generator.model.entry import Entry, Interpretation, Item, Page, without_body
from generator.model.links import Hidden, hidden_targets
from generator.model.siteconfig import SiteConfig

# relation key on the acting entry -> name of the reverse relation on its target
K = TypeVar("K")

REVERSE = {"amends": "amended_by", "repeals": "repealed_by", "replaces": "replaced_by"}


def _newest_first(items: Iterable[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (i.published_date, i.index_no), reverse=True)


@dataclass(frozen=True)
class Catalogue:
    config: SiteConfig
    entries: dict[str, Entry]
    interpretations: dict[str, Interpretation]
    pages: tuple[Page, ...] = ()
    build_date: dt.date | None = None
    # derived
    interpreted_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    reverse: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    hidden: Hidden = field(default_factory=Hidden)  # in the public view: what body links must not reach

    @classmethod
    def build(
        cls,
        config: SiteConfig,
        entries: Iterable[Entry],
        interpretations: Iterable[Interpretation],
        pages: Iterable[Page] = (),
        build_date: dt.date | None = None,
    ) -> Catalogue:
        by_id = {e.index_no: e for e in sorted(entries, key=lambda e: e.index_no)}
        interps = {i.index_no: i for i in sorted(interpretations, key=lambda i: i.index_no)}
        newest = tuple(_newest_first(by_id.values()))
        newest_interps = tuple(_newest_first(interps.values()))
        return cls._made(config, by_id, interps, pages, build_date, newest, newest_interps)  # type: ignore[arg-type]

    @classmethod
    def _made(
        cls,
        config: SiteConfig,
        by_id: dict[str, Entry],
        interps: dict[str, Interpretation],
        pages: Iterable[Page],
        build_date: dt.date | None,
        newest: tuple[Entry, ...],
        newest_interps: tuple[Interpretation, ...],
        hidden: Hidden | None = None,
    ) -> Catalogue:
        """The catalogue of ``by_id`` and ``interps`` (each in 索引号 order) whose newest-first
        orders (see :func:`_newest_first`) are ``newest`` and ``newest_interps``; ``hidden``:
        what its body links must not reach (the public view's)."""
        interpreted: dict[str, list[str]] = defaultdict(list)
        for interp in newest_interps:
            for target in interp.interprets:
                if target in by_id:
                    interpreted[target].append(interp.index_no)
        reverse: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for entry in newest:
            for rel, targets in entry.relations.items():
                for target in targets:
                    if target in by_id:
                        reverse[target][REVERSE[rel]].append(entry.index_no)
        made = cls(
            config=config,
            entries=by_id,
            interpretations=interps,
            pages=tuple(sorted(pages, key=lambda p: ((p.nav_order is None), p.nav_order or 0, p.slug))),
            build_date=build_date,
            interpreted_by={k: tuple(v) for k, v in sorted(interpreted.items())},
            reverse={k: {r: tuple(ids) for r, ids in sorted(v.items())} for k, v in sorted(reverse.items())},
            hidden=hidden if hidden is not None else Hidden(),
        )
        # the orders, sorted once (the cached properties below would sort them again)
        made.__dict__["_newest_entries"] = newest
        made.__dict__["_newest_interpretations"] = newest_interps
        return made

    def public(self, build_date: dt.date) -> Catalogue:
        """The catalogue as the public may see it on ``build_date``."""
        entries = {
            e.index_no: e if e.body_public else without_body(e)
            for e in sorted(self.entries.values(), key=lambda e: e.index_no)  # (in that order already)
            if e.is_published(build_date)
        }
        interps = {
            i.index_no: i
            for i in sorted(self.interpretations.values(), key=lambda i: i.index_no)
            if i.is_published(build_date)
        }
        pages = [p for p in self.pages if not p.draft]
        # this catalogue's newest-first orders, less what is not public: the public one's
        newest = tuple(entries[e.index_no] for e in self._newest_entries if e.index_no in entries)
        newest_interps = tuple(i for i in self._newest_interpretations if i.index_no in interps)
        hidden = hidden_targets(self.entries.values(), self.interpretations.values(), build_date)
        return Catalogue._made(self.config, entries, interps, pages, build_date, newest, newest_interps, hidden)

    # --- lookups -----------------------------------------------------------
    def get(self, index_no: str) -> Item | None:
        return self.entries.get(index_no) or self.interpretations.get(index_no)

    def interpretations_of(self, index_no: str) -> list[Interpretation]:
        return [self.interpretations[i] for i in self.interpreted_by.get(index_no, ())]

    def related(self, index_no: str, relation: str) -> list[Entry]:
        """Entries linked by ``relation``: amends/repeals/replaces or their *_by reverses."""
        entry = self.entries.get(index_no)
        if relation in REVERSE:
            ids = entry.relations.get(relation, ()) if entry else ()
        else:
            ids = self.reverse.get(index_no, {}).get(relation, ())
        return [self.entries[i] for i in ids if i in self.entries]

    def sources_of(self, interp: Interpretation) -> list[Entry]:
        return [self.entries[i] for i in interp.interprets if i in self.entries]

    # --- indexes -----------------------------------------------------------
    # The catalogue does not change once built, so each order is sorted once per catalogue
    # (a build asks for it from every view, feed and listing); callers get their own list.
    @functools.cached_property
    def _newest_entries(self) -> tuple[Entry, ...]:
        return tuple(_newest_first(self.entries.values()))  # type: ignore[arg-type]

    @functools.cached_property
    def _newest_interpretations(self) -> tuple[Interpretation, ...]:
        return tuple(_newest_first(self.interpretations.values()))  # type: ignore[arg-type]

    def newest_entries(self) -> list[Entry]:
        return list(self._newest_entries)

    def newest_interpretations(self) -> list[Interpretation]:
        return list(self._newest_interpretations)

    def by_topic(self) -> dict[tuple[str, str | None], list[Entry]]:
        """(一级, None) collects every entry of the class; (一级, 二级) the subclass."""
        out: dict[tuple[str, str | None], list[Entry]] = defaultdict(list)
        for entry in self.newest_entries():
            seen: set[tuple[str, str | None]] = set()
            for first, second in entry.topics:
                for key in ((first, None), (first, second)):
                    if key not in seen:
                        seen.add(key)
                        out[key].append(entry)
        return dict(out)

    def by_agency(self) -> dict[str, list[Entry]]:
        return _group(self.newest_entries(), lambda e: e.publisher)

    def by_year(self) -> dict[int, list[Entry]]:
        return _group(self.newest_entries(), lambda e: e.year)

    def by_info_type(self) -> dict[str, list[Entry]]:
        """Entries by 信息类别; an entry whose source gives none is in no group."""
        return _group([e for e in self.newest_entries() if e.info_type], lambda e: e.info_type or "")

    def current_normative(self) -> list[Entry]:
        """现行有效 规章 and 行政规范性文件 (the library view)."""
        return [e for e in self.newest_entries() if e.info_type in ("规章", "行政规范性文件") and e.validity == "有效"]

    def repealed_normative(self) -> list[Entry]:
        return [
            e
            for e in self.newest_entries()
            if e.info_type in ("规章", "行政规范性文件") and e.validity in ("废止", "失效", "已修改")
        ]


def _group(entries: list[Entry], key: Callable[[Entry], K]) -> dict[K, list[Entry]]:
    out: dict[K, list[Entry]] = defaultdict(list)
    for entry in entries:
        out[key(entry)].append(entry)
    return dict(out)
