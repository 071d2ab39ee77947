"""Score one candidate pair: the sum of Fellegi–Sunter weights (see `weights`) with its explanation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz.distance import OSA
from rapidfuzz.fuzz import ratio, token_set_ratio, token_sort_ratio

from carkg.identity.names import compare_names, looks_like_full_name
from carkg.identity.records import Record
from carkg.identity.weights import HOMOPHONE_PENALTY, MU, WEIGHTS, name_agreement

_SETS = (("idDocument", "ids"), ("wechat", "wechats"), ("device", "devices"), ("phone", "phones"), ("vin", "vins"),
         ("dealer", "dealers"), ("advisor", "advisors"))
IDENTIFIER_FIELDS = frozenset(field for field, _ in _SETS[:5])
_VALUES = (("birthDate", "birth_date"), ("gender", "gender"), ("city", "city"), ("postcode", "postcode"))


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


class Scorer:
    """Holds what scoring needs beyond the two records: name frequencies, nickname-prone systems, and the
    weights (the fixed ones, or those `em.estimate` learned from the data with them as priors)."""

    def __init__(
        self, name_counts: dict[str, int], nickname_systems: frozenset[str],
        weights: Mapping[str, Mapping[str, float]] = WEIGHTS, exact_m: float = MU["name"]["exact"][0],
        homophone_penalty: float = HOMOPHONE_PENALTY,
    ) -> None:
        self.name_counts = name_counts
        self.named_records = sum(name_counts.values())
        self.nickname_systems = nickname_systems
        self.weights, self.exact_m, self.homophone_penalty = weights, exact_m, homophone_penalty

    def name_evidence(self, a: Record, b: Record) -> Evidence:
        level = compare_names(a.name, a.pinyin, b.name, b.pinyin)
        if level == "missing":
            return Evidence("name", "missing", 0.0)
        if level in ("exact", "homophone"):
            count = self.name_counts.get(a.pinyin or "", 1) if a.pinyin == b.pinyin else 1
            weight = name_agreement(count, self.named_records, self.exact_m)
            if level == "homophone":
                weight = round(weight + self.homophone_penalty, 2)
            return Evidence("name", "agree", weight, level)
        if level == "disagree" and not (looks_like_full_name(a.name or "") and looks_like_full_name(b.name or "")) \
                and (a.system in self.nickname_systems or b.system in self.nickname_systems):
            level = "nickname"  # a WeChat handle is no evidence against; two real names are
        outcome = "disagree" if level in ("disagree", "nickname") else "agree"
        return Evidence("name", outcome, self.weights["name"][level], level)

    def score(self, a: Record, b: Record) -> tuple[float, list[Evidence]]:
        """Total weight and the evidence behind it; fields missing on both sides are left out."""
        evidence: list[Evidence] = []
        for field, attr in _SETS:
            left, right = getattr(a, attr), getattr(b, attr)
            if not left or not right:
                continue
            outcome = "agree" if not set(left).isdisjoint(right) else "disagree"
            if outcome == "disagree" and _near(field, a, b):
                evidence.append(Evidence(field, "agree", self.weights[field]["near"], "near"))
                continue
            if outcome == "disagree" and field == "idDocument" and not (a.checked_ids and b.checked_ids):
                evidence.append(Evidence(field, outcome, self.weights[field]["unchecked"], "unchecked"))
                continue
            w = self.weights[field].get(outcome)
            if w is not None:
                evidence.append(Evidence(field, outcome, w))
        evidence.append(self.name_evidence(a, b))
        for field, attr in _VALUES:
            left, right = getattr(a, attr), getattr(b, attr)
            if left and right:
                if field == "birthDate" and left != right and _near_date(left, right):
                    evidence.append(Evidence(field, "agree", self.weights[field]["near"], "near"))
                    continue
                outcome = "agree" if left == right else "disagree"
                evidence.append(Evidence(field, outcome, self.weights[field][outcome]))
        if a.address and b.address:
            evidence.append(address_evidence(a.address, b.address, self.weights["address"]))
        return round(sum(e.weight for e in evidence), 2), evidence


def _near(field: str, a: Record, b: Record) -> bool:
    """One slip apart: a document with a one-edit key in common, a phone one edit or one swap away."""
    if field == "idDocument":
        return not a.id_near.isdisjoint(b.id_near)
    if field == "phone":
        return any(OSA.distance(p, q, score_cutoff=1) <= 1 for p in a.phones for q in b.phones)
    return False


def _near_date(a: str, b: str) -> bool:
    """ISO dates one slip apart: a digit wrong or two neighbours swapped, or day and month swapped."""
    x, y = a.replace("-", ""), b.replace("-", "")
    return OSA.distance(x, y, score_cutoff=1) <= 1 or (x[:4] == y[:4] and x[4:6] == y[6:8] and x[6:8] == y[4:6])


def address_evidence(a: str, b: str, weights: Mapping[str, float] = WEIGHTS["address"]) -> Evidence:
    """Street addresses as typed: the same words in any order (≥ 90) agree, 75–90 is a fuzzy agreement.

    Once both addresses have four words or more, one may leave a line out (the estate, the district):
    the words they share are compared on their own (token set); a short address must match whole. A space
    typed in or left out (meyrickplace) is compared without the spaces as well."""
    a, b = a.lower(), b.lower()
    whole = min(len(a.split()), len(b.split())) < 4
    similarity = max(token_sort_ratio(a, b) if whole else token_set_ratio(a, b),
                     ratio("".join(filter(str.isalnum, a)), "".join(filter(str.isalnum, b))))
    level = "agree" if similarity >= 90 else "fuzzy" if similarity >= 75 else "disagree"
    return Evidence("address", "disagree" if level == "disagree" else "agree", weights[level],
                    None if level == "disagree" else level)
