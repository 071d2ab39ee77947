"""Who may call carkg and what they may do: principals, roles, API tokens, JWTs."""

from carkg.auth.permissions import Action, can
from carkg.auth.principal import Principal, Role

__all__ = ["Action", "Principal", "Role", "can"]
