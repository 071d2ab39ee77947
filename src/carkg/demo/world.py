"""The hidden truth behind the exports: dealers, advisors, real persons, their cars and the traps that
link different persons (shared family phones and cars, resold cars).

Everything here is decided before a single export row is written, so every source system describes the
same world and the ground truth falls out of it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from carkg.demo import identifiers as ids
from carkg.demo import names
from carkg.demo.catalog import BRAND_BY_CODE, BRANDS, MODELS, MODELS_BY_BRAND, Model
from carkg.demo.content import dealer_name
from carkg.demo.places import CITIES, HOMETOWNS, City, somewhere_in
from carkg.demo.sampling import Picker

if TYPE_CHECKING:
    from carkg.demo.generator import TrapRates

ANCHOR = date(2026, 10, 31)
ANCHOR_DAY = ANCHOR.toordinal()
SYSTEMS = ("dms", "aftersales", "leads", "wecom")


@dataclass(slots=True, eq=False)
class Advisor:
    advisor_id: str
    name: str
    dealer: Dealer
    mobile: str
    brand: str
    rating: float
    # Hidden strengths and the manager's profile (carkg.demo.advisor_traits).
    specialties: tuple[str, ...] = ()  # model codes they know best
    interests: tuple[str, ...] = ()  # interest tag codes
    languages: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    skill: float = 0.0
    reply_pace: float = 1.0  # their replies take this times the usual delay


@dataclass(slots=True, eq=False)
class Dealer:
    dealer_id: str
    name: str
    city: City
    brands: list[str]
    front_desk: str
    advisors: list[Advisor] = field(default_factory=list)
    location: tuple[float, float] = (0.0, 0.0)  # (latitude, longitude)


@dataclass(slots=True, eq=False)
class Holding:
    """A person's spell with a car as the after-sales system sees it (one customer_no, its services)."""

    person: Person
    vehicle: Vehicle
    start: int  # day ordinal
    end: int
    traps: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Vehicle:
    vin: str
    model: Model
    bought: int  # day ordinal
    buyer: Person
    ordered: bool  # sold through the DMS (has an order row)
    price: int
    holdings: list[Holding] = field(default_factory=list)
    traps: list[tuple[str, str]] = field(default_factory=list)  # carried by the buyer's DMS record


@dataclass(slots=True, eq=False)
class Person:
    index: int
    pid: str
    surname: str
    given: str
    male: bool
    born: date
    city: City
    id_number: str
    phones: list[str]
    unionid: str | None
    device_id: str
    model: Model
    budget: int
    dealer: Dealer
    advisor: Advisor
    systems: set[str] = field(default_factory=set)
    vehicles: list[Vehicle] = field(default_factory=list)
    shared_phone: tuple[str, str] | None = None  # (number, detail)
    second_phone_system: str | None = None
    interest: str | None = None  # a hobby's interest tag code (carkg.demo.advisor_traits)

    @property
    def name(self) -> str:
        return self.surname + self.given


@dataclass(slots=True)
class World:
    dealers: list[Dealer]
    advisors: list[Advisor]
    persons: list[Person]
    vehicles: list[Vehicle]
    phones_taken: set[str]
    vins_taken: set[str]
    linked: set[int]  # persons already in a family trap


_SYSTEM_PICKER = Picker(SYSTEMS, (0.22, 0.14, 0.34, 0.30))
CITY_PICKER = Picker(list(CITIES), [c.weight for c in CITIES])
BRAND_PICKER = Picker([b.code for b in BRANDS], [b.weight for b in BRANDS])
_BRAND_WEIGHT = {b.code: b.weight for b in BRANDS}
_BRAND_MODEL_TOTAL = {code: sum(m.weight for m in models) for code, models in MODELS_BY_BRAND.items()}
_ORDER_COUNT = Picker((0, 1, 2), (0.25, 0.65, 0.10))
MODEL_PICKER = Picker(
    MODELS, [_BRAND_WEIGHT[m.brand] * m.weight / _BRAND_MODEL_TOTAL[m.brand] for m in MODELS]
)


