"""Privacy lint: resident ID, mobile and bank card numbers, positioned and masked; acknowledgements."""

from __future__ import annotations

from typing import Any

import pytest

from generator.checks.privacy import classify, find_numbers, is_resident_id, luhn, mask
from tests.conftest import BUILD_DATE, run_cli

ID = "11010519491231002X"  # the GB 11643 example: valid check digit
ID_15 = "110105491231002"
MOBILE = "13800138000"
CARD = "6222021234567890128"  # passes Luhn


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.digits) for f in find_numbers(text)]


# --------------------------------------------------------------- detection
def test_resident_id_rules() -> None:
    assert is_resident_id(ID)
    assert is_resident_id(ID.lower())
    assert is_resident_id(ID_15)
    assert not is_resident_id("110105194912310021")  # wrong check digit
    assert not is_resident_id("990105194912310026")  # no such province
    assert not is_resident_id("110105194902300025")  # 1949-02-30
    assert not is_resident_id("110105491331002")  # month 13 (legacy form)


def test_luhn() -> None:
    assert luhn(CARD)
    assert luhn("4111111111111111")
    assert not luhn("4111111111111112")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (f"身份证号：{ID}。", [("id", ID)]),
        (f"身份证号 {ID[:6]} {ID[6:14]} {ID[14:]}", [("id", ID)]),
        (f"老身份证 {ID_15}", [("id", ID_15)]),
        (f"电话{MOBILE}，", [("mobile", MOBILE)]),
        ("电话 138 0013 8000", [("mobile", MOBILE)]),
        ("电话 138-0013-8000", [("mobile", MOBILE)]),
        ("电话 +86 13800138000", [("mobile", MOBILE)]),
        ("电话 8613800138000", [("mobile", MOBILE)]),
        (f"卡号 {CARD}", [("card", CARD)]),
        ("卡号 6222 0212 3456 7890 128", [("card", CARD)]),
        ("卡号 4111-1111-1111-1111", [("card", "4111111111111111")]),
        (f"联系人{MOBILE}，身份证{ID}", [("mobile", MOBILE), ("id", ID)]),
    ],
)
def test_finds_personal_numbers(text: str, found: list[tuple[str, str]]) -> None:
    assert kinds(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "成文日期 20240315，公开日期 2024-03-15，2024年3月15日",
        "索引号 012500002/2024-00001",
        "索引号 113417020032563511/202504-00057，11441700007280420Y/2021-00050",
        "澜政办发〔2024〕12号、澜江市人民政府令第138号",
        "全市生产总值 13812345678 元，比上年增长 5.2%",
        "累计服务 13912345678人次",
        "预算 ¥13800138000",
        "比例 13800138000.5",
        "编号 1380013800012345678901",
        "见 https://www.gov.cn/zhengce/content/13800138000.htm 和 content_13800138000.htm",
        "咨询电话 0571-88888888，12345 热线，400-123-4567，邮编 310000",
        "统一社会信用代码 91330100MA27XL3X4Q",
        "卡号 4111111111111112（未通过校验）",
        "第13800138000号",
        "110105194912310021 校验位错误",
    ],
)
def test_false_positives(text: str) -> None:
    assert kinds(text) == []


def test_mask_keeps_only_the_edges() -> None:
    assert mask(MOBILE) == "138******00"
    assert mask("138 0013 8000") == "138 **** **00"
    assert mask(ID) == "110*************2X"
    assert MOBILE not in mask(MOBILE)


def test_classify_acknowledged_values() -> None:
    assert classify("138-0013-8000") == "mobile"
    assert classify(ID) == "id"
    assert classify(CARD) == "card"
    assert classify("12345") is None


