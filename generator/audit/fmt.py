"""``gongkai fmt``: one canonical spelling for front matter, comments kept, body untouched.

The canonical form (docs/fmt.md):

* keys in schema order (:mod:`generator.model.fields`), unknown keys last in their
  original order; sub-keys of events, attachments, relations and media in their
  schema order;
* scalars plain when that reads back as the same text, otherwise double-quoted;
  a backslash always forces double quotes (``"综合政务\\\\政务公开"``); valid ISO dates
  in date fields unquoted; ``null``, ``true``/``false``;
* lists of scalars in flow style on one line (``[a, b]``); lists holding mappings
  as a block list with one flow mapping per line (``- {date: …, status: …}``);
  mappings of scalars in flow style on one line (``media: {file: …, title: …}``),
  mappings holding lists or mappings as block mappings indented by two spaces
  (``relations:``); multi-line text as a literal block (``|``);
* comments kept and attached to the field (or list item) they precede or end;
* no BOM, ``---`` delimiters, the line ending of the file's first line, and
  the Markdown body byte for byte as it was.

The formatter never changes a value, only how it is written: every result is
read back and compared with the original (values, body bytes and comments)
before it is returned, and a file the reader reports any problem for is left
alone.
"""

from __future__ import annotations

import bisect
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.diagnostics import Diagnostic
from generator.model import fields as F
from generator.model.identifiers import INDEX_NO_FORMATS, SPACES_RE, compact_identifier, parse_doc_number
from generator.source.frontmatter import KeyPath, SourceFile, YamlDate, parse

INDENT = 2
_BOM = "\ufeff"
_LINE_SPLIT = re.compile(r"(\r\n|\r|\n)")
_RESOLVER = yaml.resolver.Resolver()
_ANALYZER = yaml.emitter.Emitter(io.StringIO(), allow_unicode=True)
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\x00": "\\0",
    "\x07": "\\a",
    "\x08": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\x0b": "\\v",
    "\x0c": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\xa0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
    "\ufeff": "\\uFEFF",
}


@dataclass
class FmtResult:
    """The outcome for one file. ``formatted`` is ``None`` when the file was refused."""

    path: str
    original: bytes
    formatted: bytes | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    problem: str = ""  # why a parsed file could not be formatted safely (English, for the report)

    @property
    def ok(self) -> bool:
        return self.formatted is not None

    @property
    def changed(self) -> bool:
        return self.formatted is not None and self.formatted != self.original


def format_bytes(raw: bytes, path: str = "<file>", kind: str | None = None) -> FmtResult:
    """Format one Markdown file. ``kind`` is entry/interpretation/page (guessed when None)."""
    src = parse(path, raw)
    if src.diagnostics or src.data is None:
        return FmtResult(path, raw, None, list(src.diagnostics))
    text = raw.decode("utf-8")
    if text.startswith(_BOM):
        text = text[1:]
    lines = _split_lines(text)
    newline = lines[0][1] or "\n"
    end = next(i for i in range(1, len(lines)) if lines[i][0].rstrip() in ("---", "..."))
    body = "".join(content + ending for content, ending in lines[end + 1 :])
    kind = kind or guess_kind(src.data)
    src.data = fix_identifiers(src.data, kind)
    comments = comments_of(src.raw_front_matter)
    front = _Formatter(src, kind).render(comments)
    out_text = "---" + newline + "".join(line + newline for line in front) + "---" + newline + body
    formatted = out_text.encode("utf-8")
    if formatted == raw:
        return FmtResult(path, raw, formatted)  # already canonical: nothing to verify
    problem = _verify(src, comments, formatted, body, path)
    if problem:
        return FmtResult(path, raw, None, problem=problem)
    return FmtResult(path, raw, formatted)


_INDEX_PATTERNS = [re.compile(p) for p, _ in INDEX_NO_FORMATS.values()]


