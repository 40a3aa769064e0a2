"""The front-matter schema, as data: the field registry.

Every front-matter field is declared once, here, and everything else is derived:

* the schema checks (required fields, types, unknown keys, vocabularies) —
  checks/schema.py reads :func:`field_map`;
* the model: a field without an attribute on :class:`~generator.model.entry.Entry`
  lives in ``Item.extra`` (model/entry.py), so a plain field needs no model change;
* the entry and interpretation pages' metadata table (:attr:`Field.meta`,
  site/pages.py ``meta_rows``);
* the export columns of catalogue.csv/.json, datapackage.json and the ``data/``
  page (:attr:`Field.export`, site/exports.py ``COLUMNS``);
* the privacy scan (checks/privacy.py): every string is scanned unless its field
  states why not (:attr:`Field.privacy_exempt`) — free text is scanned by default;
* the ``gongkai new`` templates (:attr:`Field.example` / :attr:`Field.sample`),
  the canonical key order of ``gongkai fmt``;
* docs/schema.md and docs/exports.md (tests/test_docs.py, tests/test_exports.py
  fail when they drift).

* the search index: its lunr fields (:attr:`Field.search`, generator/search/documents.py
  ``FIELDS``) and its facets (:attr:`Field.facet`, generator/search/facets.py), which the
  browser reads from ``search/facets.json`` (theme/assets/javascripts/search/engine.js).

No field has an invented default: a field absent from a file is absent from every
output (the project rule "never invent data"). :attr:`Field.default` names the
only defaults the schema itself defines (``draft: false``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Meta:
    """A row of the item page's metadata table (site/pages.py)."""

    order: int  # rows are sorted by it
    always: bool = False  # shown even when empty (the core 目录 fields); else only as entered
    wide: bool = False  # a full-width row after the two-column grid


@dataclass(frozen=True)
class Export:
    """A column of catalogue.csv / catalogue.json (site/exports.py): read on entry fields only
    (a field shared with interpretations, such as ``history``, exports the entries' values)."""

    type: str  # Frictionless type in catalogue.json: string, date, array
    description: str
    required: bool = False
    title: str = ""  # column title; "" = the field's label


@dataclass(frozen=True)
class Search:
    """A lunr field of the search index (generator/search/documents.py ``FIELDS``).

    A key shared by several kinds (索引号 of entries and interpretations) is declared
    the same way on each; the index lists its fields by ``order``, the body (正文, not a
    front-matter field) last."""

    key: str  # short lunr field name, repeated in every posting
    label: str
    boost: int
    order: int  # position in the index's field list
    mode: str = "full"  # tokenizer mode (generator/search/tokenizer.py)


@dataclass(frozen=True)
class Facet:
    """A filter of the search page: a column of ``search/facets.json`` (generator/search/facets.py).

    Its values come from the field's type: the agencies of site_config.yml, the top-level
    topics, the years of the published items, a vocabulary's values, or the distinct
    values entered (text). The browser reads the keys, labels and values from facets.json."""

    key: str  # facets.json key and URL parameter of the search page
    label: str  # heading on the search page
    order: int  # facets are listed by it
    others: str = ""  # the value of items whose kind has no field with this facet (appended to the values)


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # Chinese label, as shown on the site
    type: str  # see TYPE_NAMES
    required: str  # "yes" | "no" | "cond"
    help: str  # Chinese help line (used in templates and docs)
    example: str = ""  # YAML value for `gongkai new`; "" = leave out, commented
    subfields: tuple[str, ...] = ()
    label_en: str = ""  # English label (messages with --lang en)
    sample: str = ""  # the commented example of an optional field in `gongkai new` ("" = "…")
    default: object = None  # a default the schema itself defines; None = none (never invented)
    published: bool = True  # False: steers the build, never shown (draft, embargo_until, origin…)
    meta: Meta | None = None  # row in the page's metadata table
    export: Export | None = None  # column in the entry exports
    search: Search | None = None  # lunr field
    facet: Facet | None = None  # filter of the search page
    vocab: str = ""  # site_config.yml vocabularies.<vocab> the values come from
    privacy_exempt: str = ""  # why its strings are not privacy-scanned; "" = scanned (the default)


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

