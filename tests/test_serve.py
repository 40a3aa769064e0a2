"""`gongkai serve` builds, serves on loopback and rebuilds after an edit."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return str(resp.read().decode("utf-8"))
    except OSError:
        return None


def wait_for(predicate: Any, attempts: int = 120) -> Any:
    for _ in range(attempts):  # a hang guard, not a performance assertion
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    return None


def test_serve_builds_and_rebuilds(make_project: Any, tmp_path: Any) -> None:
    p = make_project()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    p.entry(title="第一版标题")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", str(p.root), "-a", f"127.0.0.1:{port}"],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/catalogue/000000002-2024-00001/"
    try:
        first = wait_for(lambda: fetch(url))
        assert first and "第一版标题" in first
        p.entry(title="第二版标题")
        assert wait_for(lambda: (fetch(url) or "").count("第二版标题"))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert list(scratch.iterdir()) == []  # the temporary build folder is removed on SIGTERM


def test_serve_shows_an_added_and_a_deleted_entry_and_then_their_exports(make_project: Any, tmp_path: Any) -> None:
    """A new file and a deleted one are served after a fast build; the catalogue export (left to
    the background build) follows."""
    p = make_project()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    p.entry(title="第一条")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", str(p.root), "-a", f"127.0.0.1:{port}"],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/"
    url = base + "catalogue/000000002-2024-00003/"
    try:
        assert wait_for(lambda: fetch(base + "catalogue.csv"))
        assert fetch(url) is None
        added = p.entry("e2", index_no="000000002/2024-00003", title="后来新增的条目", doc_number=None)
        assert wait_for(lambda: "后来新增的条目" in (fetch(url) or ""))
        assert wait_for(lambda: "后来新增的条目" in (fetch(base + "catalogue.csv") or ""))
        added.unlink()
        assert wait_for(lambda: fetch(url) is None)
        assert wait_for(lambda: "后来新增的条目" not in (fetch(base + "catalogue.csv") or "后来新增的条目"))
        assert "后来新增的条目" not in (fetch(base + "catalogue/") or "后来新增的条目")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert list(scratch.iterdir()) == []
