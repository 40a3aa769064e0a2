"""Progress on a terminal (phase, count, rate, ETA); silence in CI, off a terminal and with --quiet."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.make_corpus import generate
from generator.progress import Progress
from tests.conftest import REPO, run_cli


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_phase_count_rate_and_eta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    stream = Tty()
    progress = Progress.for_terminal(stream=stream)
    assert progress.enabled
    progress.phase("生成页面", 400)
    progress.started -= 2  # as if two seconds had passed
    progress.advance(100)
    name, count, rate, per_second, eta, seconds, unit = progress.line().split()
    assert (name, count, per_second, eta, unit) == ("生成页面", "100/400（25%）", "个/秒", "剩余", "秒")
    assert 45 <= float(rate) <= 55 and 5 <= float(seconds) <= 7
    progress.close()
    assert "生成页面 0/400（0%）" in stream.getvalue() and stream.getvalue().endswith("\r\x1b[K")


@pytest.mark.parametrize(("ci", "quiet", "tty"), [("true", False, True), ("", True, True), ("", False, False)])
def test_silent_in_ci_with_quiet_or_off_a_terminal(
    ci: str, quiet: bool, tty: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", ci)
    stream = Tty() if tty else io.StringIO()
    progress = Progress.for_terminal(quiet=quiet, stream=stream)
    progress.phase("生成页面", 10)
    progress.advance(5)
    progress.close()
    assert not progress.enabled and stream.getvalue() == ""


def test_build_on_a_pseudo_terminal_shows_progress_and_a_summary(tmp_path: Path) -> None:
    generate(30, tmp_path / "c", seed=2)
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = str(REPO)
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", str(tmp_path / "c"), "--build-date", "2026-01-15"],
        stderr=slave,
        stdout=subprocess.PIPE,
        env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    out, _ = proc.communicate(timeout=300)
    os.close(master)
    assert proc.returncode == 0
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "读取与检查" in shown and "生成页面" in shown and "\r" in shown
    summary = out.decode()
    assert summary.startswith("已构建 30 条目录、3 篇解读、共 ") and summary.rstrip().endswith("秒）")
    assert time.monotonic() - started < 300


def test_no_progress_when_output_is_not_a_terminal(tmp_path: Path) -> None:
    generate(10, tmp_path / "c", seed=2)
    result = run_cli("build", str(tmp_path / "c"), "--build-date", "2026-01-15")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("已构建 10 条目录")
    quiet = run_cli("build", str(tmp_path / "c"), "--build-date", "2026-01-15", "--quiet")
    assert quiet.stdout == "" and quiet.stderr == ""
