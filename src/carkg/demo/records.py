"""Turn the hidden world into source-system records, each system with its own habits and its own traps.

Record ids are not assigned here: every system numbers its records in time order, so ids are given after
sorting (otherwise consecutive ids would give away which records belong to one person).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from carkg.demo import content, names
from carkg.demo import identifiers as ids
from carkg.demo.sampling import Picker
from carkg.demo.world import (
    ANCHOR_DAY,
    Advisor,
    Dealer,
    DealerIndex,
    Holding,
    Person,
    World,
    day,
    pick_advisor,
)

if TYPE_CHECKING:
    from carkg.demo.generator import TrapRates

DAY_SECONDS = 86_400
CHANNELS = ("app", "web", "autohome", "dongchedi", "call_center", "event", "wecom")
_CHANNEL_PICKER = Picker(CHANNELS, (0.15, 0.12, 0.25, 0.20, 0.10, 0.08, 0.10))
_LEAD_COUNT = Picker((1, 2, 3), (0.62, 0.27, 0.11))
_TOPIC_PICKER = Picker(content.TOPICS, content.TOPIC_WEIGHTS)
STAGES = ("new", "contacted", "test_drive", "booked", "won", "lost")
_OPEN_STAGE_PICKER = Picker(("new", "contacted", "test_drive", "booked", "lost"), (37, 33, 12, 8, 10))
WON_SHARE = 0.08
EVENT_TYPES = (
    "join_group", "open_material", "forward_material", "click_material", "share_content", "visit_touchpoint",
    "book_test_drive",
)  # fmt: skip
_EVENT_PICKER = Picker(list(EVENT_TYPES), [0.08, 0.35, 0.08, 0.20, 0.10, 0.15, 0.04])
_EVENT_CHANNELS = {
    "join_group": ("qrcode", "invite_link"),
    "open_material": ("private_chat", "moments", "group"),
    "forward_material": ("private_chat", "moments"),
    "click_material": ("private_chat", "moments", "group"),
    "share_content": ("moments", "private_chat"),
    "visit_touchpoint": ("miniprogram", "h5", "official_account"),
    "book_test_drive": ("miniprogram", "h5"),
}
_SERVICE_TYPES = Picker(["maintenance", "repair", "warranty", "inspection"], [0.6, 0.2, 0.1, 0.1])
EVENTS_PER_PERSON = 5.0
CHATS_PER_PERSON = 2.0
_CHATTING_SHARE = 0.5
_MESSAGES_PER_TURN = 1.8


@dataclass(slots=True, eq=False)
class Rec:
    """One customer-level source record (a DMS customer, an after-sales customer_no, a lead, a contact)."""

    system: str
    person: Person | None  # None: a deliberately invalid row, not a real person
    key: tuple[int, int]  # sort key: (time, creation order)
    row: dict[str, Any]
    source_id: str = ""


@dataclass(slots=True, eq=False)
class Child:
    """A row that belongs to a customer-level record: a DMS order or an after-sales service visit."""

    parent: Rec
    key: tuple[int, int]
    row: dict[str, Any]
    source_id: str = ""


@dataclass(slots=True, eq=False)
class TrapEntry:
    trap: str
    system: str
    holder: Rec | Child
    detail: str


@dataclass(slots=True)
class Exports:
    dms: list[Rec] = field(default_factory=list)
    orders: list[Child] = field(default_factory=list)
    aftersales: list[Rec] = field(default_factory=list)
    services: list[Child] = field(default_factory=list)
    leads: list[Rec] = field(default_factory=list)
    contacts: list[Rec] = field(default_factory=list)
    events: list[tuple[int, int, Rec, str, str, str]] = field(default_factory=list)
    chats: list[tuple[int, int, Rec, str, str, str]] = field(default_factory=list)
    traps: list[TrapEntry] = field(default_factory=list)
    lead_outcomes: list[tuple[Rec, bool]] = field(default_factory=list)  # True: the person bought after it


@cache
def iso_day(ordinal: int) -> str:
    return day(ordinal).isoformat()


def moment(ts: int) -> str:
    """Seconds since day 1 (ordinal * 86400) as ISO-8601 Beijing time."""
    d, s = divmod(ts, DAY_SECONDS)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{iso_day(d)}T{h:02d}:{m:02d}:{s:02d}+08:00"


def daytime(rng: random.Random, ordinal: int) -> int:
    """A moment on `ordinal` during waking hours, when people fill in forms and chat."""
    return ordinal * DAY_SECONDS + 8 * 3600 + int(rng.random() * 15 * 3600)


class Emitter:
    """Writes each person into the systems they use, rolling the per-record traps as it goes."""

    def __init__(
        self,
        rng: random.Random,
        world: World,
        rates: TrapRates,
        materials: list[tuple[str, str, str, str]],
        groups: list[tuple[str, str, str, str, str]],
    ) -> None:
        self.rng = rng
        self.world = world
        self.rates = rates
        self.dealers = DealerIndex(world.dealers)
        self.out = Exports()
        self.seq = 0
        self.clean = False  # True while making bad rows: no traps but the one they are made for
        self.materials_by_model: dict[str, list[str]] = {}
        for material_id, _title, _kind, code in materials:
            self.materials_by_model.setdefault(code, []).append(material_id)
        self.all_materials = [m[0] for m in materials]
        self.groups_by_city: dict[str, list[str]] = {}
        for group_id, _name, _campaign, _date, city in groups:
            self.groups_by_city.setdefault(city, []).append(group_id)
        self.all_groups = [g[0] for g in groups]
        contacts = sum(1 for p in world.persons if "wecom" in p.systems) or 1
        per_contact = len(world.persons) / contacts
        self.mean_events = EVENTS_PER_PERSON * per_contact
        self.mean_turns = CHATS_PER_PERSON * per_contact / (_CHATTING_SHARE * _MESSAGES_PER_TURN)

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def trap(self, rec: Rec | Child, traps: list[tuple[str, str]], system: str | None = None) -> None:
        for trap, detail in traps:
            self.out.traps.append(TrapEntry(trap, system or rec_system(rec), rec, detail))

    # -- identity as written ------------------------------------------------------------------------

    def name_for(self, p: Person, traps: list[tuple[str, str]]) -> str:
        if not self.clean and self.rng.random() < self.rates.name_typo:
            written, kind = names.typo(self.rng, p.name, len(p.surname))
            traps.append(("name_typo", f"{kind}: {p.name} -> {written}"))
            return written
        return p.name

    def phone_for(
        self, p: Person, system: str, dealer: Dealer | None, traps: list[tuple[str, str]], missing: float
    ) -> str:
        """The phone this record carries: usually the person's own, sometimes a trap.

        Trap rates are scaled up by the share of records that carry a phone at all, so that the configured
        rates hold over all records of the system."""
        rng = self.rng
        if rng.random() < missing:
            return ""
        roll = 1.0 if self.clean else rng.random() * (1.0 - missing)
        if roll < self.rates.test_number:
            number = rng.choice(ids.TEST_NUMBERS)
            traps.append(("test_number", number))
            return number
        if dealer is not None and roll < self.rates.test_number + self.rates.front_desk_phone:
            traps.append(("front_desk_phone", f"{dealer.front_desk} is the front desk of {dealer.dealer_id}"))
            return dealer.front_desk
        second = p.second_phone_system == system and not self.clean
        number = p.phones[1] if second else p.phones[0]
        if second:
            traps.append(("two_phones", f"{p.pid} uses {number} here and {p.phones[0]} elsewhere"))
        if p.shared_phone and p.shared_phone[0] == number and not self.clean:
            traps.append(("family_shared_phone", p.shared_phone[1]))
        return ids.write_mobile(rng, number, system)

    # -- DMS ----------------------------------------------------------------------------------------

    def dms_customer(self, p: Person) -> Rec:
        rng = self.rng
        traps: list[tuple[str, str]] = []
        bought = [v.bought for v in p.vehicles if v.ordered]
        created = min(bought) - rng.randrange(0, 60) if bought else ANCHOR_DAY - rng.randrange(1, 5 * 365)
        gender = ("男" if p.male else "女") if rng.random() < 0.97 else ""
        row = {
            "姓名": self.name_for(p, traps),
            "手机号": self.phone_for(p, "dms", p.dealer, traps, missing=0.03),
            "证件号码": p.id_number if rng.random() < 0.65 else "",
            "性别": gender,
            "城市": p.city.name,
            "经销商编号": p.dealer.dealer_id,
            "顾问编号": p.advisor.advisor_id,
            "建档日期": iso_day(created),
        }
        rec = Rec("dms", p, (created, self.next_seq()), row)
        self.out.dms.append(rec)
        self.trap(rec, traps)
        for v in p.vehicles:
            if v.ordered:
                self.out.orders.append(Child(rec, (v.bought, self.next_seq()), {
                    "车架号": v.vin, "车型": rng.choice(v.model.sales_names),
                    "成交日期": iso_day(v.bought), "成交价": str(v.price),
                }))  # fmt: skip
                self.trap(rec, v.traps)
        return rec

    # -- after-sales --------------------------------------------------------------------------------

    def service_days(self, h: Holding) -> list[int]:
        """First service 2-5 months after the spell starts, then every 5-11 months; a 3-year export window."""
        rng = self.rng
        end = min(h.end, ANCHOR_DAY)
        window = ANCHOR_DAY - 3 * 365
        days: list[int] = []
        d = h.start + rng.randrange(60, 150)
        while d <= end:
            if d >= window:
                days.append(d)
            d += rng.randrange(150, 330)
        if not days:  # a car just bought or just handed over still gets its first check
            days.append(min(end, h.start + rng.randrange(1, max(2, end - h.start + 1))))
        return days[-4:]

    def aftersales_record(self, h: Holding) -> Rec:
        rng = self.rng
        p, v = h.person, h.vehicle
        traps = list(h.traps) if not self.clean else []
        dealer = p.dealer
        if v.model.brand not in dealer.brands:
            dealer = self.dealers.pick(rng, p.city, v.model.brand)
        days = self.service_days(h)
        row = {
            "customer_name": self.name_for(p, traps) if rng.random() < 0.98 else "",
            "mobile": self.phone_for(p, "aftersales", dealer, traps, missing=0.02),
        }
        rec = Rec("aftersales", p, (days[0], self.next_seq()), row)
        self.out.aftersales.append(rec)
        self.trap(rec, traps)
        model_name = rng.choice(v.model.aftersales_names)
        km_per_day = rng.uniform(25, 60)
        for i, d in enumerate(days):
            at = dealer if rng.random() < 0.9 else self.dealers.pick(rng, p.city, v.model.brand)
            self.out.services.append(Child(rec, (d, self.next_seq()), {
                "vin": v.vin, "model_name": model_name, "dealer_id": at.dealer_id, "service_date": iso_day(d),
                "mileage_km": str(max(5, int((d - v.bought) * km_per_day * rng.uniform(0.9, 1.1)))),
                "service_type": "maintenance" if i == 0 else _SERVICE_TYPES(rng),
            }))  # fmt: skip
        return rec

    # -- leads --------------------------------------------------------------------------------------

    def leads(self, p: Person) -> list[tuple[Rec, bool]]:
        """1..3 leads on different channels; the first one often precedes a DMS order (a won lead)."""
        rng = self.rng
        count = _LEAD_COUNT(rng)
        channels: list[str] = []
        while len(channels) < count:
            channel = _CHANNEL_PICKER(rng)
            if channel not in channels:
                channels.append(channel)
        bought = [v.bought for v in p.vehicles if v.ordered]
        out: list[tuple[Rec, bool]] = []
        for i, channel in enumerate(channels):
            converted = i == 0 and bool(bought) and rng.random() < 0.8
            when = min(bought) - rng.randrange(7, 120) if converted else ANCHOR_DAY - rng.randrange(0, 720)
            out.append((self.lead(p, channel, daytime(rng, when)), converted))
        return out

    def lead(self, p: Person, channel: str, ts: int) -> Rec:
        rng = self.rng
        traps: list[tuple[str, str]] = []
        dealer = p.dealer if rng.random() < 0.85 else self.dealers.pick(rng, p.city, p.model.brand)
        advisor = p.advisor if dealer is p.dealer else pick_advisor(rng, dealer, p.model.brand)
        row: dict[str, Any] = {}
        roll = rng.random()
        if roll < 0.92:
            row["name"] = self.name_for(p, traps)
        elif roll < 0.97 and not self.clean:
            row["name"] = names.honorific(p.surname, p.male)
            traps.append(("honorific_name", f"{row['name']} for {p.name}"))
        phone = self.phone_for(p, "leads", None, traps, missing=0.04)
        if phone:
            row["phone"] = phone
        row["channel"] = channel
        if rng.random() < 0.92:
            row["model"] = rng.choice((p.model.name_zh, p.model.name_en, *p.model.lead_names))
        row["created_at"] = moment(ts)
        row["stage"] = "new"
        row["dealer_id"] = dealer.dealer_id
        row["advisor_id"] = advisor.advisor_id
        if (channel == "app" and rng.random() < 0.9) or (channel == "web" and rng.random() < 0.4):
            row["device_id"] = p.device_id
        if p.unionid and (channel == "wecom" or (channel == "app" and rng.random() < 0.3)):
            row["unionid"] = p.unionid
        if rng.random() < 0.4:
            row["budget_yuan"] = p.budget
        if not ({"name", "phone", "device_id", "unionid"} & row.keys()):
            row["name"] = names.honorific(p.surname, p.male)  # a platform keeps at least "Mr Wang"
        rec = Rec("leads", p, (ts, self.next_seq()), row)
        self.out.leads.append(rec)
        self.trap(rec, traps)
        return rec

    def assign_stages(self, leads: list[tuple[Rec, bool]]) -> None:
        """Most leads new or contacted; ~8% won, mostly the ones followed by a DMS order."""
        rng = self.rng
        converted = sum(1 for _rec, c in leads if c)
        p_converted = min(0.6, 0.85 * WON_SHARE * len(leads) / converted) if converted else 0.0
        converted_won = [rec for rec, c in leads if c and rng.random() < p_converted]
        others = len(leads) - len(converted_won)
        p_won = max(0.0, WON_SHARE * len(leads) - len(converted_won)) / others if others else 0.0
        won = set(map(id, converted_won))
        for rec, _converted in leads:
            if id(rec) in won or (not _converted and rng.random() < p_won):
                rec.row["stage"] = "won"
            else:
                rec.row["stage"] = _OPEN_STAGE_PICKER(rng)
            if rec.row["stage"] == "new" and rng.random() < 0.7:
                del rec.row["advisor_id"]  # nobody has picked the lead up yet

    # -- WeCom --------------------------------------------------------------------------------------

    def contact(self, p: Person, activity: bool = True) -> Rec:
        rng = self.rng
        traps: list[tuple[str, str]] = []
        added = daytime(rng, ANCHOR_DAY - rng.randrange(0, 540))
        advisor = p.advisor if rng.random() < 0.8 else rng.choice(p.dealer.advisors)
        external = ids.external_userid(rng)
        row: dict[str, Any] = {"external_userid": external}
        if p.unionid:
            row["unionid"] = p.unionid
        if self.clean or rng.random() < 0.62:
            row["name"] = self.name_for(p, traps)
        else:
            row["name"] = names.nickname(rng, p.surname, p.given)
            traps.append(("wecom_nickname", f"{row['name']} for {p.name}"))
        phone = self.phone_for(p, "wecom", None, traps, missing=0.5)
        if phone:
            row["phone"] = phone
        row["advisor_id"] = advisor.advisor_id
        row["added_at"] = moment(added)
        rec = Rec("wecom", p, (added, self.next_seq()), row, source_id=external)
        self.out.contacts.append(rec)
        self.trap(rec, traps)
        if activity:
            self.events(rec, p, added)
            self.chats(rec, p, advisor, added)
        return rec

    def events(self, rec: Rec, p: Person, added: int) -> None:
        """Interactions over the last 180 days (the hottest loop: `rand()` indexing instead of `choice`)."""
        rand = self.rng.random
        start = max(added // DAY_SECONDS, ANCHOR_DAY - 180)
        span = ANCHOR_DAY - start + 1
        own = self.materials_by_model.get(p.model.code, self.all_materials)
        city_groups = self.groups_by_city.get(p.city.name) or self.all_groups
        for _ in range(int(self.rng.expovariate(1 / (self.mean_events + 0.5)))):
            ts = max(added + 60, daytime(self.rng, start + int(rand() * span)))
            kind: str = _EVENT_PICKER(self.rng)
            target = ""
            if kind == "join_group":
                pool = city_groups if rand() < 0.8 else self.all_groups
                target = pool[int(rand() * len(pool))]
            elif kind.endswith("_material") or (kind == "share_content" and rand() < 0.6):
                pool = own if rand() < 0.6 else self.all_materials
                target = pool[int(rand() * len(pool))]
            channels = _EVENT_CHANNELS[kind]
            channel = channels[int(rand() * len(channels))] if rand() < 0.9 else ""
            self.out.events.append((ts, self.next_seq(), rec, kind, target, channel))

    def chats(self, rec: Rec, p: Person, advisor: Advisor, added: int) -> None:
        """Conversations in turns: the customer writes, the advisor (usually) answers within two hours."""
        rng = self.rng
        if rng.random() >= _CHATTING_SHARE:
            return
        first_day = rng.randint(max(added // DAY_SECONDS, ANCHOR_DAY - 180), ANCHOR_DAY)
        ts = max(added + 300, daytime(rng, first_day))
        end = (ANCHOR_DAY + 1) * DAY_SECONDS - 1
        for _ in range(1 + int(rng.expovariate(1 / max(0.1, self.mean_turns - 0.5)))):
            if ts > end:
                break
            topic = _TOPIC_PICKER(rng)
            text = content.customer_line(rng, topic, p.model, p.budget)
            self.out.chats.append((ts, self.next_seq(), rec, advisor.advisor_id, "in", text))
            if rng.random() < 0.8:
                delay = rng.randrange(60, 7200)
                if ts + delay <= end:  # (the draw decides, not the pace: the random stream stays the same)
                    line = content.advisor_line(rng, topic, p.model)
                    reply = min(end, ts + round(delay * advisor.reply_pace))
                    self.out.chats.append((reply, self.next_seq(), rec, advisor.advisor_id, "out", line))
            ts += rng.randrange(600, 3 * DAY_SECONDS)

    # -- everything ---------------------------------------------------------------------------------

    def emit_all(self, on_person: Callable[[], None] | None = None) -> Exports:
        all_leads: list[tuple[Rec, bool]] = []
        holdings: dict[int, list[Holding]] = {}
        for v in self.world.vehicles:
            for h in v.holdings:
                holdings.setdefault(h.person.index, []).append(h)
        for p in self.world.persons:
            if "dms" in p.systems:
                self.dms_customer(p)
            for h in holdings.get(p.index, ()):
                self.aftersales_record(h)
            if "leads" in p.systems:
                all_leads.extend(self.leads(p))
            if "wecom" in p.systems:
                self.contact(p)
            if on_person:
                on_person()
        self.assign_stages(all_leads)
        self.out.lead_outcomes = all_leads
        self.mark_multi_system()
        return self.out

    def mark_multi_system(self) -> None:
        """The three_systems trap: every record of a person present in three or more systems."""
        by_person: dict[int, list[Rec]] = {}
        for recs in (self.out.dms, self.out.aftersales, self.out.leads, self.out.contacts):
            for rec in recs:
                if rec.person is not None:
                    by_person.setdefault(rec.person.index, []).append(rec)
        for recs in by_person.values():
            systems = sorted({r.system for r in recs})
            if len(systems) >= 3:
                detail = f"{recs[0].person.pid} in {len(systems)} systems: {' '.join(systems)}"  # type: ignore[union-attr]
                for rec in recs:
                    self.out.traps.append(TrapEntry("three_systems", rec.system, rec, detail))


def rec_system(holder: Rec | Child) -> str:
    return holder.system if isinstance(holder, Rec) else holder.parent.system
