"""The on-disk build cache (``.gongkai-cache/``), content-addressed.

An entry is stored under the SHA-256 of *everything* that decides its bytes: for a
rendered Markdown body, the body text and the renderer's code and versions; for a
finished HTML page, the page's URL, metadata and content and the engine's
fingerprint (settings, package versions, engine code, theme files). A hit can
therefore only return what rendering would have produced; a stale entry is never
looked up again and is pruned after the next successful build. Deleting the folder
is always safe.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

CACHE_DIR = ".gongkai-cache"
LAYOUT = "v1"


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class BuildCache:
    """Files ``<root>/<kind>/<key[:2]>/<key>``; writes are atomic (temporary file + rename)."""

    def __init__(self, root: Path) -> None:
        self.root = root / LAYOUT
        self.used: dict[str, set[str]] = {}

    def path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / key

    def get(self, kind: str, key: str) -> bytes | None:
        self.used.setdefault(kind, set()).add(key)
        try:
            return self.path(kind, key).read_bytes()
        except OSError:
            return None

    def put(self, kind: str, key: str, data: bytes) -> None:
        self.used.setdefault(kind, set()).add(key)
        path = self.path(kind, key)
        tmp = path.with_name(f".{key}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(data)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
        os.replace(tmp, path)

    def copy(self, kind: str, key: str, dest: Path) -> bool:
        """Copy a stored entry to ``dest``; ``False`` when there is none."""
        self.used.setdefault(kind, set()).add(key)
        try:
            shutil.copyfile(self.path(kind, key), dest)
        except FileNotFoundError:
            if not self.path(kind, key).is_file():
                return False
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.path(kind, key), dest)
        return True

    def prune(self, used: dict[str, set[str]]) -> int:
        """Delete entries of the given kinds that the last build did not use; return how many."""
        removed = 0
        for kind, keep in used.items():
            folder = self.root / kind
            if not folder.is_dir():
                continue
            for sub in folder.iterdir():
                for path in sub.iterdir():
                    if path.name not in keep:
                        path.unlink(missing_ok=True)
                        removed += 1
        return removed
