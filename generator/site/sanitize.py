"""Allow-list HTML sanitizer for editor-written bodies.

Editors may use a small, documented set of HTML tags inside Markdown (docs/schema.md,
"允许的 HTML"). Everything else is dropped: ``<script>``, ``<style>``, ``<iframe>``,
``<object>`` and their content; event-handler attributes; ``javascript:``/``data:``
and any other non-web URL scheme. Text is re-escaped on output.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

ALLOWED_TAGS = frozenset(
    "a abbr b blockquote br caption code dd del details div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i "
    "img ins kbd li mark ol p pre q s small span strong sub summary sup table tbody td tfoot th thead tr u ul".split()
)
VOID_TAGS = frozenset({"br", "hr", "img"})
# Elements whose content is dropped along with them.
DROP_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math",
                          "textarea", "select", "button", "form", "frame", "frameset", "applet", "noembed", "title"})
GLOBAL_ATTRS = frozenset({"id", "class", "title", "lang", "dir"})
TAG_ATTRS: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "name"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan", "align", "style"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope", "style"}),
    "ol": frozenset({"start", "type"}),
    "abbr": frozenset(),
    "details": frozenset({"open"}),
}
URL_ATTRS = frozenset({"href", "src"})
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_ALIGN_STYLE = re.compile(r"^\s*text-align:\s*(left|right|center)\s*;?\s*$")


def safe_url(value: str) -> str | None:
    """Return the URL if it is relative or uses a web scheme, else ``None``."""
    text = html.unescape(value)
    compact = re.sub(r"[\x00-\x20\x7f-\x9f]+", "", text)
    m = _SCHEME_RE.match(compact)
    if m and m.group(1).lower() not in SAFE_SCHEMES:
        return None
    if compact.startswith("//") or compact.startswith("\\\\"):
        return text  # protocol-relative: a web URL
    return text


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.drop_depth = 0
        self.drop_tag: str | None = None
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self.drop_depth:
            if tag == self.drop_tag and not closed:
                self.drop_depth += 1
            return
        if tag in DROP_CONTENT:
            if not closed and tag not in VOID_TAGS:
                self.drop_depth, self.drop_tag = 1, tag
            return
        if tag not in ALLOWED_TAGS:
            return
        allowed = GLOBAL_ATTRS | TAG_ATTRS.get(tag, frozenset())
        parts = [tag]
        for name, value in attrs:
            name = name.lower()
            if name not in allowed or name.startswith("on"):
                continue
            value = value or ""
            if name in URL_ATTRS:
                url = safe_url(value)
                if url is None:
                    continue
                value = url
            if name == "style" and not _ALIGN_STYLE.match(value):
                continue
            parts.append(f'{name}="{html.escape(value, quote=True)}"')
        if tag == "a" and any(p.startswith("href=") and "://" in p for p in parts):
            parts.append('rel="noopener noreferrer"')
        self.out.append("<" + " ".join(parts) + ">")
        if tag not in VOID_TAGS and not closed:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.drop_depth:
            if tag == self.drop_tag:
                self.drop_depth -= 1
                if not self.drop_depth:
                    self.drop_tag = None
            return
        if tag in self.open:
            while self.open:
                top = self.open.pop()
                self.out.append(f"</{top}>")
                if top == tag:
                    break

    def handle_data(self, data: str) -> None:
        if not self.drop_depth:
            self.out.append(html.escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        return

    def handle_pi(self, data: str) -> None:
        return

    def handle_decl(self, decl: str) -> None:
        return

    def unknown_decl(self, data: str) -> None:
        return

    def close_all(self) -> str:
        self.close()
        while self.open:
            self.out.append(f"</{self.open.pop()}>")
        return "".join(self.out)


def sanitize(fragment: str) -> str:
    parser = _Sanitizer()
    parser.feed(fragment)
    return parser.close_all()
