"""Declarative event rules: one YAML file per scope (`loaders/rules/*.yaml`), from an event to tags.

A rule says which events it matches (event types, material kind / title words, event-group campaign…)
and which tags follow, each with a confidence that grows with repetition:
`confidence = min(1, base + step * (count - 1))`, where count is how many of the customer's events
(this one included) the rule matches — reading the test-drive invitation three times says more than once.
A tag spec `target: engaged_with` tags the customer→material ENGAGED_WITH relationship instead of the
record, and counts only events on that material; `target: interested_in` tags the customer→model
INTERESTED_IN relationship for the model the material features (intake MERGEs it first).

Tags come from the tag library (`loaders/tags/library.yaml`); a rule file may define the extra tags its
rules use under `definitions:` (same fields as the library), which intake creates when missing — never
overwriting a definition someone has since edited or deprecated.

Files are validated with pydantic (unknown keys are errors); a bad file raises `RuleFileError` naming
the file, the rule and the field. Evaluation is pure Python over `EventFacts`, so it is tested without a
database and intake decides how the facts are fetched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from carkg.graph import Database
from carkg.ingest.rows import EventType
from carkg.paths import LOADERS_DIR
from carkg.tags import TagDefinition, define
from carkg.tags.assignment import Code

RULES_DIR = LOADERS_DIR / "rules"
TagCode = str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class When(_Strict):
    """All given conditions must hold; a list condition holds when any of its entries does."""

    event_types: list[EventType] = Field(min_length=1)
    channels: list[str] | None = None
    material_kinds: list[Literal["brochure", "invitation", "article", "video"]] | None = None
    title_contains: list[str] | None = Field(default=None, min_length=1)
    features_model: bool | None = None  # the material features a vehicle model
    campaigns: list[str] | None = Field(default=None, min_length=1)
    group_name_contains: list[str] | None = Field(default=None, min_length=1)

    def matches(self, e: EventFacts) -> bool:
        if e.type not in self.event_types:
            return False
        if self.channels is not None and e.channel not in self.channels:
            return False
        if self.material_kinds is not None or self.title_contains is not None or self.features_model is not None:
            m = e.material
            if m is None:
                return False
            if self.material_kinds is not None and m.get("kind") not in self.material_kinds:
                return False
            if self.title_contains is not None and not any(w in (m.get("title") or "") for w in self.title_contains):
                return False
            if self.features_model is not None and bool(m.get("model")) != self.features_model:
                return False
        if self.campaigns is not None or self.group_name_contains is not None:
            g = e.group
            if g is None:
                return False
            if self.campaigns is not None and g.get("campaign") not in self.campaigns:
                return False
            if self.group_name_contains is not None and not any(
                w in (g.get("name") or "") for w in self.group_name_contains
            ):
                return False
        return True


Target = Literal["record", "engaged_with", "interested_in"]


class TagSpec(_Strict):
    code: Code
    value: str | None = None  # for enum tags; flags take none
    base: float = Field(ge=0, le=1)
    step: float = Field(default=0, ge=0, le=1)
    target: Target = "record"  # not `on`: YAML 1.1 reads `on` as true
    expires_days: int | None = Field(default=None, gt=0)

    def confidence(self, count: int) -> float:
        return round(min(1.0, self.base + self.step * (max(count, 1) - 1)), 4)


class Rule(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    description: str = ""
    when: When
    tags: list[TagSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _engaged_with_needs_material(self) -> Rule:
        on_material = self.when.material_kinds or self.when.title_contains or self.when.features_model is not None
        material_types = all(t.endswith("_material") or t == "share_content" for t in self.when.event_types)
        if any(t.target != "record" for t in self.tags) and not (on_material or material_types):
            raise ValueError("a tag with `target: engaged_with / interested_in` needs a rule that only matches "
                             "material events")
        return self


class RuleFile(_Strict):
    scope: Literal["oem", "dealer", "advisor"]
    owner_id: str | None = None  # dealerId / advisorId for dealer and advisor scopes
    definitions: list[TagDefinition] = []  # tags these rules introduce (the library has the rest)
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _owner_matches_scope(self) -> RuleFile:
        if (self.scope == "oem") != (self.owner_id is None):
            raise ValueError("owner_id is required for dealer/advisor rules and not allowed for oem rules")
        for d in self.definitions:
            if (d.scope, d.owner_id) != (self.scope, self.owner_id):
                raise ValueError(f"definitions: tag {d.code} must have this file's scope ({self.scope}) and owner")
        ids = [r.id for r in self.rules]
        if dupes := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"rule ids must be unique in a file: {', '.join(dupes)}")
        return self


class RuleFileError(ValueError):
    """A rule file that cannot be used, with every problem as `file: rule <id>: field: reason`."""


def _describe(path: Path, raw: object, exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        loc = list(err["loc"])
        where = ""
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            rules = raw.get("rules") if isinstance(raw, dict) else None
            rule = rules[loc[1]] if isinstance(rules, list) and loc[1] < len(rules) else None
            rule_id = rule.get("id") if isinstance(rule, dict) else None
            where = f"rule {rule_id or '#' + str(loc[1] + 1)}: "
            loc = loc[2:]
        field_path = ".".join(str(p) for p in loc) or "(file)"
        lines.append(f"{path.name}: {where}{field_path}: {err['msg']}")
    return "\n".join(lines)


def load_rule_file(path: Path) -> RuleFile:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleFileError(f"{path.name}: not valid YAML: {exc}") from exc
    try:
        return RuleFile.model_validate(raw)
    except ValidationError as exc:
        raise RuleFileError(_describe(path, raw, exc)) from exc


# -- evaluation -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventFacts:
    """One event with what rules look at: its target's properties and the customer's dealers."""

    event_id: str
    type: str
    at: datetime
    channel: str | None = None
    material: dict | None = None  # {id, kind, title, model}
    group: dict | None = None  # {id, campaign, name}
    dealer_ids: frozenset[str] = frozenset()
    advisor_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Proposal:
    """One tag a rule wants written."""

    rule: str
    scope: str
    code: TagCode
    value: str | None
    confidence: float
    on: Target
    material_id: str | None
    model: str | None
    count: int
    expires_days: int | None


@dataclass
class RuleSet:
    files: list[tuple[Path, RuleFile]] = field(default_factory=list)

    @property
    def rules(self) -> list[tuple[RuleFile, Rule]]:
        return [(f, r) for _, f in self.files for r in f.rules]

    def applies(self, f: RuleFile, e: EventFacts) -> bool:
        if f.scope == "oem":
            return True
        if f.scope == "dealer":
            return f.owner_id in e.dealer_ids
        return f.owner_id in e.advisor_ids

    def evaluate(self, event: EventFacts, history: Sequence[EventFacts] = ()) -> list[Proposal]:
        """Tags for `event`; `history` is the customer's stored events (this one may be among them)."""
        earlier = [h for h in history if (h.at, h.event_id) <= (event.at, event.event_id)]
        if all(h.event_id != event.event_id for h in earlier):
            earlier.append(event)
        out: list[Proposal] = []
        for f, rule in self.rules:
            if not self.applies(f, event) or not rule.when.matches(event):
                continue
            matching = [h for h in earlier if rule.when.matches(h)]
            material_id = (event.material or {}).get("id")
            model = (event.material or {}).get("model")
            for spec in rule.tags:
                count = len(matching)
                if spec.target == "engaged_with":
                    if material_id is None:
                        continue
                    count = sum(1 for h in matching if (h.material or {}).get("id") == material_id)
                elif spec.target == "interested_in":
                    if model is None:
                        continue
                    count = sum(1 for h in matching if (h.material or {}).get("model") == model)
                out.append(Proposal(rule.id, f.scope, spec.code, spec.value, spec.confidence(count), spec.target,
                                    material_id, model, count, spec.expires_days))
        return _strongest(out)

    def definitions(self) -> list[TagDefinition]:
        return [d for _, f in self.files for d in f.definitions]


