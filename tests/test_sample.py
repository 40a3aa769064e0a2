"""The bundled sample site: rich enough to show every feature, and clean."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from generator.model.vocab import DEFAULT_FORMS, DEFAULT_INFO_TYPES, DEFAULT_VALIDITY
from generator.project import load_project
from tests.conftest import BUILD_DATE, REPO


@pytest.fixture(scope="module")
def project():  # type: ignore[no-untyped-def]
    return load_project(REPO, BUILD_DATE)


def test_sample_checks_clean(project) -> None:  # type: ignore[no-untyped-def]
    assert [d.format() for d in project.diagnostics] == []


def test_sample_covers_the_domain(project) -> None:  # type: ignore[no-untyped-def]
    entries = list(project.catalogue.entries.values())
    interps = list(project.catalogue.interpretations.values())
    assert len(entries) >= 40
    assert len({t[0] for e in entries for t in e.topics}) >= 10
    assert len({e.publisher for e in entries}) >= 4
    assert len({e.year for e in entries}) >= 3
    assert {e.info_type for e in entries} >= {name for name, _ in DEFAULT_INFO_TYPES}
    assert {e.validity for e in entries if e.validity} >= set(DEFAULT_VALIDITY)
    assert any(e.disclosure == "依申请公开" for e in entries)
    repealed = [e for e in entries if e.validity == "废止" and e.info_type == "行政规范性文件"]
    assert any(project.catalogue.related(e.index_no, "repealed_by") for e in repealed)
    assert len(interps) >= 10
    assert set(Counter(i.form for i in interps)) >= set(DEFAULT_FORMS)
    assert any(p.slug == "guide" for p in project.catalogue.pages)


def test_sample_site_builds_with_working_pages(sample_site: Path) -> None:
    for url in ("", "catalogue/", "topics/", "agencies/", "years/", "types/", "library/", "interpretations/", "guide/"):
        assert (sample_site / url / "index.html").is_file(), url
    banners = [p for p in sample_site.glob("catalogue/*/index.html") if "gk-banner--repealed" in p.read_text("utf-8")]
    assert banners