ENTRY_FIELDS: tuple[Field, ...] = (
    Field(
        "index_no",
        "索引号",
        "index_no",
        "yes",
        "索引号：机构代码/年份-五位序号，唯一且永不更改",
        "{index_no}",
        label_en="index number",
        meta=Meta(10, always=True),
        export=Export("string", "索引号，唯一且永不更改", required=True),
        search=SEARCH_INDEX_NO,
        privacy_exempt=_ID,
    ),
    Field(
        "title",
        "名称",
        "text",
        "yes",
        "信息名称：完整正式标题，不用简称",
        "请在此填写信息名称",
        label_en="title",
        export=Export("string", "信息名称", required=True),
        search=SEARCH_TITLE,
    ),
    Field(
        "publisher",
        "发布机构",
        "agency",
        "yes",
        "发布机构：site_config.yml 中的机构 id",
        "{agency}",
        label_en="publisher",
        meta=Meta(20, always=True),
        export=Export("string", "发布机构全称", required=True),
        facet=FACET_AGENCY,
        privacy_exempt=_AGENCY,
    ),
    Field(
        "issuers",
        "发文机关",
        "agency_list",
        "no",
        "发文机关：机构 id 列表，主办机关在前",
        "[{agency}]",
        label_en="issuing authorities",
        meta=Meta(25),
        export=Export("array", "发文机关全称，主办机关在前"),
        privacy_exempt=_AGENCY,
    ),
    Field(
        "doc_number",
        "文号",
        "doc_number",
        "cond",
        "文号：规章、行政规范性文件必填，如 澜政办发〔2024〕12号；规章用令号",
        label_en="document number",
        sample="澜政办发〔2024〕1号",
        meta=Meta(50, always=True),
        export=Export("string", "发文字号或令号"),
        search=Search("n", "文号", 20, order=2),
        privacy_exempt=_ID,
    ),
    Field(
        "registration_no",
        "登记号",
        "text",
        "no",
        "规范性文件登记号（三统一）",
        label_en="registration number",
        sample="LJGS-2024-001",
        meta=Meta(120),
        export=Export("string", "规范性文件登记号"),
        privacy_exempt=_ID,
    ),
    Field(
        "written_date",
        "生成日期",
        "date",
        "yes",
        "成文日期（生成日期），不晚于公开日期",
        "{date}",
        label_en="date written",
        meta=Meta(30, always=True),
        export=Export("date", "成文日期（生成日期）", required=True),
    ),
    Field(
        "published_date",
        "公开日期",
        "date",
        "yes",
        "公开日期：在本站发布的日期",
        "{date}",
        label_en="date published",
        meta=Meta(40, always=True),
        export=Export("date", "在本站公开的日期", required=True),
        facet=FACET_YEAR,
    ),
    Field(
        "effective_date",
        "施行日期",
        "date",
        "no",
        "施行日期",
        label_en="effective date",
        sample="2024-04-01",
        meta=Meta(130),
        export=Export("date", "施行日期"),
    ),
    Field(
        "expires",
        "有效期至",
        "date",
        "no",
        "有效期至（规范性文件）",
        label_en="expires",
        sample="2029-03-31",
        meta=Meta(140),
        export=Export("date", "有效期至（规范性文件）"),
    ),
    Field(
        "genre",
        "体裁",
        "vocab",
        "no",
        "体裁（文种）：决议 决定 命令 公报 公告 通告 意见 通知 通报 报告 请示 批复 议案 函 纪要 其他",
        "通知",
        label_en="genre",
        meta=Meta(70, always=True),
        export=Export("string", "体裁（文种）"),
        vocab="genres",
        privacy_exempt=_VOCAB,
    ),
    Field(
        "info_type",
        "信息类别",
        "vocab",
        "no",
        "信息类别（组配分类）：规章 行政规范性文件 其他文件 规划计划 统计信息 …（见 docs/schema.md）；"
        "决定条目列在哪个栏目，来源没有时省略（不列入任何栏目）",
        "其他文件",
        label_en="information type",
        meta=Meta(75),
        export=Export("string", "信息类别，如 规章、行政规范性文件、其他文件"),
        facet=Facet("type", "信息类别", 40, others="政策解读"),
        vocab="info_types",
        privacy_exempt=_VOCAB,
    ),
    Field(
        "topics",
        "主题分类",
        "topics",
        "yes",
        '主题分类："一级\\\\二级" 列表，取自主题分类表',
        '["综合政务\\\\政务公开"]',
        label_en="topics",
        meta=Meta(60, always=True),
        export=Export("array", "主题分类，每项为“一级\\二级”"),
        facet=FACET_TOPIC,
        privacy_exempt=_VOCAB,
    ),
    Field(
        "keywords",
        "关键词",
        "text_list",
        "no",
        "关键词列表",
        "[]",
        label_en="keywords",
        meta=Meta(200, always=True, wide=True),
        export=Export("array", "关键词"),
        search=SEARCH_KEYWORDS,
    ),
    Field(
        "abstract",
        "内容概述",
        "text",
        "no",
        "内容概述：一两句话，不重复其他字段",
        label_en="abstract",
        sample="一两句话说明主要内容",
        meta=Meta(210, always=True, wide=True),
        export=Export("string", "内容概述"),
        search=SEARCH_ABSTRACT,
    ),
    Field(
        "validity",
        "效力状况",
        "vocab",
        "cond",
        "效力状况：尚未生效 有效 已修改 失效 废止；规章、行政规范性文件必填",
        label_en="validity",
        sample="有效",
        meta=Meta(80, always=True),
        export=Export("string", "效力状况：尚未生效、有效、已修改、失效、废止"),
        facet=Facet("validity", "效力状况", 50),
        vocab="validity",
        privacy_exempt=_VOCAB,
    ),
    Field(
        "validity_history",
        "效力记录",
        "events",
        "cond",
        "效力记录：按时间排列的 {date, status, by, note}，最后一条与效力状况一致",
        subfields=("date", "status", "by", "note"),
        label_en="validity history",
        sample="[{date: 2024-04-01, status: 有效}]",
        export=Export("array", "效力状况变化记录，每项含 date、status（及 by、note）", title="效力状况记录"),
    ),
    Field(
        "disclosure",
        "公开方式",
        "vocab",
        "yes",
        "公开方式：主动公开 或 依申请公开（依申请公开只发布目录信息，不发布正文）",
        "主动公开",
        label_en="disclosure",
        meta=Meta(90, always=True),
        export=Export("string", "主动公开 或 依申请公开（依申请公开只公开目录信息）", required=True),
        vocab="disclosure",
        privacy_exempt=_VOCAB,
    ),
    Field(
        "scope",
        "公开范围",
        "vocab",
        "no",
        "公开范围：面向社会 或 面向特定群体",
        "面向社会",
        label_en="scope",
        meta=Meta(100),
        export=Export("string", "公开范围（来源未写明时为空）"),
        vocab="scopes",
        privacy_exempt=_VOCAB,
    ),
    Field(
        "period",
        "公开时限",
        "vocab",
        "no",
        "公开时限：长期公开 或 限时公开",
        "长期公开",
        label_en="period",
        meta=Meta(110),
        export=Export("string", "公开时限（来源未写明时为空）"),
        vocab="periods",
        privacy_exempt=_VOCAB,
    ),
    Field(
        "channel",
        "公开形式",
        "vocab_list",
        "no",
        "公开形式：网站 政府公报 新闻发布会 公示栏 政务新媒体 报刊广播电视",
        "[网站]",
        label_en="channels",
        meta=Meta(150),
        export=Export("array", "公开形式"),
        vocab="channels",
        privacy_exempt=_VOCAB,
    ),
    Field(
        "procedure",
        "公开程序",
        "text",
        "no",
        "公开程序：由谁编制、经谁审核",
        label_en="procedure",
        sample="部门起草，经办公室审核后公开",
        meta=Meta(160),
        export=Export("string", "公开程序"),
    ),
    Field(
        "attachments",
        "附件",
        "attachments",
        "no",
        "附件列表，每项 {title: 名称, file: 相对 catalogue/ 的路径, sha256: 校验值}",
        subfields=("title", "file", "sha256"),
        label_en="attachments",
        sample="[{title: 附件1, file: files/example.pdf, sha256: …}]",
        export=Export("array", "附件，每项含 title、url（及 sha256）"),
    ),
    Field(
        "relations",
        "关联文件",
        "relations",
        "no",
        "关系：amends（修改）、repeals（废止）、replaces（替代）各为索引号列表",
        subfields=("amends", "repeals", "replaces"),
        label_en="relations",
        sample="{amends: [], repeals: [], replaces: []}",
        privacy_exempt=_REFS,
    ),
    *COMMON_TAIL,
)

