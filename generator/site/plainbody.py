"""A fast renderer for plain bodies: paragraphs, ``#`` headings, simple lists and tables.

Most catalogue bodies are Chinese prose in paragraphs with numbered headings
(``## 一、总体要求``) and simple lists (``1. …``). Python-Markdown spends ~4 ms on such
a body, mostly trying every inline pattern on every text node, and the sanitizer
then parses its output again. For a body made only of that subset,
:func:`render_plain` writes the very same HTML directly; for anything else it returns
``None`` and :class:`generator.site.body.BodyRenderer` takes the full path.

"The very same" is the contract: ``render_plain(t)`` is either ``None`` or equal,
byte for byte, to ``sanitize(markdown(t))`` with the renderer's extensions
(tests/test_plainbody.py checks it over every sample and corpus body and over
generated edge cases). The subset is therefore deliberately narrow — whenever a
line could mean something to Python-Markdown or one of its extensions, it is
refused:

* no character any inline pattern, HTML block or extension reacts to
  (``\\ ` * _ [ ] ! < > &``), no tab, carriage return or control character;
* no line starts or ends with whitespace (indentation is code or list
  continuation; two trailing spaces are a line break);
* a line starting with ``#`` must be an ATX heading ``#…###### text`` whose text
  holds no further ``#``; other lines may not start with ``- + = : ~ > #`` or
  ``1.`` (lists, setext headings, rules, definition lists, fences, quotes);
* a block (text between blank lines) whose first line is a list item must be all
  items of one kind (``1. text`` or ``- text``), one line each; a list block right
  after another of its kind continues it the way Python-Markdown does (the two
  items at the seam wrapped in ``<p>``);
* a block with a ``|`` must be a table the tables extension takes (a header row
  of two or more cells, a separator row, at least one body row); its alignment
  becomes the sanitizer's ``gk-align-*`` class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown.extensions.toc import slugify, unique

from generator.site.sanitize import clean_attr

# Characters that make Python-Markdown (with EXTENSIONS) or the sanitizer do anything
# but copy the text: inline patterns (escape, code, emphasis, links, images,
# autolinks, raw HTML, entities, footnotes, abbreviations), tabs, control characters
# (STX/ETX are Markdown's own placeholders) and line separators. ``|`` is allowed in
# tables only.
_REFUSED = re.compile(r"[\\`*_\[\]!<>&\t\r\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_HEADING = re.compile(r"(#{1,6})[ ]+([^#]+)")
_ITEM = {"ol": re.compile(r"(\d+)\.[ ]+(.*)"), "ul": re.compile(r"()-[ ]+(.*)")}
# Whitespace after a line break: a line starting with it (searched for in the reversed text
# too, for a line ending with it; an anchored ``^\s|\s$`` under re.M costs five times as much)
_LEADING_SPACE = re.compile(r"\n[^\S\n]")
# A line that is not text to Python-Markdown in a paragraph: one starting like a heading, list,
# rule, quote or definition (under re.M, for every line of a block at once; a block with "|"
# anywhere is a table or refused)
_NOT_PLAIN = re.compile(r"^(?:[#\-+=:~>]|\d+\.)", re.M)


class _Refused(Exception):
    """The body is outside the plain subset: Python-Markdown must render it."""


@dataclass
class _List:
    kind: str  # "ol" or "ul"
    start: str  # the first item's number ("1" writes no start attribute)
    items: list[str]
    loose: set[int] = field(default_factory=set)  # items Python-Markdown wraps in <p>

    def html(self) -> str:
        opening = f"<{self.kind}>"
        if self.kind == "ol" and self.start != "1":
            # sane_lists keeps the first number; the sanitizer keeps it if it is short
            kept = clean_attr("ol", "start", self.start)
            opening = f'<ol start="{kept[1]}">' if kept else "<ol>"
        items = (f"<li>\n<p>{t}</p>\n</li>" if i in self.loose else f"<li>{t}</li>" for i, t in enumerate(self.items))
        return opening + "\n" + "\n".join(items) + f"\n</{self.kind}>"


class _Body:
    def __init__(self) -> None:
        self.out: list[str | _List] = []
        self.ids: set[str] = set()

    def html(self) -> str:
        return "\n".join(part if isinstance(part, str) else part.html() for part in self.out)

    def block(self, lines: list[str], text: str) -> None:
        """One block (``text``, its ``lines``), in the order Python-Markdown's block processors try it."""
        if "|" in text:
            self.out.append(_table(lines))  # tables (priority 75) come before headings
            return
        if text[0] == "#" or "\n#" in text:
            for i, line in enumerate(lines):
                if line[0] == "#":  # a heading anywhere splits the block (priority 70)
                    if i:
                        self.block(lines[:i], "\n".join(lines[:i]))
                    self.heading(line)
                    if lines[i + 1 :]:
                        self.block(lines[i + 1 :], "\n".join(lines[i + 1 :]))
                    return
        for kind, pattern in _ITEM.items():
            if pattern.match(text):
                self.list(kind, [pattern.fullmatch(line) for line in lines])
                return
        if _NOT_PLAIN.search(text):  # no line may start like a list, rule, quote or heading
            raise _Refused
        self.out.append(f"<p>{text}</p>")

    def heading(self, line: str) -> None:
        m = _HEADING.fullmatch(line)
        if m is None:
            raise _Refused
        text = m.group(2).strip()
        # the toc extension's id: the slug of the whitespace-collapsed text, made unique
        kept = _kept_id(unique(_slug(text), self.ids))
        tag = f"h{max(len(m.group(1)), 2)}"  # a body's h1 becomes h2: the page title is the only h1
        attr = f' id="{kept}"' if kept is not None else ""
        self.out.append(f"<{tag}{attr}>{text}</{tag}>")

    def list(self, kind: str, matches: list[re.Match[str] | None]) -> None:
        texts = []
        for m in matches:
            if m is None:  # a line that is not an item continues the one before: refused
                raise _Refused
            text = m.group(2)
            if not text or text != text.strip() or not _plain(text):
                raise _Refused  # an item's text is parsed as a block of its own
            texts.append(text)
        last = self.out[-1] if self.out else None
        if isinstance(last, _List) and last.kind == kind:
            # A list right after one of its kind continues it as a loose list: Python-Markdown
            # wraps the last item before and the first item of this block in <p>.
            last.loose.update((len(last.items) - 1, len(last.items)))
            last.items.extend(texts)
        else:
            self.out.append(_List(kind, matches[0].group(1) or "1", texts))  # type: ignore[union-attr]


