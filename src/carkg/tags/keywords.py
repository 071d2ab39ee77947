"""Keyword tags from chat transcripts: intended models and brands, budget band, trade-in and loan intent.

Model and brand mentions are found with **pyahocorasick** (an Aho–Corasick automaton in C, maintained and
released for current Pythons): one pass over a message finds every alias of every model at once, and
longest-match iteration lets "比亚迪汉" beat "汉" and "武汉" (a city, listed as not-a-model) beat "汉".
jieba was the alternative; it segments first and would need the whole alias table as a user dictionary
to keep "秦PLUS" or "途观L" in one piece, is slower per message, and has had no release since 2020.

The dictionary is built from `loaders/reference/models.csv` + `model_aliases.csv` (the catalogue every
loader already uses) plus the chat-only additions and phrase lists in `loaders/dictionaries/`.
A mention does not count when the customer rules it out ("不考虑汉", "唐就算了") or owns it ("我有台迈腾,
想置换帕萨特": 迈腾 is the trade-in).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import ahocorasick
import yaml

from carkg.paths import LOADERS_DIR, REFERENCE_DIR
from carkg.tags.budget import Budget, parse_budget

DICTIONARY_DIR = LOADERS_DIR / "dictionaries"
_CLAUSE_END = re.compile(r"[，,。.!！?？;；\n~～…]")


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII), lower case, runs of spaces as one."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).lower())


@dataclass(frozen=True, slots=True)
class Mention:
    kind: str  # 'model' | 'brand'
    code: str
    text: str
    start: int


@dataclass(frozen=True)
class Dictionary:
    """The Aho–Corasick automaton over every alias, and the phrase lists."""

    automaton: ahocorasick.Automaton
    model_brand: dict[str, str]
    trade_in: tuple[str, ...]
    loan: tuple[str, ...]
    negations: tuple[str, ...]
    not_negations: tuple[str, ...]
    negations_after: tuple[str, ...]
    ownership: tuple[str, ...]
    interests: dict[str, tuple[str, ...]] = field(default_factory=dict)  # interest tag code -> words


def _read_yaml(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data


@cache
def load_dictionary(directory: Path = DICTIONARY_DIR, reference: Path = REFERENCE_DIR) -> Dictionary:
    """Build the automaton once per process (a few hundred aliases: milliseconds)."""
    entries: dict[str, tuple[str, str]] = {}  # normalised alias -> (kind, code)
    model_brand: dict[str, str] = {}

    def add(alias: str, kind: str, code: str) -> None:
        key = normalise(alias).strip()
        if key:
            entries[key] = (kind, code)
            if " " in key:  # "Qin PLUS" is typed "qinplus" as often as not
                entries[key.replace(" ", "")] = (kind, code)

    with (reference / "models.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            model_brand[row["model_code"]] = row["brand_code"]
            add(row["brand_name"], "brand", row["brand_code"])
            for name in (row["model_name_zh"], row["model_name_en"]):
                add(name, "model", row["model_code"])
    with (reference / "model_aliases.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            add(row["alias"], "model", row["model_code"])
    extra = _read_yaml(directory / "chat_aliases.yaml")
    for code, aliases in (extra.get("models") or {}).items():
        if code not in model_brand:
            raise ValueError(f"{directory / 'chat_aliases.yaml'}: models.{code}: not a model in models.csv")
        for alias in aliases:
            add(str(alias), "model", code)
    for code, aliases in (extra.get("brands") or {}).items():
        for alias in aliases:
            add(str(alias), "brand", code)
    for word in extra.get("not_models") or ():
        entries[normalise(str(word))] = ("none", "")

    automaton = ahocorasick.Automaton()
    for key, (kind, code) in entries.items():
        automaton.add_word(key, (len(key), kind, code))
    automaton.make_automaton()
    phrases = _read_yaml(directory / "phrases.yaml")

    def words(name: str) -> tuple[str, ...]:
        return tuple(normalise(str(w)) for w in phrases.get(name) or ())

    hobbies = phrases.get("interests") or {}
    interests = {str(code): tuple(normalise(str(w)) for w in ws) for code, ws in hobbies.items()}
    return Dictionary(automaton, model_brand, words("trade_in"), words("loan"), words("negations"),
                      words("not_negations"), words("negations_after"), words("ownership"), interests)


@dataclass
class Extraction:
    models: list[str] = field(default_factory=list)  # model codes, in order of first mention
    brands: list[str] = field(default_factory=list)  # brand codes named or implied by a model
    budget: Budget | None = None
    trade_in: bool = False
    loan: bool = False
    interests: list[str] = field(default_factory=list)  # interest tag codes (hobbies: 露营, 钓鱼…)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.models or self.brands or self.budget or self.trade_in or self.loan or self.interests)


def _ascii_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _clause_before(text: str, start: int) -> str:
    cut = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    return text[cut:start]


def _clause_after(text: str, end: int) -> str:
    m = _CLAUSE_END.search(text, end)
    return text[end : m.start() if m else len(text)]


def _negated(before: str, d: Dictionary) -> bool:
    for word in d.not_negations:
        before = before.replace(word, " ")
    return any(neg in before for neg in d.negations)


def mentions(text: str, d: Dictionary | None = None) -> list[Mention]:
    """Every model/brand mention, longest match first, on ASCII word boundaries for Latin aliases."""
    d = d or load_dictionary()
    norm = normalise(text)
    found: list[Mention] = []
    for end, (length, kind, code) in d.automaton.iter_long(norm):
        start = end - length + 1
        alias = norm[start : end + 1]
        if kind == "none":
            continue
        if _ascii_word_char(alias[0]) and start > 0 and _ascii_word_char(norm[start - 1]):
            continue
        if _ascii_word_char(alias[-1]) and end + 1 < len(norm) and _ascii_word_char(norm[end + 1]):
            continue
        found.append(Mention(kind, code, alias, start))
    return found


def _has_phrase(norm: str, phrases: tuple[str, ...], d: Dictionary) -> bool:
    for phrase in phrases:
        for m in re.finditer(re.escape(phrase), norm):
            if not _negated(_clause_before(norm, m.start()), d):
                return True
    return False


def extract(text: str, d: Dictionary | None = None) -> Extraction:
    """What a customer's message says about the car they want, their budget, how they will pay and what
    they like doing (the hobbies advisor matching compares)."""
    d = d or load_dictionary()
    norm = normalise(text)
    out = Extraction(budget=parse_budget(text))
    for m in mentions(text, d):
        before = _clause_before(norm, m.start)
        after = _clause_after(norm, m.start + len(m.text))
        if _negated(before, d) or any(w in after for w in d.negations_after):
            continue
        if any(w in before for w in d.ownership):
            continue
        out.mentions.append(m)
        codes = out.models if m.kind == "model" else out.brands
        if m.code not in codes:
            codes.append(m.code)
        brand = d.model_brand.get(m.code) if m.kind == "model" else None
        if brand and brand not in out.brands:
            out.brands.append(brand)
    out.trade_in = _has_phrase(norm, d.trade_in, d)
    out.loan = _has_phrase(norm, d.loan, d)
    out.interests = [code for code, words in d.interests.items() if _has_phrase(norm, words, d)]
    return out
