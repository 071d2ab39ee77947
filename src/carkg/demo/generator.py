"""`generate()`: a full, deterministic set of source-system exports plus the ground truth behind them.

The exports follow `loaders/README.md` exactly (names, headers, encodings); the truth goes to a separate
directory so nothing that loads the exports can peek at it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, fields
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

from carkg.demo import advisor_traits, content, lead_activity
from carkg.demo.badrows import BadRows
from carkg.demo.catalog import MODELS
from carkg.demo.records import Emitter, Exports, iso_day, moment
from carkg.demo.world import ANCHOR_DAY, CITY_PICKER, World, build_world
from carkg.demo.writers import ExportFile, write_csv, write_file

TRUTH_SYSTEMS = ("dms", "aftersales", "leads", "wecom")
DMS_CUSTOMER_HEADER = (
    "客户编号", "姓名", "手机号", "证件号码", "性别", "城市", "经销商编号", "顾问编号", "建档日期",
)  # fmt: skip
DMS_ORDER_HEADER = ("订单编号", "客户编号", "车架号", "车型", "成交日期", "成交价")
AFTERSALES_HEADER = (
    "service_id", "customer_no", "customer_name", "mobile", "vin", "model_name", "dealer_id", "service_date",
    "mileage_km", "service_type",
)  # fmt: skip


@dataclass(frozen=True)
class TrapRates:
    """How often each identity trap occurs; defaults are what a typical OEM's CRM data looks like."""

    front_desk_phone: float = 0.03  # dealer-system records carrying the dealer's front-desk phone
    test_number: float = 0.01  # records with a test number like 13800138000
    family_shared_phone: float = 0.04  # persons who share a phone with a family member
    family_shared_car: float = 0.02  # vehicles also serviced under a family member
    two_phones: float = 0.08  # persons who use a second phone in some system
    name_typo: float = 0.05  # records whose name is mistyped
    three_systems: float = 0.25  # persons present in three or more systems
    resold_car: float = 0.02  # vehicles resold to a different person later

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"trap rate {f.name} must be between 0 and 1, got {value}")


@dataclass(frozen=True)
class GenerateResult:
    out_dir: Path
    truth_path: Path  # truth.csv; truth_traps.csv sits next to it
    counts: dict[str, int]  # data rows per export file


DEFAULT_RATES = TrapRates()


def generate(
    out_dir: Path,
    customers: int = 20_000,
    seed: int = 42,
    rates: TrapRates = DEFAULT_RATES,
    truth_dir: Path | None = None,
    progress: bool = False,
    bad_row_rate: float = 0.003,
) -> GenerateResult:
    """Write every export of `loaders/README.md` for `customers` real persons; same seed, same bytes."""
    if customers < 1:
        raise ValueError(f"customers must be at least 1, got {customers}")
    if not 0.0 <= bad_row_rate <= 1.0:
        raise ValueError(f"bad_row_rate must be between 0 and 1, got {bad_row_rate}")
    out_dir = Path(out_dir)
    truth_dir = Path(truth_dir) if truth_dir is not None else out_dir.parent / "truth"
    with _progress(progress) as bar:
        rng = random.Random(seed)
        planning = bar.add_task("persons, cars, traps", total=1) if bar else None
        world = build_world(rng, customers, rates)
        advisor_traits.give_traits(random.Random(f"{seed}:advisors"), world)
        _finish(bar, planning)
        materials = content.materials(rng)
        groups = event_groups(rng, world)
        emitter = Emitter(rng, world, rates, materials, groups)
        records = bar.add_task("source records", total=customers) if bar else None
        out = emitter.emit_all(on_person=_ticker(bar, records))
        traces = random.Random(f"{seed}:advisor-traces")
        advisor_traits.hobby_chats(traces, out)
        advisor_traits.lead_cities(traces, out)
        BadRows(emitter, bad_row_rate).add_all()
        _finish(bar, records)
        number_records(out)
        # Its own random stream: the follow-up is added without changing a byte of the other exports.
        follow_up, propensities = lead_activity.activities(random.Random(f"{seed}:lead-activities"),
                                                           out.lead_outcomes)
        exports = [*export_files(world, materials, groups, out), _activity_file(follow_up)]
        out_dir.mkdir(parents=True, exist_ok=True)
        for export in exports:
            task = bar.add_task(export.name, total=export.count) if bar else None
            write_file(out_dir, export, _advance(bar, task))
        truth_path = write_truth(truth_dir, out)
        write_csv(truth_dir / "lead_propensity.csv", ("lead_id", "propensity", "converted"), propensities)
        write_csv(truth_dir / "advisor_fit.csv", ("lead_id", "advisor_id", "conversion_probability"),
                  advisor_traits.truth_rows(world, out.lead_outcomes))
    return GenerateResult(out_dir, truth_path, {e.name: e.count for e in exports})


