"""The initial load of an empty graph through `neo4j-admin database import full`.

Same rows as the transactional loader (same validator, same rejects file), the same graph (the
Cypher's MERGE semantics replayed in memory by `sources`), written as import files; then the
importer writes the store of the stopped server, the server starts and the schema is built.
Incremental loads keep going through `carkg.ingest.Loader`.

The importer replaces the database's store, so this refuses unless the caller says it may replace an
empty database (`replace_empty_only=True`) *and* the graph holds no node. The count is taken on the
running server, which is stopped right after it: from the check on nothing can write to the graph.
"""

from __future__ import annotations

import csv
import os
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from carkg.graph import Database
from carkg.graph.database import Target
from carkg.identifiers import ModelCatalog
from carkg.ingest.bulk.csvfiles import write_import_files
from carkg.ingest.bulk.graph import BulkGraph
from carkg.ingest.bulk.parallel import FileValidators, Validated, validate_file
from carkg.ingest.bulk.sources import Translate, catalog, translation
from carkg.ingest.mapping import load_mappings
from carkg.ingest.pipeline import catalog_rows, count_lines, load_reference, progress_bar
from carkg.ingest.validate import REJECT_COLUMNS, LoadReport, RowValidator, SourceReport
from carkg.localneo4j import LocalServer
from carkg.paths import REFERENCE_DIR

DEFAULT_WORKERS = min(os.cpu_count() or 1, 4)


class BulkLoadRefused(RuntimeError):
    """The bulk path would replace data, or cannot run against this server."""


@dataclass
class BulkReport(LoadReport):
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase, in order
    nodes: int = 0
    relationships: int = 0

    @property
    def seconds(self) -> float:
        return sum(self.phases.values())


def bulk_load(
    server: LocalServer,
    source_dir: Path,
    rejects_path: Path,
    *,
    key: bytes,
    replace_empty_only: bool,
    work_dir: Path | None = None,
    only: list[str] | None = None,
    progress: bool = True,
    reference_dir: Path = REFERENCE_DIR,
    workers: int = DEFAULT_WORKERS,
    extend: Callable[[BulkGraph], None] | None = None,
) -> BulkReport:
    """Load `source_dir` into `server`'s empty database; the server is running with the schema when this returns.
    `extend` may add to the in-memory graph before it is written (the segments benchmark's truth persons)."""
    if not replace_empty_only:
        raise BulkLoadRefused(
            "the bulk import replaces the database's store files, so it only runs on an empty graph and only "
            "when asked to: pass --replace-empty-only (it checks the graph has no node before it stops the "
            "server); use the transactional loader (without --bulk) to add to a graph that has data"
        )
    server.start()
    _require_empty(server)
    report = BulkReport(rejects_path=rejects_path)
    validators = FileValidators(key=key, reference_dir=reference_dir, workers=workers) if workers > 0 else None
    # Stopped now, in the background while the files are prepared: nothing can write after the check.
    stopper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stop-neo4j")
    stopping = stopper.submit(server.stop)
    try:
        with tempfile.TemporaryDirectory(prefix="carkg-import-", dir=work_dir) as tmp:
            started = time.perf_counter()
            try:
                graph = build_graph(source_dir, rejects_path, report, key=key, only=only, progress=progress,
                                    reference_dir=reference_dir, workers=workers, validators=validators)
            finally:
                if validators is not None:
                    validators.close()
            if extend is not None:
                extend(graph)
            validated = time.perf_counter()
            stopping.result()
            stopper.shutdown()  # no other thread may run while the file writers fork
            waited = time.perf_counter() - validated
            files = write_import_files(graph, Path(tmp), workers=workers)
            report.nodes = sum(len(n) for n in graph.nodes.values())
            report.relationships = sum(len(r) for r in graph.rels.values())
            del graph
            report.phases["validate+csv"] = time.perf_counter() - started - waited
            report.phases["stop"] = waited  # only what stopping the server added after validation
            started = time.perf_counter()
            try:
                server.import_full(files.args())
            finally:
                report.phases["import"] = time.perf_counter() - started
    except BaseException:
        stopping.result()
        server.start()  # the store is as it was: empty (a failed import leaves a new, empty one)
        raise
    finally:
        stopper.shutdown()
    started = time.perf_counter()
    server.start()
    report.phases["start"] = time.perf_counter() - started
    started = time.perf_counter()
    with Database(_target(server)) as db:
        db.apply_schema()
        # The reference data once more through its Cypher (the catalogue's 28 rows, the cities): it sets the
        # empty alias lists and the points that import files cannot carry, and changes nothing else.
        load_reference(db, reference_dir)
        db.write("ingest/dealer_locations")
    report.phases["schema"] = time.perf_counter() - started
    return report


