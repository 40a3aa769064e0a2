"""Exact messages of the reading and body checks added for hostile input, and what they let through."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.checks.markup import check_body
from generator.source.files import safe_join
from generator.source.frontmatter import SourceFile, parse


def first(raw: bytes | str) -> Any:
    src = parse("x.md", raw.encode("utf-8") if isinstance(raw, str) else raw)
    assert src.diagnostics, "expected a diagnostic"
    return src.diagnostics[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "---\ntitle: 关于\n---\n".encode("gbk"),
            "x.md:2:8: 错误[E001]: 文件不是有效的 UTF-8 编码（第 11 字节附近）\n"
            "  提示：文件似乎是 GBK/GB18030 编码（Windows 记事本、Excel 的常见默认值），请另存为 UTF-8",
        ),
        (
            "---\ntitle: a\n---\n".encode("utf-16-le"),
            "x.md:1:1: 错误[E011]: 文件编码为 UTF-16，应为 UTF-8\n  提示：请用 UTF-8 编码另存此文件",
        ),
        (
            '---\ntitle: "关于\nkeywords: [a]\n---\n',
            "x.md:2:8: 错误[E006]: YAML 语法错误：引号未闭合\n  提示：在这个值的末尾补上引号，或去掉开头的引号",
        ),
        (
            '---\ntopics: ["综合政务\\政务公开"]\n---\n',
            "x.md:2:16: 错误[E006]: YAML 语法错误：双引号中的反斜杠转义 \\政 无效\n"
            '  提示：在双引号中反斜杠要写成 \\\\，例如 "综合政务\\\\政务公开"；或改用单引号',
        ),
        (
            "---\ntopics: [a, b\n---\n",
            "x.md:2:9: 错误[E006]: YAML 语法错误：方括号 [ ] 未闭合\n  提示：检查引号、方括号和花括号是否成对",
        ),
        (
            "---\ntitle: @通知\n---\n",
            "x.md:2:8: 错误[E006]: YAML 语法错误：字符 @ 不能出现在值的开头\n  提示：以 @、`、% 等符号开头的值请用引号括起来",
        ),
        (
            "---\na: " + "[" * 30 + "]" * 30 + "\n---\n",
            "x.md:2:23: 错误[E012]: 元数据过于复杂：嵌套超过 20 层\n  提示：元数据只需两三层结构",
        ),
        (
            "---\nx: !!python/object/apply:os.system [ls]\n---\n",
            "x.md:2:4: 错误[E010]: 不支持的 YAML 标签 !!python/object/apply:os.system\n  提示：删除标签，直接写值",
        ),
        (
            "---\ntitle: a\n---\n正文\n---\nindex_no: 1\n---\n",
            "x.md:5:1: 错误[E017]: 一个文件中写了 2 条信息，第二条从这里开始\n  提示：每条信息单独保存为一个文件",
        ),
        (
            "---\ntitle: a\n---\n" + "很" * 100_001 + "\n",
            "x.md:4:100001: 错误[E018]: 这一行过长（100001 个字符，上限 100000）\n"
            "  提示：在段落之间换行；图片和大段数据请作为附件",
        ),
        (
            "---\ntitle: a\n---\n正\u202e文\n",
            "x.md:4:2: 错误[E019]: 含有不可见的控制字符 U+202E\n  提示：删除该字符（常见于从 Word 或网页复制的文字）",
        ),
    ],
)
def test_reading_messages(raw: bytes | str, expected: str) -> None:
    assert first(raw).format() == expected


def test_english_messages() -> None:
    assert first('---\ntitle: "a" b\n---\n').message("en") == (
        "YAML syntax error: expected <block end>, but found '<scalar>'"
    )
    assert first("---\na: " + "[" * 30 + "]" * 30 + "\n---\n").message("en") == (
        "front matter is too complex: more than 20 levels"
    )
    assert first("---\ntitle: a\n---\n\x0b\n").message("en") == "invisible control character U+000B"
    assert first('---\ntitle: "关于\nx: 1\n---\n').format("en") == (
        "x.md:2:8: error[E006]: YAML syntax error: unclosed quote\n"
        "  hint: close the quote at the end of the value, or remove the opening one"
    )
    assert first("---\ntitle: a: b\n---\n").hint("en") == (
        "check indentation, colons, quotes and brackets on this line and the one above"
    )
    assert first("---\ntitle: a\n---\n".encode("utf-16")).message("en") == "file is encoded as UTF-16, not UTF-8"


def body(text: str) -> list[Any]:
    return check_body(SourceFile("x.md", data={}, body=text, body_line=10))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "".join("    " * i + "- 项\n" for i in range(20)),
            "x.md:27:1: 错误[E020]: 正文嵌套过深：缩进 68 格\n  提示：列表、引用和提示框最多嵌套 16 层",
        ),
        (
            "> " * 17 + "引用\n",
            "x.md:10:1: 错误[E020]: 正文嵌套过深：引用嵌套 17 层\n  提示：列表、引用和提示框最多嵌套 16 层",
        ),
        (
            "姓名：" + "_" * 201 + "\n",
            "x.md:10:4: 错误[E021]: 正文过于复杂，无法安全排版：连续 201 个 * 或 _\n"
            "  提示：填空用的横线请控制在 200 个字符以内，或写成 \\_",
        ),
        (
            "[" * 3000,
            "x.md:10:1: 错误[E021]: 正文过于复杂，无法安全排版：未配对的括号 [ ( 或未闭合的 < 过多（约需 4501500 次重复扫描）\n"
            "  提示：未配对的 [ 请写成 \\[，< 请写成 &lt;，或改用全角括号【】（）",
        ),
        (
            "标题\n===\n" * 1001,
            "x.md:10:1: 错误[E021]: 正文过于复杂，无法安全排版：有一段连续 2002 行没有空行分段\n"
            "  提示：在段落之间加空行；行数很多的表格请作为附件（如 CSV）发布",
        ),
        (
            "术语\n: 定义\n" * 201,
            "x.md:10:1: 错误[E021]: 正文过于复杂，无法安全排版：一段中有 201 个定义列表项（以“: ”开头的行）\n"
            "  提示：在定义列表项之间加空行，或去掉行首的冒号",
        ),
    ],
)
def test_body_messages(text: str, expected: str) -> None:
    assert body(text)[0].format() == expected


@pytest.mark.parametrize(
    "text",
    [
        "".join("    " * i + f"- 第 {i} 层\n" for i in range(16)),
        "| 序号 | 文件 |\n|---|---|\n" + "".join(f"| {i} | [文件{i}](files/{i}.pdf) |\n" for i in range(1500)),
        "".join(f"- [文件{i}](files/{i}.pdf)\n" for i in range(2000)),
        "```\n" + "    <div>缩进的代码</div>\n" * 3000 + "```\n",
        "姓名：" + "_" * 40 + "  日期：" + "_" * 40 + "\n",
        "术语\n: 定义\n\n" * 150,
        "第一条 " + "政府信息公开工作应当坚持以公开为常态、不公开为例外。" * 3000 + "\n",
        "注：（一）[2024] 年度数据见附件【1】，a < b 且 c > d，R&D 投入。\n" * 200,
        "<table>\n" + "<tr><td>甲</td><td>乙</td></tr>\n" * 1500 + "</table>\n",
    ],
)
def test_real_documents_pass_the_body_limits(text: str) -> None:
    assert body(text) == []


def test_attachments_stay_inside_their_folder(tmp_path: Path) -> None:
    (tmp_path / "catalogue" / "files").mkdir(parents=True)
    (tmp_path / "catalogue" / "files" / "a.pdf").write_bytes(b"%PDF")
    (tmp_path / "site_config.yml").write_text("site: {}\n")
    (tmp_path / "catalogue" / "files" / "link.pdf").symlink_to(tmp_path / "site_config.yml")
    assert safe_join(tmp_path, "catalogue", "files/a.pdf") == tmp_path / "catalogue" / "files" / "a.pdf"
    for bad in ("files/link.pdf", "../site_config.yml", "/etc/passwd", "C:x", "files\\a.pdf", "a\x00b", "a\nb", ""):
        assert safe_join(tmp_path, "catalogue", bad) is None, bad


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("name: 测试市人民政府信息公开", "name: 测试市<b>政府</b>"),
            "site_config.yml:2:9: 错误[E702]: 站点配置项 site.name 无效：不能包含 < > 或控制字符\n  提示：这里只写纯文字",
        ),
        (
            ("{id: gov, name: 测试市人民政府,", "{id: gov, name: 测试市人民政府<script>,"),
            "site_config.yml:11:21: 错误[E702]: 站点配置项 agencies.0.name 无效：不能包含 < > 或控制字符\n"
            "  提示：这里只写机构名称",
        ),
        (
            ("url: https://www.example.gov.cn/xxgk/", "url: https://www.example.gov.cn/x'y/"),
            "site_config.yml:3:8: 错误[E702]: 站点配置项 site.url 无效：应为 http:// 或 https:// 开头的网址\n"
            "  提示：网址中不能有空格、引号、尖括号或反斜杠",
        ),
    ],
)
def test_config_display_values(make_project: Any, change: tuple[str, str], expected: str) -> None:
    from tests.conftest import CONFIG

    p = make_project(CONFIG.replace(*change))
    (d,) = [d for d in p.diagnostics() if d.path == "site_config.yml"]
    assert d.format() == expected


def test_plain_body_screen_gives_the_full_loop_s_result(monkeypatch: pytest.MonkeyPatch) -> None:
    # check_body counts markup per block only when the body has a markup character at all
    import random

    from generator.checks import markup

    rng = random.Random(5)
    pieces = [
        "政府信息公开",
        "abc",
        "\n",
        "\n",
        "\n\n",
        " \n",
        "\u3000\n",
        "\t",
        "（一）",
        "：",
        "## 标题\n",
        "1. 项\n",
    ]
    texts = ["段落\n" * 2001, ("行\n" * 1500 + "\n") * 2, "\n" * 30, "", " "]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 60))) for _ in range(400)]
    screened = [body(t) for t in texts]
    monkeypatch.setattr(markup, "_MARKUP_CHARS", __import__("re").compile(""))  # matches every body
    assert [body(t) for t in texts] == screened
    assert any(screened)  # the 2,001-line block is reported either way
