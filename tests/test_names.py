"""Names editors choose: Chinese page names, attachments with ``#``, ``?``, ``%``, spaces, quotes.

Each is either published under a link that reaches it, or refused by ``check`` with a
positioned error; never a crash of ``build`` after a clean ``check``.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlparse

import pytest

from tests.conftest import BUILD_DATE, CONFIG, ProjectFactory, run_cli

BASE = "http://site.invalid/xxgk/"

PAGE_NAMES = ["关于我们", "联系 我们", "第#1号", "百分之%20", "问答?", "引号'单'", '引号"双"', "ａｂｃ全角", "a&b"]
FILE_NAMES = ["会议纪要#2.txt", "附件 一.txt", "100%.txt", "问?.txt", "引号'x'.txt", "说明&amp;.txt", "中文附件.txt"]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def broken_links(site: Path) -> list[tuple[str, str]]:
    """Every link of every page, resolved as a browser does, that reaches no published file."""
    broken: list[tuple[str, str]] = []
    for page in sorted(site.rglob("*.html")):
        here = urljoin(BASE, quote(page.relative_to(site).as_posix()))
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            target = urlparse(urljoin(here, url))
            if target.netloc != "site.invalid" or not target.path.startswith("/xxgk/"):
                continue
            path = site / unquote(target.path)[len("/xxgk/") :]
            if not (path.is_file() or (path / "index.html").is_file()):
                broken.append((page.relative_to(site).as_posix(), url))
    return broken


def links_to(site: Path, needle: str) -> list[str]:
    found = []
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [u for u in parser.urls if needle in unquote(u)]
    return found


@pytest.fixture
def named(make_project: Any) -> ProjectFactory:
    p = make_project(CONFIG.replace("https://www.example.gov.cn/xxgk/", BASE))
    atts = [
        {"title": f"附件{n}", "file": f"files/{name}", "sha256": p.attachment(f"files/{name}", name.encode())}
        for n, name in enumerate(FILE_NAMES)
    ]
    p.entry(attachments=atts)
    for n, name in enumerate(PAGE_NAMES):
        p.page(name, f"页面{n}", nav_order=n + 10)
    p.write("content/media/视频 #1.mp4", b"\x00\x00\x00 ftypisom")
    p.interpretation(form="视频", media={"file": "media/视频 #1.mp4", "title": "解读视频"})
    return p


def test_check_and_build_agree_on_editor_names(named: ProjectFactory) -> None:
    check = run_cli("check", str(named.root), "--build-date", BUILD_DATE.isoformat())
    assert check.returncode == 0, check.stderr
    build = run_cli("build", str(named.root), "--build-date", BUILD_DATE.isoformat(), "--quiet")
    assert build.returncode == 0, build.stderr
    assert "内部错误" not in build.stderr


def test_every_link_to_a_named_page_or_file_reaches_it(named: ProjectFactory) -> None:
    site = named.build()
    for name in PAGE_NAMES:
        assert (site / name / "index.html").is_file(), name
        assert links_to(site, name + "/"), f"no link to page {name}"
    for name in FILE_NAMES:
        assert (site / "attachments" / "files" / name).read_bytes() == name.encode()
        assert links_to(site, "files/" + name), f"no link to attachment {name}"
    assert (site / "media" / "media" / "视频 #1.mp4").is_file()
    assert broken_links(site) == []


def test_links_are_percent_encoded(named: ProjectFactory) -> None:
    site = named.build()
    entry = next(site.glob("catalogue/*/index.html")).read_text(encoding="utf-8")
    assert 'href="../../attachments/files/%E4%BC%9A%E8%AE%AE%E7%BA%AA%E8%A6%81%232.txt"' in entry
    assert "会议纪要#2.txt" not in entry.split("附件0")[0].rsplit("<a", 1)[-1]


def test_machine_outputs_carry_encoded_urls(named: ProjectFactory) -> None:
    import json

    site = named.build()
    data = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False)
    assert "%232.txt" in text and "#2.txt" not in text
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert quote("关于我们") in sitemap and "关于我们" not in sitemap


def test_a_page_slug_colliding_with_another_page_is_a_check_error(make_project: Any) -> None:
    p = make_project()
    p.entry()
    p.page("about", "关于")
    p.write("content/about.md", "---\ntitle: 另一个关于\n---\n正文\n")
    diags = [d for d in p.diagnostics() if d.code == "E026"]
    assert [(d.path, d.line) for d in diags] == [("content/pages/about.md", 1)] or [
        (d.path, d.line) for d in diags
    ] == [("content/about.md", 1)]