def build_graph(
    source_dir: Path,
    rejects_path: Path,
    report: LoadReport,
    *,
    key: bytes,
    only: list[str] | None = None,
    progress: bool = True,
    reference_dir: Path = REFERENCE_DIR,
    workers: int = DEFAULT_WORKERS,
    validators: FileValidators | None = None,
) -> BulkGraph:
    """Every source's validated rows applied, in load order, to an in-memory graph; rejects to `rejects_path`.

    Customer-level files (about 100 µs a row to validate, cheap to send back) go to `workers` processes;
    the append-only facts (many cheap rows: sending them back would cost what validating them does) are
    validated here meanwhile. Rows, rejects and counts are then applied strictly in load order.
    """
    mappings = [m for m in load_mappings() if only is None or m.name in only]
    if only and (unknown := set(only) - {m.name for m in mappings}):
        raise KeyError(f"unknown source(s): {', '.join(sorted(unknown))}")
    translations = {m.name: translation(m.cypher) for m in mappings}  # fail before reading anything
    validator = RowValidator(key=key, catalog=ModelCatalog.load(reference_dir))
    graph = BulkGraph()
    for row in catalog_rows(reference_dir):
        catalog(graph, row)
    present = {m.name: source_dir / m.file for m in mappings if (source_dir / m.file).exists()}
    remote = [m for m in mappings if m.name in present and m.immutable_key is None] if workers > 0 else []
    rejects_path.parent.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        futures: dict[str, Future[Validated]] = {}
        if remote:
            if validators is None:
                validators = stack.enter_context(FileValidators(key=key, reference_dir=reference_dir, workers=workers))
            futures = {m.name: validators.submit(m, present[m.name]) for m in remote}
        bar = stack.enter_context(progress_bar(progress))
        tasks = {m.name: bar.add_task(m.name, total=count_lines(path, m)) for m in mappings
                 if (path := present.get(m.name))}
        local = {
            m.name: validate_file(validator, m, present[m.name], lambda task=tasks[m.name]: bar.advance(task))
            for m in mappings if m.name in present and m.name not in futures
        }
        rejects = csv.writer(stack.enter_context(rejects_path.open("w", newline="", encoding="utf-8")))
        rejects.writerow(REJECT_COLUMNS)
        for m in mappings:
            if m.name not in present:
                report.sources.append(SourceReport(m.name, m.file, missing=True))
                continue
            done = futures.pop(m.name).result() if m.name in futures else local.pop(m.name)
            bar.update(tasks[m.name], completed=done.report.read)
            report.sources.append(done.report)
            rejects.writerows(done.rejects)
            _apply(graph, translations[m.name], done)
            del done
    return graph


def _apply(graph: BulkGraph, translate: Translate, done: Validated) -> None:
    started = time.perf_counter()
    nodes, rels = graph.nodes_created, graph.relationships_created
    for params in done.rows:
        translate(graph, params)
    source = done.report
    source.loaded = len(done.rows)
    source.nodes_created = graph.nodes_created - nodes
    source.relationships_created = graph.relationships_created - rels
    source.seconds = done.seconds + time.perf_counter() - started


def _require_empty(server: LocalServer) -> None:
    with Database(_target(server)) as db:
        nodes = db.read("admin/count_nodes")[0]["nodes"]
    if nodes:
        raise BulkLoadRefused(
            f"the database at {server.bolt_uri} holds {nodes} nodes; the bulk import is for the initial load "
            "of an empty graph only and would replace them. Nothing was changed. Load into this graph with "
            "the transactional loader (`carkg load DIR` without --bulk)"
        )


def _target(server: LocalServer) -> Target:
    return Target(server.bolt_uri, "neo4j", server.password, "neo4j", local=True)
