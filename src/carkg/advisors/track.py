"""An advisor's track record and tag library, derived from the graph as of a moment.

From history: the models they closed deals in (DMS orders of customers they serve, converted leads) as
KNOWS_MODEL {deals, closedLeads, convertedLeads}, their lead conversion rate (overall and per model), their
open leads, how fast they answer chats, the hobbies they write about (keyword tags). From the dealer
manager's profile: languages, services and hobbies. Derived figures become `rule` tags, the profile
`import` tags, with provenance like every other tag; flags that no longer hold are taken off.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from carkg.graph import Database, cypher
from carkg.tags import Assignment, NodeTarget, Removal, assign, unassign
from carkg.tags.keywords import extract

WINDOW_DAYS = 120  # a lead converted if the person ordered within this many days (as lead scoring)
ACTIVE_DAYS = 90  # an open lead older than this no longer counts as work
OPEN_STAGES = ["new", "contacted", "test_drive", "booked"]
WORKLOAD_LIMIT = 40  # open leads; above it the recommender passes an advisor over
PRIOR_RATE, PRIOR_WEIGHT = 0.12, 10  # conversion rate shrunk towards the network's (few leads say little)
RULE_ACTOR, PROFILE_ACTOR = "carkg.advisors", "dealer_portal"
CHAT_DAYS, CHAT_MESSAGES = 180, 50  # an advisor's own messages the keyword tagger reads: recent, bounded
FAST_REPLY_MINUTES, MIN_REPLIES = 30, 5  # median reply to a customer within this; fewer replies say nothing
FLAGS = ["advisor_overloaded", "advisor_top_rated", "advisor_fast_responder"]
LANGUAGE_TAGS = {"粤语": "speaks_cantonese", "英语": "speaks_english"}
SERVICE_TAGS = {
    "新能源": "advisor_nev_specialist",
    "金融": "advisor_finance_specialist",
    "置换": "advisor_trade_in_specialist",
    "大客户": "advisor_fleet_specialist",
}


@dataclass
class TrackReport:
    advisors: int = 0
    with_deals: int = 0
    tags: int = 0
    removed: int = 0


def smoothed_rate(converted: int, closed: int) -> float:
    return (converted + PRIOR_RATE * PRIOR_WEIGHT) / (closed + PRIOR_WEIGHT)


def derive(db: Database, as_of: datetime, *, workload_limit: int = WORKLOAD_LIMIT, tags: bool = True) -> TrackReport:
    """Recompute every advisor's track record as known at `as_of` (evaluation replays a past moment)."""
    outcomes = {r["advisorId"]: r for r in db.read("advisors/lead_outcomes", asOf=as_of, windowDays=WINDOW_DAYS)}
    deals: dict[str, Counter[str]] = defaultdict(Counter)
    for r in db.read("advisors/sold_models", asOf=as_of):
        deals[r["advisorId"]][r["model"]] += r["sold"]
    for advisor_id, r in outcomes.items():
        deals[advisor_id].update(r["convertedModels"])
    profiles = db.read("advisors/profiles")
    rows = []
    for p in profiles:
        o = outcomes.get(p["advisorId"], {"closed": 0, "converted": 0, "closedModels": [], "convertedModels": []})
        known = deals.get(p["advisorId"], Counter())
        closed, converted = Counter(o["closedModels"]), Counter(o["convertedModels"])
        models = sorted(known.keys() | closed.keys(), key=lambda code: (-known[code], -closed[code], code))
        rows.append(
            {
                "advisorId": p["advisorId"],
                "closed": o["closed"],
                "converted": o["converted"],
                "rate": round(smoothed_rate(o["converted"], o["closed"]), 4),
                "models": [{"code": c, "deals": known[c], "closed": closed[c], "converted": converted[c]}
                           for c in models],
            }
        )
    db.write_batch(cypher("advisors/write_track_record"), rows, asOf=as_of)
    report = TrackReport(advisors=len(rows), with_deals=sum(1 for r in rows if r["models"] and r["models"][0]["deals"]))
    if tags:
        workload = {
            r["advisorId"]: r["open"]
            for r in db.read("advisors/workload", asOf=as_of, activeDays=ACTIVE_DAYS, openStages=OPEN_STAGES)
        }
        replies = {r["advisorId"]: r for r in db.read("advisors/reply_times", asOf=as_of)}
        mentioned = {r["advisorId"]: _hobbies(r["texts"]) for r in db.read(
            "advisors/own_messages", asOf=as_of, days=CHAT_DAYS, perAdvisor=CHAT_MESSAGES)}
        assignments = [
            a
            for p, row in zip(profiles, rows, strict=True)
            for a in _tags(p, row, workload.get(p["advisorId"], 0), replies.get(p["advisorId"]),
                           mentioned.get(p["advisorId"], Counter()), workload_limit, as_of)
        ]
        report.tags = len(assign(db, assignments))
        report.removed = _take_off_stale_flags(db, assignments, as_of)
    return report


