"""A crash never leaves half a load: the loader and One ID are killed (SIGKILL) mid-run, run again, and the
graph is what a clean run gives — same nodes, relationships and property values; rejects written once;
every record with exactly one person and no person without records."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from carkg.demo import generate
from carkg.graph import Database
from carkg.graph.database import Target
from carkg.graph.fingerprint import fingerprint
from carkg.ingest.pipeline import iter_rejects

KILL_AT = (0.3, 0.6, 0.85)  # of a clean load's nodes and relationships: early, the event files, the tail


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("crash")
    generate(root / "exports", customers=1500, seed=31)
    return root / "exports"


@pytest.fixture(scope="module")
def env(neo4j_target: Target, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The CLI as an operator runs it, against the suite's database, with its own state: one secret key for
    every run of the module, so fingerprints compare."""
    return {**os.environ, "NEO4J_URI": neo4j_target.uri, "NEO4J_USER": neo4j_target.user,
            "NEO4J_PASSWORD": neo4j_target.password, "NEO4J_DATABASE": neo4j_target.database,
            "CARKG_STATE_DIR": str(tmp_path_factory.mktemp("crash-state"))}


CLI = [str(Path(sys.executable).with_name("carkg"))]


def carkg(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*CLI, *args], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def killed(env: dict[str, str], args: list[str], *, when: Callable[[], bool]) -> bool:
    """Run the CLI and SIGKILL it as soon as `when()` holds (polled every 20 ms); False when it finished
    first, so nothing was cut."""
    process = subprocess.Popen([*CLI, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while process.poll() is None:
        if when():
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.02)
    return False


def size(db: Database) -> int:
    """Nodes plus relationships (both from the count store: cheap to poll)."""
    return db.query("RETURN COUNT { MATCH (n) } + COUNT { MATCH ()-[r]->() } AS n")[0]["n"]


@pytest.fixture(scope="module")
def clean(database: Database, exports: Path, env: dict[str, str],
          tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, tuple[int, str]], Path]:
    """The fingerprint and rejects of a clean load of the demo (through the CLI, as the killed runs load)."""
    rejects = tmp_path_factory.mktemp("clean") / "rejects.csv"
    database.wipe()
    carkg(env, "load", str(exports), "--rejects", str(rejects))
    return fingerprint(database), rejects


@pytest.mark.parametrize("at", KILL_AT)
def test_a_load_killed_mid_way_and_run_again_equals_a_clean_load(
        database: Database, exports: Path, env: dict[str, str], clean: tuple[dict, Path], tmp_path: Path,
        at: float) -> None:
    expected, clean_rejects = clean
    total = sum(n for n, _ in expected.values())
    database.wipe()
    rejects = tmp_path / "rejects.csv"
    assert killed(env, ["load", str(exports), "--rejects", str(rejects)], when=lambda: size(database) >= at * total)
    assert size(database) > 0  # killed before it finished, with part of the graph written
    carkg(env, "load", str(exports), "--rejects", str(rejects))
    assert fingerprint(database) == expected
    rows = list(iter_rejects(clean_rejects))
    assert rows and list(iter_rejects(rejects)) == rows  # written once, not appended to


def test_one_id_killed_mid_run_finishes_on_the_rerun_with_every_record_resolved_once(
        database: Database, exports: Path, env: dict[str, str], tmp_path: Path) -> None:
    database.wipe()
    carkg(env, "load", str(exports), "--rejects", str(tmp_path / "rejects.csv"))
    started = time.monotonic()
    carkg(env, "identity", "resolve")
    seconds = time.monotonic() - started
    database.wipe()
    carkg(env, "load", str(exports), "--rejects", str(tmp_path / "rejects.csv"))
    cut = 0
    for at in (0.4, 0.75):
        deadline = time.monotonic() + at * seconds
        cut += killed(env, ["identity", "resolve"], when=lambda d=deadline: time.monotonic() >= d)  # type: ignore[misc]
    assert cut, "the kills were meant to land mid-run"
    carkg(env, "identity", "resolve")
    check = database.query("""
        RETURN COUNT { MATCH (r:CustomerRecord) WHERE r.stub IS NULL AND NOT (r)-[:RESOLVED_TO]->() } AS unresolved,
               COUNT { MATCH (r:CustomerRecord) WHERE COUNT { (r)-[:RESOLVED_TO]->() } > 1 } AS twice,
               COUNT { MATCH (p:Person) WHERE NOT (p)<-[:RESOLVED_TO]-() } AS empty,
               COUNT { (:Person) } AS persons""")[0]
    assert check["persons"] > 1000
    assert (check["unresolved"], check["twice"], check["empty"]) == (0, 0, 0), check
