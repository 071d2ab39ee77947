"""The figures an issue names, kept in `docs/benchmarks.json` by the benchmark that measured them: each key
holds its value, unit, the command that measured it, the machine and the date, so a figure never loses
where it came from."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from carkg.bench.machine import describe
from carkg.paths import PROJECT_ROOT

FIGURES = PROJECT_ROOT / "docs" / "benchmarks.json"


def record(figures: dict[str, tuple[float, str]], command: str, path: Path = FIGURES) -> None:
    """Write or replace `{key: (value, unit)}` under their keys; other keys stay as they are."""
    stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    machine, date = describe(), datetime.now(UTC).date().isoformat()
    for key, (value, unit) in figures.items():
        stored[key] = {"value": value, "unit": unit, "command": command, "machine": machine, "date": date}
    path.write_text(json.dumps(dict(sorted(stored.items())), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


__all__ = ["FIGURES", "record"]
