"""Vehicle identification numbers (ISO 3779; GB 16735 makes the position-9 check digit mandatory in China)."""

from __future__ import annotations

import re
import unicodedata

from carkg.identifiers.errors import IdentifierError

_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_ALLOWED = re.compile(r"[A-HJ-NPR-Z0-9]")


def normalize_vin(raw: str) -> str:
    """The VIN upper-cased without spaces, after checking its characters and check digit."""
    vin = _clean(raw)
    actual, expected = vin[8], vin_check_digit(vin)
    if actual != expected:
        raise IdentifierError(f"VIN check digit mismatch: position 9 is {actual!r}, expected {expected!r}")
    return vin


def vin_check_digit(vin: str) -> str:
    """The check digit position 9 should hold ('0'–'9' or 'X'); position 9 itself is not read."""
    vin = _clean(vin)
    total = sum(_VALUES[char] * weight for char, weight in zip(vin, _WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def _clean(raw: str) -> str:
    vin = "".join(unicodedata.normalize("NFKC", raw).split()).upper()
    if len(vin) != 17:
        raise IdentifierError(f"a VIN has 17 characters, got {len(vin)}")
    for position, char in enumerate(vin, start=1):
        if char in "IOQ":
            # Banned so they cannot be misread as 1 and 0; seeing one means a typo.
            raise IdentifierError(f"letter {char!r} is not allowed in a VIN (position {position})")
        if not _ALLOWED.fullmatch(char):
            raise IdentifierError(f"invalid character {char!r} in VIN (position {position})")
    return vin
