"""A page of a shape already learnt is filled from its skeleton without MkDocs' ``Page``,
context or template (Engine._render -> Skeletons.fill_known), and gives the bytes a full
render gives; the pages a skeleton is checked on still go through MkDocs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mkdocs.structure.pages import Page

from generator.site import build as B
from generator.site.engine import THEME_DIR, Engine, engine_config
from generator.site.pages import StagedPage
from tests.test_engine_sound import staged_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, list[StagedPage]]:
    return staged_corpus(tmp_path_factory.mktemp("filled") / "c", 120, seed=3)


def render(corpus: Any, work: Path, skeletons: bool, check_every: int | None = None) -> tuple[dict[str, bytes], Engine]:
    project, catalogue, pages = corpus
    (work / "docs").mkdir(parents=True)
    settings = engine_config(project.config, work / "docs", work / "site", B._nav_pages(catalogue), THEME_DIR)
    engine = Engine(settings, work / "mkdocs.yml", [page.url for page in pages], skeletons=skeletons)
    if check_every is not None and engine.skeletons is not None:
        engine.skeletons.check_every = check_every
    try:
        return {p.url: engine.render(p) for p in pages if not engine.in_parent(p)}, engine
    finally:
        engine.abort()


def made_pages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []
    real = Page.__init__

    def init(self: Page, title: str | None, file: Any, config: Any) -> None:
        made.append(file.src_uri)
        real(self, title, file, config)

    monkeypatch.setattr(Page, "__init__", init)
    return made


def test_filled_pages_make_no_mkdocs_page_and_equal_full_renders(
    corpus: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full, _ = render(corpus, tmp_path / "full", skeletons=False)
    made = made_pages(monkeypatch)
    fast, engine = render(corpus, tmp_path / "fast", skeletons=True)
    assert fast == full
    assert engine.skeletons is not None and engine.skeletons.filled > 100
    items = [url for url in fast if url.startswith("catalogue/") and url.count("/") == 2]
    made_items = [src for src in made if src.startswith("catalogue/") and src.count("/") == 2]
    # only the first page of each shape (and the probe pages learning it) reach MkDocs' Page
    assert len(items) > 100
    assert len(made_items) <= 3 * len(engine.skeletons.shapes)


def test_the_checked_pages_still_render_in_full(corpus: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    full, _ = render(corpus, tmp_path / "full", skeletons=False)
    made = made_pages(monkeypatch)
    fast, _ = render(corpus, tmp_path / "fast", skeletons=True, check_every=2)
    assert fast == full
    items = [url for url in fast if url.startswith("catalogue/") and url.count("/") == 2]
    made_items = {src for src in made if src.startswith("catalogue/") and src.count("/") == 2}
    # every second page of a shape is checked against a full render, through MkDocs' Page
    assert len(items) > 100
    assert len(made_items) >= len(items) // 2
