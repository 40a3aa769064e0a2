"""Shared by the search tests: run the real engine.js in node over a built site."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.search.compact import ref_of
from tests.conftest import REPO

JS_DIR = REPO / "theme" / "assets" / "javascripts" / "search"
QUERY_RUNNER = Path(__file__).parent / "js" / "query.js"
CJK_RUN = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af]{2,}")
BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|tr|td|th|table|thead|tbody|h[1-6]|br|hr|section|blockquote|pre|dt|dd)\b[^>]*>"
)
TAG = re.compile(r"<[^>]+>")


def node() -> str:
    path = shutil.which("node") or "/usr/bin/node"
    if not Path(path).exists():
        pytest.fail("node is required for the search tests")
    return path


def node_json(args: list[str], data: Any, timeout: int = 300) -> Any:
    """Run node with ``args`` and ``data`` as JSON on its standard input; its output read as JSON."""
    result = subprocess.run(
        [node(), *args],
        input=json.dumps(data, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=True,
    )
    return json.loads(result.stdout)


def run_queries(site: Path, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run engine.js (with the lunr.js copied into the site) over ``queries``."""
    js = site / "assets" / "javascripts" / "search"
    return list(node_json([str(QUERY_RUNNER), str(js), str(site / "search")], queries))


def documents(site: Path) -> dict[str, dict[str, Any]]:
    """ref → what the result shows (docs/<g>.json holds documents g·n … g·n+n-1)."""
    folder = site / "search"
    if not (folder / "manifest.json").is_file():
        return {}
    per = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["docsPerFile"]
    out = {}
    for path in (folder / "docs").glob("*.json"):
        for k, doc in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            out[ref_of(int(path.stem) * per + k)] = doc
    return out


def visible_text(fragment: str) -> str:
    """Text as a reader sees it: block elements separate, inline markup does not."""
    return html.unescape(TAG.sub("", BLOCK_TAG.sub("\n", fragment)))


def page_parts(site: Path, url: str) -> tuple[str, str]:
    """(title, body text) of a built entry or interpretation page."""
    page = (site / url / "index.html").read_text(encoding="utf-8")
    title = visible_text(re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1))  # type: ignore[union-attr]
    start = page.find('<div class="gk-body">')
    if start < 0:
        return title, ""
    rest = page[start:]
    ends = [i for i in (rest.find('<section class="gk-'), rest.find("</article>")) if i > 0]
    return title, visible_text(rest[: min(ends)] if ends else rest)
