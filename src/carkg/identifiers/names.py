"""Personal names: one spelling for storage, pinyin for typo-tolerant matching."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from pypinyin import lazy_pinyin

from carkg.identifiers.errors import IdentifierError

SAME_PINYIN = 0.9
"""Score for different characters with the same sound: the typical input-method typo (张伟 / 张玮)."""

_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
# Separators people type between the parts of a transliterated name (阿卜杜拉·买买提).
_MIDDLE_DOTS = re.compile(r"\s*[·・•‧∙⋅･\u0387\u318d\u2027]\s*")
_DOT_BETWEEN_HAN = re.compile(rf"(?<={_HAN})\s*\.\s*(?={_HAN})")
_SPACE_BETWEEN_HAN = re.compile(rf"(?<={_HAN})\s+(?={_HAN})")


def normalize_name(raw: str) -> str:
    """The name as it should be stored, so that the same name typed twice compares equal.

    NFKC folds full-width letters and spaces; inner whitespace collapses to one space, and is
    dropped between Chinese characters (张 伟 → 张伟). Every middle-dot look-alike, and a full stop
    between Chinese characters, becomes "·" without spaces around it.
    """
    name = unicodedata.normalize("NFKC", raw)
    name = " ".join(name.split())
    name = _MIDDLE_DOTS.sub("·", name)
    name = _DOT_BETWEEN_HAN.sub("·", name)
    name = _SPACE_BETWEEN_HAN.sub("", name)
    if not name:
        raise IdentifierError("empty name")
    return name


def name_pinyin(name: str) -> str:
    """Toneless pinyin, lower-case, letters and digits only: 张伟 → "zhangwei", Zhang Wei → "zhangwei".

    Homophones share a key, so a name typed with the wrong character still finds its match.
    """
    syllables = lazy_pinyin(normalize_name(name))
    return "".join(ch for ch in "".join(syllables).lower() if ch.isalnum())


def name_similarity(a: str, b: str) -> float:
    """How likely two names are the same person's name, in [0, 1].

    1.0   the same name after normalisation;
    0.9   the same pinyin (homophone typo, or Chinese characters vs their romanisation);
    < 0.85 otherwise: 0.85 × difflib ratio of the two pinyin strings, so a near miss in sound
          (zhangwei / zhangwen ≈ 0.74) ranks below a homophone and unrelated names stay low
          (张伟 / 李娜 ≈ 0.28).
    0.0   when either name is empty or has nothing to compare.
    """
    try:
        left, right = normalize_name(a), normalize_name(b)
    except IdentifierError:
        return 0.0
    if left == right:
        return 1.0
    left_pinyin, right_pinyin = name_pinyin(left), name_pinyin(right)
    if not left_pinyin or not right_pinyin:
        return 0.0
    if left_pinyin == right_pinyin:
        return SAME_PINYIN
    return 0.85 * SequenceMatcher(None, left_pinyin, right_pinyin, autojunk=False).ratio()
