"""The standby's tree read beside the build (Standby.scan_beside): in a forked process, its
result the same as reading it in the build's own process, taken by the sync."""

from __future__ import annotations

import os
from pathlib import Path

from generator.parallel import can_fork
from generator.site.publish import Standby, _scan


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _standby(tmp_path: Path) -> tuple[Standby, Path, Path, Path]:
    cache, out, folder = tmp_path / "cache", tmp_path / "work" / "site", tmp_path / "standby"
    site = folder / "site"
    kept = write(cache / "p1", "page p")
    new = write(cache / "q1", "page q")
    write(out / "s/a.json", "a")
    os.makedirs(site / "p")
    os.link(kept, site / "p/index.html")
    write(site / "t/x.json", "gone")
    os.symlink("nowhere", site / "t/link")
    standby = Standby(folder)
    for rel, stored in (("p/index.html", kept), ("q/index.html", new)):
        st = stored.stat()
        standby.pages[f"{out}/{rel}"] = (os.fspath(stored), st.st_dev, st.st_ino)
    return standby, out, site, kept


def test_the_tree_read_beside_is_the_tree_read_here(tmp_path: Path) -> None:
    standby, _out, site, _ = _standby(tmp_path)
    here = _scan(os.fspath(site))
    standby.scan_beside()
    if can_fork():
        assert standby._scanning is not None and standby._scanning._pid > 0  # really forked
    standby.scan()
    assert standby._have == here
    assert standby._scanning is None


def test_sync_takes_the_tree_read_beside(tmp_path: Path) -> None:
    standby, out, site, kept = _standby(tmp_path)
    kept_ino = kept.stat().st_ino
    standby.scan_beside()
    synced = standby.sync(out)
    files = {p.relative_to(synced).as_posix() for p in synced.rglob("*") if p.is_file() or p.is_symlink()}
    assert files == {"p/index.html", "q/index.html", "s/a.json"}
    assert (site / "p/index.html").stat().st_ino == kept_ino  # kept in place, as the early read found it
    assert standby.counts.kept == 1 and standby.counts.removed == 2


def test_a_cancelled_scan_is_read_again_by_the_sync(tmp_path: Path) -> None:
    standby, out, site, _ = _standby(tmp_path)
    standby.scan_beside()
    standby.cancel_scan()
    assert standby._scanning is None
    write(site / "late.txt", "after the cancelled read")  # seen: the sync reads the tree itself
    synced = standby.sync(out)
    assert not (synced / "late.txt").exists()
    assert standby.counts.removed == 3
