"""Plain record rows for `identity/fixture_records`, as the FEBRL and CSV evaluations build them."""

from __future__ import annotations

import secrets

from carkg.identifiers.idcard import hash_id_number, near_document_keys
from carkg.identifiers.names import name_pinyin

KEY = secrets.token_bytes(32)


def document(number: str) -> dict[str, list]:
    return {"ids": [hash_id_number(number, KEY)], "idNear": [near_document_keys(number, KEY)]}


def row(key: str, name: str, *, birth: str | None = None, city: str | None = None, phones: list[str] | None = None,
        number: str | None = None, address: str | None = None) -> dict[str, object]:
    out: dict[str, object] = {"key": key, "system": "eval", "name": name, "pinyin": name_pinyin(name), "city": city,
                              "gender": None, "birthDate": birth, "phones": phones or [], "ids": [], "idNear": [],
                              "devices": [], "wechats": [], "vins": [], "address": address}
    if number:
        out.update(document(number))
    return out
