"""Nothing that is not public leaks into any output file.

A fixture holds one item of every non-public kind — a draft entry, an entry
embargoed past the build date, a 依申请公开 entry (public metadata, private body
and attachment), a draft and an embargoed interpretation, a draft page — each
carrying unique marker strings in its title, keywords, abstract and body, and
public items that refer to them (relations, interprets, validity_history.by).

The test walks every byte of every file of the built site, whatever its type
(HTML, XML, JSON, CSV, the search index, sitemap.xml.gz decompressed, zip
archives unpacked), so outputs added later (search shards, exports, statistics)
are covered without touching this test.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from tests.conftest import BUILD_DATE, run_cli

D = dt.date
PUBLIC = "000000002/2024-00001"
DRAFT, EMBARGOED, ON_REQUEST = "000000002/2024-00002", "000000002/2024-00003", "000000002/2024-00004"
DRAFT_INTERP, EMBARGOED_INTERP, PUBLIC_INTERP = "000000002/2024-00005", "000000002/2024-00006", "000000002/2024-00007"
UNPUBLISHED = (DRAFT, EMBARGOED, DRAFT_INTERP, EMBARGOED_INTERP)


def marker(name: str) -> str:
    return f"LEAKMARK{name}QZX"


MARKERS = {
    "draft entry": ["DraftTitle", "DraftBody", "DraftKeyword", "DraftAbstract", "DraftAttachment"],
    "embargoed entry": ["EmbargoTitle", "EmbargoBody", "EmbargoAbstract"],
    "依申请公开 entry": ["RequestBody", "RequestAttachment"],
    "draft interpretation": ["DraftInterpTitle", "DraftInterpBody"],
    "embargoed interpretation": ["EmbargoInterpTitle", "EmbargoInterpBody"],
    "draft page": ["DraftPageTitle", "DraftPageBody"],
}
CJK_MARKER = "泄露标记草稿正文"  # also looked for as \\u escapes and HTML character references


@pytest.fixture(scope="module")
def leak_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import ProjectFactory

    p = ProjectFactory(tmp_path_factory.mktemp("leaks") / "repo")
    m = marker
    p.write("catalogue/files/draft.txt", f"附件 {m('DraftAttachment')}\n")
    p.write("catalogue/files/request-only.txt", f"附件 {m('RequestAttachment')}\n")
    p.write("catalogue/files/public.txt", "公开的附件\n")
    p.entry(
        "public",
        index_no=PUBLIC,
        title="公开的通知",
        body="公开正文 PUBLICMARKER。\n",
        relations={"amends": [DRAFT], "replaces": [EMBARGOED]},
        attachments=[{"title": "公开附件", "file": "files/public.txt"}],
    )
    p.entry(
        "draft",
        index_no=DRAFT,
        title=f"草稿 {m('DraftTitle')}",
        keywords=[m("DraftKeyword")],
        abstract=m("DraftAbstract"),
        draft=True,
        body=f"{m('DraftBody')}\n\n{CJK_MARKER}\n",
        attachments=[{"title": "草稿附件", "file": "files/draft.txt"}],
        published_date=D(2024, 3, 6),
    )
    p.entry(
        "embargoed",
        index_no=EMBARGOED,
        title=f"待公开 {m('EmbargoTitle')}",
        abstract=m("EmbargoAbstract"),
        embargo_until=BUILD_DATE + dt.timedelta(days=1),
        body=f"{m('EmbargoBody')}\n",
        published_date=D(2024, 3, 7),
    )
    p.entry(
        "request",
        index_no=ON_REQUEST,
        title="依申请公开的会议纪要",
        disclosure="依申请公开",
        body=f"{m('RequestBody')}\n",
        attachments=[{"title": "纪要附件", "file": "files/request-only.txt"}],
        published_date=D(2024, 3, 8),
    )
    p.entry(
        "repealed",
        index_no="000000002/2024-00008",
        title="被草稿废止的旧文件",
        info_type="行政规范性文件",
        validity="废止",
        validity_history=[
            {"date": D(2024, 3, 5), "status": "有效"},
            {"date": D(2025, 1, 1), "status": "废止", "by": DRAFT},
        ],
        body="旧文件正文。\n",
    )
    p.interpretation("public-interp", index_no=PUBLIC_INTERP, title="公开的解读", interprets=[PUBLIC, DRAFT, EMBARGOED])
    p.interpretation(
        "repealed-interp", index_no="000000002/2024-00009", title="旧文件解读", interprets=["000000002/2024-00008"]
    )
    p.interpretation(
        "draft-interp",
        index_no=DRAFT_INTERP,
        title=f"解读 {m('DraftInterpTitle')}",
        interprets=[PUBLIC],
        draft=True,
        body=f"{m('DraftInterpBody')}\n",
    )
    p.interpretation(
        "embargoed-interp",
        index_no=EMBARGOED_INTERP,
        title=f"解读 {m('EmbargoInterpTitle')}",
        interprets=[PUBLIC, ON_REQUEST],
        embargo_until=D(2027, 1, 1),
        body=f"{m('EmbargoInterpBody')}\n",
    )
    p.page("guide", "政府信息公开指南", nav_order=1)
    p.page("draft-page", f"草稿页面 {m('DraftPageTitle')}", body=f"{m('DraftPageBody')}\n", nav_order=2, draft=True)
    result = run_cli("build", str(p.root), "--build-date", BUILD_DATE.isoformat())
    assert result.returncode == 0, result.stderr
    assert "W102" in result.stderr  # the public items' references to unpublished ones are flagged
    return p.root / "site"


def every_blob(site: Path) -> Iterator[tuple[str, bytes]]:
    """Every file's bytes, plus the decompressed content of .gz files and zip archives."""
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        yield rel, data
        if path.suffix == ".gz":
            yield rel + "!gunzip", gzip.decompress(data)
        if zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for name in archive.namelist():
                    yield f"{rel}!{name}", archive.read(name)


