"""The data stewards' review page: the queue (riskiest first, by dealer and reason), one case with the
evidence side by side and its neighbourhood, and the decisions — accept, reject, split — which run the
API's own mutations (graphql/decide_case.graphql, split_customer.graphql), audited under the steward's
token and honoured by every later identity run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData, QueryParams
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from carkg.auth import Principal
from carkg.web import session
from carkg.web.graphql import Answer, Operations, execute
from carkg.web.pages import render

# How each error code of the API is answered as a page.
STATUS = {"BAD_USER_INPUT": 400, "UNAUTHENTICATED": 401, "FORBIDDEN": 403, "NOT_FOUND": 404, "CONFLICT": 409,
          "LIMIT_EXCEEDED": 429}
ORDERS = ("risk", "score")
KINDS = ("", "pair", "conflict")
PAGE_SIZE = 25


@dataclass(frozen=True)
class Filters:
    """The queue's filters; carried from the queue to each case so that 'next' stays in the same queue."""

    order: str = "risk"
    dealer: str = ""
    reason: str = ""
    kind: str = ""

    @classmethod
    def read(cls, params: QueryParams) -> Filters:
        order, kind = params.get("order", "risk"), params.get("kind", "")
        return cls(order=order if order in ORDERS else "risk", dealer=params.get("dealer", "").strip(),
                   reason=params.get("reason", "").strip(), kind=kind if kind in KINDS else "")

    def variables(self) -> dict[str, Any]:
        return {"orderBy": self.order.upper(), "dealer": self.dealer or None, "reason": self.reason or None,
                "kind": self.kind.upper() or None}

    def query(self, **extra: str) -> str:
        pairs = {"order": self.order, "dealer": self.dealer, "reason": self.reason, "kind": self.kind, **extra}
        return urlencode({k: v for k, v in pairs.items() if v})


@dataclass(frozen=True)
class Caller:
    token: str
    principal: Principal

    @property
    def form_token(self) -> str:
        return session.form_token(self.token)


