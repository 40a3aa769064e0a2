"""``gongkai fmt``: canonical front matter, idempotent, values/body/comments preserved."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.audit.fmt import comments_of, format_bytes, normalised
from generator.checks.schema import validate
from generator.model.config_load import load_config
from generator.source.files import discover
from generator.source.frontmatter import parse
from tests.conftest import CONFIG, REPO, run_cli

# ----------------------------------------------------------------- helpers


def body_of(raw: bytes) -> bytes:
    """Everything after the closing delimiter line, as bytes (the reader's notion of lines)."""
    text = raw.decode("utf-8").removeprefix("\ufeff")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    # count the same number of line endings in the original text
    pos = 0
    for _ in range(end + 1):
        nl = min(
            (p for p in (text.find("\r\n", pos), text.find("\n", pos), text.find("\r", pos)) if p >= 0), default=-1
        )
        if nl < 0:
            return b""
        pos = nl + (2 if text.startswith("\r\n", nl) else 1)
    return text[pos:].encode("utf-8")


def assert_round_trip(raw: bytes, path: str = "catalogue/x.md", kind: str | None = None) -> bytes:
    first = format_bytes(raw, path, kind)
    assert first.ok, (first.problem, [d.format() for d in first.diagnostics])
    assert first.formatted is not None
    second = format_bytes(first.formatted, path, kind)
    assert second.formatted == first.formatted, "fmt is not idempotent"
    before, after = parse(path, raw), parse(path, first.formatted)
    assert normalised(after.data) == normalised(before.data)
    assert body_of(first.formatted) == body_of(raw)
    assert Counter(c.text for c in comments_of(after.raw_front_matter)) == Counter(
        c.text for c in comments_of(before.raw_front_matter)
    )
    return first.formatted


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("cfg")
    (root / "site_config.yml").write_text(CONFIG, encoding="utf-8")
    cfg, diags = load_config(root)
    assert not diags
    return cfg


# ----------------------------------------------------------------- awkward fixtures

FIXTURES: dict[str, bytes] = {
    "comments": """---
# 本文件由办公室维护

# 名称之前的说明
title: 测试市人民政府关于印发《某某办法》的通知  # 行尾注释
index_no: 000000002/2024-00001   # 索引号
topics:
  - 综合政务\\政务公开   # 第一个
  # 第二个之前
  - "综合政务\\\\电子政务"
validity_history:
  - date: 2024-01-01   # 生效
    status: 有效
  # 废止记录
  - {date: 2025-01-01, status: 废止}  # 废止
abstract: |  # 概述
  第一行
  第二行 # 这不是注释
relations: {repeals: [000000002/2020-00001]}
# 末尾注释
---
正文 # 标题样式
""".encode(),
    "crlf_bom": (
        "\ufeff---\r\ntitle: 'it''s: ok'\r\nindex_no: \"000000002/2024-00001\"\r\n"
        "published_date: \"2024-03-05\"\r\nkeywords:\r\n- a\r\n- 'b, c'\r\n---\r\n正文第一行\r\n\r\n第二行\r\n"
    ).encode(),
    "quoted_colons": (
        "---\ntitle: \"关于: 某事的通知\"\nabstract: '时间 10:30，地点: 会议室 #3'\n"
        'procedure: "部门编制：经办公室审核后公开"\ndoc_number: "测政办发〔2024〕1号"\n---\n'
        "正文：冒号不是问题。\n"
    ).encode(),
    "unicode": (
        '---\ntitle: "\\t制表 é 😀 \\u00a0不换行空格"\nkeywords: [“引号”, 『书名』, ＃全角井号, 𠀀]\n'
        "abstract: 全角空格　在中间\n---\n😀 正文 —— 破折号\n"
    ).encode(),
    "backslash_topics": (
        "---\ntopics: [综合政务\\政务公开, '综合政务\\电子政务', \"财政、金融、审计\\\\财政\"]\n"
        "title: a\\b\\c\n---\nC:\\路径\\不改\n"
    ).encode(),
    "scalars": (
        b"---\ndraft: no\nnav_order: 0x10\nweird: ~\nempty:\nlist_empty: []\nmap_empty: {}\n"
        b"folded: >\n  long\n  folded\nkeep: |+\n  a\n\n\nstrip: |-\n  x\n  y\nnum: 1e3\nflt: 1.0e+3\n"
        b'colon: 10:30\nquote: "say \\"hi\\""\nyes_text: "yes"\nnull_text: "null"\nint_text: "012"\n'
        b"...\nno trailing newline"
    ),
    "no_body": b"---\ntitle: x\n---",
    "out_of_order": (
        "---\nhistory:\n- date: 2024-05-01\n  note: 更正\ndisclosure: 主动公开\nattachments:\n"
        "- sha256: 0a0000000000000000000000000000000000000000000000000000000000000b\n  file: files/a.pdf\n"
        "  title: 附件\nextra_unknown: 保留\nindex_no: 000000002/2024-00001\n"
        "relations:\n  replaces: [000000002/2020-00002]\n  amends: [000000002/2020-00001]\n"
        "media: {title: 视频, file: files/v.mp4}\n---\n\n\n正文前有空行\n"
    ).encode(),
    "dates": (
        "---\nwritten_date: '2024-03-01'\npublished_date: 2024-03-05\neffective_date: 2024-3-9\n"
        "expires: 2029-02-30\nvalidity_history: [{date: '2024-03-05', status: 有效}]\n"
        "title: 2024-03-05\n---\n"
    ).encode(),
    "empty_front_matter": b"---\n# only a comment\n---\nbody\n",
    "multiline_last": b'---\ntitle: x\nabstract: "line1\\nline2\\n"\n---\n',
    "literal_last": b"---\ntitle: x\nabstract: |\n  a\n  b\n---\nbody\n",
    "delimiter_spaces": b"---   \ntitle: x\n---  \nbody\n",
    "lone_cr": b"---\rtitle: x\rkeywords: [a]\r---\rbody\rline\r",
    "tabs_in_body": b"---\ntitle: x\n---\n\tcode\n  \t \n",
    "long_strings": (
        "---\ntitle: " + "很长的标题" * 60 + "\nkeywords: [" + ", ".join(["关键词"] * 40) + "]\n---\n"
    ).encode(),
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_awkward_fixtures_round_trip(name: str) -> None:
    assert_round_trip(FIXTURES[name])


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_typed_values_are_unchanged(name: str, config: Any) -> None:
    raw = FIXTURES[name]
    out = assert_round_trip(raw)
    before = validate(parse("catalogue/x.md", raw), "entry", config)
    after = validate(parse("catalogue/x.md", out), "entry", config)
    assert after.values == before.values
    assert [d.code for d in after.diagnostics] == [d.code for d in before.diagnostics]


def test_canonical_form_of_a_commented_file() -> None:
    out = assert_round_trip(FIXTURES["comments"]).decode()
    assert out == (
        "---\n"
        "# 本文件由办公室维护\n"
        "\n"
        "index_no: 000000002/2024-00001  # 索引号\n"
        "# 名称之前的说明\n"
        "title: 测试市人民政府关于印发《某某办法》的通知  # 行尾注释\n"
        "# 第二个之前\n"
        'topics: ["综合政务\\\\政务公开", "综合政务\\\\电子政务"]  # 第一个\n'
        "abstract: |  # 概述\n"
        "  第一行\n"
        "  第二行 # 这不是注释\n"
        "validity_history:\n"
        "  - {date: 2024-01-01, status: 有效}  # 生效\n"
        "  # 废止记录\n"
        "  - {date: 2025-01-01, status: 废止}  # 废止\n"
        "relations:\n"
        "  repeals: [000000002/2020-00001]\n"
        "# 末尾注释\n"
        "---\n"
        "正文 # 标题样式\n"
    )


def test_schema_order_subfield_order_and_styles() -> None:
    out = assert_round_trip(FIXTURES["out_of_order"]).decode()
    assert out == (
        "---\n"
        "index_no: 000000002/2024-00001\n"
        "disclosure: 主动公开\n"
        "attachments:\n"
        "  - {title: 附件, file: files/a.pdf, sha256: 0a0000000000000000000000000000000000000000000000000000000000000b}\n"
        "relations:\n"
        "  amends: [000000002/2020-00001]\n"
        "  replaces: [000000002/2020-00002]\n"
        "history:\n"
        "  - {date: 2024-05-01, note: 更正}\n"
        "extra_unknown: 保留\n"
        "media: {file: files/v.mp4, title: 视频}\n"
        "---\n"
        "\n\n正文前有空行\n"
    )


def test_crlf_kept_bom_dropped_quotes_canonical() -> None:
    out = assert_round_trip(FIXTURES["crlf_bom"])
    assert (
        out
        == (
            '---\r\nindex_no: 000000002/2024-00001\r\ntitle: "it\'s: ok"\r\npublished_date: 2024-03-05\r\n'
            'keywords: [a, "b, c"]\r\n---\r\n正文第一行\r\n\r\n第二行\r\n'
        ).encode()
    )


def test_dates_iso_unquoted_invalid_dates_left_as_written() -> None:
    out = assert_round_trip(FIXTURES["dates"], kind="entry").decode()
    assert "written_date: 2024-03-01\n" in out
    assert "effective_date: 2024-3-9\n" in out  # not a date: fmt never fixes values, check reports it
    assert "expires: 2029-02-30\n" in out
    assert "validity_history:\n  - {date: 2024-03-05, status: 有效}\n" in out
    assert "title: 2024-03-05\n" in out


def test_scalars_keep_their_type() -> None:
    out = assert_round_trip(FIXTURES["scalars"], "content/pages/x.md", "page").decode()
    for line in (
        'yes_text: "yes"',
        'null_text: "null"',
        'int_text: "012"',
        'colon: "10:30"',
        "weird: null",
        "empty: null",
        "draft: false",
        "nav_order: 16",
        'quote: say "hi"',
        "folded: |\n  long folded\n",
        "keep: |+\n  a\n\n\n",
        "strip: |-\n  x\n  y\n",
    ):
        assert line in out
    assert out.endswith("---\nno trailing newline")


def test_body_is_byte_for_byte_unchanged() -> None:
    for name in ("tabs_in_body", "lone_cr", "backslash_topics", "out_of_order"):
        raw = FIXTURES[name]
        out = format_bytes(raw, "catalogue/x.md").formatted
        assert out is not None
        assert body_of(out) == body_of(raw)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"---\ntitle: [unclosed\n---\n", "E006"),
        (b"---\ntitle: a\ntitle: b\n---\n", "E008"),
        (b"---\ntitle: x\n", "E005"),
        (b"no front matter\n", "E004"),
        (b"---\n\ttitle: x\n---\n", "E107"),
        (b"---\na: &x 1\nb: *x\n---\n", "E009"),
        (b"---\nt: !!python/object:os.system x\n---\n", "E010"),
        (b"---\ntitle: \xff\n---\n", "E001"),
        (b"---\n- a\n---\n", "E007"),
    ],
)
def test_unparsable_files_are_refused(raw: bytes, code: str) -> None:
    result = format_bytes(raw, "catalogue/bad.md")
    assert not result.ok and not result.changed
    assert [d.code for d in result.diagnostics] == [code]


