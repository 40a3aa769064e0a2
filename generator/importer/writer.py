"""The canonical writer: imported values → a catalogue file in ``gongkai fmt``'s canonical
form, and re-import identity.

A record already in the repository (found by ``origin.id``, else by 索引号) keeps its
path; the values the source carries replace the file's, the values it does not carry (an
editor's additions) stay. When nothing changed the file is left byte for byte as it is, so
re-running an import changes nothing and a newer export rewrites only what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.audit.fmt import format_bytes, normalised
from generator.model import fields as F
from generator.model.vocab import INITIAL_VALIDITY, NORMATIVE_TYPES
from generator.source.files import discover
from generator.source.frontmatter import YamlDate, parse


@dataclass
class ExistingFile:
    rel: str
    kind: str
    raw: bytes
    data: dict[str, Any]  # plain values (dates as text)
    body: str

    @property
    def origin_id(self) -> str:
        origin = self.data.get("origin")
        return str(origin.get("id") or "") if isinstance(origin, dict) else ""

    @property
    def origin_url(self) -> str:
        origin = self.data.get("origin")
        return str(origin.get("url") or "") if isinstance(origin, dict) else ""

    @property
    def index_no(self) -> str:
        value = self.data.get("index_no")
        return str(value) if isinstance(value, (str, int)) else ""

    @property
    def title(self) -> str:
        return str(self.data.get("title") or "")

    @property
    def doc_number(self) -> str:
        return str(self.data.get("doc_number") or "")


def plain(value: Any) -> Any:
    if isinstance(value, YamlDate):
        return value.text
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def scan_existing(root: Path) -> dict[str, ExistingFile]:
    """Catalogue entries and interpretations already in the repository, by path."""
    out: dict[str, ExistingFile] = {}
    for ref in discover(root):
        if ref.problem is not None or ref.kind not in ("entry", "interpretation"):
            continue
        try:
            raw = (root / ref.rel).read_bytes()
        except OSError:
            continue
        src = parse(ref.rel, raw)
        if src.data is None:
            continue
        out[ref.rel] = ExistingFile(ref.rel, ref.kind, raw, plain(src.data), src.body)
    return out


# libyaml's emitter when present: the draft it writes is reformatted canonically anyway
_BASE: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BASE):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def missing_fields(kind: str, data: dict[str, Any]) -> list[str]:
    """Required values absent — including those a rule makes required: 文号 and 效力状况 of a
    规章/行政规范性文件, and the dated history of a status other than the initial one."""
    missing = [f.name for f in F.FIELDS_BY_KIND[kind] if f.required == "yes" and data.get(f.name) in (None, "", [])]
    if kind == "interpretation" and not data.get("interprets") and not data.get("interprets_external"):
        missing.append("interprets")
    if kind == "entry":
        if data.get("info_type") in NORMATIVE_TYPES:
            missing += [k for k in ("doc_number", "validity") if not data.get(k)]
        validity = data.get("validity")
        if validity and validity not in INITIAL_VALIDITY and not data.get("validity_history"):
            missing.append("validity_history")
    return missing


def compose(kind: str, data: dict[str, Any], body: str, rel: str) -> bytes:
    front = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    raw = ("---\n" + front + "---\n" + body).encode("utf-8")
    result = format_bytes(raw, rel, kind)
    return result.formatted if result.formatted is not None else raw


def render_file(
    kind: str, values: dict[str, Any], body: str | None, old: ExistingFile | None, path: Path
) -> tuple[bytes, list[str], str]:
    """(the file's bytes, required fields still missing, created | updated | unchanged)."""
    rel = old.rel if old else path.name
    if old is not None:
        data = dict(old.data)
        data.update(values)
        text = body if body is not None else old.body
    else:
        data = dict(values)
        text = body or ""
    missing = missing_fields(kind, data)
    if missing:
        data["draft"] = True  # incomplete: kept off the site until an editor completes it
    if old is None:
        return compose(kind, data, text, rel), missing, "created"
    if normalised(data) == normalised(old.data) and text == old.body:
        return old.raw, missing, "unchanged"
    rendered = compose(kind, data, text, rel)
    return rendered, missing, "unchanged" if rendered == old.raw else "updated"
