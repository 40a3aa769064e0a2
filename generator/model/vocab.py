"""Controlled vocabularies and their defaults (DOMAIN.md §2, §3, §6).

A site may replace any vocabulary in ``site_config.yml``. Each term has a stable
ASCII ``slug`` used in URLs, so a URL never depends on Chinese wording, and
``aliases`` so that a renamed term keeps resolving (a published value is never
silently renamed).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    name: str
    slug: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """An ordered list of terms with alias lookup."""

    key: str
    terms: tuple[Term, ...]
    _index: dict[str, Term] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for term in self.terms:
            self._index[term.name] = term
            for alias in term.aliases:
                self._index.setdefault(alias, term)

    def get(self, name: str) -> Term | None:
        return self._index.get(name)

    def names(self) -> list[str]:
        return [t.name for t in self.terms]

    def suggest(self, value: str) -> str | None:
        return did_you_mean(value, self.names())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._index


@dataclass(frozen=True)
class TopicTree:
    """Two-level 主题分类 tree; a topic is written ``一级\\二级``."""

    top: tuple[Term, ...]
    children: dict[str, tuple[Term, ...]]
    # first-level classes that may also be written alone although they have children
    alone: frozenset[str] = frozenset()

    def resolve(self, value: str) -> tuple[str, str | None] | None:
        """Return ``(一级, 二级)`` for a valid value (a top level alone only if it has no
        children, or the site allows it alone)."""
        first, sep, second = value.partition("\\")
        top = next((t for t in self.top if t.name == first or first in t.aliases), None)
        if top is None:
            return None
        kids = self.children.get(top.name, ())
        if not sep:
            return (top.name, None) if not kids or top.name in self.alone else None
        child = next((c for c in kids if c.name == second or second in c.aliases), None)
        return (top.name, child.name) if child else None

    def all_paths(self) -> list[str]:
        out: list[str] = []
        for top in self.top:
            kids = self.children.get(top.name, ())
            if not kids or top.name in self.alone:
                out.append(top.name)
            out.extend(f"{top.name}\\{c.name}" for c in kids)
        return out

    def expand(self, second: str) -> str | None:
        """The full path of a second-level class written alone, when exactly one class has it."""
        found = [
            f"{top.name}\\{c.name}"
            for top in self.top
            for c in self.children.get(top.name, ())
            if c.name == second or second in c.aliases
        ]
        return found[0] if len(found) == 1 else None

    def extended(self, items: list[tuple[Term, tuple[Term, ...], bool]]) -> TopicTree:
        """This tree plus local classes: ``(term, children, alone)`` per class. A term naming an
        existing class (by name or alias) adds its aliases and children to it."""
        top = list(self.top)
        children = dict(self.children)
        alone = set(self.alone)
        for term, kids, is_alone in items:
            i = next((i for i, t in enumerate(top) if term.name in (t.name, *t.aliases)), None)
            if i is None:
                top.append(term)
                name = term.name
                old: tuple[Term, ...] = ()
            else:
                t = top[i]
                name = t.name
                top[i] = Term(t.name, t.slug, t.aliases + tuple(a for a in term.aliases if a not in t.aliases))
                old = children.get(name, ())
            known = {c.name for c in old}
            children[name] = old + tuple(k for k in kids if k.name not in known)
            if is_alone:
                alone.add(name)
        return TopicTree(tuple(top), children, frozenset(alone))

    def slug(self, first: str, second: str | None = None) -> str:
        top = next(t for t in self.top if t.name == first)
        if second is None:
            return top.slug
        child = next(c for c in self.children[first] if c.name == second)
        return f"{top.slug}-{child.slug}"

    def suggest(self, value: str) -> str | None:
        return did_you_mean(value, self.all_paths())

    def closest(self, value: str, n: int = 3, cutoff: float = 0.4, margin: float = 0.1) -> list[str]:
        """Up to ``n`` valid topics most like ``value``, best first (within ``margin`` of the best).

        Compared part by part, the 二级 weighing most: a long shared 一级 must not make an
        unrelated 二级 (such as ``其他``) look close. A value without ``\\`` is compared with
        each 二级 and, at half weight, its 一级.
        """
        value = value.replace("/", "\\")
        first, sep, second = value.partition("\\")
        scored: list[tuple[float, int, str]] = []
        for order, path in enumerate(self.all_paths()):
            top, _, child = path.partition("\\")
            if sep:
                score = 0.3 * _similar(first, top) + 0.7 * _similar(second, child or top)
            elif child:
                near = _similar(value, child)
                score = max(near, (near + _similar(value, top)) / 2)
            else:
                score = _similar(value, top)
            if score >= cutoff:
                scored.append((-score, order, path))
        scored.sort()
        best = -scored[0][0] if scored else 0.0
        return [path for score, _, path in scored[:n] if -score >= best - margin]


def _similar(a: str, b: str) -> float:
    """difflib's ratio; a name written out in full inside the other counts as close."""
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    return max(ratio, 0.8) if len(a) >= 2 and a in b else ratio


