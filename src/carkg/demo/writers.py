"""Export files on disk: CSV (UTF-8, UTF-8 with BOM, or GBK) and JSONL, written in chunks with progress."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

CHUNK = 5_000
_encode_json = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(frozen=True)
class ExportFile:
    name: str
    count: int
    rows: Callable[[], Iterable[Any]]  # lazy: rows are rendered while writing
    header: Sequence[str] | None = None  # None: JSONL
    encoding: str = "utf-8"
    encoded: bool = False  # JSONL rows already rendered as JSON text


def _chunks(rows: Iterable[Any]) -> Iterator[list[Any]]:
    it = iter(rows)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def write_file(directory: Path, export: ExportFile, advance: Callable[[int], None]) -> None:
    path = directory / export.name
    if export.header is None:
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            for chunk in _chunks(export.rows()):
                fh.write("\n".join(chunk if export.encoded else map(_encode_json, chunk)))
                fh.write("\n")
                advance(len(chunk))
        return
    # newline="" so the csv module's \r\n survives on every OS, as Excel and the DMS write it.
    with path.open("w", encoding=export.encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(export.header)
        for chunk in _chunks(export.rows()):
            writer.writerows(chunk)
            advance(len(chunk))


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Small UTF-8 CSVs (the ground truth), written in one go."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
