"""Loading the catalogue of a revision (the front matter as written, the body's lines)
and comparing two revisions item by item, keyed by 索引号 (generator/audit/changelog.py)."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from generator.audit.changes import (
    RISKS,
    AttachmentChange,
    BrokenLink,
    Changelog,
    FieldChange,
    ItemChange,
    ItemState,
    PageChange,
    Problem,
    RelationChange,
    _as_list,
)
from generator.audit.gitdiff import Snapshot
from generator.model import fields as F
from generator.source.files import INTERPRETATIONS_DIR, kind_of
from generator.source.frontmatter import YamlDate, parse


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
