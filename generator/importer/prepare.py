"""Reading the sources and preparing each record: the column mapping, the values normalised
field by field (vocabulary wordings, topics, dates, HTML bodies), attachments copied."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from generator.importer import normalise as N
from generator.importer.html import html_to_markdown, looks_like_html, plain_to_markdown
from generator.importer.labels import builtin_target, normalise_label
from generator.importer.mapping import Mapping
from generator.importer.readers import Cell, RawRecord, read_source
from generator.importer.state import (
    _ENTRY_ONLY,
    _EXTENSIBLE,
    _FRONT_FIELDS,
    _INTERPRETATION_TARGETS,
    _VOCAB_ATTR,
    DATE_FIELDS,
    TEXT_FIELDS,
    VOCAB_FIELDS,
    ImportState,
    Prepared,
    _escape_md,
    _label,
    _short,
)
from generator.model import fields as F


class RecordReader(ImportState):
    """The reading half of :class:`~generator.importer.core.Importer`."""

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
