"""Editor-written patterns match in bounded time; identifiers match ASCII digits only."""

from __future__ import annotations

from typing import Any

import pytest

from generator.model.identifiers import check_doc_number, parse_doc_number, parse_index_no
from generator.model.patterns import PatternError, compile_pattern
from tests.conftest import BUILD_DATE, CONFIG, run_cli

DEFAULT = r"^(?P<prefix>[0-9A-Z]{9})/(?P<year>\d{4})-(?P<serial>\d{5})$"
BACKTRACKING = r"^(?P<prefix>([0-9A-Z]+-?)+)/(?P<year>\d{4})-(?P<serial>\d{5})$"
HANG_GUARD = 120  # seconds: a hang guard for the subprocess, not a speed assertion


def with_pattern(pattern: str) -> str:
    return CONFIG.replace(
        "pattern: '^(?P<prefix>[0-9A-Z]{9})/(?P<year>\\d{4})-(?P<serial>\\d{5})$'", f"pattern: '{pattern}'"
    )


def test_a_backtracking_pattern_does_not_hang_check(make_project: Any) -> None:
    p = make_project(with_pattern(BACKTRACKING))
    twice = "000000002/2024-00001" * 2 + "X"
    p.entry(index_no=twice)
    p.entry("e2", index_no="0000000020000000020000000200000000200000000/2024-0000")
    result = run_cli("check", str(p.root), "--build-date", BUILD_DATE.isoformat(), timeout=HANG_GUARD)
    assert result.returncode == 1
    assert "E301" in result.stderr


def test_the_backtracking_pattern_still_works_on_good_values() -> None:
    pattern = compile_pattern(BACKTRACKING)
    m = parse_index_no("ABC-123/2024-00001", pattern)
    assert m is not None and m.prefix == "ABC-123" and m.year == 2024


@pytest.mark.parametrize("pattern", [r"^(?P<prefix>(a)\2)/(?P<year>\d{4})$", r"^(?=x)(?P<prefix>x)(?P<year>\d{4})$"])
def test_patterns_that_cannot_run_in_linear_time_are_refused_at_their_line(make_project: Any, pattern: str) -> None:
    p = make_project(with_pattern(pattern))
    p.entry()
    result = run_cli("check", str(p.root), "--build-date", BUILD_DATE.isoformat(), timeout=HANG_GUARD)
    assert result.returncode == 1
    assert "site_config.yml:8:" in result.stderr and "E702" in result.stderr
    assert "re2.cc" not in result.stderr  # the engine's own log stays quiet
    with pytest.raises(PatternError):
        compile_pattern(pattern)


# ------------------------------------------------------------ ASCII only
def test_full_width_digits_are_not_an_index_number(make_project: Any) -> None:
    p = make_project()
    p.entry(index_no="000000002/２０２４-00001")
    p.entry("e2", index_no="000000002/2024-00001")
    diags = [(d.path, d.code) for d in p.diagnostics()]
    assert ("catalogue/e1.md", "E301") in diags
    assert parse_index_no("000000002/２０２４-00001", compile_pattern(DEFAULT)) is None


@pytest.mark.parametrize(
    "value",
    ["000000002/2024-00001\n", "000000002/2024-0000１", "０00000002/2024-00001", "000000002/2024-00001 "],
)
def test_index_numbers_with_lookalikes_or_trailing_text_are_refused(value: str) -> None:
    assert parse_index_no(value, compile_pattern(DEFAULT)) is None


def test_user_pattern_classes_are_ascii() -> None:
    assert compile_pattern(r"^(?P<prefix>\w+)/(?P<year>\d{4})$").fullmatch("机关/2024") is None
    assert compile_pattern(r"^(?P<prefix>\w+)/(?P<year>\d{4})$").fullmatch("ab_1/２０２４") is None


@pytest.mark.parametrize(
    "value", ["测政办发〔２０２４〕1号", "测政办发〔2024〕１号", "测试市人民政府令第１号", "测政办发〔2024〕1号\n"]
)
def test_doc_numbers_with_full_width_digits_are_not_well_formed(value: str) -> None:
    assert parse_doc_number(value) is None
    assert check_doc_number(value) is not None


def test_full_width_dates_are_refused(make_project: Any) -> None:
    p = make_project()
    p.write(
        "catalogue/e1.md",
        "---\nindex_no: 000000002/2024-00001\ntitle: 通知\npublisher: office\nwritten_date: '２０２４-03-01'\n"
        "published_date: 2024-03-05\ninfo_type: 其他文件\ntopics: [综合政务\\政务公开]\ndisclosure: 主动公开\n---\n正文\n",
    )
    assert "E201" in [d.code for d in p.diagnostics()]


def test_slugs_and_agency_ids_are_ascii_without_trailing_newline(make_project: Any) -> None:
    config = CONFIG.replace("{id: edu,", '{id: "edu\\n",') + (
        'vocabularies:\n  info_types:\n    - {name: 其他文件, slug: "qita\\n"}\n    - {name: 年度报告, slug: ｎｉａｎ}\n'
    )
    p = make_project(config)
    codes = [(d.path, d.line, d.code) for d in p.diagnostics() if d.path == "site_config.yml"]
    assert ("site_config.yml", 13, "E702") in codes
    assert ("site_config.yml", 18, "E702") in codes
    assert ("site_config.yml", 19, "E702") in codes
