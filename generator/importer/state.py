"""What one import run holds: the prepared records, the result it reports, the target
repository's configuration and the vocabulary wordings it learns (:class:`ImportState`,
shared by the reading, the repository decisions and the run), and the field groups the
importer treats alike, from the field registry."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, diag
from generator.importer.mapping import Mapping
from generator.importer.readers import RawRecord, SourceData
from generator.model import fields as F
from generator.model.config_load import load_config
from generator.model.siteconfig import SiteConfig
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


class ImportState:
    """The state of one import run; :class:`~generator.importer.core.Importer` adds the steps."""

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
