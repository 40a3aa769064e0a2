"""The field registry (model/fields.py): one declaration per field, everything else derived.

A new field declared in a copy of the registry appears in the page's metadata table, the
exports and the data package, the ``gongkai new`` template and the privacy scan; every
free-text field of the real registry is privacy-scanned; the hand-kept search lists agree
with the registry.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from typing import Any

import pytest

from generator.model import fields as F
from generator.model.entry import Entry, Interpretation, Page
from generator.model.vocab import Vocabularies
from generator.scaffold import _render
from generator.search import documents
from generator.site import exports
from generator.site.pages import PageBuilder
from tests.conftest import REPO, ProjectFactory

PHONE = "请致电 13912345678 咨询"  # a mobile number: privacy error E802 wherever it is published

# A field the real registry does not have (so these tests hold when a real one is added).
SIGNER = F.Field(
    "countersigner",
    "会签人",
    "text",
    "no",
    "会签人姓名",
    label_en="countersigner",
    sample="王某某",
    meta=F.Meta(165),
    export=F.Export("string", "会签人（会签文件的负责人）"),
)


@pytest.fixture
def with_signer(monkeypatch: pytest.MonkeyPatch) -> tuple[F.Field, ...]:
    """A copy of the registry with one new plain text field, declared once, after 公开程序."""
    at = [f.name for f in F.ENTRY_FIELDS].index("procedure") + 1
    fields = (*F.ENTRY_FIELDS[:at], SIGNER, *F.ENTRY_FIELDS[at:])
    monkeypatch.setattr(F, "ENTRY_FIELDS", fields)
    monkeypatch.setitem(F.FIELDS_BY_KIND, "entry", fields)
    monkeypatch.setattr(exports, "COLUMNS", exports._columns())
    return fields


def _meta_rows(html: str) -> list[tuple[str, str]]:
    table = re.search(r'<table class="gk-meta[^"]*">.*?</table>', html, re.S)
    assert table
    return re.findall(r'<th scope="row">([^<]*)</th><td[^>]*>(.*?)</td>', table.group())


def test_a_new_field_reaches_every_output(make_project: Any, with_signer: tuple[F.Field, ...]) -> None:
    p: ProjectFactory = make_project()
    p.entry("signed", countersigner="王某某", procedure="部门起草")
    p.entry("unsigned", index_no="000000002/2024-00002")
    project = p.load()
    assert [d.format() for d in project.errors] == []
    cat = project.public()
    signed, unsigned = cat.entries["000000002/2024-00001"], cat.entries["000000002/2024-00002"]
    builder = PageBuilder(cat, root=p.root)

    # the metadata table: shown as entered, after 公开程序's slot; absent when nobody entered it
    labels = [label for label, _ in _meta_rows(builder.entry_page(signed).html)]
    assert ("会签人", "王某某") in _meta_rows(builder.entry_page(signed).html)
    assert labels.index("会签人") == labels.index("公开程序") + 1
    assert "会签人" not in builder.entry_page(unsigned).html
    # the exports, the data package (both resources) and the data/ page
    table = exports.rows(cat)
    assert [r["countersigner"] for r in table] == ["王某某", None]
    assert list(table[0]).index("countersigner") == list(table[0]).index("procedure") + 1
    csv_text = exports.catalogue_csv(table).decode("utf-8-sig")
    assert csv_text.splitlines()[0].split(",").count("countersigner") == 1
    assert "王某某" in csv_text
    package = exports.datapackage(cat)
    for resource in package["resources"]:
        spec = next(f for f in resource["schema"]["fields"] if f["name"] == "countersigner")
        assert (spec["title"], spec["type"]) == ("会签人", "string")
    data_page = next(exports.data_pages(cat)).html
    assert "<td><code>countersigner</code></td><td>会签人</td><td>会签人（会签文件的负责人）</td>" in data_page
    # the gongkai new template: a commented line with its label, help and sample
    template = _render(F.ENTRY_FIELDS, {"index_no": "x/2024-00001", "agency": "office", "date": "2024-01-01"})
    assert "# 会签人（选填）：会签人姓名\n# countersigner: 王某某\n" in template


def test_a_new_field_is_privacy_scanned_and_type_checked(make_project: Any, with_signer: tuple[F.Field, ...]) -> None:
    p: ProjectFactory = make_project()
    p.entry("phone", countersigner=PHONE)
    p.entry("list", index_no="000000002/2024-00002", countersigner=["王某某", "李某某"])
    found = {(d.code, d.path.rsplit("/", 1)[-1]) for d in p.diagnostics()}
    assert ("E802", "phone.md") in found
    assert ("E103", "list.md") in found  # the validator of its type: text, not a list


def test_without_the_declaration_the_field_is_unknown(make_project: Any) -> None:
    """The registry is what admits a field: the same file without it is refused (E102)."""
    p: ProjectFactory = make_project()
    p.entry("signed", countersigner="王某某")
    assert "E102" in p.codes()


# ------------------------------------------------------------------ privacy by default
_FREE_TEXT = ("text", "text_list")
_LISTS = ("events", "attachments", "external_refs", "acks")


def _plain(typ: str) -> Any:
    return {"date": dt.date(2024, 3, 1), "vocab": "有效"}.get(typ, "说明")


def _free_text_cases() -> list[tuple[str, str, Any]]:
    """(kind, field path, front-matter value with a phone number there) for every string the
    registry does not exempt from the privacy scan, top-level and in sub-fields."""
    cases: list[tuple[str, str, Any]] = []
    for kind, fields in F.FIELDS_BY_KIND.items():
        for fld in fields:
            if fld.privacy_exempt:
                continue
            if fld.type in _FREE_TEXT:
                cases.append((kind, fld.name, [PHONE] if fld.type == "text_list" else PHONE))
            for sub, (_, typ) in F.SUBFIELDS.get(fld.name, {}).items():
                if typ != "text" or sub in F.SUBFIELD_PRIVACY_EXEMPT:
                    continue
                record = {s: _plain(t) for s, (required, t) in F.SUBFIELDS[fld.name].items() if required}
                record[sub] = PHONE.replace(" ", "") if sub == "file" else PHONE
                cases.append((kind, f"{fld.name}.{sub}", [record] if fld.type in _LISTS else record))
    return cases


@pytest.mark.parametrize(
    ("kind", "path", "value"), [pytest.param(*case, id=f"{case[0]}-{case[1]}") for case in _free_text_cases()]
)
def test_every_free_text_field_is_privacy_scanned(make_project: Any, kind: str, path: str, value: Any) -> None:
    p: ProjectFactory = make_project()
    name = path.split(".")[0]
    if kind == "entry":
        p.entry("x", **{name: value})
    elif kind == "interpretation":
        p.entry("target")
        p.interpretation("x", **{name: value})
    else:
        p.page("x", PHONE if name == "title" else "页面", **({} if name == "title" else {name: value}))
    assert "E802" in p.codes(), f"{kind} field {path} is published without the privacy scan"


def test_the_demo_covers_every_kind_of_free_text() -> None:
    """The cases above are generated from the registry, not listed: they grow with it."""
    paths = {(k, p) for k, p, _ in _free_text_cases()}
    assert {("entry", "title"), ("entry", "keywords"), ("entry", "history.note")} <= paths
    assert {("interpretation", "contact"), ("interpretation", "interprets_external.url")} <= paths
    assert ("entry", "registration_no") not in paths  # exempt, with its reason


def test_every_exemption_states_its_reason() -> None:
    for fld in F.all_fields():
        assert fld.privacy_exempt == "" or len(fld.privacy_exempt) > 10, fld.name
        if fld.type in _FREE_TEXT and fld.privacy_exempt:
            assert "identifier" in fld.privacy_exempt, f"free text {fld.name} is exempt from the privacy scan"


# ------------------------------------------------------------------ the registry itself
def test_registry_is_well_formed() -> None:
    vocabularies = {f.name for f in dataclasses.fields(Vocabularies)}
    for kind, fields in F.FIELDS_BY_KIND.items():
        names = [f.name for f in fields]
        assert len(names) == len(set(names)), kind
        orders = [f.meta.order for f in fields if f.meta]
        assert len(orders) == len(set(orders)), kind
        for fld in fields:
            assert fld.type in F.TYPE_NAMES and fld.required in ("yes", "no", "cond") and fld.label_en, fld.name
            assert not fld.vocab or fld.vocab in vocabularies, fld.name
            assert fld.published or not (fld.meta or fld.export or fld.search or fld.facet), fld.name


def test_defaults_are_only_those_the_schema_defines() -> None:
    """Never invent data: a declared default is the model's own, and only draft has one."""
    assert {f.name for f in F.all_fields() if f.default is not None} == {"draft"}
    for cls in (Entry, Interpretation, Page):
        model = {f.name: f.default for f in dataclasses.fields(cls)}
        assert model["draft"] is False
    for kind in F.FIELDS_BY_KIND:
        assert F.field_map(kind)["draft"].default is False


def test_search_fields_agree_with_the_registry() -> None:
    """generator/search/documents.py keeps its lunr field list by hand: it must say what the
    registry says (key, label, boost), plus the body, which is not a front-matter field."""
    declared = {(f.search.key, f.search.label, f.search.boost) for f in F.all_fields() if f.search}
    listed = {(f.name, f.label, f.boost) for f in documents.FIELDS if f.name != "b"}
    assert listed == declared


def test_browser_facet_keys_agree_with_the_registry() -> None:
    """engine.js keeps FACET_KEYS by hand: every key is a facet declared in the registry."""
    js = (REPO / "theme" / "assets" / "javascripts" / "search" / "engine.js").read_text(encoding="utf-8")
    match = re.search(r"var FACET_KEYS = (\[[^\]]*\]);", js)
    assert match
    assert set(json.loads(match.group(1))) == {f.facet for f in F.all_fields() if f.facet}
