"""``site_config.yml`` → :class:`SiteConfig`.

The config file is the only file an editor configures; the MkDocs configuration
is derived from it. Every key is declared in :data:`CONFIG_KEYS` (name, default,
help), which the validator and the schema docs both use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.checks.diagnostics import Diagnostic, diag
from generator.model import vocab as V
from generator.model.patterns import Pattern, PatternError, compile_pattern
from generator.source.files import CONFIG_FILE, read_bounded
from generator.source.frontmatter import MAX_FILE_BYTES, SourceFile, parse_yaml_file

# Characters a display value (site name, footer, agency name) may not contain.
_MARKUP = re.compile("[<>\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_URL = re.compile(r"^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~!$&()*+,;=:@%/\-]*)?\Z")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}\Z")

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
    "index_no.example": (False, "索引号示例，用于错误提示"),
    "agencies": (True, "机构名录（列表）"),
    "agencies[].id": (True, "机构 id：小写字母、数字和连字符，用于 publisher 等字段和网址"),
    "agencies[].name": (True, "机构全称"),
    "agencies[].code": (True, "索引号前段码（组织机构代码或统一社会信用代码）"),
    "agencies[].short_name": (False, "机构简称"),
    "vocabularies": (False, "词表覆盖；省略的词表使用内置默认值"),
    "vocabularies.topics": (False, "主题分类树：[{name, slug, aliases, children: [{name, slug, aliases}]}]"),
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
}


_VOCAB_KEYS = {
    "genres": "genre",
    "info_types": "info_type",
    "validity": "validity",
    "disclosure": "disclosure",
    "forms": "form",
    "scopes": "scope",
    "periods": "period",
    "channels": "channel",
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
    agencies: tuple[Agency, ...] = ()
    vocab: V.Vocabularies = field(default_factory=V.Vocabularies.defaults)
    page_size: int = 50
    home_items: int = 10

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

    def error(self, path: tuple[str | int, ...], problem: str, hint: str = "") -> None:
        key = ".".join(str(p) for p in path)
        self.diags.append(diag(self.src.path, self.src.pos(path), "E702", key=key, problem=problem, hint=hint))

    def section(self, key: str) -> dict[str, Any]:
        assert self.src.data is not None
        value = self.src.data.get(key, {})
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error((key,), "应为映射")
            return {}
        return value

    def text(self, section: dict[str, Any], path: tuple[str, ...], required: bool = False) -> str:
        value = section.get(path[-1])
        if value is None:
            if required:
                self.error(path, "必须填写", f"在 {path[0]} 下加入 {path[-1]}: …")
            return ""
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            self.error(path, "应为文字")
            return ""
        text = str(value)
        if path[0] in ("site", "footer") and _MARKUP.search(text):
            # Shown on every page (header, footer, <title>): no markup, no invisible characters.
            self.error(path, "不能包含 < > 或控制字符", "这里只写纯文字")
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
                        hint=f"可用的配置项：{'、'.join(sorted(known_top))}",
                    )
                )
        site = self.section("site")
        footer_raw = self.section("footer")
        footer = {k: self.text(footer_raw, ("footer", k)) for k in footer_raw}
        for k in footer_raw:
            if f"footer.{k}" not in CONFIG_KEYS:
                self.error(("footer", k), "未知配置项")
        index = self.section("index_no")
        pattern = self._pattern(index)
        listing = self.section("listing")
        cfg = SiteConfig(
            name=self.text(site, ("site", "name"), required=True) or "政府信息公开",
            short_name=self.text(site, ("site", "short_name")),
            url=self._url(site),
            language=self.text(site, ("site", "language")) or "zh",
            description=self.text(site, ("site", "description")),
            footer={k: v for k, v in footer.items() if v},
            index_pattern=pattern,
            index_example=self.text(index, ("index_no", "example")) or "012500002/2024-00001",
            agencies=self._agencies(),
            vocab=self._vocab(),
            page_size=self._int(listing, ("listing", "page_size"), 50),
            home_items=self._int(listing, ("listing", "home_items"), 10),
        )
        return cfg, self.diags

    def _url(self, site: dict[str, Any]) -> str:
        url = self.text(site, ("site", "url"), required=True) or "https://example.gov.cn/"
        if not _URL.match(url):
            self.error(("site", "url"), "应为 http:// 或 https:// 开头的网址", "网址中不能有空格、引号、尖括号或反斜杠")
            return "https://example.gov.cn/"
        return url if url.endswith("/") else url + "/"

    def _int(self, section: dict[str, Any], path: tuple[str, ...], default: int) -> int:
        value = section.get(path[-1], default)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10_000:
            self.error(path, "应为 1 到 10000 的整数")
            return default
        return value

    def _pattern(self, index: dict[str, Any]) -> Pattern:
        text = self.text(index, ("index_no", "pattern")) or DEFAULT_INDEX_PATTERN
        try:
            pattern = compile_pattern(text)  # linear time, ASCII classes: see model/patterns.py
        except PatternError as exc:
            self.error(("index_no", "pattern"), f"正则表达式无效或无法在有限时间内匹配（{exc}）")
            return compile_pattern(DEFAULT_INDEX_PATTERN)
        if not {"prefix", "year"} <= set(pattern.groupindex):
            self.error(("index_no", "pattern"), "必须包含命名组 (?P<prefix>…) 与 (?P<year>…)")
            return compile_pattern(DEFAULT_INDEX_PATTERN)
        return pattern

    def _agencies(self) -> tuple[Agency, ...]:
        data = self.src.data or {}
        raw = data.get("agencies")
        if not isinstance(raw, list) or not raw:
            self.error(("agencies",), "应为非空列表", "每项写 - {id: …, name: …, code: …}")
            return ()
        out: list[Agency] = []
        seen: set[str] = set()
        for i, item in enumerate(raw):
            path: tuple[str | int, ...] = ("agencies", i)
            if not isinstance(item, dict):
                self.error(path, "应为 {id, name, code} 映射")
                continue
            for key in item:
                if f"agencies[].{key}" not in CONFIG_KEYS:
                    self.error((*path, key), "未知配置项", "可用：id、name、code、short_name")
            values = {k: item.get(k) for k in ("id", "name", "code", "short_name")}
            for k in ("name", "short_name"):
                shown = values[k]
                if isinstance(shown, str) and _MARKUP.search(shown):
                    self.error((*path, k), "不能包含 < > 或控制字符", "这里只写机构名称")
            for k in ("id", "name", "code"):
                if not isinstance(values[k], (str, int)) or isinstance(values[k], bool) or values[k] == "":
                    self.error((*path, k), "必须填写文字")
            agency_id = str(values["id"] or "")
            if agency_id and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", agency_id):
                self.error((*path, "id"), "只能使用小写字母、数字和连字符")
            if agency_id in seen:
                self.error((*path, "id"), f"机构 id {agency_id} 重复")
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
                self.error(path, "未知词表")
                continue
            if key == "topics":
                changes["topics"] = self._topic_tree(value, path) or base.topics
            elif key == "transitions":
                if isinstance(value, dict) and all(isinstance(v, list) for v in value.values()):
                    changes["transitions"] = {str(k): tuple(str(x) for x in v) for k, v in value.items()}
                else:
                    self.error(path, "应为 {状态: [后续状态…]} 映射")
            else:
                terms = self._terms(value, path, need_slug=key == "info_types")
                if terms:
                    changes[key] = V.Vocabulary(_VOCAB_KEYS[key], terms)
        if not changes:
            return base
        merged = {f: getattr(base, f) for f in base.__dataclass_fields__}
        merged.update(changes)
        return V.Vocabularies(**merged)

    def _terms(self, value: Any, path: tuple[str | int, ...], need_slug: bool = False) -> tuple[V.Term, ...]:
        """Terms written as ``名称`` or ``{name, slug, aliases}``; aliases keep renamed values valid."""
        if not isinstance(value, list) or not value:
            self.error(path, "应为非空列表", "每项写 名称，或 {name: 名称, slug: 英文标识, aliases: [旧名称]}")
            return ()
        terms: list[V.Term] = []
        for i, item in enumerate(value, start=1):
            if isinstance(item, str) and not need_slug:
                terms.append(V.Term(item, f"{i:02d}"))
                continue
            aliases = item.get("aliases", []) if isinstance(item, dict) else None
            slug = item.get("slug", f"{i:02d}" if not need_slug else None) if isinstance(item, dict) else None
            if not (
                isinstance(item, dict)
                and isinstance(item.get("name"), str)
                and isinstance(slug, str)
                and isinstance(aliases, list)
                and all(isinstance(a, str) for a in aliases)
            ):
                self.error((*path, i - 1), "每项应为 名称，或 {name: 名称, slug: 英文标识, aliases: [旧名称]}")
                continue
            if not _SLUG.match(slug):
                self.error(
                    (*path, i - 1, "slug"), "只能使用小写字母、数字、连字符和下划线", "slug 用于网址，例如 guifanxing"
                )
                continue
            terms.append(V.Term(item["name"], slug, tuple(aliases)))
        return tuple(terms)

    def _topic_tree(self, value: Any, path: tuple[str | int, ...]) -> V.TopicTree | None:
        tops = self._terms(value, path, need_slug=True)
        if not tops:
            return None
        children: dict[str, tuple[V.Term, ...]] = {}
        for i, (item, top) in enumerate(zip(value, tops, strict=False)):
            kids = item.get("children") if isinstance(item, dict) else None
            children[top.name] = self._terms(kids, (*path, i, "children")) if kids else ()
        return V.TopicTree(tops, children)
