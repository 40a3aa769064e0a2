"""A target's first build makes its standby (``publish.mirror_standby``) in a thread while it
records itself (prune, stamps, the build's record) instead of after it (generator/site/build.py,
``_Mirror``): the build returns with the standby made and no thread left running, also when
recording fails; the next build syncs that standby and equals a clean build.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from generator.site import build as B
from generator.site import publish
from generator.site.cache import BuildCache
from tests.test_publish import snapshot, temp_dirs
from tests.test_standby import Spy, build, catalogue, clean, put


def test_the_first_standby_is_made_while_the_build_records_itself(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = make_project()
    catalogue(p, 5)
    mirroring = threading.Event()
    seen: list[bool] = []
    mirror, record = B.mirror_standby, BuildCache.record

    def spied_mirror(target: Path) -> bool:
        mirroring.set()
        return mirror(target)

    def spied_record(store: BuildCache, *args: Any) -> None:
        seen.append(mirroring.wait(20))  # made one after the other, the mirror would not have begun
        record(store, *args)

    monkeypatch.setattr(B, "mirror_standby", spied_mirror)
    monkeypatch.setattr(BuildCache, "record", spied_record)
    build(p)
    assert seen == [True]
    assert threading.active_count() == 1  # joined before the build returned
    site = p.root / "site"
    assert (publish.standby_path(site) / publish.STANDBY_RECORD).is_file()
    assert snapshot(site) == clean(p.root, tmp_path / "clean")
    monkeypatch.undo()
    spy = Spy(monkeypatch)
    put(p, 2, body="改过的正文。\n")
    build(p)
    assert len(spy.runs) == 1  # the next build synced that standby
    assert snapshot(site) == clean(p.root, tmp_path / "clean-2")


def test_a_first_build_failing_while_it_records_itself_leaves_no_thread(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = make_project()
    catalogue(p, 4)
    mirror = B.mirror_standby
    done: list[bool] = []

    def slow_mirror(target: Path) -> bool:
        threading.Event().wait(1.0)  # still making it when the record fails
        done.append(mirror(target))
        return done[-1]

    def failing_record(store: BuildCache, *args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(B, "mirror_standby", slow_mirror)
    monkeypatch.setattr(BuildCache, "record", failing_record)
    with pytest.raises(OSError, match="No space"):
        build(p)
    assert done == [True]  # waited for, not left running
    assert threading.active_count() == 1
    site = p.root / "site"
    assert snapshot(site) == clean(p.root, tmp_path / "clean")  # published before the record
    assert temp_dirs(site) == []
    monkeypatch.undo()
    put(p, 1, body="改过。\n")
    build(p)
    assert snapshot(site) == clean(p.root, tmp_path / "clean-2")
