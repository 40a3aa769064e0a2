"""Rules that need the whole catalogue: identifiers, references, validity, attachments."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, diag
from generator.model.entry import Entry, Interpretation, Item, Page
from generator.model.identifiers import parse_index_no
from generator.model.links import body_links, hidden_target, hidden_targets
from generator.model.siteconfig import SiteConfig
from generator.model.vocab import INITIAL_VALIDITY, NORMATIVE_TYPES, did_you_mean
from generator.source.files import PROBLEMS, safe_join
from generator.source.frontmatter import KeyPath, SourceFile


class CrossChecker:
    def __init__(
        self,
        root: Path,
        config: SiteConfig,
        entries: list[Entry],
        interps: list[Interpretation],
        sources: dict[str, SourceFile],
        build_date: dt.date,
        known: set[str] | None = None,
        partial: Iterable[Item] = (),
    ) -> None:
        self.root = root
        self.config = config
        self.entries = entries
        self.interps = interps
        self.sources = sources
        self.build_date = build_date
        self.diags: list[Diagnostic] = []
        # items missing a required field (see partial_item): checked for what they have
        self.partial = list(partial)
        self.entry_ids = {e.index_no: e for e in entries}
        # index numbers of files that failed their own checks: not reported again as missing
        self.known = (known or set()) - {i.index_no for i in interps}
        # the SHA-256 of an attachment (hex); the check cache's remembers them by their stat
        self.sha_of: Callable[[Path], str] = _sha256

    def add(self, item: Item, path: KeyPath, code: str, **params: Any) -> None:
        src = self.sources[item.source]
        self.diags.append(diag(item.source, src.pos(path), code, **params))

    def run(self, files: bool = True) -> list[Diagnostic]:
        """Every cross-file diagnostic; ``files=False``: all but those about attachment files
        (:meth:`files`), which read the file system: the others depend only on the items, their
        front matter positions, the configuration and the build date (project caches them)."""
        items: list[Item] = [*self.entries, *self.interps]
        self.identifiers([*items, *(i for i in self.partial if "index_no" not in i.missing)])
        for entry in [*self.entries, *(i for i in self.partial if isinstance(i, Entry))]:
            if not {"written_date", "published_date"} & entry.missing:
                self.dates(entry)
            self.validity(entry)
            self.relations(entry)
        for interp in [*self.interps, *(i for i in self.partial if isinstance(i, Interpretation))]:
            self.interpretation(interp)
        if files:
            self.files()
        self.cycles()
        self.interpreted()
        self.annual_identity()
        return self.diags

    # 索引号 unique (E304); each item's own prefix and year (E302, E303) are checked with
    # the file (identifier_checks, run by project._load_one and cached with its results).
    def identifiers(self, items: Iterable[Item]) -> None:
        seen: dict[str, Item] = {}
        for item in sorted(items, key=lambda i: i.source):
            if item.index_no in seen:
                self.add(item, ("index_no",), "E304", value=item.index_no, other=seen[item.index_no].source)
            else:
                seen[item.index_no] = item

    def dates(self, entry: Entry) -> None:
        if entry.written_date > entry.published_date:
            self.add(
                entry,
                ("written_date",),
                "E203",
                written=entry.written_date.isoformat(),
                published=entry.published_date.isoformat(),
            )

    def validity(self, entry: Entry) -> None:
        history = entry.validity_history
        if not history:
            return
        transitions = self.config.vocab.transitions
        if history[0].status not in INITIAL_VALIDITY:
            self.add(
                entry,
                ("validity_history", 0, "status"),
                "E502",
                old="（无）",
                new=history[0].status,
                allowed=" 或 ".join(INITIAL_VALIDITY),
            )
        for i in range(1, len(history)):
            old, new = history[i - 1].status, history[i].status
            allowed = transitions.get(old, ())
            if new not in allowed:
                self.add(
                    entry,
                    ("validity_history", i, "status"),
                    "E502",
                    old=old,
                    new=new,
                    allowed=f"{old} → {'、'.join(allowed)}" if allowed else f"{old} 为最终状态",
                )
        for i, event in enumerate(history):
            if event.by and event.by not in self.entry_ids and event.by not in self.known:
                self.unresolved(entry, ("validity_history", i, "by"), event.by)
        if entry.validity and history[-1].status != entry.validity:
            self.add(entry, ("validity",), "E503", validity=entry.validity, last=history[-1].status)
        if entry.effective_date and entry.validity == "尚未生效" and entry.effective_date <= self.build_date:
            self.add(entry, ("validity",), "W104", effective=entry.effective_date.isoformat())
        if entry.expires and entry.validity == "有效" and entry.expires < self.build_date:
            self.add(entry, ("expires",), "E507", expires=entry.expires.isoformat())

    def relations(self, entry: Entry) -> None:
        for rel, targets in entry.relations.items():
            for i, target in enumerate(targets):
                if target == entry.index_no:
                    self.add(entry, ("relations", rel, i), "E506")
                elif target not in self.entry_ids:
                    self.unresolved(entry, ("relations", rel, i), target)
                else:
                    self.public_target(entry, ("relations", rel, i), self.entry_ids[target])

    def interpretation(self, interp: Interpretation) -> None:
        for i, target in enumerate(interp.interprets):
            entry = self.entry_ids.get(target)
            if entry is None:
                self.unresolved(interp, ("interprets", i), target)
                continue
            self.public_target(interp, ("interprets", i), entry)

    def files(self) -> list[Diagnostic]:
        """The attachments and media files: there, readable, of the recorded SHA-256 (the
        diagnostics found here, also added to the others)."""
        start = len(self.diags)
        for entry in [*self.entries, *(i for i in self.partial if isinstance(i, Entry))]:
            self.attachments(entry, entry.attachments, "catalogue", ("attachments",))
        for interp in [*self.interps, *(i for i in self.partial if isinstance(i, Interpretation))]:
            if interp.media:
                self.attachments(interp, ({"file": interp.media["file"]},), "content", ("media",))
        return self.diags[start:]

    def unresolved(self, item: Item, path: KeyPath, target: str) -> None:
        if target in self.known:
            return
        suggestion = did_you_mean(target, self.entry_ids)
        hint = f"您是不是要写 {suggestion}？" if suggestion else "填写目录中已有条目的索引号"
        self.add(
            item,
            path,
            "E501",
            value=target,
            hint=hint,
            suggestion=suggestion or "",
            hint_en="" if suggestion else "use the index_no of an existing catalogue entry",
        )

    def public_target(self, item: Item, path: KeyPath, target: Entry) -> None:
        if item.is_published(self.build_date) and not target.is_published(self.build_date):
            self.add(item, path, "W102", value=target.index_no)

    def attachments(self, item: Item, attachments: Iterable[Any], base: str, path: KeyPath) -> None:
        for i, att in enumerate(attachments):
            file = att["file"] if isinstance(att, dict) else att.file
            sha = None if isinstance(att, dict) else att.sha256
            where: KeyPath = (*path, "file") if isinstance(att, dict) else (*path, i, "file")
            target = safe_join(self.root, base, file)
            if target is None:
                self.add(item, where, "E603", file=file)
            elif target.exists() and not target.is_file():
                zh, en = PROBLEMS["special"]
                self.add(item, where, "E027", file=file, reason=zh, reason_en=en)
            elif not target.is_file():
                self.add(item, where, "E601", file=file, base=base)
            else:
                try:
                    # an unreadable file fails here, positioned, not in the build
                    actual = self.sha_of(target) if sha else _readable(target)
                except OSError as exc:
                    zh, en = PROBLEMS["unreadable"] if isinstance(exc, PermissionError) else (str(exc), str(exc))
                    self.add(item, where, "E027", file=file, reason=zh, reason_en=en)
                    continue
                if sha and actual != sha:
                    self.add(item, (*path, i, "sha256"), "E602", file=file, actual=actual)

    def cycles(self) -> None:
        graph = {
            e.index_no: [t for ts in e.relations.values() for t in ts if t in self.entry_ids and t != e.index_no]
            for e in self.entries
        }
        state: dict[str, int] = {}
        reported: set[frozenset[str]] = set()
        for start in sorted(graph):
            stack: list[tuple[str, int]] = [(start, 0)]
            trail: list[str] = []
            while stack:
                node, i = stack.pop()
                if i == 0:
                    if state.get(node) == 2:
                        continue
                    state[node] = 1
                    trail.append(node)
                children = graph[node]
                if i < len(children):
                    stack.append((node, i + 1))
                    child = children[i]
                    if state.get(child) == 1:
                        cycle = trail[trail.index(child) :]
                        if frozenset(cycle) not in reported:
                            reported.add(frozenset(cycle))
                            first = self.entry_ids[cycle[0]]
                            self.add(first, ("relations",), "E505", cycle=" → ".join([*cycle, child]))
                    elif state.get(child) != 2:
                        stack.append((child, 0))
                else:
                    state[node] = 2
                    trail.pop()

    def interpreted(self) -> None:
        targets = {t for i in self.interps for t in i.interprets}
        for entry in self.entries:
            if entry.info_type in NORMATIVE_TYPES and entry.index_no not in targets and not entry.draft:
                self.add(entry, ("info_type",), "W101", doc_type=entry.info_type)

    def annual_identity(self) -> None:
        """W130: each public entry that breaks a year's 现行有效 identity (generator/model/annual.py)."""
        from generator.model.annual import annual_stats

        public = [e for e in self.entries if e.is_published(self.build_date)]
        by_id = {e.index_no: e for e in public}
        for ys in annual_stats(public, self.build_date):
            for row in ys.rows:
                if row.balanced:
                    continue
                for cause in row.causes:
                    effect = f"{cause.effect:+d}"
                    entry = by_id[cause.index_no]
                    if not entry.validity and not entry.validity_history:
                        continue  # no validity at all: E105 already says so
                    if entry.origin is not None and not entry.validity_history:
                        continue  # imported with a current status but no dated history (the source has none; E504 allows it)
                    self.add(
                        entry,
                        ("validity_history",),
                        "W130",
                        year=ys.year,
                        info_type=row.info_type,
                        effect=effect,
                        reason=cause.reason,
                        reason_en=cause.reason_en,
                    )


