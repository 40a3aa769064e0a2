"""Field declarations shared by several kinds: the reasons a field is not privacy-scanned,
the search fields and facets entries and interpretations both have, and the fields every
item ends with (origin, privacy_ack, draft, embargo_until, history)."""

from __future__ import annotations

from generator.model.field_types import Export, Facet, Field, Search

_ID = "an identifier, not free text: its digits are not personal"
_VOCAB = "a vocabulary value, not free text"
_AGENCY = "an agency id from site_config.yml, not free text"
_REFS = "索引号 references, not free text"

# Search fields and facets shared by entries and interpretations: declared once.
SEARCH_TITLE = Search("t", "标题", 10, order=1)
SEARCH_INDEX_NO = Search("i", "索引号", 20, order=3)
SEARCH_KEYWORDS = Search("k", "关键词", 5, order=4)
SEARCH_ABSTRACT = Search("a", "内容概述", 3, order=5)
FACET_AGENCY = Facet("agency", "发布机构", 10)
FACET_TOPIC = Facet("topic", "主题分类", 20)
FACET_YEAR = Facet("year", "年份", 30)

PRIVACY_ACK = Field(
    "privacy_ack",
    "隐私核对",
    "acks",
    "no",
    "经核对可以公开的号码（如公开的服务热线），每项 {value: 号码, reason: 理由}；隐私检查不再报告这些号码",
    subfields=("value", "reason"),
    label_en="privacy acknowledgements",
    published=False,
    privacy_exempt="the reviewed numbers themselves; checked as acknowledgements instead",
)

ORIGIN = Field(
    "origin",
    "导入来源",
    "origin",
    "no",
    "gongkai import 写入的来源：{id: CMS 记录 id, url: 原网址}；重新导入时据此识别同一条记录，不在网页上显示",
    subfields=("id", "url"),
    label_en="import origin",
    published=False,
)

COMMON_TAIL = (
    ORIGIN,
    PRIVACY_ACK,
    Field(
        "draft",
        "草稿",
        "bool",
        "no",
        "true 表示草稿：不发布到网站的任何位置",
        "false",
        label_en="draft",
        default=False,
        published=False,
    ),
    Field(
        "embargo_until",
        "公开时间",
        "date",
        "no",
        "在此日期之前不发布（构建日期早于此日期时完全不出现）",
        label_en="embargoed until",
        sample="2024-06-01",
        published=False,
    ),
    Field(
        "history",
        "变更记录",
        "events",
        "no",
        "变更说明列表，每项 {date: 日期, note: 说明}",
        subfields=("date", "note"),
        label_en="change history",
        sample="[{date: 2024-05-01, note: 更正联系电话}]",
        export=Export("array", "变更说明，每项含 date、note"),
    ),
)
