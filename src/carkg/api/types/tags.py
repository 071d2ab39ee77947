"""A tag as it sits on an entity or a relationship, with its provenance."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from carkg.api.types.convert import as_datetime


@strawberry.type(description="One live tag assignment: what, how sure, who or what set it, when, until when, why.")
class TagAssignment:
    tag_code: str
    tag_name_zh: str | None
    tag_name_en: str | None
    value: str | None
    source: str | None
    actor: str | None
    confidence: float | None
    at: datetime | None
    expires_at: datetime | None
    evidence: list[str]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> TagAssignment:
        value = row.get("value")
        evidence = row.get("evidence") or []
        return cls(
            tag_code=row["tagCode"], tag_name_zh=row.get("tagNameZh"), tag_name_en=row.get("tagNameEn"),
            value=None if value is None else str(value), source=row.get("source"), actor=row.get("actor"),
            confidence=row.get("confidence"), at=as_datetime(row.get("at")),
            expires_at=as_datetime(row.get("expiresAt")),
            evidence=[str(e) for e in (evidence if isinstance(evidence, list) else [evidence])],
        )


def node_tags(rows: list[dict[str, Any]] | None) -> list[TagAssignment]:
    return [TagAssignment.from_row(r) for r in rows or [] if r.get("targetKind", "node") == "node"]


def relationship_tags(rows: list[dict[str, Any]] | None, rel_type: str, end_key: str) -> list[TagAssignment]:
    return [
        TagAssignment.from_row(r) for r in rows or [] if r.get("relType") == rel_type and r.get("endKey") == end_key
    ]
