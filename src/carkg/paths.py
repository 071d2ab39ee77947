"""Where carkg finds its own files: `cypher/`, `loaders/`, `graphql/` live at the project root."""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    # An editable install keeps the source tree; CARKG_ROOT overrides for other layouts (Docker image).
    if env := os.environ.get("CARKG_ROOT"):
        return Path(env).resolve()
    for parent in Path(__file__).resolve().parents:
        if (parent / "cypher").is_dir() and (parent / "loaders").is_dir():
            return parent
    return Path.cwd()


PROJECT_ROOT = _find_root()
CYPHER_DIR = PROJECT_ROOT / "cypher"
LOADERS_DIR = PROJECT_ROOT / "loaders"
SOURCES_DIR = LOADERS_DIR / "sources"
REFERENCE_DIR = LOADERS_DIR / "reference"
SAMPLES_DIR = LOADERS_DIR / "samples"
GRAPHQL_DIR = PROJECT_ROOT / "graphql"
