"""Builds that fork worker processes: quiet, and stoppable without tracebacks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.make_corpus import generate
from generator.site import build as B

BUILD_DATE = "2026-01-15"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("workers") / "c"
    generate(B.PARALLEL_MIN_PAGES + 40, out, seed=3)  # enough bulk pages for the worker pool
    return out


def _build(root: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "GONGKAI_WORKERS": "2", "CI": "true"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            str(root),
            "--build-date",
            BUILD_DATE,
            "--site-dir",
            str(root / "out"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )


def test_a_build_with_workers_prints_only_its_summary(corpus: Path) -> None:
    proc = _build(corpus)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert err == ""  # the pool stops its workers with SIGTERM: no worker may report it
    assert out.startswith("已构建 ")
    assert (corpus / "out" / "catalogue" / "index.html").is_file()


def test_stopping_a_build_with_workers(corpus: Path, tmp_path: Path) -> None:
    """SIGINT while the workers render: one message from the parent, no traceback, no site."""
    root = tmp_path / "p"
    generate(B.PARALLEL_MIN_PAGES + 40, root, seed=3)
    proc = _build(root)
    deadline = time.monotonic() + 300
    # wait until the workers write pages into the temporary site
    while time.monotonic() < deadline and proc.poll() is None:
        if any(root.glob(".out.build-*/site/catalogue/*/index.html")):
            break
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.skip("the build finished before it could be interrupted")
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl+C: the parent and its workers get it
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signal.SIGINT
    assert "Traceback" not in err
    assert err.strip() == "收到 SIGINT 信号，构建已中止，原有网站未改动。"
    assert not (root / "out").exists()
    assert list(root.glob(".out.build-*")) == []


PARALLEL_CHECK = """
import datetime as dt, json, sys, threading
from pathlib import Path
from generator import project as P
P.PARALLEL_MIN_FILES = 100
assert threading.active_count() == 1  # else load_project stays serial
project = P.load_project(Path(sys.argv[1]), dt.date(2026, 1, 15))
print(json.dumps([
    [d.format() for d in project.diagnostics],
    sorted(project.catalogue.entries),
    sorted(project.catalogue.interpretations),
    project.inputs,
], ensure_ascii=False))
"""


def test_parallel_check_equals_the_serial_one(corpus: Path, tmp_path: Path) -> None:
    """Reading and checking in worker processes gives the same diagnostics, model and digest.

    Run in a fresh interpreter: in the test session other tests' server threads are alive,
    and load_project never forks with threads around.
    """
    import json
    import shutil

    root = tmp_path / "c"
    shutil.copytree(corpus, root, ignore=shutil.ignore_patterns("out", ".gongkai-cache", ".out.*"))
    first = sorted((root / "catalogue").rglob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n联系人手机 13812345678。\n", encoding="utf-8")
    (root / "catalogue" / "broken.md").write_text("---\ntitle: [未闭合\n---\n正文\n", encoding="utf-8")
    loaded = {}
    for workers in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", PARALLEL_CHECK, str(root)],
            capture_output=True,
            text=True,
            env={**os.environ, "GONGKAI_WORKERS": workers},
            timeout=600,
            check=True,
        )
        loaded[workers] = json.loads(done.stdout)
    assert len(loaded["1"][1]) >= 100
    assert loaded["1"] == loaded["2"]
    codes = {line.split("[", 1)[1][:4] for line in loaded["1"][0]}
    assert {"E006", "E802"} <= codes