INTERPRETATION_FIELDS: tuple[Field, ...] = (
    Field(
        "index_no",
        "索引号",
        "index_no",
        "yes",
        "解读本身的索引号：解读机构代码/年份-五位序号",
        "{index_no}",
        label_en="index number",
        meta=Meta(10, always=True),
        search=SEARCH_INDEX_NO,
        privacy_exempt=_ID,
    ),
    Field(
        "title",
        "标题",
        "text",
        "yes",
        "解读标题，如 《某某办法》政策解读",
        "请在此填写解读标题",
        label_en="title",
        search=SEARCH_TITLE,
    ),
    Field(
        "interprets",
        "原文件",
        "index_no_list",
        "cond",
        "所解读文件的索引号列表（必须存在于本站）；与 interprets_external 至少填写一项",
        "[{target}]",
        label_en="interprets",
        privacy_exempt=_REFS,
    ),
    Field(
        "interprets_external",
        "原文件（站外）",
        "external_refs",
        "cond",
        "所解读的、未在本站发布的文件（如市政府解读国务院文件），每项 {title: 标题, doc_number: 文号, url: 网址}",
        subfields=("title", "doc_number", "url"),
        label_en="interprets (published elsewhere)",
    ),
    Field(
        "form",
        "解读形式",
        "vocab",
        "yes",
        "解读形式：文字 图解 问答 新闻发布会 专家解读 音频 视频",
        "文字",
        label_en="form",
        meta=Meta(30, always=True),
        vocab="forms",
        privacy_exempt=_VOCAB,
    ),
    Field(
        "interpreter_org",
        "解读机构",
        "agency",
        "yes",
        "解读机构：起草部门的机构 id（谁起草、谁解读）",
        "{agency}",
        label_en="interpreting agency",
        meta=Meta(20, always=True),
        facet=FACET_AGENCY,
        privacy_exempt=_AGENCY,
    ),
    Field(
        "interpreter",
        "解读人",
        "text",
        "no",
        "解读人姓名和职务",
        label_en="interpreter",
        sample="张某某（局长）",
        meta=Meta(50),
    ),
    Field(
        "contact",
        "联系方式",
        "text",
        "no",
        "解读联系方式",
        label_en="contact",
        sample="0000-00000000",
        meta=Meta(60),
    ),
    Field(
        "published_date",
        "发布日期",
        "date",
        "yes",
        "发布日期：应与原文件同步，最迟 3 个工作日内",
        "{date}",
        label_en="date published",
        meta=Meta(40, always=True),
        facet=FACET_YEAR,
    ),
    Field(
        "topics",
        "主题分类",
        "topics",
        "no",
        "主题分类，省略时沿用原文件",
        label_en="topics",
        sample='["综合政务\\\\政务公开"]',
        facet=FACET_TOPIC,
        privacy_exempt=_VOCAB,
    ),
    Field(
        "keywords",
        "关键词",
        "text_list",
        "no",
        "关键词列表",
        "[]",
        label_en="keywords",
        search=SEARCH_KEYWORDS,
    ),
    Field(
        "abstract",
        "内容概述",
        "text",
        "no",
        "内容概述",
        label_en="abstract",
        sample="一两句话说明主要内容",
        search=SEARCH_ABSTRACT,
    ),
    Field(
        "media",
        "媒体文件",
        "media",
        "no",
        "音频/视频解读的媒体文件 {file: 相对 content/ 的路径, title: 说明}",
        subfields=("file", "title"),
        label_en="media",
        sample="{file: files/example.mp4, title: 视频文字实录}",
    ),
    *COMMON_TAIL,
)

