"""The check cache's cheaper warm run (issue 18): body links kept with each file's result,
bodies cut again from the file read, the collector paused while loading. A warm check must
report exactly what an uncached one reports."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from generator.checks import crossref
from generator.project import Project, load_project
from tests.conftest import BUILD_DATE, ProjectFactory
from tests.spies import calls
from tests.test_hidden_links import DRAFT_SLUG, linked  # noqa: F401 (a fixture)


def same(a: Project, b: Project) -> None:
    assert [d.format() for d in a.diagnostics] == [d.format() for d in b.diagnostics]
    assert a.catalogue.entries == b.catalogue.entries
    assert a.catalogue.interpretations == b.catalogue.interpretations
    assert a.catalogue.pages == b.catalogue.pages
    assert a.inputs == b.inputs


def scanned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The bodies hidden_links scans itself from now on."""
    return calls(crossref, "body_links", monkeypatch)


def test_a_warm_check_reports_what_an_uncached_one_does_without_rescanning_bodies(
    linked: ProjectFactory,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = linked.root
    load_project(root, BUILD_DATE, cache=True)  # fills the cache
    bodies = scanned(monkeypatch)
    warm = load_project(root, BUILD_DATE, cache=True)
    assert bodies == []  # every item's links came with its cached result
    assert [d for d in warm.diagnostics if d.code == "W102"]
    same(warm, load_project(root, BUILD_DATE))


def test_an_edited_body_is_scanned_afresh(linked: ProjectFactory, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    root = linked.root
    load_project(root, BUILD_DATE, cache=True)
    page = root / "content/pages/links.md"
    # same number of lines, the link gone: the cached links must not be reused
    page.write_text(
        page.read_text(encoding="utf-8").replace(f"[草稿](../catalogue/{DRAFT_SLUG}/)", "没有链接"), encoding="utf-8"
    )
    interp = root / "content/interpretations/i1.md"
    # a link added on a new line further down
    interp.write_text(
        interp.read_text(encoding="utf-8") + f"\n\n另见 [草稿](../../catalogue/{DRAFT_SLUG}/)\n", encoding="utf-8"
    )
    warm = load_project(root, BUILD_DATE, cache=True)
    same(warm, load_project(root, BUILD_DATE))
    by_file = {d.path for d in warm.diagnostics if d.code == "W102"}
    assert "content/pages/links.md" not in by_file and "content/interpretations/i1.md" in by_file
    assert len([d for d in warm.diagnostics if d.path == "content/interpretations/i1.md" and d.code == "W102"]) == 2


@pytest.mark.parametrize(
    "body",
    ["", "\n", "一行正文", "正文。\n\n第二段\n", "\n\n\n前有空行\n", "末尾无换行\n最后一行", "含\r\n回车\r\n"],
)
def test_bodies_from_the_cache_are_cut_as_parsing_cuts_them(make_project: Any, body: str) -> None:
    p = make_project()
    p.entry("a", body=body)
    p.page("p", "页面", body=body)
    p.interpretation(body=body)
    load_project(p.root, BUILD_DATE, cache=True)
    warm = load_project(p.root, BUILD_DATE, cache=True)
    cold = load_project(p.root, BUILD_DATE)
    same(warm, cold)
    assert [e.body for e in warm.catalogue.entries.values()] == [e.body for e in cold.catalogue.entries.values()]
    assert warm.sources == cold.sources


@pytest.mark.parametrize("cache", [False, True])
@pytest.mark.parametrize("enabled", [False, True])
def test_loading_leaves_the_collector_as_it_found_it(make_project: Any, cache: bool, enabled: bool) -> None:
    p = make_project()
    p.entry("a")
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        load_project(p.root, BUILD_DATE, cache=cache)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


@pytest.mark.parametrize(
    "transform",
    [
        lambda b: b"\xef\xbb\xbf" + b,  # BOM
        lambda b: b.replace(b"\n", b"\r\n"),  # CRLF line ends
        lambda b: b.replace(b"\n", b"\r"),  # CR line ends
        lambda b: b + b"\xe2\x80\xa8",  # a line separator at the end (reported)
        lambda b: b.replace("正文".encode(), "正文".encode("gb18030")),  # not UTF-8 (E001)
    ],
)
def test_bodies_of_files_whose_bytes_are_not_their_text_are_cut_as_parsing_cuts_them(
    make_project: Any, transform: Any
) -> None:
    p = make_project()
    for path in (p.entry("a", body="正文第一段。\n\n第二段\n"), p.page("p", "页面", body="页面正文\n最后一行")):
        path.write_bytes(transform(path.read_bytes()))
    load_project(p.root, BUILD_DATE, cache=True)
    warm = load_project(p.root, BUILD_DATE, cache=True)
    cold = load_project(p.root, BUILD_DATE)
    same(warm, cold)
    assert warm.sources == cold.sources


def test_a_warm_check_takes_plain_utf8_bodies_from_the_bytes_read(
    make_project: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import project_cache as PC

    p = make_project()
    p.entry("a", body="正文。\n\n第二段\n")
    p.interpretation(body="解读。\n")
    load_project(p.root, BUILD_DATE, cache=True)
    decoded = calls(PC, "decode", monkeypatch)
    warm = load_project(p.root, BUILD_DATE, cache=True)
    assert decoded == []  # no second decoding of a file whose last bytes are its body
    same(warm, load_project(p.root, BUILD_DATE))
    assert [e.body for e in warm.catalogue.entries.values()] == ["正文。\n\n第二段\n"]
