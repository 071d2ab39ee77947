"""A `BulkGraph` as neo4j-admin import files: one node file per label, one relationship file per type and end labels.

Every label is its own ID space (`:ID(CustomerRecord)`); the import ids are integers (the node's place
in its label), which the importer maps more cheaply than strings, and the natural key is an ordinary
property column (`key:string`), made unique by the schema after the import. Property columns carry
their type (`at:datetime`, `rating:double`, `aliases:string[]`), read off the values themselves, so
the stored types are the ones the driver would have sent.
"""

from __future__ import annotations

import csv
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from carkg.graph.model import NODE_KEYS, NodeLabel
from carkg.ingest.bulk.graph import BulkGraph, Props

# Import files cannot hold an empty list (an empty cell is no property); the catalogue's model aliases
# may be one, so `bulk_load` runs the catalogue's own Cypher once more after the import.
CATALOGUE = {NodeLabel.VEHICLE_MODEL, NodeLabel.BRAND}
# Array elements are joined with a control character no source value contains (checked on write).
ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_ARG = "U+001F"


@dataclass
class ImportFiles:
    """The files and the neo4j-admin arguments that name them."""

    nodes: list[tuple[str, Path]] = field(default_factory=list)  # (label, file)
    relationships: list[tuple[str, Path]] = field(default_factory=list)  # (type, file)
    multiline: list[Path] = field(default_factory=list)  # files with a newline inside a value

    def args(self) -> list[str]:
        out = [f"--nodes={label}={path}" for label, path in self.nodes]
        out += [f"--relationships={rel}={path}" for rel, path in self.relationships]
        out += [f"--array-delimiter={ARRAY_DELIMITER_ARG}", "--id-type=integer"]
        if self.multiline:
            out += ["--multiline-fields-format=v2", "--multiline-fields=" + ",".join(str(p) for p in self.multiline)]
        return out


def write_import_files(graph: BulkGraph, out_dir: Path, *, workers: int = 1) -> ImportFiles:
    """One file per label and per relationship type (more where a property's type varies).

    With `workers` > 1 the files are written by forked processes that share the graph copy-on-write;
    call it when no other thread runs (a fork copies only the calling thread).
    """
    global _shared
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs: list[Job] = [("nodes", label) for label in sorted(graph.nodes)]
    jobs += [("rels", group) for group in sorted(graph.rels)]
    if workers > 1 and len(jobs) > 1:
        _shared = (graph, out_dir)
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
                biggest_first = sorted(jobs, key=lambda job: -len(_items(graph, job)))
                futures = {job: pool.submit(_write_shared, job) for job in biggest_first}
                written = [futures[job].result() for job in jobs]
        finally:
            _shared = None
    else:
        written = [_write_job(graph, out_dir, job) for job in jobs]
    files = ImportFiles()
    for (kind, _), parts in zip(jobs, written, strict=True):
        for name, path, multiline in parts:
            (files.nodes if kind == "nodes" else files.relationships).append((name, path))
            if multiline:
                files.multiline.append(path)
    return files


Job = tuple[str, Any]  # ("nodes", label) or ("rels", (type, start label, end label))
_shared: tuple[BulkGraph, Path] | None = None  # the graph, for forked writers


def _items(graph: BulkGraph, job: Job) -> dict[Any, Props]:
    kind, what = job
    return graph.nodes[what] if kind == "nodes" else graph.rels[what]


def _write_shared(job: Job) -> list[tuple[str, Path, bool]]:
    assert _shared is not None, "writer forked without the graph"
    return _write_job(*_shared, job)


def _write_job(graph: BulkGraph, out_dir: Path, job: Job) -> list[tuple[str, Path, bool]]:
    """The files for one label or relationship group: (label or type, file, has multi-line values)."""
    kind, what = job
    out = []
    if kind == "nodes":
        key, ids = NODE_KEYS[what], _ids(graph, what)
        lists_later = what in CATALOGUE  # empty lists are set when the catalogue is applied again
        for n, (columns, part) in enumerate(_partitions(graph.nodes[what], skip=key, empty_lists_ok=lists_later)):
            path = out_dir / f"nodes-{what}-{n}.csv"
            header = [f":ID({what})", f"{key}:string", *(f"{name}:{type_}" for name, type_, _ in columns)]
            out.append((str(what), path, _write(path, header, _node_rows(part, columns, ids))))
    else:
        rel, start, end = what
        ends = (_ids(graph, start), _ids(graph, end))
        for n, (columns, part) in enumerate(_partitions(graph.rels[what])):
            path = out_dir / f"rels-{rel}-{start}-{end}-{n}.csv"
            header = [f":START_ID({start})", f":END_ID({end})", *(f"{name}:{type_}" for name, type_, _ in columns)]
            out.append((str(rel), path, _write(path, header, _rel_rows(part, columns, ends))))
    return out


_id_cache: dict[tuple[int, NodeLabel], dict[str, int]] = {}


def _ids(graph: BulkGraph, label: NodeLabel) -> dict[str, int]:
    """Natural key -> import id: the node's place in its label's dict (cheaper for the importer than strings)."""
    cache_key = (id(graph), label)
    if cache_key not in _id_cache:
        _id_cache.clear()  # one graph at a time
        _id_cache[cache_key] = {key: i for i, key in enumerate(graph.nodes.get(label, ()))}
    return _id_cache[cache_key]


