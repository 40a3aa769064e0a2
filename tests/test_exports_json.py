"""exports._indented writes what ``json.dumps(value, ensure_ascii=False, indent=2)`` writes, for
the JSON values the exports hold and for any other value (which it hands to the json module)."""

from __future__ import annotations

import enum
import json
import random
from typing import Any

from generator.site.exports import _indented

STRINGS = ["", "甲乙", 'a"b', "back\\slash", "line\nbreak\ttab", "\x00\x1f\x7f", "\u2028\u2029", "😀", "é", "</script>"]


class Level(enum.IntEnum):
    ONE = 1


def value(rng: random.Random, depth: int) -> Any:
    kind = rng.randrange(9 if depth < 4 else 5)
    if kind == 0:
        return rng.choice(STRINGS)
    if kind == 1:
        return rng.choice([None, True, False])
    if kind == 2:
        return rng.choice([0, -1, 7, 10**20])
    if kind == 3:
        return rng.choice([0.5, 1e300, -0.0, float("inf"), float("nan"), Level.ONE, 3.0])
    if kind == 4:
        return rng.choice(STRINGS)
    if kind in (5, 6):
        return {rng.choice(STRINGS) + str(n): value(rng, depth + 1) for n in range(rng.randrange(4))}
    if kind == 7:
        return [value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return tuple(value(rng, depth + 1) for _ in range(rng.randrange(3)))


def test_equals_the_json_module_on_generated_values() -> None:
    rng = random.Random(18)
    for _ in range(4000):
        v = value(rng, 0)
        assert _indented(v) == json.dumps(v, ensure_ascii=False, indent=2), repr(v)


def test_keys_and_types_json_converts_go_to_the_json_module() -> None:
    for v in ({1: "a"}, {None: 1, True: 2}, {1.5: []}, [{"a": {2: 3}}], {"a": Level.ONE}, [1.25], ("x", [])):
        assert _indented(v) == json.dumps(v, ensure_ascii=False, indent=2)


def test_an_export_record_shape() -> None:
    record = {
        "identifier": "007100001-2016-00001",
        "title": "关于印发《办法》的通知",
        "topics": ["财政\\预算", "其他"],
        "history": [{"date": "2026-01-01", "status": "有效", "url": None}],
        "attachments": [],
        "extra": {},
        "count": 3,
        "public": True,
    }
    assert _indented(record) == json.dumps(record, ensure_ascii=False, indent=2)
