"""Privacy lint: personal numbers in anything that gets published.

Personal data is the classic disclosure accident: a list of subsidy recipients
with their ID numbers, a contact's mobile phone, a bank card for refunds. This
check finds

* mainland resident ID numbers — 18 digits (the last may be X) with a valid
  GB 11643 check digit, a known province code and a real birth date; and the
  15-digit legacy form with a known province code and a real birth date;
* mobile phone numbers — 11 digits ``1[3-9]x…``, optionally written
  ``138 0013 8000`` / ``138-0013-8000`` or with ``+86``;
* bank-card-like numbers — 13 to 19 digits starting with 3–6 (the card
  industries) that pass the Luhn check, optionally in groups of four;

in titles, abstracts, keywords and other free-text fields, in bodies, and in the
text of ``.txt``/``.csv``/``.tsv``/``.md`` attachments and media transcripts. It
looks only at what would be published (the body and attachments of a 依申请公开
entry are not), but at drafts and embargoed items too: they are published later.

A number that is part of a longer run of digits or letters, of a URL path, of a
索引号 (``…/2024-00001``), or that is followed by a unit (元、万、人 …) is not
reported, so 文号, 索引号, dates and statistics are not false positives.

Every finding is an error with its position and a masked excerpt; the full
number is never printed. An item acknowledges a reviewed number explicitly::

    privacy_ack:
      - {value: "13800000000", reason: 本单位公开的服务热线}

An acknowledgement that matches nothing is a warning, so stale ones are noticed.

This module owns what is scanned (fields, bodies, attachments, site_config.yml) and the
diagnostics; finding the numbers in a text is checks/numbers.py's.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.checks.numbers import (
    _INVISIBLE,
    KIND_CODES,
    Finding,
    classify,
    excerpt,
    find_numbers,
    is_mobile,
    is_resident_id,
    luhn,
    mask,
    normalise,
)
from generator.diagnostics import Diagnostic, diag
from generator.model import fields as F
from generator.model.entry import Entry, Interpretation, Item, Page, PrivacyAck
from generator.source.files import safe_join
from generator.source.frontmatter import KeyPath, SourceFile

TEXT_SUFFIXES = (".txt", ".csv", ".tsv", ".md", ".srt", ".vtt")
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

__all__ = [
    "KIND_CODES",
    "MAX_ATTACHMENT_BYTES",
    "TEXT_SUFFIXES",
    "Finding",
    "PrivacyChecker",
    "check_config",
    "classify",
    "excerpt",
    "find_numbers",
    "is_mobile",
    "is_resident_id",
    "luhn",
    "mask",
    "normalise",
]


class PrivacyChecker:
    """E801–E803 for personal numbers; W801/W802 for acknowledgements that do not fit."""

    def __init__(
        self,
        root: Path,
        entries: Iterable[Entry],
        interps: Iterable[Interpretation],
        pages: Iterable[Page],
        sources: dict[str, SourceFile],
    ) -> None:
        self.root = root
        self.items: list[Item | Page] = [*entries, *interps, *pages]
        self.sources = sources
        self.diags: list[Diagnostic] = []

    def run(self) -> list[Diagnostic]:
        for item in sorted(self.items, key=lambda i: i.source):
            self.item(item)
        return self.diags

    @classmethod
    def check_item(cls, root: Path, item: Item | Page, src: SourceFile) -> list[Diagnostic]:
        """The diagnostics of one item (each item is checked on its own: this runs in workers)."""
        checker = cls(root, (), (), (), {item.source: src})
        checker.item(item)
        return checker.diags

    @classmethod
    def check_source(cls, root: Path, kind: str, src: SourceFile) -> list[Diagnostic]:
        """The same checks from the front matter alone: for a file whose item could not be built
        (a required field missing), so that its other problems are reported at once."""
        checker = cls(root, (), (), (), {src.path: src})
        checker.scan(src, kind, None)
        return checker.diags

    def item(self, item: Item | Page) -> None:
        kind = "entry" if isinstance(item, Entry) else "interpretation" if isinstance(item, Interpretation) else "page"
        self.scan(self.sources[item.source], kind, item)

    def scan(self, src: SourceFile, kind: str, item: Item | Page | None) -> None:
        data = src.data or {}
        acks = item.privacy_ack if item is not None else _raw_acks(data)
        acked = {normalise(a.value): a for a in acks}
        used: set[str] = set()
        owner = src.path
        if item is not None:
            public = _body_public(item)
            body, body_line = item.body, item.body_line
        else:
            public = kind != "entry" or data.get("disclosure") != "依申请公开"
            body, body_line = src.body, src.body_line

        def report(path: str, pos: tuple[int, int], f: Finding, text: str) -> None:
            if f.digits in acked:
                used.add(f.digits)
            else:
                self._report(path, pos, f, text, owner)

        for path, text in _data_fields(data, public):
            for f in find_numbers(text):
                report(src.path, _field_position(src, path, text[f.start : f.end]), f, text)
        if public:
            for f, text, pos in _positioned(body, body_line):
                report(src.path, pos, f, text)
            for rel, base, file in _raw_text_files(kind, data):
                for f, text, pos in self._scan_file(base, file):
                    report(rel, pos, f, text)
        self._acks(src, acks, used)

    def _scan_file(self, base: str, file: str) -> Iterator[tuple[Finding, str, tuple[int, int]]]:
        path = safe_join(self.root, base, file)
        if path is None or not path.is_file():
            return  # reported by the attachment checks (E601/E603)
        try:
            with path.open("rb") as fh:
                raw = fh.read(MAX_ATTACHMENT_BYTES)
        except OSError:
            return
        yield from _positioned(_decode(raw), 1)

    def _report(self, path: str, pos: tuple[int, int], f: Finding, text: str, owner: str | None) -> None:
        findings = find_numbers(text[max(0, f.start - 40) : f.end + 40])
        shift = max(0, f.start - 40)
        around = [Finding(x.kind, x.digits, x.start + shift, x.end + shift) for x in findings]
        self.diags.append(
            diag(
                path,
                pos,
                KIND_CODES[f.kind],
                masked=_one_line(mask(text[f.start : f.end])),
                excerpt=excerpt(text, f, around),
                hint=f"删除或打码后再发布；如确属应当公开的号码（如服务热线），在 {owner} 的 privacy_ack 中登记号码和理由"
                if owner
                else "删除或打码后再发布：站点配置中的文字会出现在每个页面上",
                hint_en=f"remove or mask it; if it must be public (e.g. a service hotline), "
                f"list it under privacy_ack in {owner} with a reason"
                if owner
                else "remove or mask it: site configuration text is printed on every page",
            )
        )

    def _acks(self, src: SourceFile, acks: tuple[PrivacyAck, ...], used: set[str]) -> None:
        for i, ack in enumerate(acks):
            digits = normalise(ack.value)
            pos = src.pos(("privacy_ack", i, "value"))
            if classify(ack.value) is None:
                self.diags.append(diag(src.path, pos, "W802", masked=mask(ack.value)))
            elif digits not in used:
                self.diags.append(diag(src.path, pos, "W801", masked=mask(ack.value)))


def _one_line(text: str) -> str:
    """A masked number as written, on one line and without invisible characters."""
    return re.sub(r"\s+", " ", "".join(c for c in text if c not in _INVISIBLE))


def _body_public(item: Item | Page) -> bool:
    return not isinstance(item, Entry) or item.body_public


# Front-matter keys whose values are identifiers, vocabulary values or references, not
# free text: each is declared, with its reason, in the field registry (model/fields.py
# ``privacy_exempt``). Every other string — any field added later — is scanned.
_NOT_TEXT = F.privacy_exempt_keys()
_FILE_KEYS = frozenset({"file"})


def _data_fields(data: dict[str, object], public: bool) -> Iterator[tuple[KeyPath, str]]:
    """Every published free-text value of the front matter with its key path.

    Every string is scanned except identifiers and vocabulary values (:data:`_NOT_TEXT`),
    so a field added later is covered without a change here. File names (``file``) are
    published in URLs: each path segment is scanned on its own. Attachments and media of
    a 依申请公开 entry are not published and not scanned.
    """

    def walk(value: object, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
        key = next((p for p in reversed(path) if isinstance(p, str)), "")
        if key in _NOT_TEXT:
            return
        if isinstance(value, str):
            if key in _FILE_KEYS:
                for part in value.split("/"):
                    yield path, part
            else:
                yield path, value
        elif isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, (*path, str(k)))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from walk(v, (*path, i))

    for key, value in data.items():
        if not public and key in ("attachments", "media"):
            continue
        yield from walk(value, (str(key),))


def _raw_acks(data: dict[str, object]) -> tuple[PrivacyAck, ...]:
    acks = data.get("privacy_ack")
    if not isinstance(acks, list):
        return ()
    out = []
    for ack in acks:
        if isinstance(ack, dict) and isinstance(ack.get("value"), (str, int)):
            out.append(PrivacyAck(str(ack["value"]), str(ack.get("reason") or "")))
    return tuple(out)


def _raw_text_files(kind: str, data: dict[str, object]) -> Iterator[tuple[str, str, str]]:
    """(path relative to the root, base folder, path relative to base) of extractable attachments."""
    attachments = data.get("attachments")
    if kind == "entry" and isinstance(attachments, list):
        for att in attachments:
            file = att.get("file") if isinstance(att, dict) else None
            if isinstance(file, str) and file.lower().endswith(TEXT_SUFFIXES):
                yield f"catalogue/{file}", "catalogue", file
    media = data.get("media")
    if kind == "interpretation" and isinstance(media, dict):
        file = media.get("file")
        if isinstance(file, str) and file.lower().endswith(TEXT_SUFFIXES):
            yield f"content/{file}", "content", file


def _positioned(text: str, first_line: int) -> Iterator[tuple[Finding, str, tuple[int, int]]]:
    findings = find_numbers(text)
    if not findings:
        return
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for f in findings:
        n = bisect.bisect_right(starts, f.start) - 1
        yield f, text, (first_line + n, f.start - starts[n] + 1)


def _field_position(src: SourceFile, path: KeyPath, written: str) -> tuple[int, int]:
    """Where ``written`` appears in the raw front matter, from the value's own line on."""
    line, col = src.pos(path)
    lines = src.raw_front_matter.split("\n")
    for i in range(max(0, line - 2), len(lines)):
        at = lines[i].find(written, col - 1 if i == line - 2 else 0)
        if at >= 0:
            return (i + 2, at + 1)
    return (line, col)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


