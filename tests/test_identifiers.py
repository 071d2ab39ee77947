"""Identifier validation, normalisation and masking: pure Python, no database."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from carkg.identifiers import (
    IdCard,
    IdentifierError,
    ModelCatalog,
    hash_id_number,
    is_mobile,
    mask_id_number,
    mask_phone,
    name_pinyin,
    name_similarity,
    normalize_name,
    normalize_phone,
    normalize_vin,
    parse_id_card,
    vin_check_digit,
)

KEY = bytes(range(32))


# -- phones -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 13812345678",
        "+86 138 1234 5678",
        "86-13812345678",
        "8613812345678",
        "0086 13812345678",
        "１３８１２３４５６７８",
        "＋８６ １３８１２３４５６７８",
        "  13812345678\t",
    ],
)
def test_mobile_in_every_written_form(raw: str) -> None:
    assert normalize_phone(raw) == "+8613812345678"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("010-88886666", "+861088886666"),
        ("(0755) 8888 6666", "+8675588886666"),
        ("+852 6123 4567", "+85261234567"),
    ],
)
def test_landlines_and_other_regions(raw: str, e164: str) -> None:
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["1381234", "12345678901", "138123456789", "phone", "+86", "0000"])
def test_invalid_phone(raw: str) -> None:
    with pytest.raises(IdentifierError, match="not a valid phone number for region CN"):
        normalize_phone(raw)


def test_invalid_phone_message_names_the_value() -> None:
    with pytest.raises(IdentifierError) as info:
        normalize_phone("1381234")
    assert str(info.value) == "not a valid phone number for region CN: '1381234'"
    assert isinstance(info.value, ValueError)


def test_empty_phone() -> None:
    with pytest.raises(IdentifierError, match="empty"):
        normalize_phone("   ")


def test_region_other_than_cn() -> None:
    assert normalize_phone("6123 4567", region="HK") == "+85261234567"


@pytest.mark.parametrize(
    ("e164", "masked"),
    [
        ("+8613812345678", "138****5678"),
        ("+861088886666", "010-****6666"),
        ("+8675588886666", "0755-****6666"),
        ("+85261234567", "+852 ****4567"),
        ("+16502530000", "+1 65****0000"),
    ],
)
def test_mask_phone(e164: str, masked: str) -> None:
    assert mask_phone(e164) == masked


def test_mask_phone_needs_e164() -> None:
    with pytest.raises(IdentifierError, match=r"E\.164"):
        mask_phone("13812345678")


def test_is_mobile() -> None:
    assert is_mobile("+8613812345678")
    assert not is_mobile("+861088886666")


# -- ID cards ---------------------------------------------------------------------------------------


def reference_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 from its definition (weights 2^(17-i) mod 11), not from the module's table."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def make_id(area: str, born: str, sequence: str) -> str:
    first17 = area + born + sequence
    return first17 + reference_check_char(first17)


def id_with_x(area: str = "110105", born: str = "19900307") -> str:
    for n in range(1000):
        number = make_id(area, born, f"{n:03d}")
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence gives an X check character")


def test_reference_check_char_agrees_with_a_published_example() -> None:
    assert make_id("110105", "19491231", "002") == "11010519491231002X"


def test_valid_id_with_x_check_char() -> None:
    number = id_with_x()
    card = parse_id_card(number)
    assert card.number == number
    assert card.birth_date == date(1990, 3, 7)
    assert card.area_code == "110105"


def test_id_normalisation_spaces_lower_x_full_width() -> None:
    number = id_with_x()
    messy = f" {number[:6]} {number[6:14]} {number[14:17]}x "
    assert parse_id_card(messy).number == number
    full_width = number[:17].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "ｘ"
    assert parse_id_card(full_width).number == number


@pytest.mark.parametrize(("sequence", "gender"), [("001", "M"), ("013", "M"), ("002", "F"), ("120", "F")])
def test_gender_from_17th_digit(sequence: str, gender: str) -> None:
    card = parse_id_card(make_id("440305", "19851120", sequence))
    assert card.gender == gender
    assert card.birth_date == date(1985, 11, 20)


def test_bad_checksum() -> None:
    number = make_id("310101", "19800101", "123")
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(IdentifierError, match="checksum mismatch"):
        parse_id_card(wrong)


@pytest.mark.parametrize("born", ["19901345", "19900230", "19900000"])
def test_bad_birth_date(born: str) -> None:
    with pytest.raises(IdentifierError, match=f"invalid birth date {born}"):
        parse_id_card(make_id("110105", born, "123"))


def test_birth_date_in_the_future_or_before_1900() -> None:
    tomorrow = (date.today() + timedelta(days=1)).strftime("%Y%m%d")
    with pytest.raises(IdentifierError, match="in the future"):
        parse_id_card(make_id("110105", tomorrow, "123"))
    with pytest.raises(IdentifierError, match="before 1900"):
        parse_id_card(make_id("110105", "18991231", "123"))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("11010519900307123", "18 characters, got 17"),
        ("110105900307123", "15-digit"),
        ("1101051990030712A4", "17 digits followed by a digit or X"),
        ("X10105199003071234", "17 digits followed by a digit or X"),
    ],
)
def test_bad_shape(raw: str, reason: str) -> None:
    with pytest.raises(IdentifierError, match=reason):
        parse_id_card(raw)


def test_bad_area_code() -> None:
    with pytest.raises(IdentifierError, match="invalid area code 990105"):
        parse_id_card(make_id("990105", "19900307", "123"))


def test_errors_and_repr_do_not_reveal_the_number() -> None:
    number = make_id("310101", "19800101", "123")
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(IdentifierError) as info:
        parse_id_card(wrong)
    assert wrong not in str(info.value)
    assert number not in repr(parse_id_card(number))


def test_id_card_is_frozen() -> None:
    card = parse_id_card(id_with_x())
    assert isinstance(card, IdCard)
    with pytest.raises(AttributeError):
        card.gender = "F"  # type: ignore[misc]


def test_hash_is_keyed_and_stable() -> None:
    number = id_with_x()
    digest = hash_id_number(number, KEY)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert hash_id_number(number, KEY) == digest
    assert hash_id_number(number.lower(), KEY) == digest
    assert hash_id_number(number, bytes(reversed(KEY))) != digest
    assert hash_id_number(make_id("110105", "19900307", "999"), KEY) != digest


def test_hash_refuses_a_short_key() -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        hash_id_number(id_with_x(), b"")


def test_mask_id_number() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("11010519491231002x") == "110105********002X"
    with pytest.raises(IdentifierError):
        mask_id_number("1101051949")


# -- VINs -------------------------------------------------------------------------------------------


def test_known_valid_vin() -> None:
    assert vin_check_digit("1M8GDM9AXKP042788") == "X"
    assert normalize_vin("1M8GDM9AXKP042788") == "1M8GDM9AXKP042788"
    assert normalize_vin(" 1m8gdm9a xkp042788 ") == "1M8GDM9AXKP042788"
    assert normalize_vin("１Ｍ８ＧＤＭ９ＡＸＫＰ０４２７８８") == "1M8GDM9AXKP042788"


def test_vin_wrong_check_digit() -> None:
    with pytest.raises(IdentifierError, match="check digit mismatch: position 9 is '5', expected 'X'"):
        normalize_vin("1M8GDM9A5KP042788")


def test_vin_letter_o() -> None:
    with pytest.raises(IdentifierError, match="letter 'O' is not allowed in a VIN \\(position 2\\)"):
        normalize_vin("1O8GDM9AXKP042788")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [("1M8GDM9AXKP04278", "17 characters, got 16"), ("1M8GDM9AXKP04278#", "invalid character '#'")],
)
def test_vin_bad_shape(raw: str, reason: str) -> None:
    with pytest.raises(IdentifierError, match=reason):
        normalize_vin(raw)


# -- names ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("  张伟 ", "张伟"),
        ("张 伟", "张伟"),
        ("Ｚｈａｎｇ　　Ｗｅｉ", "Zhang Wei"),
        ("阿卜杜拉 · 买买提", "阿卜杜拉·买买提"),
        ("阿卜杜拉•买买提", "阿卜杜拉·买买提"),
        ("阿卜杜拉・买买提", "阿卜杜拉·买买提"),
        ("阿卜杜拉.买买提", "阿卜杜拉·买买提"),
        ("J. Smith", "J. Smith"),
    ],
)
def test_normalize_name(raw: str, normalized: str) -> None:
    assert normalize_name(raw) == normalized


def test_name_pinyin() -> None:
    assert name_pinyin("张伟") == "zhangwei"
    assert name_pinyin("张玮") == "zhangwei"
    assert name_pinyin("Zhang Wei") == "zhangwei"


def test_name_similarity_scale() -> None:
    assert name_similarity("张伟", " 张伟") == 1.0
    assert name_similarity("张伟", "张玮") > 0.85
    assert name_similarity("张伟", "李娜") < 0.5
    assert name_similarity("张伟", "张玮") > name_similarity("张伟", "张文") > name_similarity("张伟", "李娜")
    assert name_similarity("张伟", "") == 0.0
    assert all(0.0 <= name_similarity("张伟", other) <= 1.0 for other in ["王芳", "张伟伟", "zhang wei", "·"])


# -- model catalogue --------------------------------------------------------------------------------


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def catalog(tmp_path: Path) -> ModelCatalog:
    write_csv(
        tmp_path / "models.csv",
        ["model_code", "brand_code", "brand_name", "model_name_zh", "model_name_en", "segment", "energy"],
        [
            ["BYD_HAN", "BYD", "比亚迪", "汉", "Han", "C", "BEV"],
            ["BYD_SEAL", "BYD", "比亚迪", "海豹", "Seal", "C", "BEV"],
            ["TSL_M3", "TSL", "特斯拉", "Model 3", "Model 3", "C", "BEV"],
        ],
    )
    write_csv(
        tmp_path / "model_aliases.csv",
        ["alias", "model_code", "system"],
        [
            ["比亚迪汉EV", "BYD_HAN", "any"],
            ["HAN-EV 2024", "BYD_HAN", "sales"],
            ["Model3", "TSL_M3", "any"],
            ["M3", "TSL_M3", "sales"],
            ["M3", "BYD_SEAL", "aftersales"],
        ],
    )
    return ModelCatalog.load(tmp_path)


@pytest.mark.parametrize(
    "raw",
    [
        "BYD_HAN",
        "byd-han",
        "汉",
        "han",
        "比亚迪汉EV",
        "比亚迪 汉 ev",
        "ＨＡＮ－ＥＶ　２０２４",
        "han_ev_2024",
        "HanEv2024",
    ],
)
def test_resolve_variants(catalog: ModelCatalog, raw: str) -> None:
    assert catalog.resolve(raw) == "BYD_HAN"


def test_resolve_model_3(catalog: ModelCatalog) -> None:
    for raw in ["Model 3", "MODEL3", "model-3", "ｍｏｄｅｌ ３", "tsl m3"]:
        assert catalog.resolve(raw) == "TSL_M3"


def test_resolve_by_system(catalog: ModelCatalog) -> None:
    assert catalog.resolve("m3", "sales") == "TSL_M3"
    assert catalog.resolve("m3", "aftersales") == "BYD_SEAL"
    assert catalog.resolve("HAN-EV 2024", "aftersales") == "BYD_HAN"  # only one system uses it: unambiguous
    with pytest.raises(IdentifierError, match="ambiguous vehicle model 'M3'"):
        catalog.resolve("M3")


def test_resolve_unknown(catalog: ModelCatalog) -> None:
    with pytest.raises(IdentifierError) as info:
        catalog.resolve("xyz")
    assert str(info.value) == "unknown vehicle model 'xyz'"
    with pytest.raises(IdentifierError, match="empty"):
        catalog.resolve(" - ")


def test_models_and_brands(catalog: ModelCatalog) -> None:
    assert [m.code for m in catalog.models] == ["BYD_HAN", "BYD_SEAL", "TSL_M3"]
    assert {(b.code, b.name) for b in catalog.brands} == {("BYD", "比亚迪"), ("TSL", "特斯拉")}
    assert catalog.model("BYD_SEAL").name_zh == "海豹"
    with pytest.raises(AttributeError):
        catalog.models[0].code = "X"  # type: ignore[misc]


def test_alias_to_unknown_model_is_rejected(tmp_path: Path, catalog: ModelCatalog) -> None:
    write_csv(tmp_path / "model_aliases.csv", ["alias", "model_code", "system"], [["Foo", "NOPE", "any"]])
    with pytest.raises(ValueError, match="unknown model code 'NOPE'"):
        ModelCatalog.load(tmp_path)