def day(ordinal: int) -> date:
    return date.fromordinal(ordinal)


# -- dealers and advisors ---------------------------------------------------------------------------


def build_dealers(rng: random.Random, customers: int, phones: set[str]) -> tuple[list[Dealer], list[Advisor]]:
    """~40 dealers per 20k customers (at least 5), ~8 advisors each; every brand has a dealer."""
    count = max(5, round(customers / 500))
    dealers: list[Dealer] = []
    taken_names: set[str] = set()
    for i in range(count):
        city = CITY_PICKER(rng)
        brands = [BRAND_PICKER(rng)]
        if rng.random() < 0.15:
            extra = BRAND_PICKER(rng)
            if extra not in brands:
                brands.append(extra)
        dealers.append(Dealer(f"D{i + 1:04d}", "", city, brands, _front_desk(rng, city, phones)))
    for brand in BRANDS:
        if not any(brand.code in d.brands for d in dealers):
            rng.choice(dealers).brands.append(brand.code)
    for d in dealers:
        d.name = dealer_name(rng, d.city.name, d.brands, taken_names)
        # Its own random stream per dealer: placing dealers changes no other byte of the exports.
        d.location = somewhere_in(d.city, random.Random(f"dealer-location:{d.dealer_id}:{d.name}"))
    advisors: list[Advisor] = []
    for d in dealers:
        for _ in range(rng.randint(6, 10)):
            male = rng.random() < 0.6
            advisor = Advisor(
                f"A{len(advisors) + 1:05d}", names.surname(rng) + names.given_name(rng, male), d,
                ids.mobile(rng, phones), rng.choice(d.brands), _rating(rng),
            )
            d.advisors.append(advisor)
            advisors.append(advisor)
    return dealers, advisors


def _front_desk(rng: random.Random, city: City, phones: set[str]) -> str:
    if rng.random() < 0.8:
        return ids.landline(rng, city.area_code, city.local_digits, phones)
    return ids.mobile(rng, phones)


def _rating(rng: random.Random) -> float:
    return round(min(5.0, max(1.0, rng.gauss(4.3, 0.5))), 1)


class DealerIndex:
    """Where a customer in a city interested in a brand is most likely to be served."""

    def __init__(self, dealers: list[Dealer]) -> None:
        self.all = dealers
        self.by_city_brand: dict[tuple[str, str], list[Dealer]] = {}
        self.by_brand: dict[str, list[Dealer]] = {}
        self.by_city: dict[str, list[Dealer]] = {}
        for d in dealers:
            self.by_city.setdefault(d.city.name, []).append(d)
            for b in d.brands:
                self.by_city_brand.setdefault((d.city.name, b), []).append(d)
                self.by_brand.setdefault(b, []).append(d)

    def pick(self, rng: random.Random, city: City, brand: str) -> Dealer:
        options = (
            self.by_city_brand.get((city.name, brand))
            or (self.by_city.get(city.name) if rng.random() < 0.3 else None)
            or self.by_brand.get(brand)
            or self.all
        )
        return rng.choice(options)


def pick_advisor(rng: random.Random, dealer: Dealer, brand: str) -> Advisor:
    matching = [a for a in dealer.advisors if a.brand == brand]
    return rng.choice(matching or dealer.advisors)


# -- persons ----------------------------------------------------------------------------------------


def make_person(rng: random.Random, index: int, dealers: DealerIndex, phones: set[str]) -> Person:
    """A real person with consistent identity: ID number agrees with birth date, gender and a real area."""
    male = rng.random() < 0.62
    age_days = int(rng.triangular(22, 66, 34) * 365.25) + rng.randrange(365)
    born = ANCHOR - timedelta(days=age_days)
    city = CITY_PICKER(rng)
    area = _birthplace(rng, city)
    model: Model = MODEL_PICKER(rng)
    dealer = dealers.pick(rng, city, model.brand)
    mid = sum(model.price) / 2
    return Person(
        index=index,
        pid=f"P{index + 1:07d}",
        surname=names.surname(rng),
        given=names.given_name(rng, male),
        male=male,
        born=born,
        city=city,
        id_number=ids.id_number(rng, area, born, male),
        phones=[ids.mobile(rng, phones)],
        unionid=ids.unionid(rng) if rng.random() < 0.85 else None,
        device_id=ids.device_id(rng),
        model=model,
        budget=int(round(mid * rng.uniform(0.8, 1.25), -4)),
        dealer=dealer,
        advisor=pick_advisor(rng, dealer, model.brand),
    )


