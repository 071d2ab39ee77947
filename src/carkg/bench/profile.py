"""Where a server's time goes while a benchmark drives it: py-spy samples the process (and its workers) and the
samples are summed by the package of the function on top of each stack — graphql-core, strawberry, the neo4j
driver, Starlette, uvicorn, carkg, asyncio, logging. `--profile` on `carkg bench api --peers` and
`carkg bench alerts` prints the table; the raw samples stay in `.carkg/bench/` for flame graphs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.table import Table

# first match wins: (package, the folder its files are in; py-spy names files relative to their sys.path entry)
PACKAGES = [
    ("graphql-core", "graphql"), ("strawberry", "strawberry"), ("neo4j driver", "neo4j"), ("starlette", "starlette"),
    ("uvicorn / websockets", "uvicorn"), ("uvicorn / websockets", "websockets"), ("logging", "structlog"),
    ("logging", "logging"), ("pydantic", "pydantic"), ("carkg", "carkg"), ("asyncio", "asyncio"),
    ("threads", "concurrent"), ("threads", "threading.py"),
]
_FRAME = re.compile(r"\((?P<file>[^()]*?)(?::\d+)?\)$")


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(found).exists():
        raise RuntimeError("py-spy is not installed (it is a dev dependency: make install)")
    return found


@contextmanager
def sampled(pid: int, seconds: float, out: Path) -> Iterator[None]:
    """Sample `pid` and its subprocesses for `seconds` while the body runs (py-spy's raw, collapsed-stack format)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    spy = subprocess.Popen([py_spy(), "record", "--pid", str(pid), "--subprocesses", "--duration", str(int(seconds)),
                            "--rate", "67", "--format", "raw", "--output", str(out), "--nonblocking"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        spy.wait(timeout=seconds + 60)


def _file(frame: str) -> str:
    match = _FRAME.search(frame)
    return match.group("file") if match else frame


def package_of(frame: str) -> str:
    parts = _file(frame).split("/")
    return next((name for name, folder in PACKAGES if folder in parts), "other")


def _stacks(raw: Path) -> Iterator[tuple[list[str], int]]:
    """Each collapsed stack of py-spy's raw output (outermost frame first) with its sample count."""
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if stack and n.isdigit():
            yield stack.split(";"), int(n)


def by_carkg_function(raw: Path) -> Counter[str]:
    """Samples per carkg function that was running or in what it called (the innermost carkg frame, the database
    handle's own frames skipped, so a query is charged to the step that ran it)."""
    counts: Counter[str] = Counter()
    for frames, n in _stacks(raw):
        ours = [f for f in frames if "carkg" in _file(f).split("/") and "graph/database.py" not in f]
        if ours:
            counts[ours[-1].split(" (")[0] + " (" + _file(ours[-1]) + ")"] += n
    return counts


def by_package(raw: Path) -> Counter[str]:
    """Samples per package of the innermost frame (the code that was running)."""
    counts: Counter[str] = Counter()
    for frames, n in _stacks(raw):
        counts[package_of(frames[-1])] += n
    return counts


def print_profile(console: Console, title: str, raw: Path, top: int = 12) -> None:
    """Two tables: samples by package of the running code, and by the carkg function they are in."""
    for what, counts in (("package", by_package(raw)), ("carkg function", by_carkg_function(raw))):
        total = sum(counts.values()) or 1
        table = Table(title=f"{title}: samples by {what} (py-spy, {total} samples)")
        table.add_column(what)
        table.add_column("share", justify="right")
        for name, n in counts.most_common(top):
            table.add_row(name, f"{100 * n / total:.1f} %")
        console.print(table)


__all__ = ["by_carkg_function", "by_package", "package_of", "print_profile", "sampled"]
