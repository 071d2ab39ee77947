"""`carkg leads …`: learn lead scoring from past conversions, score the open leads, show the model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from carkg.cli._console import console, fail
from carkg.settings import Settings

if TYPE_CHECKING:
    from carkg.leads.model import LeadModel

app = typer.Typer(help="Lead scoring: train from past conversions, score open leads, report", no_args_is_help=True)

AsOf = Annotated[datetime | None, typer.Option(help="the moment to train or score as of (default: now)")]


def _as_of(value: datetime | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def print_metrics(model: LeadModel) -> None:
    from carkg.leads.report import metrics_table

    console.print(metrics_table(model))


@app.command("train")
def train_command(
    as_of: AsOf = None,
    min_conversions: Annotated[int, typer.Option(help="refuse to train on fewer converted leads")] = 200,
) -> None:
    """Learn from leads with a known outcome (converted or lost) in the two years before --as-of."""
    from carkg.graph import connect
    from carkg.leads import LeadsError, train

    with connect() as db:
        try:
            model = train(db, _as_of(as_of), min_conversions=min_conversions)
        except LeadsError as exc:
            raise fail(str(exc)) from exc
    folder = model.save(Settings().lead_models_dir)
    print_metrics(model)
    console.print(f"Saved to {folder}")


@app.command("score")
def score_command(as_of: AsOf = None) -> None:
    """Score every open lead with the latest model; scores, grades and factors go on the Lead nodes."""
    from collections import Counter

    from carkg.graph import connect
    from carkg.leads import LeadModel, LeadsError, score_open_leads

    try:
        model = LeadModel.load(Settings().lead_models_dir)
    except LeadsError as exc:
        raise fail(str(exc)) from exc
    with connect() as db:
        scores = score_open_leads(db, model, _as_of(as_of))
    grades = Counter(s.grade for s in scores)
    console.print(f"Scored {len(scores)} open leads with {model.version}: "
                  + ", ".join(f"{g} {grades[g]}" for g in "ABCD"))


@app.command("report")
def report_command(version: Annotated[str | None, typer.Option(help="a saved version (default: latest)")] = None,
                   ) -> None:
    """The saved model: version, training window, features, metrics."""
    from carkg.leads import LeadModel, LeadsError

    try:
        model = LeadModel.load(Settings().lead_models_dir, version)
    except LeadsError as exc:
        raise fail(str(exc)) from exc
    console.print(f"[bold]{model.version}[/] trained {model.trained_at} on leads from {model.history_from[:10]} "
                  f"to {model.as_of[:10]}; decision {model.follow_up_days} days after a lead, converted = an "
                  f"order within {model.window_days} days")
    console.print(f"features ({len(model.features)}): {', '.join(model.features)}")
    console.print("grades: " + ", ".join(f"{g} ≥ {c:.3f}" for g, c in zip("ABC", model.grade_cuts, strict=True))
                  + ", D below")
    print_metrics(model)
