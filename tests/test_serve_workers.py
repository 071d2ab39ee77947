"""`carkg serve --workers`: a number as given, 'auto' one per CPU, anything else a clear error."""

from __future__ import annotations

import os

import pytest
import typer

from carkg.cli.serve import resolve_workers


def test_workers_are_a_number_or_one_per_cpu() -> None:
    assert resolve_workers("1") == 1 and resolve_workers("3") == 3
    assert resolve_workers("auto") == (os.cpu_count() or 1)


@pytest.mark.parametrize("bad", ["0", "-2", "many", ""])
def test_a_bad_worker_count_is_refused(bad: str) -> None:
    with pytest.raises(typer.Exit):
        resolve_workers(bad)