def identifier_checks(item: Item, config: SiteConfig, src: SourceFile) -> list[Diagnostic]:
    """One item's 索引号 against its own fields: the prefix is its publisher's code (when that
    has one, E302), the year that of the date the site's rule names (index_no.year_follows,
    E303). Depends on the item and the configuration only; uniqueness is CrossChecker's."""
    out: list[Diagnostic] = []
    if "index_no" in item.missing:
        return out
    agency_id = item.publisher if isinstance(item, Entry) else item.interpreter_org  # type: ignore[attr-defined]
    agency = config.agency(agency_id)
    parsed = parse_index_no(item.index_no, config.index_pattern)
    if item.missing & {"publisher", "interpreter_org"}:
        agency = None
    if parsed and parsed.prefix and agency and agency.code and parsed.prefix != agency.code:
        suggestion = agency.code + item.index_no[len(parsed.prefix) :]
        out.append(
            diag(
                item.source,
                src.pos(("index_no",)),
                "E302",
                prefix=parsed.prefix,
                agency=agency.name,
                agency_code=agency.code,
                suggestion=suggestion,
            )
        )
    rule = config.index_year_follows
    day, label, key = item.published_date, "公开日期", "published_date"
    if rule == "written_date" and isinstance(item, Entry):
        day, label, key = item.written_date, "成文日期", "written_date"
    if rule != "none" and parsed and parsed.year and key not in item.missing and parsed.year != day.year:
        out.append(
            diag(
                item.source,
                src.pos(("index_no",)),
                "E303",
                year=parsed.year,
                date=day.isoformat(),
                date_label=label,
                date_key=key,
            )
        )
    return out


