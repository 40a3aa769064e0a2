"""Progress of long builds on a terminal: phase, count, rate and ETA on one line of stderr.

Silent when stderr is not a terminal, when ``CI`` is set to a true value, or when
the command was given ``--quiet``; a silent :class:`Progress` costs nothing.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

LABELS = {
    "zh": {"rate": "个/秒", "eta": "剩余", "s": "秒"},
    "en": {"rate": "/s", "eta": "ETA", "s": "s"},
}


class Progress:
    def __init__(self, enabled: bool = False, stream: TextIO | None = None, lang: str = "zh") -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.words = LABELS.get(lang, LABELS["zh"])
        self.name = ""
        self.total: int | None = None
        self.count = 0
        self.started = self.shown = 0.0

    @classmethod
    def for_terminal(cls, quiet: bool = False, lang: str = "zh", stream: TextIO | None = None) -> Progress:
        stream = stream or sys.stderr
        ci = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
        return cls(not quiet and not ci and stream.isatty(), stream, lang)

    def phase(self, name: str, total: int | None = None) -> None:
        self.name, self.total, self.count = name, total, 0
        self.started = time.monotonic()
        self.shown = 0.0
        self._show(force=True)

    def advance(self, n: int = 1) -> None:
        self.count += n
        self._show()

    def close(self) -> None:
        if self.enabled and self.name:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        self.name = ""

    def line(self) -> str:
        """The text shown now, e.g. ``生成页面 3,200/12,345（26%）812 个/秒 剩余 11 秒``."""
        w = self.words
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.count / elapsed
        if self.total:
            text = f"{self.name} {self.count:,}/{self.total:,}（{self.count * 100 // self.total}%）"
        else:
            text = f"{self.name} {self.count:,}"
        if self.count and elapsed >= 0.5:
            text += f" {rate:,.0f} {w['rate']}"
            if self.total and self.count < self.total:
                text += f" {w['eta']} {(self.total - self.count) / rate:,.0f} {w['s']}"
        return text

    def _show(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.shown < 0.1:
            return
        self.shown = now
        self.stream.write("\r\x1b[K" + self.line())
        self.stream.flush()
