"""A steward's sign-in: the token is kept in an HttpOnly, SameSite=Strict cookie scoped to /steward
(never in a URL, never readable by scripts). Forms carry a token derived from it, so a form posted from
another site is refused even where the browser would send the cookie."""

from __future__ import annotations

import hashlib
import hmac

from starlette.requests import Request
from starlette.responses import Response

from carkg.auth import Role

COOKIE = "carkg_steward"
PATH = "/steward"
# The page acts (accept, reject, split): only those who may decide matches sign in.
ROLES = frozenset({Role.STEWARD, Role.ADMIN})
MAX_AGE_SECONDS = 8 * 3600  # one working day


def token_of(request: Request) -> str | None:
    return request.cookies.get(COOKIE) or None


def keep(response: Response, request: Request, token: str) -> None:
    response.set_cookie(COOKIE, token, max_age=MAX_AGE_SECONDS, path=PATH, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


def forget(response: Response) -> None:
    response.delete_cookie(COOKIE, path=PATH, httponly=True, samesite="strict")


def form_token(token: str) -> str:
    """Unguessable without the cookie's token, which scripts and other sites cannot read."""
    return hashlib.sha256(f"carkg-steward-form:{token}".encode()).hexdigest()[:32]


def form_token_ok(token: str, sent: object) -> bool:
    return isinstance(sent, str) and hmac.compare_digest(form_token(token), sent)
