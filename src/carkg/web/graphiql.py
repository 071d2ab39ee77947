"""GraphiQL at GET /graphql from the package's own static files: it works on a machine without internet
(strawberry's default page loads React and GraphiQL from a CDN)."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import HTMLResponse

from carkg.paths import GRAPHQL_DIR
from carkg.web.pages import render

# The Headers tab starts with this: replace the placeholder by a token (`carkg tokens create`, or the
# demo tokens `make run` prints).
HEADERS_HINT = json.dumps({"Authorization": "Bearer <paste a token here>"}, indent=2)
FIRST_QUERY = "customer_360"


def _first_query() -> str:
    path = GRAPHQL_DIR / f"{FIRST_QUERY}.graphql"
    intro = ("# carkg GraphQL. Put a token in Headers below (make run prints the demo tokens), then run.\n"
             "# The schema (Docs, top left) answers only with a token: after pasting it, re-fetch the schema\n"
             "# (the circling arrow, bottom left). More example operations: graphql/*.graphql.\n")
    return intro + (path.read_text(encoding="utf-8") if path.is_file() else "{ me { subject role } }\n")


def graphiql_page(request: Request) -> HTMLResponse:
    return render(request, "graphiql.html", defaults={"headers": HEADERS_HINT, "query": _first_query()})
