"""One tokenizer, two implementations: Python (build) and JavaScript (query) must agree."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.search import shards
from generator.search.tokenizer import fold, query_terms, terms
from tests.conftest import REPO, realdata

JS_DIR = REPO / "theme" / "assets" / "javascripts" / "search"
RUNNER = Path(__file__).parent / "js" / "tokenize.js"
COUNTS = {"b": 97, "u": 13, "k": 5}

POOL = (
    "政府信息公开工作通知关于做好办法实施意见澜江市人民的和年月日第号令一二三〇"
    "ABCxyz0123456789ＡＢＣｘｙｚ０１２３"
    "，。、；：？！“”‘’《》（）()〔〕[]【】［］﹝﹞——…·/-－_ \t\n　\u00a0\u2028"
    "𠀀𠮷𪚥丽兀αβüかな한"
)
FIXED = [
    "",
    "苏政办发〔2020〕65号",
    "苏政办发[2020]65号",
    "苏政办发【2020】65号",
    "苏政办发2020年65号",
    "苏政办发〔2020〕65",
    "苏政办发（2020）65号",
    "苏政办发 〔 2020 〕 65 号",
    "苏政办发［２０２０］６５号",
    "澜江市人民政府令第5号",
    "公安部令第０162号",
    "000014349/2018-00222",
    "11441700007280420Y/2021-00050",
    "0142768-8/2022-00185",
    "01527918X-2020-153077",
    "COVID-19 疫情防控 IPv6",
    "国办发明电〔2021〕11号 关于 政务公开",
    "二〇二〇年十二月",
    "𠀀𠀁 𠮷野家",
]


def random_strings(n: int, seed: int = 20260115) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(POOL) for _ in range(rng.randint(1, 40))) for _ in range(n)]


def realdata_strings() -> list[str]:
    out: list[str] = []
    for line in realdata("policies.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        out.extend(str(record[k]) for k in ("title", "doc_no", "index_no") if record.get(k))
    return out


def python_side(s: str) -> dict[str, object]:
    everything = terms(s, "full") + query_terms(s)
    return {
        "fold": fold(s),
        "full": terms(s, "full"),
        "text": terms(s, "text"),
        "query": query_terms(s),
        "shards": [shards.shard_name(t, COUNTS) for t in everything],
    }


def js_side(strings: list[str]) -> list[dict[str, object]]:
    node = shutil.which("node") or "/usr/bin/node"
    if not Path(node).exists():
        pytest.fail("node is required for the tokenizer parity test")
    result = subprocess.run(
        [node, str(RUNNER), str(JS_DIR), json.dumps(COUNTS)],
        input=json.dumps(strings),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout)


def assert_same(strings: list[str]) -> None:
    js = js_side(strings)
    mismatches = [(s, python_side(s), j) for s, j in zip(strings, js, strict=True) if python_side(s) != j]
    assert mismatches == []


def test_parity_on_fixed_and_random_strings() -> None:
    strings = FIXED + random_strings(400)
    assert len(strings) >= 400
    assert_same(strings)


@pytest.mark.realdata
def test_parity_on_real_titles_and_identifiers() -> None:
    assert_same(realdata_strings())
