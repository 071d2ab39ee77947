"""JWTs from an app's own issuer: the app signs, carkg verifies signature, issuer, audience and expiry.

The carkg-specific claims sit under one `carkg` claim: `{"role": "advisor", "advisorId": "A0001",
"dealerId": "D001"}`; `sub` names the caller in logs and the audit trail.
"""

from __future__ import annotations

from functools import cached_property

import jwt

from carkg.auth.principal import Principal, Role
from carkg.settings import ApiSettings


class JwtError(ValueError):
    pass


class JwtVerifier:
    def __init__(self, settings: ApiSettings) -> None:
        self.settings = settings

    @property
    def enabled(self) -> bool:
        return bool(self.settings.jwt_secret or self.settings.jwt_jwks_url)

    @cached_property
    def _jwks(self) -> jwt.PyJWKClient | None:
        return jwt.PyJWKClient(self.settings.jwt_jwks_url) if self.settings.jwt_jwks_url else None

    def principal(self, token: str) -> Principal:
        """The caller the token names; JwtError with the reason when anything does not hold."""
        if not self.enabled:
            raise JwtError("JWTs are not accepted here (no CARKG_API_JWT_SECRET or CARKG_API_JWT_JWKS_URL)")
        try:
            if self._jwks is not None:
                key: object = self._jwks.get_signing_key_from_jwt(token).key
                algorithms = ["RS256", "ES256"]
            else:
                key, algorithms = self.settings.jwt_secret, ["HS256"]
            claims = jwt.decode(
                token, key, algorithms=algorithms, audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer or None,
                options={"require": ["exp", "sub"], "verify_iss": bool(self.settings.jwt_issuer)},
            )
        except jwt.PyJWTError as exc:
            raise JwtError(f"invalid JWT: {exc}") from exc
        carkg = claims.get("carkg") or {}
        try:
            return Principal(
                subject=f"jwt:{claims['sub']}", role=Role(carkg.get("role")),
                advisor_id=carkg.get("advisorId"), dealer_id=carkg.get("dealerId"),
            )
        except ValueError as exc:
            raise JwtError(f"invalid JWT claim carkg: {exc}") from exc