def render_plain(text: str) -> str | None:
    """The HTML of ``text`` if it is a plain body (see the module docstring), else ``None``."""
    if _REFUSED.search(text):
        return None
    if not text.strip():
        return ""
    text = text.strip("\n")
    # a line starting or ending with whitespace (indentation, trailing spaces, a line of spaces)
    if text[0].isspace() or text[-1].isspace() or _LEADING_SPACE.search(text) or _LEADING_SPACE.search(text[::-1]):
        return None
    body = _Body()
    try:
        for block in text.split("\n\n"):  # blocks: text between runs of two or more line breaks
            block = block.lstrip("\n")  # an odd run's third line break (text ends in no line break)
            if block:
                body.block(block.split("\n"), block)
    except _Refused:
        return None
    return body.html()


@lru_cache(maxsize=4096)
def _slug(text: str) -> str:
    """The toc extension's slug of a heading's text (before it is made unique)."""
    return slugify(" ".join(text.split()), "-")


@lru_cache(maxsize=4096)
def _kept_id(slug: str) -> str | None:
    """The id as the sanitizer writes it, or ``None`` when it drops it (reserved or malformed)."""
    kept = clean_attr("h2", "id", slug)
    return kept[1] if kept else None


def _plain(line: str) -> bool:
    """A line that is text to Python-Markdown wherever it stands in a paragraph."""
    return not _NOT_PLAIN.match(line)


def _table(lines: list[str]) -> str:
    """The tables extension's HTML for a block it takes as a table (or refuse the body)."""
    if len(lines) < 3 or any(line[0] == "#" for line in lines):
        raise _Refused
    header = lines[0]
    border = header.startswith("|") or header.endswith("|")

    def cells(row: str) -> list[str]:
        if border:
            row = row[1:] if row.startswith("|") else row
            row = row[:-1] if row.endswith("|") else row
        return row.split("|")

    head, separator = cells(header), cells(lines[1])
    if len(head) < 2 or len(separator) != len(head) or not set("".join(separator)) <= set(":- "):
        raise _Refused  # not a table: the pipes would be text
    align = []
    for c in separator:
        c = c.strip(" ")
        if c.startswith(":") and c.endswith(":"):
            align.append(' class="gk-align-center"')  # the sanitizer's class for style="text-align: …"
        elif c.startswith(":"):
            align.append(' class="gk-align-left"')
        elif c.endswith(":"):
            align.append(' class="gk-align-right"')
        else:
            align.append("")

    def row(tag: str, text: str) -> str:
        values = cells(text)
        tds = (f"<{tag}{a}>{values[i].strip(' ') if i < len(values) else ''}</{tag}>" for i, a in enumerate(align))
        return "<tr>\n" + "\n".join(tds) + "\n</tr>"

    body = "\n".join(row("td", line) for line in lines[2:])
    return f"<table>\n<thead>\n{row('th', header)}\n</thead>\n<tbody>\n{body}\n</tbody>\n</table>"
