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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from carkg.graph import Database, cypher
from carkg.identifiers import IdentifierError, ModelCatalog
from carkg.ingest.mapping import SourceMapping, load_mappings
from carkg.ingest.readers import BrokenRow, RawRow, read_rows
from carkg.ingest.rows import ROW_MODELS, Row
from carkg.paths import REFERENCE_DIR

REJECT_COLUMNS = ["source", "file", "line", "column", "field", "reason", "value"]
# Rejected ID numbers are written masked: the rejects file must not become a store of raw IDs.
SENSITIVE_FIELDS = {"id_number"}


@dataclass
class SourceReport:
    source: str
    file: str
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    duplicates: int = 0
    nodes_created: int = 0
    relationships_created: int = 0
    seconds: float = 0.0
    missing: bool = False


@dataclass
class LoadReport:
    sources: list[SourceReport] = field(default_factory=list)
    rejects_path: Path | None = None

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.sources)

    def total(self, attr: str) -> int:
        return sum(getattr(s, attr) for s in self.sources)


@dataclass(frozen=True)
class Reject:
    line: int
    column: str
    field: str
    reason: str
    value: str


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
        self.progress = progress

    def load(self, source_dir: Path, rejects_path: Path, only: list[str] | None = None) -> LoadReport:
        mappings = [m for m in load_mappings() if only is None or m.name in only]
        if only and (unknown := set(only) - {m.name for m in mappings}):
            raise KeyError(f"unknown source(s): {', '.join(sorted(unknown))}")
        self.load_catalog()
        report = LoadReport(rejects_path=rejects_path)
        rejects_path.parent.mkdir(parents=True, exist_ok=True)
        with rejects_path.open("w", newline="", encoding="utf-8") as rejects_file, self._progress() as progress:
            rejects = csv.writer(rejects_file)
            rejects.writerow(REJECT_COLUMNS)
            for m in mappings:
                report.sources.append(self.load_source(m, source_dir, rejects, progress, rejects_file))
        return report

    def load_catalog(self) -> None:
        self.db.write_batch(cypher("ingest/catalog"), _catalog_rows(self.reference_dir))

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
        model = ROW_MODELS[mapping.row]
        query = cypher(mapping.cypher)
        task = progress.add_task(mapping.name, total=_count_lines(path, mapping))
        batch: list[dict[str, Any]] = []
        seen_ids: set[Any] = set()  # ids of append-only facts already taken from this file
        pending: Future[None] | None = None
        id_field = mapping.immutable_key

        def write(rows: list[dict[str, Any]]) -> None:
            counters = self.db.write_batch(query, rows)
            report.loaded += len(rows)
            report.nodes_created += counters["nodes_created"]
            report.relationships_created += counters["relationships_created"]

        # One writer thread: the next batch is validated while the previous one is written.
        # Batches still go to the database one at a time, in file order.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"load-{mapping.name}") as writer:
            for item in read_rows(path, mapping, required=_required_fields(model)):
                report.read += 1
                progress.advance(task)
                params, problems = self._validate(model, item, mapping.name)
                if problems:
                    report.rejected += 1
                    for p in problems:
                        rejects.writerow([mapping.name, mapping.file, p.line, p.column, p.field, p.reason, p.value])
                    continue
                if id_field is not None:
                    if params[id_field] in seen_ids:  # type: ignore[index]
                        report.duplicates += 1
                        continue
                    seen_ids.add(params[id_field])  # type: ignore[index]
                batch.append(params)  # type: ignore[arg-type]
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

    def _validate(
        self, model: type[Row], item: RawRow | BrokenRow, source: str
    ) -> tuple[dict[str, Any] | None, list[Reject]]:
        if isinstance(item, BrokenRow):
            return None, [Reject(item.line, "", "(row)", item.reason, "")]
        context = {"catalog": self.catalog, "system": _catalog_system(source)}
        try:
            row = model.model_validate(item.data, context=context)
        except ValidationError as exc:
            return None, [_reject_from(item, err) for err in exc.errors()]
        except IdentifierError as exc:  # raised outside a field validator
            return None, [Reject(item.line, "", "(row)", str(exc), "")]
        return row.params(self.key), []

    def _progress(self) -> Progress:
        return Progress(
            TextColumn("{task.description:<16}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            disable=not self.progress,
            transient=False,
        )


def _reject_from(item: RawRow, err: Any) -> Reject:
    field_name = ".".join(str(p) for p in err["loc"]) or "(row)"
    field = str(err["loc"][0]) if err["loc"] else ""
    value = item.data.get(field) if field else ""
    if field in SENSITIVE_FIELDS and value:
        value = _mask_raw(str(value))
    reason = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        reason = "required field is missing"
    column = item.columns.get(field, field)
    return Reject(item.line, column, field_name, reason, "" if value is None else str(value)[:200])


def _mask_raw(value: str) -> str:
    return value[:6] + "*" * max(len(value) - 10, 0) + value[-4:] if len(value) > 10 else "*" * len(value)


def _required_fields(model: type[Row]) -> set[str]:
    return {name for name, f in model.model_fields.items() if f.is_required()}


def _catalog_system(source: str) -> str | None:
    return {"dms_orders": "sales", "aftersales": "aftersales"}.get(source)


def _count_lines(path: Path, mapping: SourceMapping) -> int:
    with path.open("rb") as fh:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    return max(lines - (1 if mapping.format == "csv" else 0), 0)


def _catalog_rows(reference_dir: Path) -> list[dict[str, Any]]:
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
