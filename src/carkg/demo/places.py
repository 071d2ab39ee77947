"""Cities the demo customers live in: names, landline area codes and real GB/T 2260 district codes.

District codes feed the first six digits of ID numbers, so they must be codes the ID validator (and a
human reader) recognises as real places.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass
from functools import cache

from carkg.paths import REFERENCE_DIR


@dataclass(frozen=True, slots=True)
class City:
    name: str
    province: str
    area_code: str  # landline trunk code, e.g. "010"
    districts: tuple[str, ...]  # GB/T 2260 county-level codes
    weight: float  # rough share of car buyers
    local_digits: int = 8  # subscriber number length after the area code


CITIES: tuple[City, ...] = (
    City("北京", "北京", "010", ("110101", "110102", "110105", "110106", "110108", "110114"), 9.0),
    City("上海", "上海", "021", ("310101", "310104", "310105", "310112", "310115", "310117"), 9.0),
    City("广州", "广东", "020", ("440103", "440104", "440105", "440106", "440111", "440113"), 6.5),
    City("深圳", "广东", "0755", ("440303", "440304", "440305", "440306", "440307"), 6.5),
    City("成都", "四川", "028", ("510104", "510105", "510106", "510107", "510108"), 6.0),
    City("重庆", "重庆", "023", ("500103", "500105", "500106", "500108", "500112"), 5.5),
    City("杭州", "浙江", "0571", ("330102", "330105", "330106", "330108", "330110"), 5.0),
    City("武汉", "湖北", "027", ("420102", "420103", "420106", "420111", "420115"), 4.5),
    City("西安", "陕西", "029", ("610102", "610103", "610104", "610113", "610116"), 4.0),
    City("苏州", "江苏", "0512", ("320505", "320506", "320507", "320508", "320509"), 4.0),
    City("南京", "江苏", "025", ("320102", "320104", "320105", "320106", "320115"), 3.8),
    City("天津", "天津", "022", ("120101", "120102", "120103", "120104", "120116"), 3.8),
    City("郑州", "河南", "0371", ("410102", "410103", "410104", "410105", "410122"), 3.6),
    City("长沙", "湖南", "0731", ("430102", "430103", "430104", "430105", "430111"), 3.4),
    City("东莞", "广东", "0769", ("441900",), 3.0),
    City("佛山", "广东", "0757", ("440604", "440605", "440606", "440607"), 2.8),
    City("宁波", "浙江", "0574", ("330203", "330205", "330206", "330212"), 2.6),
    City("青岛", "山东", "0532", ("370202", "370203", "370211", "370212"), 2.6),
    City("济南", "山东", "0531", ("370102", "370103", "370104", "370105"), 2.2),
    City("合肥", "安徽", "0551", ("340102", "340103", "340104", "340111"), 2.2),
    City("沈阳", "辽宁", "024", ("210102", "210103", "210104", "210105"), 2.0),
    City("大连", "辽宁", "0411", ("210202", "210203", "210204", "210211"), 1.6),
    City("昆明", "云南", "0871", ("530102", "530103", "530111", "530112"), 1.8),
    City("福州", "福建", "0591", ("350102", "350103", "350104", "350105"), 1.6),
    City("厦门", "福建", "0592", ("350203", "350205", "350206", "350211"), 1.4, 7),
    City("无锡", "江苏", "0510", ("320205", "320206", "320211", "320213"), 1.6),
    City("石家庄", "河北", "0311", ("130102", "130104", "130105", "130108"), 1.6),
    City("哈尔滨", "黑龙江", "0451", ("230102", "230103", "230104", "230108"), 1.5),
    City("南昌", "江西", "0791", ("360102", "360103", "360104", "360111"), 1.3),
    City("南宁", "广西", "0771", ("450102", "450103", "450105", "450107"), 1.3, 7),
    City("太原", "山西", "0351", ("140105", "140106", "140107", "140108"), 1.2, 7),
    City("贵阳", "贵州", "0851", ("520102", "520103", "520111", "520115"), 1.2),
    City("温州", "浙江", "0577", ("330302", "330303", "330304"), 1.2),
)

# Where many urban buyers were born: their ID numbers carry a hometown county code, not the city's.
HOMETOWNS: tuple[str, ...] = (
    "411621",  # 河南 周口 扶沟县
    "412726",  # 河南 周口 郸城县
    "342201",  # 安徽 宿州 埇桥区
    "341221",  # 安徽 阜阳 临泉县
    "511621",  # 四川 广安 岳池县
    "513701",  # 四川 巴中 巴州区
    "430521",  # 湖南 邵阳 邵东县
    "432524",  # 湖南 娄底 新化县
    "360722",  # 江西 赣州 信丰县
    "370829",  # 山东 济宁 嘉祥县
    "130622",  # 河北 保定 清苑县
    "420984",  # 湖北 孝感 汉川市
    "452126",  # 广西 崇左 天等县
    "500228",  # 重庆 梁平县
    "612301",  # 陕西 汉中 汉台区
    "622701",  # 甘肃 平凉 崆峒区
    "232301",  # 黑龙江 绥化 北林区
    "152104",  # 内蒙古 呼伦贝尔
    "350583",  # 福建 泉州 南安市
    "445221",  # 广东 揭阳 揭东县
)


@cache
def centres() -> dict[str, tuple[float, float]]:
    """City name -> (latitude, longitude) of its centre, from the reference file the loader uses too."""
    with (REFERENCE_DIR / "cities.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {row["city"]: (float(row["latitude"]), float(row["longitude"])) for row in csv.DictReader(fh)}


def somewhere_in(city: City, rng: random.Random, max_km: float = 15.0) -> tuple[float, float]:
    """A point 2–`max_km` km from the city centre, where a dealership (usually out of the core) would stand."""
    lat, lon = centres()[city.name]
    km, bearing = rng.uniform(2.0, max_km), rng.uniform(0.0, 2 * math.pi)
    dlat = km * math.cos(bearing) / 111.32
    dlon = km * math.sin(bearing) / (111.32 * math.cos(math.radians(lat)))
    return round(lat + dlat, 5), round(lon + dlon, 5)
