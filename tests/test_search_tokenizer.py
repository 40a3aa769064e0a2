"""The search tokenizer specification (docs/search.md), case by case."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.search.tokenizer import (
    doc_number_key,
    fold,
    index_no_key,
    query_keys,
    query_terms,
    register_pipeline_functions,
    term_counts,
    terms,
)

DOC_NUMBER_VARIANTS = [
    "苏政办发〔2020〕65号",
    "苏政办发[2020]65号",
    "苏政办发【2020】65号",
    "苏政办发（2020）65号",
    "苏政办发(2020)65号",
    "苏政办发2020年65号",
    "苏政办发〔2020〕65",
    "苏政办发〔2020〕065号",
    "苏政办发〔2020〕第65号",
    "苏政办发 〔2020〕 65号",
    "苏政办发［２０２０］６５号",
]


def test_fold_is_length_preserving_and_keeps_cjk_brackets() -> None:
    assert fold("ＡＢＣ１２３　ｘｙｚ") == "abc123 xyz"
    assert fold("（２０２０）") == "（2020）"  # （） are read raw by 文号 detection
    assert fold("［２０２０］") == "[2020]"
    assert fold("COVID") == "covid"
    for text in ["ＡＢＣ１２３　", "苏政办发〔2020〕65号", "𠀀ａ"]:
        assert len(fold(text)) == len(text)


def test_cjk_runs_become_unigrams_and_bigrams_in_position_order() -> None:
    assert terms("政务公开") == ["政", "政务", "务", "务公", "公", "公开", "开"]
    assert terms("政务公开", "text") == ["政务", "务公", "公开"]


def test_single_character_runs_are_kept_in_every_mode() -> None:
    assert terms("（一）总则", "text") == ["一", "总则"]
    assert terms("市", "full") == ["市"]


def test_ascii_words_are_lower_cased_and_punctuation_dropped() -> None:
    assert terms("COVID-19疫情，IPv6！") == ["covid", "19", "疫", "疫情", "情", "ipv6"]
    assert terms("ＩＰｖ６") == ["ipv6"]
    assert terms("——！？。、“”《》…") == []


def test_ideographic_zero_and_astral_ideographs_are_cjk() -> None:
    assert terms("二〇二〇", "text") == ["二〇", "〇二", "二〇"]
    assert terms("𠀀𠀁", "full") == ["𠀀", "𠀀𠀁", "𠀁"]


def test_other_scripts_are_separators() -> None:
    assert terms("α β ü", "full") == []
    assert terms("かな漢字", "full") == ["漢", "漢字", "字"]


@pytest.mark.parametrize("variant", DOC_NUMBER_VARIANTS)
def test_doc_number_variants_share_one_key(variant: str) -> None:
    assert doc_number_key(variant) == "#苏政办发2020-65"
    assert "#苏政办发2020-65" in query_keys(variant)


def test_order_numbers_have_keys_too() -> None:
    assert doc_number_key("澜江市人民政府令第5号") == "#澜江市人民政府令-5"
    assert query_keys("澜江市人民政府令第05号") == ["#澜江市人民政府令-5"]


@pytest.mark.parametrize("typed", ["000014349/2018-00222", "000014349 2018 00222", "０００014349/2018-00222"])
def test_index_no_queries_yield_the_index_no_key(typed: str) -> None:
    key = index_no_key("000014349/2018-00222")
    assert key == "#000014349201800222"
    assert key in query_keys(typed)


def test_index_no_key_from_a_query_without_separators() -> None:
    assert "#000014349201800222" in query_keys("000014349201800222")


def test_plain_words_are_not_keys() -> None:
    assert query_keys("政务公开 工作") == []
    assert query_keys("2020") == []


def test_query_terms_are_text_terms_then_keys_without_duplicates() -> None:
    assert query_terms("公开 公开") == ["公开"]
    assert query_terms("苏政办发〔2020〕65号") == ["苏政", "政办", "办发", "2020", "65", "号", "#苏政办发2020-65"]


def test_pipeline_functions_are_registered_with_lunr() -> None:
    from lunr.pipeline import Pipeline

    register_pipeline_functions()
    register_pipeline_functions()  # idempotent
    pipeline = Pipeline.load(["gongkai-query"])
    assert pipeline.run_string("苏政办发[2020]65号") == query_terms("苏政办发[2020]65号")
    full = Pipeline.load(["gongkai-full"])
    assert full.run_string("政务公开") == terms("政务公开", "full")
    text = Pipeline.load(["gongkai-text"])
    assert text.run_string("政务公开") == terms("政务公开", "text")


POOL = "政府信息公开工作通知办法人民的和年第一二〇" + "abcXYZ0129ＡＢｚ１" + "，。、（）〔〕 \n\t　-/" + "𠀀𠮷αü"


@settings(max_examples=400)
@given(st.text(alphabet=POOL, max_size=60), st.data())
def test_term_counts_count_the_terms_new_ones_in_order_of_appearance(text: str, data: st.DataObject) -> None:
    for mode in ("text", "full"):
        expected = terms(text, mode)
        known = data.draw(st.sets(st.sampled_from(expected))) if expected else set()
        counts = term_counts(text, mode, known)
        assert counts == Counter(expected)
        assert [t for t in counts if t not in known] == [t for t in dict.fromkeys(expected) if t not in known]
