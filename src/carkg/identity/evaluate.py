"""`carkg identity evaluate`: the resolver against the demo ground truth, next to a naive baseline.

The naive baseline is what a first attempt does: connected components over every shared identifier
(phone, ID, device, unionid, VIN), with no hygiene and no scoring. Reading the truth happens here only;
the resolver never sees it.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from carkg.graph import Database
from carkg.identity.metrics import Scores, score_clusters
from carkg.identity.records import IDENTIFIERS, Record, load_records
from carkg.identity.resolve import ResolveReport, resolve


@dataclass(frozen=True)
class Evaluation:
    model: Scores
    baseline: Scores
    report: ResolveReport | None


def load_truth(path: Path) -> dict[str, str]:
    """truth.csv (system, source_id, person_id) → record key 'system:source_id' → person."""
    if not path.is_file():
        raise FileNotFoundError(f"no ground truth at {path} (generate the demo with `carkg demo generate`)")
    truth: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"system", "source_id", "person_id"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {sorted(missing)}")
        for line, row in enumerate(reader, start=2):
            if not row["system"] or not row["source_id"] or not row["person_id"]:
                raise ValueError(f"{path} row {line}: system, source_id and person_id are all required")
            truth[f"{row['system']}:{row['source_id']}"] = row["person_id"]
    return truth


def naive_clusters(records: Sequence[Record]) -> dict[str, str]:
    """Connected components over every shared identifier value, suspect or not."""
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, str], int] = {}
    for i, rec in enumerate(records):
        for kind in IDENTIFIERS:
            for value in getattr(rec, kind):
                j = first.setdefault((kind, value), i)
                a, b = find(i), find(j)
                if a != b:
                    parent[a] = b
    return {rec.key: str(find(i)) for i, rec in enumerate(records)}


def predicted_clusters(db: Database) -> dict[str, str]:
    return {row["key"]: row["oneId"] for row in db.read("identity/persons_of")}


def evaluate(db: Database, truth_path: Path, *, run: bool = True, incremental: bool = False) -> Evaluation:
    truth = load_truth(truth_path)
    report = resolve(db, incremental=incremental) if run else None
    model = score_clusters(predicted_clusters(db), truth)
    baseline = score_clusters(naive_clusters(load_records(db, trusted_only=False)), truth)
    return Evaluation(model, baseline, report)
