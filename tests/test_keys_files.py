"""inputs_key's walk of catalogue/ and content/ leaves out the Markdown sources while walking:
the same files, in the same order, as the whole walk filtered afterwards."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.site.keys import _files
from generator.source.files import is_attachment_path


def _tree(root: Path) -> None:
    files = [
        "catalogue/2024/a.md",
        "catalogue/2024/a.pdf",
        "catalogue/2024/sub/b.md",
        "catalogue/files.md",  # a source beside the attachment folder, not in it
        "catalogue/files/notice.md",  # an attachment that happens to be Markdown
        "catalogue/files/deep/er/x.md",
        "catalogue/files/deep/er/x.txt",
        "catalogue/.hidden.md",
        "catalogue/.git-like/c.md",
        "catalogue/filesx/d.md",  # not catalogue/files/
        "content/media/m.md",
        "content/media/m.png",
        "content/pages/guide.md",
        "content/pages/guide.md.bak",
        "content/interpretations/i.md",
        "content/files/data.csv",
    ]
    for rel in files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rel, encoding="utf-8")
    (root / "catalogue/2024/folder.md").mkdir()  # a folder named like a source
    (root / "catalogue/2024/folder.md/inside.txt").write_text("x", encoding="utf-8")
    os.symlink(root / "catalogue/2024/a.pdf", root / "catalogue/2024/link.md")  # a link to a file: a source name
    os.symlink(root / "catalogue/files/notice.md", root / "catalogue/files/link.md")
    os.symlink(root / "missing.txt", root / "content/media/broken.txt")


@pytest.mark.parametrize("top", ["catalogue", "content"])
def test_the_walk_without_sources_is_the_whole_walk_filtered(tmp_path: Path, top: str) -> None:
    _tree(tmp_path)
    whole = _files(tmp_path / top)
    expected = [rel for rel in whole if not rel.endswith(".md") or is_attachment_path(f"{top}/{rel}")]
    found = _files(tmp_path / top, sources=top)
    assert found == expected
    assert len(expected) < len(whole)  # there were sources to leave out
    if top == "catalogue":
        assert "files/notice.md" in found and "files/deep/er/x.md" in found and "files/link.md" in found
        assert "files.md" not in found and "filesx/d.md" not in found and "2024/link.md" not in found
        assert "2024/folder.md/inside.txt" in found
    else:
        assert "media/m.md" in found and "pages/guide.md.bak" in found and "pages/guide.md" not in found
