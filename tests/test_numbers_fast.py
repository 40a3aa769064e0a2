"""The privacy scan's shortcut (checks/numbers._normalised): a text with nothing to undo is its
own normalised copy. It must give exactly what the character loop (_plain) gives, positions
included, on any text: the shortcut may only be taken where the loop would change nothing."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.checks import numbers as N

# digits, separators, line breaks, quote markers, CJK and ASCII text, and every disguise
ALPHABET = st.sampled_from(
    list("0123456789-- \n>/.=X:账号电话")
    + sorted(N._SPACES | N._INVISIBLE | N._DASHES | set(N._WIDE))
    + ["²", "٣", "\u0663", "\r"]  # digits that str.isdigit() accepts but [0-9] does not
)
NUMBERS = ["11010519491231002X", "13800138000", "6222021234567890128", "138 0013 8000", "110105491231002"]


def same(text: str) -> None:
    fast, where = N._normalised(text)
    slow, where_slow = N._plain(text)
    assert fast == slow
    assert list(where) == where_slow


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.one_of(ALPHABET, st.sampled_from(NUMBERS)), max_size=40).map("".join))
@example("手机 138\n0013 8000")
@example("2024年-\n  >5")
@example("²\n5")
@example("\n5")
@example("1\r\n5")
@example("\u3000\u3000第１２条\n\u3000\u3000电话１３８\n\u3000１３８")
@example("１\nＸ")
@example("1\n\u3000>ｘ")
@example("1\nX")
def test_the_shortcut_equals_the_character_loop(text: str) -> None:
    same(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(ALPHABET, st.sampled_from(NUMBERS)), max_size=40).map("".join))
def test_findings_do_not_depend_on_the_shortcut(text: str) -> None:
    found = N.find_numbers(text)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(N, "_normalised", N._plain)
        assert N.find_numbers(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "联系电话：13800138000。",  # found by the shortcut (nothing to undo)
        "联系电话：１３８００１３８０００。",  # full-width: the loop
        "身份证号 110105\n19491231002X",  # a number wrapped across lines: the loop
        "联系电话：138\u200b0013\u200b8000",  # zero-width spaces: the loop
    ],
)
def test_numbers_are_found_either_way(text: str) -> None:
    assert N.find_numbers(text)
