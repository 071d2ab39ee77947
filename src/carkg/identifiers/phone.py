"""Phone numbers: one E.164 form for matching, a masked form for display."""

from __future__ import annotations

import unicodedata

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat, PhoneNumberType

from carkg.identifiers.errors import IdentifierError

_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def normalize_phone(raw: str, region: str = "CN") -> str:
    """The number in E.164 (`+8613812345678`), whatever way a source system wrote it.

    Numbers without a country code are read as `region` numbers; `86-…`, `0086 …` and full-width
    digits are all understood. Only numbers phonenumbers considers valid pass, so typos and
    truncated numbers are rejected here rather than merged into the wrong person.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        raise IdentifierError("empty phone number")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise IdentifierError(f"not a valid phone number for region {region}: {raw!r}") from exc
    if not phonenumbers.is_valid_number(number):
        raise IdentifierError(f"not a valid phone number for region {region}: {raw!r}")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """A display form that hides the middle digits: `138****5678`, `010-****6666`, `+852 ****4567`.

    Chinese numbers are shown in their national form, as people in China read them; other numbers
    keep their country code so they are not mistaken for Chinese ones.
    """
    number = _parse_e164(e164)
    national = phonenumbers.national_significant_number(number)
    if number.country_code != 86:
        return f"+{number.country_code} {_mask_digits(national)}"
    area = phonenumbers.length_of_geographical_area_code(number)
    if area:
        # A landline's area code only names a city; keeping it makes the number recognisable.
        return f"0{national[:area]}-{_mask_digits(national[area:], head=0)}"
    return _mask_digits(national)


def is_mobile(e164: str) -> bool:
    """Whether the number can be a mobile: only mobiles identify one person and receive SMS."""
    return phonenumbers.number_type(_parse_e164(e164)) in _MOBILE_TYPES


def _parse_e164(e164: str) -> PhoneNumber:
    try:
        return phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException as exc:
        raise IdentifierError("expected a phone number in E.164 form, such as +8613812345678") from exc


def _mask_digits(digits: str, head: int = 3) -> str:
    # Keep up to `head` leading and 4 trailing digits, but always hide at least 4 (or half, if shorter).
    tail = min(4, len(digits) // 2)
    head = min(head, max(0, len(digits) - tail - 4))
    hidden = len(digits) - head - tail
    return digits[:head] + "*" * hidden + digits[len(digits) - tail :]