# ----------------------------------------------------------- in a project
def test_positions_masks_and_messages(make_project: Any) -> None:
    p = make_project()
    p.entry(
        keywords=["公开", f"卡{CARD}"],
        abstract=f"申请人身份证 {ID}",
        body=f"第一段。\n\n请联系 张三，电话 {MOBILE}，谢谢。\n",
    )
    diags = [d for d in p.diagnostics() if d.code.startswith("E8")]
    assert [(d.code, d.line, d.col) for d in diags] == [("E803", 15, 4), ("E801", 16, 18), ("E802", 20, 11)]
    e803, e801, e802 = diags
    assert e802.message() == "疑似手机号码 138******00（请联系 张三，电话 138******00，谢谢。）"
    assert e802.hint() == (
        "删除或打码后再发布；如确属应当公开的号码（如服务热线），在 catalogue/e1.md 的 privacy_ack 中登记号码和理由"
    )
    assert e802.message("en") == "looks like a mobile phone number 138******00 (请联系 张三，电话 138******00，谢谢。)"
    assert e802.hint("en") == (
        "remove or mask it; if it must be public (e.g. a service hotline), list it under privacy_ack in catalogue/e1.md with a reason"
    )
    assert e801.message() == "疑似居民身份证号码 110*************2X（申请人身份证 110*************2X）"
    assert e803.message() == "疑似银行卡号 622**************28（卡622**************28）"


def test_every_published_text_is_checked(make_project: Any) -> None:
    p = make_project()
    p.write("catalogue/files/名单.csv", f"姓名,身份证号\n张三,{ID}\n".encode("gb18030"))
    p.entry(
        title=f"关于{MOBILE}的通知",
        procedure=f"经办人 {MOBILE}",
        history=[{"date": BUILD_DATE, "note": f"更正 {MOBILE}"}],
        attachments=[{"title": "名单", "file": "files/名单.csv"}],
    )
    p.interpretation(contact=f"联系人 {MOBILE}", interpreter=f"李四 {MOBILE}", body=f"解读 {CARD}\n")
    p.page("about", "关于", body=f"手机 {MOBILE}\n")
    found = sorted((d.path, d.code) for d in p.diagnostics() if d.code.startswith("E8"))
    assert found == [
        ("catalogue/e1.md", "E802"),
        ("catalogue/e1.md", "E802"),
        ("catalogue/e1.md", "E802"),
        ("catalogue/files/名单.csv", "E801"),
        ("content/interpretations/i1.md", "E802"),
        ("content/interpretations/i1.md", "E802"),
        ("content/interpretations/i1.md", "E803"),
        ("content/pages/about.md", "E802"),
    ]
    (csv,) = [d for d in p.diagnostics() if d.path.endswith(".csv")]
    assert (csv.line, csv.col) == (2, 4)


def test_unpublished_text_of_on_request_entries_is_not_checked_but_drafts_are(make_project: Any) -> None:
    p = make_project()
    p.entry("request", disclosure="依申请公开", body=f"申请人电话 {MOBILE}\n")
    p.entry("draft", index_no="000000002/2024-00002", draft=True, body=f"电话 {MOBILE}\n")
    assert [(d.path, d.code) for d in p.diagnostics() if d.code.startswith("E8")] == [("catalogue/draft.md", "E802")]


def test_acknowledgements(make_project: Any) -> None:
    p = make_project()
    p.entry(
        body=f"服务热线 {MOBILE[:3]}-{MOBILE[3:7]}-{MOBILE[7:]}，办事卡号 {CARD}。\n",
        privacy_ack=[
            {"value": MOBILE, "reason": "本单位公开的服务热线"},
            {"value": "13900000000", "reason": "旧热线"},
            {"value": "12345", "reason": "政务服务热线"},
        ],
    )
    diags = [(d.code, d.line, d.col) for d in p.diagnostics() if d.code[1] == "8"]
    assert diags == [("W801", 16, 10), ("W802", 18, 10), ("E803", 21, 25)]
    w801, w802 = [d for d in p.diagnostics() if d.code in ("W801", "W802")]
    assert w801.message() == "privacy_ack 登记的号码 139******00 未在本条信息中出现"
    assert w802.message() == "privacy_ack 登记的 12345 不是身份证号、手机号或银行卡号，隐私检查不会报告它，无需登记"


def test_ack_needs_a_reason(make_project: Any) -> None:
    p = make_project()
    p.entry(privacy_ack=[{"value": MOBILE}])
    assert ("E101", "privacy_ack[0].reason") in [(d.code, dict(d.params).get("key")) for d in p.diagnostics()]


