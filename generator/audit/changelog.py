"""Compare the catalogue at two revisions, per item keyed by 索引号, and report it.

What is compared is the *source* — the front matter as written and the body's
lines — not the built site: an auditor reviews what the editors changed. The
report (docs/diff.md) calls out the risky changes first: 效力状况 transitions,
公开方式 changes, 索引号/URL changes (an item whose file kept its path but got a new
索引号 is the same item with a new URL, not an addition and a removal), and
publication state (``draft``, ``embargo_until``); then added, removed, renamed and
changed items with field-level old → new values, body lines added/removed,
attachments whose content changed, relation changes (new interpretations…) and
references that no longer resolve.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from generator.audit.fmt import scalar
from generator.audit.gitdiff import Snapshot
from generator.model import fields as F
from generator.model.identifiers import slugify_index_no
from generator.source.files import INTERPRETATIONS_DIR, kind_of
from generator.source.frontmatter import YamlDate, parse

MARKER = "<!-- gongkai-diff -->"  # lets a CI job find and update its own pull-request comment

RISKS = {
    "validity": "validity",
    "validity_history": "validity",
    "disclosure": "disclosure",
    "index_no": "index_no",
    "url": "index_no",
    "draft": "visibility",
    "embargo_until": "visibility",
}
RISK_ORDER = ("validity", "disclosure", "index_no", "visibility", "removed")
RISK_LABELS = {
    "validity": "效力状况",
    "disclosure": "公开方式",
    "index_no": "索引号/网址",
    "visibility": "公开状态",
    "removed": "删除条目",
}
RELATION_LABELS = {
    "interprets": "解读",
    "amends": "修改",
    "repeals": "废止",
    "replaces": "替代",
    "validity_history.by": "效力变化依据",
}


# ------------------------------------------------------------------ model
@dataclass(frozen=True)
class ItemState:
    path: str
    kind: str  # entry | interpretation
    index_no: str
    data: dict[str, Any]  # front matter as plain JSON values
    body: str

    @property
    def title(self) -> str:
        return str(self.data.get("title") or "")

    @property
    def url(self) -> str:
        base = "interpretations/" if self.kind == "interpretation" else "catalogue/"
        return f"{base}{slugify_index_no(self.index_no)}/"

    def refs(self) -> set[tuple[str, str]]:
        """(relation, target 索引号) pairs this item refers to."""
        out: set[tuple[str, str]] = set()
        relations = self.data.get("relations")
        if isinstance(relations, dict):
            for name, targets in relations.items():
                out.update((str(name), str(t)) for t in _as_list(targets))
        out.update(("interprets", str(t)) for t in _as_list(self.data.get("interprets")))
        for event in _as_list(self.data.get("validity_history")):
            if isinstance(event, dict) and event.get("by"):
                out.add(("validity_history.by", str(event["by"])))
        return out


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any
    risk: str | None = None


@dataclass(frozen=True)
class AttachmentChange:
    file: str
    old_sha256: str | None
    new_sha256: str | None


@dataclass
class ItemChange:
    status: str  # added | removed | changed | unreadable
    kind: str
    index_no: str
    title: str
    path: str | None
    old_path: str | None
    url: str | None
    old_url: str | None
    fields: list[FieldChange] = field(default_factory=list)
    body_added: int = 0
    body_removed: int = 0
    attachments: list[AttachmentChange] = field(default_factory=list)

    @property
    def renamed(self) -> bool:
        return self.status == "changed" and self.path != self.old_path

    @property
    def modified(self) -> bool:
        return bool(self.fields or self.body_added or self.body_removed or self.attachments)


@dataclass(frozen=True)
class RelationChange:
    change: str  # added | removed
    relation: str
    source: str
    source_title: str
    target: str
    target_title: str


@dataclass(frozen=True)
class BrokenLink:
    source: str
    source_title: str
    path: str
    relation: str
    target: str


@dataclass(frozen=True)
class PageChange:
    status: str  # added | removed | changed
    path: str
    added: int
    removed: int


@dataclass(frozen=True)
class Problem:
    path: str
    message: str


@dataclass
class Changelog:
    base: Snapshot
    head: Snapshot
    items: list[ItemChange]
    relations: list[RelationChange]
    broken: list[BrokenLink]
    fixed: list[BrokenLink]
    pages: list[PageChange]
    problems: list[Problem]

    def of(self, status: str) -> list[ItemChange]:
        return [i for i in self.items if i.status == status]

    @property
    def renamed(self) -> list[ItemChange]:
        return [i for i in self.items if i.renamed]

    @property
    def modified(self) -> list[ItemChange]:
        return [i for i in self.items if i.status == "changed" and i.modified]

    def risky(self) -> list[tuple[str, ItemChange, FieldChange | None]]:
        """(risk, item, change) — risky field changes and removed items, riskiest first."""
        found: list[tuple[str, ItemChange, FieldChange | None]] = []
        for item in self.items:
            if item.status == "removed":
                found.append(("removed", item, None))
            for change in item.fields:
                if change.risk:
                    found.append((change.risk, item, change))
        return sorted(found, key=lambda r: (RISK_ORDER.index(r[0]), r[1].index_no))

    @property
    def empty(self) -> bool:
        return not (self.items or self.relations or self.broken or self.fixed or self.pages or self.problems)


# ------------------------------------------------------------------ loading
def plain(value: Any) -> Any:
    """Reader values as JSON values (dates as their text)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, YamlDate):
        return value.text
    return value


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


