"""`gongkai serve` sees changes through the kernel's file notifications where it can (issue 18):
MkDocs' polling walks every source twice a second (a fifth of a core at 10k entries, idle).
A change must still be seen wherever it is made; reading files (every build does) is no change."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.site import engine
from generator.site.engine.runtime import POLL_ENV


@pytest.fixture(params=["native", "polling"])
def server(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if request.param == "polling":
        monkeypatch.setenv(POLL_ENV, "1")
    else:
        monkeypatch.delenv(POLL_ENV, raising=False)
    root = tmp_path / "p"
    (root / "catalogue" / "2024").mkdir(parents=True)
    (root / "catalogue" / "2024" / "a.md").write_text("a", encoding="utf-8")
    (root / "site_config.yml").write_text("x: 1\n", encoding="utf-8")
    (root / "other.txt").write_text("o", encoding="utf-8")
    srv = engine.dev_server(lambda: None, "127.0.0.1", 0, str(tmp_path / "work"), lambda c, e: c)
    srv.watch(str(root / "catalogue"))
    srv.watch(str(root / "site_config.yml"))
    from watchdog.observers.polling import PollingObserver

    assert isinstance(srv.observer, PollingObserver) is (request.param == "polling")
    srv.observer.start()
    time.sleep(0.7)  # the polling observer's first snapshot
    srv.root_folder = root
    yield srv
    srv.observer.stop()
    srv.observer.join()


def seen(srv: Any, seconds: float = 5.0) -> bool:
    """Whether a rebuild was asked for within ``seconds`` (then cleared for the next step)."""
    end = time.monotonic() + seconds  # a hang guard, not a performance assertion
    while time.monotonic() < end:
        with srv._rebuild_cond:
            if srv._want_rebuild:
                srv._want_rebuild = False
                return True
        time.sleep(0.05)
    return False


def test_changes_are_seen_and_reads_are_not(server: Any) -> None:
    root: Path = server.root_folder
    entry = root / "catalogue" / "2024" / "a.md"
    assert entry.read_text(encoding="utf-8") == "a"  # a read: no change
    assert not seen(server, 1.5)
    with entry.open("a", encoding="utf-8") as f:  # an edit
        f.write("b")
    assert seen(server)
    new = root / "catalogue" / "2024" / "b.md"
    new.write_text("new", encoding="utf-8")  # a new file
    assert seen(server)
    new.unlink()  # deleted
    assert seen(server)
    (root / "catalogue" / "2025").mkdir()  # a new folder, then a file in it
    time.sleep(0.7)
    seen(server, 0.1)
    (root / "catalogue" / "2025" / "c.md").write_text("c", encoding="utf-8")
    assert seen(server)
    tmp = root / ".site_config.yml.swp"  # an editor's save: a new file renamed over the old one
    tmp.write_text("x: 2\n", encoding="utf-8")
    seen(server, 0.1)
    os.replace(tmp, root / "site_config.yml")
    assert seen(server)
    (root / "site_config.yml").write_text("x: 3\n", encoding="utf-8")  # and saved again after that
    assert seen(server)
    seen(server, 0.5)  # one write is several events (modified, closed): the last may come after the first is seen
    (root / "other.txt").write_text("not watched", encoding="utf-8")
    assert not seen(server, 1.5)