def fix_identifiers(data: dict[str, Any], kind: str) -> dict[str, Any]:
    """The one value change fmt makes: spaces inside a 文号 or 索引号 (copied from print or a
    CMS) are removed — a spacing variant is the same number (check reports it as E305/E306)."""
    if kind not in F.FIELDS_BY_KIND:
        return data
    spec = F.field_map(kind)

    def doc(value: Any) -> Any:
        if isinstance(value, str) and SPACES_RE.search(value):
            compact = compact_identifier(value)
            return compact if parse_doc_number(compact) else value
        return value

    def idx(value: Any) -> Any:
        if isinstance(value, str) and SPACES_RE.search(value.strip()):
            compact = compact_identifier(value)
            return compact if any(p.match(compact) for p in _INDEX_PATTERNS) else value
        return value

    def each(value: Any, fix: Any) -> Any:
        return [fix(v) for v in value] if isinstance(value, list) else value

    out = dict(data)
    for key, value in data.items():
        ftype = spec[key].type if key in spec else ""
        if ftype == "doc_number":
            out[key] = doc(value)
        elif ftype == "index_no":
            out[key] = idx(value)
        elif ftype == "index_no_list":
            out[key] = each(value, idx)
        elif ftype == "relations" and isinstance(value, dict):
            out[key] = {k: each(v, idx) for k, v in value.items()}
        elif key in ("validity_history", "interprets_external") and isinstance(value, list):
            sub, fix = ("by", idx) if key == "validity_history" else ("doc_number", doc)
            out[key] = [{**v, sub: fix(v[sub])} if isinstance(v, dict) and sub in v else v for v in value]
    return out


def guess_kind(data: dict[str, Any]) -> str:
    if "interprets" in data or "interprets_external" in data:
        return "interpretation"
    if "index_no" in data:
        return "entry"
    return "page"


def _split_lines(text: str) -> list[tuple[str, str]]:
    """(content, line ending) pairs; the reader's notion of lines (CRLF, CR and LF)."""
    parts = _LINE_SPLIT.split(text)
    out = [(parts[i], parts[i + 1]) for i in range(0, len(parts) - 1, 2)]
    if parts[-1]:
        out.append((parts[-1], ""))
    return out


# --------------------------------------------------------------------- comments
@dataclass(frozen=True)
class _Comment:
    line: int  # 1-based line in the file
    col: int  # 0-based column of '#'
    text: str  # from '#' to the end of the line, trailing blanks removed
    full_line: bool