def ensure_definitions(db: Database, rules: RuleSet) -> list[str]:
    """Create the rule files' tag definitions that do not exist yet; the codes created."""
    wanted = {d.code: d for d in rules.definitions()}
    if not wanted:
        return []
    have = {r["code"] for r in db.read("tags/rule_existing_tags", codes=sorted(wanted))}
    missing = [d for code, d in wanted.items() if code not in have]
    return define(db, missing) if missing else []


def _strongest(proposals: Iterable[Proposal]) -> list[Proposal]:
    """Two rules proposing the same tag on the same target: keep the more confident one."""
    best: dict[tuple[str, str, str | None], Proposal] = {}
    for p in proposals:
        end = {"engaged_with": p.material_id, "interested_in": p.model}.get(p.on)
        key = (p.code, p.on, end)
        if key not in best or p.confidence > best[key].confidence:
            best[key] = p
    return list(best.values())


def load_rules(directory: Path = RULES_DIR) -> RuleSet:
    """Every `*.yaml` in `directory`, validated; all files' errors are reported together."""
    files, problems = [], []
    for path in sorted(directory.glob("*.yaml")):
        try:
            files.append((path, load_rule_file(path)))
        except RuleFileError as exc:
            problems.append(str(exc))
    if problems:
        raise RuleFileError("\n".join(problems))
    return RuleSet(files)
