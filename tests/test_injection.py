"""No script injection, checked statically on every output file of a hostile site.

tests/hostile.py puts script-injection attempts into titles, keywords, abstracts,
notes, bodies (raw HTML, Markdown links, tables, code) and — bypassing the config
check — the site name, footer and agency names. Every HTML file of the result is
parsed and must contain only the theme's own scripts, no event-handler
attributes, no script URLs, no frames or plugins, no inline styles; every XML
and JSON file must still parse. Outputs added later are covered automatically.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.site.engine import CONTENT_SECURITY_POLICY
from tests.hostile import TITLE_PAYLOADS, build_hostile_site

URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "background", "cite", "srcset"}
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "math"}
INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]+")
SAFE_SCHEME = re.compile(r"^(https?|mailto|tel):", re.IGNORECASE)
ANY_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_hostile_site(tmp_path_factory.mktemp("hostile") / "repo")


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def parse(path: Path) -> _Elements:
    parser = _Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def dangerous_url(value: str) -> bool:
    for candidate in (value, html.unescape(value)):
        compact = INVISIBLE.sub("", candidate)
        if ANY_SCHEME.match(compact) and not SAFE_SCHEME.match(compact):
            return True
        if compact.startswith("\\"):
            return True
    return False


def problems(page: _Elements) -> list[str]:
    found = []
    for tag, attrs in page.elements:
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        if tag == "script" and not (attrs.get("src") or attrs.get("type") == "application/json"):
            found.append("inline <script>")
        if tag == "script" and attrs.get("src") and ANY_SCHEME.match(attrs["src"]):
            found.append(f"third-party script {attrs['src']}")
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            found.append("<meta refresh>")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}=>")
            if name == "style":
                found.append(f"<{tag} style=>")
            if name in URL_ATTRS and dangerous_url(value):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def test_no_executable_markup_in_any_html_file(hostile_site: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 20
    found = {p.relative_to(hostile_site).as_posix(): problems(parse(p)) for p in pages}
    assert {k: v for k, v in found.items() if v} == {}


def test_every_page_carries_the_content_security_policy(hostile_site: Path) -> None:
    for path in sorted(hostile_site.rglob("*.html")):
        page = parse(path)
        metas = [a for t, a in page.elements if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert [m["content"] for m in metas] == [CONTENT_SECURITY_POLICY], path
        # the policy comes before any script (404.html has none: it loads nothing)
        first_script = next((i for i, (t, _) in enumerate(page.elements) if t == "script"), len(page.elements))
        first_csp = next(
            i for i, (t, a) in enumerate(page.elements) if a.get("http-equiv") == "Content-Security-Policy"
        )
        assert first_csp < first_script, path


def test_titles_and_meta_values_are_text(hostile_site: Path) -> None:
    page = parse(hostile_site / "catalogue" / "000000002-2024-00001" / "index.html")
    assert page.title == f'标题1 {TITLE_PAYLOADS[0]} - 测试"市</title><script>alert(80)</script>'
    metas = {a.get("name"): a.get("content") for t, a in page.elements if t == "meta" and a.get("name")}
    assert metas["ArticleTitle"] == f"标题1 {TITLE_PAYLOADS[0]}"
    assert metas["Keywords"] == f"{TITLE_PAYLOADS[0]},<script>alert(70)</script>"
    assert metas["ContentSource"] == '测试市人民政府办公室"><img src=x onerror=alert(84)>'
    text = (hostile_site / "catalogue" / "000000002-2024-00002" / "index.html").read_text(encoding="utf-8")
    assert "标题2 &quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in text
    assert "{{ 7*7 }}" in (hostile_site / "catalogue" / "000000002-2024-00004" / "index.html").read_text("utf-8")


def test_code_stays_code_through_both_markdown_passes(hostile_site: Path) -> None:
    """The engine renders the staged page again; escaped Markdown in code must not become a link there."""
    text = (hostile_site / "catalogue" / "000000002-2024-00001" / "index.html").read_text(encoding="utf-8")
    assert "<code>[代码中的链接](javascript:alert(57))</code>" in text
    assert "[代码块中的链接](javascript:alert(60))" in text
    assert "&lt;script&gt;alert(59)&lt;/script&gt;" in text


def test_machine_outputs_still_parse(hostile_site: Path) -> None:
    xml_files = sorted(hostile_site.rglob("*.xml"))
    json_files = sorted(hostile_site.rglob("*.json"))
    assert xml_files and json_files
    for path in xml_files:
        ET.parse(path)
    for path in json_files:
        json.loads(path.read_text(encoding="utf-8"))
    feed = (hostile_site / "feeds" / "catalogue.xml").read_text(encoding="utf-8")
    titles = [e.text for e in ET.fromstring(feed).iter("{http://www.w3.org/2005/Atom}title")]
    assert f"标题1 {TITLE_PAYLOADS[0]}" in titles
