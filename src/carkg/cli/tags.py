"""`carkg tags …`: the tag library, assigning by hand or from a file, expiry and health."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError
from rich.table import Table

from carkg.cli._console import console, fail

if TYPE_CHECKING:
    from carkg.graph import Database

app = typer.Typer(help="Tags: library, assignment, expiry, health", no_args_is_help=True)
library_app = typer.Typer(help="Tag definitions", no_args_is_help=True)
app.add_typer(library_app, name="library")


@contextmanager
def _input_errors() -> Iterator[None]:
    """Bad tag input ends the command with its message (exit code 1), not a traceback."""
    from carkg.tags import TagInputError

    try:
        yield
    except (TagInputError, ValidationError) as exc:
        raise fail(str(exc)) from exc


@library_app.command("load")
def library_load(
    file: Annotated[Path | None, typer.Option(help="library YAML (default: the starter library)")] = None,
) -> None:
    """Load the tag library idempotently (loading twice changes nothing)."""
    from carkg.graph import connect
    from carkg.tags import load_library
    from carkg.tags.library import STARTER_LIBRARY

    with connect() as db, _input_errors():
        db.apply_schema()
        codes = load_library(db, file or STARTER_LIBRARY)
    console.print(f"Tag library loaded: {len(codes)} tags from {file or STARTER_LIBRARY}.")


@library_app.command("list")
def library_list(
    scope: Annotated[str | None, typer.Option(help="oem | dealer | advisor")] = None,
    category: Annotated[str | None, typer.Option(help="attribute | behaviour | intent | value | …")] = None,
) -> None:
    """Every tag definition (the CLI sees all scopes)."""
    from carkg.graph import connect
    from carkg.tags.health import ADMIN_VIEW
    from carkg.tags.library import list_library

    with connect() as db:
        tags = list_library(db, ADMIN_VIEW, scope=scope, category=category)
    table = Table(title=f"Tag library ({len(tags)})")
    for col in ("code", "中文", "English", "category", "type", "values", "scope", "owner", "status"):
        table.add_column(col)
    for t in tags:
        table.add_row(t.code, t.name_zh, t.name_en, t.category, t.value_type, ", ".join(t.values or []),
                      t.scope + (" (template)" if t.template else ""), t.owner_id or "", t.status)
    console.print(table)


@library_app.command("copy")
def library_copy(code: str, dealer_id: str) -> None:
    """Copy an OEM template to a dealer: a dealer-scoped tag `<code>@<dealerId>`."""
    from carkg.graph import connect
    from carkg.tags import copy_template

    with connect() as db, _input_errors():
        copy = copy_template(db, code, dealer_id)
    console.print(f"Dealer tag {copy.code} (scope dealer, owner {dealer_id}).")


@app.command("assign")
def assign_cmd(
    code: Annotated[str | None, typer.Argument(help="tag code (omit with --file)")] = None,
    label: Annotated[str | None, typer.Option(help="node label, e.g. CustomerRecord")] = None,
    key: Annotated[str | None, typer.Option(help="node key (with --label)")] = None,
    rel: Annotated[str | None, typer.Option(help="relationship type, e.g. SERVED_BY")] = None,
    start: Annotated[str | None, typer.Option(help="customer record key (with --rel)")] = None,
    end: Annotated[str | None, typer.Option(help="key of the other end (with --rel)")] = None,
    value: Annotated[str | None, typer.Option(help="value (enum/range text; numbers for number tags)")] = None,
    confidence: Annotated[float, typer.Option()] = 1.0,
    expires_at: Annotated[datetime | None, typer.Option(help="ISO time with zone, e.g. 2027-01-01T00:00:00+08:00",
                                                        formats=["%Y-%m-%dT%H:%M:%S%z"])] = None,
    source: Annotated[str, typer.Option()] = "manual",
    actor: Annotated[str, typer.Option()] = "cli",
    evidence: Annotated[list[str] | None, typer.Option(help="why (repeatable)")] = None,
    file: Annotated[Path | None, typer.Option(help="JSON Lines of assignments (carkg.tags.Assignment fields)")] = None,
) -> None:
    """Tag one node (--label/--key) or relationship (--rel/--start/--end), or a file of them."""
    from carkg.graph import connect
    from carkg.tags import Assignment, assign

    with _input_errors(), connect() as db:
        if file is not None:
            lines = [ln for ln in file.read_text(encoding="utf-8").splitlines() if ln.strip()]
            batch = [Assignment.model_validate_json(ln) for ln in lines]
        else:
            if code is None:
                raise fail("give a tag code, or --file")
            target: dict[str, str | None] = (
                {"label": label, "key": key} if rel is None else {"rel_type": rel, "start_key": start, "end_key": end}
            )
            batch = [Assignment.model_validate({
                "code": code, "target": target, "value": _typed(db, code, value), "confidence": confidence,
                "source": source, "actor": actor, "expires_at": expires_at, "evidence": evidence,
            })]
        results = assign(db, batch)
    for r in results:
        console.print(f"row {r.row}: {r.status} {r.id}")
    if any(r.status == "missing_target" for r in results):
        raise typer.Exit(code=2)


def _typed(db: Database, code: str, value: str | None) -> object:
    """CLI values arrive as text: number tags get a number, flags true/false, the rest stays text."""
    from carkg.tags.assign import tag_definitions
    from carkg.tags.values import parse_value

    tag = tag_definitions(db, {code}).get(code)
    if tag is None:
        return value  # assign() reports the unknown code, naming the row
    try:
        return parse_value(tag, value)
    except ValueError as exc:
        raise fail(f"value: {exc}") from exc


@app.command("unassign")
def unassign_cmd(
    code: str,
    label: Annotated[str | None, typer.Option(help="node label, e.g. CustomerRecord")] = None,
    key: Annotated[str | None, typer.Option(help="node key (with --label)")] = None,
    rel: Annotated[str | None, typer.Option(help="relationship type, e.g. SERVED_BY")] = None,
    start: Annotated[str | None, typer.Option(help="customer record key (with --rel)")] = None,
    end: Annotated[str | None, typer.Option(help="key of the other end (with --rel)")] = None,
    actor: Annotated[str, typer.Option()] = "cli",
) -> None:
    """Take a tag off one node or relationship (the history keeps it)."""
    from carkg.graph import connect
    from carkg.tags import Removal, unassign

    target = {"label": label, "key": key} if rel is None else {"rel_type": rel, "start_key": start, "end_key": end}
    with _input_errors(), connect() as db:
        [result] = unassign(db, [Removal.model_validate({"code": code, "target": target, "actor": actor})])
    console.print(f"{result.status} {result.id}")


@app.command("expire")
def expire_cmd() -> None:
    """Record expiry (TagChange 'expired') for assignments past their expiresAt."""
    from carkg.graph import connect
    from carkg.tags import expire

    with connect() as db:
        n = expire(db)
    console.print(f"Marked {n} expired tag assignments.")


@app.command("apply")
def apply_cmd(
    page: Annotated[int, typer.Option(help="customer records per batch")] = 500,
    everything: Annotated[bool, typer.Option("--all", help="re-apply over all history (e.g. after a rule change), "
                                                           "not only events and messages no run has tagged")] = False,
) -> None:
    """Run the event rules and the keyword tagger over the events and chats already in the graph."""
    from carkg.graph import connect

    with connect() as db:
        apply_rules(db, page=page, everything=everything)


def apply_rules(db: Database, *, page: int = 500, everything: bool = False) -> None:
    """Shared by `carkg tags apply` and `carkg up`: a progress bar, then one summary line."""
    from rich.progress import Progress

    from carkg.tags.backfill import backfill, pending_records

    total = pending_records(db, everything=everything)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("Tagging from stored events and chats", total=total)
        report = backfill(db, page=page, progress=lambda n: bar.advance(task, n), everything=everything)
    console.print(f"Rules and keywords: {report.events} events and messages of {report.customers} customer records "
                  f"→ {report.tags} tag assignments.")


@app.command("health")
def health_cmd(
    code: Annotated[list[str] | None, typer.Option(help="only these tags (repeatable)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable")] = False,
) -> None:
    """Per tag: coverage, freshness, share expired, confidence spread, conflicting values."""
    from carkg.graph import connect
    from carkg.tags.health import health

    with connect() as db:
        rows = health(db, codes=code)
    if as_json:
        print(json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False, indent=2))
        return
    table = Table(title="Tag health")
    for col in ("code", "live", "records", "coverage", "expired", "conf min/avg/max", "p10/p90", "conflicts",
                "last change"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r.code, str(r.live), str(r.customer_records), _pct(r.coverage_share), _pct(r.share_expired),
            "/".join(_f(x) for x in (r.confidence_min, r.confidence_avg, r.confidence_max)),
            "/".join(_f(x) for x in (r.confidence_p10, r.confidence_p90)), str(r.conflicting_persons),
            _age(r.age_seconds),
        )
    console.print(table)


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"


def _f(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "never"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f}{unit} ago"
    return f"{seconds:.0f}s ago"


@app.command("bench")
def bench_cmd(records: Annotated[int, typer.Option(help="synthetic customer records")] = 100_000) -> None:
    """Tag throughput on the benchmark server (CARKG_BENCH_BOLT_PORT / CARKG_BENCH_HTTP_PORT)."""
    from carkg.tags.bench import report

    print(report(records))
