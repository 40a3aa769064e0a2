"""索引号 and 文号: parsing, validation and normalisation (DOMAIN.md §1.6, §1.7)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from generator.model.patterns import Pattern

# GB/T 9704: 机关代字〔YYYY〕N号 — six-cornered brackets, full year, no leading zero.
DOC_NUMBER_RE = re.compile(r"^(?P<prefix>.+?)〔(?P<year>\d{4})〕(?P<num>[1-9]\d*)号\Z", re.ASCII)
# 令号: XX人民政府令第N号 (第 is legitimate here).
ORDER_NUMBER_RE = re.compile(r"^(?P<prefix>.+?)第(?P<num>[1-9]\d*)号\Z", re.ASCII)
# Numbered announcement series keep 第 after the year: 中国人民银行公告〔2024〕第11号,
# 国家税务总局公告2018年第31号 (official forms of 公告 and 通告 series).
SERIES_NUMBER_RE = re.compile(
    r"^(?P<prefix>.+?(?:公告|通告))(?:〔(?P<y1>\d{4})〕|(?P<y2>\d{4})年)第(?P<num>[1-9]\d*)号\Z", re.ASCII
)
# Spaces seen inside numbers copied from print or CMS exports (ASCII, ideographic, no-break).
SPACES_RE = re.compile("[ \t\u3000\u00a0]+")
# Bracket variants seen in legacy data, around a 4-digit year.
_VARIANT_RE = re.compile(
    r"^(?P<prefix>.+?)\s*(?:[\[［【（(〔﹝]\s*(?P<y1>\d{4})\s*[\]］】）)〕﹞]|(?P<y2>\d{4})年)\s*第?0*(?P<num>\d+)\s*号?$"
)


@dataclass(frozen=True)
class DocNumber:
    prefix: str
    year: int | None
    num: int
    style: str = "bracket"  # bracket 〔YYYY〕N号 | series 〔YYYY〕第N号 | series_nian YYYY年第N号 | order 第N号

    @property
    def canonical(self) -> str:
        if self.year is None:
            return f"{self.prefix}第{self.num}号"
        if self.style == "series":
            return f"{self.prefix}〔{self.year}〕第{self.num}号"
        if self.style == "series_nian":
            return f"{self.prefix}{self.year}年第{self.num}号"
        return f"{self.prefix}〔{self.year}〕{self.num}号"

    @property
    def key(self) -> str:
        """A bracket-free key: the same for every way of writing the number."""
        year = "" if self.year is None else str(self.year)
        return f"{self.prefix}{year}-{self.num}"


@dataclass(frozen=True)
class DocNumberProblem:
    code: str  # E311 malformed, E312 bracket variant, E305 spaces inside
    suggestion: str | None
    hint_zh: str
    hint_en: str


def parse_doc_number(value: str) -> DocNumber | None:
    """Parse a well-formed 文号 (standard, 公告/通告 series or 令号 form)."""
    if SPACES_RE.search(value):
        return None
    m = DOC_NUMBER_RE.match(value)
    if m:
        return DocNumber(m["prefix"], int(m["year"]), int(m["num"]))
    m = SERIES_NUMBER_RE.match(value)
    if m:
        style = "series" if m["y1"] else "series_nian"
        return DocNumber(m["prefix"], int(m["y1"] or m["y2"]), int(m["num"]), style)
    m = ORDER_NUMBER_RE.match(value)
    if m and "〔" not in value:
        return DocNumber(m["prefix"], None, int(m["num"]))
    return None


def normalise_doc_number(value: str) -> DocNumber | None:
    """Parse a 文号 leniently (any bracket style, 年, missing 号, leading zeros)."""
    text = SPACES_RE.sub("", value.strip())
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
    compact = SPACES_RE.sub("", value.strip())
    if compact != value and parse_doc_number(compact):
        return DocNumberProblem("E305", compact, f"删除空格，改为 {compact}", f"remove the spaces: {compact}")
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


_NOT_SLUG = re.compile(r"[^0-9A-Za-z._-]+")


@functools.lru_cache(maxsize=1 << 18)  # a pure function of the string: every page links many items
def slugify_index_no(value: str) -> str:
    return _NOT_SLUG.sub("-", value).strip("-") or "entry"


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


def compact_identifier(value: str) -> str:
    """A 文号 or 索引号 with the spaces copied from print or a CMS removed."""
    return SPACES_RE.sub("", value.strip())


# The 索引号 formats seen in the wild (DOMAIN.md §1.6): name -> (pattern, example).
# A site picks one with ``index_no.format`` or writes its own ``index_no.pattern``;
# every pattern has the named groups ``prefix`` and ``year`` (prefix may be empty).
INDEX_NO_FORMATS: dict[str, tuple[str, str]] = {
    # 1. 实施指引: 9-char 组织机构代码 / YYYY-5-digit serial
    "national": (r"^(?P<prefix>[0-9A-Z]{9})/(?P<year>\d{4})-(?P<serial>\d{5})$", "000014349/2018-00222"),
    # 2. 18-char 统一社会信用代码 as prefix, 5- to 7-digit serial (阳江, 高青)
    "credit": (r"^(?P<prefix>[0-9A-Z]{18})/(?P<year>\d{4})-(?P<serial>\d{5,7})$", "11370322004222241N/2021-5135380"),
    # 3. 组织机构代码 with its hyphen kept
    "hyphen_code": (r"^(?P<prefix>[0-9A-Z]{7,8}-[0-9A-Z])/(?P<year>\d{4})-(?P<serial>\d{5})$", "0142768-8/2022-00185"),
    # 4. year-month after the slash (宁国)
    "year_month": (
        r"^(?P<prefix>[0-9A-Z]{18})/(?P<year>\d{4})(?P<month>\d{2})-(?P<serial>\d{5})$",
        "113417020032563511/202504-00057",
    ),
    # 5. hyphen instead of the slash (怒江)
    "hyphen": (r"^(?P<prefix>[0-9A-Z]{9})-(?P<year>\d{4})-(?P<serial>\d{5,6})$", "01527918X-2020-153077"),
    # 6a. 宁波: 地区-部门-类别-分组-YYYYMMDD-序号
    "ningbo": (
        r"^(?P<prefix>\d{6}-[0-9A-Z]{1,9}-[0-9A-Z]{1,4}-[0-9A-Z]{1,4})-(?P<year>\d{4})\d{4}-(?P<serial>\d{1,6})$",
        "330201-001-02-03-20091019-0001",
    ),
    # 6b. 云南民政厅: 21 digits = 地区6 + 部门3 + 文件类别1 + 内设机构1 + 年4 + 流水6
    "yunnan": (r"^(?P<prefix>\d{11})(?P<year>\d{4})(?P<serial>\d{6})$", "530000001112020000123"),
    # 6c. 连云港/吴江: 地区部门码-类别号-年度号-流水号 (17 characters)
    "lianyungang": (r"^(?P<prefix>[0-9A-Z]{5}-\d{2})-(?P<year>\d{4})-(?P<serial>\d{3})$", "LYGZF-01-2008-001"),
    # 6d. 齐齐哈尔: YYYYMMDD-serial, no agency code in the number
    "date_serial": (r"^(?P<prefix>)(?P<year>\d{4})\d{4}-(?P<serial>\d{1,8})$", "20191202-189769"),
}


def normalise_index_no(value: str) -> str:
    """A search key for a 索引号: upper-case, separators dropped."""
    return re.sub(r"[\s/\-－—_]+", "", value).upper()
