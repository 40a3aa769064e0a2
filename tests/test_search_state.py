"""The search state's own encodings (generator/search/incremental.py): the document key and the
term-frequency row file (1, 2 or 4 bytes a value), and that a damaged row file is not trusted."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.model.catalogue import Catalogue
from generator.search import incremental
from generator.search import index as search_index
from generator.search.documents import search_items
from generator.search.incremental import _text_bytes, document_key
from tests import test_search_incremental
from tests.test_search_incremental import body, build, differing, edited, replace_in_body

catalogue = test_search_incremental.catalogue  # the fixture: 40 entries, 3 interpretations


def test_text_bytes_are_one_to_one() -> None:
    """Texts that UTF-16 alone would confuse (a surrogate pair and the character it encodes)
    and texts with and without characters above U+FFFF give different bytes."""
    texts = [
        "",
        "a",
        "政府",
        "😀",
        "\ud83d\ude00",
        "😀\ud83d\ude00",
        "\ud83d\ude00😀",
        "\udc80",
        "\x10",
        "\x08",
        "\x10\x00",
    ]
    assert len({_text_bytes(t) for t in texts}) == len(texts)
    assert _text_bytes("政府")[1:] == "政府".encode("utf-16-le")


def test_a_document_key_changes_with_each_part(catalogue: Catalogue) -> None:
    item = search_items(catalogue)[3]
    key = document_key(item)
    assert document_key(dataclasses.replace(item)) == key
    changes = [
        dataclasses.replace(item, body=item.body + "。"),
        dataclasses.replace(item, body=item.body.replace("的", "和", 1) if "的" in item.body else item.body + "的"),
        dataclasses.replace(item, body=item.body + "\ud83d\ude00"),
        dataclasses.replace(item, body=item.body + "😀"),
        dataclasses.replace(item, title=item.title + "补"),
        dataclasses.replace(item, abstract=item.abstract + "补"),
        dataclasses.replace(item, keywords=(*item.keywords, "补")),
        # text moved between the last front field and the body
        dataclasses.replace(item, abstract="", body=item.abstract + item.body),
    ]
    keys = [document_key(c) for c in changes]
    assert key not in keys and len(set(keys)) == len(keys)


@pytest.mark.parametrize("repeat", [3, 300, 70000])
def test_term_frequencies_round_trip_in_their_width(catalogue: Catalogue, tmp_path: Path, repeat: int) -> None:
    """A term frequency above 255 (or 65535) widens the row file; the loaded rows are the saved ones,
    and the next edit's index equals a clean build."""
    state, before, after = tmp_path / "state", tmp_path / "before", tmp_path / "after"
    cat = edited(catalogue, {12: lambda e: dataclasses.replace(e, body=e.body + "罕见词汇 " * repeat)})
    build(cat, before, state)
    width = 1 if repeat < 256 else 2 if repeat < 65536 else 4
    tf = next(state.glob("tf-*.bin"))
    key = next(state.glob("key-*.bin"))
    assert tf.stat().st_size * 4 == key.stat().st_size * width
    loaded = search_index.load_state(state, test_search_incremental.pickle_params(state))
    assert loaded is not None and loaded.rows is not None and loaded.rows[1] == width
    assert max(loaded.postings.tf) >= repeat
    then = edited(cat, {17: replace_in_body("的", "和")})
    assert build(then, after, state, previous=before).reused > 0
    build(then, clean := tmp_path / "clean")
    assert differing(after, clean) == []


@pytest.mark.parametrize("cut", ["shorter", "longer"])
def test_a_term_frequency_file_of_another_size_is_not_trusted(catalogue: Catalogue, tmp_path: Path, cut: str) -> None:
    """A row file cut short or grown (a write killed half-way, another state's) is not used: the
    next build is a clean one, and equals one."""
    state, before = tmp_path / "state", tmp_path / "before"
    build(catalogue, before, state)
    tf = next(state.glob("tf-*.bin"))
    data = tf.read_bytes()
    tf.write_bytes(data[:-1] if cut == "shorter" else data + b"\x01")
    assert search_index.load_state(state, test_search_incremental.pickle_params(state)) is None
    cat = edited(catalogue, {3: body("独有词汇罕见的表述。")})
    assert build(cat, after := tmp_path / "after", state, previous=before).reused == 0
    build(cat, clean := tmp_path / "clean")
    assert differing(after, clean) == []


def test_a_state_of_another_version_is_not_used(
    catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state, before = tmp_path / "state", tmp_path / "before"
    build(catalogue, before, state)
    monkeypatch.setattr(incremental, "STATE_VERSION", incremental.STATE_VERSION + 1)
    assert search_index.load_state(state, test_search_incremental.pickle_params(state)) is None
