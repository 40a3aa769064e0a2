"""Diagnostics: one record per problem, a stable code, bilingual messages.

Every stage (reading, checking, building) reports problems as :class:`Diagnostic`
values; nothing raises for a content problem. Messages live in :data:`MESSAGES`,
keyed by code, so that the documentation can list every code (tests/test_docs.py keeps
docs/schema.md in step) and tests can assert exact text.

This is the lowest layer of the package (see docs/architecture.md): it imports only the
standard library, never another ``generator`` module, so every room may use it.

Modules:

- ``message``: :class:`Severity` and :class:`Message` (a code's zh/en text and hints).
- ``messages_source``: reading, schema, dates, identifiers, vocabularies, references,
  attachments (E0xx–E6xx).
- ``messages_site``: privacy (E8xx), configuration (E70x), theme/engine/installation and
  ``gongkai init`` (E75x–E76x), import (E9xx).
- ``messages_warnings``: every warning (Wxxx).
- ``catalogue``: :data:`MESSAGES`, the three parts joined in documentation order.
- ``core``: :class:`Diagnostic`, :func:`diag`, sorting, summaries, text and JSON output.

A new code goes at the end of its range's part (and of its section in docs/schema.md).
"""

from __future__ import annotations

from generator.diagnostics.catalogue import MESSAGES
from generator.diagnostics.core import (
    HINT_WORD,
    Diagnostic,
    diag,
    render_json,
    render_text,
    sort_diagnostics,
    summary,
)
from generator.diagnostics.message import Message, Severity

__all__ = [
    "HINT_WORD",
    "MESSAGES",
    "Diagnostic",
    "Message",
    "Severity",
    "diag",
    "render_json",
    "render_text",
    "sort_diagnostics",
    "summary",
]
