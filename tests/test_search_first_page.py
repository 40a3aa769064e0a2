"""engine.search(query, filters, sort, first) puts only the first page in order before it
resolves (the page shows its first result sooner; sorting ~60,000 matches was a fifth of a
search at 100k documents): those results are the whole order's first, the others are all
there, and ``upTo(n)`` beyond the first page gives the whole order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.search_helpers import node_json

RUNNER = Path(__file__).parent / "js" / "first.js"


def test_the_first_page_is_the_whole_orders_first(sample_site: Path) -> None:
    facets = json.loads((sample_site / "search" / "facets.json").read_text(encoding="utf-8"))["facets"]
    agency = facets[0]
    cases: list[dict[str, Any]] = []
    for query in ["政府", "信息 公开", "通知", "关于", "办法", "", "没有这样的词语"]:
        for sort in ("", "date"):
            for first in (1, 2, 3, 5, 20):
                cases.append({"query": query, "filters": {}, "sort": sort, "first": first})
            cases.append({"query": query, "filters": {agency["key"]: agency["values"][0]}, "sort": sort, "first": 2})
    js = sample_site / "assets" / "javascripts" / "search"
    got = node_json([str(RUNNER), str(js), str(sample_site / "search")], cases)
    selected = 0
    for case, r in zip(cases, got, strict=True):
        n = case["first"]
        assert r["early"] == r["whole"][:n], case
        assert r["members"] == sorted(r["whole"]), case
        assert r["same"], case
        assert r["later"] == r["whole"], case
        selected += len(r["whole"]) > n  # the selection ran (else one sort)
    assert selected > 20
