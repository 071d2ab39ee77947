"""Segment definition → ONE parameterised Cypher query. The only place carkg builds Cypher text at run time.

Text comes only from the fixed fragments below; labels and relationship types are literals of the
allow-list (`carkg.graph.model`); every value from a definition — tag codes, dates, lists, counts —
is a parameter (`$s0`, `$s1`, …). A condition is a boolean expression over `p`, the resolved customer
(`:Person`), aggregating over its records `(p)<-[:RESOLVED_TO]-(:CustomerRecord)`; each fragment is
null-free (EXISTS / COUNT / any), so NOT behaves. Inside a condition the far node carries no label on
purpose (`(ta)`, `(e)`, `(l)`: only tag assignments, events and leads sit at the end of TAGS,
PERFORMED and HAS_LEAD): with the label, the planner seeks the whole tagCode / type index once per
candidate person and hash-joins, instead of expanding the person's few records.
The query starts from an index where the definition allows it: a required tag (TagAssignment.tagCode),
lead stage (Lead.stage) or event type and time (Event(type, at)); only definitions with no required
indexable condition scan the `:Person` label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from carkg.segments import model as m
from carkg.segments.dates import resolve
from carkg.segments.errors import SegmentError

# Saved segments referenced by a definition, already loaded and checked (see validate.py).
SegmentLookup = Callable[[str, int | None], m.Condition]

RECORDS = "(p)<-[:RESOLVED_TO]-(:CustomerRecord)"
TO_PERSON = "(:CustomerRecord)-[:RESOLVED_TO]->(p:Person)"


def live(ta: str) -> str:
    return f"{ta}.removedAt IS NULL AND ({ta}.expiresAt IS NULL OR {ta}.expiresAt > $now)"


LIVE = live("ta")
ATTRIBUTE_EXPR = {"city": "r.city", "gender": "r.gender", "birthYear": "r.birthDate.year", "system": "r.system"}

# Who may see a person: any of its records in the caller's row scope (same rule as api/records_by_key).
SCOPE = """($scope.all OR EXISTS {
    MATCH (p)<-[:RESOLVED_TO]-(sr:CustomerRecord)
    WHERE EXISTS { (sr)-[:SERVED_BY]->(:Advisor {advisorId: $scope.advisorId}) }
       OR EXISTS { (sr)-[:CUSTOMER_OF]->(:Dealer {dealerId: $scope.dealerId}) }
       OR EXISTS { (sr)-[:SERVED_BY]->(:Advisor)-[:WORKS_AT]->(:Dealer {dealerId: $scope.dealerId}) }
       OR EXISTS { (sr)-[:HAS_LEAD]->(:Lead)-[:AT_DEALER]->(:Dealer {dealerId: $scope.dealerId}) }
       OR EXISTS { (sr)-[:HAD_SERVICE]->(:ServiceVisit)-[:AT_DEALER]->(:Dealer {dealerId: $scope.dealerId}) } })"""

# One page of members: OneID, masked name and phones, visible live tag codes. Never raw personal data.
MEMBER_PAGE = """WITH p WHERE $after IS NULL OR p.oneId > $after
WITH p ORDER BY p.oneId LIMIT $limit
WITH p, head(COLLECT {
    MATCH (p)<-[:RESOLVED_TO]-(r:CustomerRecord) WHERE r.name IS NOT NULL AND r.name <> ''
    RETURN r.name ORDER BY r.key LIMIT 1 }) AS name
RETURN p.oneId AS oneId,
  CASE WHEN name IS NULL THEN null
       ELSE left(name, 1) + reduce(s = '', i IN range(2, size(name)) | s + '*') END AS maskedName,
  COLLECT { MATCH (p)<-[:RESOLVED_TO]-(:CustomerRecord)-[:HAS_PHONE]->(ph:Phone)
            RETURN DISTINCT ph.masked ORDER BY ph.masked } AS maskedPhones,
  COLLECT { MATCH (p)<-[:RESOLVED_TO]-(:CustomerRecord)<-[:TAGS|TAGS_FROM]-(ta:TagAssignment)-[:OF_TAG]->(t:Tag)
            WHERE """ + LIVE + """
              AND ($viewer.admin OR coalesce(t.scope, 'oem') = 'oem'
                   OR (t.scope = 'dealer' AND t.ownerId = $viewer.dealerId)
                   OR (t.scope = 'advisor' AND t.ownerId = $viewer.advisorId))
            RETURN DISTINCT ta.tagCode ORDER BY ta.tagCode } AS tags
