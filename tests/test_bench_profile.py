"""`--profile` sums py-spy's samples by the package of the running function: a real process is sampled."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from carkg.bench.profile import by_carkg_function, by_package, package_of, sampled


def test_a_busy_process_is_sampled_and_its_time_lands_in_its_package(tmp_path: Path) -> None:
    busy = subprocess.Popen([sys.executable, "-c",
                             "import json, time\nend = time.time() + 4\nwhile time.time() < end:\n"
                             "    json.loads(json.dumps({'k': list(range(200))}))\n"])
    out = tmp_path / "samples.txt"
    try:
        with sampled(busy.pid, 2, out):
            pass
    finally:
        busy.wait(timeout=30)
    counts = by_package(out)
    assert sum(counts.values()) > 20, out.read_text()[:500]
    assert counts.most_common(1)[0][0] == "other"  # the standard library's json: none of the named packages
    assert not by_carkg_function(out)


def test_frames_are_told_apart_by_their_file() -> None:
    assert package_of("execute_field (graphql/execution/executor.py:928)") == "graphql-core"
    assert package_of("read (carkg/api/graph.py:24)") == "carkg"
    assert package_of("run (asyncio/events.py:78)") == "asyncio"
    assert package_of("json_thing (/opt/lib/neo4jish/x.py:1)") == "other"