def did_you_mean(value: str, candidates: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.5)
    return matches[0] if matches else None


def _terms(names: Iterable[str]) -> tuple[Term, ...]:
    return tuple(Term(n, f"{i:02d}") for i, n in enumerate(names, start=1))


# gov.cn 国务院政策文件库 主题分类, 22 classes (DOMAIN.md §2).
DEFAULT_TOPICS: list[tuple[str, list[str]]] = [
    (
        "国务院组织机构",
        [
            "国务院",
            "国务院办公厅",
            "国务院组成部门",
            "国务院直属特设机构",
            "国务院直属机构",
            "国务院办事机构",
            "国务院直属事业单位",
            "国务院部委管理的国家局",
            "国务院议事协调机构",
            "其他",
        ],
    ),
    (
        "综合政务",
        ["政务公开", "政务督查", "应急管理", "电子政务", "文秘工作", "保密工作", "信访", "参事、文史", "其他"],
    ),
    (
        "国民经济管理、国有资产监管",
        ["宏观经济", "经济体制改革", "统计", "物价", "国有资产监管", "重大建设项目", "其他"],
    ),
    (
        "财政、金融、审计",
        ["财政", "税务", "银行", "货币（含外汇）", "证券", "保险", "社会信用体系建设", "审计", "其他"],
    ),
    ("国土资源、能源", ["土地", "矿产", "水资源", "海洋", "煤炭", "石油与天然气", "电力", "其他"]),
    ("农业、林业、水利", ["农业、畜牧业、渔业", "林业", "水利", "其他"]),
    (
        "工业、交通",
        [
            "机械制造与重工业",
            "轻工纺织",
            "化工",
            "国防工业",
            "航天、航空",
            "信息产业（含电信）",
            "公路",
            "水运",
            "铁路",
            "民航",
            "邮政",
            "其他",
        ],
    ),
    ("商贸、海关、旅游", ["对外经贸合作", "国内贸易（含供销）", "海关", "检验、检疫", "旅游", "其他"]),
    ("市场监管、安全生产监管", ["工商", "质量监督", "标准", "食品药品监管", "安全生产监管", "其他"]),
    (
        "城乡建设、环境保护",
        [
            "城市规划",
            "城乡建设（含住房）",
            "环境监测、保护与治理",
            "节能与资源综合利用",
            "气象、水文、测绘、地震",
            "其他",
        ],
    ),
    ("科技、教育", ["科技", "教育", "知识产权", "其他"]),
    ("文化、广电、新闻出版", ["文化", "文物", "新闻出版", "广播、电影、电视", "其他"]),
    ("卫生、体育", ["卫生", "医药管理", "体育", "其他"]),
    ("人口与计划生育、妇女儿童工作", ["人口与计划生育", "妇女儿童", "其他"]),
    ("劳动、人事、监察", ["劳动就业", "社会保障", "人事工作", "军转安置", "监察", "纠正行业不正之风", "其他"]),
    ("公安、安全、司法", ["公安", "国家安全", "司法", "其他"]),
    ("民政、扶贫、救灾", ["减灾救灾", "优抚安置", "社会福利", "行政区划与地名", "社团管理", "扶贫", "其他"]),
    ("民族、宗教", ["民族事务", "宗教事务"]),
    ("对外事务", ["外交、外事", "国际条约、国际组织", "其他"]),
    ("港澳台侨工作", ["港澳工作", "对台工作", "侨务工作"]),
    ("国防", ["国防建设", "国防动员"]),
    ("其他", []),
]

