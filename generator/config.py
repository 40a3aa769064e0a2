"""``site_config.yml`` → :class:`SiteConfig`.

The config file is the only file an editor configures; the MkDocs configuration
is derived from it. Every key is declared in :data:`CONFIG_KEYS` (name, default,
help), which the validator and the schema docs both use.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, diag
from generator.model import fields as F
from generator.model import vocab as V
from generator.model.calendar import WorkCalendar
from generator.model.identifiers import INDEX_NO_FORMATS
from generator.model.patterns import Pattern, PatternError, compile_pattern
from generator.source.files import CONFIG_FILE, read_bounded
from generator.source.frontmatter import MAX_FILE_BYTES, SourceFile, YamlDate, parse_date, parse_yaml_file

# Characters a display value (site name, footer, agency name) may not contain.
_MARKUP = re.compile("[<>\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_URL = re.compile(r"^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~!$&()*+,;=:@%/\-]*)?\Z")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}\Z")

# --- working-day calendar and statutory deadlines (generator/model/calendar.py) ---
CALENDAR_KEYS: dict[str, tuple[bool, str]] = {
    "calendar": (False, "工作日历：在国务院节假日安排（chinesecalendar）之外补充本地的放假日和调休上班日"),
    "calendar.days_off": (False, "本地放假日列表（YYYY-MM-DD），这些日子不计为工作日"),
    "calendar.workdays": (False, "本地调休上班日列表（YYYY-MM-DD），这些日子计为工作日"),
    "calendar.years": (
        False,
        "由本站完整给出节假日安排的年份列表（已安装的 chinesecalendar 尚未收录时使用）："
        "这些年份周一至周五为工作日，再按 days_off 与 workdays 调整",
    ),
    "deadlines": (False, "法定时限检查设置"),
    "deadlines.expiry_window": (False, "行政规范性文件有效期届满前多少天开始提醒清理，默认 90"),
    "deadlines.validity_years": (
        False,
        "未填 expires 的行政规范性文件按多少年有效期检查，默认 5；0 表示只按 expires 检查（各地规定不同）",
    ),
    "deadlines.provisional_years": (
        False,
        "标题含“暂行”“试行”的行政规范性文件的有效期年数，默认 2；0 表示只按 expires 检查",
    ),
    "deadlines.annual_report_since": (
        False,
        "从哪一年的年度报告起检查是否缺报（例如本站上线后的第一年）；默认为各机构在目录中第一份年报的年度",
    ),
    "deadlines.annual_report_due": (
        False,
        "各机构年度报告的公开期限 {机构 id: MM-DD}；未列出的机构为 01-31（条例第四十九条：政府部门 1 月 31 日前，"
        "本级政府年度报告 3 月 31 日前）；列出的机构即使尚无年报也要检查",
    ),
}


@dataclass(frozen=True)
class DeadlineSettings:
    """``calendar:`` and ``deadlines:`` in site_config.yml."""

    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    expiry_window: int = 90
    annual_report_due: dict[str, tuple[int, int]] = field(default_factory=dict)
    validity_years: int = 5
    provisional_years: int = 2
    annual_report_since: int | None = None


_MONTH_DAY = re.compile(r"^([0-9]{2})-([0-9]{2})\Z")


class _DeadlineSection:
    """Reads the ``calendar:`` and ``deadlines:`` sections; every bad value is a positioned E702."""

    def __init__(self, builder: _Builder) -> None:
        self.b = builder

    def read(self) -> DeadlineSettings:
        cal = self.b.section("calendar")
        dl = self.b.section("deadlines")
        for name, section in (("calendar", cal), ("deadlines", dl)):
            for key in section:
                if f"{name}.{key}" not in CONFIG_KEYS:
                    keys = "、".join(k.split(".")[1] for k in CALENDAR_KEYS if k.startswith(name + "."))
                    self.b.error(
                        (name, key),
                        "未知配置项",
                        "unknown setting",
                        f"可用：{keys}",
                        f"known: {keys.replace('、', ', ')}",
                    )
        calendar = WorkCalendar.of(
            self._dates(cal, "days_off"), self._dates(cal, "workdays"), self._years(cal.get("years"))
        )
        window = self._number(dl, "expiry_window", 90, 3650, "天数")
        since = dl.get("annual_report_since")
        if since is not None and (not isinstance(since, int) or isinstance(since, bool) or not 1900 <= since <= 2200):
            self.b.error(
                ("deadlines", "annual_report_since"),
                f"{since!s} 不是有效年份",
                f"{since!s} is not a valid year",
                "例如 annual_report_since: 2024",
                "e.g. annual_report_since: 2024",
            )
            since = None
        return DeadlineSettings(
            calendar,
            window,
            self._due(dl.get("annual_report_due")),
            self._number(dl, "validity_years", 5, 100, "年数"),
            self._number(dl, "provisional_years", 2, 100, "年数"),
            since,
        )

    def _number(self, section: dict[str, Any], key: str, default: int, top: int, unit: str) -> int:
        value = section.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= top:
            self.b.error(
                ("deadlines", key),
                f"应为 0 到 {top} 的整数（{unit}）",
                f"must be a whole number from 0 to {top}",
                f"例如 {key}: {default}",
                f"e.g. {key}: {default}",
            )
            return default
        return value

    def _dates(self, section: dict[str, Any], key: str) -> list[dt.date]:
        value = section.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.b.error(
                ("calendar", key),
                "应为日期列表",
                "must be a list of dates",
                f"例如 {key}: [2025-03-03, 2025-03-04]",
                f"e.g. {key}: [2025-03-03, 2025-03-04]",
            )
            return []
        out = []
        for i, item in enumerate(value):
            day = parse_date(item)
            if day is not None:
                out.append(day)
            else:
                text = item.text if isinstance(item, YamlDate) else str(item)
                self.b.error(
                    ("calendar", key, i),
                    f"{text} 不是有效日期",
                    f"{text} is not a valid date",
                    "日期格式为 YYYY-MM-DD，例如 2025-03-03",
                    "dates are YYYY-MM-DD, e.g. 2025-03-03",
                )
        return out

    def _years(self, value: Any) -> list[int]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.b.error(
                ("calendar", "years"),
                "应为年份列表",
                "must be a list of years",
                "例如 years: [2027]",
                "e.g. years: [2027]",
            )
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, int) and not isinstance(item, bool) and 1900 <= item <= 2200:
                out.append(item)
            else:
                self.b.error(
                    ("calendar", "years", i),
                    f"{item!s} 不是有效年份",
                    f"{item!s} is not a valid year",
                    "例如 2027",
                    "e.g. 2027",
                )
        return out

    def _due(self, value: Any) -> dict[str, tuple[int, int]]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.b.error(
                ("deadlines", "annual_report_due"),
                "应为 {机构 id: MM-DD} 映射",
                "must be an {agency id: MM-DD} mapping",
                "例如 szfb: 03-31",
                "e.g. szfb: 03-31",
            )
            return {}
        out: dict[str, tuple[int, int]] = {}
        for agency, due in value.items():
            path: tuple[str | int, ...] = ("deadlines", "annual_report_due", str(agency))
            match = _MONTH_DAY.match(str(due)) if isinstance(due, str) else None
            try:
                parsed = dt.date(2024, int(match.group(1)), int(match.group(2))) if match else None
            except ValueError:
                parsed = None
            if parsed is None:
                self.b.error(
                    path,
                    f"{due!s} 不是有效的月-日",
                    f"{due!s} is not a valid month-day",
                    '写成 "MM-DD"，例如 03-31',
                    'write "MM-DD", e.g. 03-31',
                )
            elif str(agency) not in {a.id for a in self.b.agencies}:
                self.b.error(
                    path,
                    f"未知机构 {agency}",
                    f"unknown agency {agency}",
                    "填写 agencies 中的机构 id",
                    "use an agency id from agencies",
                )
            else:
                out[str(agency)] = (parsed.month, parsed.day)
        return out


YEAR_RULES = ("published_date", "written_date", "none")
DEFAULT_INDEX_PATTERN = r"^(?P<prefix>[0-9A-Z]{9}|[0-9A-Z]{18})/(?P<year>\d{4})-(?P<serial>\d{5})$"

# dotted key -> (required, help). Lists of mappings are documented as key[].sub.
CONFIG_KEYS: dict[str, tuple[bool, str]] = {
    "site": (True, "站点基本信息"),
    "site.name": (True, "站点名称，显示在页眉和浏览器标题中"),
    "site.short_name": (False, "站点简称"),
    "site.url": (True, "站点正式网址（以 / 结尾），用于 sitemap、订阅和规范链接"),
    "site.language": (False, "站点语言，默认 zh"),
    "site.description": (False, "站点描述（meta description）"),
    "footer": (False, "页脚信息"),
    "footer.sponsor": (False, "主办单位"),
    "footer.contact": (False, "联系方式"),
    "footer.address": (False, "地址"),
    "footer.site_id_code": (False, "政府网站标识码（10 位数字）"),
    "footer.icp": (False, "ICP 备案号"),
    "footer.police": (False, "公安机关备案号"),
    "index_no": (False, "索引号规则"),
    "index_no.pattern": (False, "索引号正则表达式，须含命名组 prefix 与 year"),
    "index_no.format": (
        False,
        "内置索引号格式名（national credit hyphen_code year_month hyphen ningbo yunnan lianyungang date_serial），"
        "与 pattern 二选一",
    ),
    "index_no.example": (False, "索引号示例，用于错误提示"),
    "index_no.year_follows": (
        False,
        "索引号中的年份取自哪个日期：published_date（公开日期，默认）、written_date（成文日期）或 none（不检查）",
    ),
    "agencies": (True, "机构名录（列表）"),
    "agencies[].id": (True, "机构 id：小写字母、数字和连字符，用于 publisher 等字段和网址"),
    "agencies[].name": (True, "机构全称"),
    "agencies[].code": (False, "索引号前段码（组织机构代码或统一社会信用代码）；省略时不检查索引号前段码"),
    "agencies[].short_name": (False, "机构简称"),
    "vocabularies": (False, "词表覆盖；省略的词表使用内置默认值"),
    "vocabularies.topics": (False, "主题分类树：[{name, slug, aliases, children: [{name, slug, aliases}]}]"),
    "vocabularies.topics_extend": (
        False,
        "在主题分类树上增加本地分类：[{name, slug, aliases, children, alone}]；name 为已有一级分类时补充其别名与二级分类，"
        "alone: true 允许只写一级分类",
    ),
    "vocabularies.genres": (False, "体裁（文种）列表"),
    "vocabularies.info_types": (False, "信息类别：[{name, slug, aliases}]；slug 用于网址"),
    "vocabularies.validity": (False, "效力状况列表"),
    "vocabularies.transitions": (False, "效力状况允许的变化：{状态: [后续状态…]}"),
    "vocabularies.disclosure": (False, "公开方式列表"),
    "vocabularies.forms": (False, "解读形式列表"),
    "vocabularies.scopes": (False, "公开范围列表"),
    "vocabularies.periods": (False, "公开时限列表"),
    "vocabularies.channels": (False, "公开形式列表"),
    "listing": (False, "列表页设置"),
    "listing.page_size": (False, "每页条数，默认 50"),
    "listing.home_items": (False, "首页“最新公开”条数，默认 10"),
    **CALENDAR_KEYS,
}


# vocabularies.<key> -> the field it checks, from the field registry (model/fields.py ``vocab``)
_VOCAB_KEYS = {vocab: name for name, vocab in F.vocab_fields().items()}


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    code: str
    short_name: str = ""


@dataclass(frozen=True)
class SiteConfig:
    name: str = "政府信息公开"
    short_name: str = ""
    url: str = "https://example.gov.cn/"
    language: str = "zh"
    description: str = ""
    footer: dict[str, str] = field(default_factory=dict)
    index_pattern: Pattern = field(default_factory=lambda: compile_pattern(DEFAULT_INDEX_PATTERN))
    index_example: str = "012500002/2024-00001"
    index_year_follows: str = "published_date"  # written_date | published_date | none
    agencies: tuple[Agency, ...] = ()
    vocab: V.Vocabularies = field(default_factory=V.Vocabularies.defaults)
    page_size: int = 50
    home_items: int = 10
    deadlines: DeadlineSettings = field(default_factory=DeadlineSettings)

    def agency(self, agency_id: str) -> Agency | None:
        return self._agencies_by_id.get(agency_id)

    @cached_property
    def _agencies_by_id(self) -> dict[str, Agency]:
        return {a.id: a for a in reversed(self.agencies)}  # the first of a repeated id wins

    def agency_name(self, agency_id: str) -> str:
        a = self.agency(agency_id)
        return a.name if a else agency_id


def load_config(root: Path) -> tuple[SiteConfig, list[Diagnostic]]:
    path = root / CONFIG_FILE
    if not path.is_file():
        return SiteConfig(), [diag(CONFIG_FILE, None, "E701", file=CONFIG_FILE)]
    try:
        raw = read_bounded(path, MAX_FILE_BYTES)
    except OSError as exc:
        return SiteConfig(), [diag(CONFIG_FILE, None, "E016", reason=str(exc), reason_en=str(exc))]
    src = parse_yaml_file(CONFIG_FILE, raw)
    if src.data is None:
        return SiteConfig(), src.diagnostics
    return _Builder(src).build()


class _Builder:
    def __init__(self, src: SourceFile) -> None:
        self.src = src
        self.diags: list[Diagnostic] = list(src.diagnostics)
        self.agencies: tuple[Agency, ...] = ()

    def error(
        self, path: tuple[str | int, ...], problem: str, problem_en: str, hint: str = "", hint_en: str = ""
    ) -> None:
        key = ".".join(str(p) for p in path)
        self.diags.append(
            diag(
                self.src.path,
                self.src.pos(path),
                "E702",
                key=key,
                problem=problem,
                problem_en=problem_en,
                hint=hint,
                hint_en=hint_en,
            )
        )

    def section(self, key: str) -> dict[str, Any]:
        assert self.src.data is not None
        value = self.src.data.get(key, {})
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error((key,), "应为映射", "must be a mapping")
            return {}
        return value

    def text(self, section: dict[str, Any], path: tuple[str, ...], required: bool = False) -> str:
        value = section.get(path[-1])
        if value is None:
            if required:
                self.error(
                    path,
                    "必须填写",
                    "is required",
                    f"在 {path[0]} 下加入 {path[-1]}: …",
                    f"add {path[-1]}: … under {path[0]}",
                )
            return ""
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            self.error(path, "应为文字", "must be text")
            return ""
        text = str(value)
        if path[0] in ("site", "footer") and _MARKUP.search(text):
            # Shown on every page (header, footer, <title>): no markup, no invisible characters.
            self.error(
                path,
                "不能包含 < > 或控制字符",
                "must not contain < > or control characters",
                "这里只写纯文字",
                "plain text only",
            )
            return ""
        return text

    def build(self) -> tuple[SiteConfig, list[Diagnostic]]:
        data = self.src.data or {}
        known_top = {k for k in CONFIG_KEYS if "." not in k and "[" not in k}
        for key in data:
            if key not in known_top:
                self.diags.append(
                    diag(
                        self.src.path,
                        self.src.key_pos((key,)),
                        "E702",
                        key=key,
                        problem="未知配置项",
                        problem_en="unknown setting",
                        hint=f"可用的配置项：{'、'.join(sorted(known_top))}",
                        hint_en=f"known settings: {', '.join(sorted(known_top))}",
                    )
                )
        site = self.section("site")
        footer_raw = self.section("footer")
        footer = {k: self.text(footer_raw, ("footer", k)) for k in footer_raw}
        for k in footer_raw:
            if f"footer.{k}" not in CONFIG_KEYS:
                self.error(("footer", k), "未知配置项", "unknown setting")
        index = self.section("index_no")
        pattern = self._pattern(index)
        listing = self.section("listing")
        self.agencies = self._agencies()
        cfg = SiteConfig(
            name=self.text(site, ("site", "name"), required=True) or "政府信息公开",
            short_name=self.text(site, ("site", "short_name")),
            url=self._url(site),
            language=self.text(site, ("site", "language")) or "zh",
            description=self.text(site, ("site", "description")),
            footer={k: v for k, v in footer.items() if v},
            index_pattern=pattern,
            index_example=self._example(index),
            index_year_follows=self._year_follows(index),
            agencies=self.agencies,
            vocab=self._vocab(),
            page_size=self._int(listing, ("listing", "page_size"), 50),
            home_items=self._int(listing, ("listing", "home_items"), 10),
            deadlines=_DeadlineSection(self).read(),
        )
        return cfg, self.diags

    def _url(self, site: dict[str, Any]) -> str:
        url = self.text(site, ("site", "url"), required=True) or "https://example.gov.cn/"
        if not _URL.match(url):
            self.error(
                ("site", "url"),
                "应为 http:// 或 https:// 开头的网址",
                "must be a URL starting with http:// or https://",
                "网址中不能有空格、引号、尖括号或反斜杠",
                "no spaces, quotes, angle brackets or backslashes in the URL",
            )
            return "https://example.gov.cn/"
        return url if url.endswith("/") else url + "/"

    def _int(self, section: dict[str, Any], path: tuple[str, ...], default: int) -> int:
        value = section.get(path[-1], default)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10_000:
            self.error(path, "应为 1 到 10000 的整数", "must be a whole number from 1 to 10000")
            return default
        return value

    def _example(self, index: dict[str, Any]) -> str:
        example = self.text(index, ("index_no", "example"))
        preset = INDEX_NO_FORMATS.get(str(index.get("format") or ""))
        return example or (preset[1] if preset else "012500002/2024-00001")

    def _year_follows(self, index: dict[str, Any]) -> str:
        value = self.text(index, ("index_no", "year_follows")) or "published_date"
        if value not in YEAR_RULES:
            self.error(
                ("index_no", "year_follows"),
                f"应为 {'、'.join(YEAR_RULES)} 之一",
                f"must be one of {', '.join(YEAR_RULES)}",
                "written_date：年份取成文日期；published_date：取公开日期；none：不检查年份",
                "written_date: the year of the written date; published_date: of the published date; none: not checked",
            )
            return "published_date"
        return value

    def _pattern(self, index: dict[str, Any]) -> Pattern:
        for key in index:
            if f"index_no.{key}" not in CONFIG_KEYS:
                self.error(
                    ("index_no", key),
                    "未知配置项",
                    "unknown setting",
                    "可用：pattern、format、example、year_follows",
                    "known: pattern, format, example, year_follows",
                )
        preset = self.text(index, ("index_no", "format"))
        if preset and preset not in INDEX_NO_FORMATS:
            self.error(
                ("index_no", "format"),
                f"未知格式 {preset}",
                f"unknown format {preset}",
                f"可用：{' '.join(INDEX_NO_FORMATS)}",
                f"known: {' '.join(INDEX_NO_FORMATS)}",
            )
        elif preset and "pattern" in index:
            self.error(
                ("index_no", "format"), "format 与 pattern 只能写一个", "format and pattern cannot both be given"
            )
        elif preset:
            return compile_pattern(INDEX_NO_FORMATS[preset][0])
        text = self.text(index, ("index_no", "pattern")) or DEFAULT_INDEX_PATTERN
        try:
            pattern = compile_pattern(text)  # linear time, ASCII classes: see model/patterns.py
        except PatternError as exc:
            self.error(
                ("index_no", "pattern"),
                f"正则表达式无效或无法在有限时间内匹配（{exc}）",
                f"invalid, or cannot be matched in linear time ({exc})",
            )
            return compile_pattern(DEFAULT_INDEX_PATTERN)
        if not {"prefix", "year"} <= set(pattern.groupindex):
            self.error(
                ("index_no", "pattern"),
                "必须包含命名组 (?P<prefix>…) 与 (?P<year>…)",
                "must contain the named groups (?P<prefix>…) and (?P<year>…)",
            )
            return compile_pattern(DEFAULT_INDEX_PATTERN)
        return pattern

    def _agencies(self) -> tuple[Agency, ...]:
        data = self.src.data or {}
        raw = data.get("agencies")
        if not isinstance(raw, list) or not raw:
            self.error(
                ("agencies",),
                "应为非空列表",
                "must be a non-empty list",
                "每项写 - {id: …, name: …, code: …}",
                "one item per agency: - {id: …, name: …, code: …}",
            )
            return ()
        out: list[Agency] = []
        seen: set[str] = set()
        for i, item in enumerate(raw):
            path: tuple[str | int, ...] = ("agencies", i)
            if not isinstance(item, dict):
                self.error(path, "应为 {id, name, code} 映射", "must be an {id, name, code} mapping")
                continue
            for key in item:
                if f"agencies[].{key}" not in CONFIG_KEYS:
                    self.error(
                        (*path, key),
                        "未知配置项",
                        "unknown setting",
                        "可用：id、name、code、short_name",
                        "known: id, name, code, short_name",
                    )
            values = {k: item.get(k) for k in ("id", "name", "code", "short_name")}
            for k in ("name", "short_name"):
                shown = values[k]
                if isinstance(shown, str) and _MARKUP.search(shown):
                    self.error(
                        (*path, k),
                        "不能包含 < > 或控制字符",
                        "must not contain < > or control characters",
                        "这里只写机构名称",
                        "the agency name only",
                    )
            for k in ("id", "name"):
                if not isinstance(values[k], (str, int)) or isinstance(values[k], bool) or values[k] == "":
                    self.error((*path, k), "必须填写文字", "is required (text)")
            code = values["code"]
            if code is not None and (not isinstance(code, (str, int)) or isinstance(code, bool) or code == ""):
                self.error(
                    (*path, "code"),
                    "应为文字；没有前段码的机构省略 code",
                    "must be text; omit code for an agency without an index number prefix",
                )
            agency_id = str(values["id"] or "")
            if agency_id and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", agency_id):
                self.error(
                    (*path, "id"), "只能使用小写字母、数字和连字符", "only lower-case letters, digits and hyphens"
                )
            if agency_id in seen:
                self.error((*path, "id"), f"机构 id {agency_id} 重复", f"agency id {agency_id} is used twice")
            seen.add(agency_id)
            out.append(
                Agency(agency_id, str(values["name"] or ""), str(values["code"] or ""), str(values["short_name"] or ""))
            )
        return tuple(out)

    def _vocab(self) -> V.Vocabularies:
        raw = self.section("vocabularies")
        base = V.Vocabularies.defaults()
        changes: dict[str, Any] = {}
        for key, value in raw.items():
            path = ("vocabularies", key)
            if f"vocabularies.{key}" not in CONFIG_KEYS:
                self.error(path, "未知词表", "unknown vocabulary")
                continue
            if key == "topics":
                changes["topics"] = self._topic_tree(value, path) or base.topics
            elif key == "topics_extend":
                continue  # applied below, on top of the (possibly replaced) tree
            elif key == "transitions":
                if isinstance(value, dict) and all(isinstance(v, list) for v in value.values()):
                    changes["transitions"] = {str(k): tuple(str(x) for x in v) for k, v in value.items()}
                else:
                    self.error(path, "应为 {状态: [后续状态…]} 映射", "must be a {status: [next statuses…]} mapping")
            else:
                terms = self._terms(value, path, need_slug=key == "info_types")
                if terms:
                    changes[key] = V.Vocabulary(_VOCAB_KEYS[key], terms)
        if "topics_extend" in raw:
            tree = changes.get("topics", base.topics)
            changes["topics"] = self._topic_extension(raw["topics_extend"], ("vocabularies", "topics_extend"), tree)
        if not changes:
            return base
        merged = {f: getattr(base, f) for f in base.__dataclass_fields__}
        merged.update(changes)
        return V.Vocabularies(**merged)

    def _terms(
        self,
        value: Any,
        path: tuple[str | int, ...],
        need_slug: bool = False,
        start: int = 0,
        slug_offset: int = 0,
    ) -> tuple[V.Term, ...]:
        """Terms written as ``名称`` or ``{name, slug, aliases}``; aliases keep renamed values valid.
        ``start`` is the list position of ``value[0]`` (for positions), ``slug_offset`` shifts the
        default slugs past the terms already in a list being extended."""
        if not isinstance(value, list) or not value:
            self.error(
                path,
                "应为非空列表",
                "must be a non-empty list",
                "每项写 名称，或 {name: 名称, slug: 英文标识, aliases: [旧名称]}",
                "each item: a name, or {name: …, slug: …, aliases: [former names]}",
            )
            return ()
        terms: list[V.Term] = []
        for i, item in enumerate(value, start=start + 1):
            default_slug = f"{i + slug_offset:02d}"
            if isinstance(item, str) and not need_slug:
                terms.append(V.Term(item, default_slug))
                continue
            aliases = item.get("aliases", []) if isinstance(item, dict) else None
            slug = item.get("slug", default_slug if not need_slug else None) if isinstance(item, dict) else None
            if not (
                isinstance(item, dict)
                and isinstance(item.get("name"), str)
                and isinstance(slug, str)
                and isinstance(aliases, list)
                and all(isinstance(a, str) for a in aliases)
            ):
                self.error(
                    (*path, i - 1),
                    "每项应为 名称，或 {name: 名称, slug: 英文标识, aliases: [旧名称]}",
                    "each item must be a name, or {name: …, slug: …, aliases: [former names]}",
                )
                continue
            if not _SLUG.match(slug):
                self.error(
                    (*path, i - 1, "slug"),
                    "只能使用小写字母、数字、连字符和下划线",
                    "only lower-case letters, digits, hyphens and underscores",
                    "slug 用于网址，例如 guifanxing",
                    "the slug is used in URLs, e.g. guifanxing",
                )
                continue
            terms.append(V.Term(item["name"], slug, tuple(aliases)))
        return tuple(terms)

    def _topic_items(
        self, value: Any, path: tuple[str | int, ...], tree: V.TopicTree | None = None
    ) -> list[tuple[V.Term, tuple[V.Term, ...], bool]]:
        """Each valid class with its own children, item by item: an invalid item is reported and
        skipped without shifting the children of the others. With ``tree``, an item naming an
        existing class needs no slug."""
        if not isinstance(value, list) or not value:
            self.error(
                path,
                "应为非空列表",
                "must be a non-empty list",
                "每项写 {name: 名称, slug: 英文标识, aliases: [旧名称], children: […]}",
                "each item: {name: …, slug: …, aliases: [former names], children: […]}",
            )
            return []
        out: list[tuple[V.Term, tuple[V.Term, ...], bool]] = []
        for i, item in enumerate(value):
            here = (*path, i)
            existing = None
            if tree is not None and isinstance(item, dict) and isinstance(item.get("name"), str):
                existing = next((t for t in tree.top if item["name"] in (t.name, *t.aliases)), None)
            if existing is not None and isinstance(item, dict) and "slug" not in item:
                item = {**item, "slug": existing.slug}
            terms = self._terms([item], here[:-1], need_slug=True, start=i)
            if not terms:
                continue
            kids_raw = item.get("children") if isinstance(item, dict) else None
            alone = item.get("alone", False) if isinstance(item, dict) else False
            if not isinstance(alone, bool):
                self.error((*here, "alone"), "应为 true 或 false", "must be true or false")
                alone = False
            if isinstance(item, dict):
                for key in item:
                    if key not in ("name", "slug", "aliases", "children", "alone"):
                        self.error(
                            (*here, key),
                            "未知配置项",
                            "unknown setting",
                            "可用：name、slug、aliases、children、alone",
                            "known: name, slug, aliases, children, alone",
                        )
            offset = len(tree.children.get(existing.name, ())) if tree is not None and existing is not None else 0
            kids = self._terms(kids_raw, (*here, "children"), slug_offset=offset) if kids_raw else ()
            out.append((terms[0], kids, alone))
        return out

    def _topic_tree(self, value: Any, path: tuple[str | int, ...]) -> V.TopicTree | None:
        items = self._topic_items(value, path)
        if not items:
            return None
        return V.TopicTree(
            tuple(t for t, _, _ in items),
            {t.name: kids for t, kids, _ in items},
            frozenset(t.name for t, _, alone in items if alone),
        )

    def _topic_extension(self, value: Any, path: tuple[str | int, ...], tree: V.TopicTree) -> V.TopicTree:
        return tree.extended(self._topic_items(value, path, tree))
