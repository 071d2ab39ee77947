"""Dynamic dates in segment definitions, resolved to absolute moments when a segment is compiled.

Accepted forms: `now`, `today`, `now-90d` / `now-12h` / `now-2w` / `now+1d`, `start_of_day`,
`start_of_week`, `start_of_month`, `start_of_year`, an ISO date `2026-10-01` (midnight) or an ISO
datetime. Calendar anchors are China time (UTC+8), the time zone every source system writes in.
Resolving in Python (not with Cypher's `datetime()`) makes a compiled query repeatable: `explain`
prints the exact moments it ran with, and tests can pin `now`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")
_RELATIVE = re.compile(r"^now\s*([+-])\s*(\d+)\s*([hdw])$")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


def is_dynamic_date(text: str) -> bool:
    try:
        resolve(text, datetime(2000, 1, 1, tzinfo=CHINA))
    except ValueError:
        return False
    return True


def resolve(text: str, now: datetime) -> datetime:
    """The moment `text` names, relative to `now` (an aware datetime)."""
    t = text.strip().lower()
    local = now.astimezone(CHINA)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if t == "now":
        return now
    if t in ("today", "start_of_day"):
        return midnight
    if t == "start_of_week":
        return midnight - timedelta(days=midnight.weekday())
    if t == "start_of_month":
        return midnight.replace(day=1)
    if t == "start_of_year":
        return midnight.replace(month=1, day=1)
    if m := _RELATIVE.match(t):
        sign = 1 if m.group(1) == "+" else -1
        return now + sign * int(m.group(2)) * _UNITS[m.group(3)]
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
            return datetime.combine(date.fromisoformat(t), datetime.min.time(), CHINA)
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"not a date: {text!r} (use now, now-90d, start_of_month, 2026-10-01 or an ISO datetime)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA)
