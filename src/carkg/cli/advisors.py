"""`carkg advisors …`: the advisor tag library (顾问标签) derived from the graph, and who should take a lead."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from carkg.cli._console import console, fail

if TYPE_CHECKING:
    from carkg.advisors import Recommendation, TrackReport

app = typer.Typer(help="Advisors: track record and tags derived from the graph; recommendations",
                  no_args_is_help=True)


def _moment(value: datetime | None) -> datetime:
    moment = value or datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@app.command("tag")
def tag_command(
    as_of: Annotated[datetime | None, typer.Option(help="the moment the track record is read as of (default: now)")]
    = None,
    workload_limit: Annotated[int, typer.Option(help="open leads above which an advisor is overloaded")] = 40,
) -> None:
    """Recompute each advisor's models, conversion rate, workload and reply speed, and tag them."""
    from carkg.advisors import derive
    from carkg.graph import connect

    with connect() as db:
        print_report(derive(db, _moment(as_of), workload_limit=workload_limit))


def print_report(report: TrackReport) -> None:
    """Shared by `carkg advisors tag` and `carkg up`."""
    console.print(f"Advisor tags: {report.advisors} advisors, {report.with_deals} with closed deals; "
                  f"{report.tags} tags written, {report.removed} flags taken off.")


@app.command("recommend")
def recommend_command(
    lead: Annotated[str | None, typer.Option(help="a lead id")] = None,
    customer: Annotated[str | None, typer.Option(help="a customer's One ID")] = None,
    k: Annotated[int, typer.Option(help="how many advisors")] = 3,
) -> None:
    """The best advisors for a lead or a customer, with the reasons (what GraphQL recommendAdvisors gives)."""
    from carkg.advisors import recommend
    from carkg.graph import connect

    if (lead is None) == (customer is None):
        raise fail("give exactly one of --lead and --customer")
    with connect() as db:
        rec = recommend(db, lead_id=lead, one_id=customer, k=k)
    if rec is None:
        raise fail(f"no {'lead' if lead else 'customer'} {lead or customer}")
    print_recommendation(rec)


def print_recommendation(rec: Recommendation) -> None:
    from rich.table import Table

    model = (rec.model or {}).get("nameZh") or (rec.model or {}).get("code") or "?"
    table = Table(title=f"{rec.lead_id or rec.one_id}: {model}, {rec.home_city or 'no location'}")
    for column in ("#", "advisor", "dealer", "score", "reasons"):
        table.add_column(column)
    for i, a in enumerate(rec.advisors, 1):
        table.add_row(str(i), f"{a.name} ({a.advisor_id})", a.dealer.get("name") or a.dealer["dealerId"],
                      f"{a.score:+.2f}", "; ".join(a.reasons))
    console.print(table)
    for note in rec.notes:
        console.print(f"[yellow]{note}[/]")


@app.command("evaluate")
def evaluate_command(
    truth: Annotated[Path | None, typer.Option(help="advisor_fit.csv of the demo (default: the configured demo's)")]
    = None,
) -> None:
    """Replay the demo's newest leads against its hidden advisor fit: hit@1, hit@3 and conversion of the
    recommended advisor beside a random advisor of the nearest dealer of the brand."""
    from carkg.advisors.evaluate import evaluate, table
    from carkg.graph import connect
    from carkg.settings import Settings

    settings = Settings()
    demo = settings.state_dir / "demo" / f"n{settings.demo_customers}-s{settings.demo_seed}"
    truth = truth or demo / "truth" / "advisor_fit.csv"
    if not truth.exists():
        raise fail(f"{truth} does not exist: run `carkg up` (or `carkg demo`) first, or give --truth")
    with connect() as db:
        try:
            result = evaluate(db, truth, restore_at=datetime.now(UTC))
        except ValueError as exc:
            raise fail(str(exc)) from exc
    console.print(table(result))
