"""`gongkai serve` in Chromium: a new entry's page at once, a deleted one gone at once (issue 18),
and the listings right once the full build behind the preview lands: no failed request.

Any console error, page error, failed request or HTTP status >= 400 in the browser fails the
test (the 404 of the deleted page is asked for outside the browser).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_serve_reload import Watched, watched  # noqa: F401 - the fixture
from tests.serve_helpers import fetch, serving, wait_for

pytestmark = pytest.mark.browser

NEW_NO = "000000002/2024-00005"
NEW_URL = "catalogue/000000002-2024-00005/"
TITLE = "测试市人民政府办公室关于预览新增条目的通知"


def test_a_new_and_a_deleted_entry_in_the_browser(make_project: Any, tmp_path: Path, watched: Watched) -> None:  # noqa: F811
    p = make_project()
    p.entry(title="已有的第一个条目")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with serving(p.root, scratch) as url:
        watched.page.goto(url + "catalogue/")
        assert "已有的第一个条目" in watched.text() and TITLE not in watched.text()
        watched.page.wait_for_timeout(500)  # the page's reload poll is open
        new = p.entry("e-new", title=TITLE, index_no=NEW_NO)
        shown = wait_for(lambda: (r := fetch(url + NEW_URL)) is not None and r[0] == 200 and TITLE in r[1])
        assert shown, "the new entry's page was not served"
        # the open listing reloads itself once the full build behind the preview lands
        assert watched.wait_text(TITLE), "the listing did not show the new entry"
        watched.page.click(f"text={TITLE}")
        watched.page.wait_for_url(url + NEW_URL)
        assert TITLE in watched.text()
        watched.page.goto(url + "catalogue/")
        watched.page.wait_for_timeout(500)
        new.unlink()
        gone = wait_for(lambda: (r := fetch(url + NEW_URL)) is not None and r[0] == 404)
        assert gone, "the deleted entry's page is still served"
        # text() is "" while the page reloads: wait for the listing itself, without the entry (a
        # late reload of the listing from the addition's build must not pass for the deletion's)
        end = wait_for(lambda: "已有的第一个条目" in (t := watched.text()) and TITLE not in t)
        assert end, "the listing still shows the deleted entry"
        hrefs = watched.page.eval_on_selector_all("main a[href]", "links => links.map(a => a.href)")
        pages = sorted({h.split("#")[0] for h in hrefs if h.startswith(url)})
        assert pages
        for href in pages:  # every page the listing links to loads without a failed request
            watched.page.goto(href)
        watched.page.goto("about:blank")  # leave before the server stops (its open reload poll would fail)
    assert watched.problems == [], watched.problems


def test_a_new_draft_is_never_served(make_project: Any, tmp_path: Path) -> None:
    p = make_project()
    p.entry(title="已有的第一个条目")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with serving(p.root, scratch) as url:
        p.entry("e-draft", title=TITLE, index_no=NEW_NO, draft=True)
        p.entry("e-later", title="随后保存的条目", index_no="000000002/2024-00007")
        later = "catalogue/000000002-2024-00007/"
        assert wait_for(lambda: (r := fetch(url + later)) is not None and r[0] == 200)
        for path in (NEW_URL, "catalogue/", "", "catalogue.csv"):
            r = fetch(url + path)
            assert r is not None and TITLE not in r[1], path
