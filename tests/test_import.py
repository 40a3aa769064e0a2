"""`gongkai import`: CMS exports (GBK CSV, XLSX, JSON with HTML bodies, JSONL) → a repository
that checks and builds, never inventing a value, re-import byte-identical."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.importer import normalise as N
from generator.importer.html import html_to_markdown, plain_to_markdown
from generator.importer.labels import builtin_target
from generator.model.vocab import default_topic_tree
from generator.site.body import BodyRenderer
from tests.conftest import BUILD_DATE, CONFIG, realdata, run_cli

BUILD = ["--build-date", BUILD_DATE.isoformat()]


def snapshot(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "site" not in p.relative_to(root).parts[:1]
    }


def page_of(root: Path, index_no: str) -> str:
    slug = re.sub(r"[^0-9A-Za-z._-]+", "-", index_no).strip("-")
    return (root / "site" / "catalogue" / slug / "index.html").read_text(encoding="utf-8")


def meta_rows(html: str) -> dict[str, str]:
    table = re.search(r'<table class="gk-meta">.*?</table>', html, re.S)
    assert table
    cells = re.findall(r'<th scope="row">(.*?)</th><td[^>]*>(.*?)</td>', table.group(0), re.S)
    return {k: re.sub(r"<[^>]+>", "", v).strip() for k, v in cells}


# ------------------------------------------------------------------ the State Council records


@pytest.mark.realdata
def test_realdata_import_checks_builds_and_shows_the_source(tmp_path: Path) -> None:
    policies, interps = realdata("policies.jsonl"), realdata("interpretations.jsonl")
    repo = tmp_path / "site-repo"
    r = run_cli("import", str(policies), str(interps), "--into", str(repo))
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    # the import report lists each value the source lacks, at the record's line
    missing = re.findall(r"jsonl:(\d+):1: 警告\[W901\]: 来源没有提供.*?（(\w+)）", r.stderr)
    assert missing
    config = (repo / "site_config.yml").read_text(encoding="utf-8")
    assert "year_follows: written_date" in config  # the State Council's 索引号 follow the 成文日期
    assert 'name: 国务院办公厅, code: "000014349"' in config
    check = run_cli("check", str(repo), *BUILD)
    assert check.returncode == 0, check.stderr
    codes = re.findall(r"\[([EW]\d+)\]", check.stderr)
    assert set(codes) == {"W301"}  # only values genuinely missing from the source
    assert len(codes) == len(missing)
    build = run_cli("build", str(repo), *BUILD)
    assert build.returncode == 0, build.stderr
    records = [json.loads(line) for line in policies.read_text(encoding="utf-8").splitlines()]
    full = [r for r in records if r["index_no"] and r["agency"] and not r["agency_derived"]]
    assert len(full) >= 60
    for record in full:
        rows = meta_rows(page_of(repo, record["index_no"]))
        assert rows["索引号"] == record["index_no"]
        assert rows["生成日期"] == record["written_date"]
        assert rows["公开日期"] == record["published_date"]
        assert rows["文号"] == (record["doc_no"] or "")
        agencies = record["agency"].split("、")
        assert rows["发布机构"] == agencies[0]
        if len(agencies) > 1:
            assert rows["发文机关"] == record["agency"]
        if "\\" in (record["topic"] or ""):
            assert rows["主题分类"] == record["topic"]
        # nothing the source does not state
        assert "公开范围" not in rows and "公开时限" not in rows and "信息类别" not in rows
        assert rows["体裁"] == ""  # genre_derived: guessed from the title, not imported
    before = snapshot(repo)
    again = run_cli("import", str(policies), str(interps), "--into", str(repo))
    assert again.returncode == 0, again.stderr
    assert snapshot(repo) == before  # byte-identical


# ------------------------------------------------------------------ fixtures in the shapes of real exports

CSV_HEADER = [
    "索 引 号",
    "信息名称",
    "文件编号",
    "发布机构",
    "成文日期",
    "公开日期",
    "主题(一)",
    "主题(二)",
    "体裁",
    "效力状况",
    "公开方式",
    "公开范围",
    "公开时限",
    "公开形式",
    "关键词",
    "内容概况",
    "信息类别",
    "正文",
]


def csv_rows() -> list[list[str]]:
    return [
        [
            "014046317/2020-04965",
            "省政府办公厅关于印发当前政务公开重点工作安排的通知",
            "苏政办发 〔2020〕 65号",
            "宜兴市人民政府办公室",
            "2020年8月8日",
            "2020/11/10",
            "综合政务",
            "电子政务",
            "通知",
            "现行有效",
            "主动公开",
            "面向全社会",
            "长期公开",
            "政府网站",
            "政务公开、电子政务",
            "转发当前政务公开重点工作安排",
            "其他文件",
            "第一条 为做好政务公开工作……\n10.  附则\n1.  总则\n（一）工作要求",
        ],
        [
            "014046317/2020-04966",
            "宜兴市关于做好稳岗就业工作的通知",
            "宜政办发〔2020〕12号",
            "宜兴市人民政府办公室",
            "20201201",
            "2020-12-10",
            "劳动、人事、监察",
            "劳动就业",
            "通知",
            "有效",
            "主动公开",
            "",
            "",
            "",
            "",
            "",
            "行政规范性文件",
            "一、总体要求\n二、主要措施",
        ],
    ]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "gbk") -> None:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_HEADER)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def test_gbk_csv_imports_checks_builds_and_reimports(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    write_csv(export, csv_rows())
    repo = tmp_path / "new-repo"
    dry = run_cli("import", str(export), "--into", str(repo), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert not repo.exists()  # --dry-run writes nothing
    assert "GB18030/GBK" in dry.stdout
    assert "索 引 号 → index_no" in dry.stdout and "主题(一) → topic1" in dry.stdout
    assert "现行有效 ×1：读作 有效" in dry.stdout and "面向全社会 ×1：读作 面向社会" in dry.stdout
    assert "政府网站 ×1：读作 网站" in dry.stdout
    r = run_cli("import", str(export), "--into", str(repo))
    assert r.returncode == 0, r.stderr
    config = (repo / "site_config.yml").read_text(encoding="utf-8")
    assert 'code: "014046317"' in config and "format: national" in config
    assert "aliases: [现行有效]" in config
    check = run_cli("check", str(repo), *BUILD)
    # 宜政办发〔2020〕12号 is a 行政规范性文件 without a 解读 (W101) and, still 有效 with no
    # expires five years on, past the usual validity period (W713): the warnings the data earns
    assert check.returncode == 0, check.stderr
    assert sorted(re.findall(r"\[([EW]\d+)\]", check.stderr)) == ["W101", "W713"]
    first = (repo / "catalogue/2020/014046317-2020-04965.md").read_text(encoding="utf-8")
    assert "doc_number: 苏政办发〔2020〕65号\n" in first
    assert "written_date: 2020-08-08\n" in first and "published_date: 2020-11-10\n" in first
    assert "10\\.  附则" in first and "1\\.  总则" in first
    assert run_cli("build", str(repo), *BUILD).returncode == 0
    html = page_of(repo, "014046317/2020-04965")
    rows = meta_rows(html)
    assert rows["效力状况"] == "有效" and rows["公开范围"] == "面向社会" and rows["公开形式"] == "网站"
    assert rows["主题分类"] == "综合政务\\电子政务"
    assert "<ol" not in html.split('class="gk-body"', 1)[1]
    assert "<p>10.  附则</p>" in html and "<p>1.  总则</p>" in html
    # re-import: byte-identical; a changed row changes only its file
    before = snapshot(repo)
    assert run_cli("import", str(export), "--into", str(repo)).returncode == 0
    assert snapshot(repo) == before
    rows2 = csv_rows()
    rows2[1][1] = "宜兴市关于做好稳岗就业工作的通知（修订）"
    write_csv(export, rows2)
    assert run_cli("import", str(export), "--into", str(repo)).returncode == 0
    after = snapshot(repo)
    assert {k for k in after if after[k] != before.get(k)} == {"catalogue/2020/014046317-2020-04966.md"}


def test_utf8_bom_csv_and_positions(tmp_path: Path) -> None:
    rows = csv_rows()
    rows[0][4] = "2020年13月40日"  # not a date
    export = tmp_path / "bom.csv"
    write_csv(export, rows, "utf-8-sig")
    r = run_cli("import", str(export), "--into", str(tmp_path / "repo"))
    assert r.returncode == 1
    assert f"{export.as_posix()}:2:5: 错误[E906]: 生成日期 2020年13月40日 不是可识别的日期，未导入" in r.stderr
    assert f"{export.as_posix()}:2:1: 警告[W901]: 来源没有提供生成日期（written_date），已作为草稿导入" in r.stderr
    assert "UTF-8 (BOM)" in r.stdout


def test_xlsx_export(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["信息索引号", "标题", "发文字号", "发布单位", "生成日期", "上载日期", "主题分类", "有效性", "公开属性"]
    )
    sheet.append(
        [
            "11370322004222241N/2021-5135380",
            "高青县人民政府关于印发某某办法的通知",
            "高政发〔2021〕1号",
            "高青县人民政府",
            dt.datetime(2021, 1, 5),
            dt.datetime(2021, 1, 8, 9, 30),
            "综合政务-文秘工作",
            "有效",
            "主动公开",
        ]
    )
    export = tmp_path / "gaoqing.xlsx"
    book.save(export)
    repo = tmp_path / "repo"
    r = run_cli("import", str(export), "--into", str(repo))
    assert r.returncode == 0, r.stderr
    assert "format: credit" in (repo / "site_config.yml").read_text(encoding="utf-8")
    check = run_cli("check", str(repo), *BUILD)
    assert check.returncode == 0 and "[E" not in check.stderr, check.stderr
    assert run_cli("build", str(repo), *BUILD).returncode == 0
    rows = meta_rows(page_of(repo, "11370322004222241N/2021-5135380"))
    assert rows["主题分类"] == "综合政务\\文秘工作" and rows["生成日期"] == "2021-01-05"
    assert rows["公开日期"] == "2021-01-08"


def test_xlsx_without_openpyxl_is_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from generator.importer.readers import read_source

    real = builtins.__import__

    def fake(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "openpyxl":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    export = tmp_path / "x.xlsx"
    export.write_bytes(b"PK")
    data = read_source(export, "x.xlsx")
    assert [d.format() for d in data.diagnostics] == [
        "x.xlsx: 错误[E903]: 读取 x.xlsx 需要 openpyxl\n"
        "  提示：安装：python3 -m pip install 'gongkai[xlsx]'，或在 Excel 中另存为 CSV"
    ]


HTML_BODY = (
    "<p>第一条 为规范管理，制定本办法。</p>"
    "<p>10.  附则</p><p>1.  总则</p><p>（一）适用范围</p>"
    "<table><tr><th>项目</th><th>标准</th></tr><tr><td>甲类</td><td>100|元</td></tr></table>"
    '<table><tr><td rowspan="2">合并</td><td>a</td></tr><tr><td>b</td></tr></table>'
    '<p>附件：<a href="files/fujian.pdf">附件1 申请表</a></p>'
    '<p><img src="https://www.example.gov.cn/tu.png" alt="图解"></p>'
    "<script>alert(1)</script>"
)


def write_json_export(folder: Path, title: str = "某市住房公积金管理办法") -> Path:
    (folder / "files").mkdir(parents=True, exist_ok=True)
    (folder / "files" / "fujian.pdf").write_bytes(b"%PDF-1.4 test")
    records = {
        "data": [
            {
                "id": "cms-1",
                "index_no": "000000002/2024-00001",
                "title": title,
                "doc_no": "某政规〔2024〕1号",
                "publisher": "某市人民政府办公室",
                "written_date": "2024-03-01",
                "published_date": "2024-03-05",
                "topic": "住房保障",
                "validity": "现行有效",
                "disclosure": "主动公开",
                "info_type": "行政规范性文件",
                "body": HTML_BODY,
            },
            {
                "id": "cms-2",
                "index_no": "000000002/2024-00002",
                "title": f"《{title}》政策解读",
                "interprets_title": title,
                "form": "文字解读",
                "interpreter_org": "某市人民政府办公室",
                "published_date": "2024-03-06",
                "body": "<p>一、背景</p><p>二、主要内容</p>",
            },
            {
                "id": "cms-3",
                "index_no": "000000002/2024-00003",
                "title": "关于国务院某政策的解读",
                "interprets_title": "国务院关于某事项的通知",
                "interprets_doc_number": "国发〔2024〕 3号",
                "form": "文字",
                "interpreter_org": "某市人民政府办公室",
                "published_date": "2024-03-07",
                "body": "市政府解读国务院文件。",
            },
        ]
    }
    path = folder / "export.json"
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_json_with_html_bodies_tables_and_links(tmp_path: Path) -> None:
    export = write_json_export(tmp_path / "cms")
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("columns:\n  validity: validity\nvalues:\n  scope: 面向社会\n", encoding="utf-8")
    repo = tmp_path / "repo"
    r = run_cli("import", str(export), "--mapping", str(mapping), "--into", str(repo))
    assert r.returncode == 0, r.stderr
    lines = export.read_text(encoding="utf-8").split("\n")
    third = next(n for n, line in enumerate(lines, 1) if '"id": "cms-3"' in line) - 1  # its object's "{" line
    assert f"export.json:{third}:" in r.stderr.split("[W907]")[0].rsplit("\n", 1)[-1]  # positioned at its record
    assert re.search(r"export\.json:\d+:\d+: 警告\[W905\]: 附件或图片 图解 在站外", r.stderr)
    entry = (repo / "catalogue/2024/000000002-2024-00001.md").read_text(encoding="utf-8")
    assert "| 项目 | 标准 |" in entry and "100\\|元" in entry
    assert '<td rowspan="2">合并</td>' in entry
    assert "10\\.  附则" not in entry and "10\\. 附则" in entry  # HTML collapses the spaces
    assert "alert" not in entry
    assert re.search(
        r"- \{title: 附件1 申请表, file: files/imported/[0-9a-f]{12}-fujian\.pdf, sha256: [0-9a-f]{64}\}", entry
    )
    interp = (repo / "content/interpretations/2024/000000002-2024-00002.md").read_text(encoding="utf-8")
    assert "interprets: [000000002/2024-00001]" in interp and "form: 文字" in interp
    external = (repo / "content/interpretations/2024/000000002-2024-00003.md").read_text(encoding="utf-8")
    assert "interprets_external:\n  - {title: 国务院关于某事项的通知, doc_number: 国发〔2024〕3号}" in external
    check = run_cli("check", str(repo), *BUILD)
    assert check.returncode == 0 and "[E" not in check.stderr, check.stderr
    assert run_cli("build", str(repo), *BUILD).returncode == 0
    html = page_of(repo, "000000002/2024-00001")
    body = html.split('class="gk-body"', 1)[1]
    assert "<table>" in body and 'rowspan="2"' in body and "<ol" not in body
    assert "<p>10. 附则</p>" in body and "<p>1. 总则</p>" in body
    before = snapshot(repo)
    assert run_cli("import", str(export), "--mapping", str(mapping), "--into", str(repo)).returncode == 0
    assert snapshot(repo) == before


def test_import_into_an_existing_repository_adds_agencies_and_keeps_editor_values(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "site_config.yml").write_text(CONFIG, encoding="utf-8")
    export = tmp_path / "export.jsonl"
    lines = [
        {"id": "a1", "title": "测试市人民政府办公室关于某事的通知", "index_no": "000000002/2024-00011",
         "agency": "测试市人民政府办公室", "written_date": "2024-05-01", "published_date": "2024-05-02",
         "topic": "政务公开", "disclosure": "主动公开", "body": "正文。"},
        {"id": "a2", "title": "新机构的通知", "agency": "测试市新设局", "published_date": "2024-05-03",
         "topic": "综合政务\\政务公开", "disclosure": "主动公开", "info_type": "其他文件", "body": "正文。"},
    ]  # fmt: skip
    export.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    r = run_cli("import", str(export), "--into", str(repo))
    assert r.returncode == 0, r.stderr
    assert "主题分类 政务公开 已规范为 综合政务\\政务公开" in r.stderr  # second level alone, expanded
    config = (repo / "site_config.yml").read_text(encoding="utf-8")
    assert config.startswith(CONFIG.rstrip("\n").split("listing:")[0].rstrip("\n")[:40])
    assert "name: 测试市新设局}  # gongkai import 添加" in config
    a1 = repo / "catalogue/2024/000000002-2024-00011.md"
    text = a1.read_text(encoding="utf-8")
    assert "publisher: office\n" in text and "draft" not in text
    a2 = next((repo / "catalogue/2024").glob("id-a2.md"))
    assert "draft: true" in a2.read_text(encoding="utf-8")
    # an editor completes a2 and publishes it; re-importing the same export keeps that
    fixed = (
        a2.read_text(encoding="utf-8")
        .replace("draft: true\n", "")
        .replace("title:", "index_no: 000000009/2024-00001\nwritten_date: 2024-05-03\ntitle:")
    )
    a2.write_text(fixed, encoding="utf-8")
    before = snapshot(repo)
    assert run_cli("import", str(export), "--into", str(repo)).returncode == 0
    assert snapshot(repo) == before
    check = run_cli("check", str(repo), *BUILD)
    assert "[E" not in check.stderr, check.stderr


def test_mapping_file_overrides_labels_and_errors_are_positioned(tmp_path: Path) -> None:
    export = tmp_path / "e.csv"
    export.write_text("编号X,名称,日期\nQ1,某通知,2024-01-02\n", encoding="utf-8")
    mapping = tmp_path / "m.yml"
    mapping.write_text("columns:\n  编号X: origin.id\n  日期: published_date\n  名称: nosuch\n", encoding="utf-8")
    r = run_cli("import", str(export), "--mapping", str(mapping), "--into", str(tmp_path / "repo"))
    assert r.returncode == 2
    assert f"{mapping.as_posix()}:4:7: 错误[E905]: 映射文件中的 columns.名称 无效" in r.stderr
    mapping.write_text("columns:\n  编号X: origin.id\n  日期: published_date\n", encoding="utf-8")
    r = run_cli("import", str(export), "--mapping", str(mapping), "--into", str(tmp_path / "repo"), "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "编号X → origin.id" in r.stdout and "日期 → published_date" in r.stdout


def test_into_a_folder_that_is_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "stuff").mkdir()
    (tmp_path / "stuff" / "x.txt").write_text("x", encoding="utf-8")
    export = tmp_path / "e.jsonl"
    export.write_text('{"title": "x"}\n', encoding="utf-8")
    r = run_cli("import", str(export), "--into", str(tmp_path / "stuff"))
    assert r.returncode == 2 and "E910" in r.stderr and "Traceback" not in r.stderr


# ------------------------------------------------------------------ normalisers and bodies


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-12-10", "2020-12-10"),
        ("2020年12月10日", "2020-12-10"),
        ("2020年1月5日", "2020-01-05"),
        ("2020/12/10", "2020-12-10"),
        ("20201210", "2020-12-10"),
        (20201210, "2020-12-10"),
        ("2020-12-10 08:30:00", "2020-12-10"),
        ("2020.12.10", "2020-12-10"),
        ("2020-02-30", None),
        ("明年", None),
    ],
)
def test_dates(value: Any, expected: str | None) -> None:
    day = N.parse_date(value)
    assert (day.isoformat() if day else None) == expected


def test_topics() -> None:
    tree = default_topic_tree()
    assert N.topic_paths("卫生、体育\\医药管理", tree) == [("卫生、体育\\医药管理", "ok", "卫生、体育\\医药管理")]
    assert N.topic_paths("综合政务-文秘工作", tree)[0][:2] == ("综合政务\\文秘工作", "levels")
    assert N.topic_paths("医药管理", tree)[0][:2] == ("卫生、体育\\医药管理", "expanded")
    assert N.topic_paths("其他", tree)[0][:2] == ("其他", "ok")  # 其他 alone is the 22nd class
    assert N.topic_paths("民政、乡村振兴、救灾\\扶贫", tree)[0][:2] == ("民政、扶贫、救灾\\扶贫", "ok")
    assert [p for p, _, _ in N.topic_paths("购房补贴、四限放松", tree)] == ["购房补贴", "四限放松"]
    assert [p for p, _, _ in N.topic_paths("公积金政策放松,购房补贴", tree)] == ["公积金政策放松", "购房补贴"]


def test_doc_numbers_normalised() -> None:
    assert N.doc_number("国发〔2019〕 5号") == ("国发〔2019〕5号", "spaces")
    assert N.doc_number("苏政办发[2020]65号") == ("苏政办发〔2020〕65号", "brackets")
    assert N.doc_number("中国人民银行公告〔2024〕第11号") == ("中国人民银行公告〔2024〕第11号", None)


def test_labels() -> None:
    for label, target in [
        ("索 引 号", "index_no"),
        ("信息索引号", "index_no"),
        ("文件编号", "doc_number"),
        ("发文字号", "doc_number"),
        ("发文机关", "publisher"),
        ("发布单位", "publisher"),
        ("产生日期", "written_date"),
        ("发文日期", "written_date"),
        ("上载日期", "published_date"),
        ("主题（二）", "topic2"),
        ("时效性", "validity"),
        ("主题词", "keywords"),
        ("内容概况", "abstract"),
        ("文件下载", "attachments"),
        ("公开时限：", "period"),
    ]:
        assert builtin_target(label) == target, label


@pytest.mark.parametrize(
    "line",
    [
        "10.  附则",
        "1.  总则",
        "第一条 为了规范",
        "（一）工作要求",
        "# 不是标题",
        "- 不是列表",
        "+ 也不是",
        "> 不是引用",
        "| 不是 | 表格 |",
        "*强调* 与 _下划线_",
        "[链接](http://x)",
        "<b>标签</b> &amp; 实体",
        "~~~",
        ": 定义",
        "!!! note",
        "1) 第一项",
        "`代码`",
    ],
)
def test_plain_lines_render_exactly_as_written(line: str) -> None:
    md = plain_to_markdown(line)
    html = BodyRenderer().render_markdown(md)
    text = re.sub(r"<[^>]+>", "", html).strip()
    import html as _html

    assert _html.unescape(text) == line, (md, html)
    assert html.startswith("<p>"), html


def test_consecutive_numbered_clauses_stay_separate() -> None:
    md = plain_to_markdown("10.  附则\n1.  总则\n2.  适用范围")
    html = BodyRenderer().render(md)
    assert "<ol" not in html and html.count("<p>") == 3


def test_html_tables_and_lists() -> None:
    out = html_to_markdown(
        "<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
        '<table><tr><td colspan="2">宽</td></tr><tr><td>x</td><td>y</td></tr></table>'
        '<ol start="3"><li>三</li><li>四</li></ol>'
    )
    assert "| a | b |\n| --- | --- |\n| 1 | 2 |" in out.markdown
    assert '<td colspan="2">宽</td>' in out.markdown
    assert "3. 三\n4. 四" in out.markdown
    html = BodyRenderer().render(out.markdown)
    assert 'colspan="2"' in html and '<ol start="3">' in html


def test_example_export_in_the_readme(tmp_path: Path) -> None:
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "gongkai import examples/import/cms-export.csv --into /tmp/lanjiang-import" in readme
    repo = tmp_path / "lanjiang-import"
    dry = run_cli("import", "examples/import/cms-export.csv", "--into", str(repo), "--dry-run", cwd=REPO)
    assert dry.returncode == 0 and not repo.exists(), dry.stderr
    r = run_cli("import", "examples/import/cms-export.csv", "--into", str(repo), cwd=REPO)
    assert r.returncode == 0, r.stderr
    check = run_cli("check", str(repo), *BUILD)
    assert check.returncode == 0 and "[E" not in check.stderr and "[W" not in check.stderr, check.stderr
    text = (repo / "catalogue/2025/012600001-2025-00001.md").read_text(encoding="utf-8")
    assert "doc_number: 澜政办发〔2025〕3号" in text and "10\\.  其他事项" in text


def test_mapping_values_are_stated_facts_for_their_kind_only(tmp_path: Path) -> None:
    export = tmp_path / "e.jsonl"
    rows = [
        {"id": "x1", "title": "某通知", "index_no": "000000002/2024-00031", "agency": "某办公室", "topic": "综合政务\\政务公开",
         "published_date": "2024-01-02", "body": "正文。"},
        {"id": "x2", "title": "某解读", "index_no": "000000002/2024-00032", "interprets_title": "某通知",
         "interpreter_org": "某办公室", "published_date": "2024-01-03"},
    ]  # fmt: skip
    export.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    mapping = tmp_path / "m.yml"
    mapping.write_text("values:\n  written_date: 2024-01-01\n  info_type: 其他文件\n  form: 文字\n", encoding="utf-8")
    repo = tmp_path / "repo"
    r = run_cli("import", str(export), "--mapping", str(mapping), "--into", str(repo))
    assert r.returncode == 0, r.stderr
    entry = (repo / "catalogue/2024/000000002-2024-00031.md").read_text(encoding="utf-8")
    assert "written_date: 2024-01-01\n" in entry and "info_type: 其他文件" in entry and "form:" not in entry
    interp = (repo / "content/interpretations/2024/000000002-2024-00032.md").read_text(encoding="utf-8")
    assert "form: 文字" in interp and "info_type" not in interp and "written_date" not in interp
    assert "interprets: [000000002/2024-00031]" in interp
    check = run_cli("check", str(repo), *BUILD)
    assert check.returncode == 0 and "[E" not in check.stderr and "[W" not in check.stderr, check.stderr


def test_title_line_above_the_labels_and_utf16_tab_export(tmp_path: Path) -> None:
    text = "某某市政府信息公开目录导出（2024年）\n" + "\t".join(["索引号", "名称", "发布日期"]) + "\n"
    text += "\t".join(["000000002/2024-00041", "某某通知", "2024年5月6日"]) + "\n"
    export = tmp_path / "unicode.txt"
    export.write_bytes(text.encode("utf-16"))  # Excel's "Unicode text": UTF-16 with BOM, tabs
    r = run_cli("import", str(export), "--into", str(tmp_path / "repo"), "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "UTF-16" in r.stdout and "索引号 → index_no" in r.stdout and "发布日期 → published_date" in r.stdout
    assert "某某市政府信息公开目录导出" not in r.stdout


def test_values_a_rule_requires_make_a_draft_not_an_error(tmp_path: Path) -> None:
    rows = csv_rows()
    rows[0][9] = "已废止"  # a change of status: its date is not in the export
    rows[1][2] = ""  # a 行政规范性文件 without its 文号
    export = tmp_path / "e.csv"
    write_csv(export, rows)
    repo = tmp_path / "repo"
    r = run_cli("import", str(export), "--into", str(repo))
    assert r.returncode == 0, r.stderr
    assert "e.csv:2:1: 警告[W901]: 来源没有提供效力记录（validity_history），已作为草稿导入" in r.stderr
    assert "e.csv:3:1: 警告[W901]: 来源没有提供文号（doc_number），已作为草稿导入" in r.stderr
    check = run_cli("check", str(repo), *BUILD)
    assert check.returncode == 0, check.stderr
    assert sorted(re.findall(r"\[([EW]\d+)\]", check.stderr)) == ["W301", "W301"]
    assert "缺少必填字段 validity_history（效力记录）" in check.stderr
    assert run_cli("build", str(repo), *BUILD).returncode == 0


def test_attachment_column_and_import_into_the_current_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "catalogue").mkdir(parents=True)
    (repo / "site_config.yml").write_text(CONFIG, encoding="utf-8")
    cms = tmp_path / "cms"
    (cms / "files").mkdir(parents=True)
    (cms / "files" / "shenqing.pdf").write_bytes(b"%PDF-1.4 form")
    export = cms / "e.csv"
    export.write_text(
        "索引号,名称,发布机构,成文日期,公开日期,主题分类,公开方式,附件\n"
        '000000002/2024-00051,某通知,测试市人民政府办公室,2024-06-01,2024-06-02,综合政务\\政务公开,主动公开,"申请表|files/shenqing.pdf\n'
        'https://www.example.gov.cn/b.docx"\n',
        encoding="utf-8",
    )
    r = run_cli("import", str(export), cwd=repo)  # no --into: the repository the folder is in
    assert r.returncode == 0, r.stderr
    assert "附件或图片 b.docx 在站外" in r.stderr
    text = (repo / "catalogue/2024/000000002-2024-00051.md").read_text(encoding="utf-8")
    assert re.search(
        r"- \{title: 申请表, file: files/imported/[0-9a-f]{12}-shenqing\.pdf, sha256: [0-9a-f]{64}\}", text
    )
    assert "附件：[b.docx](<https://www.example.gov.cn/b.docx>)" in text
    stored = next((repo / "catalogue/files/imported").glob("*-shenqing.pdf"))
    assert stored.read_bytes() == b"%PDF-1.4 form"
    check = run_cli("check", str(repo), *BUILD)
    assert check.returncode == 0 and "[E" not in check.stderr, check.stderr
    outside = run_cli("import", str(export), cwd=tmp_path)
    assert outside.returncode == 2 and "--into" in outside.stderr
