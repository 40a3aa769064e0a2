"""One import run: read every source, map and normalise each record, then write the
catalogue files (and ``site_config.yml`` for a new repository) — or, with ``dry_run``,
only say what would happen.

Never invents a value: a field the source does not carry stays absent; a record that
misses a required value is written as a draft (``draft: true``) and each missing value is
reported at the record's source position (W901), so ``gongkai check`` reports exactly
those (W301) and the site builds.

The steps are split by concern: importer/state.py (the run's state and result types),
prepare.py (reading and preparing records), repository.py (the 索引号 rule, agency ids,
site_config.yml); this module runs them and writes the files.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from generator.importer import normalise as N
from generator.importer.mapping import Mapping
from generator.importer.prepare import RecordReader
from generator.importer.repository import RepositoryDecisions
from generator.importer.state import VOCAB_FIELDS, ImportResult, ImportState, Outcome, Prepared
from generator.importer.writer import ExistingFile, render_file, scan_existing
from generator.model import fields as F
from generator.model.identifiers import INDEX_NO_FORMATS, parse_doc_number, slugify_index_no
from generator.source.files import CONFIG_FILE

__all__ = ["VOCAB_FIELDS", "ImportResult", "ImportState", "Importer", "Outcome", "Prepared", "run_import"]


class Importer(RecordReader, RepositoryDecisions):
    """One import run: read and prepare every record, decide the repository's rules, write."""

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


def run_import(sources: list[Path], into: Path, mapping: Mapping, dry_run: bool = False) -> ImportResult:
    return Importer(into, mapping, dry_run).run(sources)