@dataclass
class _Loaded:
    items: dict[str, ItemState] = field(default_factory=dict)
    pages: dict[str, bytes] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)  # path -> message


_Parsed = tuple[dict[str, Any] | None, str, str]  # (plain data, problem, body)


def _parse(raw: bytes) -> _Parsed:
    src = parse("", raw)
    if src.diagnostics or src.data is None:
        d = src.diagnostics[0]
        return None, f"无法解析：第 {d.line} 行 {d.message()}", ""
    return plain(src.data), "", src.body


def load(snap: Snapshot, cache: dict[bytes, _Parsed] | None = None) -> _Loaded:
    """Parse a snapshot's items; ``cache`` shares the work for files identical in both revisions."""
    cache = {} if cache is None else cache
    out = _Loaded()
    for path, raw in sorted(snap.sources.items()):
        kind = kind_of(path)
        if kind == "page":
            out.pages[path] = raw
            continue
        if raw not in cache:
            cache[raw] = _parse(raw)
        data, problem, body = cache[raw]
        if data is None:
            out.problems[path] = problem
            continue
        index_no = data.get("index_no")
        if not isinstance(index_no, (str, int)) or isinstance(index_no, bool) or str(index_no) == "":
            out.problems[path] = "缺少索引号（index_no）"
            continue
        key = str(index_no)
        if key in out.items:
            out.problems[path] = f"索引号 {key} 重复（已用于 {out.items[key].path}）"
            continue
        item_kind = "interpretation" if path.startswith(INTERPRETATIONS_DIR + "/") else "entry"
        out.items[key] = ItemState(path, item_kind, key, data, body)
    return out


# ------------------------------------------------------------------ comparing
def _line_counts(old: str, new: str) -> tuple[int, int]:
    if old == new:
        return 0, 0
    a, b = old.splitlines(), new.splitlines()
    added = removed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return added, removed


def _field_order(kind: str, keys: set[str]) -> list[str]:
    known = [f.name for f in F.FIELDS_BY_KIND[kind]]
    return [k for k in known if k in keys] + sorted(k for k in keys if k not in known)


def _label(kind: str, key: str) -> str:
    fld = F.field_map(kind).get(key)
    return fld.label if fld else ("网址" if key == "url" else key)


def _attachment_files(item: ItemState | None) -> list[str]:
    files = []
    for att in _as_list(item.data.get("attachments") if item else None):
        if isinstance(att, dict) and isinstance(att.get("file"), str):
            files.append(att["file"])
    return files


