"""The site's configuration as data: :class:`SiteConfig`, :class:`Agency`, :class:`DeadlineSettings`.

``site_config.yml`` is the only file an editor configures; the MkDocs configuration is
derived from it. Every key is declared in :data:`CONFIG_KEYS` (name, required, help), which
the loader (:mod:`generator.model.config_load`) and the schema docs both use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from generator.model import vocab as V
from generator.model.calendar import WorkCalendar
from generator.model.patterns import Pattern, compile_pattern

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