def spellings(text: str) -> list[bytes]:
    """The ways a string can be written into an output file."""
    forms = {
        text,
        json.dumps(text)[1:-1],  # \\uXXXX escapes
        "".join(f"&#{ord(c)};" for c in text),
        "".join(f"&#x{ord(c):x};" for c in text),
        html.escape(text),
    }
    return [f.encode("utf-8") for f in forms]


def slug(index_no: str) -> str:
    return re.sub(r"[^0-9A-Za-z._-]+", "-", index_no)


def test_the_walk_sees_public_content(leak_site: Path) -> None:
    """Positive control: the same walk finds what is public, so a silent walk means no leak."""
    blobs = dict(every_blob(leak_site))
    assert any(b"PUBLICMARKER" in data for data in blobs.values())
    assert any("依申请公开的会议纪要".encode() in data for data in blobs.values())
    assert any(name.endswith("!gunzip") for name in blobs)  # sitemap.xml.gz was opened


@pytest.mark.parametrize("kind", sorted(MARKERS))
def test_no_marker_of_a_non_public_item_in_any_output(leak_site: Path, kind: str) -> None:
    needles = [(name, form) for name in MARKERS[kind] for form in spellings(marker(name))]
    if kind == "draft entry":
        needles += [(CJK_MARKER, form) for form in spellings(CJK_MARKER)]
    leaks = [(file, name) for file, data in every_blob(leak_site) for name, form in needles if form in data]
    assert leaks == []


def test_unpublished_items_are_not_named_or_linked_anywhere(leak_site: Path) -> None:
    needles = [n for index_no in UNPUBLISHED for n in (index_no, slug(index_no))]
    leaks = [(f, n) for f, data in every_blob(leak_site) for n in needles for form in spellings(n) if form in data]
    assert leaks == []


def test_on_request_entry_publishes_metadata_only(leak_site: Path) -> None:
    page = (leak_site / "catalogue" / slug(ON_REQUEST) / "index.html").read_text(encoding="utf-8")
    assert "依申请公开的会议纪要" in page
    assert "本信息为依申请公开" in page
    assert not (leak_site / "attachments" / "files" / "request-only.txt").exists()
    assert not (leak_site / "attachments" / "files" / "draft.txt").exists()
    assert (leak_site / "attachments" / "files" / "public.txt").exists()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action", "poster", "data") and value:
                self.urls.append(value)


def test_public_pages_link_only_to_published_pages(leak_site: Path) -> None:
    """Reverse links included: no page links to a page or file that was not published."""
    base = "http://site.invalid/xxgk/"  # the path of site.url in the test configuration
    broken: list[tuple[str, str]] = []
    for page in sorted(leak_site.rglob("*.html")):
        here = urljoin(base, page.relative_to(leak_site).as_posix())
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            target = urlparse(urljoin(here, url))
            if target.netloc != "site.invalid" or not target.path.startswith("/xxgk/"):
                continue
            path = leak_site / unquote(target.path)[len("/xxgk/") :]
            if not (path.is_file() or (path / "index.html").is_file()):
                broken.append((page.relative_to(leak_site).as_posix(), url))
    assert broken == []


def test_listing_counts_only_public_items(leak_site: Path) -> None:
    home = (leak_site / "catalogue" / "index.html").read_text(encoding="utf-8")
    assert "目录共收录 3 条信息、2 篇政策解读。" in home
