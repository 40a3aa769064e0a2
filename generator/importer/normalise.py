"""Value normalisers: what an editor does to a CMS value before it goes into a file.

Each returns the normalised value (or ``None`` when it cannot read the value — it never
guesses one) and says what it did, so the import report can list it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from generator.model.identifiers import SPACES_RE, check_doc_number, normalise_doc_number
from generator.model.vocab import TopicTree, Vocabulary

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*\d{1,2}[:时]\d{2}.*)?$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value: Any) -> dt.date | None:
    """2020-12-10, 2020年12月10日, 2020/12/10, 2020.12.10, 20201210 (a time part is dropped)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = SPACES_RE.sub(" ", value.strip())
    text = text.replace("年 ", "年").replace("月 ", "月")
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


# Wordings real catalogues print for the default vocabularies' terms (DOMAIN.md §1.5, §6).
VOCAB_ALIASES: dict[str, dict[str, str]] = {
    "validity": {
        "现行有效": "有效",
        "有效": "有效",
        "生效": "有效",
        "已失效": "失效",
        "失效": "失效",
        "已废止": "废止",
        "废止": "废止",
        "已修改": "已修改",
        "已修订": "已修改",
        "修订": "已修改",
        "修改": "已修改",
        "尚未生效": "尚未生效",
        "未生效": "尚未生效",
    },
    "disclosure": {"主动公开": "主动公开", "主动": "主动公开", "依申请公开": "依申请公开", "依申请": "依申请公开"},
    "scope": {
        "面向社会": "面向社会",
        "面向全社会": "面向社会",
        "全社会": "面向社会",
        "社会公众": "面向社会",
        "面向特定群体": "面向特定群体",
        "特定群体": "面向特定群体",
        "面向申请人": "面向特定群体",
    },
    "period": {"长期公开": "长期公开", "长期": "长期公开", "限时公开": "限时公开", "限时": "限时公开"},
    "channel": {
        "网站": "网站",
        "政府网站": "网站",
        "门户网站": "网站",
        "政府门户网站": "网站",
        "政府公报": "政府公报",
        "公报": "政府公报",
        "新闻发布会": "新闻发布会",
        "公示栏": "公示栏",
        "公开栏": "公示栏",
        "政务新媒体": "政务新媒体",
        "两微一端": "政务新媒体",
        "报刊广播电视": "报刊广播电视",
        "报刊": "报刊广播电视",
    },
    "genre": {"令": "命令", "命令（令）": "命令", "命令(令)": "命令", "会议纪要": "纪要"},
    "form": {
        "文字解读": "文字",
        "图解": "图解",
        "图片解读": "图解",
        "政策问答": "问答",
        "问答": "问答",
        "视频解读": "视频",
    },
}


def vocab_value(key: str, value: str, vocab: Vocabulary) -> tuple[str | None, str]:
    """(the site's term, the wording read) — ``None`` when neither the site vocabulary nor the
    alias table knows the wording."""
    text = SPACES_RE.sub("", value.strip())
    term = vocab.get(text)
    if term:
        return term.name, text
    alias = VOCAB_ALIASES.get(key, {}).get(text)
    if alias and vocab.get(alias):
        return vocab.get(alias).name, text  # type: ignore[union-attr]
    return None, text


def split_list(value: Any) -> list[str]:
    """关键词 and channels: a list, or text separated by 、，,；; or spaces."""
    if isinstance(value, list):
        items = [str(v) for v in value]
    else:
        items = re.split(r"[、，,；;|\n]+|\s{1,}|\u3000+", str(value))
    return [i.strip() for i in items if i and i.strip()]


def compact(value: Any) -> str:
    return SPACES_RE.sub("", str(value).strip())


def doc_number(value: Any) -> tuple[str, str | None]:
    """(the 文号 to write, what was done): spaces removed; a bracket variant around the year
    normalised to 〔〕 (and reported); anything unreadable kept as written for check to flag."""
    text = compact(value)
    if check_doc_number(text) is None:
        return text, ("spaces" if text != str(value).strip() else None)
    lenient = normalise_doc_number(text)
    problem = check_doc_number(text)
    if lenient and problem and problem.code == "E312":
        return lenient.canonical, "brackets"
    return text, None


_TOPIC_LEVEL = re.compile(r"\s*(?:\\|/|>|＞|－|—|-)\s*")


def topic_paths(value: Any, tree: TopicTree) -> list[tuple[str, str | None, str]]:
    """Topics in a cell → ``[(path or raw, how, original)]`` where ``how`` is ``ok``,
    ``expanded`` (a second level alone, unique in the tree), ``levels`` (another level
    separator), or ``unknown`` (not in the site's tree: the raw text is kept)."""
    parts: list[str] = []
    raw_items = value if isinstance(value, list) else re.split(r"[;；,，\n|]+", str(value))
    for item in raw_items:
        text = str(item).strip()
        if not text:
            continue
        if _resolve(text, tree) is None and "、" in text and "\\" not in text and not _known_prefix(text, tree):
            # a list of classes joined by 、 (the tree's own names that contain 、 resolve above)
            parts.extend(p.strip() for p in text.split("、") if p.strip())
            continue
        parts.append(text)
    out: list[tuple[str, str | None, str]] = []
    for text in parts:
        resolved = _resolve(text, tree)
        if resolved:
            path, how = resolved
            out.append((path, how, text))
            continue
        expanded = tree.expand(text)
        if expanded:
            out.append((expanded, "expanded", text))
        else:
            out.append((text, "unknown", text))
    return out


def _known_prefix(text: str, tree: TopicTree) -> bool:
    """``text`` starts with a first-level class whose name holds 、 (written with another level separator)."""
    return any("、" in name and text.startswith(name) for t in tree.top for name in (t.name, *t.aliases))


def _resolve(text: str, tree: TopicTree) -> tuple[str, str] | None:
    if tree.resolve(text):
        first, second = tree.resolve(text)  # type: ignore[misc]
        return (f"{first}\\{second}" if second else first), "ok"
    if "\\" not in text:
        levels = _TOPIC_LEVEL.split(text, maxsplit=1)
        if len(levels) == 2:
            joined = "\\".join(levels)
            if tree.resolve(joined):
                first, second = tree.resolve(joined)  # type: ignore[misc]
                return (f"{first}\\{second}" if second else first), "levels"
    return None
