"""How good the recommendations are, replayed on history with a hidden answer.

The demo writes `truth/advisor_fit.csv`: for each of its newest leads, every advisor who could have taken
it and the probability they would have converted it (the world's hidden fit, never read by the ranking).
The replay derives each advisor's track record as of the first of those leads, asks the recommender for
each lead as of that moment, and scores the ranking against the truth: hit@k (the best advisor is among
the first k) and the conversion probability of the advisor ranked first. The baseline, measured in the
same run on the same candidates, is what a lead gets without carkg: a random advisor of the brand at the
nearest dealer selling it (its expected hit@k and conversion, not one draw).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from rich.table import Table

from carkg.advisors.recommend import Candidate, Recommendation, rank
from carkg.advisors.recommend import params as recommend_params
from carkg.advisors.track import derive
from carkg.graph import Database

MAX_CANDIDATES = 1000  # every candidate of a lead is ranked, so the baseline sees the same set


@dataclass
class Side:
    """One way of choosing an advisor: sums over the replayed leads (divide by `leads`)."""

    hit1: float = 0.0
    hit3: float = 0.0
    conversion: float = 0.0
    priced: int = 0  # leads whose chosen advisor has a truth probability

    def rate(self, total: float, n: int) -> float:
        return total / n if n else float("nan")


@dataclass
class Evaluation:
    as_of: datetime
    leads: int = 0
    skipped: int = 0  # truth leads the graph does not have, or with no candidate at all
    located: int = 0
    model: Side = field(default_factory=Side)
    baseline: Side = field(default_factory=Side)
    lead_ids: list[str] = field(default_factory=list)  # the leads replayed (in the graph, with candidates)

    def hit_at(self, side: Side, k: int) -> float:
        return side.rate(side.hit1 if k == 1 else side.hit3, self.leads)

    def conversion(self, side: Side) -> float:
        return side.rate(side.conversion, side.priced)

    @property
    def uplift(self) -> float:
        """How much more often the recommended advisor converts than the baseline's (0.5 = +50 %)."""
        return self.conversion(self.model) / self.conversion(self.baseline) - 1


def load_truth(path: Path) -> dict[str, dict[str, float]]:
    """lead_id -> {advisor_id: conversion probability}; a bad row is an error naming it."""
    truth: dict[str, dict[str, float]] = defaultdict(dict)
    with path.open(encoding="utf-8", newline="") as f:
        for row_number, row in enumerate(csv.DictReader(f), start=2):
            try:
                lead, advisor, p = row["lead_id"], row["advisor_id"], float(row["conversion_probability"])
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path.name} row {row_number}: needs lead_id, advisor_id and a numeric "
                                 f"conversion_probability ({exc})") from exc
            if not lead or not advisor or not 0 <= p <= 1:
                raise ValueError(f"{path.name} row {row_number}: empty id or probability outside 0..1")
            truth[lead][advisor] = p
    return dict(truth)


def evaluate(db: Database, truth_path: Path, *, restore_at: datetime | None = None) -> Evaluation:
    """Replay the truth file's leads. The track record is derived as of the first lead (so nothing later is
    seen), then, with `restore_at`, derived again as of that moment so the graph is left as it was."""
    truth = load_truth(truth_path)
    first = db.query("UNWIND $ids AS id MATCH (l:Lead {leadId: id}) RETURN min(l.createdAt) AS at",
                     {"ids": list(truth)})[0]["at"]
    if first is None:
        raise ValueError(f"{truth_path}: none of its leads is in the graph (load the demo it came with)")
    as_of = first.to_native() if hasattr(first, "to_native") else first
    derive(db, as_of)
    result = Evaluation(as_of=as_of)
    try:
        for lead_id, fit in truth.items():
            rows = db.read("advisors/recommend", **recommend_params(lead_id=lead_id, as_of=as_of))
            if not rows or not rows[0]["advisors"]:
                result.skipped += 1
                continue
            # the baseline knows nothing of workload: every advisor of the nearest dealer is a candidate
            everyone = rank(rows[0], MAX_CANDIDATES, workload_limit=10**9).advisors
            _score(result, rank(rows[0], MAX_CANDIDATES), everyone, fit)
            result.lead_ids.append(lead_id)
    finally:
        if restore_at is not None:
            derive(db, restore_at)
    return result


def _score(result: Evaluation, ranked: Recommendation, everyone: list[Candidate], fit: dict[str, float]) -> None:
    result.leads += 1
    result.located += ranked.located
    best = max(fit.values())
    top = [c.advisor_id for c in ranked.advisors[:3]]
    m = result.model
    m.hit1 += fit.get(top[0]) == best
    m.hit3 += any(fit.get(a) == best for a in top)
    if top[0] in fit:
        m.conversion += fit[top[0]]
        m.priced += 1
    nearest = _nearest_dealer_advisors(everyone)
    b = result.baseline
    n = len(nearest)
    best_there = any(fit.get(c.advisor_id) == best for c in nearest)
    b.hit1 += best_there / n
    b.hit3 += best_there * min(3, n) / n
    priced = [fit[c.advisor_id] for c in nearest if c.advisor_id in fit]
    if priced:
        b.conversion += sum(priced) / len(priced)
        b.priced += 1


def _nearest_dealer_advisors(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates at the nearest dealer (without a location: the first dealer in the candidate list)."""
    located = [c for c in candidates if c.distance_km is not None]
    if located:
        nearest = min(located, key=lambda c: (c.distance_km, c.dealer["dealerId"])).dealer["dealerId"]
    else:
        nearest = min(c.dealer["dealerId"] for c in candidates)
    return [c for c in candidates if c.dealer["dealerId"] == nearest]


def table(result: Evaluation) -> Table:
    """The replay's figures, carkg beside the baseline (for `carkg advisors evaluate` and the benchmark)."""
    t = Table(title=f"Advisor recommendation, {result.leads} leads replayed as of {result.as_of:%Y-%m-%d} "
                    f"({result.located} located, {result.skipped} skipped)")
    t.add_column("")
    t.add_column("carkg", justify="right")
    t.add_column("random advisor, nearest dealer", justify="right")
    m, b = result.model, result.baseline
    t.add_row("hit@1 (best advisor first)", f"{result.hit_at(m, 1):.3f}", f"{result.hit_at(b, 1):.3f}")
    t.add_row("hit@3 (best advisor in the first 3)", f"{result.hit_at(m, 3):.3f}", f"{result.hit_at(b, 3):.3f}")
    t.add_row("conversion of the advisor chosen", f"{result.conversion(m):.3f}", f"{result.conversion(b):.3f}")
    t.add_row("uplift", f"{result.uplift:+.1%}", "")
    return t
