"""The rule baseline lead scoring is measured against: points per action, the way marketing automation
tools score leads out of the box (a test drive is worth more than an opened brochure; silence costs)."""

from __future__ import annotations

POINTS = {
    "test_drive": 25, "showroom_visit": 15, "quote_sent": 10, "finance_enquiry": 10, "trade_in_appraisal": 10,
    "call_connected": 5, "call_missed": -2, "material_events_30d": 2, "test_drive_bookings_30d": 10,
    "chats_in_30d": 3,
}
BUDGET_GIVEN = 5
SILENT_DAYS, SILENCE = 14, -10


def rule_points(values: dict[str, float]) -> float:
    points = sum(weight * values[name] for name, weight in POINTS.items())
    if values["budget_yuan"] == values["budget_yuan"]:  # not NaN: a budget was given
        points += BUDGET_GIVEN
    silent = values["days_since_touch"]
    if silent != silent or silent > SILENT_DAYS:
        points += SILENCE
    return float(points)
