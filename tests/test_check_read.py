"""A warm check reads each source with the size its cached result recorded as a hint
(project._read_stat): one ``read`` of one byte more and the stat after it. Whatever the file
became since (longer, shorter, empty, the same size, too large, growing while it is read),
the check reports exactly what a check without the cache reports."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from generator import project as P
from generator.project import load_project
from generator.source.frontmatter import MAX_FILE_BYTES
from tests.conftest import BUILD_DATE
from tests.test_project_cache_warm import E2, Runs, edit, prime, proj, same  # noqa: F401


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> Runs:
    """Warm checks that read every file (this module is about what they read)."""
    return Runs(monkeypatch)


E2_FILE = "catalogue/e2.md"


def test_an_unchanged_source_is_read_with_one_read(
    runs: Runs,
    proj: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prime(runs, proj)
    reads: list[int] = []
    real = os.read

    def counted(fd: int, n: int) -> bytes:
        reads.append(n)
        return real(fd, n)

    monkeypatch.setattr(P.os, "read", counted)
    _, cache = runs.warm(proj.root)
    assert cache.hits == len(cache.files) == 5
    assert len(reads) == 5  # one read a file (sized by the record), not a sized read and one at the end


GROWN = "正文。" + "增加的正文。" * 2000  # far beyond the recorded size + 1


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda t: t.replace("正文。", GROWN, 1), id="grown"),
        pytest.param(lambda t: t.replace("正文。", "正文。一", 1), id="one-character-longer"),
        pytest.param(lambda t: t.replace("正文。", "", 1), id="shorter"),
        pytest.param(lambda t: t.replace("正文。", "文正。", 1), id="same-size"),
        pytest.param(lambda t: "", id="emptied"),
        pytest.param(lambda t: t + "长" * (MAX_FILE_BYTES // 3 + 1), id="too-large"),
    ],
)
def test_a_source_of_another_size_than_recorded_is_read_whole(
    runs: Runs,
    proj: Any,  # noqa: F811
    change: Any,
) -> None:
    prime(runs, proj)
    path = proj.root / E2_FILE
    text = change(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    warm, _ = runs.check(proj.root)  # compared with a check without the cache
    entry = warm.catalogue.entries.get(E2)
    if entry is not None:
        assert text.endswith(entry.body)
    _, cache = runs.check(proj.root)  # and again, from what that run recorded
    assert cache.hits >= 4


def test_a_source_growing_while_it_is_read_is_read_to_its_end(
    runs: Runs,
    proj: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The file grows between the read and the stat: the stat shows more than was read, so
    the rest is read too, and the result is that of the grown file."""
    prime(runs, proj)
    path: Path = proj.root / E2_FILE
    real = os.fstat
    grown = False

    def fstat(fd: int) -> os.stat_result:
        nonlocal grown
        if not grown and os.path.samestat(real(fd), os.stat(path)):
            grown = True
            with path.open("a", encoding="utf-8") as fh:
                fh.write("\n后来写入的一段。\n")
        return real(fd)

    with monkeypatch.context() as m:
        m.setattr(P.os, "fstat", fstat)
        warm, _ = runs.warm(proj.root)
    assert grown
    entry = warm.catalogue.entries[E2]
    assert entry.body.endswith("后来写入的一段。\n")
    same(warm, load_project(proj.root, BUILD_DATE))
