"""A `BulkGraph` as neo4j-admin import files: one node file per label, one relationship file per type and end labels.

Every label is its own ID space (`key:ID(CustomerRecord)`), keyed on the natural key the schema makes
unique. Property columns carry their type (`at:datetime`, `rating:double`, `aliases:string[]`), read
off the values themselves, so the stored types are the ones the driver would have sent.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from carkg.graph.model import NODE_KEYS
from carkg.ingest.bulk.graph import BulkGraph, Props

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
        out.append(f"--array-delimiter={ARRAY_DELIMITER_ARG}")
        if self.multiline:
            out += ["--multiline-fields-format=v2", "--multiline-fields=" + ",".join(str(p) for p in self.multiline)]
        return out


def write_import_files(graph: BulkGraph, out_dir: Path) -> ImportFiles:
    out_dir.mkdir(parents=True, exist_ok=True)
    files = ImportFiles()
    for label, nodes in sorted(graph.nodes.items()):
        key = NODE_KEYS[label]
        for n, (columns, part) in enumerate(_partitions(nodes, skip=key)):
            path = out_dir / f"nodes-{label}-{n}.csv"
            header = [f"{key}:ID({label})", *(f"{name}:{kind}" for name, kind, _ in columns)]
            rows = ([k, *(fmt(props.get(name)) for name, _, fmt in columns)] for k, props in part)
            if _write(path, header, rows):
                files.multiline.append(path)
            files.nodes.append((label, path))
    for (rel, start, end), rels in sorted(graph.rels.items()):
        for n, (columns, part) in enumerate(_partitions(rels)):
            path = out_dir / f"rels-{rel}-{start}-{end}-{n}.csv"
            header = [f":START_ID({start})", f":END_ID({end})", *(f"{name}:{kind}" for name, kind, _ in columns)]
            rows = ([s, e, *(fmt(props.get(name)) for name, _, fmt in columns)] for (s, e), props in part)
            if _write(path, header, rows):
                files.multiline.append(path)
            files.relationships.append((rel, path))
    return files


K = TypeVar("K")
Formatter = Callable[[Any], Any]
Column = tuple[str, str, Formatter]  # property, import type, formatter


def _partitions(items: dict[K, Props], skip: str | None = None) -> list[tuple[list[Column], Iterable[tuple[K, Props]]]]:
    """The items split by the types of their properties: one import file per combination.

    A column has one type, but Cypher lets one property hold a date on some nodes and a datetime on
    others (`createdAt` of a DMS record vs a lead); those get a file per combination of types.
    """
    kinds: dict[str, set[str]] = {}
    for props in items.values():
        for name, value in props.items():
            kinds.setdefault(name, set()).add(_kind(value))
    if empty := sorted(name for name, k in kinds.items() if k == {"?"}):
        raise ValueError(f"property {', '.join(empty)} is only ever an empty list, so its type is unknown")
    for k in kinds.values():
        k.discard("?")
    names = sorted(name for name in kinds if name != skip)
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
    return _Quoted(ARRAY_DELIMITER.join(value)) if not value or value == [""] else ARRAY_DELIMITER.join(value)


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
    multiline = False
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            if not multiline:
                multiline = any(isinstance(v, str) and ("\n" in v or "\r" in v) for v in row)
            if "" in row:  # a real empty string (None is null and writes as an empty field)
                fh.write(",".join(_quote_all(v) for v in row) + "\n")
            else:
                writer.writerow(row)
    return multiline


def _quote_all(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return str(value)
