"""The engine's shortcut past MkDocs' set_exclusions (fast._included_by_default) includes no
file that MkDocs' own default exclusions would exclude, and clears ordinary page paths."""

from __future__ import annotations

from typing import Any

from mkdocs.structure import files as F

from generator.site.engine.fast import _included_by_default

PATHS = [
    "index.md",
    "catalogue/index.md",
    "catalogue/2024/gk-2024-0001/index.md",
    "topics/教育/index.md",
    "a.b/index.md",
    "x/templates/index.md",
    "templatesx/index.md",
    ".hidden/index.md",
    "a/.b/index.md",
    "a/b/.index.md",
    ".index.md",
    "templates/index.md",
    "templates/x/index.md",
    "/templates/index.md",
    "a\\.b/index.md",
    "a/..b/index.md",
]


def _config(**settings: Any) -> Any:
    return {"exclude_docs": None, "draft_docs": None, "not_in_nav": None, **settings}


def test_a_path_the_shortcut_includes_is_not_excluded_by_mkdocs() -> None:
    included = _included_by_default(_config())
    assert included is not None
    cleared = [p for p in PATHS if included(p)]
    assert "catalogue/2024/gk-2024-0001/index.md" in cleared and "topics/教育/index.md" in cleared
    assert ".hidden/index.md" not in cleared and "templates/x/index.md" not in cleared
    for path in cleared:
        assert not F._default_exclude.match_file(path), path
    assert included.level == F.InclusionLevel.INCLUDED


def test_no_shortcut_with_patterns_of_the_site() -> None:
    for name in ("exclude_docs", "draft_docs", "not_in_nav"):
        assert _included_by_default(_config(**{name: F._default_exclude})) is None
