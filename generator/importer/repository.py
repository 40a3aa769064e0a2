"""Decisions about the target repository: the 索引号 rule that fits the imported numbers,
agency ids for the agencies the records name, and the ``site_config.yml`` of a new
repository (or the agencies appended to an existing one)."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

from generator.importer.state import _VOCAB_ATTR, VOCAB_FIELDS, ImportState
from generator.model.identifiers import INDEX_NO_FORMATS, parse_index_no
from generator.model.siteconfig import CONFIG_KEYS
from generator.source.files import CONFIG_FILE


class RepositoryDecisions(ImportState):
    """The repository-wide half of :class:`~generator.importer.core.Importer`."""

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
