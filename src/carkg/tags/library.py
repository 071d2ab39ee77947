"""The tag library: define tags, load the starter library shipped as data, copy templates to dealers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from carkg.graph import Database
from carkg.paths import LOADERS_DIR
from carkg.tags.definition import TagDefinition
from carkg.tags.errors import TagInputError

STARTER_LIBRARY = LOADERS_DIR / "tags" / "library.yaml"


def define(db: Database, definitions: Sequence[TagDefinition]) -> list[str]:
    """Create or update tags by code (idempotent); returns the codes written."""
    codes = [d.code for d in definitions]
    if len(set(codes)) != len(codes):
        dup = sorted({c for c in codes if codes.count(c) > 1})
        raise TagInputError([f"code: defined twice in one batch: {', '.join(dup)}"])
    rows = [{"code": d.code, "props": d.properties()} for d in definitions]
    return [r["code"] for r in db.write("tags/define_tags", rows=rows)]


def read_library(path: Path = STARTER_LIBRARY) -> list[TagDefinition]:
    """Parse a library file (a YAML list of definitions); errors name the entry and the field."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(entries, list):
        raise TagInputError([f"{path.name}: expected a list of tag definitions"])
    out: list[TagDefinition] = []
    problems: list[str] = []
    for i, entry in enumerate(entries):
        try:
            out.append(TagDefinition.model_validate(entry))
        except ValidationError as e:
            name = entry.get("code", "?") if isinstance(entry, dict) else "?"
            for err in e.errors():
                field = ".".join(str(p) for p in err["loc"]) or "entry"
                problems.append(f"{path.name} entry {i} ({name}): {field}: {err['msg']}")
    if problems:
        raise TagInputError(problems)
    return out


def load_library(db: Database, path: Path = STARTER_LIBRARY) -> list[str]:
    """`carkg tags library load`: the starter library, idempotently (same file → same graph)."""
    return define(db, read_library(path))


def template_copy_code(code: str, dealer_id: str) -> str:
    return f"{code}@{dealer_id}"


def template_copy(template: dict[str, Any], dealer_id: str) -> TagDefinition:
    """The dealer-scoped definition copied from an OEM template row (as `tags/tags_by_code` returns it)."""
    if not template.get("template"):
        raise TagInputError([f"code: tag {template['code']!r} is not a template"])
    return TagDefinition.from_node(template).model_copy(update={
        "code": template_copy_code(template["code"], dealer_id), "scope": "dealer", "owner_id": dealer_id,
        "template": False,
    })


def copy_template(db: Database, code: str, dealer_id: str) -> TagDefinition:
    """A dealer's own copy of an OEM template, scoped to that dealer; copying again changes nothing."""
    found = db.read("tags/tags_by_code", codes=[code])
    if not found:
        raise TagInputError([f"code: unknown tag code {code!r}"])
    copy = template_copy(found[0]["tag"], dealer_id)
    if not db.read("tags/dealer_exists", dealerId=dealer_id):
        raise TagInputError([f"dealerId: no dealer {dealer_id!r}"])
    existing = db.read("tags/tags_by_code", codes=[copy.code])
    if existing:
        return TagDefinition.from_node(existing[0]["tag"])
    define(db, [copy])
    return copy


def list_library(
    db: Database, viewer: dict[str, object], *, scope: str | None = None, category: str | None = None,
    skip: int = 0, limit: int = 1000,
) -> list[TagDefinition]:
    """The definitions `viewer` (Principal.viewer()) may see, ordered by code."""
    rows = db.read("tags/library", viewer=viewer, scope=scope, category=category, skip=skip, limit=limit)
    return [TagDefinition.from_node(r["tag"]) for r in rows]
