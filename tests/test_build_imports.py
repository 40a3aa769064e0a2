"""``gongkai build`` of an unchanged project answers from the build cache before it imports
the engine, the feeds or the search index (MkDocs, Jinja, NumPy): those imports were a
fifth of a no-change rebuild. A changed project still builds (and then imports them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from generator.parallel import default_workers
from tests.conftest import ProjectFactory

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("generator.site.build", "jinja2", "numpy")  # (MkDocs itself is still imported there, by the input key)
ENGINE = HEAVY[:2]  # what a build that renders imports in its own process

SCRIPT = """
import sys
from generator.cli import main
try:
    main(["build", "-q", sys.argv[1]], standalone_mode=False)
finally:
    print(" ".join(m for m in {heavy!r} if m in sys.modules))
"""


def build(root: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1768435200"}
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(heavy=HEAVY), str(root)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.split()


def test_an_unchanged_project_is_answered_without_the_engine(make_project: Any) -> None:
    p: ProjectFactory = make_project()
    p.entry("e1", index_no="000000002/2024-00001", body="第一条。\n")
    assert set(ENGINE) <= set(build(p.root))  # the first build renders
    site = {path: path.read_bytes() for path in (p.root / "site").rglob("*") if path.is_file()}
    assert build(p.root) == []  # nothing changed: nothing heavy imported
    assert {path: path.read_bytes() for path in (p.root / "site").rglob("*") if path.is_file()} == site
    path = p.root / "catalogue/e1.md"
    path.write_text(path.read_text(encoding="utf-8").replace("第一条。", "第一条，改。"), encoding="utf-8")
    edited = build(p.root)
    assert set(ENGINE) <= set(edited)  # an edit builds
    if default_workers() >= 2:  # ... and updates the index in its process beside the pages:
        assert "numpy" not in edited  # the index's modules are imported there, after the fork
    assert "第一条，改。" in (p.root / "site/catalogue/000000002-2024-00001/index.html").read_text(encoding="utf-8")
