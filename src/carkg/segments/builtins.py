"""Built-in segments from `loaders/segments/`: the intent × activity quadrants and three personas.

The quadrants are generated from two conditions (`intent`, `activity`): each is AND of the two or their
negations, so every person is in exactly one. Installing saves a new version only when a definition
changed, so re-running the installer is harmless.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carkg.paths import PROJECT_ROOT
from carkg.segments import model as m
from carkg.segments import store
from carkg.segments.engine import Request
from carkg.segments.validate import Runner

BUILTIN_DIR = PROJECT_ROOT / "loaders" / "segments"


@dataclass(frozen=True)
class Builtin:
    id: str
    name: str
    description: str
    definition: dict[str, Any]


def quadrants(path: Path | None = None) -> list[Builtin]:
    spec = json.loads((path or BUILTIN_DIR / "quadrants.json").read_text(encoding="utf-8"))
    out = []
    for segment_id, q in spec["quadrants"].items():
        parts = [spec[axis] if q[axis] else {"kind": "not", "condition": spec[axis]} for axis in ("intent", "activity")]
        out.append(Builtin(segment_id, q["name"], spec["description"], {"kind": "and", "conditions": parts}))
    return out


def personas(path: Path | None = None) -> list[Builtin]:
    spec = json.loads((path or BUILTIN_DIR / "personas.json").read_text(encoding="utf-8"))
    return [Builtin(i, p["name"], p["description"], p["definition"]) for i, p in spec["personas"].items()]


def builtins() -> list[Builtin]:
    return quadrants() + personas()


def install(db: Runner, *, actor: str = "carkg-builtins", request: Request | None = None) -> list[store.Saved]:
    """Save every built-in (OEM scope) whose definition differs from its latest saved version."""
    saved = []
    for b in builtins():
        parsed = m.parse(b.definition)
        if store.get(db, b.id) is not None:
            version, current = store.definition(db, b.id)
            if current == parsed:
                saved.append(store.Saved(b.id, version))
                continue
        saved.append(store.save(db, b.id, parsed, store.Owner(actor), name=b.name, description=b.description,
                                builtin=True, request=request))
    return saved
