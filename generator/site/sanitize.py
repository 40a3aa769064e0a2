"""Allow-list HTML sanitizer for editor-written bodies.

Editors may use a small, documented set of HTML tags inside Markdown (docs/schema.md,
"允许的 HTML"). Everything else is dropped: ``<script>``, ``<style>``, ``<iframe>``,
``<object>``, ``<svg>``, ``<math>`` and friends together with their content; other
unknown tags (their text is kept); every attribute not on the list, so all event
handlers (``onerror=`` …) and inline ``style``; ``javascript:``, ``data:``,
``vbscript:`` and any other non-web URL scheme, however it is disguised with
entities, whitespace or case. Text and attribute values are re-escaped on output,
and every tag left open is closed, so a body cannot break out of its container.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    ]
)
VOID_TAGS = frozenset({"br", "hr", "img", "area", "base", "col", "embed", "input", "link", "meta", "source", "wbr"})
# Elements whose content is dropped along with them.
DROP_CONTENT = frozenset(
    [
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "template",
        "noscript",
        "svg",
        "math",
        "textarea",
        "select",
        "button",
        "form",
        "frame",
        "frameset",
        "applet",
        "noembed",
        "noframes",
        "title",
        "xmp",
        "plaintext",
        "listing",
        "head",
        "audio",
        "video",
        "canvas",
        "dialog",
    ]
)
GLOBAL_ATTRS = frozenset({"id", "class", "title", "lang", "dir"})
TAG_ATTRS: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "name"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan", "align", "style"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope", "style"}),
    "ol": frozenset({"start", "type"}),
    "details": frozenset({"open"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
}
URL_ATTRS = frozenset({"href", "src", "cite"})
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
# Identifiers an editor may give an element; ids of the theme and the page are reserved
# (an editor's id="gk-content" or id="__md_scope" would hijack the page's own scripts).
_ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_:.\-]{0,63}\Z")
_RESERVED_ID = re.compile(r"^(gk-|md-|__|search|palette|document\$|location\$)", re.IGNORECASE)
_CLASS_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]{0,63}\Z")
_LANG_RE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}\Z")
_NUMBER_RE = re.compile(r"^[0-9]{1,4}%?\Z")
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_ALIGN_STYLE = re.compile(r"^\s*text-align:\s*(left|right|center)\s*;?\s*$", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]+")


def safe_url(value: str) -> str | None:
    """Return ``value`` if it is relative or uses a web scheme, else ``None``.

    ``value`` is an attribute value as the browser sees it (entities already
    decoded once). Browsers ignore control characters and whitespace inside a
    scheme, so those are removed before looking at it; the value is also decoded
    a second time so that a doubly-encoded scheme is refused rather than trusted.
    """
    for candidate in (value, html.unescape(value)):
        compact = _INVISIBLE.sub("", candidate)
        m = _SCHEME_RE.match(compact)
        if m and m.group(1).lower() not in SAFE_SCHEMES:
            return None
        if compact.startswith("\\\\") or compact.startswith("/\\"):
            return None  # browsers read \\host as //host; never needed in content
    return value


def clean_attr(tag: str, name: str, value: str) -> tuple[str, str] | None:
    """The attribute as it may be written out, or ``None`` to drop it."""
    if name in URL_ATTRS:
        url = safe_url(value)
        return None if url is None else (name, url)
    if name in ("id", "name"):
        return (name, value) if _ID_RE.match(value) and not _RESERVED_ID.match(value) else None
    if name == "class":
        classes = [c for c in value.split() if _CLASS_RE.match(c) and not _RESERVED_ID.match(c)]
        return ("class", " ".join(classes)) if classes else None
    if name == "style":
        # Markdown tables align cells with style="text-align: …"; the page's
        # Content-Security-Policy forbids inline styles, so it becomes a class.
        m = _ALIGN_STYLE.match(value)
        return ("class", f"gk-align-{m.group(1).lower()}") if m else None
    if name == "align":
        v = value.strip().lower()
        return ("class", f"gk-align-{v}") if v in ("left", "right", "center") else None
    if name in ("colspan", "rowspan", "start", "width", "height"):
        return (name, value.strip()) if _NUMBER_RE.match(value.strip()) else None
    if name == "type":
        return (name, value) if value in ("1", "a", "A", "i", "I") else None
    if name == "scope":
        return (name, value) if value in ("row", "col", "rowgroup", "colgroup") else None
    if name == "dir":
        return (name, value) if value in ("ltr", "rtl", "auto") else None
    if name == "open":
        return (name, "")
    if name == "title":
        # A tooltip is text. Material's content.tooltips (off in gongkai, see engine.py)
        # builds tooltips with innerHTML from title: markup in a title must never get there.
        return None if "<" in value or ">" in value else (name, value)
    if name == "lang":
        return (name, value) if _LANG_RE.match(value) else None
    return (name, value)


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
        cleaned: dict[str, str] = {}
        for raw_name, raw_value in attrs:
            name = raw_name.lower()
            if name not in allowed or name.startswith("on") or name in cleaned:
                continue
            kept = clean_attr(tag, name, raw_value or "")
            if kept is not None:
                key, value = kept
                cleaned[key] = f"{cleaned[key]} {value}" if key == "class" and key in cleaned else value
        if tag == "img" and "src" not in cleaned:
            return
        parts = [tag] + [f'{k}="{html.escape(v, quote=True)}"' for k, v in cleaned.items()]
        if tag == "a" and _SCHEME_RE.match(_INVISIBLE.sub("", cleaned.get("href", ""))):
            parts.append('rel="noopener noreferrer"')
        self.out.append("<" + " ".join(parts) + ">")
        if tag in VOID_TAGS:
            return
        if closed:
            self.out.append(f"</{tag}>")
        else:
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
