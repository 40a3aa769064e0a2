"""The engine adds the theme's static files as MkDocs' ``Files.add_files_from_theme`` does
(generator/site/engine/themefiles.py walks past folders named ``.*``): the same files, from the
same folders, in the same order — on the shipped theme and on made-up themes that hold every
kind of path MkDocs' filter drops or keeps."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from generator.site.engine import THEME_DIR
from generator.site.engine.runtime import load_config
from generator.site.engine.themefiles import add_theme_files


def _added(settings: dict[str, Any], root: Path, ours: bool) -> list[tuple[str, str, str, str]]:
    from mkdocs.structure.files import File, Files

    config = load_config(settings, root / "mkdocs.yml")
    files = Files([])
    docs = Path(config.docs_dir)
    for path in sorted(docs.rglob("*")):  # the docs' own files first, as the engine has them
        if path.is_file():
            files.append(File(path.relative_to(docs).as_posix(), str(docs), config.site_dir, True))
    env = config.theme.get_env()
    if ours:
        add_theme_files(files, env, config)
    else:
        files.add_files_from_theme(env, config)
    return [(f.src_uri, f.abs_src_path, f.dest_uri, f.url) for f in files]


def _settings(root: Path, custom: Path | None) -> dict[str, Any]:
    docs = root / "docs"
    docs.mkdir(exist_ok=True)
    theme: dict[str, Any] = {"name": "material"}
    if custom is not None:
        theme["custom_dir"] = str(custom)
    return {"site_name": "x", "docs_dir": str(docs), "site_dir": str(root / "site"), "theme": theme}


def _same(settings: dict[str, Any], root: Path) -> list[tuple[str, str, str, str]]:
    theirs = _added(settings, root, ours=False)
    assert _added(settings, root, ours=True) == theirs
    return theirs


def test_shipped_theme_adds_what_mkdocs_adds(tmp_path: Path) -> None:
    added = _same(_settings(tmp_path, THEME_DIR), tmp_path)
    srcs = {src for src, *_ in added}
    assert any(src.startswith("assets/") for src in srcs)  # Material's and gongkai's own assets
    assert not any(src.startswith(".") or "/." in src for src in srcs)  # no icon from .icons/


def _write(root: Path, rel: str, text: str = "x") -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


MADE_UP = [
    "assets/site.css",
    "assets/.hidden.css",  # a dot file below: dropped
    ".top/kept-not.css",  # below a dot folder at the top: dropped
    "a/.deep/b/c.js",  # below a dot folder deeper down: dropped
    "a/b/.d.e/f.svg",
    ".well-known/security.txt",
    "x.py",
    "x.PYC",
    "page.html",
    "partials/y.HTML",
    "README.txt",
    "sub/ReadMe.md",
    "docs.md",
    "notes.markdown",
    "locales/zh.yml",
    "deep/locales/zh.yml",  # only locales/ at the top is dropped
    "mkdocs_theme.yml",
    "sitemap.xml",  # one of Material's static_templates
    "404.html",
    "fonts/a b.woff2",
    "中文/图标.svg",
    "a..b/c.css",
    "overridden.css",  # also in docs/: the docs' file wins
]


def test_made_up_theme_adds_what_mkdocs_adds(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    for rel in MADE_UP:
        _write(theme, rel)
    _write(tmp_path / "docs", "overridden.css")
    added = _same(_settings(tmp_path, theme), tmp_path)
    srcs = [src for src, *_ in added]
    assert "assets/site.css" in srcs and "deep/locales/zh.yml" in srcs and "中文/图标.svg" in srcs
    assert "a/.deep/b/c.js" not in srcs and "assets/.hidden.css" not in srcs
    assert srcs.count("overridden.css") == 1  # from docs/


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_links_in_a_theme_are_walked_as_mkdocs_walks_them(tmp_path: Path) -> None:
    theme, elsewhere = tmp_path / "theme", tmp_path / "elsewhere"
    _write(elsewhere, "linked.css")
    _write(elsewhere, ".hidden/also.css")
    _write(theme, "assets/own.css")
    (theme / "linked-dir").symlink_to(elsewhere, target_is_directory=True)  # not followed by either
    (theme / "assets" / "file-link.css").symlink_to(elsewhere / "linked.css")
    _same(_settings(tmp_path, theme), tmp_path)


def test_a_theme_folder_shadows_material_files_as_in_mkdocs(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    _write(theme, "assets/javascripts/bundle.x.min.js")  # may also exist in Material: the first folder wins
    _write(theme, "assets/stylesheets/extra.css")
    _same(_settings(tmp_path, theme), tmp_path)


def test_a_loader_of_another_kind_gets_mkdocs_own_method(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2
    from mkdocs.structure.files import Files

    config = load_config(_settings(tmp_path, None), tmp_path / "mkdocs.yml")
    env = config.theme.get_env()
    env.loader = jinja2.ChoiceLoader([env.loader])  # type: ignore[list-item]
    called: list[bool] = []
    original = Files.add_files_from_theme

    def spy(self: Files, *args: Any) -> None:
        called.append(True)
        original(self, *args)

    monkeypatch.setattr(Files, "add_files_from_theme", spy)
    files = Files([])
    add_theme_files(files, env, config)
    assert called and len(files) > 0