def _tokens(text: str) -> list[Any]:
    """PyYAML tokens; libyaml's scanner when present (ten times faster, same marks)."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return list(yaml.scan(text, Loader=fast))
        except yaml.YAMLError:
            pass
    return list(yaml.scan(text, Loader=yaml.SafeLoader))


def comments_of(front_matter: str, first_line: int = 2) -> list[_Comment]:
    """Every comment in a YAML text; ``first_line`` is the file line of its first line."""
    spans: list[tuple[int, int]] = []
    for token in _tokens(front_matter):
        if isinstance(token, yaml.ScalarToken):
            start, end = token.start_mark.index, token.end_mark.index
            if token.style in ("|", ">"):  # the header line may carry a comment of its own
                nl = front_matter.find("\n", start)
                start = end if nl == -1 else min(nl + 1, end)
            if end > start:
                spans.append((start, end))
    spans.sort()
    starts = [s for s, _ in spans]
    out: list[_Comment] = []
    offset = 0
    for n, line in enumerate(front_matter.split("\n")):
        for m in re.finditer("#", line):
            col = m.start()
            if col and line[col - 1] not in " \t":
                continue
            index = offset + col
            k = bisect.bisect_right(starts, index) - 1
            if k >= 0 and spans[k][0] <= index < spans[k][1]:
                continue
            out.append(_Comment(first_line + n, col, line[col:].rstrip(), not line[:col].strip()))
            break
        offset += len(line) + 1
    return out


# --------------------------------------------------------------------- emitter
@dataclass
class _Line:
    indent: int
    text: str
    slot: KeyPath | None  # the field or list item this line writes; None for continuation lines
    raw: bool = False  # literal block content: written verbatim, never annotated


class _Formatter:
    def __init__(self, src: SourceFile, kind: str) -> None:
        self.src = src
        self.kind = kind
        self.fields = F.field_map(kind)
        self.lines: list[_Line] = []
        self.no_literal: set[KeyPath] = set()
        self.last_literal: tuple[KeyPath, str] | None = None  # when the last line ends a literal block

    def render(self, comments: Sequence[_Comment]) -> list[str]:
        assert self.src.data is not None
        self._mapping(self.src.data, (), 0)
        header, leading, trailing, footer = self._attach(comments)
        if not footer and self.last_literal and self.last_literal[1].endswith("\n"):
            # The front matter ends right after this block, so the final line break would be
            # lost before the closing ---: write that one value double-quoted instead.
            self.no_literal.add(self.last_literal[0])
            self.lines, self.last_literal = [], None
            self._mapping(self.src.data, (), 0)
        out: list[str] = []
        if header:
            out.extend(header)
            out.append("")
        for line in self.lines:
            pad = " " * line.indent
            if line.slot is not None and not line.raw:
                out.extend(pad + c for c in leading.get(line.slot, ()))
                tail = trailing.get(line.slot, ())
                text = pad + line.text + (f"  {tail[0]}" if len(tail) == 1 else "")
                if len(tail) > 1:  # several end-of-line comments folded onto one line: keep each, above it
                    out.extend(pad + c for c in tail)
                out.append(text)
            else:
                out.append(line.text if line.raw else pad + line.text)
        out.extend(footer)
        return out

    # -- comments -------------------------------------------------------
    def _attach(
        self, comments: Sequence[_Comment]
    ) -> tuple[list[str], dict[KeyPath, list[str]], dict[KeyPath, list[str]], list[str]]:
        anchors = sorted((self._anchor(path), path) for path in self.src.positions if path)
        slots = {line.slot for line in self.lines if line.slot is not None}
        fm_lines = self.src.raw_front_matter.split("\n")
        first_line = anchors[0][0][0] if anchors else None
        header: list[str] = []
        footer: list[str] = []
        leading: dict[KeyPath, list[str]] = {}
        trailing: dict[KeyPath, list[str]] = {}
        for c in comments:
            if c.full_line:
                if first_line is None:
                    footer.append(c.text)
                    continue
                if c.line < first_line and any(not fm_lines[n - 2].strip() for n in range(c.line + 1, first_line)):
                    header.append(c.text)
                    continue
                k = bisect.bisect_right(anchors, ((c.line, 1 << 30), ()))
                if k == len(anchors):
                    footer.append(c.text)
                else:
                    leading.setdefault(self._slot(anchors[k][1], slots), []).append(c.text)
            else:
                k = bisect.bisect_left(anchors, ((c.line, c.col + 1), ())) - 1
                if k < 0:
                    header.append(c.text)
                else:
                    trailing.setdefault(self._slot(anchors[k][1], slots), []).append(c.text)
        return header, leading, trailing, footer

    def _anchor(self, path: KeyPath) -> tuple[int, int]:
        if isinstance(path[-1], str):
            return self.src.key_positions.get(path) or self.src.positions[path]
        return self.src.positions[path]

    @staticmethod
    def _slot(path: KeyPath, slots: set[KeyPath]) -> KeyPath:
        for n in range(len(path), 0, -1):
            if path[:n] in slots:
                return path[:n]
        return path[:1]

    # -- layout ---------------------------------------------------------
    def _order(self, mapping: dict[str, Any], path: KeyPath) -> list[str]:
        if not path:
            known = list(self.fields)
        elif isinstance(path[0], str) and path[0] in F.SUBFIELDS:
            known = list(F.SUBFIELDS[path[0]])
        else:
            known = []
        return [k for k in known if k in mapping] + [k for k in mapping if k not in known]

    def _mapping(self, mapping: dict[str, Any], path: KeyPath, indent: int) -> None:
        for key in self._order(mapping, path):
            value = mapping[key]
            here = (*path, key)
            head = f"{self._scalar(key, flow=False, is_key=True)}:"
            if self._literal_ok(value) and here not in self.no_literal:
                self._literal(head, value, here, indent)
                continue
            self.last_literal = None
            if isinstance(value, dict) and any(isinstance(v, (dict, list)) for v in value.values()):
                self.lines.append(_Line(indent, head, here))
                self._mapping(value, here, indent + INDENT)
            elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
                self.lines.append(_Line(indent, head, here))
                for i, item in enumerate(value):
                    self.lines.append(_Line(indent + INDENT, f"- {self._flow(item, (*here, i), True)}", (*here, i)))
            else:
                self.lines.append(_Line(indent, f"{head} {self._flow(value, here)}", here))

    def _literal_ok(self, value: Any) -> bool:
        if not isinstance(value, str) or "\n" not in value or not value.strip() or value[0] in " \t\n":
            return False
        if any(ch in value for ch in "\r\x85\u2028\u2029\ufeff"):
            return False
        return _ANALYZER.analyze_scalar(value).allow_block

    def _literal(self, head: str, value: str, path: KeyPath, indent: int) -> None:
        stripped = value.rstrip("\n")
        trailing = len(value) - len(stripped)
        chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
        content = stripped if trailing <= 1 else value[:-1]
        self.lines.append(_Line(indent, f"{head} |{chomp}", path))
        pad = " " * (indent + INDENT)
        for text in content.split("\n"):
            self.lines.append(_Line(0, pad + text if text else "", None, raw=True))
        self.last_literal = (path, value)

    def _flow(self, value: Any, path: KeyPath, flow: bool = False) -> str:
        """``value`` on one line; ``flow`` when it sits inside ``[…]`` or ``{…}``."""
        if isinstance(value, dict):
            items = [
                f"{self._scalar(k, flow=True, is_key=True)}: {self._flow(value[k], (*path, k), True)}"
                for k in self._order(value, path)
            ]
            return "{" + ", ".join(items) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self._flow(v, (*path, i), True) for i, v in enumerate(value)) + "]"
        if isinstance(value, str) and self._is_date_path(path) and _plain_ok(value, flow, _TIMESTAMP_TAG):
            return value  # a valid ISO date in a date field: unquoted
        return self._scalar(value, flow=flow)

    def _is_date_path(self, path: KeyPath) -> bool:
        if len(path) == 1:
            fld = self.fields.get(str(path[0]))
            return fld is not None and fld.type == "date"
        if len(path) == 3 and isinstance(path[0], str) and isinstance(path[2], str):
            spec = F.SUBFIELDS.get(path[0], {})
            return spec.get(path[2], (False, ""))[1] == "date"
        return False

    @staticmethod
    def _scalar(value: Any, flow: bool, is_key: bool = False) -> str:
        return scalar(value, flow, is_key)


def scalar(value: Any, flow: bool = True, is_key: bool = False) -> str:
    """One scalar in canonical spelling (``flow``: inside ``[…]`` or ``{…}``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, YamlDate):
        text = value.text
        if _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _TIMESTAMP_TAG and _plain_ok(text, flow, None):
            return text
        value = text
    text = str(value)
    return text if _plain_ok(text, flow, _STR_TAG, is_key) else double_quoted(text)


