"""The facets of the search page (``search/facets.json``), derived from the field registry.

Every field with a :class:`~generator.model.fields.Facet` becomes a column: its values come
from the field's type (the agencies of site_config.yml, the top-level topics, the years
entered, a vocabulary's values, or the distinct values entered), each document holds the
index of its value(s). The browser (theme/assets/javascripts/search/engine.js) takes the
keys, labels and order from this file, so declaring a facet in the registry is enough.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from generator.model import fields as F
from generator.model.catalogue import Catalogue
from generator.model.entry import Interpretation, Item

_ABSENT = object()


def field_value(item: Item, name: str) -> Any:
    """The value of front-matter field ``name`` on ``item`` (a field the model has no
    attribute for lives in ``item.extra``)."""
    value = getattr(item, name, _ABSENT)
    return item.extra.get(name) if value is _ABSENT else value


def _positions(values: list[str]) -> dict[str, int]:
    """Each value's first index (``values.index``)."""
    out: dict[str, int] = {}
    for n, value in enumerate(values):
        out.setdefault(value, n)
    return out


def _column(facet: F.Facet, items: Sequence[Item], cat: Catalogue) -> tuple[list[str], list[Any]]:
    """The values of ``facet`` in display order, and the cell of each document.

    (Computed a column at a time, with dictionaries for ``values.index``: the cells of every
    document are recomputed on each build, ~110k documents at 100k entries.)"""
    cfg = cat.config
    kinds = {kind: F.declaring(kind, facet.key, "facet") for kind in ("entry", "interpretation")}
    typ = next(f.type for f in kinds.values() if f is not None)
    names = {kind: fld.name for kind, fld in kinds.items() if fld is not None}

    def raws() -> list[Any]:  # per document the field's value (None where its kind has no such field)
        return [field_value(item, names[item.kind]) if item.kind in names else None for item in items]

    def many(values: list[str], convert: Callable[[Any], str]) -> list[Any]:
        pos = _positions(values)
        converted: dict[str, Any] = {}  # convert of each text met (only texts: 1 == True == 1.0)

        def conv(v: Any) -> Any:
            if type(v) is not str:
                return convert(v)
            out = converted.get(v, _ABSENT)
            if out is _ABSENT:
                out = converted[v] = convert(v)
            return out

        def index(c: Any) -> int:
            return pos[c] if isinstance(c, str) and c in pos else -1

        absent = index(facet.others) if facet.others else -1
        cells: list[Any] = []
        for item in items:
            if item.kind not in names:
                cells.append(absent)
                continue
            value = field_value(item, names[item.kind])
            if isinstance(value, list | tuple):
                cells.append(sorted({n for v in value if (n := index(conv(v))) >= 0}))
            else:
                cells.append(index(conv(value)) if value is not None else index(""))
        return cells

    if typ in ("agency", "agency_list"):
        return [a.name for a in cfg.agencies], many([a.name for a in cfg.agencies], cfg.agency_name)
    if typ == "topics":
        tops = [t.name for t in cfg.vocab.topics.top]
        top_pos = _positions(tops)
        return tops, [
            sorted({top_pos[t] for t, _ in value or () if isinstance(t, str) and t in top_pos}) for value in raws()
        ]
    if typ == "date":
        dates = raws()
        years = sorted({v.year for v in dates if isinstance(v, dt.date)}, reverse=True)
        year_pos = {y: n for n, y in enumerate(years)}
        return [str(y) for y in years], [year_pos[v.year] if isinstance(v, dt.date) else -1 for v in dates]
    if typ in ("vocab", "vocab_list"):
        fld = next(f for f in kinds.values() if f is not None)
        values = getattr(cfg.vocab, fld.vocab).names() + ([facet.others] if facet.others else [])
        return values, many(values, str)
    entered = {str(v) for value in raws() for v in (value if isinstance(value, list | tuple) else [value])}
    values = sorted(entered - {"None", ""}) + ([facet.others] if facet.others else [])
    return values, many(values, str)


def facets(items: Sequence[Item], cat: Catalogue) -> dict[str, Any]:
    """Facet values (display order) and, per document: the index of its value(s) per facet,
    its date (ordinal) and, for an interpretation, the document numbers of the policies it
    interprets."""
    declared = F.search_facets()
    columns = [_column(facet, items, cat) for facet in declared]
    number = {item.index_no: n for n, item in enumerate(items)}
    rows = (
        [list(cells) for cells in zip(*(cells for _, cells in columns), strict=True)]
        if columns
        else [[] for _ in items]
    )
    for out, item in zip(rows, items, strict=True):
        out.append(item.published_date.toordinal())
        if isinstance(item, Interpretation):
            out.append(sorted(number[s.index_no] for s in cat.sources_of(item) if s.index_no in number))
    return {
        "facets": [
            {"key": facet.key, "label": facet.label, "values": values}
            for facet, (values, _) in zip(declared, columns, strict=True)
        ],
        "docs": rows,
    }
