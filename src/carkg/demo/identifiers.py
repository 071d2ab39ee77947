"""Valid-looking identifiers: mobiles, landlines, resident ID numbers, VINs, WeChat and device ids.

Checksums are computed, not faked, because the loaders reject what fails them; the deliberately broken
values the reject path needs are made in `badrows.py` from these good ones.
"""

from __future__ import annotations

import base64
import random
from datetime import date

import phonenumbers

MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "173", "175", "176", "177", "178",
    "180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
    "191", "193", "195", "196", "197", "198", "199",
)  # fmt: skip

# Numbers staff type when the customer will not give one; all are valid mobile numbers on paper.
TEST_NUMBERS = (
    "13800138000", "13900000000", "18888888888", "13888888888", "13000000000", "18600000000",
    "13811111111", "15000000000",
)  # fmt: skip

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

VIN_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"  # no I, O, Q
VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7, "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}  # fmt: skip
VIN_YEAR_CODES = {2015: "F", 2016: "G", 2017: "H", 2018: "J", 2019: "K", 2020: "L", 2021: "M", 2022: "N",
                  2023: "P", 2024: "R", 2025: "S", 2026: "T", 2027: "V"}  # fmt: skip

_LETTERS_ONLY = str.maketrans("+/", "xZ")


def mobile(rng: random.Random, taken: set[str]) -> str:
    """A fresh 11-digit mainland mobile number (never a test number, never one already handed out)."""
    while True:
        number = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
        if number not in taken and number not in TEST_NUMBERS:
            taken.add(number)
            return number


def landline(rng: random.Random, area_code: str, digits: int, taken: set[str]) -> str:
    """A switchboard number as dealers print it (`010-65123456`) that libphonenumber accepts, because
    the loaders validate phones with it."""
    while True:
        number = f"{area_code}-{rng.randrange(2, 9)}{rng.randrange(10 ** (digits - 1)):0{digits - 1}d}"
        if number not in taken and phonenumbers.is_valid_number(phonenumbers.parse(number, "CN")):
            taken.add(number)
            return number


# How each kind of system tends to write a mobile: share of plain, spaced, +86, 86- and dashed forms.
PHONE_STYLES: dict[str, tuple[float, float, float, float, float]] = {
    "dms": (0.86, 0.06, 0.03, 0.03, 0.02),
    "aftersales": (0.80, 0.08, 0.04, 0.04, 0.04),
    "leads": (0.62, 0.10, 0.18, 0.06, 0.04),
    "wecom": (0.55, 0.15, 0.22, 0.05, 0.03),
}


def write_mobile(rng: random.Random, number: str, system: str) -> str:
    """`number` as a person at the `system` front end would have typed it."""
    plain, spaced, plus, dash86, _dashed = PHONE_STYLES[system]
    roll = rng.random()
    if roll < plain:
        return number
    roll -= plain
    if roll < spaced:
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    roll -= spaced
    if roll < plus:
        return f"+86 {number}"
    roll -= plus
    if roll < dash86:
        return f"86-{number}"
    return f"{number[:3]}-{number[3:7]}-{number[7:]}"


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def id_number(rng: random.Random, area: str, born: date, male: bool) -> str:
    """18-character resident ID: area, birth date, sequence whose last digit is odd for men, check char."""
    seq = rng.randrange(100) * 10 + rng.randrange(5) * 2 + (1 if male else 0)
    first17 = f"{area}{born.year:04d}{born.month:02d}{born.day:02d}{seq:03d}"
    return first17 + id_check_char(first17)


def vin_check_digit(vin: str) -> str:
    total = sum(VIN_VALUES[c] * w for c, w in zip(vin, VIN_WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def vin(rng: random.Random, wmi: str, vds: str, year: int, plant: str, taken: set[str]) -> str:
    """A VIN with a correct position-9 check digit, unique within `taken`."""
    year_code = VIN_YEAR_CODES[min(max(year, 2015), 2027)]
    while True:
        body = f"{wmi}{vds}0{year_code}{plant}{rng.randrange(1_000_000):06d}"
        number = body[:8] + vin_check_digit(body) + body[9:]
        if number not in taken:
            taken.add(number)
            return number


def unionid(rng: random.Random) -> str:
    """28 characters under the open-platform prefix all of one OEM's WeChat apps share."""
    return "o6_bm" + base64.urlsafe_b64encode(rng.getrandbits(144).to_bytes(18, "big")).decode()[:23]


def external_userid(rng: random.Random) -> str:
    """`wm` and 30 letters or digits, like WeCom's external contact ids."""
    raw = base64.b64encode(rng.getrandbits(192).to_bytes(24, "big")).decode()[:30]
    return "wm" + raw.translate(_LETTERS_ONLY)


def device_id(rng: random.Random) -> str:
    """UUID v4 as an app SDK reports it (iOS upper-case IDFV, Android lower-case)."""
    h = f"{rng.getrandbits(128):032x}"
    variant = "89ab"[int(h[16], 16) & 3]
    text = f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:]}"
    return text.upper() if rng.random() < 0.45 else text
