"""The demo's vehicle catalogue: brands, models, and every spelling each source system uses for them.

The sales system (DMS) writes trim names ("汉 EV 创世版"), after-sales writes workshop codes ("HAN EV"),
lead forms and chats write whatever people type ("比亚迪汉"). `loaders/reference/*.csv` are rendered
from this module so the generator can never write a model name the alias table does not know.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

MODEL_COLUMNS = (
    "model_code", "brand_code", "brand_name", "model_name_zh", "model_name_en", "segment", "energy",
)  # fmt: skip
ALIAS_COLUMNS = ("alias", "model_code", "system")


@dataclass(frozen=True, slots=True)
class Brand:
    code: str
    name: str  # Chinese brand name as dealers write it
    wmi: str  # world manufacturer identifier, VIN positions 1-3
    plants: str  # VIN position 11 codes of this maker's plants
    weight: float  # market share among demo buyers


@dataclass(frozen=True, slots=True)
class Model:
    code: str
    brand: str
    name_zh: str
    name_en: str
    segment: str
    energy: str
    price: tuple[int, int]  # yuan, cheapest to dearest trim
    weight: float
    vds: str  # VIN positions 4-8
    sales_names: tuple[str, ...]
    aftersales_names: tuple[str, ...]
    lead_names: tuple[str, ...]

    @property
    def chat_names(self) -> tuple[str, ...]:
        """How customers name the car in free text: their own spellings plus the plain Chinese name."""
        return (self.name_zh, *self.lead_names)


BRANDS: tuple[Brand, ...] = (
    Brand("BYD", "比亚迪", "LGX", "CDX", 0.24),
    Brand("FAWVW", "一汽-大众", "LFV", "ABC", 0.16),
    Brand("SAICVW", "上汽大众", "LSV", "ANP", 0.14),
    Brand("GACHONDA", "广汽本田", "LHG", "ZE", 0.12),
    Brand("GEELY", "吉利汽车", "L6T", "BNJ", 0.13),
    Brand("DFNISSAN", "东风日产", "LGB", "FGK", 0.12),
    Brand("LIAUTO", "理想汽车", "LW4", "CB", 0.09),
)

MODELS: tuple[Model, ...] = (
    Model("BYD-HAN", "BYD", "汉", "Han", "sedan", "BEV", (209800, 289800), 5, "C4SE1",
          ("汉 EV 创世版", "汉 EV 冠军版 605KM 尊贵型", "汉EV 荣耀版 610KM"),
          ("HAN EV", "汉EV"), ("比亚迪汉", "BYD Han")),
    Model("BYD-TANG", "BYD", "唐", "Tang", "suv", "PHEV", (179800, 249800), 3, "C4SF2",
          ("唐 DM-i 冠军版 112KM 尊享型", "唐DM-i 荣耀版 尊贵型"),
          ("TANG DM-I", "唐DMI"), ("比亚迪唐", "BYD Tang")),
    Model("BYD-QINPLUS", "BYD", "秦PLUS", "Qin PLUS", "sedan", "PHEV", (79800, 129800), 8, "C2SA3",
          ("秦PLUS DM-i 荣耀版 55KM 领先型", "秦PLUS 荣耀版 120KM 卓越型"),
          ("QIN PLUS DMI", "秦+DMI"), ("比亚迪秦PLUS", "秦plus dmi")),
    Model("BYD-SEAL", "BYD", "海豹", "Seal", "sedan", "BEV", (179800, 239800), 3, "C4SB4",
          ("海豹 EV 冠军版 550KM 精英型", "海豹 650 四驱性能版"),
          ("SEAL EV", "海豹EV"), ("比亚迪海豹", "BYD Seal")),
    Model("FAWVW-MAGOTAN", "FAWVW", "迈腾", "Magotan", "sedan", "ICE", (189900, 279900), 4, "A7BN3",
          ("迈腾 330TSI DSG 豪华型", "迈腾 380TSI DSG 旗舰型"),
          ("MAGOTAN 2.0T", "迈腾2.0T"), ("一汽大众迈腾", "大众迈腾")),
    Model("FAWVW-SAGITAR", "FAWVW", "速腾", "Sagitar", "sedan", "ICE", (129900, 189900), 6, "A4BH1",
          ("速腾 300TSI DSG 超越版", "速腾 200TSI DSG 飞越版"),
          ("SAGITAR 1.5T", "速腾1.2T"), ("一汽大众速腾", "大众速腾")),
    Model("FAWVW-TAYRON", "FAWVW", "探岳", "Tayron", "suv", "ICE", (186900, 269900), 3, "A6CX2",
          ("探岳 330TSI 两驱豪华智联版", "探岳 380TSI 四驱R-Line智联版"),
          ("TAYRON 2.0T", "探岳2.0T"), ("大众探岳", "一汽大众探岳")),
    Model("FAWVW-ID4CROZZ", "FAWVW", "ID.4 CROZZ", "ID.4 CROZZ", "suv", "BEV", (145900, 199900), 2, "E2CB7",
          ("ID.4 CROZZ 纯净智享版", "ID.4 CROZZ PRIME 长续航版"),
          ("ID4 CROZZ", "ID.4C"), ("id4crozz", "一汽大众ID.4")),
    Model("SAICVW-LAVIDA", "SAICVW", "朗逸", "Lavida", "sedan", "ICE", (99900, 159900), 7, "A2H26",
          ("朗逸 1.5L 自动 满逸版", "朗逸 280TSI DSG 豪华版"),
          ("LAVIDA 1.5L", "朗逸1.5"), ("上汽大众朗逸", "大众朗逸")),
    Model("SAICVW-PASSAT", "SAICVW", "帕萨特", "Passat", "sedan", "ICE", (189900, 259900), 4, "A7G35",
          ("帕萨特 330TSI 精英版", "帕萨特 380TSI 龙耀版"),
          ("PASSAT 2.0T", "帕萨特2.0T"), ("大众帕萨特", "上汽大众帕萨特")),
    Model("SAICVW-TIGUANL", "SAICVW", "途观L", "Tiguan L", "suv", "ICE", (209900, 289900), 4, "A6C28",
          ("途观L 330TSI 两驱智享版", "途观L 380TSI 四驱R-Line旗舰版"),
          ("TIGUAN L 2.0T", "途观L2.0T"), ("大众途观L", "上汽大众途观L")),
    Model("SAICVW-TERAMONT", "SAICVW", "途昂", "Teramont", "suv", "ICE", (279900, 369900), 2, "A8C31",
          ("途昂 380TSI 四驱豪华版", "途昂 530V6 四驱旗舰版"),
          ("TERAMONT 2.0T", "途昂V6"), ("大众途昂", "途昂七座")),
    Model("GACHONDA-ACCORD", "GACHONDA", "雅阁", "Accord", "sedan", "HEV", (169800, 259800), 5, "CV564",
          ("雅阁 260TURBO 精英版", "雅阁 锐·混动 2.0L 锐领版"),
          ("ACCORD 1.5T", "雅阁混动"), ("本田雅阁", "广本雅阁")),
    Model("GACHONDA-BREEZE", "GACHONDA", "皓影", "Breeze", "suv", "HEV", (179900, 269900), 4, "RW368",
          ("皓影 240TURBO CVT 两驱精英版", "皓影 e:PHEV 尊贵版"),
          ("BREEZE 1.5T", "皓影1.5T"), ("本田皓影", "广本皓影")),
    Model("GACHONDA-VEZEL", "GACHONDA", "缤智", "Vezel", "suv", "ICE", (129900, 169900), 4, "RU151",
          ("缤智 1.5L CVT 先锋版", "缤智 1.5L CVT 豪华版"),
          ("VEZEL 1.5L", "缤智1.5L"), ("本田缤智", "广本缤智")),
    Model("GACHONDA-ODYSSEY", "GACHONDA", "奥德赛", "Odyssey", "mpv", "HEV", (259800, 369800), 1, "RC576",
          ("奥德赛 2.0L 锐·混动 至尊版", "奥德赛 2.0L 锐·混动 舒适版"),
          ("ODYSSEY HYBRID", "奥德赛混动"), ("本田奥德赛", "广本奥德赛")),
    Model("GEELY-XINGYUEL", "GEELY", "星越L", "Xingyue L", "suv", "ICE", (135700, 173700), 4, "A4L3B",
          ("星越L 2.0TD 两驱 豪华型", "星越L 2.0TD 四驱 旗舰型"),
          ("XINGYUE L 2.0T", "星越L2.0T"), ("吉利星越L", "monjaro")),
    Model("GEELY-BOYUEL", "GEELY", "博越L", "Boyue L", "suv", "ICE", (115700, 157200), 4, "A3L2C",
          ("博越L 1.5T DCT 尊贵型", "博越L 2.0TD 旗舰型"),
          ("BOYUE L 1.5T", "博越L1.5T"), ("吉利博越L", "新博越L")),
    Model("GEELY-EMGRAND", "GEELY", "帝豪", "Emgrand", "sedan", "ICE", (69900, 98900), 5, "A1S1A",
          ("帝豪 第4代 1.5L CVT 旗舰型", "帝豪 1.5L 手动 精英型"),
          ("EMGRAND 1.5L", "帝豪1.5L"), ("吉利帝豪", "新帝豪")),
    Model("GEELY-GALAXYL7", "GEELY", "银河L7", "Galaxy L7", "suv", "PHEV", (138700, 173700), 3, "E4L7D",
          ("银河L7 115km AIR", "银河L7 55km Starship"),
          ("GALAXY L7 PHEV", "银河L7混动"), ("吉利银河L7", "吉利L7")),
    Model("DFNISSAN-SYLPHY", "DFNISSAN", "轩逸", "Sylphy", "sedan", "ICE", (99900, 149900), 7, "AB4D1",
          ("轩逸 1.6L XL CVT 悦享版", "轩逸 e-POWER 超智联Pro"),
          ("SYLPHY 1.6L", "轩逸1.6"), ("日产轩逸", "新轩逸")),
    Model("DFNISSAN-TEANA", "DFNISSAN", "天籁", "Teana", "sedan", "ICE", (179800, 239800), 3, "AJ2D2",
          ("天籁 2.0L XL 舒适版", "天籁 2.0T XV 智享版"),
          ("TEANA 2.0L", "天籁2.0"), ("日产天籁", "新天籁")),
    Model("DFNISSAN-XTRAIL", "DFNISSAN", "奇骏", "X-Trail", "suv", "ICE", (179900, 239900), 3, "CT3E3",
          ("奇骏 VC-Turbo 300 CVT 两驱豪华版", "奇骏 e-POWER 四驱至尊版"),
          ("X-TRAIL 1.5T", "奇骏1.5T"), ("日产奇骏", "新奇骏")),
    Model("DFNISSAN-QASHQAI", "DFNISSAN", "逍客", "Qashqai", "suv", "ICE", (129900, 169900), 3, "CJ1E4",
          ("逍客 2.0L CVT 智享版", "逍客 1.3T CVT 豪华版"),
          ("QASHQAI 2.0L", "逍客2.0"), ("日产逍客", "新逍客")),
    Model("LIAUTO-L6", "LIAUTO", "理想L6", "Li L6", "suv", "EREV", (249800, 279800), 3, "SL6A1",
          ("理想L6 Pro", "理想L6 Max"), ("L6 PRO", "LI-L6 EREV"), ("理想l6增程", "lixiang l6")),
    Model("LIAUTO-L7", "LIAUTO", "理想L7", "Li L7", "suv", "EREV", (301800, 359800), 2, "SL7A2",
          ("理想L7 Pro", "理想L7 Ultra"), ("L7 PRO", "LI-L7 EREV"), ("理想l7增程", "lixiang l7")),
    Model("LIAUTO-L8", "LIAUTO", "理想L8", "Li L8", "suv", "EREV", (339800, 399800), 1, "SL8A3",
          ("理想L8 Pro", "理想L8 Max"), ("L8 PRO", "LI-L8 EREV"), ("理想l8增程", "lixiang l8")),
    Model("LIAUTO-L9", "LIAUTO", "理想L9", "Li L9", "suv", "EREV", (409800, 459800), 2, "SL9A4",
          ("理想L9 Pro", "理想L9 Ultra"), ("L9 PRO", "LI-L9 EREV"), ("理想l9增程", "lixiang l9")),
)  # fmt: skip

BRAND_BY_CODE: dict[str, Brand] = {b.code: b for b in BRANDS}
MODELS_BY_BRAND: dict[str, tuple[Model, ...]] = {
    b.code: tuple(m for m in MODELS if m.brand == b.code) for b in BRANDS
}

_IGNORED = re.compile(r"[\s\-_\u2010-\u2015\u2212]+")


def alias_key(text: str) -> str:
    """The README's matching rule (case-, width- and space-insensitive), to keep aliases unambiguous."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text).casefold())


