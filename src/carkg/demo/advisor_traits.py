"""What makes an advisor right for a customer, hidden in the demo world and left in the data as traces.

Each advisor has models they know best, hobbies, services they handle (新能源, 金融, 置换), a knack for
closing (`skill`) and a pace of replying to chats; each person may have a hobby. None of that is exported
as such: the profile a dealer manager keeps (languages, services, hobbies) is in advisors.csv, a person's
hobby shows up in one of their chats, the pace in the chat times, and model knowledge and skill show only
in history — customers of a model go more often to the advisors who know it, and the persons who bought
went more often to well-fitting advisors.

`fit` is the hidden truth the advisor evaluation is scored against: for the newest leads, every candidate
advisor (the brand's advisors at dealers in the person's city, else the province, else anywhere) with
the probability that they would have converted the lead. Everything here draws from its own random
streams, so the other exports keep the choices they had; only the advisor ids differ.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable

from carkg.demo.catalog import MODELS_BY_BRAND
from carkg.demo.records import DAY_SECONDS, Exports, Rec, daytime
from carkg.demo.world import ANCHOR_DAY, Advisor, Dealer, Person, World

# Tag code -> how people write it. The keyword dictionary (loaders/dictionaries/phrases.yaml) knows these.
INTERESTS: dict[str, str] = {
    "interest_camping": "露营", "interest_fishing": "钓鱼", "interest_photography": "摄影",
    "interest_road_trip": "自驾游", "interest_cycling": "骑行", "interest_golf": "高尔夫",
    "interest_family_outing": "亲子游",
}  # fmt: skip
SERVICES = ("新能源", "金融", "置换", "大客户")
REPLAY_DAYS = 90  # leads created this close to the anchor are the ones the evaluation replays
_LINES = (
    "我周末经常去{hobby}，车子空间要大一点",
    "平时喜欢{hobby}，想找台适合的车",
    "我们一家常去{hobby}，后备箱能放下装备吗",
    "最近迷上了{hobby}，想换台车方便出行",
)


def give_traits(rng: random.Random, world: World) -> None:
    """Advisors' strengths and profiles; persons' hobbies; each person's usual advisor. The persons who
    bought went more often to a well-fitting advisor, the others less often — so fit shows in who served
    and converted whom. Choosing the advisor per person (not per lead) keeps every record of a person at
    the same advisor, so One ID sees the evidence it saw before advisors had strengths."""
    codes = list(INTERESTS)
    for a in world.advisors:
        models = [m.code for m in MODELS_BY_BRAND.get(a.brand, ())]
        a.specialties = tuple(rng.sample(models, min(len(models), rng.choice((1, 1, 2)))))
        a.interests = tuple(rng.sample(codes, rng.choice((1, 2, 2))))
        a.languages = ("普通话", *(("粤语",) if a.dealer.city.province == "广东" and rng.random() < 0.7 else ()),
                       *(("英语",) if rng.random() < 0.15 else ()))
        a.services = tuple(s for s in SERVICES if rng.random() < 0.25)
        a.skill = rng.gauss(0.0, 0.6)
        a.reply_pace = rng.lognormvariate(0.0, 0.6)
    for p in world.persons:
        p.interest = rng.choice(codes) if rng.random() < 0.7 else None
        options = [a for a in p.dealer.advisors if a.brand == p.model.brand] or p.dealer.advisors
        bought = any(v.ordered for v in p.vehicles)
        p.advisor = _weighted(rng, options, [math.exp(fit(p, a) if bought else -0.3 * fit(p, a)) for a in options])


def fit(p: Person, a: Advisor) -> float:
    """Hidden: how well `a` suits `p`, on a log-odds scale (the part that does not depend on the lead)."""
    locality = 0.0 if a.dealer.city is p.city else -0.8 if a.dealer.city.province == p.city.province else -1.6
    return (1.4 * (p.model.code in a.specialties) + 1.0 * (p.interest in a.interests) + a.skill + locality
            - 0.8 * (p.model.brand != a.brand))


def conversion_probability(p: Person, a: Advisor) -> float:
    return 1.0 / (1.0 + math.exp(-(fit(p, a) - 1.0)))


def hobby_chats(rng: random.Random, out: Exports) -> None:
    """One message per chatting contact whose person has a hobby, saying so (the keyword tagger reads it)."""
    talking = {id(rec) for _ts, _seq, rec, _a, direction, _t in out.chats if direction == "in"}
    added = []
    for rec in out.contacts:
        p = rec.person
        if p is None or p.interest is None or id(rec) not in talking or rng.random() >= 0.8:
            continue
        ts = daytime(rng, ANCHOR_DAY - rng.randrange(0, 180))
        text = rng.choice(_LINES).format(hobby=INTERESTS[p.interest])
        added.append((ts, 1 << 40 | len(added), rec, str(rec.row["advisor_id"]), "in", text))
    out.chats.extend(added)
    out.chats.sort(key=lambda c: (c[0], c[1]))


def lead_cities(rng: random.Random, out: Exports) -> None:
    """Lead platforms ask for the city of purchase (购车城市) on the form: most leads carry the person's."""
    for rec in out.leads:
        if rec.person is not None and rng.random() < 0.75:
            rec.row["city"] = rec.person.city.name


def candidates(world: World, p: Person) -> list[Advisor]:
    """The advisors a customer of this brand could be sent to: the city's dealers, else the province's,
    else every dealer of the brand."""
    selling = [d for d in world.dealers if p.model.brand in d.brands]
    for near in ([d for d in selling if d.city is p.city],
                 [d for d in selling if d.city.province == p.city.province], selling):
        if near:
            return [a for d in near for a in _brand_advisors(d, p.model.brand)]
    return []


def _brand_advisors(d: Dealer, brand: str) -> list[Advisor]:
    return [a for a in d.advisors if a.brand == brand] or d.advisors


def truth_rows(world: World, outcomes: Iterable[tuple[Rec, bool]]) -> list[tuple[str, str, str]]:
    """(lead_id, advisor_id, probability that advisor would have converted it) for the newest leads."""
    since = (ANCHOR_DAY - REPLAY_DAYS) * DAY_SECONDS
    rows: list[tuple[str, str, str]] = []
    for lead, _converted in outcomes:
        p = lead.person
        if p is None or lead.key[0] < since:
            continue
        rows += [(lead.source_id, a.advisor_id, f"{conversion_probability(p, a):.4f}") for a in candidates(world, p)]
    return rows


def profile_columns(a: Advisor) -> tuple[str, str, str]:
    """advisors.csv's languages, services and interests columns (the dealer manager's profile)."""
    return ";".join(a.languages), ";".join(a.services), ";".join(INTERESTS[c] for c in a.interests)


def _weighted(rng: random.Random, options: list[Advisor], weights: list[float]) -> Advisor:
    return rng.choices(options, weights)[0]
