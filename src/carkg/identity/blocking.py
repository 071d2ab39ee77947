"""Blocking rules beyond shared identifiers: which records without a value in common are worth scoring.

`candidates` proposes pairs that share a trustworthy identifier or a distinctive name at a dealer. These
rules find the rest — a duplicate whose document number or phone was mistyped, a record from a source
with no dealer at all, a WeCom contact saved under a surname form — each as a key a record is filed
under; records under the same key are scored pairwise (the scorer, not the block, decides).

- `name_birth_year`: phonetic name (the pinyin; a Metaphone code per Latin word, in any order) + birth
  year — spelling variants of one name born the same year.
- `birth_date_city`: birth date + city — a name typed quite differently, same birthday and town.
- `birth_date_postcode`: birth date + postcode — the same, where the town was typed differently.
- `initial_surname_city`: given-name initial + phonetic surname + city — a given name shortened or mistyped.
- `near_phone`: the phone with one digit left out, at every position — a digit typed wrong, left out,
  added, or two neighbours swapped.
- `near_document`: the document number's one-edit keys (`near_document_keys`, hashed; none for a valid
  身份证, whose check digit rules such slips out) — the same slips in a passport or social-security number.
- `surname_handle_advisor`: surname + advisor, a surname form (小王, 王先生) on one side and a full name on
  the other — a WeCom contact saved as 小王 by the advisor who serves 王伟, and no other 王. Only when the
  advisor serves one full name of that surname: with two, the handle could be either (on the 20k demo
  that turned 6,600 mostly wrong review cases into 670 of which two in three are right). The scorer
  sends such a pair to review, not to a link: a surname, an advisor and a dealer are not enough.

A block holding more than `cap` records (`CARKG_IDENTITY_MAX_BLOCK`; 10 for `initial_surname_city`, a key
that is rarely distinctive in a big city; for the two-sided rule, more than cap·(cap−1)/2 pairs) proposes
nothing: it is logged with its key masked and skipped, so one common key cannot make the work
quadratic. The largest block kept per rule is reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

import jellyfish
import structlog

from carkg.identity.names import is_han, looks_like_full_name, pinyin_key, split_name, surname_form
from carkg.identity.records import Record

log = structlog.get_logger(__name__)

Key = tuple[Hashable, int]  # (block key, side): side 0 meets side 0; side 1 meets side 2 only


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    keys: Callable[[Record], Iterable[Key]]
    one_referent: bool = False  # two-sided: only blocks whose side 2 carries one name propose pairs
    apart: Callable[[Record], Hashable] | None = None  # pair only records that differ in this (near rules)
    max_block: int | None = None  # a tighter cap than the run's, for a key that is rarely distinctive


@dataclass
class BlockingReport:
    pairs: dict[str, int] = field(default_factory=dict)  # pairs each rule proposed (before de-duplication)
    largest: dict[str, int] = field(default_factory=dict)  # records in the largest block kept, per rule
    skipped: dict[str, int] = field(default_factory=dict)  # blocks over the cap, per rule


@lru_cache(maxsize=1 << 16)
def _code(word: str) -> str:
    return jellyfish.metaphone(word) or word


@lru_cache(maxsize=1 << 18)
def name_parts(name: str, pinyin: str) -> tuple[str, str, str] | None:
    """(phonetic full name, phonetic surname, given-name initial) of a full name; None for handles."""
    if not looks_like_full_name(name):
        return None
    if is_han(name):
        surname, given = split_name(name)
        surname_sound = pinyin_key(surname)
        return pinyin, surname_sound, pinyin_key(given)[:1]
    words = name.lower().replace("·", " ").split()
    return " ".join(sorted(_code(w) for w in words)), _code(words[-1]), words[0][:1]


def _name_birth_year(rec: Record) -> Iterable[Key]:
    parts = name_parts(rec.name, rec.pinyin or "") if rec.name else None
    if parts and rec.birth_date:
        yield (parts[0], rec.birth_date[:4]), 0


def _birth_date_city(rec: Record) -> Iterable[Key]:
    if rec.birth_date and rec.city:
        yield (rec.birth_date, rec.city.strip().lower()), 0


def _birth_date_postcode(rec: Record) -> Iterable[Key]:
    if rec.birth_date and rec.postcode:
        yield (rec.birth_date, rec.postcode.strip()), 0


def _initial_surname_city(rec: Record) -> Iterable[Key]:
    parts = name_parts(rec.name, rec.pinyin or "") if rec.name else None
    if parts and rec.city and parts[2]:
        yield (parts[2], parts[1], rec.city.strip().lower()), 0


@lru_cache(maxsize=1 << 20)
def _phone_keys(phone: str) -> tuple[str, ...]:
    digits = phone.lstrip("+")
    return tuple(digits[:k] + digits[k + 1 :] for k in range(len(digits)))


def _near_phone(rec: Record) -> Iterable[Key]:
    for phone in rec.phones:
        for key in _phone_keys(phone):
            yield ("phone", key), 0


def _near_document(rec: Record) -> Iterable[Key]:
    for key in rec.id_near:
        yield ("document", key), 0


def _surname_handle_advisor(rec: Record) -> Iterable[Key]:
    if not rec.name or not rec.advisors:
        return
    handle = surname_form(rec.name)
    if handle is not None:
        side, surname = 1, handle
    elif looks_like_full_name(rec.name) and is_han(rec.name):
        side, surname = 2, split_name(rec.name)[0]
    else:
        return
    for advisor in rec.advisors:
        yield (surname, advisor), side


RULES: tuple[Rule, ...] = (
    Rule("name_birth_year", _name_birth_year),
    Rule("birth_date_city", _birth_date_city),
    Rule("birth_date_postcode", _birth_date_postcode),
    Rule("initial_surname_city", _initial_surname_city, max_block=10),
    Rule("near_phone", _near_phone, apart=lambda rec: rec.phones),  # the same phone: already a candidate
    Rule("near_document", _near_document, apart=lambda rec: rec.ids),
    Rule("surname_handle_advisor", _surname_handle_advisor, one_referent=True),
)


def mask(key: Hashable) -> str:
    """A block key fit for a log: each part's first character, the rest starred (names, dates, phones)."""
    parts = key if isinstance(key, tuple) else (key,)
    return "·".join(str(p)[:1] + "*" * min(len(str(p)) - 1, 8) for p in parts)


