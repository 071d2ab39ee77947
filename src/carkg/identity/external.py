"""`carkg identity evaluate --data <csv>`: One ID scored on any person file that knows who is who.

The CSV (UTF-8, a header row; other columns are ignored):

| column | required | what |
|---|---|---|
| `record_id` | yes | unique per row |
| `cluster_id` | yes | the true person: rows with the same value are the same person |
| `name`, or `given_name` + `surname` | yes | the person's name |
| `birth_date` | no | `YYYY-MM-DD` or `YYYYMMDD`, not in the future |
| `city`, `address`, `postcode`, `gender` | no | as written |
| `phone` | no | any way of writing a number; read as `--region` numbers when it has no country code |
| `id_number` | no | an 18-character 身份证 number (area, birth date and checksum checked), or another |
|  |  | document number: 4–30 letters, digits or `-` |

A row with a problem goes to the rejects file with its line, field and reason, and is never loaded, so it
links nothing. The records are loaded into the benchmark server's graph (wiped first), resolved by the
unchanged resolver and scored pairwise and B-cubed against `cluster_id`, beside the naive baseline.
"""

from __future__ import annotations

import csv
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from carkg.graph import Database
from carkg.identifiers.errors import IdentifierError
from carkg.identifiers.idcard import hash_id_number, near_document_keys, parse_id_card
from carkg.identifiers.names import name_pinyin
from carkg.identifiers.phone import normalize_phone
from carkg.identity.evaluate import Evaluation, naive_clusters, predicted_clusters
from carkg.identity.metrics import score_clusters
from carkg.identity.records import load_records
from carkg.identity.resolve import resolve

SYSTEM = "eval"
_DOCUMENT = re.compile(r"^[A-Za-z0-9-]{4,30}$")
_CHINESE_ID = re.compile(r"^\d{17}[\dXx]$")


@dataclass(frozen=True)
class Rejection:
    line: int  # in the file, the header being line 1
    field: str
    reason: str


@dataclass
class Parsed:
    rows: list[dict[str, Any]] = field(default_factory=list)  # for identity/fixture_records
    truth: dict[str, str] = field(default_factory=dict)  # record key -> cluster id
    rejected: list[Rejection] = field(default_factory=list)


class RowProblem(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def _birth(text: str, today: date) -> str | None:
    if not text:
        return None
    digits = text.replace("-", "")
    if not (len(digits) == 8 and digits.isdigit()):
        raise RowProblem("birth_date", f"not a date (YYYY-MM-DD or YYYYMMDD): {text!r}")
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError as exc:
        raise RowProblem("birth_date", f"not a date: {text!r}") from exc
    if born > today:
        raise RowProblem("birth_date", f"in the future: {born.isoformat()}")
    return born.isoformat()


def _document(text: str, key: bytes) -> tuple[str, list[str]] | None:
    """A document number as the graph keeps it: hashed with `key`, never in clear, with its one-edit keys."""
    if not text:
        return None
    if _CHINESE_ID.match(text):
        try:
            number = parse_id_card(text).number
        except IdentifierError as exc:
            raise RowProblem("id_number", str(exc)) from exc
    elif _DOCUMENT.match(text):
        number = text.upper()
    else:
        raise RowProblem("id_number", "neither an 18-character ID number nor 4–30 letters, digits or '-'")
    return hash_id_number(number, key), near_document_keys(number, key)


def _row(raw: dict[str, str], *, region: str, today: date, key: bytes) -> tuple[dict[str, Any], str]:
    def get(name: str) -> str:
        return (raw.get(name) or "").strip()

    record_id, cluster = get("record_id"), get("cluster_id")
    if not record_id:
        raise RowProblem("record_id", "empty")
    if not cluster:
        raise RowProblem("cluster_id", "empty")
    name = get("name") or " ".join(p for p in (get("given_name"), get("surname")) if p)
    if not name:
        raise RowProblem("name", "empty (give name, or given_name and surname)")
    phones = []
    if get("phone"):
        try:
            phones.append(normalize_phone(get("phone"), region))
        except IdentifierError as exc:
            raise RowProblem("phone", str(exc)) from exc
    document = _document(get("id_number"), key)
    key = f"{SYSTEM}:{record_id}"
    return {
        "key": key, "system": SYSTEM, "name": name, "pinyin": name_pinyin(name), "city": get("city") or None,
        "gender": get("gender") or None, "birthDate": _birth(get("birth_date"), today), "phones": phones,
        "ids": [document[0]] if document else [], "idNear": [document[1]] if document else [],
        "devices": [], "wechats": [], "vins": [],
        "address": get("address") or None, "postcode": get("postcode") or None,
    }, cluster


def _lines(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"record_id", "cluster_id"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: the header lacks {', '.join(sorted(missing))} (see carkg.identity.external)")
        for raw in reader:
            yield reader.line_num, raw


def parse(path: Path, *, region: str = "CN", today: date | None = None) -> Parsed:
    today = today or date.today()
    key = secrets.token_bytes(32)  # the evaluation graph is wiped and rebuilt: its hashes need not outlive it
    out, seen = Parsed(), set()
    for line, raw in _lines(path):
        try:
            row, cluster = _row(raw, region=region, today=today, key=key)
            if row["key"] in seen:
                raise RowProblem("record_id", f"{raw['record_id']!r} appears twice")
        except RowProblem as problem:
            out.rejected.append(Rejection(line, problem.field, problem.reason))
            continue
        seen.add(row["key"])
        out.rows.append(row)
        out.truth[row["key"]] = cluster
    return out


def write_rejects(rejected: list[Rejection], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["line", "field", "reason"])
        writer.writerows((r.line, r.field, r.reason) for r in rejected)


def load_parsed(db: Database, parsed: Parsed, batch: int = 5000) -> None:
    """Wipe `db` and load the parsed records (only the ones that passed the checks)."""
    if not parsed.rows:
        raise ValueError("no record passed the checks: nothing to evaluate (see the rejects file)")
    db.wipe()
    db.apply_schema()
    for start in range(0, len(parsed.rows), batch):
        db.write("identity/fixture_records", rows=parsed.rows[start : start + batch])


def evaluate_file(db: Database, parsed: Parsed, batch: int = 5000) -> Evaluation:
    """Wipe `db`, load the parsed records, resolve, and score (model, naive baseline, the resolve run)."""
    load_parsed(db, parsed, batch)
    report = resolve(db)
    model = score_clusters(predicted_clusters(db), parsed.truth)
    baseline = score_clusters(naive_clusters(load_records(db, trusted_only=False)), parsed.truth)
    return Evaluation(model, baseline, report)


__all__ = ["Parsed", "Rejection", "evaluate_file", "load_parsed", "parse", "write_rejects"]
