"""`carkg bench identity --quality` and `--peer splink`: how right One ID is, on data it was not tuned to.

`--quality`: the 20k demo with its default traps (seed 42), a second demo (seed 2) with every trap rate
doubled, and FEBRL1–4; each resolved by the unchanged resolver on the benchmark server (its graph is
wiped) and scored pairwise and B-cubed against its own truth, beside the naive baseline.

`--peer splink`: FEBRL4 through One ID and through Splink 5 (DuckDB, set up as in Splink's own FEBRL4
example: names, date of birth, social-security id, address, postcode; u by random sampling, m by EM) in
the same run, both F1s and both times. Splink runs in its own virtualenv under `.carkg/bench/peers-splink`
from `peers/splink_peer/requirements.txt`: a benchmark tool, never a dependency of the project.
"""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys
from dataclasses import dataclass, fields
from pathlib import Path

import orjson
from rich.console import Console
from rich.table import Table

from carkg.bench.demo import load_demo
from carkg.bench.record import record
from carkg.bench.server import bench_database
from carkg.demo import DEFAULT_RATES, TrapRates
from carkg.graph import Database
from carkg.identity.evaluate import evaluate
from carkg.identity.febrl import datasets, evaluate_febrl
from carkg.identity.metrics import Scores, score_clusters
from carkg.settings import Settings

PEER_SOURCE = Path(__file__).parent / "peers" / "splink_peer"
DOUBLED = TrapRates(**{f.name: min(1.0, 2 * getattr(DEFAULT_RATES, f.name)) for f in fields(TrapRates)})
SPLINK_THRESHOLD = "0.99"  # the match probability Splink's clusters are cut at for the recorded figure
_ENTITY = re.compile(r"^rec-(\d+)-")


@dataclass(frozen=True)
class Outcome:
    name: str
    model: Scores
    baseline: Scores | None
    seconds: float  # One ID: resolve (the load into Neo4j apart); Splink: train + predict + cluster


def demo_quality(db: Database, *, customers: int, seed: int, rates: TrapRates, console: Console) -> Outcome:
    demo = load_demo(db, customers, seed, rates=rates)
    result = evaluate(db, demo.truth)
    seconds = result.report.total_seconds if result.report else 0.0
    return Outcome(f"demo {customers} seed {seed}" + ("" if rates == DEFAULT_RATES else " (trap rates ×2)"),
                   result.model, result.baseline, seconds)


def febrl_quality(db: Database, number: int) -> Outcome:
    result, records = evaluate_febrl(db, number)
    seconds = result.report.total_seconds if result.report else 0.0
    return Outcome(f"FEBRL{number} ({records} records)", result.model, result.baseline, seconds)


def splink_tools(console: Console) -> Path:
    """The virtualenv Splink runs in, (re)built when its requirements change."""
    home = Settings().state_dir / "bench" / "peers-splink"
    requirements = PEER_SOURCE / "requirements.txt"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    stamp = home / ".installed"
    if not stamp.exists() or stamp.read_text() != digest:
        with console.status("Installing Splink into the benchmark's cache (pip)…"):
            subprocess.run([sys.executable, "-m", "venv", str(home)], check=True)
            subprocess.run([str(home / "bin" / "python"), "-m", "pip", "install", "-q", "-r", str(requirements)],
                           check=True)
        stamp.write_text(digest)
    return home / "bin" / "python"


