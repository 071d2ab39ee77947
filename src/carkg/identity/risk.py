"""How urgently a review case needs a steward, so the queue can start with the riskiest.

A conflict case is a steward's must_link the engine could not apply: a person is split against someone's
word, so it comes first. A pair case is riskier the less sure the score is: one at the middle of the
review band is a coin toss (risk 0.9), one near either edge is almost decided (risk near 0).
"""

from __future__ import annotations

CONFLICT_RISK = 1.0
PAIR_MAX_RISK = 0.9


def case_risk(kind: str, score: float | None, review_at: float, link_at: float) -> float:
    if kind == "conflict" or score is None:
        return CONFLICT_RISK
    middle, half = (review_at + link_at) / 2, max((link_at - review_at) / 2, 1e-9)
    certainty = min(abs(score - middle) / half, 1.0)
    return round(PAIR_MAX_RISK * (1.0 - certainty), 3)
