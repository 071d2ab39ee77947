"""Text content: dealer names, marketing materials, event groups and WeCom chat lines.

Chat lines are written the way customers type on a phone, because downstream intent tagging has to cope
with "30w", "十五到二十万" and a model name in whichever spelling the customer happened to use.
"""

from __future__ import annotations

import random

from carkg.demo.catalog import MODELS, Model

TRADE_NAMES = (
    "星耀", "永达", "广汇", "中升", "宝信", "恒信", "庞大", "华通", "鑫源", "通达", "金港", "瑞丰", "骏和",
    "盛世", "博远", "天元", "德众", "运通", "和谐", "美东", "冀东", "润华", "元通", "正通", "华胜", "东昌",
    "申湘", "万帮", "鸿粤", "联众", "安骅", "京港", "宏达", "锦程", "远航", "启辰", "融通", "嘉禾", "泰和",
    "力天",
)  # fmt: skip
COMPANY_FORMS = ("汽车销售服务有限公司", "汽车销售有限公司", "汽车贸易有限公司")
BRAND_SHORT = {
    "BYD": "比亚迪", "FAWVW": "一汽大众", "SAICVW": "上汽大众", "GACHONDA": "本田", "GEELY": "吉利",
    "DFNISSAN": "日产", "LIAUTO": "理想",
}  # fmt: skip


def dealer_name(rng: random.Random, city: str, brand_codes: list[str], taken: set[str]) -> str:
    """"北京星耀汽车销售服务有限公司", sometimes with the franchise brand in the middle; unique."""
    for attempt in range(200):
        brand = BRAND_SHORT[brand_codes[0]] if len(brand_codes) == 1 and rng.random() < 0.45 else ""
        form = COMPANY_FORMS[0] if rng.random() < 0.8 else rng.choice(COMPANY_FORMS[1:])
        suffix = "" if attempt < 100 else f"第{attempt - 98}分公司"
        name = f"{city}{rng.choice(TRADE_NAMES)}{brand}{form}{suffix}"
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError(f"could not name another dealer in {city}")


# -- materials and event groups ---------------------------------------------------------------------

_MODEL_MATERIALS = (
    ("brochure", "{zh} 2026款电子手册"),
    ("invitation", "{zh} 专属试驾邀请函"),
    ("article", "{zh} 车主口碑：{topic}"),
    ("video", "{zh} 360°看车视频"),
)
_ARTICLE_TOPICS = (
    "用车一年真实感受", "冬季续航实测", "保养费用全解析", "城市通勤油耗实测", "后排空间实拍", "智能座舱体验",
)  # fmt: skip
_GENERAL_MATERIALS = (
    ("article", "金秋购车节 全系置换补贴"),
    ("article", "新能源汽车购置税减免政策解读"),
    ("article", "以旧换新补贴申请指南"),
    ("article", "贷款购车常见问题"),
    ("invitation", "2026广州车展邀请函"),
    ("invitation", "车主关怀日：免费检测邀请"),
    ("video", "冬季用车小贴士"),
    ("video", "高速出行安全指南"),
    ("brochure", "全系车型价格手册"),
    ("article", "二手车评估流程说明"),
)


