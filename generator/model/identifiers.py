"""索引号 and 文号: parsing, validation and normalisation (DOMAIN.md §1.6, §1.7)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.model.patterns import Pattern

# GB/T 9704: 机关代字〔YYYY〕N号 — six-cornered brackets, full year, no leading zero.
DOC_NUMBER_RE = re.compile(r"^(?P<prefix>.+?)〔(?P<year>\d{4})〕(?P<num>[1-9]\d*)号\Z", re.ASCII)
# 令号: XX人民政府令第N号 (第 is legitimate here).
ORDER_NUMBER_RE = re.compile(r"^(?P<prefix>.+?)第(?P<num>[1-9]\d*)号\Z", re.ASCII)
# Bracket variants seen in legacy data, around a 4-digit year.
_VARIANT_RE = re.compile(
    r"^(?P<prefix>.+?)\s*(?:[\[［【（(〔﹝]\s*(?P<y1>\d{4})\s*[\]］】）)〕﹞]|(?P<y2>\d{4})年)\s*第?0*(?P<num>\d+)\s*号?$"
)


@dataclass(frozen=True)
class DocNumber:
    prefix: str
    year: int | None
    num: int

    @property
    def canonical(self) -> str:
        if self.year is None:
            return f"{self.prefix}第{self.num}号"
        return f"{self.prefix}〔{self.year}〕{self.num}号"

    @property
    def key(self) -> str:
        """A bracket-free key: the same for every way of writing the number."""
        year = "" if self.year is None else str(self.year)
        return f"{self.prefix}{year}-{self.num}"


@dataclass(frozen=True)
class DocNumberProblem:
    code: str  # E311 malformed, E312 bracket variant
    suggestion: str | None
    hint_zh: str
    hint_en: str


def parse_doc_number(value: str) -> DocNumber | None:
    """Parse a well-formed 文号 (standard or 令号 form)."""
    m = DOC_NUMBER_RE.match(value)
    if m:
        return DocNumber(m["prefix"], int(m["year"]), int(m["num"]))
    m = ORDER_NUMBER_RE.match(value)
    if m and "〔" not in value:
        return DocNumber(m["prefix"], None, int(m["num"]))
    return None


def normalise_doc_number(value: str) -> DocNumber | None:
    """Parse a 文号 leniently (any bracket style, 年, missing 号, leading zeros)."""
    text = re.sub(r"\s+", "", value)
    strict = parse_doc_number(text)
    if strict:
        return strict
    m = _VARIANT_RE.match(text)
    if m and int(m["num"]) > 0:
        return DocNumber(m["prefix"], int(m["y1"] or m["y2"]), int(m["num"]))
    m = re.match(r"^(?P<prefix>.+?)第0*(?P<num>[1-9]\d*)号?$", text)
    if m:
        return DocNumber(m["prefix"], None, int(m["num"]))
    return None


def check_doc_number(value: str) -> DocNumberProblem | None:
    """Return the problem with a 文号, or ``None`` when it is well-formed."""
    if parse_doc_number(value):
        return None
    lenient = normalise_doc_number(value)
    has_variant_bracket = any(b in value for b in "[]［］【】（）()﹝﹞") or re.search(r"\d{4}年", value)
    if lenient and lenient.year is not None and has_variant_bracket:
        return DocNumberProblem("E312", lenient.canonical, "", "")
    if lenient:
        return DocNumberProblem(
            "E311",
            lenient.canonical,
            f"序号不加“第”和前导零，以“号”结尾，应为 {lenient.canonical}",
            f"no 第 or leading zeros, end with 号: {lenient.canonical}",
        )
    return DocNumberProblem(
        "E311",
        None,
        "格式为 机关代字〔年份〕序号号，例如 澜政办发〔2024〕12号；规章用令号，例如 澜江市人民政府令第5号",
        "format: 机关代字〔YYYY〕N号, e.g. 澜政办发〔2024〕12号; 规章 use 令号 such as 澜江市人民政府令第5号",
    )


@dataclass(frozen=True)
class IndexNo:
    value: str
    prefix: str
    year: int

    @property
    def slug(self) -> str:
        """URL path segment: stable, ASCII-safe, derived from the 索引号 alone."""
        return slugify_index_no(self.value)


def slugify_index_no(value: str) -> str:
    return re.sub(r"[^0-9A-Za-z._-]+", "-", value).strip("-") or "entry"


def parse_index_no(value: str, pattern: Pattern) -> IndexNo | None:
    m = pattern.fullmatch(value)  # the whole value; RE2: linear time, ASCII digits (model/patterns.py)
    if not m:
        return None
    groups = m.groupdict()
    try:
        year = int(groups.get("year") or 0)
    except ValueError:
        year = 0
    return IndexNo(value, groups.get("prefix") or "", year)


def normalise_index_no(value: str) -> str:
    """A search key for a 索引号: upper-case, separators dropped."""
    return re.sub(r"[\s/\-－—_]+", "", value).upper()