# The 15 公文文种 (《党政机关公文处理工作条例》Art. 8) plus 其他.
DEFAULT_GENRES = [
    "决议",
    "决定",
    "命令",
    "公报",
    "公告",
    "通告",
    "意见",
    "通知",
    "通报",
    "报告",
    "请示",
    "批复",
    "议案",
    "函",
    "纪要",
    "其他",
]

# 信息类别 (组配分类), mirroring Regulation Art. 20 items; slug is used in URLs.
DEFAULT_INFO_TYPES: list[tuple[str, str]] = [
    ("规章", "guizhang"),
    ("行政规范性文件", "guifanxing"),
    ("其他文件", "qita"),
    ("规划计划", "guihua"),
    ("统计信息", "tongji"),
    ("财政预决算", "yujuesuan"),
    ("行政许可", "xuke"),
    ("行政处罚", "chufa"),
    ("行政事业性收费", "shoufei"),
    ("政府采购", "caigou"),
    ("重大建设项目", "jianshe"),
    ("应急管理", "yingji"),
    ("人事信息", "renshi"),
    ("公开指南", "zhinan"),
    ("公开制度", "zhidu"),
    ("公开年报", "nianbao"),
]
# Types that must carry 文号 and 效力状况, and must be interpreted.
NORMATIVE_TYPES = ("规章", "行政规范性文件")

DEFAULT_VALIDITY = ["尚未生效", "有效", "已修改", "失效", "废止"]
DEFAULT_TRANSITIONS: dict[str, list[str]] = {
    "尚未生效": ["有效", "废止"],
    "有效": ["已修改", "失效", "废止"],
    "已修改": ["失效", "废止"],
    "失效": [],
    "废止": [],
}
INITIAL_VALIDITY = ("尚未生效", "有效")
DEFAULT_DISCLOSURE = ["主动公开", "依申请公开"]
DEFAULT_FORMS = ["文字", "图解", "问答", "新闻发布会", "专家解读", "音频", "视频"]
DEFAULT_SCOPES = ["面向社会", "面向特定群体"]
DEFAULT_PERIODS = ["长期公开", "限时公开"]
DEFAULT_CHANNELS = ["网站", "政府公报", "新闻发布会", "公示栏", "政务新媒体", "报刊广播电视"]


# Renamed gov.cn classes: the current name reads as the class it replaced.
DEFAULT_TOPIC_ALIASES: dict[str, tuple[str, ...]] = {"民政、扶贫、救灾": ("民政、乡村振兴、救灾",)}


def default_topic_tree() -> TopicTree:
    top = tuple(
        Term(name, f"{i:02d}", DEFAULT_TOPIC_ALIASES.get(name, ()))
        for i, (name, _) in enumerate(DEFAULT_TOPICS, start=1)
    )
    children = {name: _terms(kids) for name, kids in DEFAULT_TOPICS}
    return TopicTree(top, children)


def simple(key: str, names: Iterable[str]) -> Vocabulary:
    return Vocabulary(key, _terms(names))


def info_types(pairs: Iterable[tuple[str, str]]) -> Vocabulary:
    return Vocabulary("info_type", tuple(Term(name, slug) for name, slug in pairs))


@dataclass(frozen=True)
class Vocabularies:
    topics: TopicTree
    genres: Vocabulary
    info_types: Vocabulary
    validity: Vocabulary
    transitions: dict[str, tuple[str, ...]]
    disclosure: Vocabulary
    forms: Vocabulary
    scopes: Vocabulary
    periods: Vocabulary
    channels: Vocabulary

    @classmethod
    def defaults(cls) -> Vocabularies:
        return cls(
            topics=default_topic_tree(),
            genres=simple("genre", DEFAULT_GENRES),
            info_types=info_types(DEFAULT_INFO_TYPES),
            validity=simple("validity", DEFAULT_VALIDITY),
            transitions={k: tuple(v) for k, v in DEFAULT_TRANSITIONS.items()},
            disclosure=simple("disclosure", DEFAULT_DISCLOSURE),
            forms=simple("form", DEFAULT_FORMS),
            scopes=simple("scope", DEFAULT_SCOPES),
            periods=simple("period", DEFAULT_PERIODS),
            channels=simple("channel", DEFAULT_CHANNELS),
        )
