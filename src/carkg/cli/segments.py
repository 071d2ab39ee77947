"""`carkg segments …`: count, list members, explain, save, materialise, diff and export segments.

A definition is a JSON file (or inline JSON text); `--saved ID` uses a saved segment instead. The CLI
works as an analyst: the whole network, tags in every scope, OEM segments by default.
"""

from __future__ import annotations

import getpass
import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from carkg.cli._console import console, fail

app = typer.Typer(help="Segments (圈选): audiences of resolved customers", no_args_is_help=True)

Source = Annotated[str | None, typer.Argument(help="definition: a JSON file or inline JSON")]
Saved = Annotated[str | None, typer.Option("--saved", help="a saved segment id instead of a definition")]
Now = Annotated[str | None, typer.Option(help="evaluate dynamic dates against this ISO moment (default: now)")]


def _definition(source: str | None, saved: str | None) -> Any:
    if (source is None) == (saved is None):
        raise fail("give a definition (file or JSON) or --saved ID")
    if saved is not None:
        return {"kind": "segment", "id": saved}
    text = Path(source).read_text(encoding="utf-8") if Path(source).is_file() else source  # type: ignore[arg-type]
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(f"definition: not JSON and not a file: {exc}") from None


def _request(now: str | None) -> Any:
    from carkg.segments.dates import CHINA
    from carkg.segments.engine import Request

    if now is None:
        return Request()
    moment = datetime.fromisoformat(now)
    return Request(now=moment if moment.tzinfo else moment.replace(tzinfo=CHINA))


def _run(fn: Any) -> Any:
    from carkg.graph import connect
    from carkg.segments import SegmentError

    with connect() as db:
        try:
            return fn(db)
        except SegmentError as exc:
            raise fail(str(exc)) from None


@app.command("count")
def count(source: Source = None, saved: Saved = None, now: Now = None) -> None:
    """How many resolved customers match."""
    from carkg.segments import engine

    console.print(_run(lambda db: engine.count(db, _definition(source, saved), _request(now))))


@app.command("members")
def members(source: Source = None, saved: Saved = None, now: Now = None,
            first: Annotated[int, typer.Option(help="page size")] = 20,
            after: Annotated[str | None, typer.Option(help="last OneID of the previous page")] = None) -> None:
    """A page of members: OneID, masked name and phones, tag codes."""
    from carkg.segments import engine

    page = _run(lambda db: engine.members(db, _definition(source, saved), _request(now), first=first, after=after))
    table = Table("oneId", "name", "phones", "tags")
    for m in page.members:
        table.add_row(m.one_id, m.masked_name or "", ", ".join(m.masked_phones), ", ".join(m.tags))
    console.print(table)
    if page.has_next:
        console.print(f"more: --after {page.end_cursor}")


@app.command("explain")
def explain(source: Source = None, saved: Saved = None, now: Now = None,
            members_query: Annotated[bool, typer.Option("--members", help="the members query")] = False) -> None:
    """The one Cypher query the segment runs, with `:param` lines: paste into Neo4j Browser."""
    from carkg.segments import engine

    explained = _run(lambda db: engine.explain(db, _definition(source, saved), _request(now), members=members_query))
    console.print(f"// starts from: {explained.anchor}", markup=False, highlight=False)
    console.print(explained.browser(), markup=False, highlight=False, soft_wrap=True)


@app.command("save")
def save(segment_id: Annotated[str, typer.Argument(help="segment id: a-z 0-9 _ -")], source: Source = None,
         name: Annotated[str | None, typer.Option()] = None,
         description: Annotated[str | None, typer.Option()] = None,
         scope: Annotated[str, typer.Option(help="oem | dealer | advisor")] = "oem",
         owner_id: Annotated[str | None, typer.Option(help="dealer or advisor id for scoped segments")] = None) -> None:
    """Save a definition as a new version of SEGMENT_ID."""
    from carkg.segments import store

    definition = _definition(source, None)
    saved = _run(lambda db: store.save(db, segment_id, definition, store.Owner(f"cli:{getpass.getuser()}", scope,
                                                                              owner_id), name=name,
                                       description=description))  # type: ignore[arg-type]
    console.print(f"saved {saved.id} version {saved.version}")


@app.command("list")
def list_saved() -> None:
    """Saved segments with their latest version and last run."""
    from carkg.segments import store

    table = Table("id", "name", "scope", "version", "last run", "members", "+", "-")
    for s in _run(store.saved_segments):
        run = s["lastRun"] or {}
        table.add_row(s["id"], s["name"], f"{s['scope']} {s['ownerId'] or ''}".strip(), str(s["latestVersion"]),
                      str(run.get("at", ""))[:19], str(run.get("count", "")), str(run.get("entered", "")),
                      str(run.get("exited", "")))
    console.print(table)


@app.command("materialise")
def materialise(segment_id: str) -> None:
    """Run a saved segment now and store its membership."""
    from carkg.segments import store

    run = _run(lambda db: store.materialise(db, segment_id, actor=f"cli:{getpass.getuser()}"))
    console.print(f"run {run['runId']}: {run['count']} members, {run['entered']} entered, {run['exited']} exited")


@app.command("diff")
def diff(segment_id: str, from_run: Annotated[str | None, typer.Option("--from")] = None,
         to_run: Annotated[str | None, typer.Option("--to")] = None,
         as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """Who entered and who left between two runs (default: the last against the one before)."""
    from carkg.segments import store

    d = _run(lambda db: store.diff(db, segment_id, from_run=from_run, to_run=to_run))
    if as_json:
        print(json.dumps({"fromRun": (d.from_run or {}).get("runId"), "toRun": d.to_run["runId"],
                          "entered": d.entered, "exited": d.exited}, ensure_ascii=False))
        return
    console.print(f"{(d.from_run or {}).get('runId', '(nothing)')} → {d.to_run['runId']}: "
                  f"{len(d.entered)} entered, {len(d.exited)} exited")


@app.command("export")
def export(out: Annotated[Path, typer.Argument(help="FILE.json to write")], source: Source = None,
           saved: Saved = None, now: Now = None) -> None:
    """Write the members' OneIDs and tag codes to FILE.json — never names, phones or ID numbers."""
    from carkg.segments import engine, store

    def work(db: Any) -> dict[str, Any]:
        definition = _definition(source, saved)
        request = _request(now)
        ids = engine.member_ids(db, definition, request)
        return {"segment": saved, "definition": definition if saved is None else None,
                "at": request.moment().isoformat(), "count": len(ids), "members": store.export_rows(db, ids)}

    body = _run(work)
    out.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    console.print(f"wrote {body['count']} members to {out}")


@app.command("builtins")
def builtins() -> None:
    """Save the built-in quadrants and personas (a new version only where a definition changed)."""
    from carkg.segments import builtins as b

    for saved in _run(lambda db: b.install(db, actor=f"cli:{getpass.getuser()}")):
        console.print(f"{saved.id} version {saved.version}")
