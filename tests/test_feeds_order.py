"""The feeds' newest items (feeds.newest_changes) are the first n of all items sorted by their last change,
newest first, ties in the given order."""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace
from typing import Any, cast

from generator.model.entry import Item
from generator.site.feeds import last_change, newest_changes


def _item(number: int, published: dt.date, notes: list[dt.date]) -> Any:
    return SimpleNamespace(
        index_no=str(number), published_date=published, history=[SimpleNamespace(date=d) for d in notes]
    )


def test_newest_changes_are_the_first_of_the_full_sort_with_ties_in_order() -> None:
    rng = random.Random(7)
    day = dt.date(2024, 1, 1)
    items = []
    for number in range(600):  # few distinct dates: many ties
        published = day + dt.timedelta(days=rng.randrange(30))
        notes = [day + dt.timedelta(days=rng.randrange(40)) for _ in range(rng.choice((0, 0, 1, 2)))]
        items.append(_item(number, published, notes))
    items = cast(list[Item], items)
    until = day + dt.timedelta(days=33)  # some notes lie after it: not counted
    for n in (0, 1, 50, 599, 600, 700):
        assert [i.index_no for i in newest_changes(items, until, n)] == [
            i.index_no for i in sorted(items, key=lambda i: last_change(i, until), reverse=True)[:n]
        ]


def test_an_item_without_changes_changed_when_it_was_published() -> None:
    published = dt.date(2024, 5, 1)
    assert last_change(_item(1, published, []), dt.date(2024, 1, 1)) == published  # even after the build date
    assert last_change(_item(1, published, [dt.date(2024, 6, 1)]), dt.date(2024, 7, 1)) == dt.date(2024, 6, 1)
    assert last_change(_item(1, published, [dt.date(2024, 6, 1)]), dt.date(2024, 5, 15)) == published
