"""`carkg` on the command line: one module per capability, assembled here."""

from __future__ import annotations

import typer

from carkg.cli import advisors, bench, data, identity, leads, neo4j, segments, serve, steward, tags, tokens

app = typer.Typer(help="carkg: knowledge graph for automotive CRM", no_args_is_help=True)
app.add_typer(neo4j.app, name="neo4j")
app.add_typer(data.schema_app, name="schema")
app.add_typer(data.demo_app, name="demo")
app.command("load")(data.load)
app.command("export-schema")(data.export_schema)
app.command("serve")(serve.serve)
app.command("up")(serve.up)
app.add_typer(tokens.app, name="tokens")
app.add_typer(segments.app, name="segments")
app.add_typer(bench.app, name="bench")
app.add_typer(tags.app, name="tags")
app.add_typer(steward.app, name="steward")
app.add_typer(identity.app, name="identity")
app.add_typer(leads.app, name="leads")
app.add_typer(advisors.app, name="advisors")

__all__ = ["app"]
