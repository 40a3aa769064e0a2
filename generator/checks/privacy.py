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
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, diag
from generator.model import fields as F
from generator.model.entry import Entry, Interpretation, Item, Page, PrivacyAck
from generator.source.files import safe_join
from generator.source.frontmatter import KeyPath, SourceFile

TEXT_SUFFIXES = (".txt", ".csv", ".tsv", ".md", ".srt", ".vtt")
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

_PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

# Not after or before a letter, a digit, a decimal point, or inside a URL path or
# query (…/138…, …=138…, content_138…); not the prefix of a 索引号 (…/2024-00001).
# A slash counts as part of a URL only after an ASCII character: 张三/13800138000 is text.
_LEFT = r"(?<![0-9A-Za-z=_#&?.．¥￥$])(?<![0-9A-Za-z._~%/:-]/)"
_RIGHT = r"(?![0-9A-Za-z]|[.．]\d|/\d)"
# A unit right after a number makes it a statistic, not a phone or card number.
_UNIT = re.compile(
    r"\s?(元|万|亿|人|次|个|件|户|台|辆|吨|米|平方|公里|千克|克|套|项|份|册|株|头|只|箱|张|本|条|股|%|％)"
)
# A number right after one of these labels is an account or an organisation's code, not a
# person's ID or card (an agency's public bank account after 账号/开户行, a 统一社会信用代码,
# a website's 公网安备 registration). Mobile numbers are reported whatever the label.
_ACCOUNT_LABEL = re.compile(
    r"账号|帐号|账户|帐户|开户|户名|统一社会信用代码|信用代码|组织机构代码|纳税人识别号|税号|公网安备|ICP备|备案号"
)
_LABEL_REACH = 24  # characters before the number in which a label counts

_ID18 = re.compile(_LEFT + r"(\d{6})([ -]?)(\d{8})\2(\d{3}[\dXx])" + _RIGHT, re.ASCII)
_ID15 = re.compile(_LEFT + r"(\d{6})([ -]?)(\d{6})\2(\d{3})" + _RIGHT, re.ASCII)
_MOBILE = re.compile(_LEFT + r"(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})" + _RIGHT, re.ASCII)
_CARD = re.compile(_LEFT + r"[3-6]\d{3}(?:([ -]?)\d{4})(?:\1\d{4}){1,2}(?:\1\d{1,4})?" + _RIGHT, re.ASCII)

# Every pattern above holds three digits, at most one separator, then four digits: text
# without such a run (most text) is skipped after one cheap scan.
_CANDIDATE = re.compile(r"\d{3}[ -]?\d{4}", re.ASCII)

# How numbers are disguised, deliberately or by an editor's input method: full-width
# digits, no-break / ideographic / zero-width spaces, dash look-alikes, a line break
# inside the number. The text is matched in a normalised copy; positions map back.
_SPACES = frozenset(
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
)
_INVISIBLE = frozenset("\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u30fc")
_WIDE = {chr(0xFF10 + i): str(i) for i in range(10)} | {"Ｘ": "X", "ｘ": "x", "＋": "+"}


def _plain(text: str) -> tuple[str, list[int]]:
    """``text`` with disguises undone, and for each character of it its index in ``text``."""
    out: list[str] = []
    where: list[int] = []
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c in _INVISIBLE:
            i += 1
            continue
        if c == "\n" and out and (out[-1].isdigit() or out[-1] == "-"):
            # a number wrapped across lines (indentation and quote markers skipped)
            j = i + 1
            while j < n and (text[j] in " >" or text[j] in _SPACES or text[j] in _INVISIBLE):
                j += 1
            if j < n and ((text[j].isascii() and text[j].isdigit()) or text[j] in _WIDE):
                i = j
                continue
        if c in _SPACES:
            c = " "
        elif c in _DASHES:
            c = "-"
        else:
            c = _WIDE.get(c, c)
        out.append(c)
        where.append(i)
        i += 1
    where.append(n)
    return "".join(out), where


KIND_CODES = {"id": "E801", "mobile": "E802", "card": "E803"}


@dataclass(frozen=True)
class Finding:
    kind: str  # "id" | "mobile" | "card"
    digits: str  # the number without separators (and without +86)
    start: int
    end: int


def _birth_date(text: str) -> bool:
    try:
        day = dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return 1900 <= day.year <= 2099


def is_resident_id(number: str) -> bool:
    """GB 11643: 18 characters, province code, birth date, check digit (or the 15-digit legacy form)."""
    number = number.upper()
    if len(number) == 15 and number.isdigit():
        return int(number[:2]) in _PROVINCES and _birth_date("19" + number[6:12])
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return False
    if int(number[:2]) not in _PROVINCES or not _birth_date(number[6:14]):
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == number[17]


