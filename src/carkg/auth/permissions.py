"""What each role may do. One table, read by the API and the CLI alike."""

from __future__ import annotations

from enum import StrEnum

from carkg.auth.principal import Principal, Role


class Action(StrEnum):
    READ = "read"  # customers, identifiers (masked), vehicles, tags — within the row scope
    REVEAL = "reveal"  # one raw personal value, audited
    READ_AUDIT = "read_audit"
    TAG = "tag"  # assign / remove tags
    DEFINE_TAG_OEM = "define_tag_oem"
    DEFINE_TAG_DEALER = "define_tag_dealer"
    DEFINE_TAG_ADVISOR = "define_tag_advisor"
    DECIDE_MATCH = "decide_match"  # steward decisions on One ID
    SAVE_SEGMENT = "save_segment"
    INTAKE_EVENTS = "intake_events"
    MANAGE_TOKENS = "manage_tokens"
    ASSIGN_LEAD = "assign_lead"  # send a lead to an advisor (the dealer manager's app, admins)


_ALL = set(Action)

# Revealing raw personal data is a steward's job only (PIPL: least privilege); admins run the system.
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(_ALL - {Action.REVEAL}),
    Role.ANALYST: frozenset({Action.READ, Action.TAG, Action.SAVE_SEGMENT}),
    Role.STEWARD: frozenset({Action.READ, Action.REVEAL, Action.READ_AUDIT, Action.DECIDE_MATCH, Action.TAG}),
    Role.ADVISOR: frozenset({Action.READ, Action.TAG, Action.DEFINE_TAG_ADVISOR}),
    Role.APP: frozenset({Action.READ, Action.TAG, Action.DEFINE_TAG_DEALER, Action.SAVE_SEGMENT, Action.INTAKE_EVENTS,
                           Action.ASSIGN_LEAD}),
}


def can(principal: Principal, action: Action) -> bool:
    return action in PERMISSIONS[principal.role]