# ----------------------------------------------------------------- sample files

SAMPLES = [ref for ref in discover(REPO) if not ref.outside]


@pytest.mark.parametrize("ref", SAMPLES, ids=[r.rel for r in SAMPLES])
def test_every_sample_file_round_trips(ref: Any) -> None:
    raw = (REPO / ref.rel).read_bytes()
    assert_round_trip(raw, ref.rel, ref.kind)


# ----------------------------------------------------------------- property test

_ALPHABET = [*list("ab中文：:#'\"\\,[]{}-_ \t\n&*!|>%@`?~=.0123456789"), "\xa0", "😀", "\u3000", "null", "true"]
_text = st.lists(st.sampled_from(_ALPHABET), max_size=8).map("".join)
_date = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))
_scalar = st.one_of(_text, _date, _date.map(dt.date.isoformat), st.integers(-5, 5), st.booleans(), st.none())
_event = st.fixed_dictionaries({"date": _date, "status": st.sampled_from(["有效", "废止"])}, optional={"note": _text})
_keys = st.sampled_from(["index_no", "title", "published_date", "keywords", "topics", "abstract", "x_unknown", "note"])
_value = st.one_of(
    _scalar,
    st.lists(_scalar, max_size=4),
    st.lists(_event, max_size=3),
    st.dictionaries(st.sampled_from(["amends", "repeals", "zz"]), st.lists(_text, max_size=2), max_size=3),
    st.dictionaries(st.sampled_from(["file", "title"]), _text, max_size=2),
)
_front = st.dictionaries(_keys, _value, max_size=8)
_style = st.sampled_from([None, '"', "'"])


