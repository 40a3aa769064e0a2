"""The allow-list sanitizer and the body renderer, attacked directly."""

from __future__ import annotations

import pytest

from generator.site.body import BodyRenderer
from generator.site.sanitize import ALLOWED_TAGS, safe_url, sanitize

# (input HTML, exact sanitized output)
CASES = [
    ("<script>alert(1)</script>正文", "正文"),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>正文", "正文"),
    ("<script>unclosed", ""),
    ("<img src=x onerror=alert(1)>", '<img src="x">'),
    ("<img src=javascript:alert(1)>", ""),
    ("<img src=x ONERROR=alert(1) OnLoad=alert(2)>", '<img src="x">'),
    ("<svg onload=alert(1)><circle/></svg>后", "后"),
    ("<math><mi xlink:href=javascript:alert(1)>x</mi></math>后", "后"),
    ("<iframe src=javascript:alert(1)></iframe>后", "后"),
    ("<object data=javascript:alert(1)>x</object>后", "后"),
    ("<embed src=javascript:alert(1)>后", "后"),
    ("<style>*{x:expression(alert(1))}</style>后", "后"),
    ('<p style="color:red" class="a b" id="x1">文</p>', '<p class="a b" id="x1">文</p>'),
    ('<td style="text-align: center;">x</td>', '<td class="gk-align-center">x</td>'),
    ('<td align="right">x</td>', '<td class="gk-align-right">x</td>'),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="java&Tab;script:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="  &#x0A;javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="&amp;#106;avascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="javascript&colon;alert(1)">x</a>', "<a>x</a>"),
    ('<a href="vbscript:msgbox(1)">x</a>', "<a>x</a>"),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "<a>x</a>"),
    ('<a href="java\u200bscript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="\\\\evil.example\\x">x</a>', "<a>x</a>"),
    (
        '<a href="https://www.gov.cn/" target="_blank">x</a>',
        '<a href="https://www.gov.cn/" rel="noopener noreferrer">x</a>',
    ),
    ('<a href="../files/a.pdf">x</a>', '<a href="../files/a.pdf">x</a>'),
    ('<a href="?a=1&amp;b=2">x</a>', '<a href="?a=1&amp;b=2">x</a>'),
    ('<a href="mailto:gk@example.gov.cn">x</a>', '<a href="mailto:gk@example.gov.cn" rel="noopener noreferrer">x</a>'),
    ('<a id="gk-content">x</a><span id="__md_scope">y</span>', "<a>x</a><span>y</span>"),
    ('<span class="md-skip gk-x ok">y</span>', '<span class="ok">y</span>'),
    ('<img src="a.png" alt="&quot;&gt;&lt;script&gt;">', '<img src="a.png" alt="&quot;&gt;&lt;script&gt;">'),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>后', "后"),
    ("<!--><img src=x onerror=alert(1)>-->后", "后"),
    ("<![CDATA[<img src=x onerror=alert(1)>]]>后", "后"),
    ("<textarea><img src=x onerror=alert(1)></textarea>后", "后"),
    ("<title></title><img src=x onerror=alert(1)>", '<img src="x">'),
    ("<b>粗<i>斜</b>后", "<b>粗<i>斜</i></b>后"),
    ("<div>未闭合", "<div>未闭合</div>"),
    ("<div/>后", "<div></div>后"),
    ("<form action=javascript:alert(1)><button>x</button></form>后", "后"),
    ("<base href=javascript:alert(1)//>后", "后"),
    ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">后', "后"),
    ("<details open ontoggle=alert(1)>x</details>", '<details open="">x</details>'),
    ('<ol start="3" type="a" onclick="x"><li>一</li></ol>', '<ol start="3" type="a"><li>一</li></ol>'),
    ('<td colspan="2; x" rowspan="3">x</td>', '<td rowspan="3">x</td>'),
    ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_sanitize(source: str, expected: str) -> None:
    assert sanitize(source) == expected


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://www.gov.cn/", True),
        ("http://example.gov.cn/a?b=1", True),
        ("//cdn.example.gov.cn/x.pdf", True),
        ("../a/b.pdf", True),
        ("#fn:1", True),
        ("tel:12345", True),
        ("javascript:alert(1)", False),
        (" JAVASCRIPT:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("\x01javascript:alert(1)", False),
        ("&#106;avascript:alert(1)", False),
        ("data:image/png;base64,AAAA", False),
        ("vbscript:x", False),
        ("file:///etc/passwd", False),
        ("\\\\host\\share", False),
    ],
)
def test_safe_url(url: str, safe: bool) -> None:
    assert (safe_url(url) is not None) is safe


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("[x](javascript:alert(1))", "<p><a>x</a></p>"),
        ('[x](JAVASCRIPT:alert(1) "t")', '<p><a title="t">x</a></p>'),
        ("![x](javascript:alert(1))", "<p></p>"),
        ("[x][r]\n\n[r]: javascript:alert(1)", "<p><a>x</a></p>"),
        ("<javascript:alert(1)>", "<p></p>"),
        ("[ok](https://www.gov.cn/)", '<p><a href="https://www.gov.cn/" rel="noopener noreferrer">ok</a></p>'),
        ("`<script>alert(1)</script>`", "<p><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>"),
        ("# 一级标题", '<h2 id="_1">一级标题</h2>'),
    ],
)
def test_markdown_bodies(markdown: str, expected: str) -> None:
    assert BodyRenderer().render(markdown) == expected


