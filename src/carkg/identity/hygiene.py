"""Identifier hygiene: mark the identifiers that must not link people, before any pair is scored.

Three rules, each a set-based Cypher statement: the configured test numbers; phones that belong to a
dealer (front desk) or an advisor; and any identifier whose records carry more than `max_distinct_names`
distinct names. Marked nodes get `suspect: true, suspectReason` and are left out of linking.
"""

from __future__ import annotations

from datetime import UTC, datetime

from carkg.graph import Database
from carkg.identifiers.errors import IdentifierError
from carkg.identifiers.phone import normalize_phone
from carkg.settings import IdentitySettings

_DEGREE_FILES = ("phone", "id_document", "device", "wechat")


def test_numbers_e164(numbers: list[str]) -> list[str]:
    """The configured test numbers in E.164; a number that is not a phone at all is a configuration error."""
    out = []
    for number in numbers:
        try:
            out.append(normalize_phone(number))
        except IdentifierError as exc:
            raise ValueError(f"CARKG_IDENTITY_TEST_NUMBERS: {number!r} is not a phone number ({exc})") from exc
    return out


def mark_suspects(db: Database, settings: IdentitySettings, at: datetime | None = None) -> dict[str, int]:
    """Run every rule; returns how many identifiers each one newly marked. Newly marked ones carry
    `suspectAt = at`, so an incremental run can find the links they alone made."""
    at = at or datetime.now(UTC)
    marked = {
        "test_numbers": db.write("identity/hygiene_test_numbers", numbers=test_numbers_e164(settings.test_numbers),
                                 at=at),
        "staff_phones": db.write("identity/hygiene_staff_phones", at=at),
        "front_desk_role": db.write("identity/hygiene_front_desk_role", at=at),
    }
    for name in _DEGREE_FILES:
        marked[f"degree_{name}"] = db.write(f"identity/hygiene_degree_{name}", maxNames=settings.max_distinct_names,
                                            at=at)
    return {rule: rows[0]["marked"] if rows else 0 for rule, rows in marked.items()}
