"""The changelog as JSON and as the Markdown report auditors read (docs/diff.md)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from typing import Any

from generator.audit.changes import (
    MARKER,
    RELATION_LABELS,
    RISK_LABELS,
    Changelog,
    ItemChange,
)
from generator.audit.fmt import scalar
from generator.audit.gitdiff import Snapshot


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
