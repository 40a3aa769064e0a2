"""Facet counts computed by engine.js in one pass over the matches equal their definition
(each facet counted over the matches passing every other facet's filter), for queries with
no filter, one, several, a value no document has and a browse without query."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from tests.search_helpers import node_json

RUNNER = Path(__file__).parent / "js" / "counts.js"


def test_facet_counts_equal_their_definition(sample_site: Path) -> None:
    facets = json.loads((sample_site / "search" / "facets.json").read_text(encoding="utf-8"))["facets"]
    rng = random.Random(20261207)
    queries = ["", "政府", "信息 公开", "通知", "办法", "关于"]
    cases: list[dict[str, Any]] = []
    for q in queries:
        cases.append({"query": q, "filters": {}})
        for _ in range(6):
            chosen = rng.sample(facets, rng.randint(1, min(3, len(facets))))
            filters = {f["key"]: rng.choice(f["values"]) for f in chosen if f["values"]}
            cases.append({"query": q, "filters": filters})
        f = facets[0]
        cases.append({"query": q, "filters": {f["key"]: "没有这个值"}})
    js = sample_site / "assets" / "javascripts" / "search"
    got = node_json([str(RUNNER), str(js), str(sample_site / "search")], cases)
    assert any(r["hits"] and r["shown"] < r["hits"] for r in got)  # some filter took hits away
    assert any(sum(sum(v) for v in r["engine"].values()) for r in got)
    for case, r in zip(cases, got, strict=True):
        assert r["engine"] == r["naive"], case
