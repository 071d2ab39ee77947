"""`carkg steward …`: the One ID review queue and steward decisions from the command line.

The decisions are the same code the API runs (`carkg.identity.steward`), one transaction each, audited
with the actor given (default: this machine's user)."""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.table import Table

from carkg.cli._console import console, fail
from carkg.identity.steward import Actor, Flow, Outcome

app = typer.Typer(help="Data stewards: review One ID cases, accept/reject, merge, split", no_args_is_help=True)

ActorOption = Annotated[str | None, typer.Option(help="who decides, for the audit log (default cli:<user>)")]
ReasonOption = Annotated[str, typer.Option(help="why (at least 5 characters); kept in the audit log")]


def _actor(actor: str | None) -> Actor:
    return Actor(actor or f"cli:{getpass.getuser()}", "cli")


def _cases(case_ids: list[str]) -> list[dict[str, Any]]:
    from carkg.graph import connect

    with connect() as db:
        return db.read("identity/review_cases", caseIds=case_ids)


@app.command("cases")
def cases(
    status: Annotated[str | None, typer.Option(help="open or decided; 'all' for both")] = "open",
    kind: Annotated[str | None, typer.Option(help="pair or conflict")] = None,
    min_score: Annotated[float | None, typer.Option(help="lowest score shown")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """The review queue, best score first."""
    from carkg.graph import connect

    with connect() as db:
        ids = [r["caseId"] for r in db.read("identity/review_queue", status=None if status == "all" else status,
                                           kind=kind, minScore=min_score, maxScore=None, dealer=None, reason=None,
                                           orderBy="score", skip=0, limit=limit)]
    table = Table(title=f"Review cases ({status})")
    for col in ("case", "kind", "status", "score", "records", "names"):
        table.add_column(col)
    for row in _cases(ids):
        c, records = row["case"], row["records"]
        table.add_row(c["caseId"], c["kind"], c["status"], "—" if c.get("score") is None else f"{c['score']:.2f}",
                      ", ".join(r["key"] for r in records), ", ".join(r.get("name") or "" for r in records))
    console.print(table)


@app.command("show")
def show(case_id: Annotated[str, typer.Argument(help="the caseId")]) -> None:
    """One case with the evidence side by side: records, MATCHES evidence per field, standing decisions."""
    rows = _cases([case_id])
    if not rows:
        raise fail(f"no review case {case_id!r}")
    c, records = rows[0]["case"], rows[0]["records"]
    console.print(f"[bold]{c['caseId']}[/] {c['kind']} · {c['status']} · score {c.get('score')} · {c.get('reason')}")
    if c["status"] == "decided":
        console.print(f"decided {c.get('decision')} by {c.get('decidedBy')} at {c.get('decidedAt')}: "
                      f"{c.get('decisionReason')}")
    table = Table(title="Records")
    for col in ("key", "system", "name", "city", "phones", "id documents", "customer now"):
        table.add_column(col)
    for r in records:
        table.add_row(r["key"], r["system"], r.get("name") or "", r.get("city") or "", ", ".join(r["phones"]),
                      ", ".join(r["idDocuments"]), r.get("oneId") or "")
    console.print(table)
    evidence = Table(title="MATCHES evidence")
    for col in ("pair", "score", "decision", "field", "outcome", "weight"):
        evidence.add_column(col)
    for m in rows[0]["matches"]:
        for i, item in enumerate(json.loads(m.get("evidence") or "[]")):
            evidence.add_row(f"{m['a']} ~ {m['b']}" if i == 0 else "", f"{m.get('score')}" if i == 0 else "",
                             (m.get("decision") or "") if i == 0 else "", str(item.get("field")),
                             str(item.get("outcome")), str(item.get("weight")))
    console.print(evidence)
    for d in rows[0]["decisions"]:
        console.print(f"standing decision {d['id']}: {d['kind']} by {d.get('actor')} — {d.get('reason')}")


def _run(make_flow: Callable[[], Flow[Outcome]]) -> None:
    from carkg.graph import connect
    from carkg.identity.steward import StewardError, run

    with connect() as db:
        try:
            outcome = run(db, make_flow)
        except StewardError as exc:
            raise fail(f"{exc.field}: {exc}") from exc
    console.print(f"{outcome.action}: audit {outcome.audit_id}")
    for d in outcome.decisions:
        was = f" (was {d.previous})" if d.previous else ""
        console.print(f"  {d.kind} {d.key_a} ~ {d.key_b}{was}")
    if outcome.case_ids:
        console.print(f"  cases closed: {', '.join(outcome.case_ids)}")
    if outcome.one_ids:
        console.print(f"  customers now: {', '.join(outcome.one_ids)}")
    if outcome.merged_one_ids:
        console.print(f"  merged away: {', '.join(outcome.merged_one_ids)}")
    if outcome.moved_keys:
        console.print(f"  records moved: {', '.join(outcome.moved_keys)}")
    if outcome.note:
        console.print(f"  note: {outcome.note}")


@app.command("decide")
def decide(
    case_id: Annotated[str, typer.Argument(help="the caseId")],
    decision: Annotated[str, typer.Argument(help="accept or reject")],
    reason: ReasonOption,
    actor: ActorOption = None,
) -> None:
    """Accept (one person: must_link) or reject (two: cannot_link) a review case."""
    from carkg.identity.steward import decide_case

    who = _actor(actor)
    _run(lambda: decide_case(case_id, decision.strip().lower(), reason, who))


@app.command("merge")
def merge(
    key_a: Annotated[str, typer.Argument(help="a record key (or a One ID)")],
    key_b: Annotated[str, typer.Argument(help="another record key (or a One ID)")],
    reason: ReasonOption,
    actor: ActorOption = None,
) -> None:
    """Two records (or customers) are one person: must_link; the smaller customer moves into the larger."""
    from carkg.identity.steward import merge as merge_flow

    who = _actor(actor)
    _run(lambda: merge_flow(key_a, key_b, reason, who))


@app.command("split")
def split(
    one_id: Annotated[str, typer.Argument(help="the customer's One ID")],
    keys: Annotated[str, typer.Option(help="record keys that leave, comma-separated: they become a new customer")],
    reason: ReasonOption,
    actor: ActorOption = None,
) -> None:
    """Split records off a customer: cannot_link between them and the rest; they get a new One ID."""
    from carkg.graph import connect
    from carkg.identity.steward import split as split_flow

    leaving = [k.strip() for k in keys.split(",") if k.strip()]
    with connect() as db:
        found = db.read("identity/steward_person", oneId=one_id)
    rest = [k for k in (found[0]["keys"] if found else []) if k not in leaving]
    who = _actor(actor)
    _run(lambda: split_flow(one_id, [rest, leaving], reason, who))
