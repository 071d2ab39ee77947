"""Which advisor a customer or lead should go to, and why, in words an advisor's manager reads.

`advisors/recommend` gathers in one round trip the advisors of the dealers near the customer that sell the
brand they want, each with their track record. Ranking here is a sum of log-odds-like terms — model
knowledge, shared interests, conversion rate, rating, distance, workload — so each term is also a reason.
Advisors above the workload limit are passed over while anyone else is left, and the load term spreads
leads among advisors who are otherwise alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from carkg.advisors.track import ACTIVE_DAYS, OPEN_STAGES, PRIOR_RATE, WORKLOAD_LIMIT
from carkg.graph import Database

RADIUS_KM = 50.0  # dealers within this of the customer's city; else the nearest few
NEAREST_DEALERS = 3
MODEL_PRIOR_WEIGHT = 5  # leads of the advisor's overall rate added to their leads for one model


@dataclass(frozen=True)
class Weights:
    """Points per unit of each term (on a log-odds scale, as in the lead model)."""

    model_deals: float = 0.6  # per log(1 + deals in the wanted model)
    shared_interest: float = 0.9  # one shared hobby; a second adds half
    conversion: float = 4.0  # per unit of conversion rate above the network's
    rating: float = 0.3  # per star above 4
    distance_km: float = 0.03  # taken off per km
    load: float = 0.8  # taken off at the workload limit, in proportion below it


WEIGHTS = Weights()


@dataclass(frozen=True)
class Candidate:
    advisor_id: str
    name: str | None
    dealer: dict[str, Any]
    score: float
    reasons: list[str]
    distance_km: float | None
    open_leads: int
    overloaded: bool


@dataclass
class Recommendation:
    one_id: str | None
    lead_id: str | None
    home_city: str | None
    model: dict[str, Any] | None
    advisors: list[Candidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def located(self) -> bool:
        return self.home_city is not None


def params(*, one_id: str | None = None, lead_id: str | None = None, scope: dict[str, object] | None = None,
           as_of: datetime | None = None) -> dict[str, Any]:
    """The parameters of `advisors/recommend`."""
    return {"oneId": one_id, "leadId": lead_id, "radiusMeters": RADIUS_KM * 1000, "nearestDealers": NEAREST_DEALERS,
            "asOf": as_of or datetime.now(UTC), "activeDays": ACTIVE_DAYS, "openStages": OPEN_STAGES,
            "scope": scope or {"all": True, "advisorId": None, "dealerId": None}}


def rank(row: dict[str, Any], k: int = 3, *, workload_limit: int = WORKLOAD_LIMIT,
         weights: Weights = WEIGHTS) -> Recommendation:
    """The best `k` advisors of one `advisors/recommend` row."""
    model = row["model"]
    out = Recommendation(row["oneId"], row["leadId"], row["homeCity"], model)
    if not out.located:
        out.notes.append("没有客户所在城市：未计距离 (no location known: distance not weighed)")
    if model is None:
        out.notes.append("不知道意向车型：按全部品牌推荐 (no model of interest known: every brand considered)")
    scored = [_score(a, model, workload_limit, weights) for a in row["advisors"]]
    free = [c for c in scored if not c.overloaded]
    if scored and not free:
        out.notes.append("所有顾问负荷过高 (every advisor is above the workload limit)")
    out.advisors = sorted(free or scored, key=lambda c: (-c.score, c.open_leads, c.advisor_id))[:k]
    return out


def _score(a: dict[str, Any], model: dict[str, Any] | None, limit: int, w: Weights) -> Candidate:
    terms: list[tuple[float, str]] = []
    known = a["modelRecord"] or {}
    name = (model or {}).get("nameZh") or (model or {}).get("code")
    if known.get("deals") and model:
        terms.append((w.model_deals * math.log1p(known["deals"]), f"懂 {name}, 完成 {known['deals']} 单"))
    if shared := a["sharedInterests"]:
        terms.append((w.shared_interest * (1 + 0.5 * (len(shared) - 1)), "共同兴趣: " + "、".join(shared)))
    rate = a["conversionRate"] if a["conversionRate"] is not None else PRIOR_RATE
    if closed := known.get("closedLeads"):  # their leads for this model, shrunk towards their own rate
        converted = known.get("convertedLeads") or 0
        rate = (converted + rate * MODEL_PRIOR_WEIGHT) / (closed + MODEL_PRIOR_WEIGHT)
        said = f"{name} 线索转化率 {rate:.0%} ({converted}/{closed})"
    else:
        said = f"线索转化率 {rate:.0%} ({a['convertedLeads']}/{a['closedLeads']})"
    terms.append((w.conversion * (rate - PRIOR_RATE), said))
    if a["rating"] is not None:
        terms.append((w.rating * (a["rating"] - 4.0), f"评分 {a['rating']:.1f}"))
    km = a["meters"] / 1000 if a["meters"] is not None else None
    if km is not None:
        terms.append((-w.distance_km * km, f"距离 {km:.1f} km"))
    open_leads = int(a["openLeads"])
    cap = max(limit, 1)
    terms.append((-w.load * min(open_leads, cap) / cap, f"在跟 {open_leads} 条线索"))
    score = sum(t for t, _ in terms)
    reasons = [text for t, text in sorted(terms, key=lambda t: -t[0])]
    return Candidate(a["advisorId"], a["name"], a["dealer"], round(score, 3), reasons, km, open_leads,
                     open_leads > limit)


def recommend(db: Database, *, one_id: str | None = None, lead_id: str | None = None, k: int = 3,
              scope: dict[str, object] | None = None, as_of: datetime | None = None,
              workload_limit: int = WORKLOAD_LIMIT) -> Recommendation | None:
    """The best `k` advisors for a customer or a lead; None when the id is unknown."""
    rows = db.read("advisors/recommend", **params(one_id=one_id, lead_id=lead_id, scope=scope, as_of=as_of))
    return rank(rows[0], k, workload_limit=workload_limit) if rows else None
