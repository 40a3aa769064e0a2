"""The check's workers send each file's source back pickled (project._sealed).

A parsed source (positions of every front-matter node) is several times the size of its
item. Sent whole, every one was unpickled in the parent, kept for the whole build and pickled
again there for the check cache; now the worker pickles it once and the parent unpickles only
those a cross-file check asks for. Nothing a check reports may change: positions included.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from generator import project as P
from generator.project import Project, load_project
from tests.conftest import BUILD_DATE, ProjectFactory, write_rich_catalogue
from tests.test_project_cache_warm import same

ENTRIES = 40
EDU: dict[str, Any] = {"publisher": "edu", "written_date": dt.date(2023, 3, 1), "published_date": dt.date(2023, 3, 5)}


@pytest.fixture
def messy(make_project: Any, monkeypatch: pytest.MonkeyPatch) -> ProjectFactory:
    """Enough files for forked workers (the limit lowered), with problems of every reach: a
    duplicate 索引号 (cross-file, positioned in the other file), a bad date
    and an unknown vocabulary value (one file), a missing required field (a partial item),
    a front matter that does not parse, and an interpretation of an unknown policy."""
    monkeypatch.setattr(P, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setattr(P, "CHUNK", 7)
    p: ProjectFactory = make_project()
    write_rich_catalogue(p)
    for i in range(ENTRIES):
        p.entry(
            f"bulk/e{i:03d}",
            body=f"第{i}号正文。\n\n第二段。\n",
            index_no=f"000000003/2023-{i + 1:05d}",
            title=f"测试市教育局关于第{i}项工作的通知",
            doc_number=f"测教发〔2023〕{i + 1}号",
            **EDU,
        )
    p.entry("bad/dup", index_no="000000003/2023-00005", doc_number="测教发〔2023〕9号", title="重复的索引号", **EDU)
    p.entry("bad/date", index_no="000000003/2023-00901", doc_number=None, published_date="2023-13-40", publisher="edu")
    p.entry("bad/vocab", index_no="000000003/2023-00902", doc_number=None, genre="不存在的文种", **EDU)
    p.entry("bad/missing", index_no="000000003/2023-00903", doc_number=None, title=None, **EDU)
    p.write("catalogue/bad/yaml.md", "---\ntitle: [未闭合\n---\n正文\n")
    p.interpretation(
        "bad/orphan",
        index_no="000000003/2023-00904",
        interprets=["000000003/2099-00001"],
        interpreter_org="edu",
        published_date=dt.date(2023, 3, 5),
    )
    return p


def unsealed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(P, "_sealed", lambda root, loaded, keep: loaded)


def pickled(project: Project) -> set[str]:
    """The sources still pickled (never asked for)."""
    return {rel for rel, value in dict.items(project.sources) if isinstance(value, P._Deferred)}


@pytest.mark.parametrize("cache", [False, True])
def test_sealed_sources_report_exactly_what_whole_ones_do(
    messy: ProjectFactory, monkeypatch: pytest.MonkeyPatch, cache: bool
) -> None:
    sealed = load_project(messy.root, BUILD_DATE, cache=cache)
    codes = {d.code for d in sealed.diagnostics}
    assert len(codes) >= 5, codes  # the fixture's problems are all found
    with monkeypatch.context() as m:
        unsealed(m)
        whole = load_project(messy.root, BUILD_DATE)
    assert not pickled(whole)
    same(sealed, whole)


def test_the_parent_unpickles_only_the_sources_a_cross_file_check_asks_for(messy: ProjectFactory) -> None:
    project = load_project(messy.root, BUILD_DATE, cache=True)
    named = {d.path for d in project.diagnostics}
    kept = pickled(project)
    bulk = {rel for rel in dict.keys(project.sources) if rel.startswith("catalogue/bulk/")}
    assert len(bulk) == ENTRIES
    # the duplicate's twin is positioned (it was unpickled); nobody asked for the others
    assert "catalogue/bulk/e004.md" in named
    assert "catalogue/bulk/e004.md" not in kept
    assert bulk - {"catalogue/bulk/e004.md", "catalogue/bulk/e008.md"} <= kept
    # asking unpickles it with its body
    rel = "catalogue/bulk/e010.md"
    assert project.sources[rel].body == "第10号正文。\n\n第二段。\n"
    assert rel not in pickled(project)


def test_a_sealed_cold_run_fills_the_cache_for_every_file(
    messy: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = load_project(messy.root, BUILD_DATE, cache=True)
    checked: list[str] = []
    real = P._load_one
    monkeypatch.setattr(P, "_load_one", lambda root, ref, *a: checked.append(ref.rel) or real(root, ref, *a))
    warm = load_project(messy.root, BUILD_DATE, cache=True)
    assert checked == []  # every result came from the cache the sealed workers' records filled
    same(warm, cold)
    # and an edit is checked afresh, positions and all
    path = messy.root / "catalogue/bulk/e010.md"
    path.write_text(path.read_text(encoding="utf-8").replace("2023-03-05", "2023-02-30"), encoding="utf-8")
    edited = load_project(messy.root, BUILD_DATE, cache=True)
    assert checked == ["catalogue/bulk/e010.md"]
    with monkeypatch.context() as m:
        unsealed(m)
        same(edited, load_project(messy.root, BUILD_DATE))
    assert any(d.path == "catalogue/bulk/e010.md" and d.line > 1 for d in edited.diagnostics)


def test_an_undecodable_file_reports_what_it_did(messy: ProjectFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    messy.write("catalogue/bad/binary.md", b"---\ntitle: \xff\xfe\n---\n")
    sealed = load_project(messy.root, BUILD_DATE, cache=True)
    assert any(d.path == "catalogue/bad/binary.md" for d in sealed.diagnostics)
    with monkeypatch.context() as m:
        unsealed(m)
        same(sealed, load_project(messy.root, BUILD_DATE))