ORDER BY oneId"""

COUNT_RETURN = "RETURN count(p) AS count"
ALL_MEMBERS = "RETURN p.oneId AS oneId ORDER BY oneId"


@dataclass
class Compiled:
    """A segment as Cypher: where to start (`start`, one of `anchors`) + `where` (the definition: the
    items `parts` of a root `and`, or the root as the one item)."""

    parts: list[str]
    params: dict[str, Any]
    anchors: list[Anchor]
    start: Anchor
    # When the definition is NOT(X) (a root `not`, or a root `and` of `not`s): X compiled on its own, so
    # the count can be "persons in scope minus those matching X" from X's anchors instead of a label scan.
    negated: Compiled | None = None

    @property
    def anchor(self) -> str:
        if self.complement:
            return f"persons in scope minus {self.negated.anchor}"  # type: ignore[union-attr]
        return self.start.name

    @property
    def complement(self) -> bool:
        """Counted as persons in scope minus the negated part (which starts from an index)."""
        return self.start is LABEL_SCAN and self.negated is not None and self.negated.start is not LABEL_SCAN

    @property
    def where(self) -> str:
        return _conjunction(self.parts)

    def query(self, tail: str) -> str:
        # From the label scan, `WITH DISTINCT p` lets the planner walk persons in oneId order and stop at a
        # full page (run 1 of the benchmark: 121 ms); a bare `WITH p` made it sort all members (1.7 s).
        match = f"{self.start.seek}\nWITH DISTINCT p" if self.start is LABEL_SCAN else self.start.match()
        # The item the start reaches exactly is not tested again.
        rest = [x for i, x in enumerate(self.parts) if i != self.start.part]
        where = f"{_conjunction(rest)}\n  AND " if rest else ""
        return f"{match}\nWITH p\nWHERE {where}{SCOPE}\n{tail}"

    def count_query(self) -> str:
        if self.complement:
            return (f"CALL () {{\nMATCH (p:Person) WHERE {SCOPE}\nRETURN count(p) AS inScope\n}}\n"
                    f"CALL () {{\n{self.negated.query(COUNT_RETURN)}\n}}\n"  # type: ignore[union-attr]
                    "RETURN inScope - count AS count")
        return self.query(COUNT_RETURN)

    def members_query(self) -> str:
        return self.query(MEMBER_PAGE)

    def all_members_query(self) -> str:
        return self.query(ALL_MEMBERS)


@dataclass
class _Compiler:
    now: datetime
    lookup: SegmentLookup | None
    params: dict[str, Any] = field(default_factory=dict)
    expanding: list[str] = field(default_factory=list)

    def param(self, value: Any) -> str:
        name = f"s{sum(1 for k in self.params if k.startswith('s'))}"
        self.params[name] = value
        return f"${name}"

    def moment(self, path: str, text: str, what: str) -> datetime:
        try:
            return resolve(text, self.now)
        except ValueError as exc:
            raise SegmentError(path, f"{what}: {exc}") from None

    def window(self, path: str, window: m.Window | None, var: str, prop: str) -> list[str]:
        """`var.prop >= $from AND var.prop < $to`; a window that starts in the future is an error."""
        if window is None:
            return []
        start = self.now - timedelta(days=window.last_days) if window.last_days else None
        if window.from_ is not None:
            start = self.moment(path, window.from_, "window.from")
        end = self.moment(path, window.to, "window.to") if window.to is not None else None
        if start is not None and start > self.now:
            raise SegmentError(path, f"window starts in the future ({start.isoformat()})")
        if start is not None and end is not None and start >= end:
            raise SegmentError(path, "window.from is not before window.to")
        out = []
        if start is not None:
            out.append(f"{var}.{prop} >= {self.param(start)}")
        if end is not None:
            out.append(f"{var}.{prop} < {self.param(end)}")
        return out

    def in_list(self, expr: str, values: list[Any] | None) -> list[str]:
        return [] if values is None else [f"{expr} IN {self.param(list(values))}"]

    # -- conditions ---------------------------------------------------------------------------------

    def condition(self, path: str, c: m.Condition) -> str:
        method = getattr(self, f"c_{c.kind}")
        return method(path, c)

    def c_and(self, path: str, c: m.AndCondition) -> str:
        parts = [self.condition(p, child) for p, child in m.children(c, path)]
        return "(" + "\n  AND ".join(parts) + ")"

    def c_or(self, path: str, c: m.OrCondition) -> str:
        parts = [self.condition(p, child) for p, child in m.children(c, path)]
        return "(" + "\n   OR ".join(parts) + ")"

    def c_not(self, path: str, c: m.NotCondition) -> str:
        [(child_path, child)] = m.children(c, path)
        return f"(NOT {self.condition(child_path, child)})"

    def tag_filter(self, c: m.TagCondition, ta: str = "ta") -> list[str]:
        where = [f"{ta}.tagCode = {self.param(c.code)}", live(ta)]
        if c.on is not None:
            where.append(f"{ta}.relType = {self.param(c.on)}")
        if c.min_confidence is not None:
            where.append(f"{ta}.confidence >= {self.param(c.min_confidence)}")
        where += self.in_list(f"{ta}.source", c.sources)
        if c.value is not None:
            where.append(f"{ta}.value = {self.param(c.value)}")
        where += self.in_list(f"{ta}.value", c.values)
        if c.scope is not None:
            scope = self.param(c.scope)
            where.append(f"EXISTS {{ ({ta})-[:OF_TAG]->(t:Tag) WHERE coalesce(t.scope, 'oem') = {scope} }}")
        return where

    def c_tag(self, path: str, c: m.TagCondition) -> str:
        pattern = f"{RECORDS}<-[:TAGS]-(ta)" if c.on is None else f"{RECORDS}<-[:TAGS_FROM]-(ta)"
        return f"EXISTS {{ MATCH {pattern} WHERE {' AND '.join(self.tag_filter(c))} }}"

    def c_attribute(self, path: str, c: m.AttributeCondition) -> str:
        expr = ATTRIBUTE_EXPR[c.field]
        pattern = "(p)<-[:RESOLVED_TO]-(r:CustomerRecord)"
        if c.op == "isNull":
            return f"(NOT EXISTS {{ MATCH {pattern} WHERE {expr} IS NOT NULL }})"
        if c.op == "ne":
            return f"(NOT EXISTS {{ MATCH {pattern} WHERE {expr} = {self.param(c.value)} }})"
        if c.op == "eq":
            test = f"{expr} = {self.param(c.value)}"
        elif c.op == "in":
            test = f"{expr} IN {self.param(c.values)}"
        elif c.op == "contains":
            test = f"{expr} CONTAINS {self.param(c.value)}"
        else:
            bounds = []
            if c.min is not None:
                bounds.append(f"{expr} >= {self.param(c.min)}")
            if c.max is not None:
                bounds.append(f"{expr} <= {self.param(c.max)}")
            test = " AND ".join(bounds)
        return f"EXISTS {{ MATCH {pattern} WHERE {test} }}"

    def event_filter(self, c: m.EventCondition) -> list[str]:
        return [f"e.type IN {self.param(list(c.types))}", *self.in_list("e.channel", c.channels)]

    def c_event(self, path: str, c: m.EventCondition) -> str:
        pattern = f"{RECORDS}-[:PERFORMED]->(e)"
        where = self.event_filter(c) + self.window(path, c.window, "e", "at")
        body = f"MATCH {pattern} WHERE {' AND '.join(where)}"
        parts = [f"EXISTS {{ {body} }}" if c.min_count == 1 else f"COUNT {{ {body} }} >= {self.param(c.min_count)}"]
        for which, occurrence in (("first", c.first), ("last", c.last)):
            if occurrence is None:
                continue
            order = "ASC" if which == "first" else "DESC"
            tests = []
            if occurrence.before is not None:
                tests.append(f"x < {self.param(self.moment(path, occurrence.before, f'{which}.before'))}")
            if occurrence.after is not None:
                tests.append(f"x > {self.param(self.moment(path, occurrence.after, f'{which}.after'))}")
            parts.append(
                f"any(x IN COLLECT {{ MATCH {pattern} WHERE {' AND '.join(self.event_filter(c))} "
                f"RETURN e.at ORDER BY e.at {order} LIMIT 1 }} WHERE {' AND '.join(tests)})"
            )
        return "(" + " AND ".join(parts) + ")"

    def c_distinctChannels(self, path: str, c: m.DistinctChannelsCondition) -> str:
        branches = []
        if c.include_leads:
            where = ["l.channel IS NOT NULL", *self.in_list("l.stage", c.lead_stages)]
            where += self.window(path, c.window, "l", "createdAt")
            branches.append(
                f"MATCH {RECORDS}-[:HAS_LEAD]->(l) WHERE {' AND '.join(where)} RETURN l.channel AS channel"
            )
        if c.event_types:
            where = [f"e.type IN {self.param(list(c.event_types))}", "e.channel IS NOT NULL", "e.channel <> ''"]
            where += self.window(path, c.window, "e", "at")
            branches.append(
                f"MATCH {RECORDS}-[:PERFORMED]->(e) WHERE {' AND '.join(where)} RETURN e.channel AS channel"
            )
        return f"size(COLLECT {{ {' UNION '.join(branches)} }}) >= {self.param(c.min)}"

    def model_filter(self, c: m.VehicleCondition | m.InterestCondition, vm: str = "vm") -> list[str]:
        where = [*self.in_list(f"{vm}.code", c.models), *self.in_list(f"{vm}.segment", c.segments)]
        where += self.in_list(f"{vm}.energy", c.energies)
        if c.brands is not None:
            where.append(f"EXISTS {{ ({vm})-[:OF_BRAND]->(b:Brand) WHERE b.code IN {self.param(c.brands)} }}")
        return where

    def c_lead(self, path: str, c: m.LeadCondition) -> str:
        where = [*self.in_list("l.stage", c.stages), *self.in_list("l.channel", c.channels),
                 *self.in_list("l.grade", c.grades)]
        if c.min_score is not None:
            where.append(f"l.score >= {self.param(c.min_score)}")
        if c.models is not None:
            models = self.param(c.models)
            where.append(f"EXISTS {{ (l)-[:INTERESTED_IN]->(vm:VehicleModel) WHERE vm.code IN {models} }}")
        where += self.window(path, c.window, "l", "createdAt")
        body = f"MATCH {RECORDS}-[:HAS_LEAD]->(l)" + (f" WHERE {' AND '.join(where)}" if where else "")
        return f"EXISTS {{ {body} }}" if c.min_count == 1 else f"COUNT {{ {body} }} >= {self.param(c.min_count)}"

    def c_vehicle(self, path: str, c: m.VehicleCondition) -> str:
        where = []
        if model_where := self.model_filter(c):
            where.append(f"EXISTS {{ MATCH (v)-[:OF_MODEL]->(vm:VehicleModel) WHERE {' AND '.join(model_where)} }}")
        today = self.now.date()
        if c.min_age_years is not None:  # first owned on or before today - N years
            cutoff = _years_before(today, c.min_age_years)
            where.append(f"EXISTS {{ MATCH (v)<-[o:OWNS]-() WHERE o.since <= {self.param(cutoff)} }}")
        if c.max_age_years is not None:  # never owned before today - N years
            cutoff = _years_before(today, c.max_age_years)
            where.append(f"NOT EXISTS {{ MATCH (v)<-[o:OWNS]-() WHERE o.since < {self.param(cutoff)} }}")
        if c.resold is not None:
            resold = "COUNT { MATCH (v)<-[:OWNS]-(:CustomerRecord)-[:RESOLVED_TO]->(q:Person) RETURN DISTINCT q } >= 2"
            where.append(resold if c.resold else f"NOT ({resold})")
        body = f"MATCH {RECORDS}-[:OWNS]->(v:Vehicle)" + (f" WHERE {' AND '.join(where)}" if where else "")
        if c.min_count == 1:
            return f"EXISTS {{ {body} }}"
        return f"COUNT {{ {body} RETURN DISTINCT v }} >= {self.param(c.min_count)}"

    def c_interest(self, path: str, c: m.InterestCondition) -> str:
        where = self.model_filter(c)
        test = f" WHERE {' AND '.join(where)}" if where else ""
        return (
            f"(EXISTS {{ MATCH {RECORDS}-[:HAS_LEAD]->(:Lead)-[:INTERESTED_IN]->(vm:VehicleModel){test} }}"
            f" OR EXISTS {{ MATCH {RECORDS}-[:INTERESTED_IN]->(vm:VehicleModel){test} }})"
        )

    def c_repeatBrand(self, path: str, c: m.RepeatBrandCondition) -> str:
        owned = f"{RECORDS}-[:OWNS]->(:Vehicle)-[:OF_MODEL]->(:VehicleModel)-[:OF_BRAND]->"
        return (
            f"EXISTS {{ MATCH {owned}(b:Brand)"
            f" WHERE COUNT {{ MATCH {RECORDS}-[:OWNS]->(v2:Vehicle)-[:OF_MODEL]->(:VehicleModel)-[:OF_BRAND]->(b)"
            f" RETURN DISTINCT v2 }} >= 2"
            f" OR EXISTS {{ {RECORDS}-[:HAS_LEAD]->(:Lead)-[:INTERESTED_IN]->(:VehicleModel)-[:OF_BRAND]->(b) }} }}"
        )

    def c_household(self, path: str, c: m.HouseholdCondition) -> str:
        test = f" WHERE any(e IN h.evidence WHERE e STARTS WITH {self.param(c.evidence)})" if c.evidence else ""
        return f"COUNT {{ MATCH (p)-[h:SAME_HOUSEHOLD]-(:Person){test} }} >= {self.param(c.min_members)}"

    def c_segment(self, path: str, c: m.SegmentCondition) -> str:
        if self.lookup is None:
            raise SegmentError(path, f"segment '{c.id}': saved segments are not available here")
        if c.id in self.expanding:
            chain = " -> ".join([*self.expanding, c.id])
            raise SegmentError(path, f"segment cycle: {chain}")
        definition = self.lookup(c.id, c.version)
        self.expanding.append(c.id)
        try:
            return f"({self.condition(path, definition)})"
        finally:
            self.expanding.pop()

    # -- where to start -----------------------------------------------------------------------------

    def anchors(self, root: m.Condition) -> list[Anchor]:
        """Every MATCH that yields all candidate persons through an index, one per condition the definition
        requires (the root, or an item of a root AND); `part` is the item an anchor reaches exactly."""
        required = list(root.conditions) if isinstance(root, m.AndCondition) else [root]
        return [replace(a, part=i if a.part >= 0 else -1) for i, c in enumerate(required) for a in self.anchors_of(c)]

    def anchors_of(self, c: m.Condition) -> list[Anchor]:
        """The anchors of one required condition; `part=0` on those that reach exactly its persons."""
        if isinstance(c, m.TagCondition) and c.on is None:
            seek = f"MATCH (anchor:TagAssignment) WHERE {' AND '.join(self.tag_filter(c, 'anchor'))}"
            return [Anchor(f"tag {c.code}", seek, f"-[:TAGS]->{TO_PERSON}", part=0)]
        if isinstance(c, m.LeadCondition) and c.stages:
            seek = f"MATCH (anchor:Lead) WHERE anchor.stage IN {self.param(c.stages)}"
            only_stages = (c.channels is None and c.models is None and c.window is None and c.min_count == 1
                           and c.grades is None and c.min_score is None)
            return [Anchor("lead stage", seek, f"<-[:HAS_LEAD]-{TO_PERSON}", part=0 if only_stages else -1)]
        if isinstance(c, m.EventCondition):
            where = [f"anchor.type IN {self.param(list(c.types))}", *self.window("", c.window, "anchor", "at")]
            where += self.in_list("anchor.channel", c.channels)
            seek = f"MATCH (anchor:Event) WHERE {' AND '.join(where)}"
            # Each event hangs off one record, each record off one person: counting anchors per person
            # applies minCount here, so only qualifying persons reach the rest of the definition. Events are
            # grouped by record first: a record's RESOLVED_TO is then expanded once, not once per event.
            least = self.param(c.min_count)
            if c.min_count > 1:
                group = ("WITH r, count(anchor) AS n\nMATCH (r)-[:RESOLVED_TO]->(p:Person)\n"
                         f"WITH p, sum(n) AS hits WHERE hits >= {least}")
            else:
                group = "WITH DISTINCT r\nMATCH (r)-[:RESOLVED_TO]->(p:Person)\nWITH DISTINCT p"
            # A person qualifies with minCount of these events at least: events / minCount bounds the persons.
            return [Anchor(f"event {'/'.join(c.types)}", seek, "<-[:PERFORMED]-(r:CustomerRecord)", group,
                           size=f"count(anchor) / {least}", part=0 if c.first is None and c.last is None else -1)]
        if isinstance(c, m.VehicleCondition | m.InterestCondition) and (models := self.model_filter(c, "anchor")):
            # The catalogue's few models, then their owners or interested records: for a narrow model
            # filter (BEV, MPV, a brand) far fewer rows than any behaviour window.
            seek = f"MATCH (anchor:VehicleModel) WHERE {' AND '.join(models)}"
            if isinstance(c, m.VehicleCondition):
                plain = (c.min_age_years, c.max_age_years, c.resold) == (None, None, None) and c.min_count == 1
                return [Anchor("vehicle model", seek, f"<-[:OF_MODEL]-(:Vehicle)<-[:OWNS]-{TO_PERSON}",
                               size="sum(COUNT { (anchor)<-[:OF_MODEL]-() })", part=0 if plain else -1)]
            return [union("interest model", [
                Anchor("", seek, f"<-[:INTERESTED_IN]-(:Lead)<-[:HAS_LEAD]-{TO_PERSON}",
                       size="sum(COUNT { (anchor)<-[:INTERESTED_IN]-(:Lead) })", part=0),
                Anchor("", seek, f"<-[:INTERESTED_IN]-{TO_PERSON}",
                       size="sum(COUNT { (anchor)<-[:INTERESTED_IN]-(:CustomerRecord) })", part=0)])]
        if isinstance(c, m.OrCondition):
            # Every member satisfies some branch: the union of one anchor per branch, when each has one
            # (exact when each branch's own anchor is; a branch `and` is reached through one of its items).
            branches: list[Anchor] = []
            for child in c.conditions:
                found = self.anchors_of(child) or [replace(a, part=-1) for a in self.anchors(child)]
                if not found:
                    return []
                branches.append(found[0])
            return [union(" | ".join(b.name for b in branches), branches)]
        if isinstance(c, m.SegmentCondition) and self.lookup is not None and c.id not in self.expanding:
            self.expanding.append(c.id)
            try:
                return [replace(a, part=-1) for a in self.anchors(self.lookup(c.id, c.version))]
            finally:
                self.expanding.pop()
        return []


@dataclass(frozen=True)
class Anchor:
    """Where a query can start: an index seek (`seek`) and the path from there to the person, or the
    union of several (`branches`: the members of an `or`, or both ways of being interested in a model)."""

    name: str
    seek: str
    path: str
    group: str = ""  # instead of WITH DISTINCT p: aggregate per person and keep those that qualify
    size: str = "count(anchor)"  # how many rows the seek leads to, for ranking anchors
    branches: tuple[Anchor, ...] = ()
    # The required item (of a root `and`; 0 for the root itself) this anchor reaches exactly — its persons
    # are the ones satisfying it — so the query need not test that item again; -1: a superset only.
    part: int = -1

    def rows(self) -> str:
        """The persons this anchor reaches, possibly repeated."""
        if self.branches:
            return "CALL () {\n" + "\nUNION\n".join(f"{b.rows()}\nRETURN p" for b in self.branches) + "\n}"
        return f"{self.seek}\nMATCH (anchor){self.path}" + (f"\n{self.group}" if self.group else "")

    def match(self) -> str:
        return self.rows() if self.group else f"{self.rows()}\nWITH DISTINCT p"

    def estimates(self) -> list[str]:
        """Cheap index / degree counts whose sum ranks this anchor against the others (rows it yields)."""
        if self.branches:
            return [q for b in self.branches for q in b.estimates()]
        return [f"{self.seek}\nRETURN {self.size} AS n"]


def union(name: str, branches: list[Anchor]) -> Anchor:
    """Exact when every branch is."""
    flat = [leaf for b in branches for leaf in (b.branches or (b,))]
    return Anchor(name, "", "", branches=tuple(flat), part=0 if all(b.part >= 0 for b in branches) else -1)


LABEL_SCAN = Anchor("person label scan", "MATCH (p:Person)", "")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def compile_segment(
    definition: m.Condition, *, now: datetime, lookup: SegmentLookup | None = None, self_id: str | None = None
) -> Compiled:
    """The definition as one query (use `Compiled.count_query()` etc.); `self_id` is the saved segment
    being compiled, so a definition that reaches itself through references is reported as a cycle."""
    compiler = _Compiler(now=now, lookup=lookup, expanding=[self_id] if self_id else [])
    compiler.params["now"] = now
    negated = _negated(definition)
    if negated is None:
        if isinstance(definition, m.AndCondition):
            parts = [compiler.condition(path, child) for path, child in m.children(definition, "")]
        else:
            parts = [compiler.condition("", definition)]
        anchors = compiler.anchors(definition)
        return Compiled(parts, compiler.params, anchors, anchors[0] if anchors else LABEL_SCAN)
    # NOT(X1) AND … AND NOT(Xn) = NOT(X1 OR … OR Xn): X compiled once, used by both queries.
    xs = [compiler.condition(path, child) for path, child in negated]
    positive = m.OrCondition(kind="or", conditions=[child for _, child in negated])
    x_root = positive if len(negated) > 1 else positive.conditions[0]
    anchors = compiler.anchors(x_root)
    if isinstance(x_root, m.AndCondition):  # X is one item here: an anchor of one of its items is a superset
        anchors = [replace(a, part=-1) for a in anchors]
    x = Compiled(["(" + "\n   OR ".join(xs) + ")"], compiler.params, anchors, anchors[0] if anchors else LABEL_SCAN)
    return Compiled([f"(NOT {x})" for x in xs], compiler.params, [], LABEL_SCAN, negated=x)


def _conjunction(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(" + "\n  AND ".join(parts) + ")"


def _negated(definition: m.Condition) -> list[tuple[str, m.Condition]] | None:
    """The negated conditions (with their paths) of a root `not` or a root `and` made only of `not`s."""
    if isinstance(definition, m.NotCondition):
        return m.children(definition, "")
    if isinstance(definition, m.AndCondition) and all(isinstance(c, m.NotCondition) for c in definition.conditions):
        return [(f"{p}.not", c.condition) for p, c in m.children(definition, "")]  # type: ignore[attr-defined]
    return None
