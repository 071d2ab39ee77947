"""Run the event rules and the keyword tagger over what is already in the graph.

Intake tags events as they arrive; events and chats loaded from source exports (the demo, a first load)
arrived before any rule ran, and a changed rule file should be able to re-tag history. This walks the
customer records with events or inbound chats a page at a time and feeds their events through the same
code intake uses, so one tag means the same whichever path wrote it. No alerts: this is history.

Applied events and messages are stamped (`taggedAt`), so the next run only visits records with something
new: `carkg up` runs this on every start and must not re-read all history each time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from carkg.graph import Database
from carkg.tags.intake import EventIn, IntakeReport, tag_events
from carkg.tags.rules import RuleSet, ensure_definitions, load_rules


@dataclass
class BackfillReport:
    customers: int = 0
    events: int = 0
    tags: int = 0


def _pages(db: Database, page: int, everything: bool) -> Iterator[list[str]]:
    after = ""
    while keys := [r["key"] for r in db.read("tags/backfill_customers", after=after, limit=page, all=everything)]:
        yield keys
        after = keys[-1]


def _event(item: dict[str, Any], key: str) -> EventIn:
    at = item["at"].to_native() if hasattr(item["at"], "to_native") else item["at"]
    return EventIn.model_validate({**{k: v for k, v in item.items() if v is not None}, "at": at, "customerKey": key})


def pending_records(db: Database, *, everything: bool = False) -> int:
    """How many customer records the next `backfill` visits."""
    return int(db.read("tags/backfill_count", all=everything)[0]["records"])


def backfill(db: Database, rules: RuleSet | None = None, *, page: int = 500, now: datetime | None = None,
             progress: Any = None, everything: bool = False) -> BackfillReport:
    """Tag the stored events and inbound messages not tagged by an earlier run (all of them with
    `everything`, e.g. after a rule file changed); safe to run again (assignments update in place)."""
    rules = rules or load_rules()
    ensure_definitions(db, rules)
    now = now or datetime.now(UTC)
    report = BackfillReport()
    for keys in _pages(db, page, everything):
        rows = db.write("tags/backfill_events", keys=keys)
        fresh = list(enumerate(_event(item, row["key"]) for row in rows for item in row["items"]))
        intake = IntakeReport(received=len(fresh), outcome=["stored"] * len(fresh), tags=[0] * len(fresh))
        if fresh:
            tag_events(db, fresh, rules, now, intake)
        db.write("tags/backfill_mark", keys=keys, at=now)
        report.customers += len(keys)
        report.events += len(fresh)
        report.tags += intake.tags_applied
        if progress is not None:
            progress(len(keys))
    return report
