"""Two builds of the same sources are byte-identical, whatever the wall clock says."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.site.reproducible import content_date, engine_clock, engine_epoch
from tests.conftest import BUILD_DATE, REPO, write_rich_catalogue

# Runs `gongkai` with MkDocs' clock replaced: "now" is FAKE_NOW (an ISO datetime).
WRAPPER = """\
import datetime as _dt, os, sys
import mkdocs.utils as mu

class FakeClock(_dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls.fromisoformat(os.environ["FAKE_NOW"]).replace(tzinfo=tz)

mu.datetime = FakeClock
saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
print("engine clock without gongkai:", mu.get_build_date(), file=sys.stderr)
from generator.cli import main
sys.exit(main())
"""


def build_with_clock(root: Path, site: Path, now: str, hash_seed: str, tmp: Path) -> str:
    wrapper = tmp / "fake_clock_gongkai.py"
    wrapper.write_text(WRAPPER, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(FAKE_NOW=now, PYTHONHASHSEED=hash_seed, PYTHONPATH=os.pathsep.join([str(REPO), *sys.path]))
    cmd = [sys.executable, str(wrapper), "build", str(root), "--site-dir", str(site)]
    result = subprocess.run(
        [*cmd, "--build-date", BUILD_DATE.isoformat(), "-q"], env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def assert_identical(a: Path, b: Path) -> None:
    ta, tb = tree(a), tree(b)
    assert sorted(ta) == sorted(tb)
    different = [name for name in ta if ta[name] != tb[name]]
    assert different == []


def test_two_builds_at_different_times_are_byte_identical(make_project: Any, tmp_path: Path) -> None:
    p = make_project()
    write_rich_catalogue(p)
    first = build_with_clock(p.root, tmp_path / "a", "2030-01-01T08:00:00", "1", tmp_path)
    second = build_with_clock(p.root, tmp_path / "b", "2031-06-15T23:59:59", "2", tmp_path)
    # the fake clock is live: without gongkai's own clock MkDocs would stamp these days
    assert "engine clock without gongkai: 2030-01-01" in first
    assert "engine clock without gongkai: 2031-06-15" in second
    assert_identical(tmp_path / "a", tmp_path / "b")
    sitemap = (tmp_path / "a" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2024-06-01</lastmod>" in sitemap  # newest public date: g1's repeal, g2 in force
    assert "2030" not in sitemap and "2031" not in sitemap


@pytest.mark.skipif(not (REPO / "catalogue").is_dir(), reason="no sample catalogue in this checkout")
def test_sample_site_builds_are_byte_identical(tmp_path: Path) -> None:
    work = tmp_path / "sample"
    work.mkdir()
    for name in ("site_config.yml", "catalogue", "content"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, work / name)
        elif src.is_file():
            shutil.copy(src, work / name)
    build_with_clock(work, tmp_path / "a", "2029-02-03T04:05:06", "11", tmp_path)
    build_with_clock(work, tmp_path / "b", "2033-12-31T23:00:00", "22", tmp_path)
    assert_identical(tmp_path / "a", tmp_path / "b")


def test_source_date_epoch_is_honoured_and_restored(make_project: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    p = make_project()
    write_rich_catalogue(p)
    cat = p.load().public()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert content_date(cat) == dt.date(2024, 6, 1)
    assert engine_epoch(cat) == int(dt.datetime(2024, 6, 1, tzinfo=dt.UTC).timestamp())
    with engine_clock(cat) as epoch:
        assert os.environ["SOURCE_DATE_EPOCH"] == str(epoch)
    assert "SOURCE_DATE_EPOCH" not in os.environ
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    with engine_clock(cat) as epoch:
        assert epoch == 1700000000
    assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"


def test_engine_clock_ignores_hidden_and_future_dates(make_project: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    p = make_project()
    write_rich_catalogue(p)  # the embargoed entry (2025-12-01) is not public on BUILD_DATE
    assert content_date(p.load().public()) == dt.date(2024, 6, 1)
    assert content_date(p.load(dt.date(2026, 3, 1)).public()) == dt.date(2025, 12, 1)
    assert engine_epoch(make_project().load().public()) == 0


def test_site_tree_has_no_build_timestamps(make_project: Any, tmp_path: Path) -> None:
    p = make_project()
    write_rich_catalogue(p)
    site = p.build(tmp_path / "site")
    today = dt.date.today().isoformat().encode()  # the fixture's dates are all in the past
    assert [name for name, data in tree(site).items() if today in data] == []
