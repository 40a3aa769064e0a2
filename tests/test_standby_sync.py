"""Standby.sync on a small tree, file by file: what is kept (same inode), removed, linked in,
and which folders of the build's own output are moved in whole (none of their files kept,
no page below them) — the cases the set-based matching has to get right."""

from __future__ import annotations

import os
from pathlib import Path

from generator.site.publish import Standby


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def tree(root: Path) -> dict[str, tuple[str, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_text(encoding="utf-8"), p.stat().st_ino)
        for p in root.rglob("*")
        if p.is_file()
    }


def test_sync_keeps_removes_links_and_moves_folders(tmp_path: Path) -> None:
    cache, out, folder = tmp_path / "cache", tmp_path / "work" / "site", tmp_path / "standby"
    site = folder / "site"
    kept_page = write(cache / "p1", "page p")
    new_page = write(cache / "q1", "page q")
    write(out / "s/a.json", "a")  # already in the standby (same inode): kept, so s/ is not moved whole
    write(out / "s/b.json", "b")
    write(out / "u/y.json", "y new")  # u/: nothing kept, no page: moved in whole
    write(out / "top.txt", "top")
    os.makedirs(site / "p")
    os.link(kept_page, site / "p/index.html")
    os.makedirs(site / "s")
    os.link(out / "s/a.json", site / "s/a.json")
    write(site / "s/old.json", "old")
    write(site / "t/x.json", "gone")
    write(site / "u/y.json", "y old")
    write(site / "v/w/deep.txt", "gone too")
    standby = Standby(folder)
    for rel, stored in (("p/index.html", kept_page), ("q/index.html", new_page)):
        st = stored.stat()
        standby.pages[f"{out}/{rel}"] = (os.fspath(stored), st.st_dev, st.st_ino)
    before = {rel: ino for rel, (_, ino) in tree(site).items()}
    synced = standby.sync(out)
    assert synced == site
    got = tree(site)
    assert {rel: text for rel, (text, _) in got.items()} == {
        "p/index.html": "page p",
        "q/index.html": "page q",
        "s/a.json": "a",
        "s/b.json": "b",
        "u/y.json": "y new",
        "top.txt": "top",
    }
    assert got["p/index.html"][1] == before["p/index.html"] == kept_page.stat().st_ino  # kept
    assert got["s/a.json"][1] == before["s/a.json"]
    assert got["q/index.html"][1] == new_page.stat().st_ino  # linked from the cache
    assert not (site / "t").exists() and not (site / "v").exists()
    counts = standby.counts
    assert (counts.kept, counts.folders) == (2, 1)  # u/ only
    assert counts.removed == 4 and counts.put == 4  # s/old, t/x, u/y (old), v/w/deep; q, s/b, u/y, top
    assert not (out / "u").exists() and (out / "s/b.json").exists()  # u/ was moved, s/ linked from
