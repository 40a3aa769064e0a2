"""Links in bodies that point at something the public may not see.

A body may link to another item by its site URL (``../000000002-2024-00009/``,
``/xxgk/catalogue/…``, the full ``https://…`` address), by its source file
(``../2024/草稿.md``), or to an attachment. When the target is a draft, an embargoed
item, or an attachment that is not published (of such an item or of a 依申请公开
entry), the link would expose its 索引号 and address: ``check`` warns (W102) and the
build renders the link without its address.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from generator.model.entry import Entry, Interpretation, Item
from generator.model.identifiers import slugify_index_no


@dataclass(frozen=True)
class Hidden:
    """What is not published: item URL slugs and source files (→ 索引号), files (→ themselves)."""

    slugs: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    files: frozenset[str] = frozenset()  # root-relative: catalogue/files/x.pdf, content/media/y.mp4

    def __bool__(self) -> bool:
        return bool(self.slugs or self.files)


def hidden_targets(entries: Iterable[Entry], interps: Iterable[Interpretation], build_date: dt.date) -> Hidden:
    slugs: dict[str, str] = {}
    sources: dict[str, str] = {}
    hidden_files: set[str] = set()
    public_files: set[str] = set()
    items: list[Item] = [*entries, *interps]
    for item in items:
        published = item.is_published(build_date)
        files = _files_of(item)
        body_public = published and (not isinstance(item, Entry) or item.body_public)
        (public_files if body_public else hidden_files).update(files)
        if not published:
            slugs[slugify_index_no(item.index_no)] = item.index_no
            sources[item.source] = item.index_no
    for item in items:  # a slug shared with a published item is that item's page
        if item.is_published(build_date):
            slugs.pop(slugify_index_no(item.index_no), None)
    return Hidden(slugs, sources, frozenset(hidden_files - public_files))


def _files_of(item: Item) -> set[str]:
    if isinstance(item, Entry):
        return {f"catalogue/{a.file}" for a in item.attachments}
    if isinstance(item, Interpretation) and item.media:
        return {f"content/{item.media['file']}"}
    return set()


def hidden_target(href: str, source: str, hidden: Hidden) -> str | None:
    """The 索引号 or file a link reaches when it is not published; ``None`` otherwise."""
    if not hidden or not href:
        return None
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return None
    if parts.scheme not in ("", "http", "https"):
        return None
    path = unquote(parts.path)
    segments = [s for s in path.split("/") if s not in ("", ".")]
    for segment in segments:
        if segment in hidden.slugs:
            return hidden.slugs[segment]
    if not parts.scheme and not path.startswith("/"):
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        if resolved in hidden.sources:
            return hidden.sources[resolved]
        if resolved in hidden.files:
            return resolved
    # the published address of a file: …/attachments/files/x.pdf, …/media/media/y.mp4
    for f in hidden.files:
        top, _, rest = f.partition("/")
        published = ("attachments/" if top == "catalogue" else "media/") + rest
        if path in (published, rest) or path.endswith(("/" + published, "/" + rest)):
            return f
    return None


# Link targets in Markdown: inline [text](url "title"), images, reference definitions,
# autolinks <url> and raw HTML attributes.
_INLINE = re.compile(r"\]\(\s*<?([^)\s>]+)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)", re.MULTILINE)
_AUTOLINK = re.compile(r"<((?:https?://|/)[^>\s]+)>")
_ATTRIBUTE = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def body_links(body: str) -> Iterator[tuple[str, int, int]]:
    """(target, line offset from the body's first line, column) of every link in ``body``."""
    starts = [0] + [m.end() for m in re.finditer("\n", body)]

    def where(pos: int) -> tuple[int, int]:
        import bisect

        n = bisect.bisect_right(starts, pos) - 1
        return n, pos - starts[n] + 1

    for pattern in (_INLINE, _REFERENCE, _AUTOLINK, _ATTRIBUTE):
        for m in pattern.finditer(body):
            group = next(i for i in range(1, (pattern.groups or 0) + 1) if m.group(i) is not None)
            target = m.group(group)
            if pattern is _ATTRIBUTE:
                import html

                target = html.unescape(target)
            line, col = where(m.start(group))
            yield target, line, col
