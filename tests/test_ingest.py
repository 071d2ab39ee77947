"""Loading real export files into a real Neo4j: every source kind, rejects, idempotency, encodings."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from neo4j.exceptions import Neo4jError

from carkg.demo import generate
from carkg.graph import Database, cypher
from carkg.ingest import Loader, load_mappings
from carkg.ingest.mapping import mapping
from carkg.ingest.pipeline import iter_rejects
from carkg.ingest.readers import FileFormatError, read_rows
from carkg.paths import REFERENCE_DIR


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated demo set with a high bad-row rate, so every reject path is exercised."""
    root = tmp_path_factory.mktemp("demo")
    generate(root / "exports", customers=150, seed=3, bad_row_rate=0.05)
    return root


def load(db: Database, key: bytes, exports: Path, rejects: Path, **kw: object):  # type: ignore[no-untyped-def]
    return Loader(db, key=key, batch_size=200, progress=False, **kw).load(exports, rejects)  # type: ignore[arg-type]


def test_every_source_kind_loads(db: Database, key: bytes, demo: Path, tmp_path: Path) -> None:
    report = load(db, key, demo / "exports", tmp_path / "rejects.csv")

    by_source = {s.source: s for s in report.sources}
    assert set(by_source) == {m.name for m in load_mappings()}
    for s in report.sources:
        assert not s.missing, s.source
        assert s.read > 0 and s.loaded > 0, s
        assert s.loaded + s.rejected + s.duplicates == s.read, s
    systems = {r["system"]: r["n"] for r in db.query(
        "MATCH (r:CustomerRecord) WHERE r.stub IS NULL RETURN r.system AS system, count(*) AS n")}
    assert set(systems) == {"dms", "aftersales", "leads", "wecom"}
    counts = db.counts()
    for label in ("Phone", "IdDocument", "Vehicle", "Order", "ServiceVisit", "Lead", "Event", "ChatMessage",
                  "WeChatAccount", "Advisor", "Dealer", "Material", "EventGroup", "VehicleModel", "Brand"):
        assert counts.get(f"(:{label})", 0) > 0, label


def test_bad_rows_rejected_with_line_field_reason_while_good_rows_land(
    db: Database, key: bytes, demo: Path, tmp_path: Path
) -> None:
    report = load(db, key, demo / "exports", tmp_path / "rejects.csv")

    planted = [row for row in csv.DictReader((demo / "truth" / "truth_traps.csv").open(encoding="utf-8"))
               if row["trap"] == "bad_row"]
    assert planted, "the generator planted no bad rows"
    rejects = list(iter_rejects(tmp_path / "rejects.csv"))
    assert report.total("rejected") == len(planted)
    rejected_columns = Counter((r["file"], r["column"]) for r in rejects)
    for row in planted:
        detail = dict(part.split("=", 1) for part in row["detail"].split("; "))
        assert rejected_columns[(detail["file"], detail["field"])] > 0, detail
    for r in rejects:
        assert int(r["line"]) >= 1 and r["field"] and r["reason"], r

    good = next(csv.DictReader((demo / "truth" / "truth.csv").open(encoding="utf-8")))
    assert db.query("MATCH (r:CustomerRecord {key: $k}) RETURN r.name AS name",
                    {"k": f"{good['system']}:{good['source_id']}"})


def test_second_load_changes_no_counts(db: Database, key: bytes, demo: Path, tmp_path: Path) -> None:
    load(db, key, demo / "exports", tmp_path / "r1.csv")
    before = db.counts()
    again = load(db, key, demo / "exports", tmp_path / "r2.csv")
    assert again.total("nodes_created") == 0
    assert again.total("relationships_created") == 0
    assert db.counts() == before


