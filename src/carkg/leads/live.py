"""Re-scoring as events arrive: the event intake hands over the records its new events belong to, and the
open leads of the persons behind them are scored again at once with the latest saved model.

The model is read from disk when it changes (`carkg leads train` writes a new version and moves `LATEST`),
checked at most every `check_every` seconds, so a long-running API picks up a retrained model by itself.
Without a saved model nothing is re-scored and nothing fails: lead scoring is optional.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import structlog

from carkg.graph import Database
from carkg.leads.model import WINDOW_DAYS, LeadModel, LeadsError
from carkg.leads.score import LeadScore, rescore

log = structlog.get_logger("carkg.leads.live")


class LiveScorer:
    def __init__(self, models: Path, check_every: float = 30.0) -> None:
        self.models = models
        self.check_every = check_every
        self._model: LeadModel | None = None
        self._stamp: str | None = None
        self._checked = float("-inf")

    def model(self) -> LeadModel | None:
        """The latest saved model, or None when there is none yet."""
        now = time.monotonic()
        if now - self._checked < self.check_every:
            return self._model
        self._checked = now
        latest = self.models / "LATEST"
        stamp = latest.read_text(encoding="utf-8").strip() if latest.exists() else None
        if stamp != self._stamp:
            try:
                self._model = LeadModel.load(self.models, stamp) if stamp else None
            except (LeadsError, OSError, ValueError) as exc:
                log.warning("leads.model_not_loaded", folder=str(self.models), reason=str(exc))
                self._model = None
            self._stamp = stamp
        return self._model

    def after_events(self, db: Database, record_keys: list[str], at: datetime | None = None) -> list[LeadScore]:
        """Score again the open leads of the persons behind these records; [] without a model."""
        model = self.model()
        if model is None or not record_keys:
            return []
        at = at or datetime.now(UTC)
        rows = db.read("leads/open_leads_of_records", keys=sorted(set(record_keys)), asOf=at, windowDays=WINDOW_DAYS)
        return rescore(db, model, [r["leadId"] for r in rows], at) if rows else []


__all__ = ["LiveScorer"]
