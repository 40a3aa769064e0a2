"""A warm check does not hash every attachment again (CheckCache.file_sha): an attachment whose
stat is the one recorded after it was last hashed, and not changed within RACY_NS of that run,
keeps its recorded SHA-256. Any change to the file (same size and time set back included), a
removed or replaced file, a damaged cache: the check reports what a check without the cache does."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from generator import project_cache as PC
from generator.checks import crossref
from generator.project import load_project
from tests.conftest import BUILD_DATE
from tests.test_project_cache_warm import Runs, cache_file, prime, proj, same  # noqa: F401


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> Runs:
    """Warm checks that read every file (this module is about what they read)."""
    return Runs(monkeypatch)


A = "catalogue/files/a.txt"


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The attachments hashed (each call of crossref._sha256)."""
    calls: list[str] = []
    real = crossref._sha256

    def counted(path: Path) -> str:
        calls.append(os.fspath(path))
        return real(path)

    monkeypatch.setattr(crossref, "_sha256", counted)
    return calls


def codes_of(warm: Any, rel: str = "catalogue/e1.md") -> list[str]:
    return [d.code for d in warm.diagnostics if d.path == rel]


def test_an_unchanged_attachment_is_not_hashed_again(
    runs: Runs,
    proj: Any,  # noqa: F811
    hashed: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(PC, "RACY_NS", 0)  # the files were written a moment ago
    prime(runs, proj)
    hashed.clear()
    warm, _ = runs.warm(proj.root)
    assert hashed == [] and warm.diagnostics == []


def test_a_freshly_written_attachment_is_hashed_every_time(
    runs: Runs,
    proj: Any,  # noqa: F811
    hashed: list[str],
) -> None:
    """Within RACY_NS of the run that recorded it a file may change without changing its
    stat (same size, same time stamp): it is hashed again."""
    prime(runs, proj)
    hashed.clear()
    runs.warm(proj.root)
    assert len(hashed) == 1


@pytest.mark.parametrize("change", ["same-size-time-set-back", "other-size", "deleted", "folder", "link"])
def test_a_changed_attachment_is_found(
    runs: Runs,
    proj: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    change: str,
) -> None:
    monkeypatch.setattr(PC, "RACY_NS", 0)
    prime(runs, proj)
    path: Path = proj.root / A
    st = path.stat()
    if change == "same-size-time-set-back":
        data = path.read_bytes()
        path.write_bytes(data[::-1])  # same size
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # (the change time is the clock's)
    elif change == "other-size":
        path.write_bytes("附件改了".encode())
    elif change == "deleted":
        path.unlink()
    elif change == "folder":
        path.unlink()
        path.mkdir()
    else:  # a link to another file of the same size and time
        other = path.with_name("b.txt")
        other.write_bytes(path.read_bytes()[::-1])
        os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
        path.unlink()
        path.symlink_to(other.name)
    warm, _ = runs.check(proj.root)  # compared with a check without the cache
    expected = {"deleted": ["E601"], "folder": ["E027"]}.get(change, ["E602"])
    assert codes_of(warm) == expected


def test_a_cache_without_or_with_damaged_hashes_hashes_again(
    runs: Runs,
    proj: Any,  # noqa: F811
    hashed: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(PC, "RACY_NS", 0)
    prime(runs, proj)
    path = cache_file(proj.root)
    path.write_bytes(path.read_bytes()[:-7])  # truncated: ignored as a whole, never a traceback
    hashed.clear()
    warm, cache = runs.warm(proj.root)
    assert cache.hits == 0 and len(hashed) == 1
    same(warm, load_project(proj.root, BUILD_DATE))
    hashed.clear()
    warm, cache = runs.warm(proj.root)  # written afresh, hashes included
    assert cache.hits == 5 and hashed == [] and warm.diagnostics == []
