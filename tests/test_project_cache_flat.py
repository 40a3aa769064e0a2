"""The check cache keeps each file's result as its fields' values (project_cache._flat): read
back, it is the result that was kept, field for field, for every kind of source."""

from __future__ import annotations

import dataclasses
import pickle
import shutil
from pathlib import Path

import pytest

from generator.model.config_load import load_config
from generator.project import _load_all, _Loaded
from generator.project_cache import _flat, _unflat
from generator.source.files import discover

REPO = Path(__file__).resolve().parents[1]  # the repository is a sample project


def _kept(root: Path) -> list[tuple[_Loaded, _Loaded]]:
    config, _ = load_config(root)
    pairs = []
    for loaded in _load_all(root, discover(root), config, True, keep=True):
        packed = loaded.packed  # made in the worker, before its source was set aside (deferred)
        if packed is None:
            continue
        item_cut = packed[3][3]
        item = loaded.item
        if item_cut:
            assert item is not None
            item = dataclasses.replace(item, body="")
        pairs.append((dataclasses.replace(loaded, src=None, packed=None, deferred=None, item=item), _unflat(packed[1])))
    return pairs


def test_every_sample_result_reads_back_as_kept() -> None:
    pairs = _kept(REPO)
    kinds = {type(want.item).__name__ for want, _ in pairs}
    assert {"Entry", "Interpretation", "Page"} <= kinds
    for want, back in pairs:
        assert back == want
        assert type(back.item) is type(want.item)
        assert vars(back) == vars(want)  # no field missing, none added


def test_results_with_errors_and_partial_items_read_back_as_kept(tmp_path: Path) -> None:
    root = tmp_path / "p"
    for name in ("catalogue", "content"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site_config.yml", root / "site_config.yml")
    broken = next((root / "catalogue").rglob("*.md"))
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("\ntitle:", "\nnot_a_field: 1\ntitle_x:", 1), encoding="utf-8")
    pairs = _kept(root)
    assert any(want.diagnostics and (want.partial is not None or want.item is None) for want, _ in pairs)
    for want, back in pairs:
        assert back == want


def test_a_blob_naming_a_class_that_is_not_an_item_is_refused() -> None:
    blob = pickle.dumps(((None,) * len(dataclasses.fields(_Loaded)), (dict, ())))
    with pytest.raises(TypeError):
        _unflat(blob)
    assert _flat  # (the writer's counterpart, exercised above through pack)
