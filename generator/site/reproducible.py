"""The engine's clock: a date derived from the content, so two builds of one commit are identical.

MkDocs stamps ``sitemap.xml`` (``<lastmod>``) and the gzip header of
``sitemap.xml.gz`` with the build time unless ``SOURCE_DATE_EPOCH`` is set.
gongkai sets it for the duration of the engine run:

* ``SOURCE_DATE_EPOCH`` from the environment when it is set (the reproducible-builds
  convention: CI may pin it to the commit time);
* otherwise the newest date the public catalogue carries — published dates, change
  notes (``history``) and validity events — at 00:00 UTC, so the sitemap's
  ``lastmod`` is the day the content last changed;
* 1970-01-01 for a site with no dated content at all.

This clock is for the engine only. The *build date* (embargoes, expiry checks) stays
the real day, see :func:`generator.project.default_build_date`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

from generator.model.catalogue import Catalogue

ENV = "SOURCE_DATE_EPOCH"


def content_date(cat: Catalogue) -> dt.date | None:
    """The newest date in the public catalogue (not after its build date)."""
    days: list[dt.date] = []
    for item in [*cat.entries.values(), *cat.interpretations.values()]:
        days.append(item.published_date)
        days.extend(note.date for note in item.history)
    for entry in cat.entries.values():
        days.extend(event.date for event in entry.validity_history)
    if cat.build_date is not None:
        days = [d for d in days if d <= cat.build_date]
    return max(days, default=None)


def engine_epoch(cat: Catalogue) -> int:
    """Seconds since the epoch for the engine's clock (see the module docstring)."""
    pinned = os.environ.get(ENV, "").strip()
    if pinned.isdigit():
        return int(pinned)
    day = content_date(cat)
    return calendar.timegm(day.timetuple()) if day else 0


@contextmanager
def engine_clock(cat: Catalogue) -> Iterator[int]:
    """Set ``SOURCE_DATE_EPOCH`` while the engine runs; restore the environment afterwards."""
    saved = os.environ.get(ENV)
    epoch = engine_epoch(cat)
    os.environ[ENV] = str(epoch)
    try:
        yield epoch
    finally:
        if saved is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = saved
