"""Comparing two names as typed into different systems: exact, fuzzy, partial, disagree or missing."""

from __future__ import annotations

import re

from rapidfuzz.distance import Indel
from rapidfuzz.fuzz import ratio

_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff·]+$")
_HONORIFIC = ("先生", "女士", "小姐", "太太", "老师", "总")
_FAMILIAR = ("小", "老", "阿")


def _is_han(name: str) -> bool:
    return bool(_HAN.match(name))


def _short_forms(name: str) -> set[str]:
    """What a full Chinese name may be shortened to: 王先生, 小王, 老王, the given name, 伟伟."""
    if not _is_han(name) or len(name) < 2:
        return set()
    surname, given = name[0], name[1:]
    forms = {surname + h for h in _HONORIFIC} | {f + surname for f in _FAMILIAR} | {given}
    if len(given) == 1:
        forms.add(given * 2)
    return forms


def _dropped_one(a: str, b: str) -> bool:
    """b is a with one character left out (or the other way round): a typical input slip."""
    if abs(len(a) - len(b)) != 1 or min(len(a), len(b)) < 2:
        return False
    long, short = (a, b) if len(a) > len(b) else (b, a)
    return long[0] == short[0] and Indel.distance(long, short) == 1


def compare_names(a: str | None, a_pinyin: str | None, b: str | None, b_pinyin: str | None) -> str:
    """'exact' | 'fuzzy' | 'partial' | 'disagree' | 'missing'."""
    if not a or not b:
        return "missing"
    if a == b or (a_pinyin and a_pinyin == b_pinyin):
        return "exact"
    if _dropped_one(a, b):
        return "fuzzy"
    if a_pinyin and b_pinyin and min(len(a_pinyin), len(b_pinyin)) >= 6 and ratio(a_pinyin, b_pinyin) >= 90:
        return "fuzzy"
    if b in _short_forms(a) or a in _short_forms(b):
        return "partial"
    if a_pinyin and b_pinyin and len(a) >= 2 and len(b) >= 2:
        # a romanised given name (Wei, Xiaoming) against the pinyin of the full name
        short, long = sorted((a_pinyin, b_pinyin), key=len)
        if not _is_han(a if a_pinyin == short else b) and len(short) >= 2 and long.endswith(short):
            return "partial"
    return "disagree"
