"""Deliberately invalid rows for the customer-level files, so every demo load exercises the reject path.

Each bad row belongs to a throwaway "ghost" person (never in the ground truth) and is otherwise realistic,
with exactly one broken field; the kinds cycle so that every kind appears once a file has a few bad rows.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from carkg.demo import identifiers as ids
from carkg.demo.catalog import BRAND_BY_CODE, Model
from carkg.demo.records import DAY_SECONDS, Child, Emitter, Rec, TrapEntry, iso_day
from carkg.demo.world import ANCHOR_DAY, MODEL_PICKER, Holding, Person, Vehicle, make_person

BAD_DATE = "2026-13-45"


def bad_phone(rng: random.Random) -> str:
    """Seven digits, as when a clerk stops typing halfway: `1381234`."""
    return rng.choice(ids.MOBILE_PREFIXES) + f"{rng.randrange(10_000):04d}"


def bad_id_checksum(number: str) -> str:
    wrong = [c for c in ids.ID_CHECK_CHARS if c != number[17]]
    return number[:17] + wrong[sum(map(ord, number)) % len(wrong)]


def vin_wrong_check(rng: random.Random, vin: str) -> str:
    return vin[:8] + rng.choice([c for c in "0123456789X" if c != vin[8]]) + vin[9:]


def vin_letter_o(rng: random.Random, vin: str) -> str:
    """An O typed for a zero somewhere other than the check digit."""
    pos = rng.choice((3, 4, 5, 6, 7, 11, 12, 13, 14, 15, 16))
    return vin[:pos] + "O" + vin[pos + 1 :]


class BadRows:
    def __init__(self, emitter: Emitter, rate: float) -> None:
        self.em = emitter
        self.rng = emitter.rng
        self.rate = rate
        self.ghosts = 0
        self.good_dms = [r for r in emitter.out.dms if r.person is not None]

    def count(self, good_rows: int) -> int:
        if self.rate <= 0 or good_rows == 0:
            return 0
        return max(1, round(good_rows * self.rate))

    def ghost(self) -> Person:
        self.ghosts += 1
        return make_person(self.rng, -self.ghosts, self.em.dealers, self.em.world.phones_taken)

    def flag(self, holder: Rec | Child, system: str, file: str, field: str, value: str) -> None:
        detail = f"file={file}; field={field}; value={value}"
        self.em.out.traps.append(TrapEntry("bad_row", system, holder, detail))

    def add_all(self) -> None:
        """Append bad rows to every customer-level file; they sort in among the good rows by date."""
        out = self.em.out
        self.em.clean = True
        try:
            plan: list[tuple[int, list[Callable[[], None]]]] = [
                (len(out.dms), [self.dms_phone, self.dms_id, self.dms_date, self.dms_gender]),
                (len(out.orders), [self.order_vin_check, self.order_vin_o, self.order_date]),
                (len(out.services), [self.service_vin_check, self.service_vin_o, self.service_date,
                                     self.service_type, self.service_phone]),
                (len(out.leads), [self.lead_stage, self.lead_channel, self.lead_date, self.lead_phone]),
                (len(out.contacts), [self.contact_date, self.contact_phone]),
            ]  # fmt: skip
            for good, kinds in plan:
                start = self.rng.randrange(len(kinds))
                for i in range(self.count(good)):
                    kinds[(start + i) % len(kinds)]()
        finally:
            self.em.clean = False

    # -- DMS customers ------------------------------------------------------------------------------

    def _dms(self, column: str, value: str) -> None:
        rec = self.em.dms_customer(self.ghost())
        rec.person = None
        rec.row[column] = value
        self.flag(rec, "dms", "dms_customers.csv", column, value)

    def dms_phone(self) -> None:
        self._dms("手机号", bad_phone(self.rng))

    def dms_id(self) -> None:
        ghost = self.ghost()
        rec = self.em.dms_customer(ghost)
        rec.person = None
        rec.row["证件号码"] = value = bad_id_checksum(ghost.id_number)
        self.flag(rec, "dms", "dms_customers.csv", "证件号码", value)

    def dms_date(self) -> None:
        self._dms("建档日期", BAD_DATE)

    def dms_gender(self) -> None:
        self._dms("性别", "未知")

    # -- DMS orders (for real customers: the order row alone is broken) -----------------------------

    def _order(self, column: str, make: Callable[[str], str]) -> None:
        if not self.good_dms:
            return
        parent = self.rng.choice(self.good_dms)
        model = self._any_model()
        vin = self._vin(model, 2025)
        when = ANCHOR_DAY - self.rng.randrange(10, 900)
        row = {"车架号": vin, "车型": self.rng.choice(model.sales_names), "成交日期": iso_day(when),
               "成交价": str(self.rng.randrange(800, 3000) * 100)}  # fmt: skip
        row[column] = value = make(row[column])
        child = Child(parent, (when, self.em.next_seq()), row)
        self.em.out.orders.append(child)
        self.flag(child, "dms_orders", "dms_orders.csv", column, value)

    def order_vin_check(self) -> None:
        self._order("车架号", lambda vin: vin_wrong_check(self.rng, vin))

    def order_vin_o(self) -> None:
        self._order("车架号", lambda vin: vin_letter_o(self.rng, vin))

    def order_date(self) -> None:
        self._order("成交日期", lambda _vin: BAD_DATE)

    # -- after-sales --------------------------------------------------------------------------------

    def _service(self, column: str, make: Callable[[str], str]) -> None:
        ghost = self.ghost()
        bought = ANCHOR_DAY - self.rng.randrange(70, 140)  # recent purchase: exactly one service row
        vehicle = Vehicle(self._vin(ghost.model, 2026), ghost.model, bought, ghost, False, 0)
        rec = self.em.aftersales_record(Holding(ghost, vehicle, bought, ANCHOR_DAY))
        rec.person = None
        child = next(c for c in reversed(self.em.out.services) if c.parent is rec)
        row = child.row if column in child.row else rec.row
        row[column] = value = make(row[column])
        self.flag(rec, "aftersales", "aftersales_service.csv", column, value)

    def service_vin_check(self) -> None:
        self._service("vin", lambda vin: vin_wrong_check(self.rng, vin))

    def service_vin_o(self) -> None:
        self._service("vin", lambda vin: vin_letter_o(self.rng, vin))

    def service_date(self) -> None:
        self._service("service_date", lambda _d: BAD_DATE)

    def service_type(self) -> None:
        self._service("service_type", lambda _t: "cleaning")

    def service_phone(self) -> None:
        self._service("mobile", lambda _m: bad_phone(self.rng))

    # -- leads --------------------------------------------------------------------------------------

    def _lead(self, field: str, value: str) -> None:
        when = (ANCHOR_DAY - self.rng.randrange(1, 600)) * DAY_SECONDS + 10 * 3600
        rec = self.em.lead(self.ghost(), "web", when)
        rec.person = None
        rec.row["stage"] = self.rng.choice(("new", "contacted"))
        rec.row[field] = value
        self.flag(rec, "leads", "leads.jsonl", field, value)

    def lead_stage(self) -> None:
        self._lead("stage", "maybe")

    def lead_channel(self) -> None:
        self._lead("channel", "tiktok")

    def lead_date(self) -> None:
        self._lead("created_at", f"{BAD_DATE}T10:00:00+08:00")

    def lead_phone(self) -> None:
        self._lead("phone", bad_phone(self.rng))

    # -- WeCom contacts -----------------------------------------------------------------------------

    def _contact(self, field: str, value: str) -> None:
        rec = self.em.contact(self.ghost(), activity=False)
        rec.person = None
        rec.row[field] = value
        self.flag(rec, "wecom", "wecom_contacts.jsonl", field, value)

    def contact_date(self) -> None:
        self._contact("added_at", f"{BAD_DATE}T09:30:00+08:00")

    def contact_phone(self) -> None:
        self._contact("phone", bad_phone(self.rng))

    # -- helpers ------------------------------------------------------------------------------------

    def _vin(self, model: Model, year: int) -> str:
        brand = BRAND_BY_CODE[model.brand]
        return ids.vin(self.rng, brand.wmi, model.vds, year, brand.plants[0], self.em.world.vins_taken)

    def _any_model(self) -> Model:
        return MODEL_PICKER(self.rng)
