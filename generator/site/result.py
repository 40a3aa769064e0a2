"""What a build returns (:class:`BuildStats`) or raises (:class:`BuildError`)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.diagnostics import Diagnostic


class BuildError(Exception):
    """The build failed; the previous site is untouched. May carry positioned diagnostics."""

    def __init__(self, message: str, diagnostics: tuple[Diagnostic, ...] = (), en: str = "") -> None:
        super().__init__(message)
        self.diagnostics = diagnostics
        self.en = en  # the message in English (--lang en), when there is one

    def __reduce__(self) -> tuple[type[BuildError], tuple[str, tuple[Diagnostic, ...], str]]:
        return (type(self), (str(self), self.diagnostics, self.en))  # keep all three across worker processes


@dataclass(frozen=True)
class BuildStats:
    entries: int
    interpretations: int
    pages: int
    warnings: tuple[str, ...] = ()
    reused: int = 0  # pages taken from the build cache
    placed: int = 0  # of these, pages placed through their input key without being built (incremental.py)
    unchanged: bool = False  # the inputs were those of the site already in place: nothing was written
