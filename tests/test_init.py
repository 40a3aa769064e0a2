"""``gongkai init``: a new site repository that checks and builds at once; nothing is ever overwritten."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from generator import __version__
from generator.model.siteconfig import CONFIG_KEYS
from generator.newsite import SITE_PARTS, starter_files
from tests.conftest import run_cli

EXPECTED = {
    "site_config.yml",
    "catalogue/2025/example-2025-00001.md",
    "content/interpretations/2025/example-2025-00002.md",
    "content/pages/guide.md",
    ".gitignore",
    "requirements.txt",
    ".github/workflows/gongkai.yml",
    "README.md",
}


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_init_writes_a_site_that_checks_and_builds(tmp_path: Path) -> None:
    target = tmp_path / "my-site"
    result = run_cli("init", str(target), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "已在" in result.stdout and "gongkai check && gongkai build" in result.stdout
    assert _files(target) == EXPECTED
    check = run_cli("check", cwd=target)
    assert check.returncode == 0, check.stderr
    # no error; the placeholders the office must replace are pointed at (W750), nothing else
    assert "共 0 个错误，3 个警告" in check.stderr
    assert set(re.findall(r"\[(\w+)\]", check.stderr)) == {"W750"}
    assert run_cli("fmt", "--check", cwd=target).returncode == 0
    build = run_cli("build", cwd=target)
    assert build.returncode == 0, build.stderr
    site = target / "site"
    assert (site / "guide" / "index.html").is_file()
    assert "政府信息公开指南" in (site / "guide" / "index.html").read_text(encoding="utf-8")
    assert "示例机关（请替换）" in (site / "agencies" / "index.html").read_text(encoding="utf-8")
    # the examples are drafts: no output of any kind carries them
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".csv", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "做好政务公开工作的通知（示例" not in text, path
            assert "000000000/2025-0000" not in text, path


def test_site_config_explains_every_key_in_chinese() -> None:
    text = starter_files()["site_config.yml"].decode("utf-8")
    lines = text.splitlines()
    for key in CONFIG_KEYS:
        leaf = key.rsplit(".", 1)[-1].replace("agencies[]", "agencies")
        pattern = re.compile(rf"^\s*(#\s*)?(- )?{re.escape(leaf)}:")
        hits = [i for i, line in enumerate(lines) if pattern.match(line)]
        assert hits, f"{key} missing from the starter site_config.yml"
        # a Chinese explanation on the line itself or in the comment just above
        near = " ".join(lines[max(0, hits[0] - 3) : hits[0] + 1])
        assert re.search("[\u4e00-\u9fff]", near), key
    config = yaml.safe_load(text)
    assert [a["id"] for a in config["agencies"]] == ["example"]
    assert "示例" in config["agencies"][0]["name"]


def test_pin_gitignore_and_workflow() -> None:
    files = starter_files()
    requirements = files["requirements.txt"].decode("utf-8")
    pins = [line for line in requirements.splitlines() if line and not line.startswith("#")]
    assert pins == [f"gongkai=={__version__}"]
    ignored = files[".gitignore"].decode("utf-8").splitlines()
    assert "site/" in ignored and ".gongkai-cache/" in ignored
    workflow = yaml.safe_load(files[".github/workflows/gongkai.yml"])
    triggers = workflow.get("on", workflow.get(True))
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    uses = [s.get("uses", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    runs = [s["run"] for job in workflow["jobs"].values() for s in job["steps"] if "run" in s]
    assert any("pip install -r requirements.txt" in r for r in runs)
    for command in ("gongkai check", "gongkai fmt --check", "gongkai diff", "gongkai build"):
        assert any(command in r for r in runs), command
    # GitHub expressions only in env/with, never spliced into a shell script (injection, local runs)
    assert not any("${{" in r for r in runs)


def test_refuses_a_folder_that_holds_a_site(tmp_path: Path) -> None:
    target = tmp_path / "existing"
    target.mkdir()
    (target / "site_config.yml").write_text("site: {}\n", encoding="utf-8")
    (target / "README.md").write_text("我们自己的说明\n", encoding="utf-8")
    result = run_cli("init", str(target), cwd=tmp_path)
    assert result.returncode == 2
    assert f"{target.as_posix()}/site_config.yml: 错误[E760]:" in result.stderr
    assert f"{target.as_posix()}/README.md: 错误[E760]:" in result.stderr
    assert "未创建任何文件。" in result.stderr
    assert _files(target) == {"site_config.yml", "README.md"}  # nothing written, nothing overwritten
    assert (target / "README.md").read_text(encoding="utf-8") == "我们自己的说明\n"
    en = run_cli("init", str(target), "--lang", "en", cwd=tmp_path)
    assert "error[E760]: already exists; gongkai init never overwrites anything" in en.stderr
    assert "nothing was created." in en.stderr


def test_refuses_each_part_of_a_site(tmp_path: Path) -> None:
    for part in SITE_PARTS:
        target = tmp_path / f"with-{part}"
        (target / part).mkdir(parents=True)
        result = run_cli("init", str(target), cwd=tmp_path)
        assert result.returncode == 2, part
        assert f"{target.as_posix()}/{part}: 错误[E760]" in result.stderr
        assert _files(target) == set()


def test_a_fresh_git_repository_is_safe(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    (target / ".git").mkdir(parents=True)
    (target / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (target / "LICENSE").write_text("CC0\n")
    result = run_cli("init", str(target), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _files(target) == EXPECTED | {".git/HEAD", "LICENSE"}


def test_refuses_a_file_and_a_file_in_the_way(tmp_path: Path) -> None:
    file = tmp_path / "a-file"
    file.write_text("x")
    result = run_cli("init", str(file), cwd=tmp_path)
    assert result.returncode == 2 and f"{file.as_posix()}: 错误[E761]" in result.stderr
    target = tmp_path / "blocked"
    target.mkdir()
    (target / ".github").write_text("not a folder")
    result = run_cli("init", str(target), cwd=tmp_path)
    assert result.returncode == 2 and f"{target.as_posix()}/.github: 错误[E760]" in result.stderr
    assert _files(target) == {".github"}


def test_version_option() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"gongkai {__version__}"
    assert "显示版本号并退出。" in run_cli("--help").stdout
    assert "新建一个网站内容仓库" in run_cli("init", "--help").stdout


def test_init_defaults_to_the_current_folder(tmp_path: Path) -> None:
    result = run_cli("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _files(tmp_path) == EXPECTED
    assert "cd " not in result.stdout  # already there
    again = run_cli("init", cwd=tmp_path)
    assert again.returncode == 2 and "[E760]" in again.stderr


def test_placeholders_are_warned_until_replaced(tmp_path: Path) -> None:
    assert run_cli("init", str(tmp_path)).returncode == 0
    check = run_cli("check", "--format", "json", cwd=tmp_path)
    found = [(d["path"], d["line"], d["code"]) for d in json.loads(check.stdout)["diagnostics"]]
    config = (tmp_path / "site_config.yml").read_text(encoding="utf-8").splitlines()
    lines = [n for n, line in enumerate(config, 1) if "（请替换）" in line and not line.lstrip().startswith("#")]
    assert len(lines) == 2
    assert sorted(found) == sorted(
        [("site_config.yml", n, "W750") for n in lines] + [("content/pages/guide.md", 8, "W750")]
    )
    # the office fills them in: the warnings go; a placeholder in a comment or a draft page is not published
    text = "\n".join(config).replace("示例市人民政府信息公开（请替换）", "澜江市人民政府信息公开")
    text = text.replace("示例机关（请替换）", "澜江市人民政府办公室") + "\n# 旧名称：示例机关（请替换）\n"
    (tmp_path / "site_config.yml").write_text(text, encoding="utf-8")
    guide = tmp_path / "content" / "pages" / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("【请填写", "【已填写"), encoding="utf-8")
    (tmp_path / "content" / "pages" / "todo.md").write_text(
        "---\ntitle: 待办\ndraft: true\n---\n【请填写：以后再说】\n", encoding="utf-8"
    )
    check = run_cli("check", cwd=tmp_path)
    assert check.returncode == 0 and "共 0 个错误，0 个警告" in check.stderr, check.stderr


def test_a_file_in_the_path_is_reported_and_nothing_is_left(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    result = run_cli("init", str(tmp_path / "a-file" / "sub"), cwd=tmp_path)
    assert result.returncode == 2
    assert "错误[E762]: 无法写入：路径中的某一级是文件而不是文件夹" in result.stderr
    assert "Traceback" not in result.stderr
    assert _files(tmp_path) == {"a-file"}
