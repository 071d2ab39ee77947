"""The pages people open first: GraphiQL served from the package (no CDN), the data stewards' review
page at /steward, and a Neo4j Browser guide at /guide. Third-party files come from web/package.json at
pinned versions, copied into static/vendor/ by `make install`."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from carkg.web.graphql import Operations
from carkg.web.guide import guide
from carkg.web.pages import STATIC_DIR
from carkg.web.steward import StewardPages


def routes(operations: Operations) -> list[BaseRoute]:
    steward = StewardPages(operations)
    return [
        *steward.routes(),
        Route("/guide", guide, methods=["GET", "OPTIONS"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static"),
    ]
