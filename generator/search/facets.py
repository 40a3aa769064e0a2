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


def _index(values: list[str], value: Any) -> int:
    return values.index(value) if isinstance(value, str) and value in values else -1


def _column(facet: F.Facet, items: Sequence[Item], cat: Catalogue) -> tuple[list[str], Callable[[Item], Any]]:
    """The values of ``facet`` in display order, and the cell of one document."""
    cfg = cat.config
    kinds = {kind: F.declaring(kind, facet.key, "facet") for kind in ("entry", "interpretation")}
    typ = next(f.type for f in kinds.values() if f is not None)

    def raw(item: Item) -> Any:
        fld = kinds.get(item.kind)
        return field_value(item, fld.name) if fld is not None else None

    def many(values: list[str], convert: Callable[[Any], str]) -> Callable[[Item], Any]:
        def cell(item: Item) -> Any:
            fld = kinds.get(item.kind)
            if fld is None:
                return _index(values, facet.others) if facet.others else -1
            value = raw(item)
            if isinstance(value, list | tuple):
                return sorted({values.index(convert(v)) for v in value if convert(v) in values})
            return _index(values, convert(value) if value is not None else "")

        return cell

    if typ in ("agency", "agency_list"):
        return [a.name for a in cfg.agencies], many([a.name for a in cfg.agencies], cfg.agency_name)
    if typ == "topics":
        tops = [t.name for t in cfg.vocab.topics.top]
        return tops, lambda item: sorted({tops.index(t) for t, _ in raw(item) or () if t in tops})
    if typ == "date":
        years = sorted({v.year for v in map(raw, items) if isinstance(v, dt.date)}, reverse=True)
        return [str(y) for y in years], lambda item: years.index(v.year) if isinstance(v := raw(item), dt.date) else -1
    if typ in ("vocab", "vocab_list"):
        fld = next(f for f in kinds.values() if f is not None)
        values = getattr(cfg.vocab, fld.vocab).names() + ([facet.others] if facet.others else [])
        return values, many(values, str)
    entered = {str(v) for value in map(raw, items) for v in (value if isinstance(value, list | tuple) else [value])}
    values = sorted(entered - {"None", ""}) + ([facet.others] if facet.others else [])
    return values, many(values, str)


def facets(items: Sequence[Item], cat: Catalogue) -> dict[str, Any]:
    """Facet values (display order) and, per document: the index of its value(s) per facet,
    its date (ordinal) and, for an interpretation, the document numbers of the policies it
    interprets."""
    declared = F.search_facets()
    columns = [_column(facet, items, cat) for facet in declared]
    number = {item.index_no: n for n, item in enumerate(items)}

    def row(item: Item) -> list[Any]:
        out = [cell(item) for _, cell in columns]
        out.append(item.published_date.toordinal())
        if isinstance(item, Interpretation):
            out.append(sorted(number[s.index_no] for s in cat.sources_of(item) if s.index_no in number))
        return out

    return {
        "facets": [
            {"key": facet.key, "label": facet.label, "values": values}
            for facet, (values, _) in zip(declared, columns, strict=True)
        ],
        "docs": [row(item) for item in items],
    }
