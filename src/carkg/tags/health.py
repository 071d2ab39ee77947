"""Tag health: is each tag used, fresh, trusted and consistent? Figures per tag, for the CLI and the API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from carkg.graph import Database

ADMIN_VIEW: dict[str, object] = {"admin": True, "advisorId": None, "dealerId": None}


class TagHealth(BaseModel):
    """Is a tag used, fresh, trusted and consistent? (The API's `TagHealth` type is this model.)"""

    code: str
    name_zh: str | None
    name_en: str | None
    category: str | None
    scope: str | None
    status: str | None
    live: int = Field(description="targets carrying the tag live (coverage)")
    expired: int = Field(description="assignments past expiresAt and not removed")
    ever_assigned: int
    customer_records: int = Field(description="customer records carrying it, directly or via a relationship")
    coverage_share: float | None = Field(description="customerRecords / all customer records")
    share_expired: float | None = Field(description="expired / (live + expired); removed ones left out")
    conflicting_persons: int = Field(description="persons whose records carry different live values")
    confidence_min: float | None
    confidence_avg: float | None
    confidence_max: float | None
    confidence_p10: float | None
    confidence_p90: float | None
    last_change_at: datetime | None
    age_seconds: float | None = Field(description="freshness: seconds since the last change")


def from_row(row: dict[str, Any], records: int, now: datetime) -> TagHealth:
    """One `tags/health` row; `records` = all customer records (`tags/customer_record_count`)."""
    last = row["lastChangeAt"]
    last = last.to_native() if hasattr(last, "to_native") else last
    return TagHealth(
        code=row["code"], name_zh=row["nameZh"], name_en=row["nameEn"], category=row["category"],
        scope=row["scope"], status=row["status"], live=row["live"], expired=row["expired"],
        ever_assigned=row["everAssigned"], customer_records=row["customerRecords"],
        coverage_share=row["customerRecords"] / records if records else None, share_expired=row["shareExpired"],
        conflicting_persons=row["conflictingPersons"], confidence_min=row["confidenceMin"],
        confidence_avg=row["confidenceAvg"], confidence_max=row["confidenceMax"],
        confidence_p10=row["confidenceP10"], confidence_p90=row["confidenceP90"], last_change_at=last,
        age_seconds=(now - last).total_seconds() if last else None,
    )


def health(db: Database, codes: list[str] | None = None, viewer: dict[str, object] | None = None) -> list[TagHealth]:
    """One entry per tag (all, or `codes`) that `viewer` may see (default: everything)."""
    now = datetime.now(UTC)
    records = db.read("tags/customer_record_count")[0]["records"]
    rows = db.read("tags/health", codes=codes, viewer=viewer or ADMIN_VIEW)
    return [from_row(r, records, now) for r in rows]