# site_config.yml keys that hold identifiers or patterns, not published text
_CONFIG_NOT_TEXT = frozenset({"index_no", "code", "id", "url", "pattern", "example"})


def check_config(root: Path, config_file: str) -> list[Diagnostic]:
    """Personal numbers in site_config.yml values: the footer and names are printed on every page."""
    from generator.source.files import read_bounded
    from generator.source.frontmatter import MAX_FILE_BYTES, parse_yaml_file

    try:
        src = parse_yaml_file(config_file, read_bounded(root / config_file, MAX_FILE_BYTES))
    except OSError:
        return []
    if not isinstance(src.data, dict):
        return []
    checker = PrivacyChecker(root, (), (), (), {config_file: src})

    def walk(value: object, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
        key = next((p for p in reversed(path) if isinstance(p, str)), "")
        if key in _CONFIG_NOT_TEXT:
            return
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, (*path, str(k)))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from walk(v, (*path, i))

    for path, text in walk(src.data, ()):
        for f in find_numbers(text):
            pos = src.pos(path)
            checker._report(config_file, _config_position(src, pos, text[f.start : f.end]), f, text, None)
    return checker.diags


def _config_position(src: SourceFile, pos: tuple[int, int], written: str) -> tuple[int, int]:
    lines = src.raw_front_matter.split("\n") if src.raw_front_matter else []
    line = pos[0]
    for i in range(max(0, line - 1), min(len(lines), line + 20)):
        at = lines[i].find(written)
        if at >= 0:
            return (i + 1, at + 1)
    return pos
