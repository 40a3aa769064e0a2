"""Editor-written Markdown bodies → safe HTML."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import markdown

from generator.diagnostics import Diagnostic, diag
from generator.model.links import Hidden, hidden_target
from generator.site.cache import BuildCache, digest
from generator.site.plainbody import render_plain
from generator.site.sanitize import sanitize

EXTENSIONS = ["tables", "fenced_code", "footnotes", "toc", "sane_lists", "def_list", "abbr", "admonition"]
EXTENSION_CONFIGS = {"toc": {"toc_depth": "2-4"}}


def renderer_fingerprint() -> str:
    """What besides the text decides a body's HTML: this code, the sanitizer's, Markdown's version."""
    here = Path(__file__).resolve().parent
    return digest(
        (here / "body.py").read_bytes(),
        (here / "sanitize.py").read_bytes(),
        (here / "plainbody.py").read_bytes(),
        version("markdown"),
        repr((EXTENSIONS, EXTENSION_CONFIGS)),
    )


class BodyError(Exception):
    """A body the renderer could not handle; carries a positioned diagnostic (E022)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic

    def __reduce__(self) -> tuple[type[BodyError], tuple[Diagnostic]]:
        # raised in a worker process, it reaches the parent pickled
        return (BodyError, (self.diagnostic,))


class BodyRenderer:
    """Renders Markdown with a fixed set of extensions, then sanitizes the HTML.

    checks/markup.py keeps bodies that would crash or stall Python-Markdown out of
    the build; should one still fail, :class:`BodyError` names the file instead of
    a traceback. Plain bodies (paragraphs, headings, simple lists, tables) skip both: see
    :mod:`generator.site.plainbody`, which writes the same HTML directly.

    With a :class:`BuildCache`, a body that takes the full path and was already rendered by
    the same code is read back instead of rendered again (the key covers the text and the
    renderer's fingerprint). A plain body is not stored: writing it to the cache costs more
    than rendering it again (10k clean build: ~0.17 ms a file against ~0.11 ms a body).
    """

    def __init__(
        self, cache: BuildCache | None = None, hidden: Hidden | Callable[[str, str], str | None] | None = None
    ) -> None:
        self._md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
        self.cache = cache
        # what is unpublished: a Hidden, or a function (href, source) -> the 索引号 or file it reaches
        self.hidden = hidden or Hidden()
        self._fingerprint = renderer_fingerprint() if cache else ""

    def render(self, text: str, source: str = "", line: int = 1) -> str:
        return unlink_hidden(self._cached(text, source, line), source, self.hidden)

    def _cached(self, text: str, source: str, line: int) -> str:
        plain = render_plain(text)
        if plain is not None:  # the same HTML as render_markdown, written directly
            return plain
        if self.cache is None:
            return self.render_markdown(text, source, line)
        key = digest(self._fingerprint, text)
        hit = self.cache.get("body", key)
        if hit is not None:
            return hit.decode("utf-8")
        html = self.render_markdown(text, source, line)
        self.cache.put("body", key, html.encode("utf-8"))
        return html

    def render_markdown(self, text: str, source: str = "", line: int = 1) -> str:
        """Python-Markdown, then the sanitizer: the full path for any body."""
        self._md.reset()
        try:
            html = self._md.convert(text)
        except RecursionError:
            raise BodyError(diag(source, (line, 1), "E022", detail="嵌套过深")) from None
        except Exception as exc:  # a renderer bug must not lose the diagnostic's position
            raise BodyError(diag(source, (line, 1), "E022", detail=f"{type(exc).__name__}: {exc}")) from exc
        # headings inside a body start at h2: the page title is the only h1
        html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
        return sanitize(html)


# The sanitizer writes every attribute as name="escaped value".
_LINK_ATTR = re.compile(r'(<(?:a|img|source|video|audio)\b[^>]*?)\s(href|src)="([^"]*)"([^>]*>)')
_AUTOLINK_TEXT = re.compile(r"(<a(?:\s(?!href=)[^>]*)?>)(https?://[^<]*|/[^<]*)</a>")
WITHHELD = "（链接指向的内容未公开）"


def unlink_hidden(html_text: str, source: str, hidden: Hidden | Callable[[str, str], str | None]) -> str:
    """Drop the address of every link or image reaching an unpublished item or file (W102):
    the link text stays, as plain text, and neither the URL nor the 索引号 slug is published
    (an autolink, whose text is its address, shows :data:`WITHHELD` instead).

    ``hidden`` may be a function (href, source) -> 索引号 or file, e.g. a page's recorded
    lookup (generator/site/lookups.py): it is then asked about every link."""
    reach: Callable[[str, str], str | None]
    if isinstance(hidden, Hidden):
        if not hidden:
            return html_text
        known = hidden

        def reach_hidden(href: str, src: str) -> str | None:
            return hidden_target(href, src, known)

        reach = reach_hidden
    else:
        reach = hidden
    if "href=" not in html_text and "src=" not in html_text:
        return html_text
    dropped: list[str] = []

    def keep(m: re.Match[str]) -> str:
        target = html.unescape(m.group(3))
        if reach(target, source) is None:
            return m.group(0)
        dropped.append(target)
        return m.group(1) + m.group(4)

    out = _LINK_ATTR.sub(keep, html_text)
    if not dropped:
        return out

    def withhold(m: re.Match[str]) -> str:
        text = html.unescape(m.group(2))
        return f"{m.group(1)}{WITHHELD}</a>" if reach(text, source) is not None else m.group(0)

    return _AUTOLINK_TEXT.sub(withhold, out)
