"""Bodies: HTML → Markdown, and plain text → Markdown, both escaped so the text stays as written.

* Every text line is escaped: ``10.  附则`` stays ``10.  附则`` (not a list numbered from
  10), ``第一条`` and ``（一）`` stay paragraphs, ``#``, ``>``, ``|``, ``*``, ``_``, ``[`` …
  stay characters; a line is its own paragraph (clauses never run together).
* Tables are kept: a Markdown table when every cell is a plain cell, otherwise the allowed
  HTML table subset with ``rowspan``/``colspan`` (see generator/site/sanitize.py).
* Images and links to files go to the attachments list when the file is at hand (next to
  the export); a remote one stays a plain link in the body and is reported.
* ``<script>``, ``<style>`` and the like are dropped with their content.
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

FILE_EXTENSIONS = (
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".wps",
    ".et",
    ".ofd",
    ".zip",
    ".rar",
    ".7z",
    ".txt",
    ".csv",
)
_HTML_HINT = re.compile(r"<(p|div|br|table|span|font|strong|b|img|a|h[1-6]|ul|ol|li|section|center)\b[^>]*>", re.I)
_WS = re.compile(r"[ \t\r\n\f\v]+")
_LIST_START = re.compile(r"^(\d+)([.)])")
_DROP = {"script", "style", "head", "title", "noscript", "template", "iframe", "object", "svg", "math", "button"}
_VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "col", "source", "area", "base"}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "center",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "table",
    "hr",
    "dl",
    "dt",
    "dd",
    "header",
    "footer",
    "main",
    "figure",
    "figcaption",
    "address",
}


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text))


def escape_inline(text: str) -> str:
    """Text that Markdown must show as written (no emphasis, links, code, HTML or entities)."""
    out = text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;")
    for ch in "`*_[]|":
        out = out.replace(ch, "\\" + ch)
    return out


def escape_line(line: str) -> str:
    """One line as its own paragraph, exactly as written."""
    text = escape_inline(line.strip(" \t\r\n\f\v").replace("\xa0", " "))
    m = _LIST_START.match(text)
    if m:  # 10.  附则 — not a list item
        return m[1] + "\\" + m[2] + text[m.end() :]
    if text[:1] in ("#", ">", "+", "-", "!"):
        return "\\" + text
    if text[:1] == "~":
        return "&#126;" + text[1:]
    if text[:1] == ":":
        return "&#58;" + text[1:]
    if text[:1] == "=":
        return "&#61;" + text[1:]
    return text


def plain_to_markdown(text: str) -> str:
    """A plain-text body: each non-empty line one escaped paragraph."""
    lines = [escape_line(line) for line in text.splitlines()]
    body = "\n\n".join(line for line in lines if line)
    return body + "\n" if body else ""


@dataclass
class Link:
    title: str
    href: str
    image: bool = False


@dataclass
class Converted:
    markdown: str
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (title, file relative to catalogue/)
    remote: list[Link] = field(default_factory=list)  # file links and images left in the body


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", {})
        self.stack = [self.root]
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping:
            if tag in _DROP:
                self.dropping += 1
            return
        if tag in _DROP:
            self.dropping = 1
            return
        node = _Node(tag, {k: v or "" for k, v in attrs})
        if tag in ("p", "li", "tr", "td", "th"):  # an unclosed one ends at the next sibling
            closers = {"p": ("p",), "li": ("li",), "tr": ("tr", "td", "th"), "td": ("td", "th"), "th": ("td", "th")}
            for i in range(len(self.stack) - 1, 0, -1):
                if self.stack[i].tag in ("table", "ul", "ol") and tag != "p":
                    break
                if self.stack[i].tag in closers[tag]:
                    del self.stack[i:]
                    break
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag in _DROP:
                self.dropping -= 1
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.stack[-1].children.append(data)


def _is_file(href: str) -> bool:
    path = href.split("?", 1)[0].split("#", 1)[0].lower()
    return path.endswith(FILE_EXTENSIONS)


class _Renderer:
    def __init__(self, attach: Callable[[str, str], str | None]) -> None:
        self.attach = attach
        self.blocks: list[tuple[str, str]] = []  # (p | item | raw | end, text)
        self.inline: list[str] = []
        self.out = Converted("")

    # -- inline ---------------------------------------------------------
    def flush(self) -> None:
        text = "".join(self.inline)
        self.inline = []
        for part in text.split("\n"):
            line = part.strip(" ")
            if line:
                self.blocks.append(("p", line))

    def text_of(self, node: _Node | str) -> str:
        """Plain text of a subtree (whitespace collapsed), for cells and link titles."""
        if isinstance(node, str):
            return _WS.sub(" ", node.replace("\xa0", " "))
        if node.tag == "br":
            return " "
        return "".join(self.text_of(c) for c in node.children)

    def inline_of(self, node: _Node | str) -> None:
        if isinstance(node, str):
            text = _WS.sub(" ", node.replace("\xa0", " "))
            if not self.inline or self.inline[-1].endswith("\n"):
                text = text.lstrip(" ")
            self.inline.append(escape_inline(text))
            return
        tag = node.tag
        if tag in _BLOCK:
            self.block(node)
            return
        if tag == "br":
            self.inline.append("\n")
        elif tag == "img":
            self.link(Link(node.attrs.get("alt") or node.attrs.get("title") or "", node.attrs.get("src", ""), True))
        elif tag == "a" and node.attrs.get("href"):
            href = node.attrs["href"].strip()
            title = self.text_of(node).strip()
            if _is_file(href):
                self.link(Link(title, href))
            elif re.match(r"^https?://", href, re.I) and title:
                self.inline.append(f"[{escape_inline(title)}](<{href.replace('>', '%3E')}>)")
            else:
                for c in node.children:
                    self.inline_of(c)
        elif tag in ("strong", "b") and self.text_of(node).strip():
            self.inline.append("**")
            for c in node.children:
                self.inline_of(c)
            self.inline.append("**")
        else:
            for c in node.children:
                self.inline_of(c)

    def link(self, link: Link) -> None:
        if not link.href:
            return
        title = link.title or link.href.rsplit("/", 1)[-1]
        stored = self.attach(link.href, title)
        if stored is not None:
            self.out.attachments.append((title, stored))
            return
        self.out.remote.append(link)
        if re.match(r"^https?://", link.href, re.I):
            self.inline.append(f"[{escape_inline(title)}](<{link.href.replace('>', '%3E')}>)")
        else:
            self.inline.append(escape_inline(title))

    # -- blocks ---------------------------------------------------------
    def block(self, node: _Node) -> None:
        self.flush()
        tag = node.tag
        if tag == "table":
            self.table(node)
        elif tag in ("ul", "ol"):
            self.items(node)
        elif tag == "hr":
            self.blocks.append(("raw", "<hr>"))
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = self.text_of(node).strip()
            if text:
                level = max(2, int(tag[1]))
                self.blocks.append(("raw", "#" * level + " " + escape_inline(text)))
        else:
            for c in node.children:
                self.inline_of(c)
            self.flush()

    def items(self, node: _Node) -> None:
        ordered = node.tag == "ol"
        try:
            n = int(node.attrs.get("start", "1"))
        except ValueError:
            n = 1
        for child in node.children:
            if isinstance(child, str) or child.tag != "li":
                continue
            text = self.text_of(child).strip()
            if text:
                marker = f"{n}." if ordered else "-"
                self.blocks.append(("item", f"{marker} {escape_inline(text)}"))
                n += 1
        self.blocks.append(("end", ""))  # the list ends here

    def table(self, node: _Node) -> None:
        rows: list[list[_Node]] = []

        def walk(n: _Node) -> None:
            for c in n.children:
                if isinstance(c, str):
                    continue
                if c.tag == "tr":
                    rows.append([x for x in c.children if isinstance(x, _Node) and x.tag in ("td", "th")])
                elif c.tag in ("thead", "tbody", "tfoot"):
                    walk(c)

        walk(node)
        rows = [r for r in rows if r]
        if not rows:
            return
        spans = any(c.attrs.get("rowspan", "1") != "1" or c.attrs.get("colspan", "1") != "1" for r in rows for c in r)
        nested = any(isinstance(x, _Node) and x.tag == "table" for r in rows for c in r for x in _descendants(c))
        width = max(len(r) for r in rows)
        if spans or nested or any(len(r) != width for r in rows):
            self.blocks.append(("raw", self.html_table(rows)))
            return
        cells = [[escape_inline(self.text_of(c).strip()) for c in r] for r in rows]
        lines = ["| " + " | ".join(cells[0]) + " |", "|" + " --- |" * width]
        lines += ["| " + " | ".join(r) + " |" for r in cells[1:]]
        self.blocks.append(("raw", "\n".join(lines)))

    def html_table(self, rows: list[list[_Node]]) -> str:
        out = ["<table>"]
        for r in rows:
            cells = []
            for c in r:
                attrs = ""
                for name in ("rowspan", "colspan"):
                    value = c.attrs.get(name, "1").strip()
                    if value.isdigit() and value != "1":
                        attrs += f' {name}="{int(value)}"'
                text = _html.escape(self.text_of(c).strip(), quote=False)
                cells.append(f"<{c.tag}{attrs}>{text}</{c.tag}>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</table>")
        return "\n".join(out)


def _descendants(node: _Node) -> list[_Node | str]:
    out: list[_Node | str] = []
    for c in node.children:
        out.append(c)
        if isinstance(c, _Node):
            out.extend(_descendants(c))
    return out


def html_to_markdown(text: str, attach: Callable[[str, str], str | None] | None = None) -> Converted:
    """Convert an HTML body. ``attach(href, title)`` returns the stored attachment path of a
    file it could take in, or ``None`` to leave the link in the body."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    renderer = _Renderer(attach or (lambda href, title: None))
    for c in builder.root.children:
        renderer.inline_of(c)
    renderer.flush()
    # consecutive list items stay one list; everything else is separated by a blank line
    out: list[str] = []
    previous = ""
    for kind, block in renderer.blocks:
        if kind == "end":
            previous = ""
            continue
        text = _fix_start(block) if kind == "p" else block
        if out:
            out.append("\n" if kind == "item" and previous == "item" else "\n\n")
        out.append(text)
        previous = kind
    body = "".join(out)
    renderer.out.markdown = body + "\n" if body else ""
    return renderer.out


def _fix_start(line: str) -> str:
    """Escape the start of an already inline-escaped paragraph the way :func:`escape_line` does."""
    m = _LIST_START.match(line)
    if m:
        return m[1] + "\\" + m[2] + line[m.end() :]
    if line[:1] in ("#", ">", "+", "-", "!"):
        return "\\" + line
    for ch, entity in (("~", "&#126;"), (":", "&#58;"), ("=", "&#61;")):
        if line[:1] == ch:
            return entity + line[1:]
    return line
