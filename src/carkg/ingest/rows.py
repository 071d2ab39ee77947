"""One pydantic model per source row: validation on the way in, Cypher parameters on the way out.

`params()` is the only place raw personal data is turned into what the graph keeps: phones as E.164 plus
a masked form, ID numbers as a keyed hash plus a masked form (the number itself is dropped here).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from carkg.identifiers import IdCard, hash_id_number, is_mobile, mask_id_number, mask_phone, name_pinyin
from carkg.ingest.fields import (
    Moment,
    Name,
    OptDate,
    OptFloat,
    OptIdCard,
    OptInt,
    OptModelCode,
    OptName,
    OptPhone,
    OptText,
    PastDate,
    PastMoment,
    Text,
    TextList,
    Vin,
)

Channel = Literal["app", "web", "autohome", "dongchedi", "call_center", "event", "wecom"]
LeadStage = Literal["new", "contacted", "test_drive", "booked", "won", "lost"]
EventType = Literal[
    "join_group", "open_material", "forward_material", "click_material",
    "share_content", "visit_touchpoint", "book_test_drive",
]


class Row(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)
    system: ClassVar[str] = ""

    def params(self, key: bytes) -> dict[str, Any]:
        """The Cypher parameters for this row; `key` is the installation's secret for keyed hashes."""
        return self.model_dump(mode="python")

    def record_row_params(
        self, source_id: str, name: str | None, phone: str | None, personal: set[str], **extra: Any
    ) -> dict[str, Any]:
        """A customer-level row: its own fields, minus the personal ones, which go into record and phone."""
        return {
            **self.model_dump(exclude=personal),
            "record": record_params(self.system, source_id, name, **extra),
            "phone": phone_params(phone),
        }


# Phones and names repeat across rows and systems; each derived form is parsed once per load.
@lru_cache(maxsize=500_000)
def _phone_forms(e164: str) -> tuple[str, bool]:
    return mask_phone(e164), is_mobile(e164)


_name_pinyin = lru_cache(maxsize=500_000)(name_pinyin)


def phone_params(e164: str | None) -> dict[str, Any] | None:
    if e164 is None:
        return None
    masked, mobile = _phone_forms(e164)
    return {"e164": e164, "masked": masked, "mobile": mobile}


def id_params(card: IdCard | None, key: bytes) -> dict[str, Any] | None:
    if card is None:
        return None
    return {"hash": hash_id_number(card.number, key), "masked": mask_id_number(card.number), "kind": "CN_RESIDENT"}


def record_params(system: str, source_id: str, name: str | None, **extra: Any) -> dict[str, Any]:
    return {
        "key": f"{system}:{source_id}",
        "system": system,
        "sourceId": source_id,
        "name": name,
        "namePinyin": _name_pinyin(name) if name else None,
        **extra,
    }


# -- master data ------------------------------------------------------------------------------------


class DealerRow(Row):
    dealer_id: Text
    dealer_name: Text
    city: Text
    brand_codes: TextList = Field(default_factory=list)
    front_desk_phone: OptPhone = None
    latitude: OptFloat = Field(default=None, ge=-90, le=90)  # WGS-84 degrees, from the dealer portal's map pin
    longitude: OptFloat = Field(default=None, ge=-180, le=180, validate_default=True)

    @field_validator("longitude", mode="after")
    @classmethod
    def _both_coordinates(cls, value: float | None, info: ValidationInfo) -> float | None:
        if "latitude" in info.data and (info.data["latitude"] is None) != (value is None):
            which = "longitude is missing" if value is None else "latitude is missing"
            raise ValueError(f"{which}: a dealer's location needs both latitude and longitude")
        return value

    def params(self, key: bytes) -> dict[str, Any]:
        return {**self.model_dump(), "front_desk_phone": phone_params(self.front_desk_phone)}


class AdvisorRow(Row):
    advisor_id: Text
    advisor_name: Name
    dealer_id: Text
    mobile: OptPhone = None
    brand_code: OptText = None
    rating: OptFloat = Field(default=None, ge=1, le=5)
    # The dealer manager's profile: become the advisor's `import` tags (carkg.advisors.tags).
    languages: TextList = Field(default_factory=list)
    services: TextList = Field(default_factory=list)
    interests: TextList = Field(default_factory=list)

    def params(self, key: bytes) -> dict[str, Any]:
        profile = {name: getattr(self, name) or None for name in ("languages", "services", "interests")}
        return {**self.model_dump(), "mobile": phone_params(self.mobile), **profile}


class MaterialRow(Row):
    material_id: Text
    title: Text
    kind: Literal["brochure", "invitation", "article", "video"]
    model_code: OptModelCode = None


class EventGroupRow(Row):
    group_id: Text
    name: Text
    campaign: OptText = None
    event_date: OptDate = None
    city: OptText = None


# -- customer-level sources --------------------------------------------------------------------------


