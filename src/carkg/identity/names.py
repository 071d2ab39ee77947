"""Comparing two names as typed into different systems: exact, fuzzy, partial, disagree or missing."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Indel, JaroWinkler
from rapidfuzz.fuzz import ratio

from carkg.identifiers.names import name_pinyin as form_pinyin

_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff·]+$")
_HONORIFIC = ("先生", "女士", "小姐", "太太", "老师", "总")
# The hundred most common Chinese surnames (public census ranking, about 85% of the population) and the
# common two-character ones: a Chinese name that starts with none of them is more likely a WeChat handle.
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈"
    "钟姜崔谭陆范汪廖石金韦贾夏付傅方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易"
    "乔赖文施洪牛樊葛邢安齐庞颜倪庄聂章鲁岳殷詹申耿关兰焦俞左柳甘祝包宁尚舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲"
)
COMPOUND_SURNAMES = ("欧阳", "上官", "司马", "诸葛", "司徒", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "令狐")
_FAMILIAR = ("小", "老", "阿")


def is_han(name: str) -> bool:
    return bool(_HAN.match(name))


def split_name(name: str) -> tuple[str, str]:
    """Surname and given name of a Chinese full name (compound surnames included)."""
    cut = 2 if len(name) >= 3 and name.startswith(COMPOUND_SURNAMES) else 1
    return name[:cut], name[cut:]


def _surname_forms(name: str) -> set[str]:
    """What says only the surname: 王先生, 王女士, 小王, 老王."""
    if not is_han(name) or len(name) < 2:
        return set()
    surname, _ = split_name(name)
    return {surname + h for h in _HONORIFIC} | {f + surname for f in _FAMILIAR}


def surname_form(name: str) -> str | None:
    """The surname a surname-only form names (王先生, 王女士, 小王, 老王 → 王); None for anything else."""
    if not is_han(name):
        return None
    for honorific in _HONORIFIC:
        rest = name.removesuffix(honorific)
        if rest != name and (rest in COMPOUND_SURNAMES or (len(rest) == 1 and rest in COMMON_SURNAMES)):
            return rest
    if len(name) == 2 and name.startswith(_FAMILIAR) and name[1] in COMMON_SURNAMES:
        return name[1]
    return None


def given_forms(name: str) -> set[str]:
    """What a friend calls 王嘉佳 / 王伟: 嘉佳, 伟伟 (the given name on its own, a single one doubled)."""
    if not is_han(name) or len(name) < 2:
        return set()
    _, given = split_name(name)
    return {given * 2} if len(given) == 1 else {given}


def _dropped_one(a: str, b: str) -> bool:
    """b is a with one character left out (or the other way round): a typical input slip."""
    if abs(len(a) - len(b)) != 1 or min(len(a), len(b)) < 2:
        return False
    long, short = (a, b) if len(a) > len(b) else (b, a)
    return long[0] == short[0] and Indel.distance(long, short) == 1


def _words_close(a: str, b: str) -> bool:
    """Two written names of two words or more whose words pair off, in any order, each Jaro–Winkler ≥ 0.9:
    isabelle kaminskas / kaminskas isabele, lucas ryan / lucsa ryan."""
    left, right = a.lower().replace("·", " ").split(), b.lower().replace("·", " ").split()
    if len(left) != len(right) or len(left) < 2 or is_han(a) or is_han(b):
        return False
    for order in (right, right[::-1]):
        if all(JaroWinkler.normalized_similarity(x, y) >= 0.9 for x, y in zip(left, order, strict=True)):
            return True
    return False


def compare_names(a: str | None, a_pinyin: str | None, b: str | None, b_pinyin: str | None) -> str:
    """'exact' | 'homophone' | 'close' | 'fuzzy' | 'given' (嘉佳 for 王嘉佳) | 'partial' (王先生) | 'disagree' |
    'missing'."""
    if not a or not b:
        return "missing"
    if a == b:
        return "exact"
    if not is_han(a) and not is_han(b) and sorted(a.lower().split()) == sorted(b.lower().split()):
        return "exact"  # Wei Zhang / Zhang Wei: romanised names are written in either order
    if a_pinyin and a_pinyin == b_pinyin:
        # same sound: a typo (张伟 / 张玮) or two people (周峰 / 周凤); a romanised name (Zhang Wei) is exact
        return "homophone" if is_han(a) and is_han(b) else "exact"
    if _words_close(a, b):
        return "close"
    if _dropped_one(a, b):
        return "fuzzy"
    if a_pinyin and b_pinyin and min(len(a_pinyin), len(b_pinyin)) >= 6 and ratio(a_pinyin, b_pinyin) >= 90:
        return "fuzzy"
    if b in given_forms(a) or a in given_forms(b):
        return "given"
    if a_pinyin and b_pinyin and len(a) >= 2 and len(b) >= 2:
        # a romanised given name (Xiaoming) against the pinyin of the full name
        short, long = sorted((a_pinyin, b_pinyin), key=len)
        if not is_han(a if a_pinyin == short else b) and len(short) >= 4 and long.endswith(short):
            return "given"
    if b in _surname_forms(a) or a in _surname_forms(b):
        return "partial"
    return "disagree"


@lru_cache(maxsize=1 << 18)
def looks_like_full_name(name: str) -> bool:
    """张伟, 欧阳娜娜, Zhang Wei: a surname and a given name, not 王先生 / 小王 / 阳光 / Amy."""
    if is_han(name):
        if not 2 <= len(name) <= 4 or name.endswith(_HONORIFIC):
            return False
        if len(name) == 2 and name.startswith(_FAMILIAR):
            return False
        return name[0] in COMMON_SURNAMES or (len(name) >= 3 and name.startswith(COMPOUND_SURNAMES))
    parts = name.replace("·", " ").split()
    return len(parts) == 2 and all(p.isalpha() for p in parts)


@lru_cache(maxsize=1 << 12)
def pinyin_key(text: str) -> str:
    return "".join(ch for ch in form_pinyin(text) if ch.isalnum())


@lru_cache(maxsize=1 << 18)
def given_keys(name: str, pinyin: str) -> tuple[bool, frozenset[str]]:
    """(is a full name, pinyin keys) under which a full name meets its given-name forms: jiajia for 王嘉佳
    on one side, 嘉佳 / Jiajia / 佳佳 on the other. Surname-only forms (王先生, 小王) and handles get none."""
    if looks_like_full_name(name):
        if not is_han(name):
            return True, frozenset()
        surname, given = split_name(name)
        surname_pinyin = pinyin_key(surname)  # cheap: a few hundred surnames, cached
        if pinyin.startswith(surname_pinyin) and len(pinyin) > len(surname_pinyin):
            given_pinyin = pinyin[len(surname_pinyin) :]  # the stored pinyin, minus the surname's
        else:
            given_pinyin = pinyin_key(given)
        return True, frozenset({given_pinyin * 2 if len(given) == 1 else given_pinyin})
    if is_han(name) and len(name) <= 2 and not name.startswith(_FAMILIAR) and len(pinyin) >= 4:
        return False, frozenset({pinyin})
    if not is_han(name) and name.isalpha() and len(pinyin) >= 4:
        return False, frozenset({pinyin})
    return False, frozenset()


def is_distinctive(name: str, pinyin: str) -> bool:
    """A name that can propose a pair on its own (given a common dealer): a full name of 4+ pinyin letters."""
    return len(pinyin) >= 4 and looks_like_full_name(name)
