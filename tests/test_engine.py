"""The fast engine path writes exactly what one plain MkDocs build of the staged pages writes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bench.make_corpus import generate
from generator.project import load_project
from generator.site import build as B
from tests.conftest import BUILD_DATE, REPO


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("engine") / "repo"
    work.mkdir()
    for name in ("site_config.yml", "catalogue", "content"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, work / name)
    return work


@pytest.fixture(scope="module")
def reference(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("ref") / "site"
    B.build_site(load_project(sample, BUILD_DATE), out, reference=True)
    return tree(out)


def test_fast_path_equals_one_mkdocs_build(sample: Path, reference: dict[str, bytes], tmp_path: Path) -> None:
    assert len(reference) > 100
    B.build_site(load_project(sample, BUILD_DATE), tmp_path / "serial", workers=1, cache=False)
    assert differences(tree(tmp_path / "serial"), reference) == []


def test_worker_processes_write_the_same(
    sample: Path, reference: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(B, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setattr(B, "CHUNK", 7)
    stats = B.build_site(load_project(sample, BUILD_DATE), tmp_path / "parallel", workers=2, cache=False)
    assert stats.pages > 100
    assert differences(tree(tmp_path / "parallel"), reference) == []


def test_generated_corpus_builds_the_same_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate(120, tmp_path / "c", seed=5)
    project = load_project(tmp_path / "c", dt.date(2026, 1, 15))
    B.build_site(project, tmp_path / "ref", reference=True)
    monkeypatch.setattr(B, "PARALLEL_MIN_PAGES", 0)
    B.build_site(project, tmp_path / "fast", workers=2)
    assert differences(tree(tmp_path / "fast"), tree(tmp_path / "ref")) == []


def test_templates_that_transform_page_strings_fall_back_to_full_rendering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.site.engine import THEME_DIR

    generate(60, tmp_path / "c", seed=9)
    theme = tmp_path / "c" / "theme"
    shutil.copytree(THEME_DIR, theme)
    main = theme / "main.html"
    main.write_text(
        main.read_text(encoding="utf-8").replace(
            "{% block extrahead %}",
            '{% block extrahead %}{% if page and page.meta %}\n  <meta name="gk-test" content="'
            "{{ page.meta.title | length }} {{ (page.meta.gk.ArticleTitle or '') | upper | truncate(12) }}\">"
            "{% endif %}",
        ),
        encoding="utf-8",
    )
    project = load_project(tmp_path / "c", dt.date(2026, 1, 15))
    B.build_site(project, tmp_path / "ref", reference=True)
    monkeypatch.setattr(B, "PARALLEL_MIN_PAGES", 0)
    B.build_site(project, tmp_path / "fast", workers=2, cache=False)
    assert differences(tree(tmp_path / "fast"), tree(tmp_path / "ref")) == []
    assert 'name="gk-test"' in (tmp_path / "fast" / "index.html").read_text(encoding="utf-8")
