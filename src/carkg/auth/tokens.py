"""API tokens: random bearer strings; the graph keeps only their SHA-256.

The tokens are 256 random bits, so a fast hash is enough (no password stretching needed): nobody can
guess a preimage, and a leaked database does not leak usable tokens.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from carkg.auth.principal import Principal, Role
from carkg.graph import Database

PREFIX = "ckg_"


class TokenError(ValueError):
    pass


@dataclass(frozen=True)
class TokenInfo:
    name: str
    role: Role
    advisor_id: str | None
    dealer_id: str | None
    prefix: str
    created_at: datetime | None
    revoked_at: datetime | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def principal_from_token_row(row: dict[str, Any]) -> Principal:
    return Principal(
        subject=f"token:{row['name']}", role=Role(row["role"]),
        advisor_id=row.get("advisorId"), dealer_id=row.get("dealerId"),
    )


def create_token(
    db: Database, name: str, role: Role, *, advisor_id: str | None = None, dealer_id: str | None = None
) -> str:
    """Store a new token and return it; this is the only time the token is seen in clear."""
    Principal(subject=name, role=role, advisor_id=advisor_id, dealer_id=dealer_id)  # validates the binding
    if role is Role.ADVISOR:
        found = db.read("auth/advisor_dealer", advisorId=advisor_id)
        if not found or found[0]["dealerId"] != dealer_id:
            raise TokenError(f"advisor {advisor_id!r} does not work at dealer {dealer_id!r}")
    if db.read("auth/token_name_taken", tokenName=name):
        raise TokenError(f"a token named {name!r} exists already")
    token = PREFIX + secrets.token_urlsafe(32)
    db.write("auth/create_token", token={
        "hash": token_hash(token), "name": name, "role": role.value,
        "advisorId": advisor_id, "dealerId": dealer_id, "prefix": token[:8],
    })
    return token


def revoke_token(db: Database, name: str) -> bool:
    return db.write("auth/revoke_token", tokenName=name)[0]["revoked"] > 0


def list_tokens(db: Database) -> list[TokenInfo]:
    return [
        TokenInfo(
            name=t["name"], role=Role(t["role"]), advisor_id=t.get("advisorId"), dealer_id=t.get("dealerId"),
            prefix=t.get("prefix") or "",
            created_at=_native(t.get("createdAt")),
            revoked_at=_native(t.get("revokedAt")),
        )
        for t in (row["token"] for row in db.read("auth/list_tokens"))
    ]


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def ensure_demo_tokens(db: Database, path: Path) -> dict[str, str]:
    """One token per role for trying the demo in GraphiQL, kept in a file only the user can read.

    Reused across runs while they are still live in the graph; recreated after a wipe.
    """
    if path.exists():
        saved: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        if all(db.read("auth/token_by_hash", hash=token_hash(t)) for t in saved.values()):
            return saved
    stamp = secrets.token_hex(3)
    tokens = {role.value: create_token(db, f"demo-{role.value}-{stamp}", role)
              for role in (Role.ADMIN, Role.ANALYST, Role.STEWARD)}
    busiest = db.read("auth/busiest_advisor")
    if busiest:
        a = busiest[0]
        tokens["advisor"] = create_token(db, f"demo-advisor-{stamp}", Role.ADVISOR,
                                         advisor_id=a["advisorId"], dealer_id=a["dealerId"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(json.dumps(tokens, indent=2), encoding="utf-8")
    return tokens