def _birthplace(rng: random.Random, city: City) -> str:
    """Most ID numbers were issued where the person lives; many urban buyers were born elsewhere."""
    roll = rng.random()
    if roll < 0.7:
        return rng.choice(city.districts)
    return rng.choice(HOMETOWNS if roll < 0.9 else CITY_PICKER(rng).districts)


def pick_systems(rng: random.Random, three_or_more: float) -> set[str]:
    """1..4 systems; `three_or_more` of persons land in at least three."""
    many = rng.random() < three_or_more
    k = (4 if rng.random() < 0.3 else 3) if many else (1 if rng.random() < 0.35 else 2)
    chosen: set[str] = set()
    while len(chosen) < k:
        chosen.add(_SYSTEM_PICKER(rng))
    return chosen


# -- vehicles ---------------------------------------------------------------------------------------


def add_vehicle(
    world: World, rng: random.Random, person: Person, model: Model, bought: int, ordered: bool
) -> Vehicle:
    brand = BRAND_BY_CODE[model.brand]
    low, high = model.price
    price = int(round(rng.uniform(low, high) * rng.uniform(0.9, 1.0), -2))
    year = day(bought).year + (1 if day(bought).month >= 10 and rng.random() < 0.5 else 0)
    vin = ids.vin(rng, brand.wmi, model.vds, year, rng.choice(brand.plants), world.vins_taken)
    vehicle = Vehicle(vin, model, bought, person, ordered, price)
    person.vehicles.append(vehicle)
    world.vehicles.append(vehicle)
    return vehicle


def give_vehicles(world: World, rng: random.Random, person: Person) -> None:
    """DMS customers get 0..2 orders; after-sales customers without one bought their car elsewhere."""
    if "dms" in person.systems:
        orders = _ORDER_COUNT(rng)
        first = ANCHOR_DAY - rng.randrange(10, 5 * 365)
        for n in range(orders):
            bought = first if n == 0 else min(ANCHOR_DAY - 5, first + rng.randrange(200, 1500))
            model = person.model if n == 0 else rng.choice(MODELS_BY_BRAND[person.model.brand])
            add_vehicle(world, rng, person, model, bought, ordered=True)
    if "aftersales" not in person.systems:
        return
    if not person.vehicles:
        for _ in range(1 if rng.random() < 0.9 else 2):
            model = person.model if rng.random() < 0.6 else MODEL_PICKER(rng)
            add_vehicle(world, rng, person, model, ANCHOR_DAY - rng.randrange(60, 7 * 365), ordered=False)
    # A car bought elsewhere is only known through its services; a DMS car may be serviced elsewhere.
    serviced = [v for v in person.vehicles if not v.ordered or rng.random() < 0.9] or person.vehicles[:1]
    for v in serviced:
        v.holdings.append(Holding(person, v, v.bought, ANCHOR_DAY))


# -- traps that link different persons -------------------------------------------------------------


def _free_person(world: World, rng: random.Random, exclude: Person | None = None) -> Person | None:
    """A person not yet in any family trap (None when tiny demos run out of them)."""
    for _ in range(1000):
        other = rng.choice(world.persons)
        if other is not exclude and other.index not in world.linked:
            return other
    return None


def make_relative(world: World, rng: random.Random, a: Person, b: Person) -> str:
    """Turn `b` into `a`'s family: same city and dealer, usually the same surname (parent, child)."""
    world.linked.update((a.index, b.index))
    b.city = a.city
    b.dealer = a.dealer
    b.advisor = pick_advisor(rng, a.dealer, b.model.brand)
    if rng.random() < 0.65:
        b.surname = a.surname
        return "same surname"
    return "spouse"


