"""A site's theme/ layered over the shipped theme file by file; theme and engine failures as diagnostics."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator import __version__
from generator.diagnostics import render_text
from generator.site import build as B
from generator.site import themes
from generator.source import themes as theme_sources
from tests.conftest import BUILD_DATE, REPO, ProjectFactory, run_cli

SHIPPED = REPO / "theme"


def _site(make_project: Any) -> ProjectFactory:
    p = make_project()
    p.entry()
    p.interpretation()
    return p


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _footer(p: ProjectFactory, text: str) -> None:
    p.write("theme/partials/copyright.html", f'<div class="md-copyright gk-own-footer">{text}</div>\n')


# ------------------------------------------------------------------ where the shipped theme is
def test_shipped_theme_is_the_checkout_s_theme_folder() -> None:
    # running from a checkout (editable install or PYTHONPATH): the theme beside this very package
    import generator

    assert theme_sources.shipped_theme_dir() == Path(generator.__file__).resolve().parents[1] / "theme"
    assert theme_sources.shipped_theme_dir() == SHIPPED.resolve()


def test_installed_layout_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a wheel's generator/_theme is used, whatever lies beside the package
    package = tmp_path / "site-packages" / "generator"
    (package / "_theme").mkdir(parents=True)
    (package / "_theme" / "main.html").write_text("x")
    monkeypatch.setattr(theme_sources, "_package_dir", lambda: package)
    assert theme_sources.shipped_theme_dir() == package / "_theme"
    assert theme_sources.shipped_theme_problem() is None


def test_missing_shipped_theme_is_reported_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site-packages" / "generator"
    package.mkdir(parents=True)
    monkeypatch.setattr(theme_sources, "_package_dir", lambda: package)
    problem = theme_sources.shipped_theme_problem()
    assert problem is not None and problem.code == "E750"
    with pytest.raises(themes.ThemeError) as info:
        themes.layered_theme(tmp_path, tmp_path / "work")
    assert [d.code for d in info.value.diagnostics] == ["E750"]


def test_generator_repository_theme_is_not_an_override() -> None:
    assert theme_sources.site_overrides(REPO) == {}


# ------------------------------------------------------------------ layering
def test_layering_is_file_by_file(make_project: Any, tmp_path: Path) -> None:
    p = _site(make_project)
    _footer(p, "本站页脚")
    p.write("theme/assets/images/logo.svg", "<svg/>")
    p.write("theme/.DS_Store", "junk")
    files = theme_sources.theme_files(p.root)
    assert files["partials/copyright.html"] == p.root / "theme/partials/copyright.html"
    assert files["partials/header.html"] == SHIPPED.resolve() / "partials/header.html"
    assert files["assets/images/logo.svg"] == p.root / "theme/assets/images/logo.svg"
    assert ".DS_Store" not in files
    merged = themes.layered_theme(p.root, tmp_path / "work")
    assert merged == tmp_path / "work" / "theme"
    assert (merged / "partials/copyright.html").read_text(encoding="utf-8").count("本站页脚") == 1
    assert (merged / "main.html").read_bytes() == (SHIPPED / "main.html").read_bytes()
    # nothing was written into the site's own folder or the shipped theme
    assert sorted(q.name for q in (p.root / "theme").rglob("*") if q.is_file()) == [
        ".DS_Store",
        "copyright.html",
        "logo.svg",
    ]


def test_site_override_shows_and_the_rest_is_shipped(make_project: Any) -> None:
    p = _site(make_project)
    _footer(p, "本站页脚由示例市维护")
    site = p.build()
    pages = _pages(site)
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if '<footer class="md-footer' not in html:
            continue  # redirect pages; 404.html, self-contained, has its own plain footer
        assert "本站页脚由示例市维护" in html, page
        assert "gk-footer" not in html  # the shipped footer partial is replaced, not added to
        assert 'class="md-skip"' in html  # main.html (shipped) still in force
    assert (site / "assets/stylesheets/gongkai.css").read_bytes() == (
        SHIPPED / "assets/stylesheets/gongkai.css"
    ).read_bytes()
    assert (site / "assets/javascripts/gongkai.js").is_file()


def test_site_overrides_a_material_partial_gongkai_does_not_ship(make_project: Any) -> None:
    # partials/footer.html is Material's own; the site's version wins, and can still include gongkai's copyright
    p = _site(make_project)
    assert not (SHIPPED / "partials" / "footer.html").exists()
    p.write(
        "theme/partials/footer.html",
        '<footer class="md-footer"><div class="gk-own">本市自己的页脚</div>{% include "partials/copyright.html" %}</footer>\n',
    )
    site = p.build()
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "本市自己的页脚" in html
    assert "gk-footer" in html  # gongkai's shipped copyright partial, included by the site's footer
    assert "md-footer-meta" not in html  # Material's footer body is gone


def test_site_overrides_assets(make_project: Any) -> None:
    p = _site(make_project)
    p.write("theme/assets/stylesheets/gongkai.css", "/* 本站样式 */\n")
    p.write("theme/assets/javascripts/search/search.js", "/* 本站检索脚本 */\n")
    site = p.build()
    assert (site / "assets/stylesheets/gongkai.css").read_text(encoding="utf-8") == "/* 本站样式 */\n"
    assert (site / "assets/javascripts/search/search.js").read_text(encoding="utf-8") == "/* 本站检索脚本 */\n"
    shipped = SHIPPED / "assets/stylesheets/search.css"
    assert (site / "assets/stylesheets/search.css").read_bytes() == shipped.read_bytes()


def test_editing_an_override_changes_the_next_build_despite_the_cache(make_project: Any) -> None:
    p = _site(make_project)
    _footer(p, "第一版页脚")
    site = p.build()
    assert "第一版页脚" in (site / "index.html").read_text(encoding="utf-8")
    _footer(p, "第二版页脚")
    p.build()
    for page in _pages(site):
        assert "第一版页脚" not in page.read_text(encoding="utf-8"), page
    assert "第二版页脚" in (site / "catalogue" / "index.html").read_text(encoding="utf-8")
    # and removing the override brings the shipped footer back
    (p.root / "theme/partials/copyright.html").unlink()
    p.build()
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "第二版页脚" not in html and "gk-footer" in html


def test_adding_an_override_to_an_unchanged_site_rebuilds_it(make_project: Any) -> None:
    p = _site(make_project)
    args = ("build", str(p.root), "--build-date", BUILD_DATE.isoformat())
    assert run_cli(*args).returncode == 0
    again = run_cli(*args)
    assert again.returncode == 0 and "内容未变" in again.stdout  # the unchanged-site shortcut is in force
    _footer(p, "新加的页脚")
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    assert "内容未变" not in result.stdout
    assert "新加的页脚" in (p.root / "site" / "index.html").read_text(encoding="utf-8")


def test_generator_meta_records_the_version(make_project: Any) -> None:
    site = _site(make_project).build()
    for page in ("index.html", "catalogue/index.html", "404.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert f'<meta name="generator" content="gongkai {__version__}">' in html, page


# ------------------------------------------------------------------ checked before building
def test_template_syntax_error_in_an_override_is_positioned(make_project: Any) -> None:
    p = _site(make_project)
    p.write("theme/partials/copyright.html", "<div>\n\n{% if config.extra %}\n<p>未闭合</p>\n</div>\n")
    diags = [d for d in p.diagnostics() if d.path.startswith("theme/")]
    assert [(d.path, d.code) for d in diags] == [("theme/partials/copyright.html", "E752")]
    assert diags[0].line == 3  # the line Jinja names for the unclosed block
    result = run_cli("check", str(p.root), "--build-date", BUILD_DATE.isoformat(), "--lang", "en")
    assert result.returncode == 1
    assert "theme/partials/copyright.html:3:1: error[E752]: theme template syntax error" in result.stderr


def test_syntax_error_line_is_the_offending_line(make_project: Any) -> None:
    p = _site(make_project)
    p.write("theme/main.html", '{% extends "base.html" %}\n{% block content %}\n{{ oops( }}\n{% endblock %}\n')
    (d,) = [d for d in p.diagnostics() if d.path.startswith("theme/")]
    assert (d.path, d.line, d.code) == ("theme/main.html", 3, "E752")


def test_template_errors_read_in_chinese(make_project: Any) -> None:
    p = _site(make_project)
    p.write("theme/partials/copyright.html", "<div>\n{% if x %}\n</div>\n")
    p.write("theme/partials/header.html", "<div>{{ config.site_name | shout }}</div>\n")
    p.write("theme/robots.txt", "{% not a template: copied as is %}\n")
    found = {d.path: d for d in p.diagnostics() if d.path.startswith("theme/")}
    assert sorted(found) == ["theme/partials/copyright.html", "theme/partials/header.html"]
    footer, header = found["theme/partials/copyright.html"], found["theme/partials/header.html"]
    assert (
        footer.message("zh")
        == "主题模板语法错误：模板在块 if 结束之前就结束了，缺少结束标签（应为 elif 或 else 或 endif）"
    )
    assert footer.message("en").startswith("theme template syntax error: Unexpected end of template.")
    assert header.message("zh") == "主题模板语法错误：没有名为 shout 的过滤器"  # unknown filters fail MkDocs too


def test_template_check_parses_like_the_engine(make_project: Any) -> None:
    # MkDocs' template environment has the i18n extension and no other: {% trans %} is fine,
    # {% break %} (loopcontrols) is a syntax error there, so check reports it before the build would fail
    p = _site(make_project)
    p.write("theme/partials/copyright.html", "<div>{% trans %}页脚{% endtrans %}</div>\n")
    p.write("theme/partials/header.html", "{% for x in [1] %}\n{% break %}\n{% endfor %}\n")
    found = [(d.path, d.line, d.code) for d in p.diagnostics() if d.path.startswith("theme/")]
    assert found == [("theme/partials/header.html", 2, "E752")]


def test_build_with_an_override_is_reproducible(make_project: Any, tmp_path: Path) -> None:
    p = _site(make_project)
    _footer(p, "本站页脚")
    one = p.build(tmp_path / "one")
    shutil.rmtree(p.root / ".gongkai-cache")  # render everything again, in a new work folder
    two = p.build(tmp_path / "two")
    files = sorted(q.relative_to(one) for q in one.rglob("*") if q.is_file())
    assert files == sorted(q.relative_to(two) for q in two.rglob("*") if q.is_file())
    assert [f for f in files if (one / f).read_bytes() != (two / f).read_bytes()] == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_symlink_out_of_the_repository_is_refused(make_project: Any, tmp_path: Path) -> None:
    p = _site(make_project)
    secret = tmp_path / "secret.txt"
    secret.write_text("不应发布的内容")
    (p.root / "theme" / "assets").mkdir(parents=True)
    os.symlink(secret, p.root / "theme" / "assets" / "leak.txt")
    outside = tmp_path / "outside-folder"
    outside.mkdir()
    (outside / "x.css").write_text("body{}")
    os.symlink(outside, p.root / "theme" / "linked")
    codes = sorted((d.path, d.code) for d in p.diagnostics() if d.path.startswith("theme"))
    assert codes == [("theme/assets/leak.txt", "E751"), ("theme/linked", "E751")]
    assert "linked/x.css" not in theme_sources.theme_files(p.root)
    project = p.load()
    with pytest.raises(B.BuildError):
        B.build_site(project, p.root / "site")
    assert not (p.root / "site").exists()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_theme_folder_linked_out_of_the_repository(make_project: Any, tmp_path: Path) -> None:
    p = _site(make_project)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "partials").mkdir(parents=True)
    (elsewhere / "partials" / "copyright.html").write_text("<div>外部页脚</div>")
    os.symlink(elsewhere, p.root / "theme")
    assert [(d.path, d.code) for d in p.diagnostics() if d.path.startswith("theme")] == [("theme", "E751")]
    assert theme_sources.site_overrides(p.root) == {}
    with pytest.raises(themes.ThemeError):
        themes.layered_theme(p.root, tmp_path / "work")


def test_theme_that_is_a_file(make_project: Any) -> None:
    p = _site(make_project)
    p.write("theme", "not a folder")
    assert [(d.path, d.code) for d in p.diagnostics() if d.path.startswith("theme")] == [("theme", "E753")]


def test_binary_and_non_utf8_templates(make_project: Any) -> None:
    p = _site(make_project)
    p.write("theme/partials/copyright.html", "页脚".encode("gbk"))
    p.write("theme/assets/images/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00")  # not a template: copied as is
    codes = [(d.path, d.code) for d in p.diagnostics() if d.path.startswith("theme")]
    assert codes == [("theme/partials/copyright.html", "E753")]


# ------------------------------------------------------------------ engine failures in Chinese
def _engine_failure(p: ProjectFactory) -> B.BuildError:
    with pytest.raises(B.BuildError) as info:
        B.build_site(p.load(), p.root / "site")
    return info.value


def test_missing_included_template_names_the_override_and_line(make_project: Any) -> None:
    p = _site(make_project)
    p.write("theme/partials/copyright.html", '<div>\n{% include "partials/nope.html" %}\n</div>\n')
    assert not p.load().errors  # syntactically fine: only rendering finds it
    error = _engine_failure(p)
    (d,) = error.diagnostics
    assert (d.path, d.line, d.code) == ("theme/partials/copyright.html", 2, "E754")
    assert "partials/nope.html" in d.message("zh")
    assert not (p.root / "site").exists()


def test_runtime_template_error_names_the_override_and_line(make_project: Any) -> None:
    p = _site(make_project)
    p.write("theme/partials/copyright.html", "<div>\n\n{{ config.extra.gongkai.site_name.nothing.deeper }}\n</div>\n")
    result = run_cli("build", str(p.root), "--build-date", BUILD_DATE.isoformat())
    assert result.returncode == 1
    assert "theme/partials/copyright.html:3:1: 错误[E755]: 主题模板在生成页面时出错" in result.stderr
    assert "错误：网站引擎未能完成构建" in result.stderr
    assert "Traceback" not in result.stderr and "MkDocs" not in result.stderr
    en = run_cli("build", str(p.root), "--build-date", BUILD_DATE.isoformat(), "--lang", "en")
    assert "error[E755]: theme template failed while rendering a page" in en.stderr
    assert "error: the site engine could not build the site" in en.stderr
    assert not re.search("[\u4e00-\u9fff]", en.stderr.replace("页脚", "")), en.stderr


def test_template_error_in_a_worker_process_keeps_its_position(
    make_project: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # entry pages are rendered in forked workers; the error must come back as positioned as in the parent
    p = _site(make_project)
    for n in range(3, 7):
        p.entry(f"e{n}", index_no=f"000000002/2024-{n:05d}", title=f"第{n}号通知", doc_number=None)
    assert not p.load().errors, p.codes()
    p.write(
        "theme/partials/copyright.html",
        '<div>\n{% if page and page.url.startswith("catalogue/") and page.url.count("/") == 2 %}\n'
        "{{ page.meta.gk.nothing.deeper }}\n{% endif %}\n</div>\n",
    )
    monkeypatch.setattr(B, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(B, "CHUNK", 1)
    with pytest.raises(B.BuildError) as info:
        B.build_site(p.load(), p.root / "site", workers=2)
    (d,) = info.value.diagnostics
    assert (d.path, d.line, d.code) == ("theme/partials/copyright.html", 3, "E755")
    assert info.value.en == "the site engine could not build the site"


def test_engine_configuration_error_is_bilingual(make_project: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    p = _site(make_project)
    real = B.engine_config

    def bad_config(*args: Any) -> dict[str, Any]:
        settings = real(*args)
        settings["theme"]["custom_dir"] = str(p.root / "no-such-theme")
        return settings

    monkeypatch.setattr(B, "engine_config", bad_config)
    error = _engine_failure(p)
    (d,) = error.diagnostics
    assert d.code == "E756"
    zh, en = render_text(list(error.diagnostics), "zh"), render_text(list(error.diagnostics), "en")
    assert "网站引擎（MkDocs）拒绝了由 site_config.yml 生成的配置" in zh
    assert "custom_dir" in zh  # the engine's own detail is kept for the report
    assert "Aborted with a configuration error!" not in zh + en + str(error)
    assert "the site engine (MkDocs) refused the configuration" in en
    assert error.en == "the site engine could not build the site"


def test_disk_full_is_a_chinese_message(make_project: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import mkdocs.commands.build

    p = _site(make_project)

    def full(*args: Any) -> None:
        raise OSError(28, "No space left on device", str(p.root / "site" / "404.html"))

    monkeypatch.setattr(mkdocs.commands.build, "_build_theme_template", full)
    error = _engine_failure(p)
    (d,) = error.diagnostics
    assert d.code == "E757" and "磁盘空间不足" in d.message("zh") and "no space left" in d.message("en")
    assert d.path.endswith("404.html")
