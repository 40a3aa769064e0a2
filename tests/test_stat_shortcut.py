"""The stat shortcut (issue 18): a file whose stat is as recorded is not hashed again,
unless it changed so close to the recording that its stat could hide a change (git's
"racy" rule). For the check cache (generator/project_cache.py) and for the files the
build's input key hashes (attachments, gongkai's code: generator/site/keys.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

import pytest

from bench.make_corpus import generate
from generator import project_cache as PC
from generator.project import load_project
from generator.site import keys as K
from tests.spies import calls

DAY = dt.date(2026, 1, 15)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    out = tmp_path / "c"
    generate(12, out, seed=5)
    return out


def first_entry(root: Path) -> tuple[str, Path]:
    path = sorted((root / "catalogue").rglob("*.md"))[0]
    return path.relative_to(root).as_posix(), path


def forge(root: Path, rel: str, *, sha: bytes | None = None, stat_now: bool = False) -> None:
    """Alter what the check cache recorded for ``rel`` (through its own signed writer)."""
    store = PC.CheckCache(root, True)
    kind, digest, deps, blob, sig, *rest = store.files[rel]
    if stat_now:
        st = os.stat(root / rel)
        sig = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
    store.files[rel] = (kind, sha or digest, deps, blob, sig, *rest)  # type: ignore[assignment]
    store.seen = set(store.files)
    store.started = store.written  # keep the recording run's start as it was
    store.changed = True
    store.save()


def stored(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose result the check cache stores afresh (a miss) from now on."""
    return calls(PC.CheckCache, "store", monkeypatch, lambda cache, loaded: loaded.ref.rel)


def test_check_cache_trusts_an_unchanged_stat(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PC, "RACY_NS", 0)  # the files were written a moment ago
    time.sleep(0.05)
    load_project(root, DAY, cache=True)  # records every file's hash and stat
    rel, _ = first_entry(root)
    forge(root, rel, sha=b"\0" * 32)
    misses = stored(monkeypatch)
    load_project(root, DAY, cache=True)
    assert misses == []  # not hashed: the recorded (forged) hash stood in for the bytes


def test_check_cache_hashes_a_file_recorded_too_close_to_its_change(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_project(root, DAY, cache=True)
    rel, _ = first_entry(root)
    forge(root, rel, sha=b"\0" * 32)
    misses = stored(monkeypatch)
    cached = load_project(root, DAY, cache=True)  # changed within 2 s of the recording: hashed
    assert misses == [rel]
    fresh = load_project(root, DAY)
    assert cached.source_digests == fresh.source_digests
    assert cached.inputs == fresh.inputs


def test_check_cache_finds_an_edit_that_keeps_size_and_stat(root: Path) -> None:
    """An edit in the same time stamp granule as the recording leaves the stat as recorded
    (here: the recorded stat is set to the edited file's); the racy rule still finds it."""
    load_project(root, DAY, cache=True)
    rel, path = first_entry(root)
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("title: "))
    lines[at] = lines[at][:-1] + ("改" if lines[at][-1] != "改" else "变")  # front matter only, same size
    edited = "\n".join(lines)
    assert len(edited.encode()) == len(text.encode()) and edited != text
    path.write_text(edited, encoding="utf-8")
    forge(root, rel, stat_now=True)
    cached = load_project(root, DAY, cache=True)
    fresh = load_project(root, DAY)
    assert cached.source_digests[rel] == fresh.source_digests[rel]
    assert [e.title for e in cached.catalogue.entries.values()] == [e.title for e in fresh.catalogue.entries.values()]
    assert cached.diagnostics == fresh.diagnostics


# ------------------------------------------------------------------ the build's input key
def test_digests_trust_an_unchanged_stat_and_hash_a_changed_one(tmp_path: Path) -> None:
    memo = tmp_path / "digests.json"
    video = tmp_path / "a.mp4"
    video.write_bytes(b"x" * 1000)
    real = K.file_digest(video)
    assert K.Digests(memo)(video) == real
    K.Digests(memo).save()  # nothing was recorded by this second, unsaved instance: no write
    first = K.Digests(memo)
    first(video)
    first.save()
    data = json.loads(memo.read_text(encoding="utf-8"))
    data["files"][str(video)][5] = "forged"
    data["written"] = time.time_ns() + 10 * K.Digests.RACY_NS  # recorded long after the change
    memo.write_text(json.dumps(data), encoding="utf-8")
    assert K.Digests(memo)(video) == "forged"  # not read again
    video.write_bytes(b"y" * 1001)
    assert K.Digests(memo)(video) == K.file_digest(video)  # stat changed: hashed


def test_digests_hash_a_file_changed_close_to_the_recording(tmp_path: Path) -> None:
    memo = tmp_path / "digests.json"
    doc = tmp_path / "a.pdf"
    doc.write_bytes(b"%PDF-1")
    first = K.Digests(memo)
    first(doc)
    first.save()
    data = json.loads(memo.read_text(encoding="utf-8"))
    data["files"][str(doc)][5] = "forged"  # as if the bytes had changed within the same stat
    memo.write_text(json.dumps(data), encoding="utf-8")
    assert K.Digests(memo)(doc) == K.file_digest(doc)


def test_inputs_key_is_the_same_with_and_without_remembered_digests(root: Path) -> None:
    (root / "catalogue" / "附件.pdf").write_bytes(b"%PDF-1.4 test")
    memo = K.Digests(root / ".gongkai-cache" / "v1" / K.DIGESTS)
    plain = K.inputs_key(root, "x", DAY, root / "site")
    assert K.inputs_key(root, "x", DAY, root / "site", memo) == plain
    assert K.inputs_key(root, "x", DAY, root / "site", K.known_digests(root)) == plain
    (root / "catalogue" / "附件.pdf").write_bytes(b"%PDF-1.4 tesT")
    assert K.inputs_key(root, "x", DAY, root / "site", K.known_digests(root)) != plain
