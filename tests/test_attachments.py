"""Attachments and media: discovery, unreadable and special files, very large files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Any

import pytest

from tests.conftest import BUILD_DATE, MEMORY_LIMIT, ProjectFactory, _limit_memory, run_cli

DATE = ("--build-date", BUILD_DATE.isoformat())


# ---------------------------------------------------------------- item 5
def test_md_attachments_are_attachments_not_entries(make_project: Any) -> None:
    p = make_project()
    text = "# 会议说明\n\n这是一个 Markdown 附件，没有元数据。\n".encode()
    sha = p.attachment("files/说明.md", text)
    p.write("catalogue/files/sub/另一个.md", "随手记\n")  # unreferenced, also no front matter
    p.write("content/media/讲稿.md", "讲稿\n")
    p.entry(attachments=[{"title": "说明", "file": "files/说明.md", "sha256": sha}])
    assert p.codes() == []
    site = p.build()
    assert (site / "attachments" / "files" / "说明.md").read_bytes() == text
    assert not list(site.rglob("另一个*"))


def test_a_md_file_beside_the_files_folder_is_still_an_entry(make_project: Any) -> None:
    p = make_project()
    p.entry()
    p.write("catalogue/filesx/没有元数据.md", "正文\n")
    assert ("catalogue/filesx/没有元数据.md", "E004") in {(d.path, d.code) for d in p.diagnostics()}


# ---------------------------------------------------------------- item 7
def _unprivileged() -> list[str]:
    """A command prefix under which file modes are enforced (root keeps no DAC override)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: mode 000 cannot be made unreadable")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


def run_unprivileged(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_unprivileged(), sys.executable, "-m", "generator", *args], capture_output=True, text=True, timeout=600
    )


@pytest.fixture
def locked(make_project: Any) -> ProjectFactory:
    p = make_project()
    p.entry()
    lock = p.write("catalogue/files/~$通知.docx", b"owner lock")
    lock.chmod(0)
    return p


def test_the_unreadable_file_is_unreadable_for_the_test(locked: ProjectFactory) -> None:
    probe = run_unprivileged("--version")
    assert probe.returncode == 0, probe.stderr
    code = f"open({str(locked.root / 'catalogue/files/~$通知.docx')!r}, 'rb')"
    result = subprocess.run([*_unprivileged(), sys.executable, "-c", code], capture_output=True, text=True)
    assert "PermissionError" in result.stderr


def test_an_unreadable_file_nobody_references_does_not_break_check_or_build(locked: ProjectFactory) -> None:
    check = run_unprivileged("check", str(locked.root), *DATE)
    assert check.returncode == 0, check.stderr
    build = run_unprivileged("build", str(locked.root), *DATE, "--quiet")
    assert build.returncode == 0, build.stderr
    assert (locked.root / "site" / "index.html").is_file()
    again = run_unprivileged("build", str(locked.root), *DATE, "--quiet")  # change detection, second pass
    assert again.returncode == 0, again.stderr


def test_an_unreadable_referenced_file_is_a_positioned_check_error(make_project: Any) -> None:
    p = make_project()
    p.write("catalogue/files/附件.pdf", b"%PDF").chmod(0)
    p.entry(attachments=[{"title": "附件", "file": "files/附件.pdf"}])
    for command in ("check", "build"):
        result = run_unprivileged(command, str(p.root), *DATE)
        assert result.returncode == 1, result.stderr
        assert "catalogue/e1.md:15:" in result.stderr and "E027" in result.stderr
        assert "内部错误" not in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_special_files_named_like_attachments(make_project: Any, kind: str) -> None:
    p = make_project()
    target = p.root / "catalogue" / "files" / "通知.docx"
    target.parent.mkdir(parents=True)
    os.mkfifo(target) if kind == "fifo" else target.mkdir()
    p.entry()
    assert run_cli("build", str(p.root), *DATE, "--quiet", timeout=120).returncode == 0  # unreferenced: harmless
    p.entry(attachments=[{"title": "通知", "file": "files/通知.docx"}])
    result = run_cli("check", str(p.root), *DATE, timeout=120)
    assert result.returncode == 1 and "E027" in result.stderr


def test_an_unreadable_media_file_is_reported(make_project: Any) -> None:
    p = make_project()
    p.entry()
    p.write("content/media/解读.mp4", b"\0").chmod(0)
    p.interpretation(form="视频", media={"file": "media/解读.mp4", "title": "视频"})
    result = run_unprivileged("check", str(p.root), *DATE)
    assert result.returncode == 1 and "E027" in result.stderr


# ---------------------------------------------------------------- item 8
def test_a_video_larger_than_memory_is_streamed(make_project: Any) -> None:
    """2.5 GB (sparse) under a 2 GiB address-space cap: hashing, change detection and copying stream."""
    p = make_project()
    p.entry()
    video = p.root / "content" / "media" / "发布会.mp4"
    video.parent.mkdir(parents=True)
    with video.open("wb") as f:
        f.truncate(2_500_000_000)
    assert video.stat().st_size > MEMORY_LIMIT
    p.interpretation(form="视频", media={"file": "media/发布会.mp4", "title": "发布会视频"})
    for args in (("check",), ("build", "--quiet"), ("build", "--quiet")):
        result = subprocess.run(
            [sys.executable, "-m", "generator", args[0], str(p.root), *DATE, *args[1:]],
            capture_output=True,
            text=True,
            timeout=900,
            preexec_fn=_limit_memory,
        )
        assert result.returncode == 0, result.stderr
    copied = p.root / "site" / "media" / "media" / "发布会.mp4"
    assert copied.stat().st_size == video.stat().st_size
    shutil.rmtree(p.root)  # 2.5 GB written by the copy: do not keep it


def test_an_edited_md_attachment_is_published_again(make_project: Any) -> None:
    p = make_project()
    p.write("catalogue/files/说明.md", "第一版\n")
    p.entry(attachments=[{"title": "说明", "file": "files/说明.md"}])
    assert run_cli("build", str(p.root), *DATE, "--quiet").returncode == 0
    p.write("catalogue/files/说明.md", "第二版\n")
    assert run_cli("build", str(p.root), *DATE, "--quiet").returncode == 0
    assert (p.root / "site" / "attachments" / "files" / "说明.md").read_text(encoding="utf-8") == "第二版\n"


def test_diff_streams_a_large_attachment(make_git_project: Any) -> None:
    """`gongkai diff` hashes an attachment of the working tree in chunks, under the 2 GiB cap."""
    p = make_git_project()
    sha = p.attachment("files/video.mp4", b"\0")
    p.entry(attachments=[{"title": "视频", "file": "files/video.mp4", "sha256": sha}])
    p.commit("第一版")
    with (p.root / "catalogue" / "files" / "video.mp4").open("wb") as f:
        f.truncate(2_500_000_000)
    result = run_cli("diff", "HEAD", "--format", "json", "--path", str(p.root), limited=True, timeout=900)
    assert result.returncode == 0, result.stderr
    assert '"new_sha256"' in result.stdout