def luhn(number: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(number)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def is_mobile(number: str) -> bool:
    return len(number) == 11 and number.isdigit() and number[0] == "1" and number[1] in "3456789"


def classify(value: str) -> str | None:
    """The kind of a number as written in an acknowledgement: "id", "mobile", "card" or None."""
    digits = normalise(value)
    if is_resident_id(digits):
        return "id"
    if is_mobile(digits):
        return "mobile"
    if 13 <= len(digits) <= 19 and digits.isdigit() and digits[0] in "3456" and luhn(digits):
        return "card"
    return None


def normalise(value: str) -> str:
    digits = re.sub(r"[\s\-]", "", _plain(value)[0]).upper()
    if digits.startswith("+86"):
        digits = digits[3:]
    elif len(digits) == 13 and digits.startswith("86") and is_mobile(digits[2:]):
        digits = digits[2:]
    return digits


def find_numbers(text: str) -> list[Finding]:
    """Personal numbers in ``text``, in order of position (positions index ``text`` itself)."""
    plain, where = _plain(text)
    if not _CANDIDATE.search(plain):
        return []
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(kind: str, m: re.Match[str]) -> None:
        found.append(Finding(kind, normalise(m.group()), where[m.start()], where[m.end() - 1] + 1))
        taken.append((m.start(), m.end()))

    for m in _ID18.finditer(plain):
        if is_resident_id(m.group(1) + m.group(3) + m.group(4)) and not _account(plain, m.start(), taken):
            add("id", m)
    for m in _ID15.finditer(plain):
        digits = m.group(1) + m.group(3) + m.group(4)
        if free(m.start(), m.end()) and is_resident_id(digits) and not _account(plain, m.start(), taken):
            add("id", m)
    for m in _MOBILE.finditer(plain):
        if free(m.start(), m.end()) and not _is_statistic(plain, m):
            add("mobile", m)
    for m in _CARD.finditer(plain):
        digits = normalise(m.group())
        if (
            free(m.start(), m.end())
            and 13 <= len(digits) <= 19
            and luhn(digits)
            and not _is_statistic(plain, m)
            and not _account(plain, m.start(), taken)
        ):
            add("card", m)
    return sorted(found, key=lambda f: f.start)


def _account(text: str, start: int, taken: list[tuple[int, int]]) -> bool:
    """True when an account label (账号, 开户行, 统一社会信用代码 …) stands just before ``start``.

    The label must be on the same line and no other number may stand between it and this
    one, so a real ID number elsewhere in the same text is still found.
    """
    lo = max(0, start - _LABEL_REACH, text.rfind("\n", 0, start) + 1)
    window = text[lo:start]
    labels = list(_ACCOUNT_LABEL.finditer(window))
    if not labels:
        return False
    between = window[labels[-1].end() :]
    return not re.search(r"\d{3}", between, re.ASCII) and "身份证" not in between and "证件" not in between


def _is_statistic(text: str, m: re.Match[str]) -> bool:
    return bool(_UNIT.match(text, m.end())) or text[max(0, m.start() - 1) : m.start()] == "第"


def mask(number: str) -> str:
    """Keep the first three and last two digits: 138******00. Separators are kept."""
    positions = [i for i, c in enumerate(number) if c.isalnum()]
    hidden = set(positions[3:-2])
    return "".join("*" if i in hidden else c for i, c in enumerate(number))


def excerpt(text: str, finding: Finding, findings: Iterable[Finding], width: int = 12) -> str:
    """The text around a finding on its line, every number in it masked."""
    line_start = text.rfind("\n", 0, finding.start) + 1
    line_end = text.find("\n", finding.end)
    line_end = len(text) if line_end == -1 else line_end
    lo, hi = max(line_start, finding.start - width), min(line_end, finding.end + width)
    pieces: list[str] = []
    cursor = lo
    for f in sorted(findings, key=lambda f: f.start):
        if f.end <= lo or f.start >= hi:
            continue
        s, e = max(f.start, lo), min(f.end, hi)
        pieces.append(text[cursor:s])
        pieces.append(mask(text[f.start : f.end])[s - f.start : e - f.start])
        cursor = e
    pieces.append(text[cursor:hi])
    out = re.sub(r"\s+", " ", "".join(pieces)).strip()
    return ("…" if lo > line_start else "") + out + ("…" if hi < line_end else "")


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
