"""The features of a lead, as numbers, from what `cypher/leads/features.cypher` reads at its decision
point; and each feature said in words, for the factors shown beside a score."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from carkg.graph import Database

# Activity types that are evidence before a decision (a delivery handover comes after a sale).
ACTIVITIES = ("call_connected", "call_missed", "test_drive", "showroom_visit", "quote_sent", "finance_enquiry",
              "trade_in_appraisal")
MATERIAL_EVENTS = ("open_material", "click_material", "forward_material", "share_content")
CHANNELS = ("app", "web", "autohome", "dongchedi", "call_center", "event", "wecom")
CHANNEL_NAMES = {"app": "App", "web": "官网", "autohome": "汽车之家", "dongchedi": "懂车帝",
                 "call_center": "呼叫中心", "event": "车展活动", "wecom": "企业微信"}
BATCH = 2000


def _times(n: float, some: str, none: str) -> str:
    return some.format(n=int(n)) if n else none


@dataclass(frozen=True)
class Feature:
    name: str
    words: Callable[[float], str]  # the value, said the way an advisor would


FEATURES: tuple[Feature, ...] = (
    Feature("channel", lambda v: f"渠道: {CHANNEL_NAMES.get(CHANNELS[int(v)], '?') if v == v else '未知'}"),
    Feature("budget_yuan", lambda v: f"预算 {v / 10_000:.0f} 万" if v == v else "未留预算"),
    Feature("has_model", lambda v: "留了意向车型" if v else "未留意向车型"),
    Feature("lead_age_days", lambda v: f"留资 {int(v)} 天"),
    Feature("call_connected", lambda v: _times(v, "电话接通 {n} 次", "电话未接通过")),
    Feature("call_missed", lambda v: _times(v, "电话未接 {n} 次", "没有未接电话")),
    Feature("test_drive", lambda v: _times(v, "试驾过 {n} 次", "未试驾")),
    Feature("showroom_visit", lambda v: _times(v, "到店 {n} 次", "未到店")),
    Feature("quote_sent", lambda v: "已报价" if v else "未报价"),
    Feature("finance_enquiry", lambda v: "咨询过金融方案" if v else "未咨询金融"),
    Feature("trade_in_appraisal", lambda v: "做过置换评估" if v else "无置换评估"),
    Feature("touches_7d", lambda v: _times(v, "近 7 天互动 {n} 次", "近 7 天无互动")),
    Feature("days_since_touch", lambda v: f"{int(v)} 天无互动" if v == v else "尚无互动 (no activity yet)"),
    Feature("records", lambda v: f"{int(v)} 个系统档案"),
    Feature("wecom", lambda v: "已加企业微信" if v else "未加企业微信"),
    Feature("events_30d", lambda v: _times(v, "近 30 天企微互动 {n} 次", "近 30 天无企微互动")),
    Feature("material_events_30d", lambda v: _times(v, "近 30 天看过资料 {n} 次", "近 30 天未看资料")),
    Feature("test_drive_bookings_30d", lambda v: _times(v, "近 30 天线上约试驾 {n} 次", "未线上约试驾")),
    Feature("chats_in_30d", lambda v: _times(v, "近 30 天主动咨询 {n} 次", "近 30 天未主动咨询")),
    Feature("cars_owned", lambda v: _times(v, "已有 {n} 辆车", "名下无车")),
    Feature("cars_of_brand", lambda v: "家中已有同品牌车" if v else "无同品牌车"),
    Feature("earlier_leads", lambda v: _times(v, "之前留资 {n} 次", "首次留资")),
    Feature("tags", lambda v: _times(v, "{n} 个标签", "无标签")),
)
NAMES = tuple(f.name for f in FEATURES)
CATEGORICAL = ("channel",)


def vector(row: dict[str, Any]) -> list[float]:
    """One feature row, in the order of FEATURES; NaN where a value is unknown (the trees handle it)."""
    t: datetime = row["decisionAt"].to_native() if hasattr(row["decisionAt"], "to_native") else row["decisionAt"]
    acts = Counter(a["type"] for a in row["activities"])
    events = Counter(e["type"] for e in row["events"])
    touches = [_native(a["at"]) for a in row["activities"]] + [_native(e["at"]) for e in row["events"]] + [
        _native(at) for at in row["chatsIn"]]
    week = t - timedelta(days=7)
    last = max(touches) if touches else None
    channel = CHANNELS.index(row["channel"]) if row["channel"] in CHANNELS else math.nan
    values = {
        "channel": channel,
        "budget_yuan": float(row["budgetYuan"]) if row["budgetYuan"] is not None else math.nan,
        "has_model": float(row["brand"] is not None),
        "lead_age_days": (t - _native(row["createdAt"])).total_seconds() / 86_400,
        **{kind: float(acts[kind]) for kind in ACTIVITIES},
        "touches_7d": float(sum(1 for at in touches if at >= week)),
        "days_since_touch": (t - last).total_seconds() / 86_400 if last else math.nan,
        "records": float(row["records"]),
        "wecom": float(row["wecomRecords"] > 0),
        "events_30d": float(sum(events.values())),
        "material_events_30d": float(sum(events[k] for k in MATERIAL_EVENTS)),
        "test_drive_bookings_30d": float(events["book_test_drive"]),
        "chats_in_30d": float(len(row["chatsIn"])),
        "cars_owned": float(row["carsOwned"]),
        "cars_of_brand": float(row["carsOfBrand"]),
        "earlier_leads": float(row["earlierLeads"]),
        "tags": float(row["tags"]),
    }
    return [values[name] for name in NAMES]


def _native(value: Any) -> datetime:
    return value.to_native() if hasattr(value, "to_native") else value  # type: ignore[no-any-return]


def read(db: Database, leads: list[tuple[str, datetime]]) -> dict[str, list[float]]:
    """lead id -> feature row, read in batches; `leads` pairs each id with its decision point."""
    out: dict[str, list[float]] = {}
    for i in range(0, len(leads), BATCH):
        batch = [{"leadId": lead_id, "decisionAt": at} for lead_id, at in leads[i:i + BATCH]]
        for row in db.read("leads/features", leads=batch):
            out[row["leadId"]] = vector(row)
    return out


def words(name: str, value: float) -> str:
    return FEATURES[NAMES.index(name)].words(value)
