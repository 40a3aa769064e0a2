"""Atom feeds: an item's ``updated`` is its latest recorded change (validity event, revision
note), never the wall clock, so a 废止 reaches feed readers."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ProjectFactory

D = dt.date
NS = {"a": "http://www.w3.org/2005/Atom"}


def feed_items(site: Path, name: str = "catalogue") -> list[tuple[str, str, str]]:
    root = ET.parse(site / "feeds" / f"{name}.xml").getroot()
    return [
        (e.findtext("a:title", namespaces=NS) or "", e.findtext("a:published", namespaces=NS) or "",
         e.findtext("a:updated", namespaces=NS) or "")
        for e in root.findall("a:entry", NS)
    ]  # fmt: skip


def feed_updated(site: Path, name: str = "catalogue") -> str:
    return ET.parse(site / "feeds" / f"{name}.xml").getroot().findtext("a:updated", namespaces=NS) or ""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> ProjectFactory:
    p = ProjectFactory(tmp_path_factory.mktemp("feeds") / "repo")
    p.entry(
        "old",
        index_no="000000002/2021-00001",
        title="旧办法",
        doc_number="测政办规〔2021〕1号",
        info_type="行政规范性文件",
        written_date=D(2021, 3, 1),
        published_date=D(2021, 3, 5),
        validity="废止",
        validity_history=[{"date": D(2021, 3, 5), "status": "有效"}, {"date": D(2024, 6, 1), "status": "废止"}],
    )
    p.entry(
        "new", index_no="000000002/2024-00002", title="新通知", written_date=D(2024, 3, 1), published_date=D(2024, 3, 5)
    )
    p.entry(
        "revised",
        index_no="000000002/2023-00003",
        title="修订过的通知",
        written_date=D(2023, 1, 1),
        published_date=D(2023, 1, 5),
        history=[{"date": D(2024, 4, 2), "note": "更正附件"}],
    )
    p.interpretation(
        "i",
        index_no="000000002/2024-00004",
        interprets=["000000002/2024-00002"],
        published_date=D(2024, 3, 6),
        history=[{"date": D(2024, 7, 1), "note": "补充问答"}],
    )
    return p


def test_a_repeal_updates_the_entry_and_brings_it_to_the_top(project: ProjectFactory, tmp_path: Path) -> None:
    site = project.build(tmp_path / "site", build_date=D(2025, 1, 10))
    assert feed_items(site) == [
        ("旧办法", "2021-03-05T00:00:00+08:00", "2024-06-01T00:00:00+08:00"),
        ("修订过的通知", "2023-01-05T00:00:00+08:00", "2024-04-02T00:00:00+08:00"),
        ("新通知", "2024-03-05T00:00:00+08:00", "2024-03-05T00:00:00+08:00"),
    ]
    assert feed_updated(site) == "2024-06-01T00:00:00+08:00"
    interps = feed_items(site, "interpretations")
    assert [u for _, _, u in interps] == ["2024-07-01T00:00:00+08:00"]
    assert feed_updated(site, "interpretations") == "2024-07-01T00:00:00+08:00"


def test_changes_after_the_build_date_are_not_counted(project: ProjectFactory, tmp_path: Path) -> None:
    """A build dated before the repeal and the correction shows neither (no wall clock involved)."""
    site = project.build(tmp_path / "site", build_date=D(2024, 3, 20))
    assert feed_items(site) == [
        ("新通知", "2024-03-05T00:00:00+08:00", "2024-03-05T00:00:00+08:00"),
        ("修订过的通知", "2023-01-05T00:00:00+08:00", "2023-01-05T00:00:00+08:00"),
        ("旧办法", "2021-03-05T00:00:00+08:00", "2021-03-05T00:00:00+08:00"),
    ]
    assert feed_updated(site) == "2024-03-05T00:00:00+08:00"
