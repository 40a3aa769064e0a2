"""The ``calendar:``/``deadlines:`` and ``vocabularies:`` sections of ``site_config.yml``.

Each section reader is handed the loader (:class:`generator.model.config_load._Builder`) and
reports through it, so every bad value is a positioned E702 like the rest of the file.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from generator.model import fields as F
from generator.model import vocab as V
from generator.model.calendar import WorkCalendar
from generator.model.siteconfig import CALENDAR_KEYS, CONFIG_KEYS, DeadlineSettings
from generator.source.frontmatter import YamlDate, parse_date

if TYPE_CHECKING:
    from generator.model.config_load import _Builder

_MONTH_DAY = re.compile(r"^([0-9]{2})-([0-9]{2})\Z")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}\Z")
# vocabularies.<key> -> the field it checks, from the field registry (model/fields.py ``vocab``)
_VOCAB_KEYS = {vocab: name for name, vocab in F.vocab_fields().items()}


class DeadlineSection:
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


class VocabSection:
    """Reads ``vocabularies:``: replaced or extended term lists and the topic tree."""

    def __init__(self, builder: _Builder) -> None:
        self.b = builder

    def read(self) -> V.Vocabularies:
        raw = self.b.section("vocabularies")
        base = V.Vocabularies.defaults()
        changes: dict[str, Any] = {}
        for key, value in raw.items():
            path = ("vocabularies", key)
            if f"vocabularies.{key}" not in CONFIG_KEYS:
                self.b.error(path, "未知词表", "unknown vocabulary")
                continue
            if key == "topics":
                changes["topics"] = self._topic_tree(value, path) or base.topics
            elif key == "topics_extend":
                continue  # applied below, on top of the (possibly replaced) tree
            elif key == "transitions":
                if isinstance(value, dict) and all(isinstance(v, list) for v in value.values()):
                    changes["transitions"] = {str(k): tuple(str(x) for x in v) for k, v in value.items()}
                else:
                    self.b.error(path, "应为 {状态: [后续状态…]} 映射", "must be a {status: [next statuses…]} mapping")
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
            self.b.error(
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
                self.b.error(
                    (*path, i - 1),
                    "每项应为 名称，或 {name: 名称, slug: 英文标识, aliases: [旧名称]}",
                    "each item must be a name, or {name: …, slug: …, aliases: [former names]}",
                )
                continue
            if not _SLUG.match(slug):
                self.b.error(
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
            self.b.error(
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
                self.b.error((*here, "alone"), "应为 true 或 false", "must be true or false")
                alone = False
            if isinstance(item, dict):
                for key in item:
                    if key not in ("name", "slug", "aliases", "children", "alone"):
                        self.b.error(
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