class StewardPages:
    def __init__(self, operations: Operations) -> None:
        self.operations = operations

    def routes(self) -> list[Route]:
        return [
            Route("/steward", self.queue),
            Route("/steward/login", self.login, methods=["GET", "POST"]),
            Route("/steward/logout", self.logout, methods=["POST"]),
            Route("/steward/cases/{case_id}", self.case),
            Route("/steward/cases/{case_id}/decide", self.decide, methods=["POST"]),
            Route("/steward/cases/{case_id}/split", self.split, methods=["POST"]),
        ]

    # -- signing in ---------------------------------------------------------------------------------

    async def login(self, request: Request) -> Response:
        if request.method == "GET":
            return _login_page(request, 200, None)
        form = await request.form()
        token = str(form.get("token") or "").strip()
        if not token:
            return _login_page(request, 400, "Paste your steward token (it starts with ckg_).")
        caller = await self._check(request, token)
        if isinstance(caller, Response):
            return caller
        response = RedirectResponse("/steward", status_code=303)
        session.keep(response, request, token)
        return response

    async def logout(self, request: Request) -> Response:
        response = _login_page(request, 200, "Signed out.")
        session.forget(response)
        return response

    async def _caller(self, request: Request) -> Caller | Response:
        token = session.token_of(request)
        if token is None:
            return _login_page(request, 401, "Sign in with a steward token to review matches.")
        return await self._check(request, token)

    async def _check(self, request: Request, token: str) -> Caller | Response:
        context = await self.operations.context_for(request, f"Bearer {token}")
        principal = context.principal
        if principal is None:
            response = _login_page(request, 401, f"The token was refused: {context.auth_problem or 'unknown token'}.")
        elif principal.role not in session.ROLES:
            response = _login_page(
                request, 403, f"This token's role is {principal.role.value}: the review page is for data stewards "
                              "and admins. Analysts read review cases in GraphiQL (reviewCases).")
        else:
            return Caller(token, principal)
        session.forget(response)
        return response

    # -- reading --------------------------------------------------------------------------------------

    async def queue(self, request: Request) -> Response:
        caller = await self._caller(request)
        if isinstance(caller, Response):
            return caller
        filters = Filters.read(request.query_params)
        after = request.query_params.get("after") or None
        answer = await execute(self.operations, request, caller.token, "steward_queue", first=PAGE_SIZE,
                               after=after, **filters.variables())
        if answer.errors:
            return _problem(request, caller, answer)
        return render(request, "steward_queue.html", caller=caller, filters=filters,
                      progress=answer.data["reviewProgress"], cases=answer.data["reviewCases"],  # type: ignore[index]
                      done=_done(request.query_params))

    async def case(self, request: Request) -> Response:
        caller = await self._caller(request)
        if isinstance(caller, Response):
            return caller
        case_id, filters = request.path_params["case_id"], Filters.read(request.query_params)
        return await self._case_page(request, caller, case_id, filters)

    async def _case_page(self, request: Request, caller: Caller, case_id: str, filters: Filters, status: int = 200,
                         message: str | None = None, form: FormData | None = None) -> Response:
        answer = await execute(self.operations, request, caller.token, "steward_case", caseId=case_id)
        if answer.errors:
            return _problem(request, caller, answer)
        case = answer.data["reviewCase"]  # type: ignore[index]
        if case is None:
            return render(request, "steward_problem.html", 404, caller=caller, message=f"No review case {case_id!r}.")
        next_id, progress = await self._next(request, caller, filters, case_id)
        return render(request, "steward_case.html", status, caller=caller, case=case, filters=filters,
                      next_id=next_id, progress=progress, message=message, form=form or {},
                      graph=_graph(case), customers=_splittable(case), done=_done(request.query_params))

    async def _next(self, request: Request, caller: Caller, filters: Filters, current: str) -> tuple[str | None, Any]:
        answer = await execute(self.operations, request, caller.token, "steward_queue", first=2,
                               **filters.variables())
        if answer.errors or answer.data is None:
            return None, None
        ids = [e["node"]["caseId"] for e in answer.data["reviewCases"]["edges"]]
        return next((i for i in ids if i != current), None), answer.data["reviewProgress"]

    # -- deciding ---------------------------------------------------------------------------------------

    async def decide(self, request: Request) -> Response:
        caller, form, case_id, filters = await self._posted(request)
        if isinstance(caller, Response):
            return caller
        decision = str(form.get("decision") or "")
        if decision not in ("accept", "reject"):
            return await self._case_page(request, caller, case_id, filters, 400, "Choose accept or reject.", form)
        answer = await execute(self.operations, request, caller.token, "decide_case", caseId=case_id,
                               decision=decision.upper(), reason=str(form.get("reason") or ""))
        if answer.errors:
            return await self._case_page(request, caller, case_id, filters, STATUS.get(answer.code() or "", 500),
                                         answer.message(), form)
        next_id, _ = await self._next(request, caller, filters, case_id)
        done = filters.query(done=case_id, decided=decision)
        return RedirectResponse(f"/steward/cases/{next_id}?{done}" if next_id else f"/steward?{done}", status_code=303)

    async def split(self, request: Request) -> Response:
        caller, form, case_id, filters = await self._posted(request)
        if isinstance(caller, Response):
            return caller
        one_id, moved = str(form.get("oneId") or ""), sorted(str(k) for k in form.getlist("move"))
        answer = await execute(self.operations, request, caller.token, "steward_case", caseId=case_id)
        case = (answer.data or {}).get("reviewCase")
        keys = sorted({link["node"]["key"] for r in (case or {}).get("records", []) if r["customer"]
                       and r["customer"]["oneId"] == one_id for link in r["customer"]["records"]})
        if not keys:
            return await self._case_page(request, caller, case_id, filters, 400,
                                         f"oneId: {one_id!r} is not a customer of this case", form)
        if not moved or set(moved) == set(keys):
            return await self._case_page(request, caller, case_id, filters, 400,
                                         "Tick the records that are another person (some, not all).", form)
        groups = [[k for k in keys if k not in moved], moved]
        answer = await execute(self.operations, request, caller.token, "split_customer", oneId=one_id,
                               groups=groups, reason=str(form.get("reason") or ""))
        if answer.errors:
            return await self._case_page(request, caller, case_id, filters, STATUS.get(answer.code() or "", 500),
                                         answer.message(), form)
        done = filters.query(done=one_id, decided="split")
        return RedirectResponse(f"/steward/cases/{case_id}?{done}", status_code=303)

    async def _posted(self, request: Request) -> tuple[Caller | Response, FormData, str, Filters]:
        """The caller of a form post, refused when the form does not carry the caller's form token."""
        caller = await self._caller(request)
        form = await request.form()
        filters = Filters.read(request.query_params)
        if not isinstance(caller, Response) and not session.form_token_ok(caller.token, form.get("formToken")):
            caller = render(request, "steward_problem.html", 403, caller=caller,
                            message="This form is out of date or came from another site: reload the page, try again.")
        return caller, form, request.path_params["case_id"], filters


def _login_page(request: Request, status: int, message: str | None) -> Response:
    return render(request, "steward_login.html", status, message=message)


def _problem(request: Request, caller: Caller, answer: Answer) -> Response:
    return render(request, "steward_problem.html", STATUS.get(answer.code() or "", 500), caller=caller,
                  message=answer.message())


def _done(params: QueryParams) -> dict[str, str] | None:
    done, decided = params.get("done"), params.get("decided")
    return {"subject": done, "decision": decided} if done and decided in ("accept", "reject", "split") else None


def _splittable(case: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The customers of a case's records that hold more than one record: the ones a split can apply to."""
    return {r["customer"]["oneId"]: r["customer"] for r in case["records"]
            if r["customer"] and len(r["customer"]["records"]) > 1}


def _graph(case: dict[str, Any]) -> list[dict[str, Any]]:
    """Cytoscape.js elements: the picture is drawn in the page from this JSON (labels are canvas text)."""
    hood = case["neighbourhood"]
    nodes = [{"data": {"id": n["id"], "label": n["caption"], "kind": n["kind"]},
              "classes": n["kind"] + (" suspect" if n["suspect"] else "")} for n in hood["nodes"]]
    edges = [{"data": {"id": f"e{i}", "source": e["source"], "target": e["target"], "label": e["type"]}}
             for i, e in enumerate(hood["edges"])]
    return nodes + edges