def _tags(
    profile: dict[str, Any], row: dict[str, Any], open_leads: int, replies: dict[str, Any] | None,
    hobbies: Counter[str], limit: int, at: datetime,
) -> list[Assignment]:
    target = NodeTarget(label="Advisor", key=profile["advisorId"])

    def tag(
        code: str,
        value: float | None = None,
        confidence: float = 1.0,
        evidence: list[str] | None = None,
        source: str = "rule",
    ) -> Assignment:
        actor = PROFILE_ACTOR if source == "import" else RULE_ACTOR
        return Assignment(
            code=code,
            target=target,
            value=value,
            source=source,
            actor=actor,  # type: ignore[arg-type]
            confidence=confidence,
            at=at,
            evidence=evidence,
        )

    out = [
        tag(
            "advisor_conversion_rate",
            row["rate"],
            round(row["closed"] / (row["closed"] + PRIOR_WEIGHT), 3),
            [f"{row['converted']} / {row['closed']} closed leads"],
        ),
        tag("advisor_workload", open_leads, evidence=[f"open leads of the last {ACTIVE_DAYS} days"]),
    ]
    if row["models"] and row["models"][0]["deals"]:
        best = row["models"][0]["deals"]
        out.append(
            tag(
                "advisor_model_expert",
                best,
                min(1.0, best / 10),
                [f"{m['code']}: {m['deals']}" for m in row["models"][:5] if m["deals"]],
            )
        )
    if open_leads > limit:
        out.append(tag("advisor_overloaded", evidence=[f"{open_leads} open leads > {limit}"]))
    if replies and replies["replies"] >= MIN_REPLIES and replies["medianMinutes"] <= FAST_REPLY_MINUTES:
        out.append(tag("advisor_fast_responder", evidence=[
            f"median reply {replies['medianMinutes']:.0f} min over {replies['replies']} customer messages"]))
    if (profile["rating"] or 0) >= 4.5:
        out.append(tag("advisor_top_rated", evidence=[f"rating {profile['rating']}"]))
    profile_codes = [LANGUAGE_TAGS[x] for x in profile["languages"] if x in LANGUAGE_TAGS]
    profile_codes += [SERVICE_TAGS[x] for x in profile["services"] if x in SERVICE_TAGS]
    profile_codes += [code for hobby in profile["interests"] for code in extract(hobby).interests]
    out += [tag(code, source="import") for code in dict.fromkeys(profile_codes)]
    # hobbies they write about in their own chats; the manager's profile wins where both name one
    out += [tag(code, confidence=min(1.0, n / 3), evidence=[f"mentioned in {n} of their chat messages"],
                source="keyword")
            for code, n in sorted(hobbies.items()) if code not in profile_codes]
    return out


def _hobbies(texts: list[str]) -> Counter[str]:
    return Counter(code for text in texts for code in set(extract(text).interests))


def _take_off_stale_flags(db: Database, assignments: list[Assignment], at: datetime) -> int:
    holding = {(a.target.key, a.code) for a in assignments if isinstance(a.target, NodeTarget)}
    stale = [
        Removal(
            code=r["code"],
            target=NodeTarget(label="Advisor", key=r["advisorId"]),
            source="rule",
            actor=RULE_ACTOR,
            at=at,
        )
        for r in db.read("advisors/live_flags", codes=FLAGS)
        if (r["advisorId"], r["code"]) not in holding
    ]
    return len(unassign(db, stale)) if stale else 0
