"""Chinese personal names and the ways source systems garble them.

Surname weights follow the national census order (王李张刘陈…); typos are the ones CRM staff really make:
a homophone picked from the input method's candidate list, a dropped character, or the name typed in pinyin.
"""

from __future__ import annotations

import random

from pypinyin import lazy_pinyin

from carkg.demo.sampling import Picker

SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 7.1), ("李", 7.0), ("张", 6.7), ("刘", 5.4), ("陈", 4.5), ("杨", 3.1), ("黄", 2.2), ("赵", 2.0),
    ("吴", 1.9), ("周", 1.9), ("徐", 1.5), ("孙", 1.5), ("马", 1.3), ("朱", 1.2), ("胡", 1.1), ("郭", 1.1),
    ("何", 1.0), ("高", 1.0), ("林", 1.0), ("罗", 0.9), ("郑", 0.9), ("梁", 0.8), ("谢", 0.8), ("宋", 0.7),
    ("唐", 0.7), ("许", 0.7), ("韩", 0.7), ("冯", 0.7), ("邓", 0.7), ("曹", 0.6), ("彭", 0.6), ("曾", 0.6),
    ("肖", 0.6), ("田", 0.5), ("董", 0.5), ("袁", 0.5), ("潘", 0.5), ("于", 0.5), ("蒋", 0.5), ("蔡", 0.5),
    ("余", 0.5), ("杜", 0.5), ("叶", 0.4), ("程", 0.4), ("苏", 0.4), ("魏", 0.4), ("吕", 0.4), ("丁", 0.4),
    ("任", 0.4), ("沈", 0.4), ("姚", 0.4), ("卢", 0.4), ("姜", 0.3), ("崔", 0.3), ("钟", 0.3), ("谭", 0.3),
    ("陆", 0.3), ("汪", 0.3), ("范", 0.3), ("金", 0.3), ("石", 0.3), ("廖", 0.3), ("贾", 0.3), ("夏", 0.3),
    ("韦", 0.3), ("付", 0.3), ("方", 0.3), ("白", 0.3), ("邹", 0.3), ("孟", 0.3), ("熊", 0.3), ("秦", 0.3),
    ("邱", 0.3), ("江", 0.3), ("尹", 0.3), ("薛", 0.2), ("闫", 0.2), ("段", 0.2), ("雷", 0.2), ("侯", 0.2),
    ("龙", 0.2), ("史", 0.2), ("陶", 0.2), ("黎", 0.2), ("贺", 0.2), ("顾", 0.2), ("毛", 0.2), ("郝", 0.2),
    ("龚", 0.2), ("邵", 0.2), ("万", 0.2), ("钱", 0.2), ("欧阳", 0.04), ("上官", 0.01), ("司马", 0.01),
)  # fmt: skip

MALE_CHARS = (
    "伟刚勇毅俊峰强军平东文辉力明永健志兴良海山波宁福龙元全国胜学祥才武新利清飞彬顺杰涛成康星光天达"
    "安岩中进林坚博诚震振豪邦承乐松庆磊民友浩亮政鹏泽晨辰建家致德行泰盛雄琛钧冠腾楠航宇轩睿昊皓梓子"
    "凯铭鑫锐晖宏斌洋帅超翔旭"
)
FEMALE_CHARS = (
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红玲芬芳燕彩春菊兰凤洁梅琳素云莲真雪荣爱霞香月媛艳瑞佳嘉琼珍"
    "莉桂璐琦晶妍茜秋珊莎锦青倩婷婉颖露瑶怡丹蓉君琴蕊薇菁梦岚婕馨韵园艺悦冰爽茗羽希欣晓欢芸菲伊宜可"
    "舒丽妮萱雯雨紫涵诗琪思蕾敏文"
)