# -- progress ---------------------------------------------------------------------------------------


def _progress(enabled: bool) -> AbstractContextManager[Any]:
    if not enabled:
        return nullcontext(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    )


def _advance(bar: Any, task: Any) -> Callable[[int], None]:
    if bar is None:
        return lambda _n: None
    return lambda n: bar.advance(task, n)


def _finish(bar: Any, task: Any) -> None:
    if bar is not None:
        bar.update(task, completed=bar.tasks[task].total)


def _ticker(bar: Any, task: Any) -> Callable[[], None] | None:
    """Advance the persons bar every 1000 persons: per-person updates would cost more than the work."""
    if bar is None:
        return None
    seen = [0]

    def tick() -> None:
        seen[0] += 1
        if seen[0] % 1000 == 0:
            bar.advance(task, 1000)

    return tick


# -- master data ------------------------------------------------------------------------------------


def event_groups(rng: random.Random, world: World) -> list[tuple[str, str, str, str, str]]:
    """(group_id, name, campaign, event_date, city): about one campaign group per dealer."""
    rows = []
    for i in range(max(8, len(world.dealers))):
        city = rng.choice(world.dealers).city if rng.random() < 0.8 else CITY_PICKER(rng)
        campaign = rng.choice(content.CAMPAIGNS)
        model = rng.choice(MODELS) if rng.random() < 0.5 else None
        when = iso_day(ANCHOR_DAY - rng.randrange(-20, 200))
        name = content.group_name(rng, city.name, campaign, model)
        rows.append((f"G{i + 1:04d}", name, campaign, when, city.name))
    return rows


# -- ids and rows -----------------------------------------------------------------------------------


def number_records(out: Exports) -> None:
    """Give every record the id its system would have: sequential in time order."""
    for recs, prefix, width in ((out.dms, "C", 7), (out.aftersales, "AS", 7), (out.leads, "LD", 8)):
        recs.sort(key=attrgetter("key"))
        for i, rec in enumerate(recs, start=1):
            rec.source_id = f"{prefix}{i:0{width}d}"
    out.contacts.sort(key=attrgetter("key"))
    for children, prefix in ((out.orders, "SO"), (out.services, "WO")):
        children.sort(key=attrgetter("key"))
        for i, child in enumerate(children, start=1):
            child.source_id = f"{prefix}{i:08d}"
    out.events.sort(key=itemgetter(0, 1))
    out.chats.sort(key=itemgetter(0, 1))


