"""A warm check (``load_project(cache=True)``, issue 18) reports exactly what a cold one
reports, after every kind of change, including those whose diagnostics land in another,
unedited file; and it really is warm (hits are counted, so a cache that silently stops
working fails here too)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator import project_cache as PC
from generator.project import Project, load_project
from tests.conftest import BUILD_DATE, CONFIG, ProjectFactory

E1, E2, E3 = "000000002/2024-00001", "000000002/2024-00002", "000000002/2024-00003"


def formatted(p: Project) -> list[str]:
    return [d.format() for d in p.diagnostics]


def same(warm: Project, cold: Project) -> None:
    assert formatted(warm) == formatted(cold)
    assert warm.catalogue.entries == cold.catalogue.entries
    assert warm.catalogue.interpretations == cold.catalogue.interpretations
    assert warm.catalogue.pages == cold.catalogue.pages
    assert warm.deadlines == cold.deadlines
    assert warm.inputs == cold.inputs
    assert warm.source_digests == cold.source_digests
    assert warm.sources == cold.sources


class Runs:
    """Warm checks, each with the check cache it used; ``lazy``: files found unchanged by their
    ``stat`` are not read and their bodies are read when compared (``load_project(lazy=True)``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, lazy: bool = False) -> None:
        self.lazy = lazy
        self.caches: list[PC.CheckCache] = []
        real = PC.CheckCache.save

        def save(cache: PC.CheckCache) -> None:
            self.caches.append(cache)
            real(cache)

        monkeypatch.setattr(PC.CheckCache, "save", save)

    def warm(self, root: Path, build_date: dt.date = BUILD_DATE) -> tuple[Project, PC.CheckCache]:
        project = load_project(root, build_date, cache=True, lazy=self.lazy)
        return project, self.caches[-1]

    def check(self, root: Path, build_date: dt.date = BUILD_DATE) -> tuple[Project, PC.CheckCache]:
        """A warm check compared with a cold one of the same sources."""
        warm, cache = self.warm(root, build_date)
        same(warm, load_project(root, build_date))
        return warm, cache