# Input-method homophones (same pinyin, different character) for characters common in names.
HOMOPHONES: dict[str, str] = {
    "伟": "玮炜苇", "丽": "莉俪力", "静": "靖婧敬", "军": "君均钧", "华": "桦骅", "明": "铭鸣名",
    "敏": "珉闽", "燕": "艳雁彦", "芳": "方芬", "娟": "鹃涓", "磊": "垒蕾", "洋": "阳扬杨", "勇": "永咏",
    "杰": "洁捷婕", "涛": "滔韬", "斌": "彬滨", "辉": "晖徽", "鹏": "朋蓬", "婷": "亭庭", "霞": "侠夏",
    "平": "萍苹", "峰": "锋丰枫", "超": "潮朝", "玲": "琳林翎", "晶": "菁精", "雪": "学", "梅": "玫媚",
    "兰": "岚蓝", "红": "虹宏鸿", "建": "健剑", "志": "智治", "文": "雯闻", "宇": "雨羽禹", "浩": "昊皓灏",
    "子": "紫梓", "欣": "鑫馨新", "怡": "仪宜", "佳": "嘉家", "俊": "峻骏", "晨": "辰琛", "思": "斯丝",
    "涵": "晗含寒", "轩": "萱宣", "睿": "瑞锐", "琪": "琦祺", "颖": "莹盈", "刚": "钢纲", "飞": "菲非",
    "亮": "靓", "凯": "锴恺", "宏": "鸿泓", "林": "琳霖", "张": "章", "王": "汪", "李": "黎", "刘": "柳",
    "杨": "阳", "徐": "许", "吴": "伍", "何": "贺", "胡": "扈", "罗": "骆", "朱": "祝",
}

NICKNAMES = (
    "阳光", "快乐每一天", "随缘", "静待花开", "平安是福", "一路向北", "微笑", "简单", "晨曦", "木子",
    "小鱼儿", "Lily", "Jason", "Kevin", "Amy", "David", "Tony", "Sunny", "Grace", "Eric", "天道酬勤",
    "知足常乐", "淡定", "追风少年", "岁月静好", "海阔天空", "A.车友", "开心果", "山水之间", "蓝天白云",
)

_SURNAME_PICKER = Picker([s for s, _ in SURNAMES], [w for _, w in SURNAMES])


def surname(rng: random.Random) -> str:
    return _SURNAME_PICKER(rng)


def given_name(rng: random.Random, male: bool) -> str:
    """One or two characters; a doubled character (婷婷) is common for women born after 1980."""
    chars = MALE_CHARS if male else FEMALE_CHARS
    first = rng.choice(chars)
    roll = rng.random()
    if roll < 0.28:
        return first
    if not male and roll < 0.33:
        return first + first
    second = rng.choice(chars)
    return first + (second if second != first else rng.choice(chars))


def honorific(surname_: str, male: bool) -> str:
    """What a lead platform stores when the customer only said "I'm Mr Wang"."""
    return surname_ + ("先生" if male else "女士")


def nickname(rng: random.Random, surname_: str, given: str) -> str:
    """A WeChat display name: free-form, or a familiar form of the real name."""
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(NICKNAMES)
    if roll < 0.7:
        return ("小" if rng.random() < 0.5 else "老") + surname_
    if roll < 0.85:
        return given[-1] * 2 if len(given) == 1 else given
    return "".join(lazy_pinyin(given)).capitalize()


def typo(rng: random.Random, name: str, surname_len: int) -> tuple[str, str]:
    """A plausibly mistyped `name` and the kind of mistake; never returns `name` unchanged."""
    roll = rng.random()
    if roll < 0.2:
        return pinyin_name(rng, name, surname_len), "pinyin"
    if roll < 0.4 and len(name) - surname_len >= 2:
        drop = rng.randrange(surname_len, len(name))
        return name[:drop] + name[drop + 1 :], "dropped_char"
    swapped = _homophone_swap(rng, name)
    if swapped is not None:
        return swapped, "homophone"
    return pinyin_name(rng, name, surname_len), "pinyin"


def _homophone_swap(rng: random.Random, name: str) -> str | None:
    positions = [i for i, ch in enumerate(name) if ch in HOMOPHONES]
    if not positions:
        return None
    i = rng.choice(positions)
    return name[:i] + rng.choice(HOMOPHONES[name[i]]) + name[i + 1 :]


def pinyin_name(rng: random.Random, name: str, surname_len: int) -> str:
    """"Wang Wei", "WANG WEI" or "wangwei", the way names are typed on English keyboards."""
    family = "".join(lazy_pinyin(name[:surname_len]))
    given = "".join(lazy_pinyin(name[surname_len:]))
    style = rng.random()
    if style < 0.5:
        return f"{family.capitalize()} {given.capitalize()}"
    if style < 0.8:
        return f"{family} {given}".upper()
    return family + given
