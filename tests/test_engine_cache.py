"""What the engine keeps between builds (issue 18): compiled templates and the sitemap, and
MkDocs pages made only for the pages a build renders — each with the bytes of a build
without the cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.site import build as B
from tests.conftest import ProjectFactory


def _no(n: int) -> str:
    return f"000000002/2024-{n + 10:05d}"  # clear of the interpretation's default 索引号


def _folder(n: int) -> str:
    return _no(n).replace("/", "-")


def _site(make_project: Any, entries: int = 12) -> ProjectFactory:
    p = make_project()
    for n in range(1, entries + 1):
        p.entry(f"e{n}", index_no=_no(n), title=f"第{n}号通知", doc_number=None)
    p.interpretation(interprets=[_no(1)])
    assert not p.load().errors, p.codes()
    return p


def _clean(p: ProjectFactory, tmp_path: Path, name: str) -> Path:
    """The same sources built without any cache."""
    out = tmp_path / name / "site"
    B.build_site(p.load(), out, cache=False)
    return out


def _tree(root: Path) -> dict[str, bytes]:
    return {q.relative_to(root).as_posix(): q.read_bytes() for q in sorted(root.rglob("*")) if q.is_file()}


def _differences(a: Path, b: Path) -> list[str]:
    ta, tb = _tree(a), _tree(b)
    return sorted(k for k in ta.keys() | tb.keys() if ta.get(k) != tb.get(k))


def _count(monkeypatch: pytest.MonkeyPatch, cls: Any, name: str) -> list[int]:
    calls = [0]
    real = getattr(cls, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(cls, name, counted)
    return calls


def _edit_body(p: ProjectFactory, name: str, text: str) -> None:
    path = p.root / "catalogue" / f"{name}.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


@pytest.fixture(autouse=True)
def _own_template_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the project's own cache: not the suite's shared one (conftest)."""
    monkeypatch.delenv("GONGKAI_TEMPLATE_CACHE", raising=False)


