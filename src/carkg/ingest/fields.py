"""Field types shared by every source's row model: each one validates and normalises one kind of value."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ValidationInfo

from carkg.identifiers import (
    IdCard,
    ModelCatalog,
    normalize_name,
    normalize_phone,
    normalize_vin,
    parse_id_card,
)

CHINA_TZ = timezone(timedelta(hours=8))

# Phones repeat across systems (and front-desk phones across thousands of rows): parse each once.
_normalize_phone = lru_cache(maxsize=500_000)(normalize_phone)


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _nonempty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


def _as_china_time(value: datetime) -> datetime:
    # Source systems in China often drop the offset; they mean Beijing time.
    return value if value.tzinfo else value.replace(tzinfo=CHINA_TZ)


def _not_future(value: date) -> date:
    if value > date.today():
        raise ValueError(f"date {value.isoformat()} is in the future")
    return value


# A clock a few minutes fast at the source is not an error; a stamp a day ahead is.
FUTURE_SLACK = timedelta(minutes=10)


def _not_in_future(value: datetime) -> datetime:
    if value > datetime.now(value.tzinfo or CHINA_TZ) + FUTURE_SLACK:
        raise ValueError(f"time {value.isoformat()} is in the future")
    return value


def _model_code(value: str, info: ValidationInfo) -> str:
    catalog: ModelCatalog = (info.context or {})["catalog"]
    system = (info.context or {}).get("system")
    return catalog.resolve(value, system)


def _split(value: Any) -> Any:
    """`a;b` (or `a,b`, as some exports write it) as a list; blanks dropped."""
    if isinstance(value, str):
        return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]
    return [] if value is None else value


Text = Annotated[str, BeforeValidator(_strip), AfterValidator(_nonempty)]
TextList = Annotated[list[str], BeforeValidator(_split)]
OptText = Annotated[str | None, BeforeValidator(_blank_to_none), BeforeValidator(_strip)]
Name = Annotated[str, BeforeValidator(_strip), AfterValidator(_nonempty), AfterValidator(normalize_name)]
OptName = Annotated[str | None, BeforeValidator(_blank_to_none), AfterValidator(lambda v: v and normalize_name(v))]
Phone = Annotated[str, BeforeValidator(_strip), AfterValidator(_normalize_phone)]
OptPhone = Annotated[str | None, BeforeValidator(_blank_to_none), AfterValidator(lambda v: v and _normalize_phone(v))]
Vin = Annotated[str, AfterValidator(normalize_vin)]
OptIdCard = Annotated[IdCard | None, BeforeValidator(lambda v: parse_id_card(v) if _blank_to_none(v) else None)]
ModelCode = Annotated[str, BeforeValidator(_strip), AfterValidator(_model_code)]
OptModelCode = Annotated[str | None, BeforeValidator(_blank_to_none), AfterValidator(
    lambda v, info: v and _model_code(v, info)
)]
PastDate = Annotated[date, BeforeValidator(_strip), AfterValidator(_not_future)]
OptDate = Annotated[date | None, BeforeValidator(_blank_to_none)]
Moment = Annotated[datetime, AfterValidator(_as_china_time)]
PastMoment = Annotated[datetime, AfterValidator(_as_china_time), AfterValidator(_not_in_future)]
OptInt = Annotated[int | None, BeforeValidator(_blank_to_none)]
OptFloat = Annotated[float | None, BeforeValidator(_blank_to_none)]