def block(
    records: Sequence[Record], cap: int, rules: Sequence[Rule] = RULES
) -> tuple[set[tuple[int, int]], BlockingReport]:
    """Index pairs (i < j) the rules propose, and what each rule did."""
    pairs: set[tuple[int, int]] = set()
    report = BlockingReport()
    for rule in rules:
        limit = min(cap, rule.max_block or cap)
        max_pairs = limit * (limit - 1) // 2
        blocks: dict[Hashable, tuple[list[int], list[int], list[int]]] = defaultdict(lambda: ([], [], []))
        for i, rec in enumerate(records):
            for key, side in rule.keys(rec):
                blocks[key][side].append(i)
        proposed, largest, skipped = 0, 0, 0
        for key, (both, left, right) in blocks.items():
            both = sorted(set(both))
            size = len(both) + len(left) + len(right)
            count = len(both) * (len(both) - 1) // 2 + len(set(left)) * len(set(right))
            if count == 0 or (rule.one_referent and len({records[j].pinyin for j in right}) > 1):
                continue
            if rule.apart is not None and len({rule.apart(records[i]) for i in both}) == 1:
                continue  # every record here carries the same value: nothing near to find
            if len(both) > limit or count > max_pairs:
                skipped += 1
                log.info("block over cap skipped", rule=rule.name, key=mask(key), records=size, cap=limit)
                continue
            largest = max(largest, size)
            found = [(i, j) for i, j in combinations(both, 2)
                     if rule.apart is None or rule.apart(records[i]) != rule.apart(records[j])]
            found += [(min(i, j), max(i, j)) for i in set(left) for j in set(right) if i != j]
            proposed += len(found)
            pairs.update(found)
        report.pairs[rule.name], report.largest[rule.name], report.skipped[rule.name] = proposed, largest, skipped
    return pairs, report
