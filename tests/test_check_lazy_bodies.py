"""``load_project(cache=True, lazy=True)`` (``gongkai check`` and ``build``, issue 18): a file
whose ``stat`` is the one recorded with its cached result is not read; its body is read when
first asked for, and only if it is still the body that was checked (E028 otherwise), so a
build never publishes text that was not checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import project as P
from generator import project_cache as PC
from generator.model.entry import Entry
from generator.project import load_project
from generator.site.build import build_site
from generator.site.result import BuildError
from tests.conftest import BUILD_DATE, ProjectFactory

E1, E2 = "000000002/2024-00001", "000000002/2024-00002"
BODY = "第一条正文，含“引号”与 emoji 😀。\n\n第二段。\n"


@pytest.fixture
def proj(make_project: Any, monkeypatch: pytest.MonkeyPatch) -> ProjectFactory:
    monkeypatch.setattr(PC, "RACY_NS", 0)  # the files were written a moment ago
    p: ProjectFactory = make_project()
    p.entry("e1", index_no=E1, body=BODY)
    p.entry("e2", index_no=E2, doc_number="测政办发〔2024〕2号")
    p.interpretation("i1", index_no="000000002/2024-00003", interprets=[E1])
    p.page("about", "关于", body="关于本站。\n")
    load_project(p.root, BUILD_DATE, cache=True)  # records every file's result and stat
    return p


def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources the check reads (its own reads, not the bodies read later)."""
    seen: list[str] = []
    real = P._read_stat

    def spy(base: str, rel: str, size: int = -1) -> Any:
        seen.append(rel)
        return real(base, rel, size)

    monkeypatch.setattr(P, "_read_stat", spy)
    return seen


def test_unchanged_files_are_not_read_and_their_bodies_are_the_checked_ones(
    proj: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = reads(monkeypatch)
    lazy = load_project(proj.root, BUILD_DATE, cache=True, lazy=True)
    assert seen == []
    entry = lazy.catalogue.entries[E1]
    assert isinstance(entry.__dict__["body"], PC.LazyBody)  # still in its file
    cold = load_project(proj.root, BUILD_DATE)
    assert entry.body == BODY and isinstance(entry.__dict__["body"], str)  # read once, then kept
    assert lazy.catalogue.entries == cold.catalogue.entries
    assert lazy.catalogue.interpretations == cold.catalogue.interpretations
    assert lazy.catalogue.pages == cold.catalogue.pages
    assert lazy.sources == cold.sources  # the parsed sources' bodies too
    assert [d.format() for d in lazy.diagnostics] == [d.format() for d in cold.diagnostics]


def test_an_edited_file_is_read_and_the_others_are_not(proj: ProjectFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    proj.entry("e1", index_no=E1, body=BODY + "补充一句。\n")
    seen = reads(monkeypatch)
    lazy = load_project(proj.root, BUILD_DATE, cache=True, lazy=True)
    assert seen == ["catalogue/e1.md"]
    assert lazy.catalogue.entries[E1].__dict__["body"] == BODY + "补充一句。\n"


def test_without_lazy_every_file_is_read(proj: ProjectFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = reads(monkeypatch)
    load_project(proj.root, BUILD_DATE, cache=True)
    assert sorted(seen) == sorted(
        ["catalogue/e1.md", "catalogue/e2.md", "content/interpretations/i1.md", "content/pages/about.md"]
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text.replace("第二段", "第三段"),  # same length in UTF-8
        lambda text: text + "追加。\n",
        lambda text: text.replace(BODY, ""),  # the body removed
        lambda text: "\r\n".join(text.split("\n")),  # CRLF line ends: the body is cut otherwise
        lambda text: text.encode("utf-8")[:-5].decode("utf-8", "ignore"),
    ],
    ids=["same-length", "appended", "emptied", "crlf", "truncated"],
)
def test_a_body_changed_after_the_check_is_never_returned(proj: ProjectFactory, change: Any) -> None:
    lazy = load_project(proj.root, BUILD_DATE, cache=True, lazy=True)
    path = proj.root / "catalogue/e1.md"
    path.write_bytes(change(path.read_text(encoding="utf-8")).encode("utf-8"))
    entry = lazy.catalogue.entries[E1]
    with pytest.raises(PC.SourceChangedError) as caught:
        _ = entry.body
    assert caught.value.diagnostic.code == "E028" and caught.value.diagnostic.path == "catalogue/e1.md"


def test_a_deleted_or_unreadable_file_raises_too(proj: ProjectFactory) -> None:
    lazy = load_project(proj.root, BUILD_DATE, cache=True, lazy=True)
    (proj.root / "catalogue/e1.md").unlink()
    with pytest.raises(PC.SourceChangedError):
        _ = lazy.catalogue.entries[E1].body


def test_a_front_matter_edit_after_the_check_keeps_the_checked_body(proj: ProjectFactory) -> None:
    """The body alone is compared: the item is the checked one, and so is its body."""
    lazy = load_project(proj.root, BUILD_DATE, cache=True, lazy=True)
    path = proj.root / "catalogue/e1.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "title: 改", 1), encoding="utf-8")
    entry: Entry = lazy.catalogue.entries[E1]
    assert entry.body == BODY and not entry.title.startswith("改")


def test_a_build_fails_on_a_changed_body_and_leaves_the_site_as_it_was(proj: ProjectFactory, tmp_path: Path) -> None:
    site = proj.build()
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    lazy = load_project(proj.root, BUILD_DATE, cache=True, lazy=True)
    path = proj.root / "catalogue/e1.md"
    path.write_text(path.read_text(encoding="utf-8") + "未检查的一句。\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build_site(lazy, site, cache=False)  # every page rendered: the entry's body is read
    assert [d.code for d in caught.value.diagnostics] == ["E028"]
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert not any("未检查" in text.decode("utf-8", "replace") for text in before.values())


def test_the_cli_reports_it_without_a_traceback(proj: ProjectFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """``gongkai build``: the file changes between the check and the render (simulated by
    editing it when the build starts), the error names the file and the code."""
    from click.testing import CliRunner

    from generator.cli import main
    from generator.site import build as B

    real = B._build

    def edit_then_build(*args: Any, **kwargs: Any) -> Any:
        path = proj.root / "catalogue/e1.md"
        path.write_text(path.read_text(encoding="utf-8") + "构建时的修改。\n", encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(B, "_build", edit_then_build)
    result = CliRunner().invoke(main, ["build", str(proj.root), "--build-date", BUILD_DATE.isoformat()])
    assert result.exit_code == 1, result.output
    assert "catalogue/e1.md" in result.output and "E028" in result.output
    assert "Traceback" not in result.output
