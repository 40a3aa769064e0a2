"""gongkai as a web team uses it: the wheel, installed in a fresh venv, run outside the generator repository.

The wheel is built from a copy of the package sources (nothing is written into the
checkout) and installed into a venv that reuses the dependencies already installed
(``--system-site-packages``) but holds its own gongkai: the fixture proves that
``generator`` is imported from the venv, not from the editable install or PYTHONPATH.
Every command then runs with the venv's ``gongkai`` in a folder outside the repository.

Select with ``-m packaging``; they run in the normal test command too.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import __version__
from generator.model.stand_ins import placeholders
from generator.newsite import starter_files
from tests.conftest import REPO

pytestmark = pytest.mark.packaging

SOURCES = ("pyproject.toml", "setup.py", "README.md", "generator", "theme")
# Steps of the generated workflow that need GitHub itself; everything else runs here.
GITHUB_ACTIONS = (
    "actions/checkout@",
    "actions/setup-python@",
    "actions/upload-artifact@",
    "actions/github-script@",
    "actions/cache@",
    "actions/upload-pages-artifact@",
    "actions/deploy-pages@",
)
TIMEOUT = 600  # hang guard only


@dataclass
class Installed:
    wheel: Path
    venv: Path

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("GONGKAI_")}
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        env.update(extra)
        return env

    def run(self, *args: str, cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / "gongkai"), *args],
            cwd=cwd,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )


def _pip(python: Path | str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [str(python), "-m", "pip", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("packaging")
    src = base / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")
    for name in SOURCES:
        path = REPO / name
        shutil.copytree(path, src / name, ignore=ignore) if path.is_dir() else shutil.copy(path, src / name)
    dist = base / "dist"
    built = _pip(sys.executable, "wheel", "--no-deps", "-w", str(dist), str(src), cwd=base)
    if built.returncode != 0:  # no package index for the isolated build environment: use the installed setuptools
        built = _pip(sys.executable, "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(src), cwd=base)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = dist.glob("gongkai-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=TIMEOUT)
    # --ignore-installed: the editable install in the system site-packages must not satisfy it
    done = _pip(venv / "bin" / "python", "install", "--no-deps", "--ignore-installed", str(wheel), cwd=base)
    assert done.returncode == 0, done.stdout + done.stderr
    yield Installed(wheel, venv)


def _outside(tmp_path: Path) -> Path:
    assert not tmp_path.resolve().is_relative_to(REPO.resolve())
    return tmp_path


# ------------------------------------------------------------------ the wheel
def test_wheel_carries_theme_starter_and_version(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
        theme = [p for p in sorted((REPO / "theme").rglob("*")) if p.is_file() and not p.name.startswith(".")]
        assert theme
        for path in theme:
            name = "generator/_theme/" + path.relative_to(REPO / "theme").as_posix()
            assert name in names, name
            assert wheel.read(name) == path.read_bytes(), name
        for rel in starter_files():
            stored = rel.replace(".gitignore", "gitignore").replace(".github/", "github/")
            assert f"generator/starter/{stored}" in names, rel
        assert not any(n.startswith(("theme/", "tests/", "catalogue/", "content/")) for n in names)
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        assert f"\nVersion: {__version__}\n" in wheel.read(metadata).decode("utf-8")


def test_venv_runs_the_wheel_not_the_checkout(installed: Installed, tmp_path: Path) -> None:
    code = "import generator, generator.source.themes as t; print(generator.__file__); print(t.shipped_theme_dir())"
    result = subprocess.run(
        [str(installed.bin / "python"), "-c", code],
        cwd=_outside(tmp_path),
        env=installed.env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    package, theme = (Path(line) for line in result.stdout.splitlines())
    assert package.resolve().is_relative_to(installed.venv.resolve())
    assert theme.resolve() == package.resolve().parent / "_theme"
    version = installed.run("--version", cwd=tmp_path)
    assert version.stdout.strip() == f"gongkai {__version__}"


# ------------------------------------------------------------------ a new site
def _no_repo_paths(site: Path) -> None:
    """Nothing built refers to the generator's source tree."""
    needle = str(REPO.resolve()).encode()
    for path in site.rglob("*"):
        if path.is_file():
            assert needle not in path.read_bytes(), path


