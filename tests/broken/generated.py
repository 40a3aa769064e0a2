"""Broken inputs made at test time: big files, symbolic links, special files.

Each function installs its case into a fresh project root. The expectations for
these cases are in expectations.tsv like the others.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent
VALID = (HERE / "files" / "valid_bom.md").read_bytes()[3:].decode("utf-8")


def _write(root: Path, rel: str, content: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def _outside(root: Path, name: str, content: str) -> Path:
    """A file next to the project, outside the repository."""
    return _write(root.parent, f"outside-{root.name}/{name}", content)


def line_2mb(root: Path) -> None:
    _write(root, "catalogue/line_2mb.md", VALID.replace("正文。", "很长的一行" * 140_000))


def file_5mb(root: Path) -> None:
    _write(root, "catalogue/file_5mb.md", VALID + "正文段落。\n\n" * 300_000)


def entries_10k_in_one_file(root: Path) -> None:
    parts = [VALID.replace("2024-00001", f"2024-{n:05d}") for n in range(1, 10_001)]
    _write(root, "catalogue/entries_10k_in_one_file.md", "".join(parts))


def entries_10k_as_yaml_list(root: Path) -> None:
    item = "- {index_no: 000000002/2024-%05d, title: 通知, publisher: office, published_date: 2024-03-05}\n"
    _write(root, "catalogue/entries_10k_as_yaml_list.md", "---\n" + "".join(item % n for n in range(10_000)) + "---\n")


def deep_nesting_flow(root: Path) -> None:
    _write(root, "catalogue/deep_nesting_flow.md", "---\nabstract: " + "[" * 10_000 + "]" * 10_000 + "\n---\n")


def deep_nesting_block(root: Path) -> None:
    lines = "".join("  " * i + f"k{i}:\n" for i in range(500))
    _write(root, "catalogue/deep_nesting_block.md", "---\n" + lines + "---\n")


def symlink_file_outside(root: Path) -> None:
    target = _outside(root, "secret.md", VALID)
    (root / "catalogue").mkdir(parents=True, exist_ok=True)
    os.symlink(target, root / "catalogue" / "symlink_file_outside.md")


def symlink_dir_outside(root: Path) -> None:
    target = _outside(root, "secret.md", VALID).parent
    (root / "catalogue").mkdir(parents=True, exist_ok=True)
    os.symlink(target, root / "catalogue" / "symlink_dir_outside")


def symlink_dangling(root: Path) -> None:
    (root / "catalogue").mkdir(parents=True, exist_ok=True)
    os.symlink(root / "catalogue" / "gone.md", root / "catalogue" / "symlink_dangling.md")


def symlink_loop(root: Path) -> None:
    (root / "catalogue").mkdir(parents=True, exist_ok=True)
    os.symlink("symlink_loop.md", root / "catalogue" / "symlink_loop.md")


def named_pipe(root: Path) -> None:
    """Reading a FIFO blocks forever: it must be reported, never opened."""
    (root / "catalogue").mkdir(parents=True, exist_ok=True)
    os.mkfifo(root / "catalogue" / "named_pipe.md")


def _attaching(file: str) -> str:
    return VALID.replace(
        "disclosure: 主动公开\n", f"disclosure: 主动公开\nattachments:\n  - {{title: 附件, file: {file}}}\n"
    )


def attachment_symlink_outside(root: Path) -> None:
    target = _outside(root, "passwords.txt", "root:x:0:0\n")
    _write(root, "catalogue/attachment_symlink_outside.md", _attaching("files/passwords.txt"))
    (root / "catalogue" / "files").mkdir(parents=True, exist_ok=True)
    os.symlink(target, root / "catalogue" / "files" / "passwords.txt")


def attachment_symlink_to_config(root: Path) -> None:
    """A link that stays in the repository but leaves catalogue/: would publish site_config.yml."""
    _write(root, "catalogue/attachment_symlink_to_config.md", _attaching("files/config.txt"))
    (root / "catalogue" / "files").mkdir(parents=True, exist_ok=True)
    os.symlink("../../site_config.yml", root / "catalogue" / "files" / "config.txt")


GENERATED: dict[str, Callable[[Path], None]] = {
    f.__name__: f
    for f in (
        line_2mb,
        file_5mb,
        entries_10k_in_one_file,
        entries_10k_as_yaml_list,
        deep_nesting_flow,
        deep_nesting_block,
        symlink_file_outside,
        symlink_dir_outside,
        symlink_dangling,
        symlink_loop,
        named_pipe,
        attachment_symlink_outside,
        attachment_symlink_to_config,
    )
}
