"""Fellegi–Sunter weights estimated from the data, with the fixed ones (`weights.MU`) as priors.

Every candidate pair's evidence is a vector of levels, one per field both records carry (name exact /
close / …, phone agree / near / disagree, …). EM treats the pairs as a mixture of matches and non-matches
whose fields are independent given the class, as Fellegi–Sunter does: the E-step gives each pair its
probability of being a match from the current m and u; the M-step re-estimates, for every level, m (its
share among matches) and u (among non-matches). Each estimate is smoothed by `prior_pairs` pseudo-pairs
at the fixed value, so a level the data rarely shows stays near what is known about CRM data, and a
level the data shows often moves to what the data says. The exact-name level keeps its term-frequency u
(`weights.name_agreement`): EM estimates its m only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import exp, log, log2

from carkg.identity.records import Record
from carkg.identity.scoring import Evidence, Scorer
from carkg.identity.weights import HOMOPHONE_PENALTY, MU, WEIGHTS

Level = tuple[str, str]  # (field, level)
_TF_LEVELS = {("name", "exact"), ("name", "homophone")}


def priors() -> dict[Level, tuple[float, float]]:
    """The fixed m and u of every level the scorer can give (homophone: exact's m scaled by its penalty)."""
    out = {(field, level): mu for field, levels in MU.items() for level, mu in levels.items()}
    m, u = MU["name"]["exact"]
    out[("name", "homophone")] = (m * 2 ** HOMOPHONE_PENALTY, u)
    return out


def level_of(evidence: Evidence) -> Level | None:
    """The level a piece of evidence stands for, or None when it carries no weight (a missing value)."""
    if evidence.outcome == "missing":
        return None
    return evidence.field, evidence.detail or evidence.outcome


@dataclass(frozen=True)
class Estimate:
    field: str
    level: str
    pairs: int  # candidate pairs showing this level
    prior_m: float
    prior_u: float
    m: float
    u: float

    @property
    def prior_weight(self) -> float:
        return round(log2(self.prior_m / self.prior_u), 2)

    @property
    def weight(self) -> float:
        return round(log2(self.m / self.u), 2)


@dataclass(frozen=True)
class Estimates:
    match_share: float  # estimated share of matches among the candidate pairs
    levels: list[Estimate]
    iterations: int
    pairs: int

    def weights(self) -> dict[str, dict[str, float]]:
        """field → level → log2(m/u), the shape of `weights.WEIGHTS`."""
        out: dict[str, dict[str, float]] = defaultdict(dict)
        for e in self.levels:
            out[e.field][e.level] = e.weight
        return dict(out)


def estimate(
    vectors: Sequence[Sequence[Level]], *, prior_pairs: float = 200.0, iterations: int = 50, tolerance: float = 1e-6
) -> Estimates:
    """EM over the candidate pairs' level vectors; see the module docstring."""
    prior = priors()
    seen = [[lv for lv in vector if lv in prior] for vector in vectors]
    counts: dict[Level, int] = defaultdict(int)
    for vector in seen:
        for lv in vector:
            counts[lv] += 1
    m = {lv: prior[lv][0] for lv in counts}
    u = {lv: prior[lv][1] for lv in counts}
    share, done = 0.5, 0
    while done < iterations:
        done += 1
        match_sum: dict[Level, float] = defaultdict(float)
        observed_match: dict[str, float] = defaultdict(float)
        observed_all: dict[str, int] = defaultdict(int)
        total = 0.0
        for vector in seen:
            logit = log(share / (1 - share)) + sum(log(m[lv] / u[lv]) for lv in vector)
            p = 1.0 / (1.0 + exp(-logit)) if logit > -700 else 0.0
            total += p
            for lv in vector:
                match_sum[lv] += p
            for field in {f for f, _ in vector}:
                observed_match[field] += p
                observed_all[field] += 1
        new_share = min(max(total / max(len(seen), 1), 1e-6), 1 - 1e-6)
        change = abs(new_share - share)
        share = new_share
        for lv in counts:
            field = lv[0]
            m0, u0 = prior[lv]
            m_new = (match_sum[lv] + prior_pairs * m0) / (observed_match[field] + prior_pairs)
            non_match = observed_all[field] - observed_match[field]
            u_new = u0 if lv in _TF_LEVELS else \
                (counts[lv] - match_sum[lv] + prior_pairs * u0) / (non_match + prior_pairs)
            change = max(change, abs(m_new - m[lv]), abs(u_new - u[lv]))
            m[lv], u[lv] = min(max(m_new, 1e-9), 1.0), min(max(u_new, 1e-9), 1.0)
        if change < tolerance:
            break
    levels = [Estimate(f, lv, counts[(f, lv)], *prior[(f, lv)], m[(f, lv)], u[(f, lv)])
              for (f, lv) in sorted(counts)]
    return Estimates(share, levels, done, len(seen))


def scorer_for(estimates: Estimates, name_counts: dict[str, int], nickname_systems: frozenset[str]) -> Scorer:
    """A scorer on the estimated weights; a level the data never showed keeps its fixed weight."""
    weights = {field: dict(levels) for field, levels in WEIGHTS.items()}
    for field, levels in estimates.weights().items():
        weights.setdefault(field, {}).update(levels)
    exact = next((e for e in estimates.levels if (e.field, e.level) == ("name", "exact")), None)
    homophone = next((e for e in estimates.levels if (e.field, e.level) == ("name", "homophone")), None)
    exact_m = exact.m if exact else MU["name"]["exact"][0]
    penalty = round(log2(homophone.m / exact_m), 2) if homophone else HOMOPHONE_PENALTY
    return Scorer(name_counts, nickname_systems, weights, exact_m, penalty)


def learn(records: Sequence[Record], pairs: Iterable[tuple[int, int]], scorer: Scorer) -> Estimates:
    """EM over `pairs` of `records`, their levels as the (fixed-weight) `scorer` compares them."""
    vectors = []
    for i, j in pairs:
        _, evidence = scorer.score(records[i], records[j])
        vectors.append([level for e in evidence if (level := level_of(e)) is not None])
    return estimate(vectors)
