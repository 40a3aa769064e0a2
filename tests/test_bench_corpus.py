"""The benchmark corpus generator: valid, deterministic, realistic enough to measure."""

from __future__ import annotations

import collections
import datetime as dt
import re
from pathlib import Path

import pytest

from bench.make_corpus import generate, main
from generator.model.config_load import load_config
from generator.project import load_project
from tests.conftest import realdata

LATER = dt.date(2026, 11, 23)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "c200"
    generate(200, out, seed=7)
    return out


def test_check_is_clean(corpus: Path) -> None:
    project = load_project(corpus, LATER)
    assert [d.format() for d in project.diagnostics] == []
    assert len(project.catalogue.entries) == 200
    assert len(project.catalogue.interpretations) == 20
    # still clean on the day after the corpus' last date
    assert load_project(corpus, dt.date(2026, 1, 1)).diagnostics == []


def test_same_seed_gives_identical_bytes(corpus: Path, tmp_path: Path) -> None:
    generate(200, tmp_path / "again", seed=7)
    assert tree(tmp_path / "again") == tree(corpus)
    generate(200, tmp_path / "other", seed=8)
    assert tree(tmp_path / "other") != tree(corpus)


def test_realistic_mix(corpus: Path) -> None:
    cat = load_project(corpus, LATER).catalogue
    config, _ = load_config(corpus)
    assert 10 <= len(config.agencies) <= 20
    entries = list(cat.entries.values())
    types = collections.Counter(e.info_type for e in entries)
    assert {"规章", "行政规范性文件", "其他文件", "统计信息"} <= set(types)
    assert any(e.disclosure == "依申请公开" for e in entries)
    validities = {e.validity for e in entries if e.validity}
    assert "有效" in validities and validities & {"废止", "失效", "已修改"}
    assert any(e.relations for e in entries)
    changed = [e for e in entries if e.validity_history and e.validity_history[-1].by]
    assert changed and all(cat.entries[e.validity_history[-1].by].relations for e in changed)  # type: ignore[index]
    assert any(e.expires for e in entries)
    assert any(n and re.fullmatch(r".+〔\d{4}〕[1-9]\d*号", n) for n in (e.doc_number for e in entries))
    assert any(n and n.endswith("号") and "令第" in n for n in (e.doc_number for e in entries))
    years = {e.published_date.year for e in entries}
    assert len(years) >= 8
    sizes = [len(e.body) for e in entries if e.body]
    assert min(sizes) >= 1000 and max(sizes) <= 5500
    assert re.search(r"[\u4e00-\u9fff]{20}", entries[0].body)


def test_index_numbers_follow_the_agency_and_year(corpus: Path) -> None:
    project = load_project(corpus, LATER)
    codes = {a.id: a.code for a in project.config.agencies}
    serials: dict[tuple[str, int], list[int]] = collections.defaultdict(list)
    items = [*project.catalogue.entries.values(), *project.catalogue.interpretations.values()]
    for item in items:
        agency = getattr(item, "publisher", None) or getattr(item, "interpreter_org", "")
        prefix, year, serial = re.fullmatch(r"(\w{9})/(\d{4})-(\d{5})", item.index_no).groups()  # type: ignore[union-attr]
        assert prefix == codes[agency] and int(year) == item.published_date.year
        serials[(prefix, int(year))].append(int(serial))
    for numbers in serials.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))


def test_command_line_refuses_a_non_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["5", str(tmp_path / "c")]) == 0
    assert "wrote 5 entries" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["5", str(tmp_path / "c")])


@pytest.mark.realdata
def test_realdata_sentences_stay_valid(tmp_path: Path) -> None:
    folder = realdata("policies.jsonl").parent
    generate(100, tmp_path / "real", seed=3, realdata=folder)
    assert load_project(tmp_path / "real", LATER).diagnostics == []
    assert tree(tmp_path / "real") != {}