def test_init_check_build_outside_the_repository(installed: Installed, tmp_path: Path) -> None:
    work = _outside(tmp_path)
    result = installed.run("init", "my-site", cwd=work)
    assert result.returncode == 0, result.stderr
    site_repo = work / "my-site"
    requirements = (site_repo / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in requirements if line and not line.startswith("#")] == [f"gongkai=={__version__}"]
    check = installed.run("check", cwd=site_repo)
    assert check.returncode == 0, check.stderr
    build = installed.run("build", cwd=site_repo)
    assert build.returncode == 0, build.stderr
    index = (site_repo / "site" / "index.html").read_text(encoding="utf-8")
    assert f'<meta name="generator" content="gongkai {__version__}">' in index
    assert (site_repo / "site" / "assets" / "stylesheets" / "gongkai.css").is_file()
    assert (site_repo / "site" / "guide" / "index.html").is_file()
    _no_repo_paths(site_repo / "site")


def _sample_copy(dest: Path) -> Path:
    dest.mkdir()
    for name in ("site_config.yml", "catalogue", "content"):
        src = REPO / name
        shutil.copytree(src, dest / name) if src.is_dir() else shutil.copy(src, dest / name)
    return dest


def test_sample_content_builds_from_the_wheel(installed: Installed, tmp_path: Path) -> None:
    root = _sample_copy(_outside(tmp_path) / "sample")
    build = installed.run("build", "--quiet", cwd=root)
    assert build.returncode == 0, build.stderr
    site = root / "site"
    exported = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    titles = json.dumps(exported, ensure_ascii=False)
    entry = next((root / "catalogue").rglob("*.md"))
    front = yaml.safe_load(entry.read_text(encoding="utf-8").split("---\n")[1])
    if not front.get("draft"):
        assert front["title"] in titles
    shipped_css = (REPO / "theme" / "assets" / "stylesheets" / "gongkai.css").read_bytes()
    assert (site / "assets" / "stylesheets" / "gongkai.css").read_bytes() == shipped_css
    _no_repo_paths(site)


def test_site_theme_overrides_one_partial(installed: Installed, tmp_path: Path) -> None:
    root = _sample_copy(_outside(tmp_path) / "sample")
    partial = root / "theme" / "partials" / "copyright.html"
    partial.parent.mkdir(parents=True)
    partial.write_text('<div class="md-copyright">本站由示例市大数据中心维护</div>\n', encoding="utf-8")
    build = installed.run("build", "--quiet", cwd=root)
    assert build.returncode == 0, build.stderr
    site = root / "site"
    for page in (site / "index.html", site / "catalogue" / "index.html", site / "guide" / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert "本站由示例市大数据中心维护" in html, page
        assert "gk-footer" not in html  # the shipped copyright partial is replaced
        assert 'class="md-skip"' in html  # the shipped main.html is still in force
        assert f'content="gongkai {__version__}"' in html
    for rel in ("assets/stylesheets/gongkai.css", "assets/javascripts/gongkai.js"):
        assert (site / rel).read_bytes() == (REPO / "theme" / rel).read_bytes(), rel


# ------------------------------------------------------------------ the generated CI workflow, run here
def _git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "编辑",
        "GIT_AUTHOR_EMAIL": "editor@example.gov.cn",
        "GIT_COMMITTER_NAME": "编辑",
        "GIT_COMMITTER_EMAIL": "editor@example.gov.cn",
    }
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


# What the workflow's env: may take from GitHub, as GitHub would fill it in for this pull request.
GITHUB_CONTEXT = {"${{ github.base_ref }}": "main"}


def _steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return list(workflow["jobs"][job]["steps"])


def _run_steps(
    installed: Installed, repo: Path, steps: list[dict[str, Any]], summary: Path
) -> tuple[list[str], dict[str, subprocess.CompletedProcess[str]]]:
    """Run every ``run:`` step that does not need GitHub, as Actions would (bash -eo pipefail)."""
    skipped: list[str] = []
    results: dict[str, subprocess.CompletedProcess[str]] = {}
    for step in steps:
        if "uses" in step:
            assert step["uses"].startswith(GITHUB_ACTIONS), step["uses"]
            skipped.append(step["uses"])
            continue
        script = step["run"]
        assert "${{" not in script, step["name"]
        if "pip install -r requirements.txt" in script:
            skipped.append(script)  # the venv already holds the wheel
            continue
        env = {}
        for key, value in (step.get("env") or {}).items():
            for expression, filled in GITHUB_CONTEXT.items():
                value = value.replace(expression, filled)
            assert "${{" not in value, (key, value)
            env[key] = value
        results[step["name"]] = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=repo,
            env=installed.env(GITHUB_STEP_SUMMARY=str(summary), CI="true", **env),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    return skipped, results