def test_gbk_chinese_headers_and_utf8_english_headers_load_the_same(
    db: Database, key: bytes, demo: Path, tmp_path: Path
) -> None:
    gbk = demo / "exports" / "dms_customers.csv"
    assert gbk.read_bytes().decode("gb18030").startswith("客户编号")
    with pytest.raises(UnicodeDecodeError):
        gbk.read_bytes().decode("utf-8")
    english = {"客户编号": "customer_id", "姓名": "customer_name", "手机号": "mobile", "证件号码": "id_number",
               "性别": "gender", "城市": "city", "经销商编号": "dealer_id", "顾问编号": "advisor_id",
               "建档日期": "created_at"}
    rows = list(csv.reader(gbk.read_bytes().decode("gb18030").splitlines()))
    utf8_dir = tmp_path / "utf8"
    utf8_dir.mkdir()
    with (utf8_dir / "dms_customers.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([english[h] for h in rows[0]])
        w.writerows(rows[1:])

    loader = Loader(db, key=key, batch_size=200, progress=False)
    from_gbk = loader.load(demo / "exports", tmp_path / "a.csv", only=["dms_customers"])
    gbk_counts = db.counts()
    from_utf8 = loader.load(utf8_dir, tmp_path / "b.csv", only=["dms_customers"])
    assert from_utf8.sources[0].read == from_gbk.sources[0].read
    assert from_utf8.sources[0].rejected == from_gbk.sources[0].rejected
    assert from_utf8.total("nodes_created") == 0  # the same records, merged onto the same nodes
    assert db.counts() == gbk_counts


def test_a_failing_batch_leaves_nothing_behind(db: Database) -> None:
    good = {"record": {"key": "dms:ATOMIC1", "system": "dms", "sourceId": "ATOMIC1", "name": "王伟"},
            "phone": None, "idDocument": None, "dealerId": None, "advisorId": None}
    broken = {**good, "record": {**good["record"], "key": "dms:ATOMIC2"},
              "phone": {"e164": None, "masked": "x", "mobile": True}}  # MERGE on a null key fails in Neo4j
    with pytest.raises(Neo4jError):
        db.write_batch(cypher("ingest/dms_customers"), [good, broken])
    assert db.query("MATCH (r:CustomerRecord) WHERE r.key STARTS WITH 'dms:ATOMIC' RETURN r") == []


def test_model_names_from_every_system_land_on_the_canonical_model(
    db: Database, key: bytes, demo: Path, tmp_path: Path
) -> None:
    load(db, key, demo / "exports", tmp_path / "rejects.csv")
    with (REFERENCE_DIR / "models.csv").open(encoding="utf-8-sig") as fh:
        catalogue = sum(1 for _ in csv.DictReader(fh))
    assert db.counts()["(:VehicleModel)"] == catalogue  # no stray model spelled another way
    orphans = db.query("MATCH (v:Vehicle) WHERE NOT (v)-[:OF_MODEL]->() RETURN count(v) AS n")[0]["n"]
    assert orphans == 0


def test_raw_id_numbers_are_never_stored(db: Database, key: bytes, demo: Path, tmp_path: Path) -> None:
    load(db, key, demo / "exports", tmp_path / "rejects.csv")
    raw = [r["证件号码"] for r in csv.DictReader(
        (demo / "exports" / "dms_customers.csv").read_bytes().decode("gb18030").splitlines()) if r["证件号码"]]
    assert raw
    hits = db.query(
        "MATCH (n) WHERE any(k IN keys(n) WHERE n[k] IN $raw) RETURN count(n) AS n", {"raw": raw[:200]}
    )[0]["n"]
    assert hits == 0
    masked = db.query("MATCH (i:IdDocument) RETURN i.masked AS m LIMIT 1")[0]["m"]
    assert "********" in masked
    rejected_ids = [r["value"] for r in iter_rejects(tmp_path / "rejects.csv") if r["field"] == "id_number"]
    assert all("*" in v for v in rejected_ids)


def test_a_missing_required_column_is_a_clear_file_error(tmp_path: Path) -> None:
    path = tmp_path / "dms_customers.csv"
    path.write_text("姓名,手机号\n王伟,13812345678\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="source_id"):
        list(read_rows(path, mapping("dms_customers"), required={"source_id", "name"}))


def test_committed_samples_load(db: Database, key: bytes, samples: Path, tmp_path: Path) -> None:
    report = load(db, key, samples, tmp_path / "rejects.csv")
    assert all(not s.missing for s in report.sources)
    assert report.total("loaded") > 0


def test_a_replayed_event_is_stored_once(db: Database, key: bytes, demo: Path, tmp_path: Path) -> None:
    """Events are append-only facts: the same event id twice in a batch, or again in a later load, is one node."""
    lines = (demo / "exports" / "wecom_events.jsonl").read_text(encoding="utf-8").splitlines()
    replay = tmp_path / "replay"
    replay.mkdir()
    (replay / "wecom_events.jsonl").write_text("\n".join([*lines[:50], *lines[:10]]) + "\n", encoding="utf-8")
    loader = Loader(db, key=key, batch_size=1000, progress=False)

    first = loader.load(replay, tmp_path / "r1.csv", only=["wecom_events"]).sources[0]
    assert (first.read, first.loaded, first.duplicates) == (60, 50, 10)
    assert db.counts()["(:Event)"] == 50
    again = loader.load(replay, tmp_path / "r2.csv", only=["wecom_events"])
    assert again.total("nodes_created") == 0 and db.counts()["(:Event)"] == 50


def test_replayed_ids_are_counted_across_batches(db: Database, key: bytes, demo: Path, tmp_path: Path) -> None:
    lines = (demo / "exports" / "wecom_events.jsonl").read_text(encoding="utf-8").splitlines()
    replay = tmp_path / "replay"
    replay.mkdir()
    (replay / "wecom_events.jsonl").write_text("\n".join([*lines[:50], *lines[:10]]) + "\n", encoding="utf-8")

    report = Loader(db, key=key, batch_size=20, progress=False).load(replay, tmp_path / "r.csv", only=["wecom_events"])
    assert (report.sources[0].loaded, report.sources[0].duplicates) == (50, 10)
    assert db.counts()["(:Event)"] == 50


def test_dealers_and_cities_become_points_and_a_half_location_is_rejected(
        db: Database, key: bytes, samples: Path, tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    rows = (samples / "dealers.csv").read_text(encoding="utf-8").splitlines()
    half = "D0099,半坐标汽车,北京,BYD,,39.9,"
    (exports / "dealers.csv").write_text("\n".join([*rows, half]) + "\n", encoding="utf-8")
    Loader(db, key=key, progress=False).load(exports, tmp_path / "rejects.csv", only=["dealers"])

    [bad] = [r for r in iter_rejects(tmp_path / "rejects.csv") if r["file"] == "dealers.csv"]
    assert bad["line"] == str(len(rows) + 1) and bad["field"] == "longitude", bad
    assert "needs both latitude and longitude" in bad["reason"], bad
    located = db.query("MATCH (d:Dealer {dealerId: 'D0001'}), (c:City {name: d.city}) "
                       "RETURN d.location.latitude AS lat, point.distance(d.location, c.location) AS metres")
    assert located[0]["lat"] == pytest.approx(34.80211) and 5_000 < located[0]["metres"] < 20_000
    assert db.query("MATCH (d:Dealer {dealerId: 'D0005'}) RETURN d.location AS p") == [{"p": None}]
    assert db.query("MATCH (c:City) RETURN count(c) AS n")[0]["n"] == len(
        (REFERENCE_DIR / "cities.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert not db.query("MATCH (d:Dealer {dealerId: 'D0099'}) RETURN d")
