"""Who may see (and use) a tag: OEM tags everyone, dealer tags that dealer, advisor tags that advisor.

The same rule, as Cypher, filters every query that returns tags (`$viewer` = `Principal.viewer()`);
this is the Python side for checks on one tag already read.
"""

from __future__ import annotations

from typing import Any


def visible(tag: dict[str, Any], viewer: dict[str, object]) -> bool:
    scope = tag.get("scope") or "oem"
    if viewer.get("admin") or scope == "oem":
        return True
    owner = tag.get("ownerId")
    if scope == "dealer":
        return owner is not None and owner == viewer.get("dealerId")
    return scope == "advisor" and owner is not None and owner == viewer.get("advisorId")
