"""Compare the catalogue at two revisions, per item keyed by 索引号, and report it.

What is compared is the *source* — the front matter as written and the body's
lines — not the built site: an auditor reviews what the editors changed. The
report (docs/diff.md) calls out the risky changes first: 效力状况 transitions,
公开方式 changes, 索引号/URL changes (an item whose file kept its path but got a new
索引号 is the same item with a new URL, not an addition and a removal), and
publication state (``draft``, ``embargo_until``); then added, removed, renamed and
changed items with field-level old → new values, body lines added/removed,
attachments whose content changed, relation changes (new interpretations…) and
references that no longer resolve.

The changelog is built in three rooms: audit/changes.py (the types), compare.py (loading
a revision and comparing two), render.py (JSON and Markdown); this module is their
public entry point.
"""

from __future__ import annotations

from generator.audit.changes import MARKER, Changelog, ItemChange, ItemState
from generator.audit.compare import compare, load, plain
from generator.audit.render import md, show, to_json, to_markdown

__all__ = [
    "MARKER",
    "Changelog",
    "ItemChange",
    "ItemState",
    "compare",
    "load",
    "md",
    "plain",
    "show",
    "to_json",
    "to_markdown",
]
