"""The model: relations both ways, indexes, and the public view."""

from __future__ import annotations

import datetime as dt
from typing import Any

from generator.model.catalogue import Catalogue
from tests.conftest import BUILD_DATE

D = dt.date


def normative(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "info_type": "行政规范性文件",
        "validity": "有效",
        "validity_history": [{"date": D(2024, 3, 5), "status": "有效"}],
    }
    base.update(kw)
    return base


def test_relations_and_interpretations_resolve_both_ways(make_project: Any) -> None:
    p = make_project()
    p.entry(
        "old",
        **normative(
            validity="废止",
            validity_history=[
                {"date": D(2024, 3, 5), "status": "有效"},
                {"date": D(2025, 2, 1), "status": "废止", "by": "000000002/2025-00001"},
            ],
        ),
    )
    p.entry(
        "new",
        index_no="000000002/2025-00001",
        doc_number="测政办规〔2025〕1号",
        written_date=D(2025, 1, 20),
        published_date=D(2025, 2, 1),
        relations={"repeals": ["000000002/2024-00001"]},
        **normative(validity_history=[{"date": D(2025, 2, 1), "status": "有效"}]),
    )
    p.interpretation()
    p.interpretation(
        "i2", index_no="000000002/2025-00002", interprets=["000000002/2025-00001"], published_date=D(2025, 2, 1)
    )
    project = p.load()
    assert project.diagnostics == []
    cat = project.catalogue
    assert [e.index_no for e in cat.related("000000002/2024-00001", "repealed_by")] == ["000000002/2025-00001"]
    assert [e.index_no for e in cat.related("000000002/2025-00001", "repeals")] == ["000000002/2024-00001"]
    assert [i.index_no for i in cat.interpretations_of("000000002/2024-00001")] == ["000000002/2024-00002"]
    assert [e.index_no for e in cat.sources_of(cat.interpretations["000000002/2025-00002"])] == ["000000002/2025-00001"]
    assert [e.index_no for e in cat.current_normative()] == ["000000002/2025-00001"]
    assert [e.index_no for e in cat.repealed_normative()] == ["000000002/2024-00001"]
    old = cat.entries["000000002/2024-00001"]
    assert old.status_on(D(2024, 12, 31)) == "有效"
    assert old.status_on(D(2025, 2, 1)) == "废止"


def test_indexes(make_project: Any) -> None:
    p = make_project()
    p.entry("a", topics=["综合政务\\政务公开", "综合政务\\电子政务"])
    p.entry(
        "b",
        index_no="000000003/2023-00001",
        publisher="edu",
        published_date=D(2023, 5, 1),
        written_date=D(2023, 5, 1),
        topics=["科技、教育\\教育"],
        info_type="规划计划",
    )
    cat = p.load().catalogue
    topics = {k: [e.index_no for e in v] for k, v in cat.by_topic().items()}
    assert topics == {
        ("综合政务", None): ["000000002/2024-00001"],
        ("综合政务", "政务公开"): ["000000002/2024-00001"],
        ("综合政务", "电子政务"): ["000000002/2024-00001"],
        ("科技、教育", None): ["000000003/2023-00001"],
        ("科技、教育", "教育"): ["000000003/2023-00001"],
    }
    assert sorted(cat.by_agency()) == ["edu", "office"]
    assert sorted(cat.by_year()) == [2023, 2024]
    assert sorted(cat.by_info_type()) == ["其他文件", "规划计划"]


def test_the_newest_first_orders_are_the_catalogues_own(make_project: Any) -> None:
    """The orders are sorted once per catalogue: a caller's list is its own, and a
    catalogue with other items (the public view of another day) has its own order."""
    p = make_project()
    p.entry("a")
    p.entry("b", index_no="000000002/2023-00001", published_date=D(2023, 5, 1), written_date=D(2023, 5, 1))
    p.entry("later", index_no="000000002/2026-00001", published_date=D(2026, 3, 1), written_date=D(2026, 3, 1))
    full = p.load().catalogue
    first = full.newest_entries()
    assert [e.index_no for e in first] == ["000000002/2026-00001", "000000002/2024-00001", "000000002/2023-00001"]
    first.clear()  # the caller's list: the catalogue's order is unchanged
    assert len(full.newest_entries()) == 3 and len(full.newest_interpretations()) == 0
    assert [e.index_no for e in full.current_normative()] == []
    other = Catalogue.build(full.config, [e for e in full.entries.values() if e.index_no != "000000002/2026-00001"], [])
    assert [e.index_no for e in other.newest_entries()] == ["000000002/2024-00001", "000000002/2023-00001"]
    assert full.public(D(2026, 6, 1)).newest_entries()[0].index_no == "000000002/2026-00001"
    assert full.newest_entries()[0].index_no == "000000002/2026-00001"


def test_public_view_drops_non_public_items_and_bodies(make_project: Any) -> None:
    p = make_project()
    p.entry("pub", relations={"amends": ["000000002/2024-00003"]})
    p.entry("draft", index_no="000000002/2024-00003", draft=True, body="DRAFT-BODY")
    p.entry("embargo", index_no="000000002/2024-00004", embargo_until=BUILD_DATE + dt.timedelta(days=1))
    p.entry("request", index_no="000000002/2024-00005", disclosure="依申请公开", body="REQUEST-BODY")
    p.interpretation("i1", interprets=["000000002/2024-00001"])
    p.interpretation("i2", index_no="000000002/2024-00006", interprets=["000000002/2024-00003"])
    project = p.load()
    public = project.public()
    assert sorted(public.entries) == ["000000002/2024-00001", "000000002/2024-00005"]
    assert public.entries["000000002/2024-00005"].body == ""
    assert sorted(public.interpretations) == ["000000002/2024-00002", "000000002/2024-00006"]
    # the interpretation of the draft exists, but links to nothing public
    assert public.sources_of(public.interpretations["000000002/2024-00006"]) == []
    assert public.related("000000002/2024-00001", "amends") == []
    # the embargo lifts on its day
    later = project.catalogue.public(BUILD_DATE + dt.timedelta(days=1))
    assert "000000002/2024-00004" in later.entries
