"""The plain-body fast path at the edges of its whitespace and block rules.

render_plain finds a line starting or ending with whitespace by searching the text (and the
text reversed) for whitespace after a line break, and splits blocks on runs of line breaks
with ``str.split``: every case here is compared with the full renderer (Python-Markdown + the
sanitizer), never with a hand-written string.
"""

from __future__ import annotations

import itertools
import sys

from generator.site.plainbody import render_plain
from tests.test_plainbody import same_or_refused

# every character str.strip() removes (the rule is "line != line.strip()")
SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace() and chr(c) != "\n"]


def test_whitespace_at_either_end_of_any_line_is_refused() -> None:
    for space in SPACES:
        for text in (
            f"{space}甲",
            f"甲{space}",
            f"甲\n{space}乙",
            f"甲{space}\n乙",
            f"甲\n\n{space}\n\n乙",
            f"## 标题{space}\n\n正文",
            f"1. 项{space}\n2. 项",
            f"正文\n\n{space}1. 项",
            f"| 甲 | 乙 |\n| - | - |{space}\n| 1 | 2 |",
        ):
            assert render_plain(text) is None, repr(text)
            same_or_refused(text)


def test_whitespace_inside_a_line_is_text() -> None:
    for space in SPACES:
        text = f"甲{space}乙\n\n## 标{space}题\n\n1. 项{space}一"
        if render_plain(text) is not None:
            assert same_or_refused(text)
    assert same_or_refused("甲 乙\n\n## 标 题\n\n1. 项 一")
    assert same_or_refused("甲\u3000乙")


def test_runs_of_line_breaks_between_blocks() -> None:
    blocks = ["段落甲", "## 标题", "1. 一\n2. 二", "- 甲\n- 乙", "| 甲 | 乙 |\n| - | - |\n| 1 | 2 |", "段落乙\n接续"]
    taken = 0
    for first, second in itertools.permutations(blocks, 2):
        for run in range(1, 7):
            for lead, tail in (("", ""), ("\n", ""), ("", "\n"), ("\n\n\n", "\n\n")):
                taken += same_or_refused(lead + first + "\n" * run + second + tail)
    assert taken > 500
