"""`carkg tokens …`: API tokens for apps and people. A token is printed once; the graph keeps its hash."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from carkg.auth import Role
from carkg.cli._console import console, fail

app = typer.Typer(help="API tokens (bearer) for the GraphQL API", no_args_is_help=True)


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="a unique name: who or what uses it")],
    role: Annotated[Role, typer.Option(help="admin, analyst, steward, advisor or app")],
    advisor: Annotated[str | None, typer.Option(help="advisor id (role advisor)")] = None,
    dealer: Annotated[str | None, typer.Option(help="dealer id (role advisor; or an app bound to one dealer)")] = None,
) -> None:
    """Create a token and print it (the only time it is shown)."""
    from carkg.auth.tokens import TokenError, create_token
    from carkg.graph import connect

    with connect() as db:
        db.apply_schema()
        try:
            token = create_token(db, name, role, advisor_id=advisor, dealer_id=dealer)
        except (TokenError, ValueError) as exc:
            raise fail(str(exc)) from exc
    console.print(f"Token for {name} ({role.value}): [bold]{token}[/]")
    console.print("Send it as 'Authorization: Bearer <token>'. It is not stored in clear and will not be shown again.")


@app.command("list")
def list_() -> None:
    from carkg.auth.tokens import list_tokens
    from carkg.graph import connect

    with connect() as db:
        tokens = list_tokens(db)
    table = Table(title="API tokens")
    for col in ("name", "role", "advisor", "dealer", "starts with", "created", "revoked"):
        table.add_column(col)
    for t in tokens:
        table.add_row(t.name, t.role.value, t.advisor_id or "", t.dealer_id or "", t.prefix + "…",
                      f"{t.created_at:%Y-%m-%d %H:%M}" if t.created_at else "",
                      f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "")
    console.print(table)


@app.command("revoke")
def revoke(name: Annotated[str, typer.Argument()]) -> None:
    from carkg.auth.tokens import revoke_token
    from carkg.graph import connect

    with connect() as db:
        if not revoke_token(db, name):
            raise fail(f"no live token named {name!r}")
    console.print(f"Revoked {name}.")
