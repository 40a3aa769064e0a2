"""文号 and 索引号."""

from __future__ import annotations

import re

import pytest

from generator.model.identifiers import (
    check_doc_number,
    normalise_doc_number,
    normalise_index_no,
    parse_doc_number,
    parse_index_no,
    slugify_index_no,
)


@pytest.mark.parametrize(
    "value",
    [
        "苏政办发〔2020〕65号",
        "国办发〔2017〕47号",
        "穗府规〔2023〕1号",
        "澜江市人民政府令第5号",
        "公安部令第162号",
        "国办发明电〔2021〕11号",
    ],
)
def test_well_formed_doc_numbers(value: str) -> None:
    assert check_doc_number(value) is None
    assert parse_doc_number(value) is not None


@pytest.mark.parametrize(
    ("value", "code", "suggestion"),
    [
        ("苏政办发[2020]65号", "E312", "苏政办发〔2020〕65号"),
        ("苏政办发【2020】65号", "E312", "苏政办发〔2020〕65号"),
        ("苏政办发（2020）65号", "E312", "苏政办发〔2020〕65号"),
        ("苏政办发2020年65号", "E312", "苏政办发〔2020〕65号"),
        ("苏政办发〔2020〕065号", "E311", "苏政办发〔2020〕65号"),
        ("苏政办发〔2020〕第65号", "E311", "苏政办发〔2020〕65号"),
        ("苏政办发〔2020〕65", "E311", "苏政办发〔2020〕65号"),
        ("随便写的", "E311", None),
        ("苏政办发〔20〕65号", "E311", None),
    ],
)
def test_malformed_doc_numbers(value: str, code: str, suggestion: str | None) -> None:
    problem = check_doc_number(value)
    assert problem is not None
    assert (problem.code, problem.suggestion) == (code, suggestion)


def test_doc_number_key_is_bracket_independent() -> None:
    keys = {
        normalise_doc_number(v).key  # type: ignore[union-attr]
        for v in [
            "苏政办发〔2020〕65号",
            "苏政办发[2020]65号",
            "苏政办发【2020】65号",
            "苏政办发2020年65号",
            "苏政办发〔2020〕65",
        ]
    }
    assert keys == {"苏政办发2020-65"}


def test_index_no() -> None:
    pattern = re.compile(r"^(?P<prefix>[0-9A-Z]{9})/(?P<year>\d{4})-(?P<serial>\d{5})$")
    parsed = parse_index_no("014046317/2020-04965", pattern)
    assert parsed is not None and (parsed.prefix, parsed.year) == ("014046317", 2020)
    assert parse_index_no("014046317-2020-04965", pattern) is None
    assert slugify_index_no("014046317/2020-04965") == "014046317-2020-04965"
    assert normalise_index_no("014046317/2020-04965") == normalise_index_no("014046317 2020 04965")
