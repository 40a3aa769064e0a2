"""Small HTML building helpers. Every piece of content text goes through :func:`esc`."""

from __future__ import annotations

import datetime as dt
import html as _html
from collections.abc import Iterable
from urllib.parse import quote


def esc(value: object) -> str:
    return _html.escape(str(value), quote=True)


def cn_date(day: dt.date | None) -> str:
    """GB/T 9704 style: 2020年8月8日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def a(href: str, text: str, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<a href="{esc(href)}"{klass}>{esc(text)}</a>'


def rel(from_url: str, to_url: str) -> str:
    """Relative link between two directory URLs ('' is the home page).

    Relative links keep the site working under any base path (e.g. /xxgk/). Both are
    site paths as written to disk; the result is percent-encoded (``#``, ``?``, ``%``,
    spaces, non-ASCII), so a file named ``会议纪要#2.txt`` is reachable.
    """
    depth = from_url.count("/") if from_url else 0
    target = quote(to_url or "", safe="/")
    return ("../" * depth + target) or "./"


def join(parts: Iterable[str]) -> str:
    return "\n".join(p for p in parts if p)