def _readable(path: Path) -> str:
    with path.open("rb") as f:
        f.read(1)
    return ""


def _sha256(path: Path) -> str:
    """Hash in chunks: an attachment may be far larger than memory allows."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def hidden_links(
    entries: list[Entry],
    interps: list[Interpretation],
    pages: list[Page],
    build_date: dt.date,
    links: dict[str, tuple[tuple[str, int, int], ...]] | None = None,
) -> list[Diagnostic]:
    """W102 for every body link of a published item or page that reaches something unpublished.

    ``links``: source path -> ``body_links`` of that item's body, where already known (the
    check cache keeps them); the others' bodies are scanned here.
    """
    hidden = hidden_targets(entries, interps, build_date)
    if not hidden:
        return []
    out: list[Diagnostic] = []
    linking: list[Item | Page] = [*entries, *interps, *pages]
    for item in linking:
        if isinstance(item, Page):
            if item.draft:
                continue
        elif not item.is_published(build_date) or (isinstance(item, Entry) and not item.body_public):
            continue
        found = links.get(item.source) if links is not None else None
        for target, line, col in body_links(item.body) if found is None else found:
            value = hidden_target(target, item.source, hidden)
            if value is not None:
                out.append(diag(item.source, (item.body_line + line, col), "W102", value=value))
    return out