def share_family_phones(world: World, rng: random.Random, rate: float) -> None:
    """`rate` of persons share a phone with a family member: pairs, so rate/2 pairs per person."""
    for _ in range(round(rate * len(world.persons) / 2)):
        a = _free_person(world, rng)
        b = _free_person(world, rng, a) if a else None
        if a is None or b is None:
            return
        relation = make_relative(world, rng, a, b)
        number = a.phones[0]
        b.phones[0] = number
        detail = f"phone {number} shared by {a.pid} and {b.pid} ({relation})"
        a.shared_phone = b.shared_phone = (number, detail)


def share_family_cars(world: World, rng: random.Random, rate: float) -> None:
    """`rate` of vehicles are also serviced under a family member (a different person, same VIN)."""
    candidates = [v for v in world.vehicles if v.buyer.index not in world.linked]
    count = min(len(candidates), round(rate * len(world.vehicles)))
    for v in rng.sample(candidates, count):
        a = v.buyer
        b = _free_person(world, rng, a) if a.index not in world.linked else None
        if b is None:
            continue
        relation = make_relative(world, rng, a, b)
        start = min(ANCHOR_DAY - 30, v.bought + rng.randrange(30, 400))
        detail = f"vin {v.vin} serviced by {a.pid} and family member {b.pid} ({relation})"
        b.systems.add("aftersales")
        v.holdings.append(Holding(b, v, start, ANCHOR_DAY, [("family_shared_car", detail)]))
        _mark_owner_records(v, a, "family_shared_car", detail)


def resell_cars(world: World, rng: random.Random, rate: float) -> None:
    """`rate` of vehicles: ordered by A in the DMS, later serviced under an unrelated buyer B."""
    candidates = [
        v for v in world.vehicles
        if v.ordered and v.bought <= ANCHOR_DAY - 400 and all(h.person is v.buyer for h in v.holdings)
    ]  # fmt: skip
    count = min(len(candidates), round(rate * len(world.vehicles)))
    for v in rng.sample(candidates, count):
        a = v.buyer
        b = _free_person(world, rng, a)
        if b is None:
            return
        resold = rng.randrange(v.bought + 365, ANCHOR_DAY - 30)
        detail = f"vin {v.vin} sold to {a.pid}, resold {day(resold).isoformat()} to {b.pid}"
        for h in v.holdings:
            h.end = resold
        _mark_owner_records(v, a, "resold_car", detail)
        b.systems.add("aftersales")
        v.holdings.append(Holding(b, v, resold, ANCHOR_DAY, [("resold_car", detail)]))


def _mark_owner_records(v: Vehicle, owner: Person, trap: str, detail: str) -> None:
    if v.ordered:
        v.traps.append((trap, detail))
    for h in v.holdings:
        if h.person is owner:
            h.traps.append((trap, detail))


def give_second_phones(world: World, rng: random.Random, rate: float) -> None:
    """`rate` of persons use a second phone in one of their systems (only persons seen twice can show it)."""
    eligible = [p for p in world.persons if len(p.systems) >= 2]
    for p in rng.sample(eligible, min(len(eligible), round(rate * len(world.persons)))):
        p.phones.append(ids.mobile(rng, world.phones_taken))
        # WeCom contacts often carry no phone at all, so prefer a system that will show the number.
        p.second_phone_system = rng.choice(sorted(p.systems - {"wecom"}) or ["wecom"])


def build_world(rng: random.Random, customers: int, rates: TrapRates) -> World:
    phones: set[str] = set()
    dealers, advisors = build_dealers(rng, customers, phones)
    index = DealerIndex(dealers)
    persons = [make_person(rng, i, index, phones) for i in range(customers)]
    world = World(dealers, advisors, persons, [], phones, set(), set())
    for p in persons:
        p.systems = pick_systems(rng, rates.three_systems)
        give_vehicles(world, rng, p)
    share_family_phones(world, rng, rates.family_shared_phone)
    share_family_cars(world, rng, rates.family_shared_car)
    resell_cars(world, rng, rates.resold_car)
    give_second_phones(world, rng, rates.two_phones)
    return world
