"""The changelog's types: one item at a revision (:class:`ItemState`), what changed about
it (:class:`ItemChange` and its field, attachment and relation changes), and the whole
:class:`Changelog` of two revisions; the risk classes the report calls out first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.audit.gitdiff import Snapshot
from generator.model.identifiers import slugify_index_no

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


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


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