def materials(rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(material_id, title, kind, model_code) rows: three or four per model plus general campaigns."""
    rows: list[tuple[str, str, str]] = []
    for m in MODELS:
        for kind, title in _MODEL_MATERIALS:
            if kind == "video" and rng.random() < 0.4:
                continue
            rows.append((title.format(zh=m.name_zh, topic=rng.choice(_ARTICLE_TOPICS)), kind, m.code))
    rows.extend((title, kind, "") for kind, title in _GENERAL_MATERIALS)
    return [(f"MAT{i:04d}", title, kind, code) for i, (title, kind, code) in enumerate(rows, start=1)]


CAMPAIGNS = (
    "2026北京车展", "2026广州车展", "周末试驾日", "金秋购车节", "新车上市发布会", "车主自驾游",
    "双十一购车节", "以旧换新专场", "国庆团购会", "车主关怀日",
)  # fmt: skip


def group_name(rng: random.Random, city: str, campaign: str, model: Model | None) -> str:
    topic = f"{model.name_zh}{campaign}" if model else campaign
    return f"{city}{topic}{rng.randrange(1, 9)}群"


# -- chat lines -------------------------------------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals, as typed in "二十万以内"."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")


def budget_phrase(rng: random.Random, budget_yuan: int) -> str:
    """One of the ways people state a budget: 预算20万左右, 15到20万, 二十万以内, 200k, 30w."""
    wan = max(5, round(budget_yuan / 10_000))
    form = rng.randrange(7)
    if form == 0:
        return f"预算{wan}万左右"
    if form == 1:
        low = max(3, wan - rng.choice((3, 5)))
        return f"{low}到{wan}万"
    if form == 2:
        return f"{chinese_number(wan)}万以内"
    if form == 3:
        return f"{wan * 10}k"
    if form == 4:
        return f"{wan}w"
    if form == 5:
        return f"预算在{wan}万上下"
    return f"{chinese_number(max(3, wan - 5))}到{chinese_number(wan)}万"


_OLD_CARS = ("卡罗拉", "宝来", "思域", "哈弗H6", "五菱宏光", "凯美瑞", "福克斯", "英朗", "科鲁兹", "逸动")

_IN_MODEL = (
    "{m}现在有什么优惠吗", "想了解一下{m}", "{m}有现车吗？", "{m}和{m2}怎么选", "想预约试驾{m}",
    "{m}落地大概多少钱", "{m}的保养贵不贵", "周末想去店里看看{m}",
)  # fmt: skip
_IN_BUDGET = (
    "{b}，有什么推荐", "想看看{m}，{b}", "{b}，{m}能拿下吗", "我这边{b}，落地能下来吗",
    "{b}的话{m}哪个配置合适",
)  # fmt: skip
_IN_TRADE_IN = (
    "想置换，旧车是{y}年的{old}", "旧车能抵多少", "我有台{old}，想置换{m}", "置换有补贴吗",
    "{old}开了八万公里，能抵多少钱",
)  # fmt: skip
_IN_LOAN = (
    "能贷款吗", "分期的话首付多少", "{m}能做分期吗？36期", "有没有0息贷款", "贷款利息多少", "首付两成可以吗",
)  # fmt: skip
_IN_NEUTRAL = (
    "好的", "谢谢", "在吗", "收到", "好的，到时候联系", "地址发我一下", "今天有点忙，改天再说", "嗯嗯",
    "周六上午有空", "发个定位吧", "👍", "好的谢谢",
)  # fmt: skip

_IN = {
    "model": _IN_MODEL,
    "budget": _IN_BUDGET,
    "trade_in": _IN_TRADE_IN,
    "loan": _IN_LOAN,
    "neutral": _IN_NEUTRAL,
}
_OUT = {
    "model": (
        "{m}这个月有限时优惠，给您发一下配置表", "{m}目前有现车，欢迎到店试驾", "好的，给您约周六上午试驾{m}",
    ),
    "budget": ("按您的预算，推荐看看{m}，性价比很高", "这个预算{m}完全可以，我给您算一下落地价"),
    "trade_in": ("旧车可以开过来免费评估，置换还有补贴", "置换补贴最高可抵一万，具体看车况"),
    "loan": ("可以贷款的，首付最低两成，最长五年", "目前有两年0息的金融政策，可以了解一下"),
    "neutral": ("好的，有需要随时联系我", "收到，稍后给您回复", "您好，我是您的专属销售顾问，有问题随时找我"),
}

TOPICS = ("model", "budget", "trade_in", "loan", "neutral")
TOPIC_WEIGHTS = (0.26, 0.2, 0.12, 0.12, 0.3)


def customer_line(rng: random.Random, topic: str, model: Model, budget_yuan: int) -> str:
    """A message from the customer (`direction: in`) on `topic`, naming `model` by one of its aliases."""
    m = rng.choice(model.chat_names)
    fields = {
        "m": m,
        "m2": rng.choice(rng.choice(MODELS).chat_names),
        "b": budget_phrase(rng, budget_yuan),
        "old": rng.choice(_OLD_CARS),
        "y": rng.randrange(2012, 2021),
    }
    return rng.choice(_IN[topic]).format(**fields)


def advisor_line(rng: random.Random, topic: str, model: Model) -> str:
    """The advisor's reply (`direction: out`)."""
    return rng.choice(_OUT[topic]).format(m=rng.choice((model.name_zh, *model.sales_names[:1])))
