"""The sources' stamps taken by ``unchanged_site`` are the ones ``gongkai build`` records
(no second walk of catalogue/ and content/): a build is still seen as unchanged when nothing
changed, and an edit made after the stamps were taken is never taken for no change."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.make_corpus import generate
from generator.cli import main
from generator.project import load_project
from generator.site import build as B
from generator.site import keys
from tests.corpus_repo import differences, tree

DAY = dt.date(2026, 1, 15)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    generate(40, tmp_path / "repo", seed=11)
    return tmp_path / "repo"


def _cli_build(root: Path) -> None:
    result = CliRunner().invoke(main, ["build", "-q", "--build-date", DAY.isoformat(), str(root)])
    assert result.exit_code == 0, result.output


def _edit(root: Path, n: int, text: str) -> Path:
    path = sorted((root / "catalogue").rglob("*.md"))[n]
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")
    return path


def test_the_cli_records_the_stamps_it_took_and_a_no_change_build_is_seen(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cli_build(repo)
    _edit(repo, 3, "补充。")
    walks: list[Path] = []
    real = keys.stamps

    def counted(root: Path, *args: object) -> dict[str, list[int]]:
        walks.append(root)
        return real(root, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(keys, "stamps", counted)
    _cli_build(repo)
    assert len(walks) == 1  # unchanged_site's: the build recorded those
    assert keys.unchanged_site(repo, repo / "site", DAY) is not None
    clean = repo.parent / "clean"
    B.build_site(load_project(repo, DAY), clean, cache=False, workers=1)
    assert differences(tree(repo / "site"), tree(clean)) == []


@pytest.mark.parametrize("when", ["before the load", "after the load"])
def test_an_edit_after_the_stamps_were_taken_is_built_by_the_next_build(repo: Path, when: str) -> None:
    _cli_build(repo)
    _edit(repo, 5, "第一次修改。")
    seen: dict[str, list[int]] = {}
    assert keys.unchanged_site(repo, repo / "site", DAY, seen) is None and seen
    if when == "before the load":
        path = _edit(repo, 7, "在读取之前的修改。")
    project = load_project(repo, DAY, cache=True)
    if when == "after the load":
        path = _edit(repo, 7, "在读取之后的修改。")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # whatever its time, its size differs from the stamp
    B.build_site(project, repo / "site", workers=1, sources=seen)
    assert keys.unchanged_site(repo, repo / "site", DAY) is None  # the stamps differ: read and rebuilt
    _cli_build(repo)
    assert keys.unchanged_site(repo, repo / "site", DAY) is not None
    clean = repo.parent / "clean"
    B.build_site(load_project(repo, DAY), clean, cache=False, workers=1)
    assert differences(tree(repo / "site"), tree(clean)) == []
