"""The field registry (model/fields.py): one declaration per field, everything else derived.

A new field declared in a copy of the registry appears in the page's metadata table, the
exports and the data package, the ``gongkai new`` template and the privacy scan; every
free-text field of the real registry is privacy-scanned; a new search field and facet
reach the index and the browser's facet list.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.model import fields as F
from generator.model.entry import Entry, Interpretation, Page
from generator.model.vocab import Vocabularies
from generator.scaffold import _render
from generator.search import documents
from generator.search.index import write_index
from generator.site import exports
from generator.site.engine import lunr_js_path
from generator.site.pages import PageBuilder
from tests.conftest import REPO, ProjectFactory
from tests.search_helpers import JS_DIR, node

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


def test_search_fields_come_from_the_registry() -> None:
    """documents.FIELDS is the registry's search declarations in order (key, label, boost,
    tokenizer mode), then the body, which is not a front-matter field."""
    declared = [(s.key, s.label, s.boost, s.mode) for s in F.search_fields()]
    assert [(f.name, f.label, f.boost, f.mode) for f in documents.FIELDS] == [*declared, ("b", "正文", 1, "text")]
    # the established index layout (manifest field order, postings) of the shipped registry
    assert [f.name for f in documents.FIELDS] == ["t", "n", "i", "k", "a", "b"]
    for fld in F.all_fields():  # a key shared by kinds is declared the same way on each
        if fld.search:
            assert fld.search == next(s for s in F.search_fields() if s.key == fld.search.key), fld.name


def test_browser_keeps_no_facet_list() -> None:
    """engine.js and search.js read the facet keys, labels and order from facets.json
    (generator/search/facets.py): no facet key is spelled in them."""
    for name in ("engine.js", "search.js"):
        js = (REPO / "theme" / "assets" / "javascripts" / "search" / name).read_text(encoding="utf-8")
        for facet in F.search_facets():
            assert f'"{facet.key}"' not in js and f"'{facet.key}'" not in js, (name, facet.key)
        assert not re.search(r"""(?i)keys\s*=\s*\[\s*["']""", js), name


# ------------------------------------------------------------------ a new search field and facet
SERIES = F.Field(
    "series",
    "专题",
    "text",
    "no",
    "所属专题",
    label_en="series",
    sample="优化营商环境",
    meta=F.Meta(170),
    search=F.Search("s", "专题", 4, order=100),  # after every shipped field, whatever is added
    facet=F.Facet("series", "专题", 60),
)


@pytest.fixture
def with_series(monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of the registry with a new searchable facet field (专题, text) and a facet on
    an existing vocabulary field (公开范围), each declared once; FIELDS recomputed as an
    import of the changed registry would."""
    scope = next(f for f in F.ENTRY_FIELDS if f.name == "scope")
    fields = tuple(
        dataclasses.replace(f, facet=F.Facet("scope", "公开范围", 55)) if f is scope else f for f in F.ENTRY_FIELDS
    )
    fields = (*fields, SERIES)
    monkeypatch.setattr(F, "ENTRY_FIELDS", fields)
    monkeypatch.setitem(F.FIELDS_BY_KIND, "entry", fields)
    old, new = documents.FIELDS, documents.index_fields()
    for module in list(sys.modules.values()):
        if vars(module).get("FIELDS") is old:
            monkeypatch.setattr(module, "FIELDS", new)


def test_a_new_facet_field_reaches_the_index_and_the_browser(
    make_project: Any, with_series: None, tmp_path: Path
) -> None:
    p: ProjectFactory = make_project()
    p.entry("a", series="优化营商环境", scope="面向社会", title="关于印发实施方案的通知")
    p.entry("b", index_no="000000002/2024-00002", series="乡村振兴", title="关于做好申报工作的通知")
    p.entry("c", index_no="000000002/2024-00003", title="关于开展检查的通知")
    p.entry("target", index_no="000000002/2024-00004")
    p.interpretation("i", index_no="000000002/2024-00005", interprets=["000000002/2024-00004"])
    project = p.load()
    assert [d.format() for d in project.errors] == []
    cat = project.public()
    assert [d.texts[-2] for d in documents.search_docs(cat)] == ["优化营商环境", "乡村振兴", "", "", ""]
    out = tmp_path / "search"
    write_index(cat, out, lambda item: "x/")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [f["name"] for f in manifest["fields"]] == [*(s.key for s in F.search_fields()), "b"]
    assert manifest["fields"][-2] == {"name": "s", "label": "专题", "boost": 4}  # sorts last of the declared
    facets = json.loads((out / "facets.json").read_text(encoding="utf-8"))
    assert [f["key"] for f in facets["facets"]] == ["agency", "topic", "year", "type", "validity", "scope", "series"]
    scope, series = facets["facets"][5:]
    assert (scope["label"], scope["values"]) == ("公开范围", cat.config.vocab.scopes.names())
    assert (series["label"], series["values"]) == ("专题", ["乡村振兴", "优化营商环境"])  # entered values, sorted
    cells = [(row[5], row[6]) for row in facets["docs"]]
    assert cells == [(scope["values"].index("面向社会"), 1), (-1, 0), (-1, -1), (-1, -1), (-1, -1)]
    # the browser: engine.js lists the new facets, counts and filters by them, searches the field
    js = tmp_path / "js"
    js.mkdir()
    for name in ("engine.js", "tokenizer.js"):
        shutil.copy(JS_DIR / name, js / name)
    shutil.copy(lunr_js_path(), js / "lunr.js")
    script = """
const path = require("path"), fs = require("fs");
const [, jsDir, dir] = process.argv;
const lunr = require(path.join(jsDir, "lunr.js"));
const engine = require(path.join(jsDir, "engine.js")).create({
  lunr, tokenizer: require(path.join(jsDir, "tokenizer.js")),
  load: (p) => Promise.resolve(JSON.parse(fs.readFileSync(path.join(dir, p.split("?")[0]), "utf8"))),
});
lunr.utils.warn = () => {};
(async () => {
  const all = await engine.search("", {}, "");
  const some = await engine.search("", { series: "乡村振兴" }, "");
  const word = await engine.search("营商环境", {}, "");
  process.stdout.write(JSON.stringify({ keys: engine.facetKeys, counts: all.counts,
    filtered: some.hits.map((h) => h.i), found: word.hits.map((h) => h.i) }));
})();
"""
    result = subprocess.run(
        [node(), "-e", script, str(js), str(out)], capture_output=True, text=True, encoding="utf-8", check=True
    )
    seen = json.loads(result.stdout)
    assert seen["keys"][-2:] == ["scope", "series"]
    assert seen["counts"]["series"] == [1, 1]
    assert seen["counts"]["scope"][scope["values"].index("面向社会")] == 1
    assert seen["filtered"] == [1]
    assert seen["found"] == [0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # a new field reusing the key of an existing search field (专题 as "t", the title's key)
        (lambda f: (*f, dataclasses.replace(SERIES, search=F.Search("t", "专题", 4, order=100))), "two entry fields"),
        # the body's key is the index's own
        (lambda f: (*f, dataclasses.replace(SERIES, search=F.Search("b", "专题", 4, order=100))), "reserved"),
        # a new key in the place of an existing one
        (lambda f: (*f, dataclasses.replace(SERIES, search=F.Search("s", "专题", 4, order=1))), "share an order"),
        # a facet key used twice
        (lambda f: (*f, dataclasses.replace(SERIES, facet=F.Facet("agency", "专题", 60))), "two entry fields"),
    ],
)
def test_the_registry_refuses_a_search_or_facet_key_declared_twice(
    monkeypatch: pytest.MonkeyPatch, change: Any, message: str
) -> None:
    """A clash would index one field under another's name (found adding a field whose key the
    test's own 专题 field used): it is refused when the index fields are computed."""
    kinds = dict(F.FIELDS_BY_KIND)
    kinds["entry"] = change(kinds["entry"])
    monkeypatch.setattr(F, "FIELDS_BY_KIND", kinds)
    with pytest.raises(ValueError, match=message):
        F.search_fields()
        F.search_facets()


def test_a_key_shared_by_kinds_must_be_declared_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    kinds = dict(F.FIELDS_BY_KIND)
    kinds["interpretation"] = tuple(
        dataclasses.replace(f, search=dataclasses.replace(f.search, boost=f.search.boost + 1))
        if f.search and f.search.key == "t"
        else f
        for f in kinds["interpretation"]
    )
    monkeypatch.setattr(F, "FIELDS_BY_KIND", kinds)
    with pytest.raises(ValueError, match="differs from its other declaration"):
        F.search_fields()
