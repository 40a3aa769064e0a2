"""The two small types every catalogue module and :mod:`generator.diagnostics.core` share."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Message:
    zh: str
    en: str
    hint_zh: str = ""
    hint_en: str = ""
