"""Stale search scripts: a browser that kept an older engine.js never reads a newer index
wrongly. The page's script URLs carry the SHA-256 of each script's bytes (``?v=``), and
engine.js refuses an index whose ``manifest.format`` is not the one it reads."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.model.catalogue import Catalogue
from generator.model.siteconfig import SiteConfig
from generator.search.index import FORMAT_VERSION
from generator.site import search as S
from tests.search_helpers import JS_DIR, node_json

STALE_RUNNER = Path(__file__).parent / "js" / "stale.js"
SCRIPT_SRC = re.compile(r'<script src="([^"]+)" defer></script>')


def _cat() -> Catalogue:
    return Catalogue(config=SiteConfig(), entries={}, interpretations={})


def _srcs(html: str) -> list[str]:
    return SCRIPT_SRC.findall(html)


def test_engine_reads_the_format_the_index_writes() -> None:
    source = (JS_DIR / "engine.js").read_text(encoding="utf-8")
    found = re.findall(r"var FORMAT = (\d+);", source)
    assert found == [str(FORMAT_VERSION)]


def test_every_search_script_url_carries_the_hash_of_its_bytes() -> None:
    srcs = _srcs(S.search_html(_cat()))
    assert len(srcs) == len(S.SCRIPTS)
    for name, src in zip(S.SCRIPTS, srcs, strict=True):
        path, _, version = src.partition("?v=")
        assert path == f"../{S.SCRIPTS_DIR}/{name}"
        data = S.script_sources()[name].read_bytes()
        assert version == hashlib.sha256(data).hexdigest()[: S.VERSION_CHARS]


def test_the_version_changes_with_the_bytes_and_only_with_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {name: tmp_path / name for name in S.SCRIPTS}
    for name, path in files.items():
        path.write_text(f"/* {name} */\n", encoding="utf-8")
    monkeypatch.setattr(S, "script_sources", lambda: dict(files))
    first = _srcs(S.search_html(_cat()))
    assert _srcs(S.search_html(_cat())) == first  # stable: same bytes, same URLs
    for k, name in enumerate(S.SCRIPTS):
        files[name].write_text(f"/* {name}, next release */\n", encoding="utf-8")
        now = _srcs(S.search_html(_cat()))
        assert now[k] != first[k], name
        assert now[:k] + now[k + 1 :] == first[:k] + first[k + 1 :], name  # the others keep theirs
        files[name].write_text(f"/* {name} */\n", encoding="utf-8")
        assert _srcs(S.search_html(_cat())) == first  # back to the same bytes: back to the same URL
        files[name].touch()  # a newer time alone changes nothing
        assert _srcs(S.search_html(_cat())) == first


def test_the_built_page_names_the_scripts_it_ships(sample_site: Path) -> None:
    html = (sample_site / "search" / "index.html").read_text(encoding="utf-8")
    srcs = _srcs(html)
    assert [s.split("?")[0].rsplit("/", 1)[1] for s in srcs] == list(S.SCRIPTS)
    for src in srcs:
        path, _, version = src.partition("?v=")
        data = (sample_site / "search" / path).resolve().read_bytes()
        assert version == hashlib.sha256(data).hexdigest()[: S.VERSION_CHARS], src


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
