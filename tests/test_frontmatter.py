"""Reading files: decoding, front matter splitting, positions, safe YAML."""

from __future__ import annotations

from generator.source.frontmatter import YamlDate, parse, parse_date


def codes(raw: bytes) -> list[tuple[str, int, int]]:
    src = parse("x.md", raw)
    return [(d.code, d.line, d.col) for d in src.diagnostics]


def test_values_and_positions() -> None:
    src = parse("x.md", '---\ntitle: 通知\ntopics:\n  - "a\\\\b"\nn: 3\n---\n正文\n'.encode())
    assert src.diagnostics == []
    assert src.data == {"title": "通知", "topics": ["a\\b"], "n": 3}
    assert src.positions[("title",)] == (2, 8)
    assert src.positions[("topics", 0)] == (4, 5)
    assert src.key_positions[("n",)] == (5, 1)
    assert src.body == "正文\n"
    assert src.body_line == 7


def test_bom_and_crlf_are_tolerated() -> None:
    src = parse("x.md", b"\xef\xbb\xbf---\r\ntitle: a\r\n---\r\nbody\r\n")
    assert src.diagnostics == []
    assert src.data == {"title": "a"}
    assert src.body == "body\n"


def test_dates_are_kept_verbatim() -> None:
    src = parse("x.md", b"---\nd: 2023-02-30\nq: '2024-01-02'\n---\n")
    assert src.data == {"d": YamlDate("2023-02-30"), "q": "2024-01-02"}
    assert parse_date(src.data["d"]) is None
    assert parse_date(src.data["q"]).isoformat() == "2024-01-02"


def test_reading_problems_are_diagnostics() -> None:
    assert codes(b"") == [("E003", 1, 1)]
    assert codes(b"   \n\n") == [("E003", 1, 1)]
    assert codes("正文，没有元数据\n".encode()) == [("E004", 1, 1)]
    assert codes(b"---\ntitle: a\n") == [("E005", 1, 1)]
    assert codes(b"---\ntitle: \xff\xfe\n---\n") == [("E001", 2, 8)]
    assert codes("---\ntitle: a\n---\n".encode("utf-16")) == [("E011", 1, 1)]
    assert codes(b"---\ntitle: a\x00\n---\n") == [("E002", 2, 1)]


def test_yaml_syntax_error_is_positioned_and_translated() -> None:
    src = parse("x.md", b"---\ntitle: a\n\tkeywords: [b]\n---\n")
    (d,) = src.diagnostics
    assert (d.code, d.line, d.col) == ("E107", 3, 1)
    assert d.message() == "元数据中有制表符（Tab）"
    assert d.hint() == "YAML 只能用空格缩进：把 Tab 换成空格"
    assert src.data == {"title": "a", "keywords": ["b"]}  # the rest is still read and checked


def test_colon_in_value() -> None:
    src = parse("x.md", "---\ntitle: 关于: 测试\n---\n".encode())
    (d,) = src.diagnostics
    assert (d.code, d.line) == ("E006", 2)
    assert "冒号" in d.message()


def test_duplicate_keys_are_reported() -> None:
    assert codes(b"---\ntitle: a\ntitle: b\n---\n") == [("E008", 3, 1)]


def test_anchors_aliases_and_tags_are_refused() -> None:
    laughs = b"---\na: &a [x, x]\nb: [*a, *a]\n---\n"
    assert codes(laughs)[0][0] == "E009"
    assert codes(b"---\nx: !!python/object:os.system {}\n---\n") == [("E010", 2, 4)]
    assert codes(b"---\nx: !custom 1\n---\n") == [("E010", 2, 4)]


def test_deep_nesting_is_bounded() -> None:
    deep = b"---\nx: " + b"[" * 200 + b"]" * 200 + b"\n---\n"
    assert codes(deep)[0][0] == "E012"


def test_front_matter_must_be_a_mapping() -> None:
    assert codes(b"---\n- a\n- b\n---\n") == [("E007", 2, 1)]
    assert codes(b"---\n1: a\n---\n") == [("E013", 2, 1)]
