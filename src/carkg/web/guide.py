"""The Neo4j Browser guide at /guide: `:play http://127.0.0.1:8000/guide` in Browser walks an analyst
through the model, One ID and tags on relationships, then every ready query of cypher/analyst/ with a
one-click run. Browser fetches the page from another origin, so it answers CORS; the local server's
settings put this host on Browser's allow-list (browser.remote_content_hostname_whitelist)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from starlette.requests import Request
from starlette.responses import Response

from carkg.paths import CYPHER_DIR
from carkg.web.pages import render

ANALYST_DIR = CYPHER_DIR / "analyst"
_PARAM = re.compile(r"^// :param (\w+) => (.+)$")
# The story first; every other analyst query follows in name order.
STORY = ("graph_model", "one_id_person", "tags_on_relationship", "review_cases")
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, OPTIONS",
        "Access-Control-Allow-Headers": "*"}


@dataclass(frozen=True)
class AnalystQuery:
    """One file of cypher/analyst/: what it is for (its leading comment), its Browser `:param` lines and
    the query."""

    name: str
    about: str
    params: dict[str, str]  # name -> Cypher expression, as `:param name => expression`
    query: str

    @property
    def title(self) -> str:
        return self.about.split(". ")[0].split(": ")[0].rstrip(".")

    @property
    def param_commands(self) -> list[str]:
        return [f":param {key} => {expr}" for key, expr in self.params.items()]


def analyst_query(name: str) -> AnalystQuery:
    about: list[str] = []
    params: dict[str, str] = {}
    body: list[str] = []
    for line in (ANALYST_DIR / f"{name}.cypher").read_text(encoding="utf-8").splitlines():
        if body or not line.startswith("//"):
            body.append(line)
        elif match := _PARAM.match(line):
            params[match[1]] = match[2].strip()
        else:
            about.append(line.removeprefix("//").strip())
    return AnalystQuery(name, " ".join(about), params, "\n".join(body).strip())


@cache
def analyst_queries() -> list[AnalystQuery]:
    names = sorted(p.stem for p in ANALYST_DIR.glob("*.cypher"))
    ordered = [n for n in STORY if n in names] + [n for n in names if n not in STORY]
    return [analyst_query(n) for n in ordered]


async def guide(request: Request) -> Response:
    if request.method == "OPTIONS":
        return Response(status_code=204, headers=CORS)
    base = f"{request.url.scheme}://{request.url.netloc}"
    response = render(request, "guide.html", queries=analyst_queries(), base=base)
    response.headers.update(CORS)
    return response