def test_generated_ci_workflow_runs_locally(installed: Installed, tmp_path: Path) -> None:
    work = _outside(tmp_path)
    origin, repo = work / "origin.git", work / "site-repo"
    _git(work, "init", "--bare", "-b", "main", str(origin))
    assert installed.run("init", str(repo), cwd=work).returncode == 0
    _git(repo, "init", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-m", "gongkai init")
    _git(repo, "remote", "add", "origin", str(origin))
    _git(repo, "push", "-q", "origin", "main")
    # the pull request: one new entry, written with gongkai new
    _git(repo, "checkout", "-q", "-b", "first-entry")
    new = installed.run(
        "new", "entry", "--agency", "example", "--date", "2026-01-05", "-o", "catalogue/2026/e1.md", cwd=repo
    )
    assert new.returncode == 0, new.stderr
    # the editor fills in the template: untouched stand-in texts are errors (E106)
    entry = repo / "catalogue/2026/e1.md"
    text = entry.read_text(encoding="utf-8")
    for field, stand_in in placeholders("entry").items():
        if not stand_in.whole and stand_in.text in text:
            text = text.replace(stand_in.text, "关于做好2026年政务公开工作的通知" if field == "title" else "正文。")
    entry.write_text(text, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-m", "第一条信息")
    _git(repo, "fetch", "-q", "origin")
    index_no = yaml.safe_load((repo / "catalogue/2026/e1.md").read_text(encoding="utf-8").split("---\n")[1])["index_no"]

    workflow = yaml.safe_load((repo / ".github" / "workflows" / "gongkai.yml").read_text(encoding="utf-8"))
    summary = work / "step-summary.md"
    skipped, results = _run_steps(installed, repo, _steps(workflow, "review"), summary)
    assert [s for s in skipped if "pip install" in s]  # the install step exists, and only it is not run
    for name, result in results.items():
        assert result.returncode == 0, (name, result.stdout, result.stderr)
    assert {n for n in results if "gongkai check" in n} and {n for n in results if "fmt --check" in n}
    report = (repo / "gongkai-diff.md").read_text(encoding="utf-8")
    assert report.startswith("<!-- gongkai-diff -->") and index_no in report
    assert index_no in summary.read_text(encoding="utf-8")
    data = json.loads((repo / "gongkai-diff.json").read_text(encoding="utf-8"))
    assert data["summary"]["added"] == 1
    assert (repo / "site" / "index.html").is_file()  # the trial build
    # the report files are ignored, so the working tree stays clean for the next steps
    assert _git(repo, "status", "--porcelain") == ""

    # main, after the merge: build (then GitHub publishes site/)
    _git(repo, "checkout", "-q", "main")
    _git(repo, "merge", "-q", "--ff-only", "first-entry")
    shutil.rmtree(repo / "site")
    skipped, results = _run_steps(installed, repo, _steps(workflow, "build"), summary)
    assert "actions/upload-pages-artifact@v3" in skipped
    assert all(r.returncode == 0 for r in results.values()), {n: r.stderr for n, r in results.items()}
    upload = next(s for s in _steps(workflow, "build") if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    published = repo / upload["with"]["path"]
    assert (published / "index.html").is_file()
    digest = hashlib.sha256((published / "catalogue.json").read_bytes()).hexdigest()
    assert digest and index_no in (published / "catalogue.json").read_text(encoding="utf-8")


def test_ci_fmt_step_fails_on_a_file_not_in_canonical_form(installed: Installed, tmp_path: Path) -> None:
    work = _outside(tmp_path)
    repo = work / "site-repo"
    assert installed.run("init", str(repo), cwd=work).returncode == 0
    entry = repo / "catalogue" / "2025" / "example-2025-00001.md"
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace("keywords: [政务公开, 示例]", "keywords:\n  - 政务公开\n  - 示例"), encoding="utf-8")
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "gongkai.yml").read_text(encoding="utf-8"))
    fmt_steps = [s for s in _steps(workflow, "review") if "fmt --check" in s.get("run", "")]
    _, results = _run_steps(installed, repo, fmt_steps, work / "summary.md")
    (result,) = results.values()
    assert result.returncode == 1
    assert "catalogue/2025/example-2025-00001.md" in result.stdout