class DmsCustomerRow(Row):
    system: ClassVar[str] = "dms"

    source_id: Text
    name: Name
    phone: OptPhone = None
    id_number: OptIdCard = None
    gender: Literal["M", "F"] | None = None
    city: OptText = None
    dealer_id: OptText = None
    advisor_id: OptText = None
    created: PastDate | None = None

    @field_validator("gender", mode="before")
    @classmethod
    def _gender(cls, value: Any) -> Any:
        return {"男": "M", "女": "F", "": None, "m": "M", "f": "F"}.get(str(value).strip().lower(), value)

    def params(self, key: bytes) -> dict[str, Any]:
        card = self.id_number
        return {
            "record": record_params(
                self.system, self.source_id, self.name, city=self.city,
                gender=card.gender if card else self.gender,
                birthDate=card.birth_date if card else None,
                createdAt=self.created,
            ),
            "phone": phone_params(self.phone),
            "idDocument": id_params(card, key),
            "dealerId": self.dealer_id,
            "advisorId": self.advisor_id,
        }


class DmsOrderRow(Row):
    order_id: Text
    customer_id: Text
    vin: Vin
    model: OptModelCode = None
    order_date: PastDate
    price_yuan: OptFloat = Field(default=None, ge=0)

    def params(self, key: bytes) -> dict[str, Any]:
        return {**self.model_dump(), "customer_key": f"dms:{self.customer_id}"}


class AftersalesRow(Row):
    system: ClassVar[str] = "aftersales"

    service_id: Text
    customer_no: Text
    customer_name: OptName = None
    mobile: OptPhone = None
    vin: Vin
    model_name: OptModelCode = None
    dealer_id: OptText = None
    service_date: PastDate
    mileage_km: OptInt = Field(default=None, ge=0)
    service_type: Literal["maintenance", "repair", "warranty", "inspection"]

    def params(self, key: bytes) -> dict[str, Any]:
        return self.record_row_params(self.customer_no, self.customer_name, self.mobile, {"mobile"})


class LeadRow(Row):
    system: ClassVar[str] = "leads"

    lead_id: Text
    name: OptName = None
    phone: OptPhone = None
    channel: Channel
    model: OptModelCode = None
    created_at: PastMoment
    stage: LeadStage
    dealer_id: OptText = None
    advisor_id: OptText = None
    device_id: OptText = None
    unionid: OptText = None
    budget_yuan: OptFloat = Field(default=None, ge=0)
    city: OptText = None  # 购车城市: where the customer wants to buy, from the form (a Lead property)

    @model_validator(mode="after")
    def _someone(self) -> LeadRow:
        if not (self.name or self.phone or self.device_id or self.unionid):
            raise ValueError("no name, phone, device or unionid: the lead belongs to nobody")
        return self

    def params(self, key: bytes) -> dict[str, Any]:
        return self.record_row_params(
            self.lead_id, self.name, self.phone, {"phone", "name"}, createdAt=self.created_at
        )


LeadActivityType = Literal[
    "call_connected", "call_missed", "test_drive", "showroom_visit", "quote_sent", "finance_enquiry",
    "trade_in_appraisal", "delivery_handover",
]


class LeadActivityRow(Row):
    activity_id: Text
    lead_id: Text
    type: LeadActivityType
    at: PastMoment


class WecomContactRow(Row):
    system: ClassVar[str] = "wecom"

    external_userid: Text
    unionid: OptText = None
    name: OptName = None
    phone: OptPhone = None
    advisor_id: Text
    added_at: Moment

    def params(self, key: bytes) -> dict[str, Any]:
        return self.record_row_params(
            self.external_userid, self.name, self.phone, {"phone", "name"}, createdAt=self.added_at
        )


class WecomEventRow(Row):
    event_id: Text
    external_userid: Text
    type: EventType
    target_id: OptText = None
    channel: OptText = None
    at: Moment

    def params(self, key: bytes) -> dict[str, Any]:
        target_label = {"join_group": "EventGroup"}.get(self.type, "Material" if "material" in self.type else None)
        return {
            **self.model_dump(),
            "customer_key": f"wecom:{self.external_userid}",
            "material_id": self.target_id if target_label == "Material" else None,
            "group_id": self.target_id if target_label == "EventGroup" else None,
        }


class ChatMessageRow(Row):
    message_id: Text
    external_userid: Text
    advisor_id: Text
    direction: Literal["in", "out"]
    text: str = Field(max_length=10_000)
    at: Moment

    def params(self, key: bytes) -> dict[str, Any]:
        return {**self.model_dump(), "customer_key": f"wecom:{self.external_userid}"}


ROW_MODELS: dict[str, type[Row]] = {
    cls.__name__: cls
    for cls in (
        DealerRow, AdvisorRow, MaterialRow, EventGroupRow, DmsCustomerRow, DmsOrderRow,
        AftersalesRow, LeadRow, LeadActivityRow, WecomContactRow, WecomEventRow, ChatMessageRow,
    )
}

__all__ = ["ROW_MODELS", "Row", "date", "datetime"]