def _node_rows(part: Iterable[tuple[str, Props]], columns: list[Column], ids: dict[str, int]) -> Iterator[list[Any]]:
    names = [name for name, _, _ in columns]
    formatted = [(i + 2, fmt) for i, (_, kind, fmt) in enumerate(columns) if kind not in _AS_IS]
    for key, props in part:
        row = [ids[key], key, *map(props.get, names)]
        for i, fmt in formatted:
            row[i] = fmt(row[i])
        yield row


def _rel_rows(
    part: Iterable[tuple[tuple[str, str], Props]], columns: list[Column], ends: tuple[dict[str, int], dict[str, int]]
) -> Iterator[list[Any]]:
    names = [name for name, _, _ in columns]
    formatted = [(i + 2, fmt) for i, (_, kind, fmt) in enumerate(columns) if kind not in _AS_IS]
    starts, stops = ends
    for (start, end), props in part:
        row = [starts[start], stops[end], *map(props.get, names)]
        for i, fmt in formatted:
            row[i] = fmt(row[i])
        yield row


K = TypeVar("K")
Formatter = Callable[[Any], Any]
Column = tuple[str, str, Formatter]  # property, import type, formatter


def _partitions(
    items: dict[K, Props], skip: str | None = None, empty_lists_ok: bool = False
) -> list[tuple[list[Column], Iterable[tuple[K, Props]]]]:
    """The items split by the types of their properties: one import file per combination.

    A column has one type, but Cypher lets one property hold a date on some nodes and a datetime on
    others (`createdAt` of a DMS record vs a lead); those get a file per combination of types.
    """
    kinds: dict[str, set[str]] = {}
    for props in items.values():
        for name, value in props.items():
            kinds.setdefault(name, set()).add(_kind(value))
    if not empty_lists_ok and (empty := sorted(name for name, k in kinds.items() if "?" in k)):
        raise ValueError(f"property {', '.join(empty)} holds an empty list, which an import file cannot carry "
                         "(an empty cell is no property)")
    for k in kinds.values():
        k.discard("?")
    names = sorted(name for name in kinds if name != skip and kinds[name])
    mixed = [name for name in names if len(kinds[name]) > 1]
    if not mixed:
        return [(_typed(names, {name: next(iter(kinds[name])) for name in names}), items.items())]
    groups: dict[tuple[str, ...], list[tuple[K, Props]]] = {}
    for item, props in items.items():
        signature = tuple(_kind(props[name]) if name in props else "" for name in mixed)
        groups.setdefault(signature, []).append((item, props))
    out = []
    for signature, part in sorted(groups.items()):
        chosen = {name: next(iter(kinds[name])) for name in names}
        chosen.update({name: kind for name, kind in zip(mixed, signature, strict=True) if kind})
        out.append((_typed(names, chosen), part))
    return out


def _typed(names: list[str], kinds: dict[str, str]) -> list[Column]:
    return [(name, kinds[name], _FORMATTERS[kinds[name]]) for name in names]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, datetime):
        return "datetime" if value.tzinfo else "localdatetime"
    if isinstance(value, date):
        return "date"
    if isinstance(value, list | tuple):
        if not value:
            return "?"
        kinds = {_kind(v) for v in value}
        if len(kinds) == 1 and (kind := kinds.pop()) in ("string", "long", "double", "boolean"):
            return f"{kind}[]"
    raise ValueError(f"no import type for {type(value).__name__} value {value!r}")


def _string_array(value: list[str] | None) -> str | None:
    if value is None:
        return None
    if any(ARRAY_DELIMITER in v for v in value):
        raise ValueError(f"array element contains the import's array delimiter U+001F: {value!r}")
    if not value:
        return None  # no property; only allowed for CATALOGUE, whose Cypher runs again after the import
    return _Quoted(ARRAY_DELIMITER.join(value)) if value == [""] else ARRAY_DELIMITER.join(value)


def _other_array(value: list[Any] | None) -> str | None:
    return None if value is None else ARRAY_DELIMITER.join(_text(v) for v in value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _optional(fn: Formatter) -> Formatter:
    return lambda v: None if v is None else fn(v)


_AS_IS = {"string", "long", "double"}  # the csv module writes these as they are
_FORMATTERS: dict[str, Formatter] = {
    "string": lambda v: v,
    "long": lambda v: v,
    "double": lambda v: v,
    "boolean": _optional(_text),
    "date": _optional(_text),
    "datetime": _optional(_text),
    "localdatetime": _optional(_text),
    "string[]": _string_array,
    "long[]": _other_array,
    "double[]": _other_array,
    "boolean[]": _other_array,
}


class _Quoted(str):
    """A value that must be written quoted even when empty: `""` is an empty string, an empty field is null."""


def _write(path: Path, header: list[str], rows: Iterable[list[Any]]) -> bool:
    """Write the file; True when some value holds a line break (the importer must then parse multi-line)."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            count += 1
            if "" in row:  # a real empty string (None is null and writes as an empty field)
                fh.write(",".join(_quote_all(v) for v in row) + "\n")
            else:
                writer.writerow(row)
    # One line per row unless a value holds a line break; looking afterwards costs one read of the file.
    data = path.read_bytes()
    return data.count(b"\n") != count + 1 or b"\r" in data


def _quote_all(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return str(value)
