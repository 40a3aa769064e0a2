"""``gongkai diff``: real git repositories, a series of commits, exact diff entries."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.audit.changelog import MARKER, compare, to_json, to_markdown
from generator.audit.gitdiff import GitError, revision, snapshot, worktree
from tests.conftest import REPO, GitProject, run_cli

E1, E2 = "000000002/2024-00001", "000000003/2024-00002"
R1, I1, I2 = "000000002/2023-00001", "000000002/2023-00002", "000000001/2022-00002"
G1, G2 = "000000001/2022-00001", "000000001/2024-00001"


def diff(p: GitProject, a: str, b: str | None) -> dict[str, Any]:
    return json.loads(to_json(compare(snapshot(p.root, a), snapshot(p.root, b))))


def fields(report: dict[str, Any], index_no: str) -> list[tuple[str, Any, Any, str | None]]:
    item = next(i for i in report["items"] if i["index_no"] == index_no)
    return [(f["field"], f["old"], f["new"], f["risk"]) for f in item["fields"]]


@pytest.fixture
def history(make_git_project: Any) -> tuple[GitProject, dict[str, str]]:
    """Eight commits an auditor would want to see explained."""
    p: GitProject = make_git_project()
    revs: dict[str, str] = {}
    sha = p.attachment("files/e1.pdf", b"%PDF-1.4 v1\n")
    e1 = {
        "abstract": "关于政务公开工作的通知",
        "keywords": ["政务公开"],
        "attachments": [{"title": "附件1", "file": "files/e1.pdf", "sha256": sha}],
    }
    p.entry("2024/e1", body="第一段。\n第二段。\n", **e1)
    r1 = {
        "index_no": R1,
        "title": "测试市行政规范性文件管理办法",
        "doc_number": "测政办规〔2023〕1号",
        "info_type": "行政规范性文件",
        "written_date": dt.date(2023, 2, 1),
        "published_date": dt.date(2023, 2, 3),
        "validity": "有效",
        "validity_history": [{"date": dt.date(2023, 2, 3), "status": "有效"}],
    }
    p.entry("2023/r1", **r1)
    p.interpretation(
        "2023/i1", index_no=I1, title="《管理办法》解读", interprets=[R1], published_date=dt.date(2023, 2, 3)
    )
    g1 = {
        "index_no": G1,
        "title": "测试市政府信息公开规定",
        "publisher": "gov",
        "doc_number": "测试市人民政府令第1号",
        "info_type": "规章",
        "written_date": dt.date(2022, 1, 10),
        "published_date": dt.date(2022, 1, 12),
        "validity": "有效",
        "validity_history": [{"date": dt.date(2022, 1, 12), "status": "有效"}],
    }
    p.entry("2022/g1", **g1)
    p.page("guide", "政府信息公开指南")
    revs["c0"] = p.commit("initial catalogue")

    p.entry(
        "2024/e2",
        index_no=E2,
        title="教育局招生公告",
        publisher="edu",
        doc_number=None,
        genre="公告",
        body="一\n二\n三\n",
    )
    p.interpretation(
        "2022/i2",
        index_no=I2,
        title="《信息公开规定》解读",
        interprets=[G1],
        interpreter_org="gov",
        published_date=dt.date(2022, 1, 12),
    )
    revs["c1"] = p.commit("add an entry and an interpretation")

    e1_edit = {**e1, "keywords": ["政务公开", "重点工作"]}
    p.entry(
        "2024/e1",
        body="第一段（修订）。\n第二段。\n第三段。\n",
        title="测试市人民政府办公室关于做好2024年政务公开工作的通知",
        disclosure="依申请公开",
        **e1_edit,
    )
    revs["c2"] = p.commit("edit metadata and body")

    p.entry(
        "2022/g1",
        **{
            **g1,
            "validity": "废止",
            "validity_history": [
                {"date": dt.date(2022, 1, 12), "status": "有效"},
                {"date": dt.date(2024, 6, 1), "status": "废止", "by": G2},
            ],
        },
    )
    p.entry(
        "2024/g2",
        index_no=G2,
        title="测试市政府信息公开办法",
        publisher="gov",
        doc_number="测试市人民政府令第2号",
        info_type="规章",
        written_date=dt.date(2024, 5, 20),
        published_date=dt.date(2024, 5, 25),
        validity="有效",
        validity_history=[{"date": dt.date(2024, 6, 1), "status": "有效"}],
        relations={"repeals": [G1]},
    )
    revs["c3"] = p.commit("repeal g1 by g2")

    p.git("mv", "catalogue/2024/e2.md", "catalogue/2024/jyj-2024-00002.md")
    revs["c4"] = p.commit("rename a file")

    p.git("rm", "-q", "catalogue/2023/r1.md")
    revs["c5"] = p.commit("remove r1: its interpretation now points nowhere")

    text = (p.root / "catalogue/2024/e1.md").read_text(encoding="utf-8")
    (p.root / "catalogue/2024/e1.md").write_text(text.replace(E1, "000000002/2024-00007"), encoding="utf-8")
    revs["c6"] = p.commit("same file, new index_no")

    new_sha = p.attachment("files/e1.pdf", b"%PDF-1.4 v2\n")
    text = (p.root / "catalogue/2024/e1.md").read_text(encoding="utf-8")
    (p.root / "catalogue/2024/e1.md").write_text(text.replace(sha, new_sha), encoding="utf-8")
    revs["c7"] = p.commit("replace the attachment")
    revs.update(sha_v1=sha, sha_v2=new_sha)
    return p, revs


def test_added_entry_and_new_interpretation(history: Any) -> None:
    p, revs = history
    report = diff(p, revs["c0"], revs["c1"])
    assert report["summary"] == {
        "added": 2,
        "removed": 0,
        "renamed": 0,
        "modified": 0,
        "unreadable": 0,
        "risky": 0,
        "broken_links": 0,
    }
    assert [(i["status"], i["kind"], i["index_no"], i["path"], i["body_added"]) for i in report["items"]] == [
        ("added", "interpretation", I2, "content/interpretations/2022/i2.md", 1),
        ("added", "entry", E2, "catalogue/2024/e2.md", 3),
    ]
    assert report["relations"] == [
        {
            "change": "added",
            "relation": "interprets",
            "source": I2,
            "source_title": "《信息公开规定》解读",
            "target": G1,
            "target_title": "测试市政府信息公开规定",
        }
    ]


def test_metadata_edit_with_risky_disclosure_change_and_body_summary(history: Any) -> None:
    p, revs = history
    report = diff(p, revs["c1"], revs["c2"])
    assert fields(report, E1) == [
        (
            "title",
            "测试市人民政府办公室关于做好政务公开工作的通知",
            "测试市人民政府办公室关于做好2024年政务公开工作的通知",
            None,
        ),
        ("keywords", ["政务公开"], ["政务公开", "重点工作"], None),
        ("disclosure", "主动公开", "依申请公开", "disclosure"),
    ]
    item = report["items"][0]
    assert (item["status"], item["renamed"], item["body_added"], item["body_removed"]) == ("changed", False, 2, 1)
    assert report["risky"] == [
        {"risk": "disclosure", "index_no": E1, "field": "disclosure", "old": "主动公开", "new": "依申请公开"}
    ]


def test_repeal_is_a_validity_transition_with_its_relation(history: Any) -> None:
    p, revs = history
    report = diff(p, revs["c2"], revs["c3"])
    assert fields(report, G1) == [
        ("validity", "有效", "废止", "validity"),
        (
            "validity_history",
            [{"date": "2022-01-12", "status": "有效"}],
            [{"date": "2022-01-12", "status": "有效"}, {"date": "2024-06-01", "status": "废止", "by": G2}],
            "validity",
        ),
    ]
    assert [(r["risk"], r["index_no"], r["field"]) for r in report["risky"]] == [
        ("validity", G1, "validity"),
        ("validity", G1, "validity_history"),
    ]
    assert [(i["status"], i["index_no"]) for i in report["items"]] == [("changed", G1), ("added", G2)]
    assert [(r["change"], r["relation"], r["source"], r["target"]) for r in report["relations"]] == [
        ("added", "validity_history.by", G1, G2),
        ("added", "repeals", G2, G1),
    ]
    assert report["broken_links"] == []


def test_renamed_file_is_the_same_entry(history: Any) -> None:
    p, revs = history
    report = diff(p, revs["c3"], revs["c4"])
    assert report["summary"]["added"] == report["summary"]["removed"] == 0
    assert report["summary"]["renamed"] == 1 and report["summary"]["modified"] == 0
    [item] = report["items"]
    assert (item["status"], item["renamed"], item["index_no"], item["old_path"], item["path"], item["fields"]) == (
        "changed",
        True,
        E2,
        "catalogue/2024/e2.md",
        "catalogue/2024/jyj-2024-00002.md",
        [],
    )
    assert report["relations"] == []


def test_removal_breaks_a_link(history: Any) -> None:
    p, revs = history
    report = diff(p, revs["c4"], revs["c5"])
    assert [(i["status"], i["index_no"], i["old_path"], i["old_url"]) for i in report["items"]] == [
        ("removed", R1, "catalogue/2023/r1.md", "catalogue/000000002-2023-00001/")
    ]
    assert report["risky"] == [{"risk": "removed", "index_no": R1, "field": None, "old": None, "new": None}]
    assert report["broken_links"] == [
        {
            "source": I1,
            "source_title": "《管理办法》解读",
            "path": "content/interpretations/2023/i1.md",
            "relation": "interprets",
            "target": R1,
        }
    ]
    assert report["summary"]["broken_links"] == 1


def test_same_path_new_index_no_is_an_identity_change(history: Any) -> None:
    p, revs = history
    report = diff(p, revs["c5"], revs["c6"])
    [item] = report["items"]
    assert (item["status"], item["index_no"], item["path"], item["old_path"]) == (
        "changed",
        "000000002/2024-00007",
        "catalogue/2024/e1.md",
        "catalogue/2024/e1.md",
    )
    assert (item["old_url"], item["url"]) == ("catalogue/000000002-2024-00001/", "catalogue/000000002-2024-00007/")
    assert fields(report, "000000002/2024-00007") == [("index_no", E1, "000000002/2024-00007", "index_no")]
    assert report["summary"]["added"] == report["summary"]["removed"] == 0


def test_attachment_content_change(history: Any) -> None:
    p, revs = history
    report = diff(p, revs["c6"], revs["c7"])
    [item] = report["items"]
    assert item["attachments"] == [{"file": "files/e1.pdf", "old_sha256": revs["sha_v1"], "new_sha256": revs["sha_v2"]}]
    assert [f[0] for f in fields(report, "000000002/2024-00007")] == ["attachments"]


def test_only_the_attachment_file_changed(history: Any) -> None:
    p, revs = history
    p.attachment("files/e1.pdf", b"%PDF-1.4 tampered\n")  # content changed, declared sha256 not
    report = diff(p, revs["c7"], None)
    [item] = report["items"]
    assert item["fields"] == [] and item["attachments"][0]["old_sha256"] == revs["sha_v2"]
    assert report["head"] == {"rev": None, "commit": None, "label": "working tree"}


def test_working_tree_default_and_uncommitted_files(history: Any) -> None:
    p, revs = history
    assert diff(p, revs["c7"], None)["items"] == []  # clean tree: nothing changed
    p.entry("2024/new", index_no="000000002/2024-00008", title="尚未提交的条目")
    (p.root / "catalogue/2022/g1.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    report = diff(p, "HEAD", None)
    assert [(i["status"], i["index_no"]) for i in report["items"]] == [
        ("unreadable", G1),
        ("added", "000000002/2024-00008"),
    ]
    assert report["problems"] == [
        {"path": "catalogue/2022/g1.md", "message": "无法解析：第 2 行 YAML 语法错误：方括号 [ ] 未闭合"}
    ]
    # its interpretation and g2 still refer to g1, which no longer resolves
    assert [(b["source"], b["relation"], b["target"]) for b in report["broken_links"]] == [
        (I2, "interprets", G1),
        (G2, "repeals", G1),
    ]


def test_whole_history_at_once(history: Any) -> None:
    p, revs = history
    report = diff(p, revs["c0"], revs["c7"])
    assert report["summary"] == {
        "added": 3,
        "removed": 1,
        "renamed": 0,
        "modified": 2,
        "unreadable": 0,
        "risky": 5,
        "broken_links": 1,
    }
    assert [(r["risk"], r["index_no"], r["field"]) for r in report["risky"]] == [
        ("validity", G1, "validity"),
        ("validity", G1, "validity_history"),
        ("disclosure", "000000002/2024-00007", "disclosure"),
        ("index_no", "000000002/2024-00007", "index_no"),
        ("removed", R1, None),
    ]
    e1 = next(i for i in report["items"] if i["index_no"] == "000000002/2024-00007")
    assert [f["field"] for f in e1["fields"]] == ["index_no", "title", "keywords", "disclosure", "attachments"]
    assert [a["file"] for a in e1["attachments"]] == ["files/e1.pdf"]


def test_markdown_report(history: Any) -> None:
    p, revs = history
    text = to_markdown(compare(revision(p.root, revs["c0"]), revision(p.root, revs["c7"])))
    assert text.startswith(f"{MARKER}\n## 目录变更报告\n\n对比：{revs['c0'][:7]} → {revs['c7'][:7]}\n")
    assert "\\[{date: 2022-01-12, status: 有效}\\]" in text
    assert (
        "| 新增 | 删除 | 重命名 | 修改 | 高风险变更 | 新增断链 |\n|---|---|---|---|---|---|\n| 3 | 1 | 0 | 2 |" in text
    )
    assert "### ⚠️ 高风险变更" in text
    assert "| 效力状况 | `000000001/2022-00001` | 测试市政府信息公开规定 | 效力状况 | 有效 | 废止 |" in text
    assert "| 公开方式 | `000000002/2024-00007` |" in text
    assert "`catalogue/000000002-2024-00001/`" in text and "`catalogue/000000002-2024-00007/`" in text
    assert "### ⛔ 新增断链（引用的索引号已不存在）" in text
    assert "| `000000002/2023-00002` | 《管理办法》解读 | 解读 | `000000002/2023-00001` |" in text
    assert "正文：+2 行，−1 行" in text
    assert "附件内容变化：`files/e1.pdf` sha256 " in text
    assert "| 新增解读 | `000000001/2022-00002` |" in text
    assert text.index("高风险变更") < text.index("### 新增") < text.index("### 删除") < text.index("### 修改")


def test_markdown_escapes_table_syntax() -> None:
    from generator.audit.changelog import md, show

    assert md("a|b *c* <script>") == "a\\|b \\*c\\* &lt;script&gt;"
    assert md(show(["综合政务\\政务公开"])) == '\\["综合政务\\\\\\\\政务公开"\\]'
    assert show(None) == "（无）"


def test_no_changes(history: Any) -> None:
    p, revs = history
    text = to_markdown(compare(revision(p.root, revs["c7"]), worktree(p.root)))
    assert text.endswith("未发现目录内容的变化。\n")


# ------------------------------------------------------------------ command line


def test_cli_markdown_json_and_errors(history: Any, tmp_path: Path) -> None:
    p, revs = history
    result = run_cli("diff", revs["c4"], revs["c5"], cwd=p.root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(MARKER)
    as_json = run_cli("diff", "HEAD~3", "HEAD~2", "--format", "json", "--path", str(p.root))
    assert json.loads(as_json.stdout)["summary"]["broken_links"] == 1
    out = tmp_path / "report.md"
    assert run_cli("diff", "HEAD~1", "-o", str(out), cwd=p.root / "catalogue").returncode == 0
    assert out.read_text(encoding="utf-8").startswith(MARKER)
    bad = run_cli("diff", "no-such-rev", cwd=p.root)
    assert bad.returncode == 2 and bad.stderr == "错误：找不到版本 no-such-rev\n"
    bad_en = run_cli("diff", "--lang", "en", "--", "--output=x", cwd=p.root)
    assert bad_en.returncode == 2 and "error:" in bad_en.stderr


def test_not_a_repository(make_project: Any) -> None:
    p = make_project()
    with pytest.raises(GitError):
        revision(p.root, "HEAD")
    result = run_cli("diff", "HEAD", cwd=p.root)
    assert result.returncode == 2 and result.stderr.startswith("错误：")


def test_project_in_a_subfolder_of_the_repository(make_git_project: Any) -> None:
    outer: GitProject = make_git_project()
    inner = outer.root / "site-src"
    inner.mkdir()
    (inner / "site_config.yml").write_text(
        (outer.root / "site_config.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (inner / "catalogue").mkdir()
    (inner / "catalogue" / "a.md").write_text("---\nindex_no: 000000002/2024-00001\ntitle: 甲\n---\n", encoding="utf-8")
    first = outer.commit("project in a subfolder")
    (inner / "catalogue" / "a.md").write_text("---\nindex_no: 000000002/2024-00001\ntitle: 乙\n---\n", encoding="utf-8")
    report = json.loads(to_json(compare(revision(inner, first), worktree(inner))))
    assert [(i["path"], [f["new"] for f in i["fields"]]) for i in report["items"]] == [("catalogue/a.md", ["乙"])]


def test_ci_example_runs_check_fmt_and_diff() -> None:
    workflow = yaml.safe_load((REPO / "examples" / "ci" / "gongkai.yml").read_text(encoding="utf-8"))
    steps = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    script = "\n".join(steps)
    for command in ("gongkai check", "gongkai fmt --check", "gongkai diff"):
        assert command in script
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    assert (REPO / "examples" / "ci" / "README.md").is_file()