def test_check_never_prints_the_full_number(make_project: Any) -> None:
    p = make_project()
    p.entry(title=f"张三 {ID} 的补贴", body=f"电话 {MOBILE}，卡号 {CARD}\n")
    for lang in ("zh", "en"):
        result = run_cli("check", str(p.root), "--lang", lang, "--build-date", BUILD_DATE.isoformat())
        assert result.returncode == 1
        for number in (ID, MOBILE, CARD):
            assert number not in result.stdout + result.stderr
    result = run_cli("check", str(p.root), "--format", "json", "--build-date", BUILD_DATE.isoformat())
    for number in (ID, MOBILE, CARD):
        assert number not in result.stdout


def test_the_sample_catalogue_is_clean() -> None:
    from generator.project import load_project
    from tests.conftest import REPO

    project = load_project(REPO, BUILD_DATE)
    assert [d.format() for d in project.diagnostics if d.code[1] == "8"] == []


# --------------------------------------------------- round 2: disguised numbers
WIDE = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (f"身份证号：{ID.translate(WIDE)}", [("id", ID)]),
        (f"身份证号：{ID[:6]}-{ID[6:14]}-{ID[14:]}", [("id", ID)]),
        (f"身份证号：{ID[:6]}－{ID[6:14]}－{ID[14:]}", [("id", ID)]),  # full-width hyphen
        (f"老身份证 {ID_15[:6]}-{ID_15[6:12]}-{ID_15[12:]}", [("id", ID_15)]),
        (f"身份证 {ID[:9]}\u200b{ID[9:]}", [("id", ID)]),
        (f"电话 {MOBILE.translate(WIDE)}", [("mobile", MOBILE)]),
        ("电话 138\u00a00013\u00a08000", [("mobile", MOBILE)]),
        ("电话 138\u30000013\u30008000", [("mobile", MOBILE)]),
        ("电话 138\u200b0013\u200b8000", [("mobile", MOBILE)]),
        ("电话 138\u20090013\u20098000", [("mobile", MOBILE)]),
        ("电话 \u00ad138\u00ad0013\u00ad8000", [("mobile", MOBILE)]),
        ("电话 138\u20140013\u20148000", [("mobile", MOBILE)]),
        ("电话 1380013\n8000", [("mobile", MOBILE)]),
        ("电话 138\n0013\n8000", [("mobile", MOBILE)]),
        ("电话 138 0013\n  8000", [("mobile", MOBILE)]),
        ("> 电话 13800\n> 138000", [("mobile", MOBILE)]),
        (f"联系人：张三/{MOBILE}", [("mobile", MOBILE)]),
        (f"联系人：张三／{MOBILE}", [("mobile", MOBILE)]),
        (f"张三（{MOBILE}）", [("mobile", MOBILE)]),
        (f"电话：+８６ {MOBILE}", [("mobile", MOBILE)]),
        (f"卡号 {CARD.translate(WIDE)}", [("card", CARD)]),
        # a label covers its own number only: an ID elsewhere in the same text is found
        (f"开户行：某银行，账号：{ID_15}；经办人身份证 {ID}", [("id", ID)]),
        (f"账号 {ID_15}，{ID}", [("id", ID)]),
        (f"户名：某局\n身份证 {ID}", [("id", ID)]),
        (f"账号：{ID_15}，联系电话 {MOBILE}", [("mobile", MOBILE)]),
    ],
)
def test_finds_disguised_numbers(text: str, found: list[tuple[str, str]]) -> None:
    assert kinds(text) == found


@pytest.mark.parametrize(
    "text",
    [
        f"开户行：中国工商银行某支行，账号：{ID_15}",
        f"收款账号 {ID_15}",
        f"帐号：{ID_15}",
        f"账户 {CARD}",
        f"户名：某市财政局 开户：某银行 {ID_15}",
        f"统一社会信用代码：{ID}",
        "组织机构代码 110105491231002",
        "澜公网安备 33901202000101 号",
        "http://example.cn/a/13800138000",
        "索引号 012500002/2025-00009",
        "年份\n2023\n2024\n2025",
    ],
)
def test_accounts_codes_and_registrations_are_not_personal(text: str) -> None:
    assert kinds(text) == []


def test_positions_map_back_to_the_text_as_written() -> None:
    text = "甲\u200b乙 电话 １３８\u3000００１３\u3000８０００。"
    (f,) = find_numbers(text)
    assert text[f.start : f.end] == "１３８\u3000００１３\u3000８０００"
    assert mask(text[f.start : f.end]).count("*") == 6


