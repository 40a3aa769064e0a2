"""The build writes and deletes only what it owns (DESIGN: Ownership of the filesystem).

Every case runs against real temporary folders; a refusal must leave every byte in place.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from generator.ownership import SITE_MARKER, WORK_MARKER
from generator.site import build as B
from tests.conftest import BUILD_DATE, ProjectFactory, run_cli


def snapshot(folder: Path) -> dict[str, str]:
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            out[rel] = "link:" + os.readlink(p)
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            out[rel] = "dir"
    return out


@pytest.fixture
def project(make_project: Any) -> ProjectFactory:
    p = make_project()
    p.entry()
    p.interpretation()
    return p


def build(p: ProjectFactory, *extra: str) -> Any:
    return run_cli("build", str(p.root), "--build-date", BUILD_DATE.isoformat(), "--quiet", *extra)


def test_a_committed_site_link_to_the_root_is_refused(project: ProjectFactory) -> None:
    (project.root / "site").symlink_to(".")
    before = snapshot(project.root)
    result = build(project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "E023" in result.stderr and "符号链接" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project.root) == before
    assert (project.root / "site_config.yml").is_file()


def test_the_refusal_speaks_english_too(project: ProjectFactory) -> None:
    (project.root / "site").symlink_to(".")
    result = build(project, "--lang", "en")
    assert result.returncode == 1
    assert "symbolic link" in result.stderr
    assert not [line for line in result.stderr.splitlines() if any("\u4e00" <= c <= "\u9fff" for c in line)]


@pytest.mark.parametrize("link", ["catalogue", "content", "..", "/"])
def test_a_site_link_anywhere_is_refused(project: ProjectFactory, link: str) -> None:
    (project.root / "site").symlink_to(link)
    before = snapshot(project.root)
    assert build(project).returncode == 1
    assert snapshot(project.root) == before


def test_a_link_to_an_outside_folder_is_refused_and_the_folder_kept(project: ProjectFactory, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("别删我")
    (project.root / "site").symlink_to(victim)
    result = build(project)
    assert result.returncode == 1 and "E023" in result.stderr
    assert [p.name for p in victim.iterdir()] == ["precious.txt"]


def test_a_link_in_the_middle_of_the_target_path_is_refused(project: ProjectFactory, tmp_path: Path) -> None:
    (project.root / "out").symlink_to(project.root / "content")
    result = build(project, "--site-dir", str(project.root / "out" / "site"))
    assert result.returncode == 1 and "E023" in result.stderr
    assert not (project.root / "content" / "site").exists()


@pytest.mark.parametrize(
    "where", [".", "..", "catalogue", "content", "content/pages", "theme", ".git", "site_config.yml"]
)
def test_targets_that_are_or_hold_the_sources_are_refused(project: ProjectFactory, where: str) -> None:
    (project.root / ".git").mkdir()
    (project.root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (project.root / "theme").mkdir()
    parent_before = snapshot(project.root.parent)
    result = build(project, "--site-dir", str(project.root / where))
    assert result.returncode == 1, result.stderr
    assert "E023" in result.stderr, result.stderr
    assert snapshot(project.root.parent) == parent_before


def test_an_existing_folder_not_made_by_gongkai_is_refused(project: ProjectFactory, tmp_path: Path) -> None:
    other = tmp_path / "docs-of-someone"
    other.mkdir()
    (other / "index.html").write_text("别人的网站")
    result = build(project, "--site-dir", str(other))
    assert result.returncode == 1 and "E024" in result.stderr
    assert [p.name for p in other.iterdir()] == ["index.html"]


def test_a_fresh_an_empty_and_a_previous_gongkai_site_are_built(project: ProjectFactory, tmp_path: Path) -> None:
    assert build(project).returncode == 0
    site = project.root / "site"
    assert (site / SITE_MARKER).is_file()
    project.entry(title="第二次构建的标题")
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "第二次构建的标题" in (site / "index.html").read_text(encoding="utf-8") or any(
        "第二次构建的标题" in p.read_text(encoding="utf-8") for p in site.rglob("*.html")
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(project, "--site-dir", str(empty)).returncode == 0
    assert (empty / "index.html").is_file()


def test_a_site_built_before_the_marker_is_still_replaced(project: ProjectFactory) -> None:
    assert build(project).returncode == 0
    site = project.root / "site"
    (site / SITE_MARKER).unlink()  # as published by an older gongkai
    project.entry(title="升级后的构建")
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert (site / SITE_MARKER).is_file()


def test_a_refused_build_leaves_the_previous_site_byte_identical(project: ProjectFactory) -> None:
    assert build(project).returncode == 0
    site = project.root / "site"
    before = snapshot(site)
    (project.root / ".gongkai-cache").rename(project.root / "cache-elsewhere")
    (project.root / ".gongkai-cache").symlink_to("cache-elsewhere")
    project.entry(title="不会发布")
    result = build(project)
    assert result.returncode == 1 and "E025" in result.stderr
    assert snapshot(site) == before


def test_a_cache_link_to_an_outside_folder_is_never_written_or_pruned(project: ProjectFactory, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    (victim / "v1" / "page" / "ab").mkdir(parents=True)
    (victim / "v1" / "page" / "ab" / "abcdef").write_text("不是缓存")
    (project.root / ".gongkai-cache").symlink_to(victim)
    before = snapshot(victim)
    result = build(project)
    assert result.returncode == 1 and "E025" in result.stderr
    assert snapshot(victim) == before
    assert not (project.root / "site").exists()


def test_a_cache_that_is_a_file_is_refused(project: ProjectFactory) -> None:
    (project.root / ".gongkai-cache").write_text("x")
    result = build(project)
    assert result.returncode == 1 and "E025" in result.stderr


def test_stale_cleanup_never_deletes_a_folder_it_did_not_mark(project: ProjectFactory) -> None:
    assert build(project).returncode == 0
    site = project.root / "site"
    lookalike = site.parent / (B.temp_prefix(site) + "mine")
    lookalike.mkdir()
    (lookalike / "notes.txt").write_text("编辑自己的文件夹")
    marked = site.parent / (B.temp_prefix(site) + "killed")
    marked.mkdir()
    (marked / WORK_MARKER).write_text("")
    assert B.clean_stale(site.resolve()) == [marked]
    assert (lookalike / "notes.txt").read_text() == "编辑自己的文件夹"


def test_stale_cleanup_does_not_follow_a_link_named_like_a_temp_folder(project: ProjectFactory, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / WORK_MARKER).write_text("")
    (victim / "keep.txt").write_text("x")
    site = project.root / "site"
    (project.root / (B.temp_prefix(site) + "link")).symlink_to(victim)
    assert B.clean_stale(site) == []
    assert (victim / "keep.txt").is_file()


def test_serve_refuses_a_linked_cache(project: ProjectFactory, tmp_path: Path, capsys: Any) -> None:
    from generator.site.serve import _rebuild, _State

    victim = tmp_path / "victim"
    victim.mkdir()
    (project.root / ".gongkai-cache").symlink_to(victim)
    assert _rebuild(project.root, tmp_path / "serve" / "site", BUILD_DATE, _State()) is False
    assert list(victim.iterdir()) == []
    assert "E025" in capsys.readouterr().err
