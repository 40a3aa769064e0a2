"""Lint covers the whole package: the exclusion of the build output must not hide generator/site/."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.conftest import REPO


@pytest.mark.skipif(importlib.util.find_spec("ruff") is None, reason="ruff is not installed")
def test_ruff_checks_generator_site() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--show-files", "generator"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    files = {line.strip().split("generator/", 1)[-1] for line in shown.splitlines() if "generator/" in line}
    assert {"site/build.py", "site/pages.py", "site/serve.py", "cli.py"} <= files
