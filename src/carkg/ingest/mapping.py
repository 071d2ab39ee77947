"""A source system's mapping: which file, which encoding, which header means which field."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from carkg.paths import SOURCES_DIR


class SourceMapping(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str = ""
    file: str
    format: Literal["csv", "jsonl"]
    encoding: Literal["auto", "utf-8", "gbk"] = "auto"
    row: str = Field(description="name of the row model in carkg.ingest.rows")
    cypher: str = Field(description="named Cypher file that writes one batch")
    order: int = Field(description="load order; master data first")
    immutable_key: str | None = Field(
        default=None,
        description="for append-only facts (events, messages): the id field; the Cypher creates unknown ids "
        "and skips known ones, so the loader keeps only the first row per id within a file",
    )
    columns: dict[str, list[str]] = Field(
        default_factory=dict, description="field -> the headers (any language) that carry it"
    )

    def header_map(self, headers: list[str]) -> dict[str, str]:
        """Header as written in the file -> field name; unknown headers are ignored."""
        by_header = {alias.strip().lower(): field for field, aliases in self.columns.items() for alias in aliases}
        by_header.update({field.lower(): field for field in self.columns})
        return {h: by_header[h.strip().lower()] for h in headers if h.strip().lower() in by_header}


def load_mappings(directory: Path = SOURCES_DIR) -> list[SourceMapping]:
    mappings = [
        SourceMapping.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        for path in sorted(directory.glob("*.yaml"))
    ]
    return sorted(mappings, key=lambda m: (m.order, m.name))


def mapping(name: str, directory: Path = SOURCES_DIR) -> SourceMapping:
    for m in load_mappings(directory):
        if m.name == name:
            return m
    known = ", ".join(m.name for m in load_mappings(directory))
    raise KeyError(f"unknown source {name!r}; known sources: {known}")