def test_attachment_file_names_are_checked(make_project: Any) -> None:
    p = make_project()
    sha = p.attachment(f"files/张三{MOBILE}.pdf", b"%PDF")
    sha2 = p.attachment(f"files/{ID}/表.pdf", b"%PDF")
    p.entry(
        attachments=[
            {"title": "名单", "file": f"files/张三{MOBILE}.pdf", "sha256": sha},
            {"title": "表", "file": f"files/{ID}/表.pdf", "sha256": sha2},
        ]
    )
    diags = [(d.code, d.path, d.line) for d in p.diagnostics() if d.code.startswith("E8")]
    assert diags == [("E802", "catalogue/e1.md", 15), ("E801", "catalogue/e1.md", 18)]


def test_media_file_names_are_checked(make_project: Any) -> None:
    p = make_project()
    p.entry()
    p.write(f"content/media/采访{MOBILE}.mp4", b"\0")
    p.interpretation(form="视频", media={"file": f"media/采访{MOBILE}.mp4", "title": "视频"})
    assert [d.code for d in p.diagnostics() if d.code.startswith("E8")] == ["E802"]


def test_site_config_values_are_checked(make_project: Any) -> None:
    from tests.conftest import CONFIG

    p = make_project(
        CONFIG.replace(
            '  site_id_code: "1234567890"\n', f'  site_id_code: "1234567890"\n  contact: 联系人 王五 {MOBILE}\n'
        )
    )
    p.entry()
    diags = [d for d in p.diagnostics() if d.code.startswith("E8")]
    assert [(d.path, d.line, d.code) for d in diags] == [("site_config.yml", 7, "E802")]
    assert MOBILE not in diags[0].message() and "privacy_ack" not in diags[0].hint()
    result = run_cli("build", str(p.root), "--build-date", BUILD_DATE.isoformat())
    assert result.returncode == 1 and not (p.root / "site").exists()


def test_a_file_missing_a_required_field_is_still_privacy_checked(make_project: Any) -> None:
    p = make_project()
    p.entry(title=None, abstract=f"申请人 {MOBILE}", body=f"身份证 {ID}\n")
    codes = p.codes()
    assert "E101" in codes and "E802" in codes and "E801" in codes


def test_a_file_missing_a_required_field_still_gets_the_cross_file_checks(make_project: Any) -> None:
    p = make_project()
    p.entry("a")
    p.entry(
        "b",
        title=None,
        attachments=[{"title": "附件", "file": "files/none.pdf"}],
        relations={"amends": ["000000002/2099-00001"]},
    )
    diags = {(d.path, d.code) for d in p.diagnostics()}
    assert ("catalogue/b.md", "E101") in diags
    assert ("catalogue/b.md", "E304") in diags  # same 索引号 as a.md
    assert ("catalogue/b.md", "E601") in diags
    assert ("catalogue/b.md", "E501") in diags


def test_an_on_request_file_missing_a_field_keeps_its_body_unchecked(make_project: Any) -> None:
    p = make_project()
    p.entry(title=None, disclosure="依申请公开", body=f"身份证 {ID}\n")
    assert "E801" not in p.codes()


def test_an_acknowledgement_covers_its_own_file_only(make_project: Any) -> None:
    p = make_project()
    p.entry("a", body=f"服务热线 {MOBILE}\n", privacy_ack=[{"value": MOBILE, "reason": "本单位公开的服务热线"}])
    p.entry("b", index_no="000000002/2024-00002", body=f"服务热线 {MOBILE}\n")
    assert [(d.path, d.code) for d in p.diagnostics() if d.code[1] == "8"] == [("catalogue/b.md", "E802")]


def test_a_wrapped_number_is_shown_on_one_line(make_project: Any) -> None:
    p = make_project()
    p.entry(body="电话 1380013\n8000，电话 138\u200b0013\u200b8000\n")
    diags = [d for d in p.diagnostics() if d.code == "E802"]
    assert [dict(d.params)["masked"] for d in diags] == ["138**** **00", "138******00"]
    assert all("\n" not in d.format().split("\n  ")[0] for d in diags)
