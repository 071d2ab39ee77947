"""Scoring: every open lead gets a score 1–99, a grade A–D and its top positive and negative factors in
words with their points — the trees' own TreeSHAP contributions, 10 points per unit of log-odds — stored
on the Lead with the model version and the time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from carkg.graph import Database
from carkg.leads import features
from carkg.leads.model import WINDOW_DAYS, LeadModel

POINTS_PER_LOG_ODDS = 10
TOP_FACTORS = 3
WRITE_BATCH = 5000


@dataclass(frozen=True)
class Factor:
    feature: str
    text: str
    points: int

    def said(self) -> str:
        return f"{self.text} ({self.points:+d})"


@dataclass(frozen=True)
class LeadScore:
    lead_id: str
    score: int
    grade: str
    probability: float
    factors: list[Factor]

    def row(self) -> dict[str, Any]:
        return {"leadId": self.lead_id, "score": self.score, "grade": self.grade,
                "probability": round(self.probability, 5),
                "factors": json.dumps([f.__dict__ for f in self.factors], ensure_ascii=False)}


def as_score(probability: float) -> int:
    return max(1, min(99, round(1 + 98 * probability)))


def explain(model: LeadModel, rows: np.ndarray) -> list[list[Factor]]:
    """Top positive then top negative factors of each row, as the trees weighed them."""
    out = []
    for values, contribution in zip(rows, model.contributions(rows), strict=True):
        said = [Factor(name, features.words(name, value), round(c * POINTS_PER_LOG_ODDS))
                for name, value, c in zip(features.NAMES, values, contribution[:-1], strict=True)]
        up = sorted((f for f in said if f.points > 0), key=lambda f: -f.points)[:TOP_FACTORS]
        down = sorted((f for f in said if f.points < 0), key=lambda f: f.points)[:TOP_FACTORS]
        if not np.isfinite(values[features.NAMES.index("days_since_touch")]) and not any(
                f.feature == "days_since_touch" for f in up + down):
            down = [*down[: TOP_FACTORS - 1], Factor("days_since_touch", "尚无互动 (no activity yet)", 0)]
        out.append(up + down)
    return out


def score(db: Database, model: LeadModel, leads: list[tuple[str, datetime]]) -> list[LeadScore]:
    """Score leads at their decision points; a lead with no activity at all still gets a score (the priors)."""
    rows = features.read(db, leads)
    ids = [lead_id for lead_id, _ in leads if lead_id in rows]
    if not ids:
        return []
    x = np.array([rows[i] for i in ids], dtype=float)
    probabilities = model.probabilities(x)
    return [LeadScore(lead_id, as_score(float(p)), model.grade(float(p)), float(p), factors)
            for lead_id, p, factors in zip(ids, probabilities, explain(model, x), strict=True)]


def store(db: Database, model: LeadModel, scores: list[LeadScore], at: datetime) -> None:
    for i in range(0, len(scores), WRITE_BATCH):
        db.write("leads/write_scores", rows=[s.row() for s in scores[i:i + WRITE_BATCH]],
                 modelVersion=model.version, at=at)


def score_open_leads(db: Database, model: LeadModel, as_of: datetime | None = None) -> list[LeadScore]:
    as_of = as_of or datetime.now(UTC)
    open_leads = db.read("leads/open_leads", asOf=as_of, windowDays=WINDOW_DAYS)
    scores = score(db, model, [(r["leadId"], as_of) for r in open_leads])
    store(db, model, scores, as_of)
    return scores


def rescore(db: Database, model: LeadModel, lead_ids: list[str], at: datetime | None = None) -> list[LeadScore]:
    """After an event for a lead's person: score their open leads again, now."""
    at = at or datetime.now(UTC)
    scores = score(db, model, [(lead_id, at) for lead_id in lead_ids])
    store(db, model, scores, at)
    return scores


__all__ = ["Factor", "LeadScore", "as_score", "explain", "rescore", "score", "score_open_leads"]
