"""Score one candidate pair: the sum of Fellegi–Sunter weights (see `weights`) with its explanation."""

from __future__ import annotations

from dataclasses import dataclass

from carkg.identity.names import compare_names
from carkg.identity.records import Record
from carkg.identity.weights import WEIGHTS

_SETS = (("idDocument", "ids"), ("wechat", "wechats"), ("device", "devices"), ("phone", "phones"), ("vin", "vins"))
_VALUES = (("birthDate", "birth_date"), ("gender", "gender"), ("city", "city"))


@dataclass(frozen=True, slots=True)
class Evidence:
    field: str
    outcome: str  # 'agree' | 'disagree' | 'missing' (the contract's three)
    weight: float
    detail: str | None = None  # the name comparison level: exact / fuzzy / partial / nickname

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"field": self.field, "outcome": self.outcome, "weight": self.weight}
        if self.detail:
            out["detail"] = self.detail
        return out


def score_pair(a: Record, b: Record, nickname_systems: frozenset[str]) -> tuple[float, list[Evidence]]:
    """Total weight and the evidence behind it; fields missing on both sides are left out."""
    evidence: list[Evidence] = []
    for field, attr in _SETS:
        left, right = getattr(a, attr), getattr(b, attr)
        if not left or not right:
            continue
        outcome = "agree" if set(left) & set(right) else "disagree"
        w = WEIGHTS[field].get(outcome)
        if w is not None:
            evidence.append(Evidence(field, outcome, w))
    level = compare_names(a.name, a.pinyin, b.name, b.pinyin)
    if level == "missing":
        evidence.append(Evidence("name", "missing", 0.0))
    else:
        if level == "disagree" and (a.system in nickname_systems or b.system in nickname_systems):
            level = "nickname"
        outcome = "disagree" if level in ("disagree", "nickname") else "agree"
        evidence.append(Evidence("name", outcome, WEIGHTS["name"][level], level))
    for field, attr in _VALUES:
        left, right = getattr(a, attr), getattr(b, attr)
        if left and right:
            outcome = "agree" if left == right else "disagree"
            evidence.append(Evidence(field, outcome, WEIGHTS[field][outcome]))
    return round(sum(e.weight for e in evidence), 2), evidence
