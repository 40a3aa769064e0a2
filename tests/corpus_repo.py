"""What the incremental-build tests share: a generated project on disk and whole-tree comparison."""

from __future__ import annotations

import re
from pathlib import Path


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def field_of(text: str, name: str) -> str:
    found = re.search(rf"^{name}: (.+)$", text, re.M)
    assert found, name
    return found.group(1)


class CorpusRepo:
    """A project made by bench/make_corpus.py: its sources found by kind and by 索引号."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def files(self) -> list[Path]:
        return sorted((self.root / "catalogue").rglob("*.md"))

    def interpretations(self) -> list[Path]:
        return sorted((self.root / "content" / "interpretations").rglob("*.md"))

    def entry(self, index_no: str) -> Path:
        return next(p for p in self.files() if f"index_no: {index_no}\n" in p.read_text(encoding="utf-8"))

    def mentioned(self) -> set[str]:
        """Every 索引号 that some file names besides its own."""
        out: set[str] = set()
        for path in [*self.files(), *self.interpretations()]:
            text = path.read_text(encoding="utf-8")
            own = field_of(text, "index_no")
            out |= {n for n in re.findall(r"\d{9}/\d{4}-\d{5}", text) if n != own}
        return out
