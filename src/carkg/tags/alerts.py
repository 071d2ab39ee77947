"""Advisor alerts: "customer 王* is reading the 汉 2026款电子手册" the moment the event lands.

`AlertBroker` is in-process: one asyncio queue per open subscription, keyed by advisor id, fed by the
intake that stored the event. That is enough for one API process. With several workers (uvicorn
--workers N, several pods) an event posted to one worker must reach a subscriber held by another, so the
scale-out path is a shared bus — Redis pub/sub or Streams (channel per advisor) or a Kafka topic keyed by
advisor id — with each worker's broker relaying from it to its local queues; `publish` is the one place
that changes.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

_VERBS = {
    "open_material": "is reading", "click_material": "clicked", "forward_material": "forwarded",
    "share_content": "shared our content", "visit_touchpoint": "is visiting", "book_test_drive": "booked a test drive",
    "join_group": "joined the group", "chat_message": "wrote",
}  # fmt: skip


def mask_name(name: str | None) -> str:
    """"王伟" → "王*", "欧阳娜娜" → "欧***": enough for the advisor to recognise, not to leak."""
    if not name:
        return "(unnamed)"
    return name[0] + "*" * (len(name) - 1)


@dataclass(frozen=True)
class Alert:
    advisor_id: str
    customer_key: str
    customer_name: str  # masked
    event_id: str
    event_type: str
    event_at: datetime
    summary: str
    tags: tuple[str, ...] = ()
    target: str | None = None  # material title / group name
    emitted_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def summary(name: str, event_type: str, target: str | None, tags: tuple[str, ...]) -> str:
    verb = _VERBS.get(event_type, event_type)
    text = f"customer {name} {verb}" + (f" {target}" if target else "")
    return text + (f" (tags: {', '.join(tags)})" if tags else "")


class AlertBroker:
    """Fan-out of alerts to the subscriptions of the advisor they are for."""

    def __init__(self, queue_size: int = 1000) -> None:
        self.queue_size = queue_size
        self._queues: dict[str, set[asyncio.Queue[Alert]]] = defaultdict(set)
        self.published = 0
        self.dropped = 0  # a subscriber that stopped reading loses its oldest alerts, never blocks intake

    def subscribers(self, advisor_id: str) -> int:
        return len(self._queues.get(advisor_id, ()))

    def publish(self, alert: Alert) -> int:
        """Hand `alert` to every subscription of its advisor (call from the event loop); how many got it."""
        queues = self._queues.get(alert.advisor_id, ())
        for q in queues:
            if q.full():
                q.get_nowait()
                self.dropped += 1
            q.put_nowait(alert)
        self.published += 1
        return len(queues)

    @asynccontextmanager
    async def subscribe(self, advisor_id: str) -> AsyncIterator[asyncio.Queue[Alert]]:
        q: asyncio.Queue[Alert] = asyncio.Queue(self.queue_size)
        self._queues[advisor_id].add(q)
        try:
            yield q
        finally:
            self._queues[advisor_id].discard(q)
            if not self._queues[advisor_id]:
                del self._queues[advisor_id]

    async def alerts(self, advisor_id: str) -> AsyncIterator[Alert]:
        """The subscription as an async iterator (ends when the consumer stops iterating)."""
        async with self.subscribe(advisor_id) as q:
            while True:
                yield await q.get()