def test_a_shared_template_cache_serves_every_project(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2

    shared = tmp_path / "templates"
    monkeypatch.setenv("GONGKAI_TEMPLATE_CACHE", str(shared))
    first = _site(make_project)
    first.build()
    assert any(shared.glob("jinja-*/__jinja2_*.cache"))
    assert not list((first.root / ".gongkai-cache").rglob("__jinja2_*"))  # kept in the shared folder only
    second = _site(make_project)  # another project, its own empty cache
    second.write("theme/partials/copyright.html", '<div class="md-copyright">第二个站点的页脚</div>\n')
    names: list[str] = []
    real = jinja2.Environment.compile

    def compile(env: Any, source: Any, name: str | None = None, filename: str | None = None, *a: Any, **k: Any) -> Any:
        names.append(name or "")
        return real(env, source, name, filename, *a, **k)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    site = second.build()
    # only the override the first project lacked (in the page and the probe environments; the
    # unnamed ones are templates made from strings, compiled in every build)
    assert set(names) - {""} == {"partials/copyright.html"}
    assert "第二个站点的页脚" in (site / "index.html").read_text(encoding="utf-8")
    clean = _clean(second, tmp_path, "clean")  # a build without any cache
    monkeypatch.delenv("GONGKAI_TEMPLATE_CACHE")
    assert _differences(site, clean) == []
    assert _differences(site, _clean(second, tmp_path, "clean-own")) == []


def test_second_build_compiles_no_template(make_project: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2

    p = _site(make_project)
    p.build()
    assert any((p.root / ".gongkai-cache" / "engine").glob("jinja-*/__jinja2_*.cache"))
    _edit_body(p, "e3", "第二版正文。")
    compiled = _count(monkeypatch, jinja2.Environment, "compile")
    site = p.build()
    assert compiled[0] == 0
    assert "第二版正文。" in (site / "catalogue" / _folder(3) / "index.html").read_text(encoding="utf-8")


def test_edited_override_is_compiled_again_and_equals_a_build_without_cache(
    make_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2

    p = _site(make_project)
    p.write("theme/partials/copyright.html", '<div class="md-copyright">第一版页脚</div>\n')
    p.build()
    p.write("theme/partials/copyright.html", '<div class="md-copyright">第二版页脚</div>\n')
    compiled = _count(monkeypatch, jinja2.Environment, "compile")
    site = p.build()
    assert compiled[0] >= 1  # the edited override (and only what changed) is compiled again
    pages = sorted(site.rglob("*.html"))
    assert pages and all("第一版页脚" not in q.read_text(encoding="utf-8") for q in pages)
    assert "第二版页脚" in (site / "index.html").read_text(encoding="utf-8")
    assert _differences(site, _clean(p, tmp_path, "clean")) == []


def test_error_in_a_cached_override_names_the_override_and_line(make_project: Any) -> None:
    # the override is compiled (and cached) by a build that succeeds; a later page makes it fail
    # at render time: the position must name theme/, not the first build's temporary folder
    p = _site(make_project)
    p.write(
        "theme/partials/copyright.html",
        '<div>\n{% if page and page.meta.title == "触发错误" %}\n{{ page.meta.gk.nothing.deeper }}\n{% endif %}\n</div>\n',
    )
    p.build()
    p.entry("e99", index_no=_no(99), title="触发错误", doc_number=None)
    with pytest.raises(B.BuildError) as info:
        B.build_site(p.load(), p.root / "site")
    (d,) = info.value.diagnostics
    assert (d.path, d.line, d.code) == ("theme/partials/copyright.html", 3, "E755")


def test_body_edit_makes_pages_only_for_what_it_renders(make_project: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.structure.pages import Page

    p = _site(make_project, entries=30)
    site = p.build()
    pages = len(list(site.rglob("index.html")))
    sitemap = (site / "sitemap.xml").read_bytes(), (site / "sitemap.xml.gz").read_bytes()
    _edit_body(p, "e7", "修改后的正文。")
    made = _count(monkeypatch, Page, "__init__")
    p.build()
    assert made[0] < pages // 2, (made[0], pages)
    assert ((site / "sitemap.xml").read_bytes(), (site / "sitemap.xml.gz").read_bytes()) == sitemap


@pytest.mark.parametrize("change", ["add", "delete"])
def test_sitemap_after_add_or_delete_equals_a_clean_build(make_project: Any, tmp_path: Path, change: str) -> None:
    p = _site(make_project)
    site = p.build()
    before = (site / "sitemap.xml").read_bytes()
    if change == "add":
        p.entry("e50", index_no=_no(50), title="新增的通知", doc_number=None)
    else:
        (p.root / "catalogue" / "e5.md").unlink()
    p.build()
    clean = _clean(p, tmp_path, "clean")
    assert (site / "sitemap.xml").read_bytes() != before
    for name in ("sitemap.xml", "sitemap.xml.gz", "404.html"):
        assert (site / name).read_bytes() == (clean / name).read_bytes(), name
    assert _differences(site, clean) == []


def test_theme_sitemap_template_is_rendered_every_build(make_project: Any, tmp_path: Path) -> None:
    p = _site(make_project)
    p.write(
        "theme/sitemap.xml",
        "<urlset>{% for file in pages %}<u>{{ file.page.canonical_url }}|{{ file.src_uri }}</u>{% endfor %}</urlset>\n",
    )
    site = p.build()
    assert _folder(4) in (site / "sitemap.xml").read_text(encoding="utf-8")
    (p.root / "catalogue" / "e4.md").unlink()
    p.build()
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert _folder(4) not in text and _folder(5) in text
    assert _differences(site, _clean(p, tmp_path, "clean")) == []


def test_damaged_cache_files_are_compiled_again(make_project: Any, tmp_path: Path) -> None:
    p = _site(make_project)
    p.build()
    cache = p.root / ".gongkai-cache" / "engine"
    damaged = list(cache.glob("jinja-*/__jinja2_*.cache")) + list((cache / "sitemap").iterdir())
    assert damaged
    for path in damaged:
        path.write_bytes(path.read_bytes()[:20])
    _edit_body(p, "e2", "再改一次。")
    site = p.build()
    # a truncated sitemap is not detected by its name: the build must not read it as the sitemap
    assert _differences(site, _clean(p, tmp_path, "clean")) == []


@pytest.mark.parametrize(
    "site_url",
    [
        "https://www.example.gov.cn/",
        "https://www.example.gov.cn",
        "https://www.example.gov.cn/sub/dir",
        "https://www.example.gov.cn/a/./b/../c//d/",
        "https://www.example.gov.cn/x?q=1#top",
        "https://www.example.gov.cn/p;params/",
        "http://[::1]:8000/站点/",
        "",
    ],
)
def test_sitemap_values_equal_mkdocs_pages(tmp_path: Path, site_url: str) -> None:
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    from generator.site.engine import sitemap
    from generator.site.engine.runtime import load_config

    docs, out = tmp_path / "docs", tmp_path / "site"
    docs.mkdir()
    config = load_config(
        {"site_name": "x", "site_url": site_url, "docs_dir": str(docs), "site_dir": str(out)}, tmp_path / "mkdocs.yml"
    )
    srcs = [
        "index.md",
        "catalogue/index.md",
        "catalogue/000000002-2024-00001/index.md",
        "catalogue/topics/02/page/3/index.md",
        "pages/关于 我们#?/index.md",
        "a/%41/index.md",
        "a/.hidden/index.md",
        "a/b.c/index.md",
    ]
    standins = sitemap._standins(config, srcs)
    assert standins is not None
    for src, standin in zip(srcs, standins, strict=True):
        page = Page(None, File(src, str(docs), str(out), True), config)
        assert (standin.page.canonical_url, standin.page.abs_url) == (page.canonical_url, page.abs_url), src
        assert standin.page.update_date == page.update_date
    assert sitemap._standins(config, ["a/../index.md"]) is None
    assert sitemap._standins(config, ["a/b.md"]) is None


def _engine(p: ProjectFactory, work: Path, plugins: list[str]) -> tuple[Any, list[Any]]:
    from generator.site.engine import THEME_DIR, Engine, engine_config
    from generator.site.outputs import PAGE_SOURCES
    from generator.site.pages import PageBuilder

    project = p.load()
    catalogue = project.public()
    pages = [job.build() for job in PageBuilder(catalogue, root=p.root).jobs()]
    pages += [page for source in PAGE_SOURCES for page in source(catalogue)]
    (work / "docs").mkdir(parents=True)
    settings = engine_config(project.config, work / "docs", work / "site", B._nav_pages(catalogue), THEME_DIR)
    settings["plugins"] = plugins
    return Engine(settings, work / "mkdocs.yml", [page.url for page in pages], skeletons=False), pages


def test_a_configured_plugin_gets_every_page_up_front(make_project: Any, tmp_path: Path) -> None:
    # pages made on first read only while the engine's own plugin is the only one: a plugin could
    # look at any file's page in any hook, so with one MkDocs' order (every Page before on_nav) holds
    p = _site(make_project)
    lazy, pages = _engine(p, tmp_path / "lazy", [])
    eager, _ = _engine(p, tmp_path / "eager", ["search"])
    try:
        assert lazy.shared.lazy and not eager.shared.lazy
        assert all(vars(f).get("page") is not None for f in eager.shared.doc_files)  # MkDocs' own File
        made = [f for f in lazy.shared.doc_files if f._page is not None]
        assert 0 < len(made) < len(pages) // 2  # the navigation's pages only
        for page in pages:
            assert lazy.path_of(page.url).relative_to(lazy.site_dir) == eager.path_of(page.url).relative_to(
                eager.site_dir
            )
        for page in pages:
            assert lazy.render(page) == eager.render(page), page.url
    finally:
        lazy.abort()
        eager.abort()
