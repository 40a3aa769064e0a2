"""Which bodies the build cache keeps: those Python-Markdown renders, not plain ones.

A plain body (generator/site/plainbody.py) costs less to render again than to store: it is
never written to the cache nor read from it. A body that takes the full path is stored once
and read back by the next renderer with the same code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.site.body import BodyRenderer
from generator.site.cache import BuildCache
from generator.site.plainbody import render_plain

PLAIN = "## 一、总体要求\n\n正文。\n\n1. 甲\n2. 乙"
FULL = "正文有**加粗**和[链接](https://example.gov.cn/)。\n\n> 引用"


def stored(root: Path) -> list[Path]:
    return sorted(p for p in (root / "v1" / "body").rglob("*") if p.is_file()) if (root / "v1").exists() else []


def test_a_plain_body_is_rendered_and_not_stored(tmp_path: Path) -> None:
    assert render_plain(PLAIN) is not None
    renderer = BodyRenderer(BuildCache(tmp_path))
    assert renderer.render(PLAIN) == BodyRenderer().render_markdown(PLAIN)
    assert stored(tmp_path) == []
    assert renderer.cache is not None and "body" not in renderer.cache.used


def test_a_full_path_body_is_stored_and_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert render_plain(FULL) is None
    expected = BodyRenderer().render_markdown(FULL)
    first = BodyRenderer(BuildCache(tmp_path))
    assert first.render(FULL) == expected
    files = stored(tmp_path)
    assert len(files) == 1 and files[0].read_text(encoding="utf-8") == expected

    def fail(*args: object, **kwargs: object) -> str:
        raise AssertionError("rendered again instead of read from the cache")

    monkeypatch.setattr(BodyRenderer, "render_markdown", fail)
    second = BodyRenderer(BuildCache(tmp_path))
    assert second.render(FULL) == expected
    assert second.cache is not None and second.cache.used["body"] == {files[0].name}