def _compare_pair(a: ItemState, b: ItemState, base: Snapshot, head: Snapshot) -> ItemChange:
    change = ItemChange("changed", b.kind, b.index_no, b.title, b.path, a.path, b.url, a.url)
    for key in _field_order(b.kind, set(a.data) | set(b.data)):
        old, new = a.data.get(key), b.data.get(key)
        if json.dumps(old, sort_keys=True, ensure_ascii=False) != json.dumps(new, sort_keys=True, ensure_ascii=False):
            change.fields.append(FieldChange(key, _label(b.kind, key), old, new, RISKS.get(key)))
    if a.url != b.url and a.index_no == b.index_no:  # moved between catalogue/ and content/interpretations/
        change.fields.append(FieldChange("url", "网址", a.url, b.url, "index_no"))
    change.body_added, change.body_removed = _line_counts(a.body, b.body)
    for file in dict.fromkeys(_attachment_files(a) + _attachment_files(b)):
        rel = f"catalogue/{file}"
        if base.blob_id(rel) == head.blob_id(rel) is not None:
            continue  # same git object: same content, nothing to read
        old_sha, new_sha = base.sha256(rel), head.sha256(rel)
        if old_sha != new_sha:
            change.attachments.append(AttachmentChange(file, old_sha, new_sha))
    return change


def _whole(status: str, item: ItemState, snap: Snapshot) -> ItemChange:
    added = status == "added"
    change = ItemChange(
        status,
        item.kind,
        item.index_no,
        item.title,
        item.path if added else None,
        None if added else item.path,
        item.url if added else None,
        None if added else item.url,
    )
    lines = len(item.body.splitlines())
    change.body_added, change.body_removed = (lines, 0) if added else (0, lines)
    return change


def _broken(loaded: _Loaded) -> set[tuple[str, str, str]]:
    return {
        (item.index_no, relation, target)
        for item in loaded.items.values()
        for relation, target in item.refs()
        if target not in loaded.items
    }


def compare(base: Snapshot, head: Snapshot) -> Changelog:
    cache: dict[bytes, _Parsed] = {}
    a, b = load(base, cache), load(head, cache)
    pairs: list[tuple[ItemState, ItemState]] = [
        (a.items[k], b.items[k]) for k in sorted(a.items.keys() & b.items.keys())
    ]
    gone = {k: v for k, v in a.items.items() if k not in b.items}
    new = {k: v for k, v in b.items.items() if k not in a.items}
    # Same file, new 索引号: the same item with a new identity (and URL), not an addition and a removal.
    new_by_path = {v.path: k for k, v in new.items()}
    for key, old in sorted(gone.items()):
        if old.path in new_by_path:
            pairs.append((old, new.pop(new_by_path[old.path])))
            del gone[key]
    items = [_compare_pair(x, y, base, head) for x, y in pairs]
    items = [i for i in items if i.modified or i.renamed]
    for old in gone.values():
        if old.path in b.problems:
            change = _whole("unreadable", old, base)
            change.path, change.body_removed = old.path, 0
            items.append(change)
        else:
            items.append(_whole("removed", old, base))
    items += [_whole("added", item, head) for item in new.values()]
    items.sort(key=lambda i: (i.index_no, i.status))

    titles = {k: v.title for k, v in a.items.items()} | {k: v.title for k, v in b.items.items()}
    transitions = [(y.index_no, x.refs(), y.refs()) for x, y in pairs]
    transitions += [(k, v.refs(), set()) for k, v in gone.items()]
    transitions += [(k, set(), v.refs()) for k, v in new.items()]
    relations: list[RelationChange] = []
    for key, before, after in sorted(transitions, key=lambda t: t[0]):
        for how, refs in (("added", after - before), ("removed", before - after)):
            for relation, target in sorted(refs):
                relations.append(
                    RelationChange(how, relation, key, titles.get(key, ""), target, titles.get(target, ""))
                )

    broken_a, broken_b = _broken(a), _broken(b)

    def links(found: set[tuple[str, str, str]], loaded: _Loaded) -> list[BrokenLink]:
        out = []
        for source, relation, target in sorted(found):
            item = loaded.items[source]
            out.append(BrokenLink(source, item.title, item.path, relation, target))
        return out

    pages = []
    for path in sorted(a.pages.keys() | b.pages.keys()):
        old_text = a.pages[path].decode("utf-8", errors="replace") if path in a.pages else ""
        new_text = b.pages[path].decode("utf-8", errors="replace") if path in b.pages else ""
        if old_text != new_text:
            status = "added" if path not in a.pages else "removed" if path not in b.pages else "changed"
            pages.append(PageChange(status, path, *_line_counts(old_text, new_text)))
    problems = [Problem(p, m) for p, m in sorted(b.problems.items())]
    return Changelog(
        base, head, items, relations, links(broken_b - broken_a, b), links(broken_a - broken_b, a), pages, problems
    )


