"""Candidate pairs (blocking): which record pairs are worth scoring at all.

Three ways in: the records share a trustworthy identifier value (phone, ID, unionid, device, VIN); they
carry the same distinctive name (by pinyin) at the same dealer; or one carries a given-name form of the
other's full name (嘉佳, Jiajia for 王嘉佳) at the same dealer. Suspect identifiers never reach
this step (see hygiene); an identifier value shared by more than `max_group` records, and a name carried
by more than `max_name_records` records, propose no pairs, so one bad value cannot make the work quadratic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from itertools import combinations

from carkg.identity.names import given_keys, is_distinctive
from carkg.identity.records import IDENTIFIERS, Record


def _pairs_of(groups: Iterable[list[int]], max_group: int, out: set[tuple[int, int]]) -> None:
    for members in groups:
        if 1 < len(members) <= max_group:
            out.update(combinations(sorted(set(members)), 2))


def candidate_pairs(
    records: Sequence[Record], max_group: int, name_counts: dict[str, int] | None = None, max_name_records: int = 0
) -> set[tuple[int, int]]:
    """Index pairs (i < j) into `records` that share an identifier value, or a distinctive name at a dealer."""
    pairs: set[tuple[int, int]] = set()
    for kind in IDENTIFIERS:
        groups: dict[str, list[int]] = defaultdict(list)
        for i, rec in enumerate(records):
            for value in getattr(rec, kind):
                groups[value].append(i)
        _pairs_of(groups.values(), max_group, pairs)
    if name_counts is not None and max_name_records > 0:
        by_name: dict[Hashable, list[int]] = defaultdict(list)
        for i, rec in enumerate(records):
            if rec.pinyin and rec.name and is_distinctive(rec.name, rec.pinyin) \
                    and name_counts.get(rec.pinyin, 1) <= max_name_records:
                for dealer in rec.dealers:
                    by_name[(rec.pinyin, dealer)].append(i)
        _pairs_of(by_name.values(), max_group, pairs)
        # 嘉佳 / Jiajia meets 王嘉佳 at the same dealer: full names on one side, given-name forms on the other
        full: dict[Hashable, list[int]] = defaultdict(list)
        short: dict[Hashable, list[int]] = defaultdict(list)
        for i, rec in enumerate(records):
            if not (rec.pinyin and rec.name and rec.dealers):
                continue
            is_full, keys = given_keys(rec.name, rec.pinyin)
            if not is_full and name_counts.get(rec.pinyin, 1) > max_name_records:
                continue  # a popular handle (Sunny, 阳光) is nobody's given name in particular
            for key in keys:
                for dealer in rec.dealers:
                    (full if is_full else short)[(key, dealer)].append(i)
        for block, shorts in short.items():
            fulls = full.get(block, [])
            if fulls and len(fulls) * len(shorts) <= max_group * max_group:
                pairs.update((min(i, j), max(i, j)) for i in fulls for j in shorts if i != j)
    return pairs
