"""From the Authorization header to a Principal: carkg API tokens (hashed in the graph) or JWTs.

Verified tokens are cached for a short time (CARKG_API_TOKEN_CACHE_SECONDS) so that a busy API does not
ask the database on every request; a revoked token stops working when its cache entry expires.
"""

from __future__ import annotations

import time

from carkg.api.graph import Graph
from carkg.auth import Principal
from carkg.auth.jwt import JwtError, JwtVerifier
from carkg.auth.tokens import PREFIX, principal_from_token_row, token_hash
from carkg.settings import ApiSettings


class AuthError(Exception):
    """The credential presented was refused; the message says why (never echoing the credential)."""


class Authenticator:
    def __init__(self, settings: ApiSettings) -> None:
        self.settings = settings
        self.jwt = JwtVerifier(settings)
        self._cache: dict[str, tuple[float, Principal]] = {}

    async def principal(self, authorization: str | None, graph: Graph) -> Principal | None:
        """None when no credential was sent; AuthError when one was sent and is not good."""
        if not authorization:
            return None
        scheme, _, credential = authorization.partition(" ")
        credential = credential.strip()
        if scheme.lower() != "bearer" or not credential:
            raise AuthError("expected 'Authorization: Bearer <token>'")
        if credential.startswith(PREFIX):
            return await self._api_token(credential, graph)
        if credential.count(".") == 2:
            try:
                return self.jwt.principal(credential)
            except JwtError as exc:
                raise AuthError(str(exc)) from exc
        raise AuthError("not a carkg API token or a JWT")

    async def _api_token(self, token: str, graph: Graph) -> Principal:
        digest = token_hash(token)
        now = time.monotonic()
        cached = self._cache.get(digest)
        if cached and cached[0] > now:
            return cached[1]
        rows = await graph.read("auth/token_by_hash", hash=digest)
        if not rows:
            self._cache.pop(digest, None)
            raise AuthError("unknown or revoked token")
        principal = principal_from_token_row(rows[0]["token"])
        self._cache[digest] = (now + self.settings.token_cache_seconds, principal)
        return principal
