"""``site_config.yml`` -> :class:`~generator.model.siteconfig.SiteConfig`, every problem a positioned E702.

The top-level sections, ``index_no`` and ``agencies`` are read here; ``calendar:``/``deadlines:``
and ``vocabularies:`` in :mod:`generator.model.config_sections`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, diag
from generator.model.config_sections import DeadlineSection, VocabSection
from generator.model.identifiers import INDEX_NO_FORMATS
from generator.model.patterns import Pattern, PatternError, compile_pattern
from generator.model.siteconfig import CONFIG_KEYS, DEFAULT_INDEX_PATTERN, YEAR_RULES, Agency, SiteConfig
from generator.source.files import CONFIG_FILE, read_bounded
from generator.source.frontmatter import MAX_FILE_BYTES, SourceFile, parse_yaml_file

# Characters a display value (site name, footer, agency name) may not contain.
MARKUP = re.compile("[<>\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_URL = re.compile(r"^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~!$&()*+,;=:@%/\-]*)?\Z")


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
        if path[0] in ("site", "footer") and MARKUP.search(text):
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
            vocab=VocabSection(self).read(),
            page_size=self._int(listing, ("listing", "page_size"), 50),
            home_items=self._int(listing, ("listing", "home_items"), 10),
            deadlines=DeadlineSection(self).read(),
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
                if isinstance(shown, str) and MARKUP.search(shown):
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
