"""What lead follow-up looks like in a dealer's lead system (DCC): calls, test drives, showroom visits,
quotes. Each lead has a hidden conversion propensity — higher for the leads whose person really buys,
moved by channel and budget, plus noise — and the activities are drawn from it, so lead scoring can learn
from behaviour and be measured honestly. The propensity goes to the truth directory only.

Activities fall in the lead's first days (before its decision point) and, for some leads, later too
(after the outcome): those must never reach a training row."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from carkg.demo.records import DAY_SECONDS, Rec
from carkg.demo.world import ANCHOR_DAY

ACTIVITY_TYPES = ("call_connected", "call_missed", "test_drive", "showroom_visit", "quote_sent",
                  "finance_enquiry", "trade_in_appraisal", "delivery_handover")
# The window after the lead is created in which the follow-up happens; lead scoring decides at its end.
FOLLOW_UP_DAYS = 6
_CHANNEL_EFFECT = {"event": 0.5, "call_center": 0.2, "autohome": 0.1, "dongchedi": 0.1, "app": 0.0,
                   "wecom": 0.2, "web": -0.3}


@dataclass(frozen=True, slots=True)
class LeadActivity:
    ts: int
    lead: Rec
    kind: str


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: the means here are small (< 10)."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def propensity(rng: random.Random, lead: Rec, converted: bool) -> float:
    """Hidden: how likely this lead is to buy, on a log-odds-like scale."""
    z = 1.7 if converted else 0.0
    z += _CHANNEL_EFFECT.get(str(lead.row.get("channel")), 0.0)
    z += 0.3 if "budget_yuan" in lead.row else 0.0
    return z + rng.gauss(0.0, 0.9)


def activities(rng: random.Random, outcomes: list[tuple[Rec, bool]]) -> tuple[list[LeadActivity], list[tuple]]:
    """The follow-up activities of every real lead and the truth rows (lead, propensity, converted)."""
    out: list[LeadActivity] = []
    truth: list[tuple[str, str, int]] = []
    for lead, converted in outcomes:
        if lead.person is None:
            continue
        z = propensity(rng, lead, converted)
        truth.append((lead.source_id, f"{z:.3f}", int(converted)))
        start = lead.key[0]
        counts = {
            "call_connected": _poisson(rng, math.exp(-0.3 + 0.45 * z)),
            "call_missed": _poisson(rng, math.exp(0.1 - 0.4 * z)),
            "test_drive": _poisson(rng, 0.25 * math.exp(0.8 * z)),
            "showroom_visit": _poisson(rng, 0.2 * math.exp(0.7 * z)),
            "quote_sent": int(rng.random() < _sigmoid(z - 1.2)),
            "finance_enquiry": int(rng.random() < _sigmoid(z - 1.8)),
            "trade_in_appraisal": int(rng.random() < _sigmoid(0.8 * z - 2.0)),
        }
        for kind, n in counts.items():
            for _ in range(n):
                out.append(LeadActivity(start + rng.randrange(600, FOLLOW_UP_DAYS * DAY_SECONDS), lead, kind))
        handover = start + rng.randrange(130, 150) * DAY_SECONDS
        if converted and handover < (ANCHOR_DAY + 1) * DAY_SECONDS:  # after the sale: never evidence
            out.append(LeadActivity(handover, lead, "delivery_handover"))
    out.sort(key=lambda a: (a.ts, a.lead.source_id, a.kind))
    return out, truth
