"""Keyword tags from chat text, measured against a hand-labelled set of customer messages: precision and
recall per extractor (models, budget band, trade-in, loan), printed and held above floors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from carkg.tags.budget import BudgetBand, band_of, chinese_to_int, parse_budget
from carkg.tags.keywords import extract, load_dictionary

LABELLED = Path(__file__).parent / "fixtures" / "transcripts_labelled.jsonl"
FLOORS = {"models": (0.95, 0.9), "budget": (0.9, 0.85), "trade_in": (0.9, 0.85), "loan": (0.9, 0.85)}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _labelled() -> list[dict]:
    return [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]


def _scores() -> tuple[dict[str, Score], list[str]]:
    scores = {name: Score() for name in FLOORS}
    misses: list[str] = []
    for case in _labelled():
        got = extract(case["text"])
        want_models, got_models = set(case["models"]), set(got.models)
        scores["models"].tp += len(want_models & got_models)
        scores["models"].fp += len(got_models - want_models)
        scores["models"].fn += len(want_models - got_models)
        want_band, got_band = case["budget_band"], got.budget.band.value if got.budget else None
        if got_band is not None:
            if got_band == want_band:
                scores["budget"].tp += 1
            else:
                scores["budget"].fp += 1
        if want_band is not None and got_band != want_band:
            scores["budget"].fn += 1
        for flag in ("trade_in", "loan"):
            want, have = case[flag], getattr(got, flag)
            scores[flag].tp += want and have
            scores[flag].fp += have and not want
            scores[flag].fn += want and not have
        if (want_models != got_models or want_band != got_band or case["trade_in"] != got.trade_in
                or case["loan"] != got.loan):
            misses.append(f"{case['id']} {case['text']!r}: models {sorted(got_models)} budget {got_band} "
                          f"trade_in {got.trade_in} loan {got.loan}")
    return scores, misses


def test_the_labelled_set_is_big_enough_and_names_real_models() -> None:
    cases = _labelled()
    assert len(cases) >= 60
    known = set(load_dictionary().model_brand)
    assert {code for c in cases for code in c["models"]} <= known
    assert {c["budget_band"] for c in cases} - {None} <= {b.value for b in BudgetBand}


def test_precision_and_recall_per_extractor_stay_above_the_floors() -> None:
    scores, misses = _scores()
    print(f"\nkeyword extractors on {len(_labelled())} labelled transcripts")
    for name, s in scores.items():
        print(f"  {name:9s} precision {s.precision:.3f}  recall {s.recall:.3f}  (tp {s.tp} fp {s.fp} fn {s.fn})")
    for miss in misses:
        print("  miss:", miss)
    for name, (p_floor, r_floor) in FLOORS.items():
        assert scores[name].precision >= p_floor, f"{name} precision {scores[name].precision:.3f} < {p_floor}"
        assert scores[name].recall >= r_floor, f"{name} recall {scores[name].recall:.3f} < {r_floor}"


def test_model_and_budget_from_the_headline_message() -> None:
    got = extract("想看看汉，预算二十万左右")
    assert got.models == ["BYD-HAN"] and got.brands == ["BYD"]
    assert got.budget is not None and got.budget.band is BudgetBand.B20_30


@pytest.mark.parametrize(("text", "band"), [
    ("预算20万左右", "20-30万"), ("15到20万", "15-20万"), ("二十万以内", "15-20万"), ("200k", "20-30万"),
    ("30w", "30-50万"), ("25万上下", "20-30万"), ("十来万", "10-15万"), ("预算9万", "<10万"),
    ("开了八万公里", None), ("首付5万", None), ("36期", None),
])  # fmt: skip
def test_budget_forms(text: str, band: str | None) -> None:
    got = parse_budget(text)
    assert (got.band.value if got else None) == band


def test_chinese_numerals_and_band_edges() -> None:
    numerals = ("二十", "十五", "二十五", "两", "一百五十", "二五")
    assert [chinese_to_int(t) for t in numerals] == [20, 15, 25, 2, 150, None]
    assert band_of(19.99) is BudgetBand.B15_20 and band_of(20) is BudgetBand.B20_30
    assert band_of(50) is BudgetBand.OVER_50


def test_dictionary_comes_from_the_reference_catalogue() -> None:
    """Every alias in model_aliases.csv is found as itself: the dictionary is generated, not copied."""
    import csv

    from carkg.paths import REFERENCE_DIR

    with (REFERENCE_DIR / "model_aliases.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            assert row["model_code"] in extract(f"想看看{row['alias']}。").models, row["alias"]


@pytest.mark.parametrize(("text", "interests"), [
    ("我周末经常去露营，车子空间要大一点", ["interest_camping"]),
    ("平时喜欢钓鱼和骑行", ["interest_fishing", "interest_cycling"]),
    ("不喜欢露营，主要上下班代步", []),
    ("汉EV多少钱", []),
])
def test_hobbies_become_interest_tags_unless_negated(text: str, interests: list[str]) -> None:
    assert extract(text).interests == interests
