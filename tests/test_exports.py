"""Open-data exports: only what the public site shows, and a data package that matches its files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.site.exports import COLUMNS, csv_cell
from tests.conftest import MARKERS, REPO, ProjectFactory, write_rich_catalogue

HIDDEN_IDS = ("000000002/2024-00004", "000000002/2025-00001")  # the draft and the embargoed entry
PUBLIC_ENTRIES = [
    "000000001/2022-00001",
    "000000001/2024-00001",
    "000000002/2023-00001",
    "000000002/2024-00001",
    "000000002/2024-00003",
    "000000002/2024-00005",
    "000000003/2024-00002",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = ProjectFactory(tmp_path_factory.mktemp("exports"))
    write_rich_catalogue(p)
    # a public entry pointing at the embargoed one: the reference must not leak its 索引号
    p.entry(
        "2024/e3",
        index_no="000000002/2024-00005",
        title="=SUM(A1) 以等号开头的标题",
        doc_number=None,
        relations={"replaces": ["000000002/2025-00001"]},
    )
    return p.build(p.root / "site")


def read_csv(site: Path) -> list[list[str]]:
    raw = (site / "catalogue.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so that Excel reads Chinese correctly"
    text = raw[3:].decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", ""), "CRLF line ends"
    return list(csv.reader(io.StringIO(text, newline="")))


def read_json(site: Path) -> list[dict[str, Any]]:
    data = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


# ------------------------------------------------------------------ privacy


def test_no_output_contains_hidden_content(site: Path) -> None:
    leaks = []
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml", ".txt", ".js", ".gz"):
            data = path.read_bytes()
            for name, marker in MARKERS.items():
                if marker.encode() in data:
                    leaks.append((path.relative_to(site).as_posix(), name))
    assert leaks == []


def test_exports_name_only_public_entries(site: Path) -> None:
    for name in ("catalogue.csv", "catalogue.json", "datapackage.json"):
        text = (site / name).read_bytes().decode("utf-8-sig")
        assert [i for i in HIDDEN_IDS if i in text] == [], name
    assert sorted(r["index_no"] for r in read_json(site)) == PUBLIC_ENTRIES
    assert sorted(r[0] for r in read_csv(site)[1:]) == PUBLIC_ENTRIES
    for slug in ("000000002-2024-00004", "000000002-2025-00001"):
        assert not (site / "catalogue" / slug).exists()


def test_on_request_entry_exports_metadata_only(site: Path) -> None:
    item = json.loads((site / "catalogue" / "000000002-2024-00003" / "index.json").read_text(encoding="utf-8"))
    assert item["disclosure"] == "依申请公开"
    assert "body_html" not in item and "body" not in item
    assert item["attachments"] == []
    assert item["title"] == "测试市人民政府办公室关于内部事务的复函"


# ------------------------------------------------------------------ contents


def test_csv_header_and_rows(site: Path) -> None:
    rows = read_csv(site)
    assert rows[0] == [c.name for c in COLUMNS]
    by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    e1 = by_id["000000002/2024-00001"]
    assert e1["url"] == "https://www.example.gov.cn/xxgk/catalogue/000000002-2024-00001/"
    assert e1["publisher"] == "测试市人民政府办公室" and e1["publisher_id"] == "office"
    assert e1["topics"] == "综合政务\\政务公开"
    assert e1["keywords"] == "政务公开；通知"
    assert e1["attachments"] == "https://www.example.gov.cn/xxgk/attachments/files/e1.pdf"
    assert e1["history"] == "2024-03-20 更正附件1的联系电话"
    assert e1["scope"] == "" and e1["period"] == ""  # not entered: never a default
    assert e1["effective_date"] == ""
    g1 = by_id["000000001/2022-00001"]
    assert g1["validity_history"] == "2022-01-12 有效；2024-06-01 废止 000000001/2024-00001"
    assert g1["repealed_by"] == "000000001/2024-00001"
    assert by_id["000000002/2023-00001"]["interpretations"] == "000000002/2023-00002"
    e3 = by_id["000000002/2024-00005"]
    assert e3["title"] == "'=SUM(A1) 以等号开头的标题"  # never evaluated as a formula
    assert e3["replaces"] == ""


def test_json_rows_match_csv_rows(site: Path) -> None:
    rows = read_csv(site)
    json_rows = read_json(site)
    assert [list(r) for r in json_rows] == [rows[0]] * len(json_rows)
    assert [[csv_cell(r[c.name]) for c in COLUMNS] for r in json_rows] == rows[1:]
    g2 = next(r for r in json_rows if r["index_no"] == "000000001/2024-00001")
    assert g2["repeals"] == ["000000001/2022-00001"]
    assert g2["validity_history"] == [{"date": "2024-06-01", "status": "有效"}]
    assert next(r for r in json_rows if r["index_no"] == "000000002/2024-00005")["title"].startswith("=SUM")


def test_per_item_json_next_to_each_page(site: Path) -> None:
    for index_no in PUBLIC_ENTRIES:
        slug = index_no.replace("/", "-")
        assert (site / "catalogue" / slug / "index.html").is_file()
        item = json.loads((site / "catalogue" / slug / "index.json").read_text(encoding="utf-8"))
        assert item["kind"] == "entry" and item["index_no"] == index_no
        assert list(item) == ["kind", *(c.name for c in COLUMNS)]
    e1 = json.loads((site / "catalogue" / "000000002-2024-00001" / "index.json").read_text(encoding="utf-8"))
    assert e1 == {"kind": "entry", **next(r for r in read_json(site) if r["index_no"] == "000000002/2024-00001")}
    i1 = json.loads((site / "interpretations" / "000000002-2023-00002" / "index.json").read_text(encoding="utf-8"))
    assert i1["interprets"] == [
        {
            "index_no": "000000002/2023-00001",
            "title": "测试市人民政府办公室关于印发测试市行政规范性文件管理办法的通知",
            "url": "https://www.example.gov.cn/xxgk/catalogue/000000002-2023-00001/",
        }
    ]
    assert i1["history"] == [{"date": "2023-02-10", "note": "补充问答"}]
    assert i1["form"] == "文字" and i1["interpreter_org"] == "测试市人民政府办公室"


def test_data_page_lists_downloads_and_columns(site: Path) -> None:
    html = (site / "data" / "index.html").read_text(encoding="utf-8")
    for href in ("../catalogue.csv", "../catalogue.json", "../datapackage.json", "../stats/annual.json"):
        assert f'href="{href}"' in html
    assert all(f"<code>{c.name}</code>" in html for c in COLUMNS)
    assert "共 7 条" in html


# ------------------------------------------------------------------ the data package

TYPE_CHECKS = {
    "string": lambda v: isinstance(v, str),
    "date": lambda v: isinstance(v, str) and bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)) and _is_date(v),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
}


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def validate_package(folder: Path) -> list[str]:
    """Our own check of datapackage.json against the files it describes; returns the problems."""
    problems: list[str] = []
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for key in ("name", "resources"):
        if key not in package:
            problems.append(f"package: missing {key}")
    if not re.fullmatch(r"[a-z0-9._-]+", package.get("name", "")):
        problems.append("package: name must be lower-case letters, digits, . _ -")
    if package.get("profile") != "tabular-data-package":
        problems.append("package: profile")
    names = [r.get("name") for r in package.get("resources", [])]
    if len(set(names)) != len(names):
        problems.append("resources: names not unique")
    for res in package.get("resources", []):
        where = f"resource {res.get('name')}"
        for key in ("name", "path", "schema", "format", "profile"):
            if key not in res:
                problems.append(f"{where}: missing {key}")
        path = folder / res.get("path", "")
        if not path.is_file():
            problems.append(f"{where}: {res.get('path')} does not exist")
            continue
        fields = res["schema"]["fields"]
        field_names = [f["name"] for f in fields]
        for f in fields:
            if not {"name", "type"} <= set(f) or f["type"] not in TYPE_CHECKS:
                problems.append(f"{where}: bad field {f}")
        if res["schema"].get("primaryKey") != ["index_no"]:
            problems.append(f"{where}: primaryKey")
        if res["format"] == "csv":
            raw = path.read_bytes()
            if res.get("encoding") == "utf-8-sig" and not raw.startswith(b"\xef\xbb\xbf"):
                problems.append(f"{where}: no BOM")
            table = list(csv.reader(io.StringIO(raw.decode(res.get("encoding", "utf-8")), newline="")))
            if table[0] != field_names:
                problems.append(f"{where}: header {table[0]} != schema {field_names}")
            records = [dict(zip(table[0], row, strict=True)) for row in table[1:] if len(row) == len(table[0])]
            if len(records) != len(table) - 1:
                problems.append(f"{where}: rows of the wrong length")
            missing = set(res["schema"].get("missingValues", [""]))
            values = [{k: (None if v in missing else v) for k, v in r.items()} for r in records]
        else:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
                problems.append(f"{where}: not an array of objects")
                continue
            values = data
            for n, r in enumerate(values):
                if list(r) != field_names:
                    problems.append(f"{where}: row {n} keys differ from the schema")
        for n, r in enumerate(values):
            for f in fields:
                v = r.get(f["name"])
                if v is None:
                    if f.get("constraints", {}).get("required"):
                        problems.append(f"{where}: row {n} {f['name']} is required")
                elif not TYPE_CHECKS[f["type"]](v):
                    problems.append(f"{where}: row {n} {f['name']}={v!r} is not a {f['type']}")
        keys = [r.get("index_no") for r in values]
        if len(set(keys)) != len(keys):
            problems.append(f"{where}: primary key not unique")
    return problems


def test_data_package_validates_against_its_files(site: Path) -> None:
    assert validate_package(site) == []
    package = json.loads((site / "datapackage.json").read_text(encoding="utf-8"))
    csv_fields = package["resources"][0]["schema"]["fields"]
    json_fields = package["resources"][1]["schema"]["fields"]
    assert [f["name"] for f in csv_fields] == [f["name"] for f in json_fields] == [c.name for c in COLUMNS]
    assert {f["type"] for f in csv_fields} == {"string", "date"}  # lists are "；"-joined text in CSV
    assert next(f for f in json_fields if f["name"] == "topics")["type"] == "array"


def test_the_validator_catches_mismatches(site: Path, tmp_path: Path) -> None:
    for name in ("catalogue.csv", "catalogue.json", "datapackage.json"):
        (tmp_path / name).write_bytes((site / name).read_bytes())
    text = (tmp_path / "catalogue.json").read_text(encoding="utf-8")
    (tmp_path / "catalogue.json").write_text(text.replace('"written_date":"2022-01-10"', '"written_date":"2022/1/10"'))
    rows = (tmp_path / "catalogue.csv").read_bytes().replace(b"index_no,title", b"title,index_no", 1)
    (tmp_path / "catalogue.csv").write_bytes(rows)
    problems = validate_package(tmp_path)
    assert any("header" in p for p in problems)
    assert any("written_date='2022/1/10' is not a date" in p for p in problems)


def test_frictionless_agrees_when_installed(site: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(site / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_docs_describe_every_column() -> None:
    doc = (REPO / "docs" / "exports.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_]+)` \| ([^|]+?) \| ([a-z]+) \| (yes|) ?\|", doc, re.MULTILINE)
    # Name, Chinese label, type and required flag: the table a data user reads must say what the files hold.
    documented = [(name, title, kind, req == "yes") for name, title, kind, req in rows]
    # exactly the columns, in order: a column dropped from the registry leaves no stale row
    assert documented == [(c.name, c.title, c.type, c.required) for c in COLUMNS]


def test_docs_describe_every_file_and_every_interpretation_key(site: Path) -> None:
    """docs/exports.md's file table names every file the exports write and, for an
    interpretation's own JSON, every key it holds (Datasette-style: docs cannot drift)."""
    doc = (REPO / "docs" / "exports.md").read_text(encoding="utf-8")
    files = set(re.findall(r"^\| `([^`]+)` \| ", doc.split("## Columns")[0], re.MULTILINE))
    assert {"catalogue.csv", "catalogue.json", "datapackage.json", "catalogue/<slug>/index.json"} <= files
    assert "interpretations/<slug>/index.json" in files
    row = next(line for line in doc.splitlines() if line.startswith("| `interpretations/<slug>/index.json` |"))
    described = row.split("|")[2]
    item = json.loads(next((site / "interpretations").glob("*/index.json")).read_text(encoding="utf-8"))
    assert [key for key in item if key != "kind" and f"`{key}`" not in described] == []


def test_csv_cell_rules() -> None:
    assert csv_cell(None) == ""
    assert csv_cell(["a", "b"]) == "a；b"
    assert csv_cell([{"date": "2024-01-01", "status": "有效"}]) == "2024-01-01 有效"
    assert csv_cell("+86 0000") == "'+86 0000"
    assert csv_cell("@who") == "'@who"
    assert csv_cell("正常") == "正常"