def test_table_cells_with_raw_html() -> None:
    out = BodyRenderer().render("| a | b |\n|:-:|--:|\n| <img src=x onerror=alert(1)> | <script>alert(2)</script> |")
    assert 'class="gk-align-center"><img src="x"></td>' in out
    assert "alert" not in out
    assert "style=" not in out


def test_only_allowed_tags_survive_a_tag_soup() -> None:
    import re

    soup = "".join(f"<{t} onclick=x>{t}</{t}>" for t in ["x-foo", "marquee", "blink", "font", "center", *ALLOWED_TAGS])
    tags = set(re.findall(r"<([a-z0-9-]+)", sanitize(soup)))
    assert tags <= ALLOWED_TAGS
    assert "onclick" not in sanitize(soup)


def test_the_allow_list_is_documented() -> None:
    """docs/schema.md "允许的 HTML" lists exactly the tags the sanitizer keeps."""
    import re

    from tests.conftest import REPO

    doc = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    section = doc.split("## 允许的 HTML", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z0-9]+)` \|", section, re.MULTILINE))
    assert documented == ALLOWED_TAGS


# ------------------------------------------------ titles never carry markup (issue 12, item 2)
@pytest.mark.parametrize(
    "source",
    [
        '<abbr title="<img src=x onerror=alert(1)>">缩写</abbr>',
        '<span title=\'<meta http-equiv="refresh" content="0;url=https://example.com/">\'>悬停</span>',
        '<p title="&lt;img src=x onerror=alert(1)&gt;">实体写法</p>',
        '<a href="https://www.gov.cn/" title="&#60;svg onload=alert(1)&#62;">数字实体</a>',
    ],
)
def test_a_title_holding_markup_is_dropped(source: str) -> None:
    out = sanitize(source)
    assert "title=" not in out
    assert "<img" not in out and "<meta" not in out and "<svg" not in out


@pytest.mark.parametrize(
    "markdown",
    [
        '[链接](https://www.gov.cn/ "<img src=x onerror=alert(1)>")',
        '![图](x.png "<img src=x onerror=alert(1)>")',
        "HTML 缩写\n\n*[HTML]: <img src=x onerror=alert(1)>",
        "脚注[^1]\n\n[^1]: <img src=x onerror=alert(1)>",
    ],
)
def test_markdown_titles_holding_markup_are_dropped(markdown: str) -> None:
    out = BodyRenderer().render_markdown(markdown)
    for title in (part.split('"', 2)[1] for part in out.split("title=")[1:]):
        assert "<" not in title and ">" not in title and "&lt;" not in title


def test_plain_titles_stay() -> None:
    assert sanitize('<abbr title="国务院办公厅">国办</abbr>') == '<abbr title="国务院办公厅">国办</abbr>'


@pytest.mark.parametrize(
    ("value", "kept"), [("zh-CN", True), ("en", True), ("zh<b>", False), ("zh cn", False), ("", False)]
)
def test_lang_is_a_language_tag(value: str, kept: bool) -> None:
    assert ('lang="' in sanitize(f'<span lang="{value}">文字</span>')) is kept


def test_material_tooltips_stay_off() -> None:
    """content.tooltips builds tooltips with innerHTML from every title (the theme's nav titles too)."""
    from pathlib import Path

    from generator.model.siteconfig import SiteConfig
    from generator.site.engine import engine_config

    settings = engine_config(SiteConfig(), Path("docs"), Path("site"), [], Path("theme"))
    assert not [f for f in settings["theme"]["features"] if "tooltips" in f]
