"""Body links to drafts, embargoed items and unpublished attachments: W102 in check, no address in the site."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BUILD_DATE, ProjectFactory

DRAFT = "000000002/2024-00009"
DRAFT_SLUG = "000000002-2024-00009"
EMBARGOED = "000000002/2024-00008"
EMBARGOED_SLUG = "000000002-2024-00008"
LINKS = [
    f"[相对网址](../{DRAFT_SLUG}/)",
    f"[站内绝对路径](/xxgk/catalogue/{DRAFT_SLUG}/)",
    f"[完整网址](https://www.example.gov.cn/xxgk/catalogue/{DRAFT_SLUG}/index.html#top)",
    "[按源文件](草稿.md)",
    "[引用式][ref]",
    f'<a href="../{EMBARGOED_SLUG}/">HTML 链接</a>',
    f"<https://www.example.gov.cn/xxgk/catalogue/{EMBARGOED_SLUG}/>",
    "[草稿附件](../../attachments/files/draft-secret.pdf)",
    "![草稿图片](../../attachments/files/draft-pic.png)",
    "[依申请公开附件](../../attachments/files/onreq-secret.pdf)",
]


@pytest.fixture
def linked(make_project: Any) -> ProjectFactory:
    p = make_project()
    d1 = p.attachment("files/draft-secret.pdf", b"%PDF draft")
    d2 = p.attachment("files/draft-pic.png", b"\x89PNG")
    d3 = p.attachment("files/onreq-secret.pdf", b"%PDF onreq")
    body = "\n\n".join(LINKS) + f"\n\n[ref]: ../{DRAFT_SLUG}/\n"
    p.entry("公开", body=body)
    p.entry(
        "草稿",
        index_no=DRAFT,
        title="草稿文件",
        draft=True,
        attachments=[
            {"title": "a", "file": "files/draft-secret.pdf", "sha256": d1},
            {"title": "b", "file": "files/draft-pic.png", "sha256": d2},
        ],
    )
    p.entry("未到期", index_no=EMBARGOED, title="未到公开时间", embargo_until=dt.date(2030, 1, 1))
    p.entry(
        "依申请",
        index_no="000000002/2024-00007",
        title="依申请公开",
        disclosure="依申请公开",
        attachments=[{"title": "c", "file": "files/onreq-secret.pdf", "sha256": d3}],
    )
    p.interpretation(body=f"解读里也有：[草稿](../../catalogue/{DRAFT_SLUG}/)\n")
    p.page("links", "链接页", body=f"页面里：[草稿](../catalogue/{DRAFT_SLUG}/)\n")
    return p


def test_every_kind_of_link_to_an_unpublished_target_is_warned_where_it_is(linked: ProjectFactory) -> None:
    diags = [d for d in linked.diagnostics() if d.code == "W102"]
    by_file: dict[str, list[int]] = {}
    for d in diags:
        by_file.setdefault(d.path, []).append(d.line)
    # every link written with an address, the reference definition standing for [引用式][ref]
    assert len(by_file["catalogue/公开.md"]) == len(LINKS)
    assert by_file["content/interpretations/i1.md"] and by_file["content/pages/links.md"]
    values = {dict(d.params)["value"] for d in diags}
    assert DRAFT in values and EMBARGOED in values and "catalogue/files/onreq-secret.pdf" in values
    assert not [d for d in linked.diagnostics() if d.is_error]


def every_text(site: Path) -> str:
    parts = []
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            parts.append(data.decode("utf-8", "replace"))
    return "\n".join(parts)


def test_the_site_publishes_no_address_of_an_unpublished_target(linked: ProjectFactory) -> None:
    site = linked.build()
    text = every_text(site)
    for secret in (DRAFT_SLUG, EMBARGOED_SLUG, DRAFT, EMBARGOED, "draft-secret", "draft-pic", "onreq-secret"):
        assert secret not in text, secret
    page = next(p for p in site.glob("catalogue/*/index.html") if "相对网址" in p.read_text(encoding="utf-8"))
    html = page.read_text(encoding="utf-8")
    assert "<a>相对网址</a>" in html  # the text stays, without an address


def test_links_to_published_items_are_kept(make_project: Any) -> None:
    p = make_project()
    p.entry("a", body="[另一个](../000000002-2024-00002/) 与 [外部](https://www.gov.cn/)\n")
    p.entry("b", index_no="000000002/2024-00002", title="第二个")
    assert "W102" not in p.codes()
    site = p.build()
    html = (site / "catalogue" / "000000002-2024-00001" / "index.html").read_text(encoding="utf-8")
    assert 'href="../000000002-2024-00002/"' in html and 'href="https://www.gov.cn/"' in html


def test_build_date_matters(linked: ProjectFactory) -> None:
    later = [d for d in linked.diagnostics(dt.date(2031, 1, 1)) if d.code == "W102"]
    assert EMBARGOED not in {dict(d.params)["value"] for d in later}
    assert dt.date(2030, 1, 1) > BUILD_DATE