_comments = st.lists(st.tuples(st.integers(0, 40), _text, st.booleans()), max_size=5)


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_front, st.booleans(), _style, _text, st.booleans(), _comments)
def test_property_idempotent_and_value_preserving(
    data: dict[str, Any], flow: bool, style: str | None, body: str, crlf: bool, comments: list[tuple[int, str, bool]]
) -> None:
    """Any file the reader accepts: fmt(fmt(x)) == fmt(x), same values, same body, same comments."""
    dumped = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow, default_style=style, sort_keys=False)
    lines = [] if data == {} else dumped.splitlines()
    for at, text, inline in sorted(comments, reverse=True):
        comment = "# " + text.replace("\n", " ")
        n = min(at, len(lines))
        if inline and n < len(lines):
            lines[n] += "  " + comment  # may land inside a block scalar: then it is content, which is fine too
        else:
            lines.insert(n, comment)
    text = "---\n" + "".join(line + "\n" for line in lines) + "---\n" + body
    if crlf:
        text = text.replace("\n", "\r\n")
    raw = text.encode("utf-8")
    if parse("catalogue/x.md", raw).diagnostics:
        event("refused by the reader")
        return  # covered by test_unparsable_files_are_refused
    assert_round_trip(raw)


# ----------------------------------------------------------------- command line


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    (root / "catalogue").mkdir(parents=True)
    (root / "site_config.yml").write_text(CONFIG, encoding="utf-8")
    (root / "catalogue" / "a.md").write_bytes(FIXTURES["out_of_order"])
    (root / "catalogue" / "b.md").write_bytes(b"---\ntitle: ok\n---\n")
    (root / "catalogue" / "bad.md").write_bytes(b"---\ntitle: [unclosed\n---\nbody\n")
    return root


