"""The labels real catalogues print, as data: label → target field (DOMAIN.md §1.4, §1.5).

Targets are front-matter field names, plus a few import-only targets:

* ``topic1`` / ``topic2`` — 主题(一) / 主题(二) printed as two columns;
* ``origin.id`` / ``origin.url`` — the CMS record id and the page address;
* ``interprets_title`` / ``interprets_doc_number`` / ``interprets_url`` — what a 解读 explains;
* ``derived.<field>`` — a flag column saying the value of ``<field>`` was guessed (from the
  title or signature line) rather than read from a metadata table: such values are not imported;
* ``kind`` — entry / interpretation marker (解读 rows in a mixed export).

A mapping file (``--mapping``) overrides or extends this table.
"""

from __future__ import annotations

import re

# target -> labels (compared after normalise_label)
_TABLE: dict[str, tuple[str, ...]] = {
    "index_no": ("索引号", "信息索引号", "索引", "index_no", "indexno", "index", "syh"),
    "title": ("标题", "名称", "信息名称", "文件名称", "题名", "title", "name", "doctitle"),
    "doc_number": (
        "文号",
        "文件编号",
        "发文字号",
        "发文文号",
        "doc_no",
        "docno",
        "doc_number",
        "wh",
        "pcode",
        "file_number",
        "filenum",
    ),
    "publisher": (
        "发布机构",
        "发文机关",
        "发布单位",
        "发文机构",
        "发文单位",
        "来源单位",
        "agency",
        "publisher",
        "puborg",
    ),
    "issuers": ("联合发文机关", "issuers"),
    "written_date": ("成文日期", "生成日期", "产生日期", "发文日期", "written_date", "writtendate"),
    "published_date": (
        "发布日期",
        "公开日期",
        "上载日期",
        "发布时间",
        "公开时间",
        "published_date",
        "publisheddate",
        "pubtime",
        "pubdate",
        "publish_date",
        "publishdate",
        "release_date",
        "docreltime",
    ),
    "effective_date": ("施行日期", "实施日期", "生效日期", "effective_date"),
    "expires": ("有效期至", "失效日期", "expires"),
    "topics": ("主题分类", "主题", "分类", "topic", "topics"),
    "topic1": ("主题(一)", "主题一", "一级主题", "主题分类(一)"),
    "topic2": ("主题(二)", "主题二", "二级主题", "主题分类(二)"),
    "genre": ("体裁", "体裁分类", "文种", "genre"),
    "info_type": ("信息类别", "组配分类", "公开目录", "信息类型", "info_type"),
    "validity": ("效力状况", "有效性", "时效性", "效力", "validity"),
    "disclosure": ("公开方式", "公开属性", "公开类别", "disclosure"),
    "scope": ("公开范围", "公开对象", "scope"),
    "period": ("公开时限", "period"),
    "channel": ("公开形式", "公开渠道", "公开载体", "channel"),
    "procedure": ("公开程序", "审核程序", "procedure"),
    "registration_no": ("登记号", "统一编号", "规范性文件登记号", "registration_no"),
    "keywords": ("关键词", "主题词", "关键字", "分类词", "keywords", "keyword"),
    "abstract": ("内容概述", "摘要", "内容概况", "内容摘要", "abstract", "summary", "description"),
    "body": ("正文", "内容", "文件内容", "body", "content", "text", "html", "content_html", "dochtmlcon", "doccontent"),
    "attachments": ("附件", "文件下载", "附件下载", "attachments", "attachment"),
    "form": ("解读形式", "form"),
    "interpreter_org": ("解读机构", "解读单位", "interpreter_org"),
    "interpreter": ("解读人", "interpreter"),
    "contact": ("联系方式", "contact"),
    "interprets_title": ("解读文件", "关联文件", "原文件", "相关文件", "interprets_title"),
    "interprets_doc_number": ("原文件文号", "关联文件文号", "interprets_doc_no", "interprets_doc_number"),
    "interprets_url": ("原文件链接", "原文链接地址", "interprets_url"),
    "origin.id": ("id", "记录id", "信息id", "编号", "recordid", "record_id", "docid"),
    "origin.url": ("原文链接", "链接", "网址", "在线链接地址", "url", "source_url", "link", "href", "docpuburl"),
    "derived.genre": ("genre_derived",),
    "derived.publisher": ("agency_derived",),
    "kind": ("kind", "类型"),
}

TARGETS: frozenset[str] = frozenset(_TABLE)

# the front-matter fields a mapping file may name, besides the import-only targets above
FIELD_TARGETS: frozenset[str] = frozenset(t for t in _TABLE if "." not in t and t not in ("kind",))

_SPACES = re.compile(r"[\s\u3000\u00a0:：*＊]+")
_PARENS = str.maketrans({"（": "(", "）": ")", "［": "[", "］": "]"})


def normalise_label(label: str) -> str:
    """Labels compare without spaces (``索 引 号``), colons, asterisks or full-width brackets."""
    return _SPACES.sub("", label.translate(_PARENS)).lower()


BUILTIN: dict[str, str] = {normalise_label(label): target for target, labels in _TABLE.items() for label in labels}


def builtin_target(label: str) -> str | None:
    return BUILTIN.get(normalise_label(label))