def export_files(
    world: World,
    materials: list[tuple[str, str, str, str]],
    groups: list[tuple[str, str, str, str, str]],
    out: Exports,
) -> list[ExportFile]:
    return [
        ExportFile("dealers.csv", len(world.dealers), lambda: (
            (d.dealer_id, d.name, d.city.name, ";".join(d.brands), d.front_desk, *d.location) for d in world.dealers
        ), ("dealer_id", "dealer_name", "city", "brand_codes", "front_desk_phone", "latitude", "longitude")),
        ExportFile("advisors.csv", len(world.advisors), lambda: (
            (a.advisor_id, a.name, a.dealer.dealer_id, a.mobile, a.brand, f"{a.rating:.1f}",
             *advisor_traits.profile_columns(a))
            for a in world.advisors
        ), ("advisor_id", "advisor_name", "dealer_id", "mobile", "brand_code", "rating", "languages", "services",
            "interests")),
        ExportFile("materials.csv", len(materials), lambda: materials,
                   ("material_id", "title", "kind", "model_code")),
        ExportFile("event_groups.csv", len(groups), lambda: groups,
                   ("group_id", "name", "campaign", "event_date", "city")),
        ExportFile("dms_customers.csv", len(out.dms), lambda: (
            (r.source_id, *r.row.values()) for r in out.dms
        ), DMS_CUSTOMER_HEADER, "gbk"),
        ExportFile("dms_orders.csv", len(out.orders), lambda: (
            (o.source_id, o.parent.source_id, *o.row.values()) for o in out.orders
        ), DMS_ORDER_HEADER, "gbk"),
        ExportFile("aftersales_service.csv", len(out.services), lambda: _service_rows(out), AFTERSALES_HEADER,
                   "utf-8-sig"),
        ExportFile("leads.jsonl", len(out.leads), lambda: (
            {"lead_id": r.source_id, **r.row} for r in out.leads
        )),
        ExportFile("wecom_contacts.jsonl", len(out.contacts), lambda: (r.row for r in out.contacts)),
        ExportFile("wecom_events.jsonl", len(out.events), lambda: _event_rows(out), encoded=True),
        ExportFile("chat_messages.jsonl", len(out.chats), lambda: _chat_rows(out)),
    ]  # fmt: skip


def _activity_file(follow_up: list[lead_activity.LeadActivity]) -> ExportFile:
    return ExportFile("lead_activities.jsonl", len(follow_up), lambda: (
        {"activity_id": f"LA{i:09d}", "lead_id": a.lead.source_id, "type": a.kind, "at": moment(a.ts)}
        for i, a in enumerate(follow_up, start=1)
    ))  # fmt: skip


def _service_rows(out: Exports) -> Iterator[tuple[str, ...]]:
    for s in out.services:
        row, owner = s.row, s.parent
        yield (
            s.source_id, owner.source_id, owner.row["customer_name"], owner.row["mobile"], row["vin"],
            row["model_name"], row["dealer_id"], row["service_date"], row["mileage_km"], row["service_type"],
        )  # fmt: skip


def _event_rows(out: Exports) -> Iterator[str]:
    """Pre-encoded JSON: every field is a plain ASCII id, and this is the biggest file by far."""
    for i, (ts, _seq, rec, kind, target, channel) in enumerate(out.events, start=1):
        optional = f', "target_id": "{target}"' if target else ""
        optional += f', "channel": "{channel}"' if channel else ""
        yield (
            f'{{"event_id": "EV{i:09d}", "external_userid": "{rec.source_id}", "type": "{kind}"{optional}, '
            f'"at": "{moment(ts)}"}}'
        )


def _chat_rows(out: Exports) -> Iterator[dict[str, str]]:
    for i, (ts, _seq, rec, advisor_id, direction, text) in enumerate(out.chats, start=1):
        yield {
            "message_id": f"MSG{i:09d}", "external_userid": rec.source_id, "advisor_id": advisor_id,
            "direction": direction, "text": text, "at": moment(ts),
        }  # fmt: skip


# -- ground truth -----------------------------------------------------------------------------------


def write_truth(truth_dir: Path, out: Exports) -> Path:
    """truth.csv (every good customer-level record -> person) and truth_traps.csv (record -> trap)."""
    records = [
        (rec.system, rec.source_id, rec.person.pid)
        for recs in (out.dms, out.aftersales, out.leads, out.contacts)
        for rec in recs
        if rec.person is not None
    ]
    order = {s: i for i, s in enumerate(TRUTH_SYSTEMS)}
    records.sort(key=lambda r: (order[r[0]], r[1]))
    truth_path = truth_dir / "truth.csv"
    write_csv(truth_path, ("system", "source_id", "person_id"), records)
    traps = sorted({(t.trap, t.system, t.holder.source_id, t.detail) for t in out.traps})
    write_csv(truth_dir / "truth_traps.csv", ("trap", "system", "source_id", "detail"), traps)
    return truth_path


__all__ = ["DEFAULT_RATES", "GenerateResult", "TrapRates", "generate"]
