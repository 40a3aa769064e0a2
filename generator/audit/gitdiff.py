"""The catalogue's source files at a git revision, or in the working tree.

Revisions are read with git's plumbing (``git rev-parse``, ``git ls-tree``,
``git cat-file --batch``): nothing is checked out and the working tree is never
touched, so ``gongkai diff`` is safe to run in an editor's clone or in CI.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.source.files import CATALOGUE_DIR, CONTENT_DIR, discover, kind_of


class GitError(Exception):
    """git is missing, the folder is not in a repository, or a revision does not exist."""


@dataclass
class Snapshot:
    """Markdown sources (project-relative path → bytes) and a reader for any other file."""

    label: str  # what to call it in a report: "HEAD~1（1a2b3c4）" or "工作区"
    rev: str | None  # as given on the command line; None for the working tree
    commit: str | None  # full commit id; None for the working tree
    sources: dict[str, bytes]
    reader: Callable[[str], bytes | None] = field(repr=False)
    blobs: dict[str, str] | None = field(default=None, repr=False)  # path -> git object id, for revisions
    _cache: dict[str, bytes | None] = field(default_factory=dict, repr=False)
    # Hashing a file never holds it whole (a 2.5 GB video): (size, chunks) from the tree or from git.
    stream: Callable[[str], tuple[int, Iterator[bytes]] | None] | None = field(default=None, repr=False)

    def read(self, rel: str) -> bytes | None:
        """Any file of the project by path, ``None`` when it does not exist."""
        if rel not in self._cache:
            self._cache[rel] = self.reader(rel)
        return self._cache[rel]

    def blob_id(self, rel: str) -> str | None:
        """git's object id of a file (computed for the working tree); ``None`` when it is missing."""
        if self.blobs is not None:
            return self.blobs.get(rel)
        return self._hash(rel, "sha1")

    def sha256(self, rel: str) -> str | None:
        return self._hash(rel, "sha256")

    def _hash(self, rel: str, kind: str) -> str | None:
        opened = self.stream(rel) if self.stream is not None else None
        if opened is None:
            data = self.read(rel)
            opened = None if data is None else (len(data), iter((data,)))
        if opened is None:
            return None
        size, chunks = opened
        h = hashlib.sha1(b"blob %d\0" % size) if kind == "sha1" else hashlib.sha256()
        for chunk in chunks:
            h.update(chunk)
        return h.hexdigest()


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            yield chunk


def _git_chunks(root: Path, sha: str) -> Iterator[bytes]:
    with subprocess.Popen(["git", "-C", str(root), "cat-file", "blob", sha], stdout=subprocess.PIPE) as proc:
        assert proc.stdout is not None
        while chunk := proc.stdout.read(1 << 20):
            yield chunk


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise GitError("找不到 git 命令") from exc
    if result.returncode != 0:
        raise GitError(result.stderr.decode("utf-8", errors="replace").strip() or f"git {args[0]} failed")
    return result.stdout


def resolve(root: Path, rev: str) -> str:
    """The full commit id of ``rev``; :class:`GitError` when it is not a commit here."""
    if rev.startswith("-"):
        raise GitError(f"无效的版本：{rev}")
    try:
        return git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}").decode().strip()
    except GitError as exc:
        raise GitError(f"找不到版本 {rev}") from exc


def _wanted(rel: str) -> bool:
    parts = rel.split("/")
    return rel.endswith(".md") and kind_of(rel) is not None and not any(p.startswith(".") for p in parts)


def revision(root: Path, rev: str) -> Snapshot:
    """The project's sources at ``rev`` (any commit-ish git understands)."""
    commit = resolve(root, rev)
    listing = git(root, "ls-tree", "-r", "-z", commit, "--", CATALOGUE_DIR, CONTENT_DIR)
    blobs: dict[str, str] = {}
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, kind, sha = meta.decode().split(" ")
        if kind == "blob" and mode in ("100644", "100755"):
            blobs[path.decode("utf-8", errors="surrogateescape")] = sha
    wanted = sorted(p for p in blobs if _wanted(p))
    contents = cat_blobs(root, [blobs[p] for p in wanted])
    sources = {p: contents[blobs[p]] for p in wanted}

    def reader(rel: str) -> bytes | None:
        sha = blobs.get(rel)
        return cat_blobs(root, [sha])[sha] if sha else None

    def stream(rel: str) -> tuple[int, Iterator[bytes]] | None:
        sha = blobs.get(rel)
        if not sha:
            return None
        return int(git(root, "cat-file", "-s", sha)), _git_chunks(root, sha)

    named_by_id = re.fullmatch(r"[0-9a-fA-F]{7,40}", rev) and commit.startswith(rev.lower())
    label = commit[:7] if named_by_id else f"{rev}（{commit[:7]}）"
    return Snapshot(label, rev, commit, sources, reader, blobs, stream=stream)


def cat_blobs(root: Path, shas: list[str]) -> dict[str, bytes]:
    """Read many blobs with one ``git cat-file --batch``."""
    unique = list(dict.fromkeys(shas))
    if not unique:
        return {}
    out = git(root, "cat-file", "--batch", stdin=("\n".join(unique) + "\n").encode())
    found: dict[str, bytes] = {}
    pos = 0
    for sha in unique:
        end = out.index(b"\n", pos)
        header = out[pos:end].decode().split(" ")
        if len(header) != 3:  # "<sha> missing"
            raise GitError(f"git 对象 {sha} 不存在")
        size = int(header[2])
        found[sha] = out[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1
    return found


def worktree(root: Path) -> Snapshot:
    """The project's sources as they are on disk now (committed or not)."""
    sources = {ref.rel: (root / ref.rel).read_bytes() for ref in discover(root) if not ref.outside}
    base = root.resolve()

    def reader(rel: str) -> bytes | None:
        path = (root / rel).resolve()
        if not path.is_relative_to(base) or not path.is_file():
            return None
        return path.read_bytes()

    def stream(rel: str) -> tuple[int, Iterator[bytes]] | None:
        path = (root / rel).resolve()
        if not path.is_relative_to(base) or not path.is_file():
            return None
        return path.stat().st_size, _file_chunks(path)

    return Snapshot("工作区", None, None, sources, reader, stream=stream)


def snapshot(root: Path, rev: str | None) -> Snapshot:
    return worktree(root) if rev is None else revision(root, rev)
