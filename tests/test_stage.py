"""``gongkai stage DIR``: the staging tree any MkDocs-compatible engine builds, without gongkai."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.project import load_project
from generator.site import build as B
from generator.site.stage import STAGE_MARK, StageError, write_stage
from tests.conftest import BUILD_DATE, REPO, run_cli


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("stage") / "repo"
    work.mkdir()
    for name in ("site_config.yml", "catalogue", "content"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, work / name)
    return work


def engine_env(stage: Path) -> dict[str, str]:
    """The environment of a plain engine run: no gongkai on the path, the clock from build.env."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SOURCE_DATE_EPOCH")}
    key, value = (stage / "build.env").read_text(encoding="utf-8").strip().split("=", 1)
    env[key] = value
    env["NO_MKDOCS_2_WARNING"] = "true"
    return env


def test_plain_mkdocs_builds_the_staged_tree_into_gongkais_pages(sample: Path, tmp_path: Path) -> None:
    project = load_project(sample, BUILD_DATE)
    staged = write_stage(project, tmp_path / "a")
    moved = tmp_path / "elsewhere" / "b"
    moved.parent.mkdir()
    shutil.move(str(staged.root), moved)  # paths in mkdocs.yml are relative: the folder is self-contained
    config = yaml.safe_load((moved / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"] == [] and config["hooks"] == ["gongkai_hooks.py"]
    assert config["docs_dir"] == "docs" and config["theme"]["custom_dir"] == "theme"
    assert "generator" not in (moved / "gongkai_hooks.py").read_text(encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml"],
        cwd=moved,
        env=engine_env(moved),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    B.build_site(project, tmp_path / "gongkai", cache=False)
    built, ours = tree(moved / "site"), tree(tmp_path / "gongkai")
    assert sum(name.endswith(".html") for name in built) == staged.pages + 1  # and 404.html
    assert {name for name in built if built[name] != ours.get(name)} == set()


def test_stage_writes_only_where_it_may(sample: Path, tmp_path: Path) -> None:
    project = load_project(sample, BUILD_DATE)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(StageError):
        write_stage(project, foreign)
    assert tree(foreign) == {"notes.txt": b"keep"}
    for inside in (sample, sample / "catalogue" / "x", sample.parent):
        with pytest.raises(StageError):
            write_stage(project, inside)
    assert not (sample / "catalogue" / "x").exists()
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(StageError):
        write_stage(project, a_file)
    again = tmp_path / "again"
    write_stage(project, again)
    (again / "docs" / "stale.md").write_text("old", encoding="utf-8")
    write_stage(project, again)  # an earlier stage is replaced whole
    assert (again / STAGE_MARK).is_file() and not (again / "docs" / "stale.md").exists()


def test_stage_command(sample: Path, tmp_path: Path) -> None:
    done = run_cli("stage", str(tmp_path / "out"), "--path", str(sample), "--build-date", BUILD_DATE.isoformat())
    assert done.returncode == 0, done.stderr
    assert "暂存目录" in done.stdout and (tmp_path / "out" / "mkdocs.yml").is_file()
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "a.txt").write_text("a", encoding="utf-8")
    done = run_cli("stage", str(foreign), "--path", str(sample))
    assert done.returncode == 2 and "未改动" in done.stderr and "Traceback" not in done.stderr
