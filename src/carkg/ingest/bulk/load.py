"""The initial load of an empty graph through `neo4j-admin database import full`.

Same rows as the transactional loader (same validator, same rejects file), the same graph (the
Cypher's MERGE semantics replayed in memory by `sources`), written as import files; then the server
is stopped, the importer writes the store, the server starts and the schema is built. Incremental
loads keep going through `carkg.ingest.Loader`.

The importer replaces the database's store, so this refuses unless the caller says it may replace an
empty database (`replace_empty_only=True`) *and* the graph holds no node — checked when the load
starts and again just before the server is stopped.
"""

from __future__ import annotations

import csv
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from carkg.graph import Database
from carkg.graph.database import Target
from carkg.identifiers import ModelCatalog
from carkg.ingest.bulk.csvfiles import ImportFiles, write_import_files
from carkg.ingest.bulk.graph import BulkGraph
from carkg.ingest.bulk.sources import catalog, translation
from carkg.ingest.mapping import load_mappings
from carkg.ingest.pipeline import catalog_rows, count_lines, progress_bar
from carkg.ingest.validate import REJECT_COLUMNS, LoadReport, RowValidator, SourceReport
from carkg.localneo4j import LocalServer
from carkg.paths import REFERENCE_DIR


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
) -> BulkReport:
    """Load `source_dir` into `server`'s empty database; the server is running with the schema when this returns."""
    if not replace_empty_only:
        raise BulkLoadRefused(
            "the bulk import replaces the database's store files, so it only runs on an empty graph and only "
            "when asked to: pass --replace-empty-only (it checks the graph has no node before it stops the "
            "server); use the transactional loader (without --bulk) to add to a graph that has data"
        )
    server.start()
    _require_empty(server)
    report = BulkReport(rejects_path=rejects_path)
    with tempfile.TemporaryDirectory(prefix="carkg-import-", dir=work_dir) as tmp:
        started = time.perf_counter()
        graph = build_graph(source_dir, rejects_path, report, key=key, only=only, progress=progress,
                            reference_dir=reference_dir)
        files = write_import_files(graph, Path(tmp))
        report.nodes = sum(len(n) for n in graph.nodes.values())
        report.relationships = sum(len(r) for r in graph.rels.values())
        del graph
        report.phases["validate+csv"] = time.perf_counter() - started
        _import(server, files, report)
    started = time.perf_counter()
    server.start()
    report.phases["start"] = time.perf_counter() - started
    started = time.perf_counter()
    with Database(_target(server)) as db:
        db.apply_schema()
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
) -> BulkGraph:
    """Every source's validated rows applied, in load order, to an in-memory graph; rejects to `rejects_path`."""
    mappings = [m for m in load_mappings() if only is None or m.name in only]
    if only and (unknown := set(only) - {m.name for m in mappings}):
        raise KeyError(f"unknown source(s): {', '.join(sorted(unknown))}")
    translations = {m.name: translation(m.cypher) for m in mappings}  # fail before reading anything
    validator = RowValidator(key=key, catalog=ModelCatalog.load(reference_dir))
    graph = BulkGraph()
    for row in catalog_rows(reference_dir):
        catalog(graph, row)
    rejects_path.parent.mkdir(parents=True, exist_ok=True)
    with rejects_path.open("w", newline="", encoding="utf-8") as rejects_file, progress_bar(progress) as bar:
        rejects = csv.writer(rejects_file)
        rejects.writerow(REJECT_COLUMNS)
        for m in mappings:
            source = SourceReport(m.name, m.file)
            report.sources.append(source)
            path = source_dir / m.file
            if not path.exists():
                source.missing = True
                continue
            started = time.perf_counter()
            task = bar.add_task(m.name, total=count_lines(path, m))
            translate = translations[m.name]
            nodes, rels = graph.nodes_created, graph.relationships_created
            for params in validator.rows(m, path, source, rejects.writerow, lambda task=task: bar.advance(task)):
                translate(graph, params)
                source.loaded += 1
            source.nodes_created = graph.nodes_created - nodes
            source.relationships_created = graph.relationships_created - rels
            source.seconds = time.perf_counter() - started
    return graph


def _import(server: LocalServer, files: ImportFiles, report: BulkReport) -> None:
    started = time.perf_counter()
    _require_empty(server)  # again: nothing may have been written while the files were prepared
    server.stop()
    report.phases["stop"] = time.perf_counter() - started
    started = time.perf_counter()
    try:
        server.import_full(files.args())
    finally:
        report.phases["import"] = time.perf_counter() - started


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
