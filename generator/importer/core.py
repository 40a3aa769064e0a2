"""One import run: read every source, map and normalise each record, then write the
catalogue files (and ``site_config.yml`` for a new repository) — or, with ``dry_run``,
only say what would happen.

Never invents a value: a field the source does not carry stays absent; a record that
misses a required value is written as a draft (``draft: true``) and each missing value is
reported at the record's source position (W901), so ``gongkai check`` reports exactly
those (W301) and the site builds.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, diag
from generator.importer import normalise as N
from generator.importer.html import html_to_markdown, looks_like_html, plain_to_markdown
from generator.importer.labels import builtin_target, normalise_label
from generator.importer.mapping import Mapping
from generator.importer.readers import Cell, RawRecord, SourceData, read_source
from generator.importer.writer import ExistingFile, render_file, scan_existing
from generator.model import fields as F
from generator.model.config_load import load_config
from generator.model.identifiers import INDEX_NO_FORMATS, parse_doc_number, parse_index_no, slugify_index_no
from generator.model.siteconfig import CONFIG_KEYS, SiteConfig
from generator.model.vocab import Vocabularies
from generator.source.files import CONFIG_FILE

VOCAB_FIELDS = tuple(F.vocab_fields())  # from the field registry (model/fields.py)
_VOCAB_ATTR = F.vocab_fields()
# vocabularies a new repository may extend with a wording its records use
_EXTENSIBLE = ("genre", "channel", "form", "scope", "period")
TEXT_FIELDS = F.names_of_type("text")
DATE_FIELDS = ("written_date", "published_date", "effective_date", "expires")
_ENTRY_ONLY = {
    "doc_number", "written_date", "publisher", "issuers", "disclosure", "info_type", "validity", "genre",
    "scope", "period", "channel", "expires", "effective_date", "registration_no",
}  # fmt: skip
_INTERPRETATION_TARGETS = {"interprets_title", "interprets_doc_number", "interprets_url", "form", "interpreter_org"}
_FRONT_FIELDS = {f.name for kind in ("entry", "interpretation") for f in F.FIELDS_BY_KIND[kind]}


@dataclass
class Prepared:
    """One source record, mapped and normalised, before agencies and files are known."""

    raw: RawRecord
    kind: str
    values: dict[str, Any] = field(default_factory=dict)
    cols: dict[str, int] = field(default_factory=dict)  # field -> source column
    publisher: list[str] = field(default_factory=list)  # agency names (主办 first)
    interpreter_org: str | None = None
    body: str | None = None
    attachments: list[dict[str, str]] = field(default_factory=list)
    interprets: dict[str, str] = field(default_factory=dict)  # title / doc_number / url
    from_mapping: list[str] = field(default_factory=list)  # fields set by the mapping file's values
    skip: bool = False

    def pos(self, key: str) -> tuple[int, int]:
        return (self.raw.line, self.cols.get(key, 1))


@dataclass
class Outcome:
    rel: str
    status: str  # created | updated | unchanged
    kind: str
    missing: list[str]


@dataclass
class ImportResult:
    root: Path
    new_repo: bool
    sources: list[SourceData] = field(default_factory=list)
    mappings: dict[str, dict[str, str | None]] = field(default_factory=dict)  # file -> label -> target
    vocab_readings: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict)  # field -> (raw, reading)
    outcomes: list[Outcome] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    agencies_added: list[dict[str, str]] = field(default_factory=list)
    config_text: str | None = None  # the site_config.yml a new repository gets
    config_notes: list[str] = field(default_factory=list)
    dry_run: bool = False


class Importer:
    def __init__(self, into: Path, mapping: Mapping, dry_run: bool = False) -> None:
        self.into = into
        self.mapping = mapping
        self.dry_run = dry_run
        self.new_repo = not (into / CONFIG_FILE).is_file()
        self.result = ImportResult(into, self.new_repo, dry_run=dry_run)
        if self.new_repo:
            self.config = SiteConfig()
        else:
            self.config, _ = load_config(into)
        self.vocab: Vocabularies = self.config.vocab
        self.records: list[Prepared] = []
        self.local_topics: dict[str, list[str]] = {}  # new top-level class -> children (new repository)
        self.topic_children: dict[str, list[str]] = {}  # existing class -> new children (new repository)
        self.vocab_extra: dict[str, list[str]] = defaultdict(list)
        self.vocab_alias: dict[str, dict[str, str]] = defaultdict(dict)  # field -> wording -> term
        self.alone_names: set[str] = set()
        self._hashes: dict[str, str] = {}  # attachment path -> sha256
        self.reported_fields: set[tuple[str, str]] = set()

    # ------------------------------------------------------------------ diagnostics
    def add(self, source: str, pos: tuple[int, int] | None, code: str, **params: Any) -> None:
        self.result.diagnostics.append(diag(source, pos, code, **params))

    # ------------------------------------------------------------------ reading and mapping
    def read(self, paths: list[Path]) -> None:
        for path in paths:
            shown = path.as_posix()
            data = read_source(path, shown)
            self.result.sources.append(data)
            self.result.diagnostics.extend(data.diagnostics)
            mapping = self.mapping.for_file(path.name)
            table: dict[str, str | None] = {}
            for label in data.labels:
                key = normalise_label(label)
                table[label] = mapping.columns[key] if key in mapping.columns else builtin_target(label)
            self.result.mappings[shown] = table
            for label, target in table.items():
                if target is None and normalise_label(label) not in mapping.columns:
                    col = next((c.col for r in data.records for c in r.cells if c.label == label), 1)
                    line = 1 if data.format in ("csv", "xlsx") else (data.records[0].line if data.records else 1)
                    self.add(shown, (line, col), "W902", column=label)
            inferred: list[Prepared] = []
            interp_file = mapping.kind is None and bool(set(table.values()) & _INTERPRETATION_TARGETS)
            for record in data.records:
                rec = self.prepare(record, table, mapping, path.parent, interp_file)
                self.records.append(rec)
                if rec.kind == "entry" and "disclosure" not in rec.values and rec.body:
                    # a record whose full text the CMS published online was disclosed proactively
                    # (依申请公开 information never is): reported once per export
                    rec.values["disclosure"] = "主动公开"
                    inferred.append(rec)
            if inferred:
                self.add(shown, (inferred[0].raw.line, 1), "W909", count=len(inferred))

    def prepare(
        self, raw: RawRecord, table: dict[str, str | None], mapping: Mapping, base: Path, interp_file: bool = False
    ) -> Prepared:
        by_target: dict[str, Cell] = {}
        for cell in raw.cells:
            target = table.get(cell.label)
            if target and target not in by_target:
                by_target[target] = cell
        kind = mapping.kind
        if kind is None and "kind" in by_target:
            marker = str(by_target["kind"].value)
            kind = "interpretation" if ("解读" in marker or marker.lower().startswith("interp")) else "entry"
        if kind is None:
            has_interp = any(t in by_target for t in ("interprets_title", "interprets_doc_number", "interprets_url"))
            if has_interp or "form" in by_target or "interpreter_org" in by_target:
                kind = "interpretation"
            elif interp_file and not set(by_target) & _ENTRY_ONLY:
                kind = "interpretation"  # a 解读 export's record that names no document
            else:
                kind = "entry"
        rec = Prepared(raw, kind)
        own = F.field_map(kind)
        for target in list(by_target):
            if target in _FRONT_FIELDS and target not in own:  # e.g. 文号 on a 解读: a field it does not have
                if (raw.source, target) not in self.reported_fields:
                    self.reported_fields.add((raw.source, target))
                    self.add(raw.source, (raw.line, by_target[target].col), "W902", column=by_target[target].label)
                del by_target[target]
        rec.cols = {t: c.col for t, c in by_target.items()}
        src = raw.source

        def derived(name: str) -> bool:
            cell = by_target.get(f"derived.{name}")
            return cell is not None and str(cell.value).strip().lower() in ("true", "1", "yes", "是")

        for target, cell in by_target.items():
            value = cell.value
            pos = (raw.line, cell.col)
            if target in ("kind",) or target.startswith("derived."):
                continue
            if target in ("genre", "publisher") and derived(target):
                self.add(src, pos, "W903", label=_label(target, kind), value=_short(value))
                continue
            if target == "title":
                rec.values["title"] = re.sub(r"\s*\n\s*", "", str(value)).strip()
            elif target in TEXT_FIELDS:
                rec.values[target] = str(value).strip()
            elif target == "index_no":
                rec.values["index_no"] = N.compact(value)
            elif target == "doc_number":
                number, done = N.doc_number(value)
                rec.values["doc_number"] = number
                if done == "brackets":
                    self.add(src, pos, "W904", label="文号", value=str(value), new=number)
            elif target in DATE_FIELDS:
                day = N.parse_date(value)
                if day is None:
                    self.add(src, pos, "E906", label=_label(target, kind), value=_short(value))
                else:
                    rec.values[target] = day.isoformat()
            elif target == "publisher":
                rec.publisher = [n for n in re.split(r"[、，,；;]+", str(value)) if n.strip()]
                rec.publisher = [n.strip() for n in rec.publisher]
            elif target == "issuers":
                rec.values["_issuers"] = [n.strip() for n in re.split(r"[、，,；;]+", str(value)) if n.strip()]
            elif target == "interpreter_org":
                rec.interpreter_org = str(value).strip()
            elif target in ("topics", "topic1", "topic2"):
                continue  # below, together
            elif target in VOCAB_FIELDS:
                self.vocab_field(rec, target, value, pos)
            elif target == "keywords":
                rec.values["keywords"] = N.split_list(value)
            elif target == "body":
                rec.body = self.body(rec, str(value), base, pos)
            elif target == "attachments":
                self.attachment_cell(rec, value, base, pos)
            elif target in ("origin.id", "origin.url"):
                rec.values.setdefault("origin", {})[target.split(".")[1]] = str(value).strip()
            elif target.startswith("interprets_"):
                rec.interprets[target[len("interprets_") :]] = re.sub(r"\s*\n\s*", "", str(value)).strip()
        self.topics(rec, by_target)
        for name, value in mapping.values.items():
            if name not in own:
                continue  # a value stated for the other kind of record
            if name not in rec.values and name not in ("publisher", "interpreter_org", "issuers"):
                rec.values[name] = value
                rec.from_mapping.append(name)
            elif name == "publisher" and not rec.publisher:
                rec.publisher = [str(value)]
                rec.from_mapping.append(name)
            elif name == "interpreter_org" and not rec.interpreter_org:
                rec.interpreter_org = str(value)
                rec.from_mapping.append(name)
        return rec

    def vocab_field(self, rec: Prepared, key: str, value: Any, pos: tuple[int, int]) -> None:
        vocab = getattr(self.vocab, _VOCAB_ATTR[key])
        items = N.split_list(value) if key == "channel" else [str(value)]
        out: list[str] = []
        readings = self.result.vocab_readings.setdefault(key, Counter())
        for item in items:
            term, wording = N.vocab_value(key, item, vocab)
            if term is not None:
                out.append(term)
                readings[(wording, term)] += 1
                if term != wording:
                    self.vocab_alias[key][wording] = term
            elif self.new_repo and key in _EXTENSIBLE:
                out.append(wording)
                readings[(wording, "+")] += 1
                if wording not in self.vocab_extra[key]:
                    self.vocab_extra[key].append(wording)
            else:
                out.append(wording)
                readings[(wording, "?")] += 1
                self.add(rec.raw.source, pos, "E907", label=_label(key, rec.kind), value=wording)
        if out:
            rec.values[key] = out if key == "channel" else out[0]

    def topics(self, rec: Prepared, by_target: dict[str, Cell]) -> None:
        cells: list[tuple[Any, int]] = []
        if "topics" in by_target:
            cells.append((by_target["topics"].value, by_target["topics"].col))
        if "topic1" in by_target:
            t1 = str(by_target["topic1"].value).strip()
            t2 = str(by_target["topic2"].value).strip() if "topic2" in by_target else ""
            cells.append((f"{t1}\\{t2}" if t2 else t1, by_target["topic1"].col))
        elif "topic2" in by_target:
            cells.append((by_target["topic2"].value, by_target["topic2"].col))
        if not cells:
            return
        readings = self.result.vocab_readings.setdefault("topics", Counter())
        paths: list[str] = []
        for value, col in cells:
            rec.cols["topics"] = col
            for path, how, original in N.topic_paths(value, self.vocab.topics):
                if how == "unknown":
                    if self.new_repo:
                        self.local_topic(path)
                        readings[(original, "+")] += 1
                    else:
                        readings[(original, "?")] += 1
                        self.add(rec.raw.source, (rec.raw.line, col), "E907", label="主题分类", value=original)
                else:
                    readings[(original, path)] += 1
                    if how == "expanded":
                        self.add(
                            rec.raw.source, (rec.raw.line, col), "W904", label="主题分类", value=original, new=path
                        )
                if path not in paths:
                    paths.append(path)
        rec.values["topics"] = paths

    def local_topic(self, text: str) -> None:
        first, sep, second = text.partition("\\")
        known = next((t for t in self.vocab.topics.top if first in (t.name, *t.aliases)), None)
        if known is not None:
            if sep:
                kids = self.topic_children.setdefault(known.name, [])
                if second not in kids:
                    kids.append(second)
            else:
                self.alone_names.add(known.name)
            return
        kids = self.local_topics.setdefault(first, [])
        if sep and second not in kids:
            kids.append(second)
        if not sep:
            self.alone_names.add(first)

    def body(self, rec: Prepared, text: str, base: Path, pos: tuple[int, int]) -> str:
        if not looks_like_html(text):
            return plain_to_markdown(text)

        def attach(href: str, title: str) -> str | None:
            return self.local_file(href, base)

        converted = html_to_markdown(text, attach)
        for title, stored in converted.attachments:
            rec.attachments.append({"title": title, "file": stored})
        for link in converted.remote:
            self.add(rec.raw.source, pos, "W905", title=link.title or link.href, href=_short(link.href, 80))
        return converted.markdown

    def attachment_cell(self, rec: Prepared, value: Any, base: Path, pos: tuple[int, int]) -> None:
        items = value if isinstance(value, list) else re.split(r"[\n;；]+", str(value))
        extra: list[str] = []
        for item in items:
            if isinstance(item, dict):
                href = str(item.get("url") or item.get("file") or item.get("href") or "")
                title = str(item.get("title") or item.get("name") or href.rsplit("/", 1)[-1])
            else:
                text = str(item).strip()
                if not text:
                    continue
                title, _, href = text.rpartition("|") if "|" in text else ("", "", text)
                title = title.strip() or href.rsplit("/", 1)[-1]
                href = href.strip()
            stored = self.local_file(href, base)
            if stored:
                rec.attachments.append({"title": title, "file": stored})
            else:
                self.add(rec.raw.source, pos, "W905", title=title, href=_short(href, 80))
                if re.match(r"^https?://", href, re.I):
                    extra.append(f"附件：[{_escape_md(title)}](<{href}>)")
        if extra:
            rec.values["_extra_body"] = "\n\n".join(extra) + "\n"

    def local_file(self, href: str, base: Path) -> str | None:
        """A file the export links to and that sits beside it: copied to catalogue/files/imported/."""
        if not href or re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("/"):
            return None
        clean = href.split("?", 1)[0].split("#", 1)[0]
        source = (base / clean).resolve()
        try:
            source.relative_to(base.resolve())
        except ValueError:
            return None
        if not source.is_file():
            return None
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        name = re.sub(r"[^0-9A-Za-z._-]+", "-", source.name).strip("-") or "file"
        rel = f"files/imported/{digest[:12]}-{name}"
        if not self.dry_run:
            target = self.into / "catalogue" / rel
            if not target.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
        self._hashes[rel] = digest
        return rel

    # ------------------------------------------------------------------ repository-wide decisions
    def choose_index_rule(self) -> tuple[str | None, str | None, str, str]:
        """(format name, pattern, example, year rule) fitting the imported 索引号."""
        values = [(r, r.values["index_no"]) for r in self.records if r.values.get("index_no")]
        if not values:
            name = "national"
            return name, None, INDEX_NO_FORMATS[name][1], "published_date"
        chosen: str | None = None
        pattern: str | None = None
        for name, (candidate, _) in INDEX_NO_FORMATS.items():
            if all(re.match(candidate, v) for _, v in values):
                chosen = name
                break
        if chosen is None:
            pattern = _union_pattern([v for _, v in values])
        regex = re.compile(pattern or INDEX_NO_FORMATS[chosen or "national"][0])
        example = values[0][1]
        fits = {"written_date": True, "published_date": True}
        counted = 0
        for rec, value in values:
            parsed = parse_index_no(value, regex)
            if not parsed or not parsed.year:
                continue
            counted += 1
            published = rec.values.get("published_date")
            written = rec.values.get("written_date") if rec.kind == "entry" else published
            if published and int(published[:4]) != parsed.year:
                fits["published_date"] = False
            if written and int(written[:4]) != parsed.year:
                fits["written_date"] = False
        rule = "published_date" if fits["published_date"] else ("written_date" if fits["written_date"] else "none")
        if counted:
            self.result.config_notes.append(f"index_no.year_follows: {rule}")
        return chosen, pattern, example, rule

    def agencies(self, pattern: re.Pattern[str]) -> dict[str, str]:
        """Agency name → id: existing agencies by name, short name or id; new ones added."""
        names: list[str] = []
        for rec in self.records:
            for name in [*rec.publisher, *rec.values.get("_issuers", []), rec.interpreter_org or ""]:
                if name and name not in names:
                    names.append(name)
        ids: dict[str, str] = {}
        taken = {a.id for a in self.config.agencies}
        for a in self.config.agencies:
            for n in (a.name, a.short_name, a.id):
                if n:
                    ids.setdefault(n, a.id)
        prefixes: dict[str, set[str]] = defaultdict(set)
        for rec in self.records:
            owner = (
                rec.interpreter_org if rec.kind == "interpretation" else (rec.publisher[0] if rec.publisher else None)
            )
            parsed = parse_index_no(rec.values.get("index_no", ""), pattern) if rec.values.get("index_no") else None
            if owner and parsed and parsed.prefix:
                prefixes[owner].add(parsed.prefix)
        for name in names:
            if name in ids:
                continue
            agency_id = "jg-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:6]
            while agency_id in taken:
                agency_id += "x"
            taken.add(agency_id)
            ids[name] = agency_id
            entry = {"id": agency_id, "name": name}
            codes = prefixes.get(name, set())
            if len(codes) == 1:
                entry["code"] = next(iter(codes))
            elif len(codes) > 1:
                self.add(CONFIG_FILE, None, "W906", agency=name, codes="、".join(sorted(codes)))
            self.result.agencies_added.append(entry)
        return ids

    # ------------------------------------------------------------------ the run
    def run(self, paths: list[Path]) -> ImportResult:
        self.read(paths)
        if self.new_repo:
            fmt_name, union, example, rule = self.choose_index_rule()
            pattern_text = union or INDEX_NO_FORMATS[fmt_name or "national"][0]
        else:
            pattern_text, example, rule, fmt_name, union = self.config.index_pattern.pattern, "", "", None, None
        ids = self.agencies(re.compile(pattern_text))
        existing = scan_existing(self.into) if not self.new_repo else {}
        by_origin = {e.origin_id: e for e in existing.values() if e.origin_id}
        by_index = {e.index_no: e for e in existing.values() if e.index_no}
        # entries this catalogue holds after the import, for 解读 links by title / 文号 / URL
        targets: dict[str, str] = {}
        for e in existing.values():
            if e.kind == "entry" and e.index_no:
                for k in (e.title, e.doc_number, e.origin_url):
                    if k:
                        targets.setdefault(_key(k), e.index_no)
        for rec in self.records:
            if rec.kind == "entry" and rec.values.get("index_no"):
                for ref in (
                    rec.values.get("title"),
                    rec.values.get("doc_number"),
                    rec.values.get("origin", {}).get("url"),
                ):
                    if ref:
                        targets.setdefault(_key(ref), rec.values["index_no"])
        seen: dict[str, tuple[str, int]] = {}
        for rec in self.records:
            identity = rec.values.get("origin", {}).get("id") or rec.values.get("index_no") or _fallback_id(rec)
            if identity in seen:
                src, line = seen[identity]
                self.add(rec.raw.source, (rec.raw.line, 1), "E909", other=f"{src}:{line}")
                continue
            seen[identity] = (rec.raw.source, rec.raw.line)
            # every imported record says where it came from: the CMS id, or the identity it is
            # matched by on the next import (its 索引号, or a digest of title, date and 文号)
            rec.values.setdefault("origin", {}).setdefault("id", identity)
            self.finish(rec, ids, targets, by_origin, by_index)
        if self.new_repo:
            self.result.config_text = self.config_text(fmt_name, union, example, rule)
            if not self.dry_run:
                (self.into / CONFIG_FILE).write_text(self.result.config_text, encoding="utf-8")
        elif self.result.agencies_added and not self.dry_run:
            self.append_agencies()
        return self.result

    def finish(
        self,
        rec: Prepared,
        ids: dict[str, str],
        targets: dict[str, str],
        by_origin: dict[str, ExistingFile],
        by_index: dict[str, ExistingFile],
    ) -> None:
        values = {k: v for k, v in rec.values.items() if not k.startswith("_")}
        if rec.kind == "entry":
            if rec.publisher:
                values["publisher"] = ids[rec.publisher[0]]
                issuers = rec.values.get("_issuers") or (rec.publisher if len(rec.publisher) > 1 else [])
                if issuers:
                    values["issuers"] = [ids[n] for n in issuers]
        else:
            org = rec.interpreter_org
            if org:
                values["interpreter_org"] = ids[org]
            self.link_interpretation(rec, values, targets)
        if rec.attachments:
            values["attachments"] = [
                {**a, "sha256": self._hashes[a["file"]]} if a["file"] in self._hashes else a for a in rec.attachments
            ]
        body = (rec.body or "") + (rec.values.get("_extra_body") or "")
        old = by_origin.get(values.get("origin", {}).get("id", "")) or by_index.get(values.get("index_no", ""))
        rel = old.rel if old else _path_for(rec.kind, values, rec)
        rendered, missing, status = render_file(rec.kind, values, body if body else None, old, self.into / rel)
        for key in missing:
            label = F.field_map(rec.kind)[key].label if key in F.field_map(rec.kind) else key
            self.add(rec.raw.source, (rec.raw.line, 1), "W901", key=key, label=label)
        self.result.outcomes.append(Outcome(rel, status, rec.kind, missing))
        if status != "unchanged" and not self.dry_run:
            target = self.into / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(rendered)

    def link_interpretation(self, rec: Prepared, values: dict[str, Any], targets: dict[str, str]) -> None:
        ref = rec.interprets
        if not ref:
            return
        found = None
        for k in (ref.get("doc_number"), ref.get("url"), ref.get("title")):
            if k and _key(k) in targets:
                found = targets[_key(k)]
                break
        if found:
            values["interprets"] = [found]
            return
        title = ref.get("title") or ref.get("doc_number") or ref.get("url") or ""
        item: dict[str, str] = {"title": title.strip("《》")}
        number = ref.get("doc_number") or (
            ref.get("title") if ref.get("title") and parse_doc_number(N.compact(ref["title"])) else None
        )
        if number:
            item["doc_number"] = N.compact(number)
        if ref.get("url") and re.match(r"^https?://", ref["url"]):
            item["url"] = ref["url"]
        values["interprets_external"] = [item]
        self.add(rec.raw.source, (rec.raw.line, rec.cols.get("interprets_title", 1)), "W907", title=item["title"])

    # ------------------------------------------------------------------ site_config.yml
    def config_text(self, fmt_name: str | None, union: str | None, example: str, rule: str) -> str:
        from generator.audit.fmt import scalar

        lines = [
            "# 由 gongkai import 生成：请核对站点名称、网址、机构名录和词表后再发布。",
            "site:",
            "  name: 政府信息公开  # 请改为本站名称",
            "  url: https://www.example.gov.cn/  # 请改为本站网址",
            "index_no:",
        ]
        if union:
            lines.append(f"  pattern: {scalar(union, flow=False)}")
        else:
            lines.append(f"  format: {fmt_name}")
        lines.append(f"  example: {scalar(example, flow=False)}")
        lines.append(f"  year_follows: {rule}")
        lines.append("agencies:")
        for a in self.result.agencies_added:
            parts = [f"id: {a['id']}", f"name: {scalar(a['name'])}"]
            if "code" in a:
                parts.append(f'code: "{a["code"]}"')
            lines.append("  - {" + ", ".join(parts) + "}")
        if not self.result.agencies_added:
            lines.append("  []  # 来源中没有发布机构：请在此列出本站机构 {id, name, code}")
        vocab_lines: list[str] = []
        extend: list[str] = []
        for n, name in enumerate(sorted(self.local_topics), start=1):
            kids = self.local_topics[name]
            item = f"    - {{name: {scalar(name)}, slug: local-{n:02d}"
            if kids:
                item += (
                    ", children: ["
                    + ", ".join(f"{{name: {scalar(k)}, slug: local-{n:02d}-{i:02d}}}" for i, k in enumerate(kids, 1))
                    + "]"
                )
                if name in self.alone_names:
                    item += ", alone: true"
            extend.append(item + "}")
        for name in sorted(set(self.topic_children) | (self.alone_names - set(self.local_topics))):
            kids = self.topic_children.get(name, [])
            item = f"    - {{name: {scalar(name)}"
            if kids:
                item += ", children: [" + ", ".join(f"{{name: {scalar(k)}}}" for k in kids) + "]"
            if name in self.alone_names:
                item += ", alone: true"
            extend.append(item + "}")
        if extend:
            vocab_lines += ["  topics_extend:", *extend]
        for key in VOCAB_FIELDS:
            if key not in self.vocab_alias and key not in self.vocab_extra:
                continue
            vocab = getattr(self.vocab, _VOCAB_ATTR[key])
            aliases: dict[str, list[str]] = defaultdict(list)
            for wording, term in sorted(self.vocab_alias.get(key, {}).items()):
                aliases[term].append(wording)
            vocab_lines.append(f"  {_VOCAB_ATTR[key]}:")
            for term in vocab.terms:
                al = [*term.aliases, *aliases.get(term.name, [])]
                alias_text = f", aliases: [{', '.join(scalar(a) for a in al)}]" if al else ""
                vocab_lines.append(f"    - {{name: {scalar(term.name)}, slug: {scalar(term.slug)}{alias_text}}}")
            for i, extra in enumerate(self.vocab_extra.get(key, []), 1):
                vocab_lines.append(f"    - {{name: {scalar(extra)}, slug: local-{i:02d}}}")
        if vocab_lines:
            lines += ["vocabularies:", *vocab_lines]
        assert all(k in CONFIG_KEYS for k in ("index_no.year_follows", "vocabularies.topics_extend"))
        return "\n".join(lines) + "\n"

    def append_agencies(self) -> None:
        from generator.audit.fmt import scalar

        path = self.into / CONFIG_FILE
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        start = next((i for i, line in enumerate(lines) if re.match(r"^agencies:\s*(#.*)?$", line)), None)
        if start is None:
            for a in self.result.agencies_added:
                self.add(CONFIG_FILE, None, "W908", agency=a["name"], id=a["id"])
            return
        end = next((i for i in range(start + 1, len(lines)) if re.match(r"^[^\s#-]", lines[i])), len(lines))
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        indent = next((re.match(r"^(\s*)-", x)[1] for x in lines[start + 1 : end] if re.match(r"^\s*-", x)), "  ")  # type: ignore[index]
        new = []
        for a in self.result.agencies_added:
            parts = [f"id: {a['id']}", f"name: {scalar(a['name'])}"]
            if "code" in a:
                parts.append(f'code: "{a["code"]}"')
            new.append(f"{indent}- {{" + ", ".join(parts) + "}  # gongkai import 添加")
        lines[end:end] = new
        path.write_text("\n".join(lines), encoding="utf-8")


def _escape_md(text: str) -> str:
    from generator.importer.html import escape_inline

    return escape_inline(text)


def _label(key: str, kind: str) -> str:
    spec = F.field_map(kind)
    if key in spec:
        return spec[key].label
    other = F.field_map("entry" if kind != "entry" else "interpretation")
    return other[key].label if key in other else key


def _short(value: Any, limit: int = 40) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _key(text: str) -> str:
    return re.sub(r"[\s《》“”\"'〈〉<>（）()]+", "", str(text))


def _fallback_id(rec: Prepared) -> str:
    basis = f"{rec.values.get('title', '')}|{rec.values.get('published_date', '')}|{rec.values.get('doc_number', '')}"
    if basis == "||":
        basis = f"{rec.raw.source}:{rec.raw.line}"
    return "t-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:12]


def _path_for(kind: str, values: dict[str, Any], rec: Prepared) -> str:
    year = str(values.get("published_date", ""))[:4] or "undated"
    if values.get("index_no"):
        slug = slugify_index_no(values["index_no"])
    elif values.get("origin", {}).get("id"):
        slug = "id-" + slugify_index_no(values["origin"]["id"])
    else:
        slug = _fallback_id(rec)
    folder = "catalogue" if kind == "entry" else "content/interpretations"
    return f"{folder}/{year}/{slug}.md"


_PREFIXES = (
    ("[0-9A-Z]{9}", re.compile(r"^[0-9A-Z]{9}$")),
    ("[0-9A-Z]{18}", re.compile(r"^[0-9A-Z]{18}$")),
    ("[0-9A-Z]{7,8}-[0-9A-Z]", re.compile(r"^[0-9A-Z]{7,8}-[0-9A-Z]$")),
)


def _union_pattern(values: list[str]) -> str:
    """One pattern for 索引号 of the slash family with several prefix shapes (9-char code,
    18-char credit code, hyphenated code), a year or year-month, and 5- to 7-digit serials;
    anything else falls back to a permissive ``prefix/year…-serial`` pattern."""
    prefixes: list[str] = []
    month = False
    serial = set()
    for v in values:
        m = re.match(r"^([0-9A-Z-]+)/(\d{4})(\d{2})?-(\d+)$", v)
        if not m:
            return r"^(?P<prefix>[0-9A-Za-z-]*?)[/-]?(?P<year>(?:19|20)\d{2})\d{0,4}-(?P<serial>\d{1,8})$"
        shape = next((p for p, rx in _PREFIXES if rx.match(m[1])), None)
        if shape is None:
            return r"^(?P<prefix>[0-9A-Za-z-]+)/(?P<year>\d{4})(?:\d{2})?-(?P<serial>\d{1,8})$"
        if shape not in prefixes:
            prefixes.append(shape)
        month = month or bool(m[3])
        serial.add(len(m[4]))
    months = "(?:\\d{2})?" if month else ""
    lo, hi = min(serial), max(serial)
    count = f"{{{lo}}}" if lo == hi else f"{{{lo},{hi}}}"
    return f"^(?P<prefix>{'|'.join(prefixes)})/(?P<year>\\d{{4}}){months}-(?P<serial>\\d{count})$"


def run_import(sources: list[Path], into: Path, mapping: Mapping, dry_run: bool = False) -> ImportResult:
    return Importer(into, mapping, dry_run).run(sources)
