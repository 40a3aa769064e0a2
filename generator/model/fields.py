"""The front-matter schema, as data.

One table drives the checks (required fields, types, unknown keys), the
``gongkai new`` templates, the canonical key order of ``gongkai fmt`` and the
schema reference in ``docs/schema.md`` (a test keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # Chinese label, as shown on the site
    type: str  # see TYPE_NAMES
    required: str  # "yes" | "no" | "cond"
    help: str  # Chinese help line (used in templates and docs)
    example: str = ""  # YAML value for `gongkai new`; "" = leave out, commented
    subfields: tuple[str, ...] = ()


# type -> (Chinese description, English description)
TYPE_NAMES: dict[str, tuple[str, str]] = {
    "text": ("文字", "text"),
    "date": ("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
    "bool": ("true 或 false", "true or false"),
    "text_list": ("文字列表", "a list of text"),
    "agency": ("机构 id", "an agency id"),
    "agency_list": ("机构 id 列表", "a list of agency ids"),
    "vocab": ("词表中的值", "a vocabulary value"),
    "vocab_list": ("词表值列表", "a list of vocabulary values"),
    "topics": ("主题分类列表", "a list of topics"),
    "index_no": ("索引号", "an index number"),
    "index_no_list": ("索引号列表", "a list of index numbers"),
    "doc_number": ("文号", "a document number"),
    "events": ("记录列表", "a list of records"),
    "attachments": ("附件列表", "a list of attachments"),
    "relations": ("关系映射", "a mapping of relations"),
    "media": ("媒体映射", "a media mapping"),
    "int": ("整数", "an integer"),
    "acks": ("登记列表", "a list of acknowledgements"),
    "mapping": ("映射", "a mapping"),
    "external_refs": ("站外文件列表", "a list of documents published elsewhere"),
    "origin": ("导入来源映射", "an import origin mapping"),
}

PRIVACY_ACK = Field(
    "privacy_ack",
    "隐私核对",
    "acks",
    "no",
    "经核对可以公开的号码（如公开的服务热线），每项 {value: 号码, reason: 理由}；隐私检查不再报告这些号码",
    subfields=("value", "reason"),
)

ORIGIN = Field(
    "origin",
    "导入来源",
    "origin",
    "no",
    "gongkai import 写入的来源：{id: CMS 记录 id, url: 原网址}；重新导入时据此识别同一条记录，不在网页上显示",
    subfields=("id", "url"),
)

COMMON_TAIL = (
    ORIGIN,
    PRIVACY_ACK,
    Field("draft", "草稿", "bool", "no", "true 表示草稿：不发布到网站的任何位置", "false"),
    Field("embargo_until", "公开时间", "date", "no", "在此日期之前不发布（构建日期早于此日期时完全不出现）"),
    Field(
        "history", "变更记录", "events", "no", "变更说明列表，每项 {date: 日期, note: 说明}", subfields=("date", "note")
    ),
)

ENTRY_FIELDS: tuple[Field, ...] = (
    Field("index_no", "索引号", "index_no", "yes", "索引号：机构代码/年份-五位序号，唯一且永不更改", "{index_no}"),
    Field("title", "名称", "text", "yes", "信息名称：完整正式标题，不用简称", "请在此填写信息名称"),
    Field("publisher", "发布机构", "agency", "yes", "发布机构：site_config.yml 中的机构 id", "{agency}"),
    Field("issuers", "发文机关", "agency_list", "no", "发文机关：机构 id 列表，主办机关在前", "[{agency}]"),
    Field(
        "doc_number",
        "文号",
        "doc_number",
        "cond",
        "文号：规章、行政规范性文件必填，如 澜政办发〔2024〕12号；规章用令号",
    ),
    Field("registration_no", "登记号", "text", "no", "规范性文件登记号（三统一）"),
    Field("written_date", "生成日期", "date", "yes", "成文日期（生成日期），不晚于公开日期", "{date}"),
    Field("published_date", "公开日期", "date", "yes", "公开日期：在本站发布的日期", "{date}"),
    Field("effective_date", "施行日期", "date", "no", "施行日期"),
    Field("expires", "有效期至", "date", "no", "有效期至（规范性文件）"),
    Field(
        "genre",
        "体裁",
        "vocab",
        "no",
        "体裁（文种）：决议 决定 命令 公报 公告 通告 意见 通知 通报 报告 请示 批复 议案 函 纪要 其他",
        "通知",
    ),
    Field(
        "info_type",
        "信息类别",
        "vocab",
        "no",
        "信息类别（组配分类）：规章 行政规范性文件 其他文件 规划计划 统计信息 …（见 docs/schema.md）；"
        "决定条目列在哪个栏目，来源没有时省略（不列入任何栏目）",
        "其他文件",
    ),
    Field(
        "topics",
        "主题分类",
        "topics",
        "yes",
        '主题分类："一级\\\\二级" 列表，取自主题分类表',
        '["综合政务\\\\政务公开"]',
    ),
    Field("keywords", "关键词", "text_list", "no", "关键词列表", "[]"),
    Field("abstract", "内容概述", "text", "no", "内容概述：一两句话，不重复其他字段"),
    Field(
        "validity", "效力状况", "vocab", "cond", "效力状况：尚未生效 有效 已修改 失效 废止；规章、行政规范性文件必填"
    ),
    Field(
        "validity_history",
        "效力记录",
        "events",
        "cond",
        "效力记录：按时间排列的 {date, status, by, note}，最后一条与效力状况一致",
        subfields=("date", "status", "by", "note"),
    ),
    Field(
        "disclosure",
        "公开方式",
        "vocab",
        "yes",
        "公开方式：主动公开 或 依申请公开（依申请公开只发布目录信息，不发布正文）",
        "主动公开",
    ),
    Field("scope", "公开范围", "vocab", "no", "公开范围：面向社会 或 面向特定群体", "面向社会"),
    Field("period", "公开时限", "vocab", "no", "公开时限：长期公开 或 限时公开", "长期公开"),
    Field(
        "channel",
        "公开形式",
        "vocab_list",
        "no",
        "公开形式：网站 政府公报 新闻发布会 公示栏 政务新媒体 报刊广播电视",
        "[网站]",
    ),
    Field("procedure", "公开程序", "text", "no", "公开程序：由谁编制、经谁审核"),
    Field(
        "attachments",
        "附件",
        "attachments",
        "no",
        "附件列表，每项 {title: 名称, file: 相对 catalogue/ 的路径, sha256: 校验值}",
        subfields=("title", "file", "sha256"),
    ),
    Field(
        "relations",
        "关联文件",
        "relations",
        "no",
        "关系：amends（修改）、repeals（废止）、replaces（替代）各为索引号列表",
        subfields=("amends", "repeals", "replaces"),
    ),
    *COMMON_TAIL,
)

INTERPRETATION_FIELDS: tuple[Field, ...] = (
    Field("index_no", "索引号", "index_no", "yes", "解读本身的索引号：解读机构代码/年份-五位序号", "{index_no}"),
    Field("title", "标题", "text", "yes", "解读标题，如 《某某办法》政策解读", "请在此填写解读标题"),
    Field(
        "interprets",
        "原文件",
        "index_no_list",
        "cond",
        "所解读文件的索引号列表（必须存在于本站）；与 interprets_external 至少填写一项",
        "[{target}]",
    ),
    Field(
        "interprets_external",
        "原文件（站外）",
        "external_refs",
        "cond",
        "所解读的、未在本站发布的文件（如市政府解读国务院文件），每项 {title: 标题, doc_number: 文号, url: 网址}",
        subfields=("title", "doc_number", "url"),
    ),
    Field("form", "解读形式", "vocab", "yes", "解读形式：文字 图解 问答 新闻发布会 专家解读 音频 视频", "文字"),
    Field("interpreter_org", "解读机构", "agency", "yes", "解读机构：起草部门的机构 id（谁起草、谁解读）", "{agency}"),
    Field("interpreter", "解读人", "text", "no", "解读人姓名和职务"),
    Field("contact", "联系方式", "text", "no", "解读联系方式"),
    Field("published_date", "发布日期", "date", "yes", "发布日期：应与原文件同步，最迟 3 个工作日内", "{date}"),
    Field("topics", "主题分类", "topics", "no", "主题分类，省略时沿用原文件"),
    Field("keywords", "关键词", "text_list", "no", "关键词列表", "[]"),
    Field("abstract", "内容概述", "text", "no", "内容概述"),
    Field(
        "media",
        "媒体文件",
        "media",
        "no",
        "音频/视频解读的媒体文件 {file: 相对 content/ 的路径, title: 说明}",
        subfields=("file", "title"),
    ),
    *COMMON_TAIL,
)

PAGE_FIELDS: tuple[Field, ...] = (
    Field("title", "标题", "text", "yes", "页面标题", "请在此填写页面标题"),
    Field("nav_order", "导航顺序", "int", "no", "在导航中的顺序（整数，越小越靠前）；省略则不进导航"),
    Field("draft", "草稿", "bool", "no", "true 表示草稿：不发布", "false"),
    PRIVACY_ACK,
)

FIELDS_BY_KIND: dict[str, tuple[Field, ...]] = {
    "entry": ENTRY_FIELDS,
    "interpretation": INTERPRETATION_FIELDS,
    "page": PAGE_FIELDS,
}

# Sub-fields of structured values: name -> (required, type)
SUBFIELDS: dict[str, dict[str, tuple[bool, str]]] = {
    "validity_history": {
        "date": (True, "date"),
        "status": (True, "vocab"),
        "by": (False, "index_no"),
        "note": (False, "text"),
    },
    "history": {"date": (True, "date"), "note": (True, "text")},
    "attachments": {"title": (True, "text"), "file": (True, "text"), "sha256": (False, "text")},
    "relations": {
        "amends": (False, "index_no_list"),
        "repeals": (False, "index_no_list"),
        "replaces": (False, "index_no_list"),
    },
    "media": {"file": (True, "text"), "title": (False, "text")},
    "interprets_external": {"title": (True, "text"), "doc_number": (False, "doc_number"), "url": (False, "text")},
    "origin": {"id": (False, "text"), "url": (False, "text")},
    "privacy_ack": {"value": (True, "text"), "reason": (True, "text")},
}


def field_map(kind: str) -> dict[str, Field]:
    return {f.name: f for f in FIELDS_BY_KIND[kind]}
