"""GraphQL types. Personal data leaves only in masked form: the graph never holds raw ID numbers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry


@strawberry.type
class MaskedPhone:
    masked: str
    mobile: bool | None


@strawberry.type
class MaskedIdDocument:
    masked: str
    kind: str | None


@strawberry.type
class VehicleModel:
    code: str
    name_zh: str | None
    name_en: str | None
    brand: str | None


@strawberry.type
class OwnedVehicle:
    vin: str
    since: date | None
    source: str | None
    model: VehicleModel | None


@strawberry.type
class AdvisorRef:
    advisor_id: str
    name: str | None


@strawberry.type
class DealerRef:
    dealer_id: str
    name: str | None
    city: str | None


@strawberry.type
class LeadRef:
    lead_id: str
    stage: str | None
    channel: str | None
    created_at: datetime | None


@strawberry.type
class CustomerRecord:
    """One customer as one source system knows them (before One ID resolution)."""

    key: str
    system: str
    source_id: str
    name: str | None
    city: str | None
    gender: str | None
    birth_year: int | None
    phones: list[MaskedPhone]
    id_documents: list[MaskedIdDocument]
    vehicles: list[OwnedVehicle]
    advisors: list[AdvisorRef]
    dealers: list[DealerRef]
    leads: list[LeadRef]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CustomerRecord:
        birth = row.get("birthDate")
        return cls(
            key=row["key"],
            system=row["system"],
            source_id=row["sourceId"],
            name=row.get("name"),
            city=row.get("city"),
            gender=row.get("gender"),
            birth_year=birth.year if birth else None,  # the year is enough for the apps; the date stays in
            phones=[MaskedPhone(**p) for p in row["phones"]],
            id_documents=[MaskedIdDocument(**i) for i in row["idDocuments"]],
            vehicles=[
                OwnedVehicle(
                    vin=v["vin"],
                    since=_to_date(v.get("since")),
                    source=v.get("source"),
                    model=VehicleModel(
                        code=v["model"]["code"], name_zh=v["model"].get("nameZh"),
                        name_en=v["model"].get("nameEn"), brand=v["model"].get("brand"),
                    ) if v.get("model") else None,
                )
                for v in row["vehicles"]
            ],
            advisors=[AdvisorRef(advisor_id=a["advisorId"], name=a.get("name")) for a in row["advisors"]],
            dealers=[
                DealerRef(dealer_id=d["dealerId"], name=d.get("name"), city=d.get("city")) for d in row["dealers"]
            ],
            leads=[
                LeadRef(lead_id=lead["leadId"], stage=lead.get("stage"), channel=lead.get("channel"),
                        created_at=_to_datetime(lead.get("createdAt")))
                for lead in row["leads"]
            ],
        )


@strawberry.type
class Health:
    status: str
    neo4j: str
    constraints: int


def _to_date(value: Any) -> date | None:
    return value.to_native() if hasattr(value, "to_native") else value


def _to_datetime(value: Any) -> datetime | None:
    return value.to_native() if hasattr(value, "to_native") else value
