"""The benchmarks' demo data: the N-customer exports, generated once per (size, seed) and kept, then loaded
into an emptied benchmark graph through the real loaders. One place, so every benchmark measures the same
data and a second run skips the generation."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from carkg.demo.generator import DEFAULT_RATES, TrapRates
from carkg.demo.world import ANCHOR
from carkg.graph import Database
from carkg.settings import Settings

# The demo's last moment: what benchmarks read the demo "as of" (its data are dated up to its anchor day).
AS_OF = datetime(ANCHOR.year, ANCHOR.month, ANCHOR.day, 23, 59, tzinfo=UTC)


@dataclass(frozen=True)
class DemoSet:
    root: Path

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def truth(self) -> Path:
        return self.root / "truth" / "truth.csv"

    @property
    def rejects(self) -> Path:
        return self.root / "rejects.csv"


def demo_set(customers: int, seed: int, *, rates: TrapRates = DEFAULT_RATES, progress: bool = True) -> DemoSet:
    from carkg.demo import generate

    traps = "" if rates == DEFAULT_RATES else "-traps-" + hashlib.sha256(repr(rates).encode()).hexdigest()[:8]
    demo = DemoSet(Settings().state_dir / "bench" / f"demo-n{customers}-s{seed}{traps}")
    if not (demo.root / ".generated").exists():
        generate(demo.exports, customers=customers, seed=seed, rates=rates, progress=progress)
        (demo.root / ".generated").touch()
    return demo


def load_demo(
    db: Database, customers: int, seed: int, *, rates: TrapRates = DEFAULT_RATES, progress: bool = True
) -> DemoSet:
    """Empty the benchmark graph and load the demo set into it (generating it the first time)."""
    from carkg.ingest import Loader
    from carkg.secrets import secret_key

    settings = Settings()
    demo = demo_set(customers, seed, rates=rates, progress=progress)
    db.wipe()
    db.apply_schema()
    Loader(db, key=secret_key(settings.secret_key_path), batch_size=settings.batch_size, progress=progress).load(
        demo.exports, demo.rejects
    )
    return demo


def holds(db: Database, demo: DemoSet) -> bool:
    """Whether the graph holds this demo set: its leads, less the few bad rows the loader rejects (a graph
    of another size has another count; after another seed of the same size, use --fresh)."""
    with (demo.exports / "leads.jsonl").open(encoding="utf-8") as f:
        expected = sum(1 for _ in f)
    held = db.query("MATCH (l:Lead) WHERE NOT l.leadId STARTS WITH 'BENCH-' RETURN count(l) AS n")[0]["n"]
    return 0.95 * expected <= held <= expected


def prepare_demo_graph(db: Database, *, customers: int, seed: int, console: Console) -> None:
    """The graph `carkg up` serves: the demo set loaded, tagged by the rules and keywords over its history,
    and resolved. A benchmark graph that already holds it is reused."""
    from carkg.identity import resolve
    from carkg.tags import load_library
    from carkg.tags.backfill import backfill

    persons = db.query("MATCH (p:Person) RETURN count(p) AS n")[0]["n"]
    if persons and holds(db, demo_set(customers, seed, progress=False)):
        console.print(f"Reusing the benchmark graph ({persons} resolved customers); --fresh rebuilds it")
    else:
        persons = 0
        load_demo(db, customers, seed)
    load_library(db)
    with console.status("Tagging the loaded history (rules and keywords)…"):
        tagged = backfill(db)  # only what no earlier run tagged: nothing on a reused graph
    if tagged.events:
        console.print(f"Tagged {tagged.events} events and messages → {tagged.tags} tag assignments")
    if not persons:
        resolve(db)
