"""Rows out of export files, each with the line number a person would look up in the file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carkg.ingest.mapping import SourceMapping


class FileFormatError(ValueError):
    """The whole file is unusable (missing required header, undecodable bytes)."""


@dataclass(frozen=True)
class RawRow:
    line: int
    data: dict[str, Any]
    columns: dict[str, str]  # field -> the column (header or JSON key) as written in the file


@dataclass(frozen=True)
class BrokenRow:
    line: int
    reason: str


def decode(raw: bytes, encoding: str) -> str:
    """UTF-8 (with or without BOM) first, then GB18030, the superset of GBK that Excel exports."""
    if encoding == "gbk":
        return raw.decode("gb18030")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        if encoding == "utf-8":
            raise
        return raw.decode("gb18030")


def read_rows(path: Path, mapping: SourceMapping, required: set[str] = frozenset()) -> Iterator[RawRow | BrokenRow]:
    try:
        text = decode(path.read_bytes(), mapping.encoding)
    except UnicodeDecodeError as exc:
        reason = f"{exc.reason} at byte {exc.start}"
        raise FileFormatError(f"{path.name}: not valid {mapping.encoding} text ({reason})") from exc
    if mapping.format == "csv":
        yield from _csv_rows(text, path, mapping, required)
    else:
        yield from _jsonl_rows(text, mapping)


def _csv_rows(text: str, path: Path, mapping: SourceMapping, required: set[str]) -> Iterator[RawRow | BrokenRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = next(reader)
    except StopIteration:
        return
    header_map = mapping.header_map(headers)
    columns = {field: header for header, field in header_map.items()}
    missing = sorted(f for f in required if f not in header_map.values())
    if missing:
        raise FileFormatError(
            f"{path.name}: no column for field(s) {', '.join(missing)}; headers found: {', '.join(headers)}"
        )
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(headers):
            yield BrokenRow(line, f"expected {len(headers)} columns, found {len(values)}")
            continue
        data = {header_map[h]: v for h, v in zip(headers, values, strict=True) if h in header_map}
        yield RawRow(line, data, columns)


def _jsonl_rows(text: str, mapping: SourceMapping) -> Iterator[RawRow | BrokenRow]:
    rename = {alias: field for field, aliases in mapping.columns.items() for alias in aliases}
    keys: dict[str, str] = {}  # JSONL keys are the field names themselves
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield BrokenRow(line, f"not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(obj, dict):
            yield BrokenRow(line, "not a JSON object")
            continue
        yield RawRow(line, {rename.get(k, k): v for k, v in obj.items()}, keys)
