"""`carkg bench …`: benchmarks that print their figures and the machine they ran on."""

from __future__ import annotations

from typing import Annotated

import typer

from carkg.cli._console import console

app = typer.Typer(help="Benchmarks that print their figures", no_args_is_help=True)


# -- benchmarks -------------------------------------------------------------------------------------


@app.command("load")
def bench_load(
    customers: Annotated[int, typer.Option(help="persons in the generated demo set")] = 100_000,
    seed: Annotated[int, typer.Option()] = 7,
    batch_size: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Generate N customers, load them into an empty graph, print records/s and graph elements/s."""
    from carkg.bench.load import run_load_benchmark

    run_load_benchmark(customers=customers, seed=seed, batch_size=batch_size, console=console)
