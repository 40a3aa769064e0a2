"""``gongkai build --engine zensical``: Zensical renders the pages, gongkai finishes the site the same way.

Compared with the default (MkDocs + Material) build of the sample: the same URLs, the
same main content per page (normalised for attribute escaping such as ``&#x2f;``), the
same gongkai outputs, one skip link, a CSP on every page, no engine search files.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from generator.ownership import mark_site
from generator.project import load_project
from generator.site import build as B
from generator.site.engine import EngineError
from generator.site.engine.adapters import ZensicalStaged
from generator.site.staged import sitemap_xml
from tests import test_leaks as leaks
from tests.conftest import BUILD_DATE, REPO, run_cli

pytest.importorskip("zensical")

MAIN = re.compile(r'<div class="gk-page" id="gk-content" tabindex="-1">.*?(?=</article>)', re.S)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    work = tmp_path_factory.mktemp("zensical")
    repo = work / "repo"
    repo.mkdir()
    for name in ("site_config.yml", "catalogue", "content"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, repo / name)
    project = load_project(repo, BUILD_DATE)
    B.build_site(project, work / "material", cache=False)
    stats = B.build_site(project, work / "zensical", engine="zensical")
    assert stats.pages > 100
    return tree(work / "material"), tree(work / "zensical")


def pages(site: dict[str, bytes]) -> dict[str, str]:
    return {name: data.decode("utf-8") for name, data in site.items() if name.endswith(".html")}


def main_content(text: str) -> str:
    found = MAIN.search(text)
    assert found, "no main content"
    return html.unescape(found.group(0)).rstrip()


def test_same_urls(sites: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    material, zensical = sites
    assert pages(zensical).keys() == pages(material).keys()


def test_same_main_content_on_every_page(sites: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    material, zensical = map(pages, sites)
    staged = [name for name, text in material.items() if 'id="gk-content"' in text and name != "404.html"]
    assert len(staged) > 100
    assert [name for name in staged if main_content(zensical[name]) != main_content(material[name])] == []


def test_gongkai_outputs_are_the_same(sites: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    material, zensical = sites
    ours = [name for name in material if not name.endswith(".html") and not name.startswith("assets/")]
    assert "sitemap.xml" in ours and "sitemap.xml.gz" in ours and "catalogue.json" in ours
    assert [name for name in ours if zensical.get(name) != material[name]] == []
    assert b"<lastmod>" in zensical["sitemap.xml"]
    for name in ("assets/javascripts/gongkai.js", "assets/javascripts/search/search.js"):
        assert zensical[name] == material[name]


def test_no_engine_search(sites: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    _, zensical = sites
    assert "search.json" not in zensical
    assert [name for name in zensical if name.startswith("assets/javascripts/workers/")] == []


def test_one_skip_link_and_a_csp_on_every_page(sites: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    _, zensical = sites
    texts = pages(zensical)
    assert [name for name, text in texts.items() if 'http-equiv="Content-Security-Policy"' not in text] == []
    # 404.html is self-contained (theme/404.html: no skip link, nothing loaded); every staged page has one
    staged = {name: text for name, text in texts.items() if 'id="gk-content"' in text and name != "404.html"}
    assert [name for name, text in staged.items() if text.count('class="md-skip"') != 1] == []
    assert all('href="#gk-content" class="md-skip"' in text for text in staged.values())


def test_sitemap_without_site_url_uses_absolute_paths() -> None:
    text = sitemap_xml(["", "a/b/"], "", 0)
    assert "<loc>/</loc>" in text and "<loc>/a/b/</loc>" in text and "<lastmod>1970-01-01</lastmod>" in text


def test_a_failing_engine_leaves_the_previous_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("site_config.yml", "catalogue", "content"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, repo / name)
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old", encoding="utf-8")
    mark_site(target)  # a site gongkai built (the ownership marker), so the build may replace it
    before = tree(target)

    def broken(self: ZensicalStaged, stage: Path, out: Path) -> list[str]:
        raise EngineError("Zensical 构建失败（退出码 1）：boom")

    monkeypatch.setattr(ZensicalStaged, "build", broken)
    with pytest.raises(B.BuildError, match="boom"):
        B.build_site(load_project(repo, BUILD_DATE), target, engine="zensical")
    assert tree(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "site"]


def test_build_command_with_zensical(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("site_config.yml", "catalogue", "content"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, repo / name)
    done = run_cli("build", str(repo), "--engine", "zensical", "--build-date", BUILD_DATE.isoformat())
    assert done.returncode == 0, done.stderr
    assert "已构建" in done.stdout
    assert 'content="zensical-' in (repo / "site" / "index.html").read_text(encoding="utf-8")
    done = run_cli("build", str(repo), "--build-date", BUILD_DATE.isoformat())  # back to the default engine
    assert done.returncode == 0, done.stderr
    assert 'content="mkdocs-' in (repo / "site" / "index.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------ nothing leaks
leaky_site = leaks.leak_site  # test_leaks' fixture: a site with one item of every non-public kind


@pytest.mark.parametrize("where", ["staging tree", "zensical site"])
def test_no_non_public_item_in_the_staging_tree_or_the_zensical_site(
    leaky_site: Path, tmp_path: Path, where: str
) -> None:
    from generator.site.stage import write_stage

    project = load_project(leaky_site.parent, BUILD_DATE)
    if where == "staging tree":
        root = write_stage(project, tmp_path / "stage").root
    else:
        B.build_site(project, tmp_path / "site", engine="zensical")
        root = tmp_path / "site"
    blobs = list(leaks.every_blob(root))
    assert any(b"PUBLICMARKER" in data for _, data in blobs)  # the walk sees public content
    needles = [
        form for names in leaks.MARKERS.values() for name in names for form in leaks.spellings(leaks.marker(name))
    ]
    assert [file for file, data in blobs for form in needles if form in data] == []


def test_zensical_missing_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("site_config.yml", "catalogue", "content"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, repo / name)
    monkeypatch.setattr(ZensicalStaged, "available", staticmethod(lambda: False))
    with pytest.raises(B.BuildError, match="未安装 Zensical"):
        B.build_site(load_project(repo, BUILD_DATE), tmp_path / "site", engine="zensical")
    assert not (tmp_path / "site").exists()
    with pytest.raises(B.BuildError, match="未知的引擎"):
        B.build_site(load_project(repo, BUILD_DATE), tmp_path / "site", engine="hugo")