def splink_febrl4(console: Console) -> dict[str, Outcome]:
    """Splink's clusters on FEBRL4 at 0.9 and at SPLINK_THRESHOLD, scored like One ID's."""
    python = splink_tools(console)
    work = Settings().state_dir / "bench" / "splink-febrl4"
    work.mkdir(parents=True, exist_ok=True)
    paths = []
    for system, rows in datasets(4):
        path = work / f"{system}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        paths.append(str(path))
    out = work / "clusters.json"
    with console.status("Splink 5 on FEBRL4 (DuckDB)…"):
        subprocess.run([str(python), str(PEER_SOURCE / "febrl4.py"), *paths, str(out), "0.9", SPLINK_THRESHOLD],
                       check=True, capture_output=True)
    result = orjson.loads(out.read_bytes())
    outcomes = {}
    for threshold, clusters in result["clusters"].items():
        truth = {key: _entity(key) for key in clusters}
        outcomes[threshold] = Outcome(f"Splink {result['splink']} at p ≥ {threshold}",
                                      score_clusters(clusters, truth), None, result["seconds"]["total"])
    return outcomes


def _entity(rec_id: str) -> str:
    match = _ENTITY.match(rec_id)
    if match is None:
        raise ValueError(f"FEBRL record id {rec_id!r} does not name its entity")
    return match.group(1)


def print_outcomes(console: Console, title: str, outcomes: list[Outcome]) -> None:
    table = Table(title=title)
    for column in ("data", "precision", "recall", "pairwise F1", "B-cubed F1", "naive F1", "seconds"):
        table.add_column(column, justify="left" if column == "data" else "right")
    for o in outcomes:
        table.add_row(o.name, f"{o.model.precision:.4f}", f"{o.model.recall:.4f}", f"{o.model.f1:.4f}",
                      f"{o.model.bcubed_f1:.4f}", f"{o.baseline.f1:.4f}" if o.baseline else "—", f"{o.seconds:.1f}")
    console.print(table)


def run_quality(*, console: Console, quality: bool, peer: str | None, customers: int = 20_000) -> list[Outcome]:
    """The runs asked for, on the benchmark server; their figures recorded in docs/benchmarks.json."""
    if peer not in (None, "splink"):
        raise ValueError(f"the One ID peer is 'splink', got {peer!r}")
    outcomes: list[Outcome] = []
    with bench_database(console) as db:
        if quality:
            outcomes += quality_runs(db, customers, console)
        if peer == "splink":
            outcomes += splink_runs(db, console)
    return outcomes


def quality_runs(db: Database, customers: int, console: Console) -> list[Outcome]:
    demo = demo_quality(db, customers=customers, seed=42, rates=DEFAULT_RATES, console=console)
    second = demo_quality(db, customers=customers, seed=2, rates=DOUBLED, console=console)
    febrl = [febrl_quality(db, n) for n in (1, 2, 3, 4)]
    outcomes = [demo, second, *febrl]
    print_outcomes(console, "One ID: pairwise and B-cubed against the truth", outcomes)
    record({"identity.demo.f1": (round(demo.model.f1, 4), "pairwise F1"),
            "identity.demo.precision": (round(demo.model.precision, 4), "pairwise precision"),
            "identity.demo_seed2.f1": (round(second.model.f1, 4), "pairwise F1"),
            "identity.febrl4.recall": (round(febrl[3].model.recall, 4), "pairwise recall"),
            "identity.febrl4.precision": (round(febrl[3].model.precision, 4), "pairwise precision")},
           f"carkg bench identity --quality --customers {customers}")
    return outcomes


def splink_runs(db: Database, console: Console) -> list[Outcome]:
    ours = febrl_quality(db, 4)
    theirs = splink_febrl4(console)
    print_outcomes(console, "FEBRL4: One ID beside Splink", [ours, *theirs.values()])
    chosen = theirs[SPLINK_THRESHOLD]
    console.print(f"One ID F1 {ours.model.f1:.4f} in {ours.seconds:.1f}s (resolve in Neo4j + GDS, the load apart); "
                  f"Splink F1 {chosen.model.f1:.4f} in {chosen.seconds:.1f}s (train, predict, cluster in DuckDB)")
    record({"identity.splink.febrl4.f1": (round(chosen.model.f1, 4), "pairwise F1"),
            "identity.febrl4.f1": (round(ours.model.f1, 4), "pairwise F1")}, "carkg bench identity --peer splink")
    return [ours, *theirs.values()]
