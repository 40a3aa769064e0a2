"""The schema reference cannot drift: every field, config key, vocabulary term and code is documented."""

from __future__ import annotations

import re

import pytest

from generator.diagnostics import MESSAGES
from generator.model import fields as F
from generator.model.siteconfig import CONFIG_KEYS
from generator.model.vocab import Vocabularies
from tests.conftest import REPO

DOC = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")


def table_rows(doc: str) -> set[str]:
    return set(re.findall(r"^\| `([^`]+)` \|", doc, re.MULTILINE))


@pytest.mark.parametrize("kind", sorted(F.FIELDS_BY_KIND))
def test_every_field_is_documented(kind: str) -> None:
    rows = table_rows(DOC)
    missing = [f.name for f in F.FIELDS_BY_KIND[kind] if f.name not in rows]
    assert missing == []


def test_every_subfield_is_documented() -> None:
    rows = set(re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|", DOC, re.MULTILINE))
    missing = [(k, s) for k, sub in F.SUBFIELDS.items() for s in sub if (k, s) not in rows]
    assert missing == []


def test_every_config_key_is_documented() -> None:
    rows = table_rows(DOC)
    assert [k for k in CONFIG_KEYS if k not in rows] == []


def test_every_vocabulary_term_is_documented() -> None:
    v = Vocabularies.defaults()
    terms = [t.name for t in v.topics.top] + [c.name for kids in v.topics.children.values() for c in kids]
    for vocab in (v.genres, v.info_types, v.validity, v.disclosure, v.forms, v.scopes, v.periods, v.channels):
        terms += vocab.names()
    assert [t for t in terms if t not in DOC] == []


def test_every_diagnostic_code_is_documented() -> None:
    assert [c for c in MESSAGES if f"| {c} |" not in DOC] == []


def test_readme_states_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "python3 -m pip install -e . && gongkai build" in readme
    assert "bash scripts/test.sh" in readme
    assert (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().endswith("exec bash scripts/test.sh")


def test_the_safety_section_of_readme_and_docs_agree() -> None:
    """README's 安全与隐私 is copied at the top of docs/safety.md: one text, two places."""

    def section(text: str) -> str:
        part = text.split("## 安全与隐私", 1)[1]
        part = part.split("\n---\n", 1)[0].split("开发者说明", 1)[0]
        return part.replace("(docs/schema.md)", "(schema.md)").strip()

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    safety = (REPO / "docs" / "safety.md").read_text(encoding="utf-8")
    assert section(readme) == section(safety)


# ------------------------------------------------------------------ the registry, row by row
_SECTIONS = {"entry": "## 目录条目字段", "interpretation": "## 政策解读字段", "page": "## 页面字段"}
_NEED = {"yes": "必填", "cond": "条件必填", "no": "选填"}


def _section(heading: str) -> str:
    start = DOC.index(heading)
    end = DOC.find("\n## ", start + 1)
    return DOC[start : end if end >= 0 else None]


@pytest.mark.parametrize("kind", sorted(F.FIELDS_BY_KIND))
def test_field_tables_say_what_the_registry_says(kind: str) -> None:
    """Datasette-style: each kind's table in docs/schema.md is the registry — label, type,
    requirement and help of every field, and no field the registry does not declare."""
    rows = re.findall(
        r"^\| `([^`]+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \| (.+) \|$", _section(_SECTIONS[kind]), re.MULTILINE
    )
    documented = {name: (label, typ, need, text) for name, label, typ, need, text in rows}
    declared = {f.name: (f.label, F.TYPE_NAMES[f.type][0], _NEED[f.required], f.help) for f in F.FIELDS_BY_KIND[kind]}
    assert documented == declared


def test_subfield_table_says_what_the_registry_says() -> None:
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \| (是|否) \|$", _section("## 结构化字段的子字段"), re.MULTILINE)
    declared = [(k, s, "是" if spec[0] else "否") for k, sub in F.SUBFIELDS.items() for s, spec in sub.items()]
    assert sorted(rows) == sorted(declared)


def test_every_vocabulary_field_has_its_vocabulary_documented() -> None:
    """A field whose values come from a vocabulary: its default terms under a heading naming
    the field, and the site_config.yml key that replaces them."""
    for name, vocab in F.vocab_fields().items():
        assert re.search(rf"^### .+ \(`{name}`\)$", DOC, re.MULTILINE), name
        assert f"vocabularies.{vocab}" in CONFIG_KEYS, vocab
        assert f"| `vocabularies.{vocab}` |" in DOC, vocab