def test_cli_check_lists_files_and_changes_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path)
    before = {p.name: p.read_bytes() for p in (root / "catalogue").iterdir()}
    result = run_cli("fmt", "--check", cwd=root)
    assert result.returncode == 1
    assert result.stdout == "需要格式化：catalogue/a.md\n"
    assert "catalogue/bad.md:2:8: 错误[E006]" in result.stderr
    assert "未格式化（无法解析）：catalogue/bad.md" in result.stderr
    assert result.stderr.endswith("共检查 3 个文件：1 个需要格式化，1 个无法解析\n")
    assert {p.name: p.read_bytes() for p in (root / "catalogue").iterdir()} == before


def test_cli_formats_in_place_but_never_touches_unparsable_files(tmp_path: Path) -> None:
    root = _project(tmp_path)
    bad = (root / "catalogue" / "bad.md").read_bytes()
    result = run_cli("fmt", "--lang", "en", cwd=root)
    assert result.returncode == 1  # one file could not be parsed
    assert result.stdout == "reformatted: catalogue/a.md\n"
    assert "not formatted (cannot be parsed): catalogue/bad.md" in result.stderr
    assert (root / "catalogue" / "bad.md").read_bytes() == bad
    assert (root / "catalogue" / "a.md").read_bytes() == format_bytes(FIXTURES["out_of_order"]).formatted
    (root / "catalogue" / "bad.md").unlink()
    again = run_cli("fmt", "--check", cwd=root)
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout == ""


def test_cli_paths_and_diff(tmp_path: Path) -> None:
    root = _project(tmp_path)
    result = run_cli("fmt", "--check", "--diff", "catalogue/a.md", "catalogue/b.md", cwd=root)
    assert result.returncode == 1
    assert result.stdout.startswith("--- a/catalogue/a.md\n+++ b/catalogue/a.md\n")
    assert "+index_no: 000000002/2024-00001\n" in result.stdout
    assert result.stdout.endswith("需要格式化：catalogue/a.md\n")
