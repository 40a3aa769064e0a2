"""The LibYAML fast path of the front-matter reader gives exactly what the Python path gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.source import compose
from generator.source import frontmatter as FM
from tests.conftest import REPO

# Without LibYAML both sides below run the Python path and every comparison would hold trivially.
pytestmark = pytest.mark.skipif(
    compose._CLoader is None, reason="PyYAML was built without LibYAML: no fast path to compare"
)

CASES = [
    '---\ntitle: 通知\ntopics:\n  - "a\\\\b"\nn: 3\n---\n正文\n',
    "---\ntitle: 关于“一网通办”的通知\ntopics: [综合政务\\政务公开, 民政、扶贫、救灾\\社会福利]\nk: {a: 1, b: [x, 文字]}\n---\n",
    "---\nd: 2023-02-30\nq: '2024-01-02'\nb: yes\nf: 1.5\nz: ~\nlong: >\n  折叠的\n  文字\n---\n",
    "---\ntitle: a\ntitle: b\n---\n",
    "---\ntitle: 关于: 测试\n---\n",
    "---\n- a\n- b\n---\n",
    "---\n---\n",
    "---\nvalidity_history:\n  - {date: 2024-01-01, status: 有效}\n  - {date: 2025-01-01, status: 废止, by: 000000001/2025-00001, note: 被《某办法》废止}\n---\n",
]


def both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[FM.SourceFile, FM.SourceFile]:
    fast = FM.parse("x.md", text.encode())
    with monkeypatch.context() as m:
        m.setattr(compose, "_CLoader", None)
        slow = FM.parse("x.md", text.encode())
    return fast, slow


@pytest.mark.parametrize("text", CASES)
def test_fast_path_equals_python_path(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = both(text, monkeypatch)
    assert (fast.data, fast.positions, fast.key_positions, fast.diagnostics) == (
        slow.data,
        slow.positions,
        slow.key_positions,
        slow.diagnostics,
    )


def test_sample_repository_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(Path(REPO, "catalogue").rglob("*.md")) + sorted(Path(REPO, "content").rglob("*.md"))
    assert files
    for path in files:
        fast, slow = both(path.read_text(encoding="utf-8"), monkeypatch)
        assert (fast.data, fast.positions, fast.key_positions) == (slow.data, slow.positions, slow.key_positions), path