def model_rows() -> list[tuple[str, ...]]:
    return [
        (m.code, m.brand, BRAND_BY_CODE[m.brand].name, m.name_zh, m.name_en, m.segment, m.energy)
        for m in MODELS
    ]


def alias_rows() -> list[tuple[str, str, str]]:
    """Canonical names and lead spellings for any system, trim names for sales, workshop names for
    after-sales; a spelling one system repeats is listed once."""
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for m in MODELS:
        spellings = (
            [(name, "any") for name in (m.name_zh, m.name_en, *m.lead_names)]
            + [(name, "sales") for name in m.sales_names]
            + [(name, "aftersales") for name in m.aftersales_names]
        )
        for alias, system in spellings:
            if (alias_key(alias), system) not in seen:
                seen.add((alias_key(alias), system))
                rows.append((alias, m.code, system))
    return rows


def _csv_text(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def reference_files() -> dict[str, str]:
    """File name -> text of the reference CSVs, as checked in under `loaders/reference/`."""
    return {
        "models.csv": _csv_text(MODEL_COLUMNS, model_rows()),
        "model_aliases.csv": _csv_text(ALIAS_COLUMNS, alias_rows()),  # type: ignore[arg-type]
    }


def write_reference(directory: Path) -> None:
    """Re-render the checked-in reference files after editing the catalogue above."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in reference_files().items():
        (directory / name).write_text(text, encoding="utf-8")
