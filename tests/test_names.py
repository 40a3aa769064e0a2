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
    p.entry("2024/关于 #1 “通知”", index_no="000000002/2024-00003", title="文件名含空格和引号的条目")
    p.interpretation("解读 #2%", index_no="000000002/2024-00004", title="文件名含百分号的解读")
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
    entry = (site / "catalogue" / "000000002-2024-00001" / "index.html").read_text(encoding="utf-8")
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


def positions(p: ProjectFactory, code: str) -> list[tuple[str, int]]:
    return [(d.path, d.line) for d in p.diagnostics() if d.code == code]


def test_two_info_types_with_one_slug_are_a_positioned_check_error(make_project: Any) -> None:
    config = CONFIG + (
        "vocabularies:\n  info_types:\n    - {name: 年度报告, slug: nianbao}\n    - {name: 其他文件, slug: nianbao}\n"
    )
    p = make_project(config)
    p.entry()
    assert positions(p, "E026") == [("site_config.yml", 19)]
    result = run_cli("check", str(p.root), "--build-date", BUILD_DATE.isoformat())
    assert result.returncode == 1 and "site_config.yml:19:" in result.stderr and "/types/nianbao/" in result.stderr


def test_topic_slugs_that_join_to_one_url_collide(make_project: Any) -> None:
    config = CONFIG + (
        "vocabularies:\n"
        "  topics:\n"
        "    - {name: 综合政务, slug: a-b, children: [{name: 政务公开, slug: c}]}\n"
        "    - {name: 其他, slug: a, children: [{name: 其他类, slug: b-c}]}\n"
    )
    p = make_project(config)
    p.entry()
    assert [d.code for d in p.diagnostics()] == ["E026"]


def test_pages_colliding_with_each_other_or_with_generated_files(make_project: Any) -> None:
    p = make_project()
    p.entry()
    p.page("about", "关于")
    p.write("content/about.md", "---\ntitle: 另一个关于\n---\n正文\n")  # slug about as well
    p.page("page-catalogue", "显式前缀")
    p.page("catalogue", "保留名")  # published as page-catalogue/
    p.page("sitemap.xml", "站点地图")  # a folder named like the sitemap file
    p.page("catalogue.json", "数据")
    assert positions(p, "E026") == [
        ("content/pages/about.md", 1),
        ("content/pages/catalogue.json.md", 1),
        ("content/pages/page-catalogue.md", 1),
        ("content/pages/sitemap.xml.md", 1),
    ]


def test_index_numbers_with_one_slug_collide(make_project: Any) -> None:
    config = CONFIG.replace(
        "pattern: '^(?P<prefix>[0-9A-Z]{9})/(?P<year>\\d{4})-(?P<serial>\\d{5})$'",
        "pattern: '^(?P<prefix>[0-9A-Z]{9})[/-](?P<year>\\d{4})-(?P<serial>\\d{5})$'",
    )
    p = make_project(config)
    p.entry("a")
    p.entry("b", index_no="000000002-2024-00001", title="另一个")
    assert positions(p, "E026") == [("catalogue/b.md", 2)]


def test_names_differing_only_in_case_are_warned(make_project: Any) -> None:
    p = make_project()
    p.page("About", "关于")
    p.page("about", "关于2")
    sha = p.attachment("files/Report.pdf", b"1")
    sha2 = p.attachment("files/report.pdf", b"2")
    p.entry(attachments=[{"title": "1", "file": "files/Report.pdf", "sha256": sha}])
    p.entry(
        "e2", index_no="000000002/2024-00002", attachments=[{"title": "2", "file": "files/report.pdf", "sha256": sha2}]
    )
    assert sorted(positions(p, "W105")) == [("catalogue/e2.md", 15), ("content/pages/about.md", 1)]


def test_the_sample_has_no_collisions() -> None:
    from generator.project import load_project
    from tests.conftest import REPO

    assert [d.code for d in load_project(REPO, BUILD_DATE).diagnostics if d.code in ("E026", "W105")] == []
