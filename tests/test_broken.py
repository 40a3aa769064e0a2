"""The broken-input corpus (tests/broken/): every case fails cleanly, positioned, in Chinese.

For each case ``gongkai check`` and ``gongkai build`` run as subprocesses with a
memory cap and a hang guard. They must exit 1 (the valid BOM/CRLF cases: 0),
print every expected ``path:line:col: 错误[CODE]`` line, never a traceback, leave
the previous site/ byte for byte as it was, and never execute anything (the
``!!python/object`` case would create a file named PWNED).
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.ownership import SITE_MARKER
from tests.broken.generated import GENERATED
from tests.conftest import BUILD_DATE, run_cli

BROKEN = Path(__file__).parent / "broken"
HANG_GUARD = 300  # seconds; a hang fails the test, a slow machine does not


def read_expectations() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for line in (BROKEN / "expectations.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("case\t"):
            continue
        case, expected = line.split("\t")
        rows[case] = [] if expected == "ok" else expected.split()
    return rows


def case_names() -> list[str]:
    files = [f.stem for f in (BROKEN / "files").glob("*.md")]
    trees = [d.name for d in (BROKEN / "trees").iterdir() if d.is_dir()]
    return sorted([*files, *trees, *GENERATED])


EXPECTED = read_expectations()


def place(case: str) -> str:
    if case.startswith("interp_"):
        return f"content/interpretations/{case}.md"
    if case.startswith("page_"):
        return f"content/pages/{case}.md"
    return f"catalogue/{case}.md"


def install(case: str, root: Path) -> None:
    if (BROKEN / "files" / f"{case}.md").is_file():
        target = root / place(case)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((BROKEN / "files" / f"{case}.md").read_bytes())
    elif (BROKEN / "trees" / case).is_dir():
        shutil.copytree(BROKEN / "trees" / case, root, dirs_exist_ok=True)
    else:
        GENERATED[case](root)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


DIAGNOSTIC_LINE = re.compile(r"^(?P<loc>\S+?): (错误|警告)\[(?P<code>[EW]\d{3})\]: (?P<msg>.+)$")
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_corpus_has_enough_cases_and_every_case_has_expectations() -> None:
    names = case_names()
    assert len(names) >= 40
    assert sorted(EXPECTED) == names
    assert len([c for c, exp in EXPECTED.items() if not exp]) >= 3  # the valid BOM / CRLF cases


@pytest.mark.parametrize("case", case_names())
def test_broken_input(case: str, make_project: Any) -> None:
    p = make_project()
    install(case, p.root)
    site = p.root / "site"
    site.mkdir(exist_ok=True)
    (site / "index.html").write_text("<p>上一次发布的网站</p>", encoding="utf-8")
    (site / SITE_MARKER).write_text("", encoding="utf-8")  # published by gongkai: may be replaced
    before = snapshot(site)
    date = ("--build-date", BUILD_DATE.isoformat())
    check = run_cli("check", str(p.root), *date, cwd=p.root, limited=True, timeout=HANG_GUARD)
    build = run_cli("build", str(p.root), *date, cwd=p.root, limited=True, timeout=HANG_GUARD)
    for run in (check, build):
        assert "Traceback" not in run.stdout + run.stderr, run.stderr[-2000:]
    assert not (p.root / "PWNED").exists()
    expected = EXPECTED[case]
    if not expected:
        assert check.returncode == 0, check.stderr
        assert build.returncode == 0, build.stderr
        assert (site / "catalogue" / "000000002-2024-00001" / "index.html").is_file()
        return
    assert check.returncode == 1, check.stderr[-2000:]
    assert build.returncode == 1, build.stderr[-2000:]
    for item in expected:
        path, line, col, code = item.rsplit(":", 3)
        for run in (check, build):
            assert f"{path}:{line}:{col}: 错误[{code}]: " in run.stderr, run.stderr[-2000:]
    errors = []
    for line in check.stderr.splitlines():
        m = DIAGNOSTIC_LINE.match(line)
        if m:
            assert re.search(r":\d+:\d+$", m["loc"]), f"unpositioned: {line}"
            assert CJK.search(m["msg"]), f"not Chinese: {line}"
            if line.split(": ", 2)[1].startswith("错误"):
                errors.append(f"{m['loc']}:{m['code']}")
    # Exactly the expected errors: an extra one is a false error an editor would have to chase.
    assert sorted(errors) == sorted(expected), check.stderr[-2000:]
    assert "构建已取消，原有网站未改动。" in build.stderr
    assert snapshot(site) == before
