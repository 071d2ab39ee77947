"""`carkg identity evaluate --data`: any CSV with a cluster id is scored by the unchanged resolver; rows with
empty names, future birth dates or identifiers of the wrong shape are rejected with line, field and reason,
and never link anything."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from carkg.graph import Database
from carkg.identifiers.idcard import id_check_char
from carkg.identity.external import evaluate_file, parse, write_rejects

BODY = "11010119850302123"  # area, birth date, sequence: the 18th character is its checksum
VALID_ID = BODY + id_check_char(BODY + "0")
WRONG_CHECKSUM = BODY + ("0" if VALID_ID[-1] != "0" else "1")

HEADER = ["record_id", "cluster_id", "given_name", "surname", "birth_date", "city", "phone", "id_number"]
ROWS = [
    ["a1", "p1", "Wei", "Zhang", "1985-03-02", "Shanghai", "13812345678", VALID_ID],
    ["a2", "p1", "Wei", "Zhang", "19850302", "Shanghai", "+86 138 1234 5678", ""],
    ["b1", "p2", "Li", "Na", "1990-07-15", "Beijing", "13900001111", "E12345678"],
    ["b2", "p2", "Li", "Na", "1990-07-15", "Beijing", "", "E12345678"],
    ["c1", "p3", "Chen", "Jie", "1979-11-30", "Shenzhen", "13700002222", ""],
    ["bad-name", "p4", "", "", "1980-01-01", "Wuhan", "13600003333", ""],
    ["bad-born", "p1", "Wei", "Zhang", "2999-01-01", "Shanghai", "13812345678", ""],
    ["bad-phone", "p1", "Wei", "Zhang", "1985-03-02", "Shanghai", "12345", ""],
    ["bad-id", "p1", "Wei", "Zhang", "1985-03-02", "Shanghai", "", WRONG_CHECKSUM],
    ["a1", "p9", "Someone", "Else", "", "", "", ""],
]


def _write(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return path


def test_bad_rows_are_rejected_with_line_field_and_reason(tmp_path: Path) -> None:
    parsed = parse(_write(tmp_path / "people.csv"), today=date(2026, 12, 7))
    reasons = {(r.line, r.field) for r in parsed.rejected}
    assert reasons == {(7, "name"), (8, "birth_date"), (9, "phone"), (10, "id_number"), (11, "record_id")}
    assert sorted(parsed.truth) == ["eval:a1", "eval:a2", "eval:b1", "eval:b2", "eval:c1"]
    assert parsed.rows[1]["phones"] == parsed.rows[0]["phones"] == ["+8613812345678"]
    write_rejects(parsed.rejected, tmp_path / "rejects.csv")
    lines = (tmp_path / "rejects.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "line,field,reason" and any("in the future" in line for line in lines)


def test_a_file_is_resolved_and_scored_and_rejected_rows_link_nothing(db: Database, tmp_path: Path) -> None:
    parsed = parse(_write(tmp_path / "people.csv"), today=date(2026, 12, 7))
    model = evaluate_file(db, parsed).model
    assert model.records == 5 and model.true_pairs == 2
    assert model.precision == 1.0 and model.recall == 1.0, model
    keys = {r["k"] for r in db.query("MATCH (r:CustomerRecord) RETURN r.key AS k")}
    assert keys == set(parsed.truth)  # no rejected row reached the graph
