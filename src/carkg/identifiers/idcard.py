"""Mainland resident ID numbers (GB 11643): parsed once, then only ever stored hashed and masked.

Error messages never repeat the whole number, because they end up in reject files and logs.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from carkg.identifiers.errors import IdentifierError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"\d{17}[\dX]")
_MIN_KEY_BYTES = 16

# GB/T 2260 province-level codes, plus 81/82/83 used by residence permits for Hong Kong, Macao
# and Taiwan residents. A number outside them was mistyped or made up.
_PROVINCES = frozenset(
    {
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class IdCard:
    """A checked ID number and what it tells about its holder."""

    number: str = field(repr=False)  # kept out of repr so it never lands in a log line
    birth_date: date
    gender: Literal["M", "F"]
    area_code: str


def parse_id_card(raw: str) -> IdCard:
    """Check an 18-character ID number (area, birth date, checksum) and read birth date and gender."""
    number = _normalize(raw)
    if len(number) != 18:
        if len(number) == 15 and number.isdigit():
            raise IdentifierError("15-digit first-generation ID numbers are not accepted; need 18 characters")
        raise IdentifierError(f"an ID number has 18 characters, got {len(number)}")
    if not _SHAPE.fullmatch(number):
        raise IdentifierError("an ID number is 17 digits followed by a digit or X")
    area_code = number[:6]
    if area_code[:2] not in _PROVINCES:
        raise IdentifierError(f"invalid area code {area_code}")
    birth_date = _birth_date(number[6:14])
    if number[17] != id_check_char(number):
        raise IdentifierError("checksum mismatch")
    gender: Literal["M", "F"] = "M" if int(number[16]) % 2 else "F"
    return IdCard(number=number, birth_date=birth_date, gender=gender, area_code=area_code)


def id_check_char(number: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits of `number`."""
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def hash_id_number(number: str, key: bytes) -> str:
    """HMAC-SHA256 (hex) of the normalised number: equal numbers match, but without the installation's
    key nobody can recover a number by hashing all ~10^11 plausible ones."""
    if len(key) < _MIN_KEY_BYTES:
        raise ValueError(f"the ID hashing key must be at least {_MIN_KEY_BYTES} bytes, got {len(key)}")
    return hmac.new(key, _normalize(number).encode("ascii"), hashlib.sha256).hexdigest()


def near_document_keys(number: str, key: bytes) -> list[str]:
    """Keys two document numbers share when one is the other with one character typed wrong, left out,
    added or two neighbours swapped: the HMAC of every one-character deletion (a symmetric deletion
    neighbourhood), so near-duplicates meet without the numbers being kept in clear.

    Checksum-aware: a valid 身份证 gets none, since ISO 7064 MOD 11-2 makes every single substitution
    and neighbour swap of a valid number invalid (and the loaders reject those), so two valid numbers one
    edit apart are two people."""
    normalized = _normalize(number)
    if len(normalized) == 18 and normalized[:17].isdigit() and normalized[17] == id_check_char(normalized):
        return []
    return sorted({hash_id_number("~" + normalized[:k] + normalized[k + 1 :], key) for k in range(len(normalized))})


def mask_id_number(number: str) -> str:
    """Display form `110105********123X`: region and last digits let a person recognise their own."""
    normalized = _normalize(number)
    if len(normalized) != 18:
        raise IdentifierError(f"an ID number has 18 characters, got {len(normalized)}")
    return f"{normalized[:6]}********{normalized[14:]}"


def _normalize(raw: str) -> str:
    # NFKC turns full-width digits and Ｘ into ASCII; people type spaces to group the digits.
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


def _birth_date(text: str) -> date:
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise IdentifierError(f"invalid birth date {text}") from None
    if born.year < 1900:
        raise IdentifierError(f"invalid birth date {text}: before 1900")
    if born > date.today():
        raise IdentifierError(f"invalid birth date {text}: in the future")
    return born
