"""Personal numbers in text: resident ID numbers (GB 11643 check digit, province, birth
date), mobile phone numbers and bank-card-like numbers (Luhn), found in a normalised copy
of the text (full-width digits, look-alike dashes, invisible spaces) with positions mapped
back, statistics, accounts and identifiers left out; masked excerpts for the report.
What is scanned, and the diagnostics, are checks/privacy.py's."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

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


# _plain's one-for-one replacements, as a str.translate table (positions do not move).
_TABLE = str.maketrans({c: " " for c in _SPACES} | {c: "-" for c in _DASHES} | _WIDE)
_HIDDEN = re.compile("[" + re.escape("".join(sorted(_INVISIBLE))) + "]")
_REPLACED = re.compile("[" + re.escape("".join(sorted(_SPACES | _DASHES | set(_WIDE)))) + "]")
# A line break _plain may drop (a number wrapped across lines), read in the translated text:
# full-width X, x and + have become ASCII, so [Xx+] also takes a few it would keep.
_WRAP = re.compile(r"\n[ >]*[0-9Xx+]")


def _joins_lines(plain: str) -> bool:
    """True when _plain might drop a line break of the text translated to ``plain``: after a
    digit or a dash, before a digit (or X, x, +), spaces and quote markers between."""
    for m in _WRAP.finditer(plain):
        at = m.start()
        if at and (plain[at - 1].isdigit() or plain[at - 1] == "-"):
            return True
    return False


def _normalised(text: str) -> tuple[str, list[int] | range]:
    """What :func:`_plain` returns (``where`` possibly a range), without its loop over every
    character unless it would drop one (an invisible character, a number's line break): the
    loop was half of a check's time. One-for-one replacements (full-width digits, ideographic
    spaces, dash look-alikes) move no position; they are one ``str.translate``."""
    if _HIDDEN.search(text) is None:
        plain = text.translate(_TABLE) if _REPLACED.search(text) else text
        if not _joins_lines(plain):
            return plain, range(len(text) + 1)
    return _plain(text)


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
    plain, where = _normalised(text)
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
