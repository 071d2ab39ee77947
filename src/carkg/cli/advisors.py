"""`carkg advisors …`: the advisor tag library (顾问标签), derived from the graph."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from carkg.cli._console import console

app = typer.Typer(help="Advisors: track record and tags derived from the graph", no_args_is_help=True)


@app.command("tag")
def tag_command(
    as_of: Annotated[
        datetime | None, typer.Option(help="the moment the track record is read as of (default: now)")
    ] = None,
    workload_limit: Annotated[int, typer.Option(help="open leads above which an advisor is overloaded")] = 40,
) -> None:
    """Recompute each advisor's models, conversion rate and workload, and tag them (rule and profile tags)."""
    from carkg.advisors import derive
    from carkg.graph import connect

    moment = as_of or datetime.now(UTC)
    with connect() as db:
        report = derive(db, moment if moment.tzinfo else moment.replace(tzinfo=UTC), workload_limit=workload_limit)
    console.print(
        f"{report.advisors} advisors, {report.with_deals} with closed deals; "
        f"{report.tags} tags written, {report.removed} flags taken off"
    )