def _plain_ok(text: str, flow: bool, tag: str | None, is_key: bool = False) -> bool:
    if not text or "\\" in text or text != text.strip():
        return False
    if is_key and len(text) > 100:
        return False
    analysis = _ANALYZER.analyze_scalar(text)
    if analysis.multiline or not (analysis.allow_flow_plain if flow else analysis.allow_block_plain):
        return False
    return tag is None or _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == tag


def double_quoted(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _NON_PRINTABLE.match(ch):
            code = ord(ch)
            out.append(f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _float(value: float) -> str:
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


# --------------------------------------------------------------------- verification
def normalised(value: Any) -> Any:
    """A comparable form of reader values: key order ignored, dates as their text, types kept."""
    if isinstance(value, dict):
        return ("map", tuple(sorted((k, normalised(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("seq", tuple(normalised(v) for v in value))
    if isinstance(value, YamlDate):
        return ("str", value.text)
    if isinstance(value, float):
        return ("float", repr(value))
    return (type(value).__name__, value)


def _verify(before: SourceFile, comments: Sequence[_Comment], formatted: bytes, body: str, path: str) -> str:
    after = parse(path, formatted)
    if after.diagnostics or after.data is None:
        return "the formatted text does not parse: " + "; ".join(d.message("en") for d in after.diagnostics)
    if normalised(after.data) != normalised(before.data):
        return "formatting would change a value"
    text = formatted.decode("utf-8")
    if not text.endswith(body):
        return "formatting would change the body"
    old = Counter(c.text for c in comments)
    new = Counter(c.text for c in comments_of(after.raw_front_matter))
    if old != new:
        return "formatting would lose or duplicate a comment"
    return ""
