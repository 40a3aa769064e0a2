"""The message catalogue: code -> bilingual templates, in documentation order.

Parameters are filled with ``str.format_map`` (a missing one becomes empty). The parts are
kept by code range (see the package docstring); a new code goes at the end of its range.
"""

from __future__ import annotations

from generator.diagnostics.message import Message
from generator.diagnostics.messages_site import SITE
from generator.diagnostics.messages_source import SOURCE
from generator.diagnostics.messages_warnings import WARNINGS

MESSAGES: dict[str, Message] = {**SOURCE, **SITE, **WARNINGS}
