"""The demo generator: pure Python, no database.

Checksums and alias matching are re-implemented here from their definitions, so a bug in the
generator's own implementation cannot hide itself.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import phonenumbers
import pytest

from carkg.demo import GenerateResult, TrapRates, generate
from carkg.demo.catalog import reference_files
from carkg.paths import REFERENCE_DIR

N = 3000
ANCHOR = date(2026, 10, 31)
EXPORTS = {
    "dealers.csv": ("utf-8", ["dealer_id", "dealer_name", "city", "brand_codes", "front_desk_phone", "latitude",
                    "longitude"]),
    "advisors.csv": ("utf-8", ["advisor_id", "advisor_name", "dealer_id", "mobile", "brand_code", "rating",
                              "languages", "services", "interests"]),
    "materials.csv": ("utf-8", ["material_id", "title", "kind", "model_code"]),
    "event_groups.csv": ("utf-8", ["group_id", "name", "campaign", "event_date", "city"]),
    "dms_customers.csv": ("gbk", [
        "客户编号", "姓名", "手机号", "证件号码", "性别", "城市", "经销商编号", "顾问编号", "建档日期",
    ]),
    "dms_orders.csv": ("gbk", ["订单编号", "客户编号", "车架号", "车型", "成交日期", "成交价"]),
    "aftersales_service.csv": ("utf-8-sig", [
        "service_id", "customer_no", "customer_name", "mobile", "vin", "model_name", "dealer_id",
        "service_date", "mileage_km", "service_type",
    ]),
}  # fmt: skip
JSONL = ("leads.jsonl", "lead_activities.jsonl", "wecom_contacts.jsonl", "wecom_events.jsonl", "chat_messages.jsonl")
CHANNELS = ("app", "web", "autohome", "dongchedi", "call_center", "event", "wecom")
EVENT_TYPES = {
    "join_group", "open_material", "forward_material", "click_material", "share_content", "visit_touchpoint",
    "book_test_drive",
}  # fmt: skip


# -- independent reference implementations --------------------------------------------------------


def id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 from its definition: weight of position i is 2^(17-i) mod 11."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    return "10X98765432"[total % 11]


def vin_check_digit(vin: str) -> str:
    """North American check digit; the transliteration is the classic index-mod-10 trick."""
    table = "0123456789.ABCDEFGH..JKLMN.P.R..STUVWXYZ"
    weights = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
    total = sum((table.index(c) % 10) * w for c, w in zip(vin, weights, strict=True))
    return "X" if total % 11 == 10 else str(total % 11)


def vin_ok(vin: str) -> bool:
    return (
        len(vin) == 17
        and re.fullmatch(r"[A-HJ-NPR-Z0-9]{17}", vin) is not None
        and vin[8] == vin_check_digit(vin)
    )


def id_ok(number: str) -> bool:
    if not re.fullmatch(r"\d{17}[\dX]", number) or number[17] != id_check_char(number[:17]):
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return date(1940, 1, 1) < born < ANCHOR


def phone_ok(raw: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(raw, "CN"))
    except phonenumbers.NumberParseException:
        return False


def alias_key(text: str) -> str:
    """README: matching is case- and width-insensitive and ignores spaces (the loaders also drop - and _)."""
    return re.sub(r"[\s\-_]+", "", unicodedata.normalize("NFKC", text).casefold())


def test_reference_checksums_against_published_examples() -> None:
    assert id_check_char("11010519491231002") == "X"
    assert vin_check_digit("1M8GDM9AXKP042788") == "X"
    assert vin_check_digit("11111111111111111") == "1"


# -- one demo set shared by most tests ------------------------------------------------------------


@dataclass
class Demo:
    result: GenerateResult
    exports: Path
    truth: list[dict[str, str]]
    traps: list[dict[str, str]]

    def csv(self, name: str) -> list[dict[str, str]]:
        encoding = EXPORTS[name][0]
        with (self.exports / name).open(encoding=encoding, newline="") as fh:
            return list(csv.DictReader(fh))

    def jsonl(self, name: str) -> list[dict[str, object]]:
        with (self.exports / name).open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh]

    def bad(self, system: str) -> set[str]:
        return {t["source_id"] for t in self.traps if t["trap"] == "bad_row" and t["system"] == system}

    def trapped(self, trap: str) -> list[dict[str, str]]:
        return [t for t in self.traps if t["trap"] == trap]

    @property
    def person_of(self) -> dict[tuple[str, str], str]:
        return {(r["system"], r["source_id"]): r["person_id"] for r in self.truth}


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    base = tmp_path_factory.mktemp("demo")
    result = generate(base / "exports", customers=N, seed=11)
    return Demo(result, result.out_dir, _read_csv(result.truth_path),
                _read_csv(result.truth_path.parent / "truth_traps.csv"))  # fmt: skip


# -- determinism -----------------------------------------------------------------------------------


def _all_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_bytes_even_in_another_interpreter(tmp_path: Path) -> None:
    generate(tmp_path / "a" / "exports", customers=400, seed=5)
    script = "import sys; from pathlib import Path; from carkg.demo import generate; " \
             "generate(Path(sys.argv[1]), customers=400, seed=5)"  # fmt: skip
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # set/dict order must not leak into the output
    subprocess.run([sys.executable, "-c", script, str(tmp_path / "b" / "exports")], check=True, env=env)
    first, second = _all_bytes(tmp_path / "a"), _all_bytes(tmp_path / "b")
    assert len(first) == 16  # 12 exports + truth.csv, truth_traps.csv, lead_propensity.csv, advisor_fit.csv
    assert first == second


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    generate(tmp_path / "a" / "exports", customers=200, seed=1)
    generate(tmp_path / "b" / "exports", customers=200, seed=2)
    first, second = (tmp_path / run / "exports" / "leads.jsonl" for run in "ab")
    assert first.read_bytes() != second.read_bytes()


# -- files, headers, encodings ---------------------------------------------------------------------


def test_writes_every_contract_file_and_truth_apart(demo: Demo) -> None:
    assert sorted(p.name for p in demo.exports.iterdir()) == sorted([*EXPORTS, *JSONL])
    assert demo.result.truth_path == demo.exports.parent / "truth" / "truth.csv"
    assert (demo.exports.parent / "truth" / "truth_traps.csv").is_file()
    for name, count in demo.result.counts.items():
        lines = (demo.exports / name).read_bytes().count(b"\n")
        assert count == lines - (0 if name.endswith(".jsonl") else 1), name


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_csv_headers_and_encodings(demo: Demo, name: str) -> None:
    encoding, header = EXPORTS[name]
    raw = (demo.exports / name).read_bytes()
    if encoding == "gbk":
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")  # really GBK, not UTF-8 that happens to be ASCII
    text = raw.decode(encoding)
    assert next(csv.reader([text.splitlines()[0]])) == header


def test_jsonl_is_one_object_per_line_with_raw_chinese(demo: Demo) -> None:
    for name in JSONL:
        text = (demo.exports / name).read_text(encoding="utf-8")
        lines = text.splitlines()
        assert lines and all(isinstance(json.loads(line), dict) for line in lines)
        if name not in {"wecom_events.jsonl", "lead_activities.jsonl"}:  # ids and types only
            assert "\\u" not in text and re.search(r"[\u4e00-\u9fff]", text), name


# -- identifiers -----------------------------------------------------------------------------------


def test_every_id_number_in_good_rows_passes_its_checksum(demo: Demo) -> None:
    bad = demo.bad("dms")
    rows = [r for r in demo.csv("dms_customers.csv") if r["客户编号"] not in bad and r["证件号码"]]
    assert len(rows) > N * 0.2
    for r in rows:
        number = r["证件号码"]
        assert id_ok(number), number
        if r["性别"]:
            assert ("男" if int(number[16]) % 2 else "女") == r["性别"]


def test_every_vin_in_good_rows_passes_its_check_digit(demo: Demo) -> None:
    bad_orders, bad_service = demo.bad("dms_orders"), demo.bad("aftersales")
    vins = [r["车架号"] for r in demo.csv("dms_orders.csv") if r["订单编号"] not in bad_orders]
    vins += [r["vin"] for r in demo.csv("aftersales_service.csv") if r["customer_no"] not in bad_service]
    assert len(vins) > N * 0.5
    assert all(vin_ok(v) for v in vins), [v for v in vins if not vin_ok(v)][:5]
    assert {v[:3] for v in vins} <= {"LGX", "LFV", "LSV", "LHG", "L6T", "LGB", "LW4"}


def test_every_phone_in_good_rows_is_a_valid_cn_number(demo: Demo) -> None:
    phones = [r["front_desk_phone"] for r in demo.csv("dealers.csv")]
    phones += [r["mobile"] for r in demo.csv("advisors.csv")]
    phones += [r["手机号"] for r in demo.csv("dms_customers.csv") if r["客户编号"] not in demo.bad("dms")]
    bad_service = demo.bad("aftersales")
    phones += [r["mobile"] for r in demo.csv("aftersales_service.csv") if r["customer_no"] not in bad_service]
    for name, key, system in (("leads.jsonl", "lead_id", "leads"),
                              ("wecom_contacts.jsonl", "external_userid", "wecom")):  # fmt: skip
        bad = demo.bad(system)
        phones += [str(r["phone"]) for r in demo.jsonl(name) if "phone" in r and r[key] not in bad]
    phones = [p for p in phones if p]
    assert all(phone_ok(p) for p in phones), [p for p in phones if not phone_ok(p)][:5]
    written = Counter("+86" if p.startswith("+86") else "86-" if p.startswith("86-") else " " if " " in p
                      else "plain" for p in phones)  # fmt: skip
    assert set(written) == {"+86", "86-", " ", "plain"}  # the written forms people really use


def test_wechat_and_device_ids_look_real(demo: Demo) -> None:
    contacts = demo.jsonl("wecom_contacts.jsonl")
    assert all(re.fullmatch(r"wm[A-Za-z0-9]{30}", str(c["external_userid"])) for c in contacts)
    unionids = [str(c["unionid"]) for c in contacts if "unionid" in c]
    assert unionids and all(re.fullmatch(r"o[A-Za-z0-9_-]{27}", u) for u in unionids)
    devices = [str(r["device_id"]) for r in demo.jsonl("leads.jsonl") if "device_id" in r]
    uuid = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}"
    assert devices and all(re.fullmatch(uuid, d) for d in devices)


# -- model names -----------------------------------------------------------------------------------


def test_reference_files_are_the_rendered_catalogue() -> None:
    for name, text in reference_files().items():
        on_disk = (REFERENCE_DIR / name).read_text(encoding="utf-8")
        assert on_disk == text, f"re-render loaders/reference/{name} with catalog.write_reference"


def test_alias_table_is_unambiguous_and_complete() -> None:
    models = _read_csv(REFERENCE_DIR / "models.csv")
    aliases = _read_csv(REFERENCE_DIR / "model_aliases.csv")
    codes = {m["model_code"] for m in models}
    assert len({m["brand_code"] for m in models}) >= 6 and len(models) >= 24
    targets: dict[str, set[str]] = defaultdict(set)
    for a in aliases:
        assert a["model_code"] in codes and a["system"] in {"sales", "aftersales", "any"}
        targets[alias_key(a["alias"])].add(a["model_code"])
    assert {k: v for k, v in targets.items() if len(v) > 1} == {}
    for m in models:
        mine = {(a["system"], alias_key(a["alias"])) for a in aliases if a["model_code"] == m["model_code"]}
        assert ("any", alias_key(m["model_name_zh"])) in mine
        assert ("any", alias_key(m["model_name_en"])) in mine
        assert {"sales", "aftersales"} <= {s for s, _ in mine}


def test_every_model_name_in_the_exports_maps_through_the_alias_table(demo: Demo) -> None:
    by_system: dict[str, dict[str, str]] = defaultdict(dict)
    for a in _read_csv(REFERENCE_DIR / "model_aliases.csv"):
        by_system[a["system"]][alias_key(a["alias"])] = a["model_code"]

    def resolves(name: str, system: str) -> bool:
        key = alias_key(name)
        return key in by_system[system] or key in by_system["any"]

    sales = {r["车型"] for r in demo.csv("dms_orders.csv")}
    aftersales = {r["model_name"] for r in demo.csv("aftersales_service.csv")}
    leads = {str(r["model"]) for r in demo.jsonl("leads.jsonl") if "model" in r}
    assert sales and aftersales and leads
    assert [n for n in sales if not resolves(n, "sales")] == []
    assert [n for n in aftersales if not resolves(n, "aftersales")] == []
    assert [n for n in leads if alias_key(n) not in by_system["any"]] == []
    assert not sales & aftersales  # the two systems really spell models differently
    codes = {m["model_code"] for m in _read_csv(REFERENCE_DIR / "models.csv")}
    assert {r["model_code"] for r in demo.csv("materials.csv")} - {""} <= codes


# -- ground truth ----------------------------------------------------------------------------------


def _source_ids(demo: Demo) -> dict[str, set[str]]:
    return {
        "dms": {r["客户编号"] for r in demo.csv("dms_customers.csv")},
        "aftersales": {r["customer_no"] for r in demo.csv("aftersales_service.csv")},
        "leads": {str(r["lead_id"]) for r in demo.jsonl("leads.jsonl")},
        "wecom": {str(r["external_userid"]) for r in demo.jsonl("wecom_contacts.jsonl")},
    }


def test_truth_covers_every_good_customer_level_record_and_no_bad_one(demo: Demo) -> None:
    truth: dict[str, set[str]] = defaultdict(set)
    for r in demo.truth:
        truth[r["system"]].add(r["source_id"])
    assert len(demo.truth) == sum(len(v) for v in truth.values())  # no record listed twice
    for system, ids in _source_ids(demo).items():
        assert truth[system] == ids - demo.bad(system), system
        assert demo.bad(system) <= ids
    assert len({r["person_id"] for r in demo.truth}) == N
    assert 2.0 < len(demo.truth) / N < 3.0  # ~2.5 source records per person


def test_orders_and_events_point_at_existing_records(demo: Demo) -> None:
    customers = _source_ids(demo)
    assert {r["客户编号"] for r in demo.csv("dms_orders.csv")} <= customers["dms"]
    materials = {r["material_id"] for r in demo.csv("materials.csv")}
    groups = {r["group_id"] for r in demo.csv("event_groups.csv")}
    advisors = {r["advisor_id"] for r in demo.csv("advisors.csv")}
    dealers = {r["dealer_id"] for r in demo.csv("dealers.csv")}
    events = demo.jsonl("wecom_events.jsonl")
    assert {e["type"] for e in events} == EVENT_TYPES
    for e in events:
        assert e["external_userid"] in customers["wecom"]
        if e["type"] == "join_group":
            assert e["target_id"] in groups
        elif str(e["type"]).endswith("_material"):
            assert e["target_id"] in materials
    chats = demo.jsonl("chat_messages.jsonl")
    assert {c["advisor_id"] for c in chats} <= advisors and {c["direction"] for c in chats} == {"in", "out"}
    assert {r["advisor_id"] for r in demo.jsonl("wecom_contacts.jsonl")} <= advisors
    assert {r["经销商编号"] for r in demo.csv("dms_customers.csv")} <= dealers
    assert {r["dealer_id"] for r in demo.csv("aftersales_service.csv")} <= dealers
    assert {str(r["dealer_id"]) for r in demo.jsonl("leads.jsonl")} <= dealers


def test_volumes_and_dates(demo: Demo) -> None:
    assert len(demo.csv("dealers.csv")) == max(5, round(N / 500))
    assert 6 <= len(demo.csv("advisors.csv")) / len(demo.csv("dealers.csv")) <= 10
    assert 4 < demo.result.counts["wecom_events.jsonl"] / N < 6
    assert 1.4 < demo.result.counts["chat_messages.jsonl"] / N < 2.6
    bad_dates = {t["detail"].rsplit("value=", 1)[1] for t in demo.trapped("bad_row")}
    stamps = [str(e["at"]) for e in demo.jsonl("wecom_events.jsonl")]
    assert min(stamps) >= "2026-05-04" and max(stamps) < "2026-11-01"
    days = [r["成交日期"] for r in demo.csv("dms_orders.csv")]
    days += [r["建档日期"] for r in demo.csv("dms_customers.csv")]
    days += [r["service_date"] for r in demo.csv("aftersales_service.csv")]
    good = [d for d in days if d not in bad_dates]
    assert all(date.fromisoformat(d) <= ANCHOR for d in good)
    leads = demo.jsonl("leads.jsonl")
    assert all(datetime.fromisoformat(str(r["created_at"])).utcoffset() is not None for r in leads
               if str(r["created_at"])[:10] not in bad_dates)  # fmt: skip


def test_lead_outcomes_are_realistic(demo: Demo) -> None:
    leads = [r for r in demo.jsonl("leads.jsonl") if r["lead_id"] not in demo.bad("leads")]
    share = {stage: n / len(leads) for stage, n in Counter(r["stage"] for r in leads).items()}
    assert set(share) == {"new", "contacted", "test_drive", "booked", "won", "lost"}
    assert 0.05 < share["won"] < 0.11
    assert share["new"] + share["contacted"] > 0.5 > share["test_drive"] + share["booked"]
    assert 0.2 < sum("budget_yuan" in r for r in leads) / len(leads) < 0.6
    assert {r["channel"] for r in leads} == set(CHANNELS)


def test_chats_carry_budget_trade_in_loan_and_model_mentions(demo: Demo) -> None:
    texts = [str(c["text"]) for c in demo.jsonl("chat_messages.jsonl") if c["direction"] == "in"]
    joined = "\n".join(texts)
    for pattern in (r"预算\d+万左右", r"\d+到\d+万", r"[一二三四五六七八九十]+万以内", r"\d+0k", r"\d+w",
                    "想置换", "旧车能抵多少", "能贷款吗", "分期"):  # fmt: skip
        assert re.search(pattern, joined), pattern
    aliases = {a["alias"] for a in _read_csv(REFERENCE_DIR / "model_aliases.csv") if a["system"] == "any"}
    assert sum(any(a in t for a in aliases) for t in texts) > len(texts) * 0.2
    assert any(not re.search(r"\d|万|贷|置换", t) for t in texts)  # neutral messages too


# -- traps -----------------------------------------------------------------------------------------


def _share(n: int, total: int) -> float:
    return n / total if total else 0.0


def test_traps_occur_at_roughly_their_rates(demo: Demo) -> None:
    person = demo.person_of
    systems = Counter(r["system"] for r in demo.truth)
    records = len(demo.truth)

    def records_with(trap: str) -> set[tuple[str, str]]:
        return {(t["system"], t["source_id"]) for t in demo.trapped(trap)}

    def persons_with(trap: str) -> set[str]:
        return {person[k] for k in records_with(trap)}

    vins = {r["车架号"] for r in demo.csv("dms_orders.csv")}
    vins |= {r["vin"] for r in demo.csv("aftersales_service.csv")}

    def vehicles_with(trap: str) -> set[str]:
        return {t["detail"].split()[1] for t in demo.trapped(trap)}

    rates = TrapRates()
    dealer_records = systems["dms"] + systems["aftersales"]
    observed = {
        "front_desk_phone": _share(len(records_with("front_desk_phone")), dealer_records),
        "test_number": _share(len(records_with("test_number")), records),
        "name_typo": _share(len(records_with("name_typo")), records),
        "family_shared_phone": _share(len(persons_with("family_shared_phone")), N),
        "two_phones": _share(len(persons_with("two_phones")), N),
        "three_systems": _share(len(persons_with("three_systems")), N),
        "family_shared_car": _share(len(vehicles_with("family_shared_car")), len(vins)),
        "resold_car": _share(len(vehicles_with("resold_car")), len(vins)),
    }
    for name, value in observed.items():
        expected = getattr(rates, name)
        assert expected * 0.6 <= value <= expected * 1.4, (name, value, expected)


def test_trap_rows_mean_what_they_say(demo: Demo) -> None:
    person = demo.person_of
    front_desks = {r["front_desk_phone"] for r in demo.csv("dealers.csv")}
    dms = {r["客户编号"]: r for r in demo.csv("dms_customers.csv")}
    service_phone = {r["customer_no"]: r["mobile"] for r in demo.csv("aftersales_service.csv")}
    for t in demo.trapped("front_desk_phone"):
        phone = dms[t["source_id"]]["手机号"] if t["system"] == "dms" else service_phone[t["source_id"]]
        assert phone in front_desks and phone == t["detail"].split()[0]
    # A front-desk phone is reused across many customers of its dealer.
    assert max(Counter(t["detail"] for t in demo.trapped("front_desk_phone")).values()) >= 3
    for t in demo.trapped("test_number"):
        assert t["detail"] in {"13800138000", "13900000000", "18888888888", "13888888888", "13000000000",
                               "18600000000", "13811111111", "15000000000"}  # fmt: skip
    for t in demo.trapped("family_shared_phone") + demo.trapped("family_shared_car"):
        a, b = re.findall(r"P\d{7}", t["detail"])
        assert a != b and person[(t["system"], t["source_id"])] in {a, b}
    owners_by_vin: dict[str, set[str]] = defaultdict(set)
    for r in demo.csv("dms_orders.csv"):
        owners_by_vin[r["车架号"]].add(person.get(("dms", r["客户编号"]), "?"))
    for r in demo.csv("aftersales_service.csv"):
        owners_by_vin[r["vin"]].add(person.get(("aftersales", r["customer_no"]), "?"))
    for trap in ("resold_car", "family_shared_car"):
        for vin in {t["detail"].split()[1] for t in demo.trapped(trap)}:
            assert len(owners_by_vin[vin] - {"?"}) >= 2, (trap, vin)
    typo_kinds = Counter(t["detail"].split(":")[0] for t in demo.trapped("name_typo"))
    assert set(typo_kinds) == {"homophone", "dropped_char", "pinyin"}


def test_rates_are_configurable(tmp_path: Path) -> None:
    off = TrapRates(**{name: 0.0 for name in TrapRates.__dataclass_fields__})
    result = generate(tmp_path / "off" / "exports", customers=600, seed=3, rates=off, bad_row_rate=0.0)
    kinds = {t["trap"] for t in _read_csv(result.truth_path.parent / "truth_traps.csv")}
    assert kinds <= {"honorific_name", "wecom_nickname"}  # only the habits that are not identity traps
    loud = TrapRates(test_number=0.3)
    result = generate(tmp_path / "loud" / "exports", customers=600, seed=3, rates=loud)
    truth = _read_csv(result.truth_path)
    tests = [t for t in _read_csv(result.truth_path.parent / "truth_traps.csv") if t["trap"] == "test_number"]
    assert 0.2 < len(tests) / len(truth) < 0.35


def test_rejects_nonsense_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        TrapRates(name_typo=1.5)
    with pytest.raises(ValueError, match="at least 1"):
        generate(tmp_path, customers=0)


# -- bad rows --------------------------------------------------------------------------------------


def _bad_value_is_bad(field: str, value: str) -> bool:
    if field in {"手机号", "mobile", "phone"}:
        return not phone_ok(value)
    if field == "证件号码":
        return not id_ok(value)
    if field in {"车架号", "vin"}:
        return not vin_ok(value)
    if field in {"建档日期", "成交日期", "service_date", "created_at", "added_at"}:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return True
        return False
    enums = {
        "性别": {"男", "女", ""},
        "stage": {"new", "contacted", "test_drive", "booked", "won", "lost"},
        "channel": set(CHANNELS),
        "service_type": {"maintenance", "repair", "warranty", "inspection"},
    }
    return value not in enums[field]


def test_bad_rows_are_few_invalid_and_written_where_the_trap_list_says(demo: Demo) -> None:
    bad = demo.trapped("bad_row")
    files = Counter(re.search(r"file=(\S+);", t["detail"]).group(1) for t in bad)  # type: ignore[union-attr]
    assert set(files) == {"dms_customers.csv", "dms_orders.csv", "aftersales_service.csv", "leads.jsonl",
                          "wecom_contacts.jsonl"}  # fmt: skip
    for name, n in files.items():
        assert 0.0015 < n / demo.result.counts[name] < 0.0045, name
    fields = Counter()
    for t in bad:
        match = re.fullmatch(r"file=(\S+); field=(\S+); value=(.*)", t["detail"])
        assert match, t
        _file, field, value = match.groups()
        fields[field] += 1
        assert _bad_value_is_bad(field, value), t
    assert {"手机号", "证件号码", "车架号", "vin", "建档日期", "stage"} <= set(fields)
    # The broken value really is in the file.
    leads = {str(r["lead_id"]): r for r in demo.jsonl("leads.jsonl")}
    for t in bad:
        if t["system"] == "leads":
            field, value = re.findall(r"field=(\S+); value=(.*)", t["detail"])[0]
            assert str(leads[t["source_id"]][field]) == value