@pytest.fixture(params=[False, True], ids=["read", "lazy"])
def runs(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Runs:
    if request.param:
        # the files were written a moment ago: without this none would count as unchanged by
        # its stat, and the lazy runs would read every file as the others do
        monkeypatch.setattr(PC, "RACY_NS", 0)
    return Runs(monkeypatch, lazy=request.param)


@pytest.fixture
def proj(make_project: Any) -> ProjectFactory:
    """Entries that refer to each other, an interpretation, a page linking to an entry, attachments."""
    p: ProjectFactory = make_project()
    sha = p.attachment("files/a.txt", "附件正文".encode())
    p.entry("e1", index_no=E1, body="第一条。\n", attachments=[{"file": "files/a.txt", "title": "附件", "sha256": sha}])
    p.entry("e2", index_no=E2, doc_number="测政办发〔2024〕2号", relations={"amends": [E1]})
    p.entry("e3", index_no=E3, doc_number="测政办发〔2024〕3号", draft=True)
    p.interpretation("i1", index_no="000000002/2024-00004", interprets=[E1])
    p.page("links", "链接", body=f"见 [第二条](../catalogue/{E2.replace('/', '-')}/)。\n")
    return p


def prime(runs: Runs, p: ProjectFactory) -> None:
    _, cache = runs.check(p.root)
    assert cache.hits == 0
    _, cache = runs.check(p.root)
    files = len(cache.files)
    assert files == 5 and cache.hits == files and cache.cross_hits == 1  # every result came from the cache


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unchanged_project_is_checked_from_the_cache(runs: Runs, proj: ProjectFactory) -> None:
    prime(runs, proj)
    warm, cache = runs.check(proj.root)
    assert cache.hits == 5 and cache.cross_hits == 1
    assert warm.diagnostics == []


def test_a_body_edit_reuses_the_cross_file_results(runs: Runs, proj: ProjectFactory) -> None:
    prime(runs, proj)
    edit(proj.root / "catalogue/e2.md", "正文。", "正文改了。\n\n第二段")
    warm, cache = runs.check(proj.root)
    assert cache.hits == 4 and cache.cross_hits == 1
    assert warm.catalogue.entries[E2].body.startswith("正文改了")


def test_a_front_matter_edit_runs_the_cross_file_checks_again(runs: Runs, proj: ProjectFactory) -> None:
    prime(runs, proj)
    edit(proj.root / "catalogue/e2.md", f"- {E1}", "- 000000002/2024-00009")  # relation to nothing: E501
    warm, cache = runs.check(proj.root)
    assert cache.hits == 4 and cache.cross_hits == 0
    assert [d.code for d in warm.diagnostics if d.path == "catalogue/e2.md"] == ["E501"]
    edit(proj.root / "catalogue/e2.md", "- 000000002/2024-00009", f"- {E1}")
    warm, cache = runs.check(proj.root)
    assert cache.cross_hits == 0 and not [d for d in warm.diagnostics if d.code == "E501"]


@pytest.mark.parametrize("edited, other", [("e2", "e1"), ("e1", "e2")])
def test_an_index_no_made_to_collide_reports_both_sides_and_clears_when_undone(
    runs: Runs, proj: ProjectFactory, edited: str, other: str
) -> None:
    prime(runs, proj)
    index_no = {"e1": E1, "e2": E2}
    path = proj.root / f"catalogue/{edited}.md"
    edit(path, f"index_no: {index_no[edited]}", f"index_no: {index_no[other]}")
    warm, cache = runs.check(proj.root)
    assert cache.hits == 4  # the other file's result is cached: its new diagnostics are not
    # reported on the later file by path: for e1's edit that is the unedited e2
    assert [d.path for d in warm.diagnostics if d.code == "E304"] == ["catalogue/e2.md"]
    edit(path, f"index_no: {index_no[other]}", f"index_no: {index_no[edited]}")
    warm, cache = runs.check(proj.root)
    assert not [d for d in warm.diagnostics if d.code in ("E304", "E026", "E501")]
    _, cache = runs.check(proj.root)
    assert cache.hits == 5 and cache.cross_hits == 1


def test_a_cross_file_diagnostic_moves_with_its_line(runs: Runs, proj: ProjectFactory) -> None:
    prime(runs, proj)
    path = proj.root / "catalogue/e2.md"
    edit(path, f"index_no: {E2}", f"index_no: {E1}")
    warm, _ = runs.check(proj.root)
    first = [(d.line, d.col) for d in warm.diagnostics if d.code == "E304"]
    edit(path, "---\n", "---\n# 备注\n")  # the same values, one line further down
    warm, cache = runs.check(proj.root)
    assert cache.hits == 4 and cache.cross_hits == 0
    assert [(d.line, d.col) for d in warm.diagnostics if d.code == "E304"] == [(first[0][0] + 1, first[0][1])]
    edit(path, "正文。", "正文。\n\n新的一段。")  # body only: the stored results still fit
    warm, cache = runs.check(proj.root)
    assert cache.cross_hits == 1
    assert [(d.line, d.col) for d in warm.diagnostics if d.code == "E304"] == [(first[0][0] + 1, first[0][1])]


def test_deleting_an_entry_others_refer_to(runs: Runs, proj: ProjectFactory) -> None:
    prime(runs, proj)
    (proj.root / "catalogue/e1.md").unlink()
    warm, cache = runs.check(proj.root)
    assert cache.hits == 4 and cache.cross_hits == 0 and "catalogue/e1.md" not in cache.files
    # e2's relation and i1's interprets now point at nothing: reported in the unedited files
    assert {(d.path, d.code) for d in warm.diagnostics if d.code == "E501"} == {
        ("catalogue/e2.md", "E501"),
        ("content/interpretations/i1.md", "E501"),
    }
    proj.entry("e1", index_no=E1, body="第一条。\n")  # back, without its attachment
    warm, _ = runs.check(proj.root)
    assert not [d for d in warm.diagnostics if d.code == "E501"]


def test_a_rename_and_a_new_file(runs: Runs, proj: ProjectFactory) -> None:
    prime(runs, proj)
    (proj.root / "catalogue/e2.md").rename(proj.root / "catalogue/e2-renamed.md")
    warm, cache = runs.check(proj.root)
    assert cache.hits == 4 and "catalogue/e2.md" not in cache.files
    assert warm.catalogue.entries[E2].source == "catalogue/e2-renamed.md"
    proj.entry("e4", index_no=E2, doc_number="测政办发〔2024〕4号")  # new, colliding with the renamed one
    warm, cache = runs.check(proj.root)
    assert cache.hits == 5
    assert {d.path for d in warm.diagnostics if d.code == "E304"} == {"catalogue/e4.md"}


def test_a_link_to_an_entry_that_is_then_made_a_draft_or_deleted(runs: Runs, proj: ProjectFactory) -> None:
    prime(runs, proj)
    edit(proj.root / "catalogue/e2.md", "genre:", "draft: true\ngenre:")
    warm, _ = runs.check(proj.root)
    assert [d.path for d in warm.diagnostics if d.code == "W102"] == ["content/pages/links.md"]
    (proj.root / "catalogue/e2.md").unlink()
    warm, cache = runs.check(proj.root)
    assert cache.hits == 4
    assert not [d for d in warm.diagnostics if d.code == "W102"]


def test_a_body_edit_that_adds_or_removes_a_link_to_a_draft(runs: Runs, proj: ProjectFactory) -> None:
    prime(runs, proj)
    page = proj.root / "content/pages/links.md"
    draft = f"另见 [草稿](../catalogue/{E3.replace('/', '-')}/)。"
    edit(page, "。\n", f"。\n\n{draft}\n")
    warm, cache = runs.check(proj.root)
    assert cache.hits == 4 and cache.cross_hits == 0  # the page's links changed: W102 looked for again
    assert [(d.path, d.code) for d in warm.diagnostics] == [("content/pages/links.md", "W102")]
    edit(page, draft, "不再链接。")
    warm, cache = runs.check(proj.root)
    assert cache.cross_hits == 0 and warm.diagnostics == []


def test_an_attachment_changed_on_disk_is_found_although_nothing_else_changed(runs: Runs, proj: ProjectFactory) -> None:
    prime(runs, proj)
    (proj.root / "catalogue/files/a.txt").write_bytes("附件改了".encode())
    warm, cache = runs.check(proj.root)
    assert cache.cross_hits == 1  # the sources are as they were ...
    assert [d.code for d in warm.diagnostics if d.path == "catalogue/e1.md"] == ["E602"]  # ... the file is not
    (proj.root / "catalogue/files/a.txt").unlink()
    warm, _ = runs.check(proj.root)
    assert [d.code for d in warm.diagnostics if d.path == "catalogue/e1.md"] == ["E601"]


def test_the_build_date_is_part_of_the_cross_file_key(runs: Runs, proj: ProjectFactory) -> None:
    proj.entry(
        "e5",
        index_no="000000002/2024-00005",
        doc_number="测政办发〔2024〕5号",
        expires=dt.date(2026, 6, 1),
        validity="有效",
        validity_history=[{"date": dt.date(2024, 6, 1), "status": "有效"}],
    )
    prime_date = dt.date(2026, 1, 15)
    runs.check(proj.root, prime_date)
    warm, cache = runs.check(proj.root, prime_date)
    assert cache.cross_hits == 1 and "E507" not in [d.code for d in warm.diagnostics]
    later, cache = runs.check(proj.root, dt.date(2026, 7, 1))
    assert cache.cross_hits == 0 and "E507" in [d.code for d in later.diagnostics]


def test_a_config_change_invalidates_every_result(runs: Runs, proj: ProjectFactory) -> None:
    prime(runs, proj)
    config = proj.root / "site_config.yml"
    config.write_text(CONFIG.replace('code: "000000002"', 'code: "000000009"'), encoding="utf-8")
    warm, cache = runs.check(proj.root)
    assert cache.hits == 0 and cache.cross_hits == 0
    assert {d.code for d in warm.diagnostics} >= {"E302"}  # every 索引号 of 办公室 has the old prefix
    config.write_text(CONFIG, encoding="utf-8")
    warm, _ = runs.check(proj.root)
    assert "E302" not in {d.code for d in warm.diagnostics}


def test_a_vocabulary_change_invalidates_every_result(runs: Runs, proj: ProjectFactory) -> None:
    prime(runs, proj)
    config = proj.root / "site_config.yml"
    vocab = (
        CONFIG + "vocabularies:\n  info_types:\n    - {name: 规章, slug: rules}\n    - {name: 其他文件, slug: other}\n"
    )
    config.write_text(vocab, encoding="utf-8")
    before, _ = runs.check(proj.root)
    config.write_text(vocab.replace("    - {name: 其他文件, slug: other}\n", ""), encoding="utf-8")
    warm, cache = runs.check(proj.root)
    assert cache.hits == 0 and cache.cross_hits == 0
    assert formatted(warm) != formatted(before)  # 其他文件 is no longer an info type
    _, cache = runs.check(proj.root)
    assert cache.hits == 5 and cache.cross_hits == 1


# ------------------------------------------------------------------ a damaged cache file
def cache_file(root: Path) -> Path:
    return root / PC.CHECK_FILE


def delta_file(root: Path) -> Path:
    return cache_file(root).with_name(PC.DELTA_NAME)


DAMAGE: list[Callable[[bytes], bytes]] = [
    lambda b: b[: len(b) // 2],  # truncated
    lambda b: b[:10],
    lambda b: b"",
    lambda b: b[:40] + bytes([b[40] ^ 1]) + b[41:],  # one bit flipped
    lambda b: b[:-1],
    lambda b: b + b"\0",
]


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize("which", ["whole", "delta"])
def test_a_damaged_cache_file_is_ignored(
    runs: Runs, proj: ProjectFactory, damage: Callable[[bytes], bytes], which: str
) -> None:
    prime(runs, proj)
    edit(proj.root / "catalogue/e2.md", f"- {E1}", "- 000000002/2024-00009")
    runs.check(proj.root)  # the changed result goes to the small second file
    assert delta_file(proj.root).is_file()
    path = cache_file(proj.root) if which == "whole" else delta_file(proj.root)
    path.write_bytes(damage(path.read_bytes()))
    warm, cache = runs.check(proj.root)  # never a traceback, never a result of the damaged file
    if which == "whole":  # nothing is used, not even the intact delta file
        assert cache.hits == 0 and cache.cross_hits == 0
    else:  # the whole file's results: e2's and the cross-file ones are of its earlier text
        assert cache.hits == 4 and cache.cross_hits == 0
    assert "E501" in [d.code for d in warm.diagnostics]
    _, cache = runs.check(proj.root)  # written afresh
    assert cache.hits == 5 and cache.cross_hits == 1


def test_a_delta_file_of_another_whole_file_is_not_applied(
    runs: Runs, proj: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    prime(runs, proj)
    edit(proj.root / "catalogue/e2.md", f"- {E1}", "- 000000002/2024-00009")
    runs.check(proj.root)
    delta = delta_file(proj.root).read_bytes()  # signed, bound to the whole file of prime()
    edit(proj.root / "catalogue/e2.md", "- 000000002/2024-00009", f"- {E1}")
    with monkeypatch.context() as m:
        m.setattr(PC, "DELTA_MIN", 0)
        runs.check(proj.root)  # the whole file rewritten, the delta file removed
    assert not delta_file(proj.root).exists()
    delta_file(proj.root).write_bytes(delta)
    _, cache = runs.check(proj.root)
    assert cache.hits == 5 and cache.cross_hits == 1  # e2's result is not the delta file's


def test_many_changes_rewrite_the_whole_file(runs: Runs, make_project: Any) -> None:
    p: ProjectFactory = make_project()
    for i in range(PC.DELTA_MIN + 2):
        p.entry(f"e{i:03d}", index_no=f"000000002/2024-{i + 1:05d}", doc_number=f"测政办发〔2024〕{i + 1}号")
    runs.check(p.root)
    one = p.root / "catalogue/e000.md"
    edit(one, "正文。", "正文一。")
    runs.check(p.root)
    assert delta_file(p.root).is_file()
    for path in sorted((p.root / "catalogue").glob("*.md")):
        edit(path, "正文", "正文改")
    whole = cache_file(p.root).stat().st_mtime_ns
    runs.check(p.root)
    assert not delta_file(p.root).exists() and cache_file(p.root).stat().st_mtime_ns != whole
    _, cache = runs.check(p.root)
    assert cache.hits == PC.DELTA_MIN + 2 and cache.cross_hits == 1


def test_a_cache_file_of_other_results_under_a_valid_signature_is_not_trusted_for_other_sources(
    runs: Runs, proj: ProjectFactory
) -> None:
    """The stored cross-file results are used only for the summary they were made from."""
    prime(runs, proj)
    saved = cache_file(proj.root).read_bytes()
    edit(proj.root / "catalogue/e2.md", f"- {E1}", "- 000000002/2024-00009")
    runs.check(proj.root)
    edit(proj.root / "catalogue/e2.md", "- 000000002/2024-00009", f"- {E1}")
    _, cache = runs.check(proj.root)  # the delta file's results are of the other text
    assert cache.hits == 4 and cache.cross_hits == 0
    cache_file(proj.root).write_bytes(saved)  # the results of the project as it is again
    delta_file(proj.root).unlink()
    warm, cache = runs.check(proj.root)
    assert cache.hits == 5 and cache.cross_hits == 1 and "E501" not in [d.code for d in warm.diagnostics]


@pytest.mark.parametrize("change", ["body", "config"])
def test_a_write_killed_midway_leaves_no_file_that_is_trusted(proj: ProjectFactory, change: str) -> None:
    """The cache files are written to a temporary file and renamed: a killed writer leaves the
    old files, never half a file under a cache file's name. A body edit writes the small delta
    file, a configuration change the whole file."""
    load_project(proj.root, BUILD_DATE, cache=True)
    edit(proj.root / "catalogue/e2.md", "正文。", "正文一。")
    load_project(proj.root, BUILD_DATE, cache=True)
    before = {p.name: p.read_bytes() for p in cache_file(proj.root).parent.iterdir()}
    assert set(before) == {PC.CHECK_FILE.name, PC.DELTA_NAME}
    edit(proj.root / "catalogue/e2.md", "正文一。", "正文改了。")
    if change == "config":
        (proj.root / "site_config.yml").write_text(CONFIG + "\n", encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        from pathlib import Path
        import generator.project_cache as PC
        from generator.project import load_project
        from tests.conftest import BUILD_DATE

        def replace(src, dst):  # killed with half the temporary file written
            data = Path(src).read_bytes()
            Path(src).write_bytes(data[: len(data) // 2])
            os.kill(os.getpid(), signal.SIGKILL)

        PC.os.replace = replace
        load_project(Path({str(proj.root)!r}), BUILD_DATE, cache=True)
        """
    )
    repo = str(Path(__file__).resolve().parents[1])
    run = subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": repo}, check=False)
    assert run.returncode == -signal.SIGKILL
    after = {p.name: p.read_bytes() for p in cache_file(proj.root).parent.iterdir() if not p.name.endswith(".tmp")}
    assert after == before  # the old files stand; the half one is not either of them
    warm = load_project(proj.root, BUILD_DATE, cache=True)
    same(warm, load_project(proj.root, BUILD_DATE))
    assert warm.catalogue.entries[E2].body.startswith("正文改了")
