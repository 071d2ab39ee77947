"""Budgets the way customers type them → one budget band.

"预算20万左右", "15到20万", "二十万以内", "200k", "30w", "25万上下", "十来万": a small parser rather than a
dependency, because the Chinese numerals people use for prices are only 一…九, 两, 十, 百 (cn2an would
bring a general converter and its dependencies for these), and because most of the work is context —
"开了八万公里" and "补贴一万" are amounts but not budgets.

A stated budget becomes one representative figure (万 yuan) and then one band, half-open [low, high):
a range → its midpoint; "以内 / 不超过 X" → just under X; "X 左右 / 上下 / 出头 / 以上" and a bare X → X.
So "二十万以内" is 15-20万 and "预算20万左右" is 20-30万.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class BudgetBand(StrEnum):
    UNDER_10 = "<10万"
    B10_15 = "10-15万"
    B15_20 = "15-20万"
    B20_30 = "20-30万"
    B30_50 = "30-50万"
    OVER_50 = ">50万"


_BANDS: tuple[tuple[float, BudgetBand], ...] = (
    (10, BudgetBand.UNDER_10), (15, BudgetBand.B10_15), (20, BudgetBand.B15_20), (30, BudgetBand.B20_30),
    (50, BudgetBand.B30_50),
)  # fmt: skip


def band_of(wan: float) -> BudgetBand:
    """The band holding `wan` (万 yuan), bands half-open: 20 → 20-30万."""
    for high, band in _BANDS:
        if wan < high:
            return band
    return BudgetBand.OVER_50


# -- Chinese numerals ---------------------------------------------------------------------------------

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千]+")


def chinese_to_int(text: str) -> int | None:
    """"二十五" → 25, "十五" → 15, "一百五十" → 150, "两" → 2; None if `text` is not a numeral."""
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None:  # "二五" is not a number people write for prices
                return None
            digit = _DIGITS[ch]
        elif ch in _MULTIPLIERS:
            total += (1 if digit is None else digit) * _MULTIPLIERS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def _arabic(text: str) -> str:
    """Chinese numerals to digits, leaving everything else as it is ("二十万以内" → "20万以内")."""
    def convert(m: re.Match[str]) -> str:
        value = chinese_to_int(m.group(0))
        return m.group(0) if value is None else str(value)

    return _CN_NUMBER.sub(convert, text)


# -- amounts in context -------------------------------------------------------------------------------

_NUM = r"\d+(?:\.\d+)?"
_UNIT = r"(?:万|w|k|元|块)"
_AMOUNT = re.compile(
    rf"(?P<lo>{_NUM})(?P<lo_unit>{_UNIT})?\s*(?:到|至|-|~|—)\s*(?P<hi>{_NUM})(?P<hi_unit>{_UNIT})"
    rf"|(?P<one>{_NUM})(?P<unit>{_UNIT})?(?P<approx>来|几|多)?(?P<unit2>万)?"
)
_UPPER_AFTER = ("以内", "以下", "之内", "内")
_UPPER_BEFORE = ("不超过", "最多", "顶多", "不能超过", "别超过", "控制在")
_NOT_BUDGET_AFTER = ("公里", "km", "里", "次", "期", "年", "个月", "人", "座", "%", "成", "点", "号")
_NOT_BUDGET_BEFORE = (
    "补贴", "抵", "优惠", "便宜", "首付", "月供", "开了", "跑了", "降价", "差价", "定金", "订金", "贷", "利息", "保养",
    "付了", "还差", "差", "送", "返", "第",
)  # fmt: skip
_BUDGET_CUE = ("预算", "价位", "价格", "落地", "左右", "上下", "以内", "控制在", "不超过", "范围")


@dataclass(frozen=True, slots=True)
class Budget:
    text: str  # the words it came from
    wan: float  # representative figure, 万 yuan
    band: BudgetBand


def _to_wan(value: float, unit: str | None, cue: bool) -> float | None:
    if unit in ("万", "w"):
        return value
    if unit == "k":
        return value / 10
    if unit in ("元", "块") or (unit is None and value >= 30_000):
        return value / 10_000 if value >= 10_000 else None
    if unit is None and cue:  # "预算20左右": a number people say in 万 without the unit
        return value
    return None


def _normalise(text: str) -> str:
    return _arabic(unicodedata.normalize("NFKC", text).lower())


def parse_budget(text: str) -> Budget | None:
    """The first budget stated in `text`, or None."""
    norm = _normalise(text)
    for m in _AMOUNT.finditer(norm):
        before, after = norm[max(0, m.start() - 4) : m.start()], norm[m.end() : m.end() + 3]
        if any(after.startswith(w) for w in _NOT_BUDGET_AFTER) or any(before.endswith(w) for w in _NOT_BUDGET_BEFORE):
            continue
        context = norm[max(0, m.start() - 6) : m.end() + 3]
        cue = any(c in context for c in _BUDGET_CUE)
        wan = _figure(m, after, before, cue)
        if wan is not None and 3 <= wan <= 500:
            return Budget(m.group(0), round(wan, 2), band_of(wan))
    return None


def _figure(m: re.Match[str], after: str, before: str, cue: bool) -> float | None:
    if m.group("hi") is not None:
        hi_unit = m.group("hi_unit")
        lo = _to_wan(float(m.group("lo")), m.group("lo_unit") or hi_unit, True)
        hi = _to_wan(float(m.group("hi")), hi_unit, True)
        if lo is None or hi is None or lo > hi:
            return None
        return (lo + hi) / 2
    unit = m.group("unit") or m.group("unit2")
    if m.group("approx") and m.group("unit2"):  # "10来万", "10几万", "20多万"
        unit = "万"
    wan = _to_wan(float(m.group("one")), unit, cue)
    if wan is None:
        return None
    if m.group("approx") == "几":
        return wan + 5  # "十几万": 10-20
    if any(after.startswith(w) for w in _UPPER_AFTER) or any(before.endswith(w) for w in _UPPER_BEFORE):
        return wan - 0.01
    return wan