# ------------------------------------------------------------------ JSON
def to_json(log: Changelog) -> str:
    def rev(s: Snapshot) -> dict[str, Any]:
        return {"rev": s.rev, "commit": s.commit, "label": s.label if s.rev else "working tree"}

    def item(i: ItemChange) -> dict[str, Any]:
        out = asdict(i)
        out["renamed"] = i.renamed
        return out

    data = {
        "format": "gongkai-diff/1",
        "base": rev(log.base),
        "head": rev(log.head),
        "summary": {
            "added": len(log.of("added")),
            "removed": len(log.of("removed")),
            "renamed": len(log.renamed),
            "modified": len(log.modified),
            "unreadable": len(log.of("unreadable")) + len(log.problems),
            "risky": len(log.risky()),
            "broken_links": len(log.broken),
        },
        "risky": [
            {
                "risk": risk,
                "index_no": i.index_no,
                "field": c.field if c else None,
                "old": c.old if c else None,
                "new": c.new if c else None,
            }
            for risk, i, c in log.risky()
        ],
        "items": [item(i) for i in log.items],
        "relations": [asdict(r) for r in log.relations],
        "broken_links": [asdict(b) for b in log.broken],
        "fixed_links": [asdict(b) for b in log.fixed],
        "pages": [asdict(p) for p in log.pages],
        "problems": [asdict(p) for p in log.problems],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


# ------------------------------------------------------------------ Markdown
def show(value: Any) -> str:
    """A front-matter value on one line, in the canonical spelling of ``gongkai fmt``."""
    if value is None:
        return "（无）"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k, True, True)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return str(value)


