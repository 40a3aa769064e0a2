"""Stale search scripts: a browser that kept an older engine.js never reads a newer index
wrongly. The page's script URLs carry the SHA-256 of each script's bytes (``?v=``), and
engine.js refuses an index whose ``manifest.format`` is not the one it reads."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

from generator.search.index import FORMAT_VERSION
from generator.site import search as S
from generator.site.engine.config import SEARCH_SCRIPTS, VERSION_CHARS, asset_versions
from generator.site.themes import THEME_DIR
from tests.search_helpers import JS_DIR, node_json

STALE_RUNNER = Path(__file__).parent / "js" / "stale.js"
SCRIPT_SRC = re.compile(r'<script src="([^"]+)" defer></script>')


def _srcs(html: str) -> list[str]:
    return SCRIPT_SRC.findall(html)


def test_engine_reads_the_format_the_index_writes() -> None:
    source = (JS_DIR / "engine.js").read_text(encoding="utf-8")
    found = re.findall(r"var FORMAT = (\d+);", source)
    assert found == [str(FORMAT_VERSION)]


def test_the_version_changes_with_the_bytes_and_only_with_them(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(THEME_DIR, theme)
    first = asset_versions(theme)
    assert set(SEARCH_SCRIPTS) <= set(first)
    assert asset_versions(theme) == first  # stable: same bytes, same URLs
    for rel in first:
        if rel == SEARCH_SCRIPTS[0]:
            continue  # lunr.js: MkDocs' own, whatever the theme holds (write_scripts)
        path = theme / rel
        old = path.read_bytes()
        path.write_bytes(old + b"\n/* next release */\n")
        now = asset_versions(theme)
        assert now[rel] != first[rel], rel
        assert {k: v for k, v in now.items() if k != rel} == {k: v for k, v in first.items() if k != rel}, rel
        path.write_bytes(old)
        assert asset_versions(theme) == first, rel  # back to the same bytes: back to the same URL
        os.utime(path, (1, 1))  # another time alone changes nothing
        assert asset_versions(theme) == first, rel


def test_the_built_page_names_the_scripts_it_ships(sample_site: Path) -> None:
    html = (sample_site / "search" / "index.html").read_text(encoding="utf-8")
    srcs = _srcs(html)
    assert [s.split("?")[0].rsplit("/", 1)[1] for s in srcs] == list(S.SCRIPTS)
    for src in srcs:
        path, _, version = src.partition("?v=")
        data = (sample_site / "search" / path).resolve().read_bytes()
        assert version == hashlib.sha256(data).hexdigest()[:VERSION_CHARS], src


def _stale(site: Path, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    js = site / "assets" / "javascripts" / "search"
    return list(node_json([str(STALE_RUNNER), str(js), str(site / "search")], cases))


def test_engine_refuses_an_index_of_another_format(sample_site: Path) -> None:
    manifest = json.loads((sample_site / "search" / "manifest.json").read_text(encoding="utf-8"))
    words = "政府 信息"
    own = {k: v for k, v in manifest.items()}
    cases: list[dict[str, Any]] = [{"manifest": None, "query": words}]
    formats: list[Any] = [FORMAT_VERSION - 1, FORMAT_VERSION + 1, str(FORMAT_VERSION), None, 0]
    for fmt in formats:
        other = dict(own)
        if fmt is None:
            del other["format"]
        else:
            other["format"] = fmt
        cases.append({"manifest": other, "query": words})
    got = _stale(sample_site, cases)
    assert got[0]["ok"] is True and got[0]["again"] is True  # the index's own manifest: searched
    assert got[0]["hits"] and "facets.json" in got[0]["loaded"]
    assert got[0]["engineFormat"] == FORMAT_VERSION
    for case, row in zip(cases[1:], got[1:], strict=True):
        fmt = case["manifest"].get("format")
        assert row["ok"] is False and row["stale"] is True, fmt
        assert row["format"] == fmt
        assert row["again"] == "stale", fmt  # asked again: refused again, nothing computed
        assert row["loaded"] == [], fmt  # not one file of the index read with the wrong format