PAGE_FIELDS: tuple[Field, ...] = (
    Field("title", "标题", "text", "yes", "页面标题", "请在此填写页面标题", label_en="title"),
    Field(
        "nav_order",
        "导航顺序",
        "int",
        "no",
        "在导航中的顺序（整数，越小越靠前）；省略则不进导航",
        label_en="navigation order",
        sample="10",
        published=False,
    ),
    Field(
        "draft",
        "草稿",
        "bool",
        "no",
        "true 表示草稿：不发布",
        "false",
        label_en="draft",
        default=False,
        published=False,
    ),
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


# Sub-field keys whose strings are not privacy-scanned, and why (see Field.privacy_exempt).
SUBFIELD_PRIVACY_EXEMPT: dict[str, str] = {
    "sha256": "a checksum, not free text",
    "status": "a validity vocabulary value, not free text",
}


def all_fields() -> tuple[Field, ...]:
    """Every declared field of every kind (a name may appear once per kind)."""
    return tuple(f for fields in FIELDS_BY_KIND.values() for f in fields)


def privacy_exempt_keys() -> frozenset[str]:
    """Keys (at any depth) whose strings the privacy scan skips: everything else is scanned."""
    return frozenset(f.name for f in all_fields() if f.privacy_exempt) | frozenset(SUBFIELD_PRIVACY_EXEMPT)


def meta_fields(kind: str) -> tuple[Field, ...]:
    """The fields of ``kind`` shown in the page's metadata table, in row order."""
    return tuple(sorted((f for f in FIELDS_BY_KIND[kind] if f.meta), key=lambda f: f.meta.order if f.meta else 0))


# Sub-fields whose values come from a vocabulary (see Field.vocab).
SUBFIELD_VOCAB: dict[str, str] = {"status": "validity"}


def vocab_fields() -> dict[str, str]:
    """Field name -> the vocabulary (``Vocabularies`` attribute, ``vocabularies.<name>`` in
    site_config.yml) its values come from, in registry order."""
    return {f.name: f.vocab for f in all_fields() if f.vocab}


def names_of_type(*types: str) -> tuple[str, ...]:
    """Entry and interpretation field names of the given types, in registry order, once each."""
    kinds = (ENTRY_FIELDS, INTERPRETATION_FIELDS)
    return tuple(dict.fromkeys(f.name for fields in kinds for f in fields if f.type in types))


def search_fields() -> tuple[Search, ...]:
    """The lunr fields the registry declares, once per key, in index order (the body,
    not a front-matter field, is added by generator/search/documents.py)."""
    by_key = {f.search.key: f.search for f in all_fields() if f.search}
    return tuple(sorted(by_key.values(), key=lambda s: s.order))


def search_facets() -> tuple[Facet, ...]:
    """The search page's facets, once per key, in display order."""
    by_key = {f.facet.key: f.facet for f in all_fields() if f.facet}
    return tuple(sorted(by_key.values(), key=lambda s: s.order))


def declaring(kind: str, key: str, attr: str) -> Field | None:
    """The field of ``kind`` whose ``search`` or ``facet`` (``attr``) has ``key``, if any."""
    for fld in FIELDS_BY_KIND[kind]:
        decl = getattr(fld, attr)
        if decl is not None and decl.key == key:
            return fld
    return None