def _flow(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return show(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return value  # a date reads best unquoted, as gongkai fmt writes it in date fields
    return scalar(value, True)


def md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_[]|#":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\r\n", "\n").replace("\n", "<br>")


def _code(text: str) -> str:
    return "`" + text.replace("`", "'").replace("|", "\\|") + "`"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return [*out, ""]


def _sha(value: str | None) -> str:
    return _code(value[:12] + "…") if value else "（无）"


def _item_title(i: ItemChange) -> str:
    kind = "解读" if i.kind == "interpretation" else "条目"
    return f"{kind} {_code(i.index_no)} {md(i.title)}"


def to_markdown(log: Changelog) -> str:
    lines = [MARKER, "## 目录变更报告", "", f"对比：{md(log.base.label)} → {md(log.head.label)}", ""]
    if log.empty:
        return "\n".join([*lines, "未发现目录内容的变化。", ""])
    risky = log.risky()
    lines += _table(
        ["新增", "删除", "重命名", "修改", "高风险变更", "新增断链"],
        [
            [
                str(n)
                for n in (
                    len(log.of("added")),
                    len(log.of("removed")),
                    len(log.renamed),
                    len(log.modified),
                    len(risky),
                    len(log.broken),
                )
            ]
        ],
    )
    if risky:
        lines += ["### ⚠️ 高风险变更", ""]
        rows = []
        for risk, item, change in risky:
            if change is None:
                rows.append(
                    [
                        RISK_LABELS[risk],
                        _code(item.index_no),
                        md(item.title),
                        "整个条目",
                        _code(item.old_url or ""),
                        "（无）",
                    ]
                )
                continue
            old, new = md(show(change.old)), md(show(change.new))
            if change.field == "index_no":
                old, new = f"{old}<br>{_code(item.old_url or '')}", f"{new}<br>{_code(item.url or '')}"
            rows.append([RISK_LABELS[risk], _code(item.index_no), md(item.title), md(change.label), old, new])
        lines += _table(["风险", "索引号", "名称", "字段", "原值", "新值"], rows)
    if log.broken:
        lines += ["### ⛔ 新增断链（引用的索引号已不存在）", ""]
        rows = [
            [_code(b.source), md(b.source_title), md(RELATION_LABELS.get(b.relation, b.relation)), _code(b.target)]
            for b in log.broken
        ]
        lines += _table(["条目", "名称", "关系", "引用的索引号"], rows)
    added = log.of("added")
    if added:
        lines += ["### 新增", ""]
        rows = [[_code(i.index_no), md(i.title), _code(i.path or ""), f"+{i.body_added}"] for i in added]
        lines += _table(["索引号", "名称", "文件", "正文行数"], rows)
    removed = log.of("removed")
    if removed:
        lines += ["### 删除", ""]
        rows = [[_code(i.index_no), md(i.title), _code(i.old_path or ""), _code(i.old_url or "")] for i in removed]
        lines += _table(["索引号", "名称", "原文件", "原网址（将失效）"], rows)
    if log.renamed:
        lines += ["### 重命名（同一条目）", ""]
        rows = [[_code(i.index_no), md(i.title), _code(i.old_path or ""), _code(i.path or "")] for i in log.renamed]
        lines += _table(["索引号", "名称", "原文件", "新文件"], rows)
    if log.modified:
        lines += ["### 修改", ""]
        for i in log.modified:
            lines += [f"#### {_item_title(i)}", "", f"文件：{_code(i.path or '')}", ""]
            if i.fields:
                rows = [
                    [
                        md(c.label)
                        + (f"（{_code(c.field)}）" if c.label != c.field else "")
                        + (" ⚠️" if c.risk else ""),
                        md(show(c.old)),
                        md(show(c.new)),
                    ]
                    for c in i.fields
                ]
                lines += _table(["字段", "原值", "新值"], rows)
            if i.body_added or i.body_removed:
                lines += [f"正文：+{i.body_added} 行，−{i.body_removed} 行", ""]
            for att in i.attachments:
                lines += [f"附件内容变化：{_code(att.file)} sha256 {_sha(att.old_sha256)} → {_sha(att.new_sha256)}", ""]
    if log.relations:
        lines += ["### 关联变化", ""]
        rows = []
        for r in log.relations:
            verb = ("新增" if r.change == "added" else "移除") + RELATION_LABELS.get(r.relation, r.relation)
            rows.append([verb, _code(r.source), md(r.source_title), _code(r.target), md(r.target_title)])
        lines += _table(["变化", "条目", "名称", "对象", "对象名称"], rows)
    if log.fixed:
        lines += ["### 已修复的断链", ""]
        lines += _table(
            ["条目", "关系", "引用的索引号"],
            [[_code(b.source), md(RELATION_LABELS.get(b.relation, b.relation)), _code(b.target)] for b in log.fixed],
        )
    if log.pages:
        lines += ["### 其他页面", ""]
        names = {"added": "新增", "removed": "删除", "changed": "修改"}
        lines += _table(
            ["变化", "文件", "行"], [[names[p.status], _code(p.path), f"+{p.added} −{p.removed}"] for p in log.pages]
        )
    unreadable = log.of("unreadable")
    if unreadable or log.problems:
        lines += ["### ❗ 无法读取的文件", ""]
        rows = [[_code(p.path), md(p.message)] for p in log.problems]
        rows += [[_code(i.path or ""), md(f"原条目 {i.index_no} 无法读取")] for i in unreadable]
        lines += _table(["文件", "问题"], rows)
    return "\n".join(lines)
