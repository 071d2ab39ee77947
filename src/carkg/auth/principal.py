"""Who is calling: a role, and for advisors and dealer apps the advisor/dealer they are bound to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    STEWARD = "steward"
    ADVISOR = "advisor"
    APP = "app"


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller behind a token. `subject` names them in logs and the audit trail."""

    subject: str
    role: Role
    advisor_id: str | None = None
    dealer_id: str | None = None

    def __post_init__(self) -> None:
        if self.role is Role.ADVISOR and not (self.advisor_id and self.dealer_id):
            raise ValueError("an advisor principal is bound to one advisor and one dealer")

    @property
    def sees_everything(self) -> bool:
        """Analysts and stewards work across the network; an app without a dealer is an OEM-wide app."""
        if self.role in (Role.ADMIN, Role.ANALYST, Role.STEWARD):
            return True
        return self.role is Role.APP and self.dealer_id is None

    def scope(self) -> dict[str, object]:
        """The row scope as a Cypher parameter: every scoped query filters customer records with it."""
        return {"all": self.sees_everything, "advisorId": self.advisor_id, "dealerId": self.dealer_id}

    def viewer(self) -> dict[str, object]:
        """Which tag scopes this caller may see: OEM tags for all, dealer tags for that dealer, personal
        tags for their advisor; only admins see every scope (support work)."""
        return {"admin": self.role is Role.ADMIN, "advisorId": self.advisor_id, "dealerId": self.dealer_id}
