"""A decoded source file: front-matter values with the position of every node, the body,
and the diagnostics found reading it; the reader's size and shape limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostic

# Key paths: a tuple of mapping keys and list indexes from the root.
KeyPath = tuple[str | int, ...]
Pos = tuple[int, int]

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_LINE_CHARS = 100_000
MAX_DEPTH = 20
MAX_NODES = 10_000
MAX_CONTROL_REPORTS = 5


@dataclass(frozen=True)
class YamlDate:
    """An unquoted YAML timestamp, kept verbatim for validation by the checks."""

    text: str


@dataclass
class SourceFile:
    """A decoded file: front matter values with positions, and the body text."""

    path: str
    data: dict[str, Any] | None = None
    body: str = ""
    body_line: int = 1
    raw_front_matter: str = ""
    positions: dict[KeyPath, Pos] = field(default_factory=dict)
    key_positions: dict[KeyPath, Pos] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def pos(self, path: KeyPath) -> Pos:
        """Position of the value at ``path``, or of its nearest known ancestor."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def key_pos(self, path: KeyPath) -> Pos:
        return self.key_positions.get(path) or self.pos(path)
