"""`gongkai serve` started while a file has errors (issue 13, item 11), and its reload script.

Without any good site the server answers every page with a Chinese list of the
problems (file:line:col, message, hint), which turns into the site once the file is
fixed; with a previous ``gongkai build`` in ``site/``, that site is served.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from tests.conftest import run_cli
from tests.serve_helpers import fetch, serving, wait_for

ENTRY_URL = "catalogue/000000002-2024-00001/"


def _scratch(tmp_path: Path) -> Path:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    return scratch


def test_never_built_serves_the_problems_then_the_site(make_project: Any, tmp_path: Path) -> None:
    p = make_project()
    p.entry(title="第一版标题", disclosure="主动公示")  # E401 at line 12
    with serving(p.root, _scratch(tmp_path)) as url:
        for path in ("", ENTRY_URL, "topics/", "no/such/page/", "index.html"):
            got = fetch(url + path)
            assert got is not None
            status, text = got
            assert status == 200, (path, status)
            assert "网站尚未生成" in text
            assert "<code>catalogue/e1.md:12:13</code> 错误[E401]：公开方式 主动公示 不在词表中" in text
            assert "提示：您是不是要写 主动公开？" in text
            assert '<script src="/.gongkai/livereload.js"' in text  # the list refreshes itself
        p.entry(title="第一版标题")
        fixed = wait_for(lambda: "第一版标题" in ((fetch(url + ENTRY_URL) or (0, ""))[1]))
        assert fixed


def test_problems_page_escapes_what_the_editor_wrote(make_project: Any, tmp_path: Path) -> None:
    p = make_project()
    p.entry(disclosure="<b>主动</b>")
    with serving(p.root, _scratch(tmp_path)) as url:
        got = fetch(url)
        assert got is not None and got[0] == 200
        assert "&lt;b&gt;主动&lt;/b&gt;" in got[1] and "<b>主动</b>" not in got[1]


def test_previous_build_is_served_while_a_file_has_errors(make_project: Any, tmp_path: Path) -> None:
    p = make_project()
    p.entry(title="上次构建的标题")
    built = run_cli("build", str(p.root))
    assert built.returncode == 0, built.stderr
    p.entry(title="改坏后的标题", disclosure="主动公示")
    with serving(p.root, _scratch(tmp_path)) as url:
        got = fetch(url + ENTRY_URL)
        assert got is not None and got[0] == 200
        assert "上次构建的标题" in got[1] and "网站尚未生成" not in got[1]
        assert "/.gongkai/livereload.js" in got[1]
        assert "有 1 个错误，这里显示的是上一次成功构建的网站。" in got[1]
        assert "<code>catalogue/e1.md:12:13</code> 错误[E401]：公开方式 主动公示 不在词表中" in got[1]
        missing = fetch(url + "no/such/page/")
        assert missing is not None and missing[0] == 404 and "网站尚未生成" not in missing[1]
        p.entry(title="修正后的标题")
        assert wait_for(lambda: "修正后的标题" in ((fetch(url + ENTRY_URL) or (0, ""))[1]))
        assert "gk-serve-problems" not in (fetch(url + ENTRY_URL) or (0, ""))[1]


def test_a_later_error_keeps_the_last_good_site(make_project: Any, tmp_path: Path) -> None:
    p = make_project()
    p.entry(title="好的标题")
    with serving(p.root, _scratch(tmp_path)) as url:
        assert "好的标题" in (fetch(url + ENTRY_URL) or (0, ""))[1]
        p.entry(title="坏的标题", disclosure="主动公示")
        banner = "有 1 个错误，这里显示的是上一次成功构建的网站。"
        assert wait_for(lambda: banner in (fetch(url + ENTRY_URL) or (0, ""))[1])  # the rebuild has run
        got = fetch(url + ENTRY_URL)
        assert got is not None and got[0] == 200 and "好的标题" in got[1] and "坏的标题" not in got[1]


def test_pages_load_the_reload_script_as_a_file_allowed_by_the_csp(make_project: Any, tmp_path: Path) -> None:
    p = make_project()
    p.entry()
    with serving(p.root, _scratch(tmp_path)) as url:
        got = fetch(url + ENTRY_URL)
        assert got is not None and got[0] == 200
        page = got[1]
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
        assert csp and "script-src 'self'" in html.unescape(csp.group(1))
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S)
        inline = [body for attrs, body in scripts if body.strip() and "application/json" not in attrs]
        assert scripts and inline == []  # no inline script the CSP would block (JSON data is not run)
        js = fetch(url + ".gongkai/livereload.js")
        assert js is not None and js[0] == 200 and "/livereload/" in js[1]
    built = run_cli("build", str(p.root))
    assert built.returncode == 0
    published = (p.root / "site" / ENTRY_URL / "index.html").read_text(encoding="utf-8")
    assert "livereload" not in published  # the published site is not touched


def test_serve_speaks_english_with_lang_en(make_project: Any, tmp_path: Path) -> None:
    """`gongkai serve --lang en`: the terminal lines, the problems page, the banner on the last
    good site and the 404 before any site are in English, like every other command's --lang en."""
    p = make_project()
    p.entry(title="第一版标题", disclosure="主动公示")  # E401 at line 12
    err: list[str] = []
    with serving(p.root, _scratch(tmp_path), "--lang", "en", stderr=err) as url:
        got = fetch(url)
        assert got is not None and got[0] == 200
        page = got[1]
        assert '<html lang="en">' in page and "No site yet: please fix these problems" in page
        assert "<code>catalogue/e1.md:12:13</code> error[E401]: " in page
        assert "网站尚未生成" not in page and "错误[" not in page and "提示：" not in page
        assert "1 error(s), 0 warning(s)" in page
        missing = fetch(url + "style.css")  # not a page: a plain 404 before any site
        assert missing is not None and missing[0] == 404 and missing[1] == "no site yet"
        p.entry(title="第一版标题")
        assert wait_for(lambda: "第一版标题" in ((fetch(url + ENTRY_URL) or (0, ""))[1]))
        p.entry(title="坏的标题", disclosure="主动公示")
        shown = wait_for(lambda: "gk-serve-problems" in ((fetch(url + ENTRY_URL) or (0, ""))[1]))
        assert shown
        entry = (fetch(url + ENTRY_URL) or (0, ""))[1]
        assert "1 error(s): this is the last good build of the site." in entry
        assert "这里显示的是上一次成功构建的网站" not in entry
    text = err[0]
    assert "preview at http://127.0.0.1:" in text and "(Ctrl+C to stop)" in text
    assert "errors, and no site yet" in text and "errors: still showing the last good build" in text
    assert "error[E401]" in text
    for chinese in ("预览地址", "已构建", "有错误", "构建失败", "错误["):  # none of the Chinese lines
        assert chinese not in text, text


def test_serve_help_offers_lang() -> None:
    result = run_cli("serve", "--help")
    assert result.returncode == 0 and "--lang [zh|en]" in result.stdout
