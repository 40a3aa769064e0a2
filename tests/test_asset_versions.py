"""Every script and stylesheet a page loads by a fixed name carries ``?v=`` and the start of
the SHA-256 of the very bytes the site serves under that name.

Material names its own files by their hash (``bundle.<hash>.min.js``); gongkai's files
(gongkai.css, gongkai.js, the search scripts, Material's inline scripts moved into files)
keep their names, so a browser that cached one of an older release — or of the site's own
``theme/`` before an edit — would run it with the new pages. The version in the URL is the
cure; these tests check it page by page against the files, for the sample site and for a
site whose theme overrides some of them.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path
from typing import Any

from generator.site.engine.config import (
    SEARCH_SCRIPTS,
    STYLES,
    TEMPLATE_ASSETS,
    VERSION_CHARS,
    asset_versions,
    lunr_js_path,
)
from generator.site.themes import THEME_DIR

REF = re.compile(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"#]+)"')
NAMED_BY_HASH = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)$")  # Material's own


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:VERSION_CHARS]


def fixed_name_refs(site: Path) -> list[tuple[str, str, str]]:
    """(page, asset path in the site, query) of every local .js/.css a page loads whose name
    does not carry its hash."""
    found: list[tuple[str, str, str]] = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        for url in REF.findall(page.read_text(encoding="utf-8")):
            if "://" in url or url.startswith(("data:", "//")):
                continue
            path, _, query = url.partition("?")
            if not path.endswith((".js", ".css")) or NAMED_BY_HASH.search(path):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
            found.append((rel, target, query))
    return found


def assert_versioned(site: Path) -> int:
    refs = fixed_name_refs(site)
    for page, target, query in refs:
        file = site / target
        assert file.is_file(), (page, target)
        assert query == f"v={_sha(file.read_bytes())}", (page, target, query)
    return len(refs)


def test_every_fixed_name_asset_of_the_sample_carries_its_hash(sample_site: Path) -> None:
    assert assert_versioned(sample_site) > 100
    targets = {target for _, target, _ in fixed_name_refs(sample_site)}
    # each of the theme's own files is loaded somewhere (a name dropped from the lists would go unversioned)
    assert {*STYLES, *TEMPLATE_ASSETS, *SEARCH_SCRIPTS, "assets/javascripts/gongkai.js"} <= targets


def test_an_overridden_asset_carries_the_hash_of_the_site_s_file(make_project: Any) -> None:
    p = make_project()
    p.entry()
    shipped = asset_versions(THEME_DIR)
    p.write("theme/assets/stylesheets/gongkai.css", "/* 本站样式 第一版 */\n")
    p.write("theme/assets/javascripts/md-base.js", "/* 本站脚本 */\n")
    p.write("theme/assets/javascripts/search/search.js", "/* 本站检索脚本 */\n")
    site = p.build()
    assert assert_versioned(site)
    index = (site / "index.html").read_text(encoding="utf-8")
    first = _sha("/* 本站样式 第一版 */\n".encode())
    assert f"gongkai.css?v={first}" in index and first != shipped["assets/stylesheets/gongkai.css"]
    own_script = _sha("/* 本站脚本 */\n".encode())
    assert f"md-base.js?v={own_script}" in index
    assert f"search.css?v={shipped['assets/stylesheets/search.css']}" in index  # not overridden: shipped bytes
    search = (site / "search" / "index.html").read_text(encoding="utf-8")
    assert f"search/search.js?v={_sha('/* 本站检索脚本 */'.encode() + bytes([10]))}" in search
    assert f"search/engine.js?v={shipped['assets/javascripts/search/engine.js']}" in search
    # an edit of the override: every page of the next (cached) build names the new bytes
    p.write("theme/assets/stylesheets/gongkai.css", "/* 本站样式 第二版 */\n")
    p.build()
    assert assert_versioned(site)
    assert first not in "".join(page.read_text(encoding="utf-8") for page in site.rglob("*.html"))


def test_the_versions_are_those_of_the_shipped_files() -> None:
    versions = asset_versions(THEME_DIR)
    for rel, version in versions.items():
        file = lunr_js_path() if rel == SEARCH_SCRIPTS[0] else THEME_DIR / rel  # lunr.js: MkDocs' own
        assert version == _sha(file.read_bytes()), rel
    assert len(set(versions.values())) == len(versions)  # distinct files, distinct versions
