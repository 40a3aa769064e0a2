"""A hostile site: script-injection attempts in every field an editor (or a config) controls.

Shared by tests/test_injection.py (static checks of every output file) and the
browser tests (tests/browser/test_safety_injection.py). Every payload tries to
run ``alert(…)`` or to set ``window.__gk_pwned``; none may succeed, and none may
leave an executable element or attribute in the DOM.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from tests.conftest import BUILD_DATE, ProjectFactory

TITLE_PAYLOADS = (
    "</title><script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "'><svg onload=alert(3)>",
    "{{ 7*7 }}{% raw %}<b>模板</b>",
)

# Markdown bodies. Raw HTML (each payload its own block, so that Markdown does not swallow the
# next ones as part of an HTML block), Markdown links and images, tables, code, obfuscated URLs;
# Markdown first, raw HTML after it: an unclosed <body> or <div> turns the rest of a body into one
# raw HTML block, where Markdown syntax is left as text.
BODY_PAYLOADS = r"""
正文开始。

[链接12](javascript:alert(47))
[链接13](JAVASCRIPT:alert(48) "标题")
[链接14](<javascript:alert(49)>)
![图片1](javascript:alert(50))
![图片2](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoNTEpPg==)
[链接15][bad]

[bad]: javascript:alert(52)

| 列一 | 列二 |
|:---:|---:|
| <img src=x onerror=alert(53)> | <script>alert(54)</script> |
| [表格链接](javascript:alert(55)) | <a href="javascript:alert(56)">x</a> |

`[代码中的链接](javascript:alert(57))` 与 `<script>alert(58)</script>`

```html
<script>alert(59)</script>


[代码块中的链接](javascript:alert(60))
```

*[HTML]: <img src=x onerror=alert(61)>

HTML 缩写。

<script>alert(11)</script>

<img src=x onerror=alert(12)>

<img src="javascript:alert(13)">

<svg onload=alert(14)><script>alert(15)</script></svg>

<math><mtext><table><mglyph><style><img src=x onerror=alert(16)></style></mglyph></table></mtext></math>

<iframe src="javascript:alert(17)"></iframe>

<iframe srcdoc="<script>alert(18)</script>"></iframe>

<object data="javascript:alert(19)"></object>

<embed src="javascript:alert(20)">

<style>body{background:url("javascript:alert(21)")}</style>

<div onclick="alert(22)" onmouseover="alert(23)">带事件的区块</div>

<details open ontoggle=alert(24)><summary>摘要</summary>内容</details>

<p style="background:url(javascript:alert(25))">带样式的段落</p>

<form action="javascript:alert(26)"><button formaction="javascript:alert(27)">提交</button></form>

<input autofocus onfocus=alert(28)>

<video><source onerror=alert(29)></video>

<body onload=alert(30)>

<base href="javascript:alert(31)//">

<meta http-equiv="refresh" content="0;url=javascript:alert(32)">

<link rel=stylesheet href="javascript:alert(33)">

<noscript><p title="</noscript><img src=x onerror=alert(34)>"></noscript>

<!--><img src=x onerror=alert(35)>-->

<img src="x.png" alt="<script>alert(36)</script>">

<a href="javascript:alert(37)">链接1</a>

<a href="JaVaScRiPt:alert(38)">链接2</a>

<a href="java&#x09;script:alert(39)">链接3</a>

<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(40)">链接4</a>

<a href=" &#14; javascript:alert(41)">链接5</a>

<a href="vbscript:msgbox(42)">链接6</a>

<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg0Myk8L3NjcmlwdD4=">链接7</a>

<a href="jav&#x0A;ascript:alert(44)">链接8</a>

<a href="javascript&colon;alert(45)">链接9</a>

<a href="&amp;#106;avascript:alert(46)">链接10</a>

<a href="\\evil.example/x">链接11</a>

<a id="gk-content" name="__md_scope" class="md-skip">抢占页面的 id</a>



正文结束。

<b>未闭合的标签 <i>斜体 <div>区块
"""


def build_hostile_site(root: Path, build_date: dt.date = BUILD_DATE) -> Path:
    """Write the hostile project under ``root``, build it, return the site folder.

    The configuration is made hostile after it was loaded: gongkai refuses
    markup in site_config.yml display values (E702), so this exercises the
    escaping behind that check — agency names, site name and footer included.
    """
    from generator.model.catalogue import Catalogue
    from generator.site.build import build_site

    p = ProjectFactory(root)
    for n, title in enumerate(TITLE_PAYLOADS, start=1):
        p.entry(
            f"e{n}",
            index_no=f"000000002/2024-{n:05d}",
            title=f"标题{n} {title}",
            keywords=[title, "<script>alert(70)</script>"],
            abstract=f'概述 {title} "><img src=x onerror=alert(71)>',
            procedure=f"程序 {title}",
            history=[{"date": dt.date(2024, 4, 1), "note": f"变更 {title}"}],
            body=BODY_PAYLOADS,
        )
    p.interpretation(
        "i1",
        index_no="000000002/2024-00010",
        title=f"解读 {TITLE_PAYLOADS[0]}",
        interprets=["000000002/2024-00001"],
        interpreter=TITLE_PAYLOADS[1],
        contact="<script>alert(72)</script>",
        body=BODY_PAYLOADS,
    )
    p.page("guide", f"指南 {TITLE_PAYLOADS[1]}", body=BODY_PAYLOADS, nav_order=1)
    project = p.load(build_date)
    assert not project.errors, [d.format() for d in project.errors]
    hostile = '测试"市</title><script>alert(80)</script>'
    config = dataclasses.replace(
        project.config,
        name=hostile,
        description='描述 "><img src=x onerror=alert(81)>',
        footer={
            **project.config.footer,
            "sponsor": "<script>alert(82)</script>主办",
            "contact": "'><svg onload=alert(83)>",
        },
        agencies=tuple(
            dataclasses.replace(a, name=f'{a.name}"><img src=x onerror=alert(84)>') for a in project.config.agencies
        ),
    )
    project.config = config
    project.catalogue = dataclasses.replace(project.catalogue, config=config)
    assert isinstance(project.catalogue, Catalogue)
    site = root / "site"
    build_site(project, site)
    return site
