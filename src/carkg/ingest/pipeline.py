"""Load export files into the graph: validate every row, write good rows in batches, report the rest.

Each batch is one managed transaction (`UNWIND $rows … MERGE` on natural keys), so a crash leaves no
half batch and loading the same files again changes nothing.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TextIO

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from carkg.graph import Database, cypher
from carkg.identifiers import ModelCatalog
from carkg.ingest.mapping import SourceMapping, load_mappings
from carkg.ingest.validate import REJECT_COLUMNS, LoadReport, RowValidator, SourceReport
from carkg.paths import REFERENCE_DIR

__all__ = ["REJECT_COLUMNS", "LoadReport", "Loader", "SourceReport", "iter_rejects", "report_json"]


class Loader:
    def __init__(
        self,
        db: Database,
        *,
        key: bytes,
        batch_size: int = 5000,
        reference_dir: Path = REFERENCE_DIR,
        progress: bool = True,
    ) -> None:
        self.db = db
        self.key = key
        self.batch_size = batch_size
        self.reference_dir = reference_dir
        self.catalog = ModelCatalog.load(reference_dir)
        self.validator = RowValidator(key=key, catalog=self.catalog)
        self.progress = progress

    def load(self, source_dir: Path, rejects_path: Path, only: list[str] | None = None) -> LoadReport:
        mappings = [m for m in load_mappings() if only is None or m.name in only]
        if only and (unknown := set(only) - {m.name for m in mappings}):
            raise KeyError(f"unknown source(s): {', '.join(sorted(unknown))}")
        self.load_catalog()
        report = LoadReport(rejects_path=rejects_path)
        rejects_path.parent.mkdir(parents=True, exist_ok=True)
        with (
            rejects_path.open("w", newline="", encoding="utf-8") as rejects_file,
            progress_bar(self.progress) as progress,
        ):
            rejects = csv.writer(rejects_file)
            rejects.writerow(REJECT_COLUMNS)
            for m in mappings:
                report.sources.append(self.load_source(m, source_dir, rejects, progress, rejects_file))
        return report

    def load_catalog(self) -> None:
        load_reference(self.db, self.reference_dir)

    def load_source(
        self,
        mapping: SourceMapping,
        source_dir: Path,
        rejects: Any,
        progress: Progress,
        rejects_file: TextIO | None = None,
    ) -> SourceReport:
        path = source_dir / mapping.file
        report = SourceReport(mapping.name, mapping.file)
        if not path.exists():
            report.missing = True
            return report
        started = time.perf_counter()
        query = cypher(mapping.cypher)
        task = progress.add_task(mapping.name, total=count_lines(path, mapping))
        batch: list[dict[str, Any]] = []
        pending: Future[None] | None = None

        def write(rows: list[dict[str, Any]]) -> None:
            counters = self.db.write_batch(query, rows)
            report.loaded += len(rows)
            report.nodes_created += counters["nodes_created"]
            report.relationships_created += counters["relationships_created"]

        # One writer thread: the next batch is validated while the previous one is written.
        # Batches still go to the database one at a time, in file order.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"load-{mapping.name}") as writer:
            for params in self.validator.rows(mapping, path, report, rejects.writerow, lambda: progress.advance(task)):
                batch.append(params)
                if len(batch) >= self.batch_size:
                    if pending is not None:
                        pending.result()
                    pending, batch = writer.submit(write, batch), []
            if pending is not None:
                pending.result()
            if batch:
                write(batch)
        if rejects_file is not None:
            rejects_file.flush()
        report.seconds = time.perf_counter() - started
        return report



def progress_bar(enabled: bool) -> Progress:
    return Progress(
        TextColumn("{task.description:<16}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=not enabled,
        transient=False,
    )


def count_lines(path: Path, mapping: SourceMapping) -> int:
    with path.open("rb") as fh:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    return max(lines - (1 if mapping.format == "csv" else 0), 0)


def load_reference(db: Database, reference_dir: Path) -> None:
    """The vehicle catalogue and the city centres: reference data every load starts from."""
    db.write_batch(cypher("ingest/catalog"), catalog_rows(reference_dir))
    db.write_batch(cypher("ingest/cities"), city_rows(reference_dir))


def city_rows(reference_dir: Path) -> list[dict[str, Any]]:
    with (reference_dir / "cities.csv").open(encoding="utf-8-sig", newline="") as fh:
        return [{"city": row["city"], "province": row["province"], "latitude": float(row["latitude"]),
                 "longitude": float(row["longitude"])} for row in csv.DictReader(fh)]


def catalog_rows(reference_dir: Path) -> list[dict[str, Any]]:
    aliases: dict[str, list[str]] = {}
    with (reference_dir / "model_aliases.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            aliases.setdefault(row["model_code"], []).append(row["alias"])
    with (reference_dir / "models.csv").open(encoding="utf-8-sig", newline="") as fh:
        return [
            {
                "model_code": row["model_code"],
                "brand_code": row["brand_code"],
                "brand_name": row["brand_name"],
                "name_zh": row["model_name_zh"],
                "name_en": row["model_name_en"],
                "segment": row.get("segment"),
                "energy": row.get("energy"),
                "aliases": sorted(set(aliases.get(row["model_code"], []))),
            }
            for row in csv.DictReader(fh)
        ]


def report_json(report: LoadReport) -> str:
    return json.dumps([s.__dict__ for s in report.sources], ensure_ascii=False, indent=2)


def iter_rejects(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)
