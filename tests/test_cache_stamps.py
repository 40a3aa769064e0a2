"""The build cache's record of linked entries' sizes and times (stamps.txt) and its prune."""

from __future__ import annotations

from pathlib import Path

from generator.site.cache import STAMPS, BuildCache


def test_stamps_round_trip_and_a_changed_set_is_written(tmp_path: Path) -> None:
    first = {"a" * 64: (10, 1_700_000_000_123_456_789), "b" * 64: (0, 5)}
    BuildCache(tmp_path).save_stamps(first)
    cache = BuildCache(tmp_path)
    assert cache.stamps == first
    second = {**first, "c" * 64: (7, 8)}
    del second["b" * 64]
    cache.save_stamps(second)  # differs from what was read: must be written
    assert BuildCache(tmp_path).stamps == second
    again = BuildCache(tmp_path)
    again.save_stamps(second)  # the same as read: the file stays what it was
    assert BuildCache(tmp_path).stamps == second


def test_unchanged_stamps_are_written_when_the_file_is_gone(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    cache.save_stamps({})
    cache = BuildCache(tmp_path)
    (cache.root / STAMPS).unlink()
    cache.save_stamps({})
    assert (cache.root / STAMPS).is_file()


def test_a_damaged_stamps_file_trusts_nothing(tmp_path: Path) -> None:
    stamps = {"a" * 64: (1, 2), "b" * 64: (3, 4)}
    BuildCache(tmp_path).save_stamps(stamps)
    path = BuildCache(tmp_path).root / STAMPS
    text = path.read_text(encoding="utf-8")
    for damaged in (
        text.rsplit("\n", 2)[0] + "\n",  # a line cut off: the count does not add up
        text.replace(" 3 ", " x "),  # not a number
        text.replace("gongkai-stamps-1", "gongkai-stamps-0"),  # another layout
        "",
        '{"' + "a" * 64 + '": [1, 2]}',  # the old JSON file's form
    ):
        path.write_text(damaged, encoding="utf-8")
        assert BuildCache(tmp_path).stamps == {}, damaged


def test_prune_deletes_exactly_the_unused_entries_of_the_kinds_given(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    keys = [f"{i:02x}" + "0" * 62 for i in range(6)] + ["00" + "1" * 62]
    for key in keys:
        cache.put("page", key, b"x")
        cache.put("body", key, b"y")
    keep = {keys[0], keys[3], keys[6]}
    removed = cache.prune({"page": keep, "other": set()})
    assert removed == len(keys) - len(keep)
    assert {key for key in keys if cache.path("page", key).exists()} == keep
    assert all(cache.path("body", key).exists() for key in keys)  # a kind not given is left alone


def test_stamps_are_read_when_first_asked_for_and_once(tmp_path: Path) -> None:
    first = {"a" * 64: (1, 2)}
    BuildCache(tmp_path).save_stamps(first)
    cache = BuildCache(tmp_path)
    BuildCache(tmp_path).save_stamps({"b" * 64: (3, 4)})  # before the first ask: what is read
    assert cache.stamps == {"b" * 64: (3, 4)}
    BuildCache(tmp_path).save_stamps(first)  # after it: the stamps read stay
    assert cache.stamps == {"b" * 64: (3, 4)}
