"""The plain-body fast path writes exactly what Python-Markdown + the sanitizer write.

Every expectation here is the full renderer's own output (``render_markdown``), never a
hand-written string: the fast path is only correct if it is byte-identical, and it
must refuse (return ``None``) whatever it cannot reproduce.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from bench.make_corpus import generate
from generator.site.body import BodyRenderer
from generator.site.plainbody import render_plain
from tests.conftest import realdata

ROOT = Path(__file__).resolve().parents[1]
FULL = BodyRenderer()


def body_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n") and "\n---\n" in text[4:]:
        return text[4:].split("\n---\n", 1)[1]
    return text


def same_or_refused(text: str) -> bool:
    """True when the fast path took ``text``; fails the test if its HTML differs."""
    fast = render_plain(text)
    if fast is None:
        return False
    assert fast == FULL.render_markdown(text), repr(text)
    return True


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plain") / "c300"
    generate(300, out, seed=11)
    return out


def test_sample_site_bodies() -> None:
    bodies = [body_of(p) for top in ("catalogue", "content") for p in sorted((ROOT / top).rglob("*.md"))]
    taken = sum(same_or_refused(b) for b in bodies)
    assert bodies and taken  # the sample has plain bodies as well as rich ones


def test_benchmark_corpus_bodies_take_the_fast_path(corpus: Path) -> None:
    bodies = [body_of(p) for p in sorted(corpus.rglob("*.md")) if p.name != "site_config.yml"]
    taken = sum(same_or_refused(b) for b in bodies)
    # paragraphs, numbered headings, lists and tables: nearly all of the corpus is plain
    assert taken >= 0.9 * len(bodies), (taken, len(bodies))


@pytest.mark.realdata
def test_real_bodies() -> None:
    lines = realdata("policies.jsonl").read_text(encoding="utf-8").splitlines()
    for line in lines[:400]:
        same_or_refused(json.loads(line)["body"])


@pytest.mark.parametrize(
    "text",
    [
        "## 一、总体要求\n\n正文。\n\n## 一、总体要求\n\n## 二、Scope and aims\n\n## Scope and aims",
        "# 一级标题\n\n###### 六级\n\n## search 页面\n\n## gk-content\n\n## 2020 年",
        "段落\n## 紧随的标题\n接着的段落\n1. 不是列表",
        "1. 甲\n2. 乙\n\n1. 丙\n2. 丁\n3. 戊\n\n- 己\n\n- 庚\n\n段落\n\n- 辛",
        "3. 从三开始\n4. 四\n\n12345. 太长的起始号",
        "| 指标 | 本期 | 上年同期 | 增减（%） |\n| --- | ---: | :---: | :--- |\n| 覆盖率 | 1 |\n| 乙 | 2 | 3 | 4 | 5 |",
        "指标 | 本期\n--- | ---\n甲 | 1\n没有竖线的行",
        "| 单列 |\n| --- |\n| 甲 |",
        "表头 | 表头\n不是分隔行 | 乙\n甲 | 1",
        "",
        "\n\n\n",
        "全角空格　在中间\n\n　　首行缩进",
        "1.5亿元的投入\n\n2020.1 起",
        "## ",
        "##标题没有空格",
        "- \n- 空项",
    ],
)
def test_cases_equal_markdown_or_are_refused(text: str) -> None:
    same_or_refused(text)


def test_in_subset_cases_are_taken() -> None:
    # the subset the fast path promises to handle, each compared with Python-Markdown
    for text in [
        "## 一、总体要求\n\n正文。\n\n## 一、总体要求\n\n## Scope and aims\n\n## Scope and aims",
        "# 一级标题\n\n## search 页面",
        "段落\n## 紧随的标题\n接着的段落",
        "1. 甲\n2. 乙\n\n1. 丙\n2. 丁\n\n- 己\n\n- 庚\n\n段落\n\n- 辛",
        "3. 从三开始\n4. 四",
        "| 指标 | 本期 |\n| --- | ---: |\n| 覆盖率 | 1 |\n| 乙 |",
        "指标 | 本期\n:-: | :--\n甲 | 1",
    ]:
        assert same_or_refused(text), text


# pieces the subset is made of, or that sit right at its edges
PIECES = [
    "甲乙丙",
    "政府信息公开",
    "abc",
    "Scope Aims",
    "1. ",
    "2. ",
    "01. ",
    "１. ",
    "- ",
    "-",
    "+ ",
    "# ",
    "## ",
    "####### ",
    "#",
    "| ",
    " | ",
    "|",
    "---",
    ":---:",
    "---:",
    ":--",
    "\n",
    "\n",
    "\n\n",
    "\n\n",
    "\n\n\n",
    " ",
    "  ",
    "　",
    "：",
    ":",
    ": ",
    "=",
    "===",
    "~~~",
    "> ",
    "search",
    "gk-x",
    "1.5亿",
    "2020.",
    '"',
    "'",
    "%",
    "(",
    ")",
    "{",
    "}",
    "\u00a0",
    "é",
    "Ⅳ",
    "½",
    "\x0c",
    "???",
    "[TOC]",
]
# pieces the fast path must always refuse
HOSTILE = ["&", "<b>", "_", "*", "* ", "`", "!!! note", "[^1]", "\\", "\t", "\r\n", "\x02", "\u2028", "<!-- -->"]


def test_generated_edge_cases() -> None:
    rng = random.Random(20261123)
    taken = 0
    for case in range(30000):
        pool = PIECES if case % 3 else PIECES + HOSTILE
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 24)))
        taken += same_or_refused(text)
    assert taken > 1500  # the generator reaches the subset, not only refusals


def test_hostile_pieces_are_always_refused() -> None:
    for piece in HOSTILE:
        for text in (
            piece,
            f"正文{piece}正文",
            f"## 标题{piece}",
            f"1. 项{piece}",
            f"| 甲 | 乙{piece} |\n| - | - |\n| 1 | 2 |",
        ):
            assert render_plain(text) is None, repr(text)


def test_generated_documents() -> None:
    # line by line: headings, items, table rows and text, with blank lines or not between
    rng = random.Random(7)
    edgy = [p for p in PIECES if "\n" not in p]
    clean = [
        "甲乙丙",
        "政府信息公开",
        "abc",
        "Scope Aims",
        "search",
        "gk-x",
        "1.5亿",
        "：",
        "Ⅳ",
        "½",
        "é",
        "%",
        "(",
        "'",
    ]

    def text() -> str:
        return "".join(rng.choice(edgy if rng.random() < 0.1 else clean) for _ in range(rng.randint(1, 4)))

    def line() -> str:
        kind = rng.randrange(7)
        if kind == 0:
            return "#" * rng.randint(1, 7) + rng.choice([" ", "  ", ""]) + text()
        if kind == 1:
            return f"{rng.choice(['1', '2', '3', '10', '001'])}.{rng.choice([' ', '  '])}{text()}"
        if kind == 2:
            return f"{rng.choice(['-', '- ', '-  '])}{text()}"
        if kind == 3:
            cells = [text() for _ in range(rng.randint(1, 4))]
            edge = rng.choice(["|", ""])
            return edge + "|".join(cells) + rng.choice([edge, ""])
        if kind == 4:
            cells = [rng.choice(["---", ":--", "--:", ":-:", " --- ", "-", ":"]) for _ in range(rng.randint(1, 4))]
            return rng.choice(["|", ""]) + "|".join(cells) + rng.choice(["|", ""])
        return text()

    taken = 0
    for _ in range(6000):
        parts = []
        for _ in range(rng.randint(1, 8)):
            parts += [line(), rng.choice(["\n", "\n", "\n\n"])]
        taken += same_or_refused("".join(parts))
    assert taken > 600


def test_renderer_uses_it_and_the_cache_key_covers_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "## 一、总体要求\n\n正文。"
    assert BodyRenderer().render(text) == render_plain(text)
    # a cached body is keyed by renderer_fingerprint(): editing the fast path must change it
    from generator.site import body

    site = ROOT / "generator" / "site"
    for name in ("body.py", "sanitize.py", "plainbody.py"):
        (tmp_path / name).write_bytes((site / name).read_bytes())
    monkeypatch.setattr(body, "__file__", str(tmp_path / "body.py"))
    before = body.renderer_fingerprint()
    (tmp_path / "plainbody.py").write_bytes((site / "plainbody.py").read_bytes() + b"\n# changed\n")
    assert body.renderer_fingerprint() != before
