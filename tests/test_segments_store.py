"""Saved segments: versions, references and cycles, materialised runs and their diffs, built-ins, export."""

from __future__ import annotations

from datetime import timedelta

import pytest
from segment_world import NOW, World, small_world

from carkg.graph import Database
from carkg.segments import SegmentError, count, member_ids, store
from carkg.segments import builtins as builtin_segments
from carkg.segments.engine import Request

REQ = Request(now=NOW)
ANALYST = store.Owner("analyst-1")
SHARERS = {"kind": "event", "types": ["share_content"], "minCount": 2, "window": {"lastDays": 90}}
INTENT = {"kind": "tag", "code": "high_purchase_intent"}


@pytest.fixture
def world(database: Database) -> Database:
    return small_world(database)


def test_each_save_is_a_new_version(world: Database) -> None:
    assert store.save(world, "sharers", SHARERS, ANALYST, name="Sharers", request=REQ) == store.Saved("sharers", 1)
    assert store.save(world, "sharers", INTENT, ANALYST, request=REQ) == store.Saved("sharers", 2)
    [listed] = store.saved_segments(world)
    assert listed["latestVersion"] == 2 and listed["name"] == "Sharers" and listed["owner"] == "analyst-1"
    assert store.definition(world, "sharers", 1)[1].kind == "event"
    assert store.definition(world, "sharers")[1].kind == "tag"


def test_scopes_of_saved_segments(world: Database) -> None:
    store.save(world, "oem-wide", INTENT, ANALYST, request=REQ)
    store.save(world, "dealer-d1", INTENT, store.Owner("app-d1", "dealer", "D1"), request=REQ)
    store.save(world, "advisor-a1", INTENT, store.Owner("adv-a1", "advisor", "A1"), request=REQ)
    seen = {s["id"] for s in store.saved_segments(world, {"all": False, "advisorId": None, "dealerId": "D1"})}
    assert seen == {"oem-wide", "dealer-d1"}
    with pytest.raises(SegmentError, match="belongs to dealer D1; save it under another id"):
        store.save(world, "dealer-d1", INTENT, ANALYST, request=REQ)
    with pytest.raises(SegmentError, match="segment id"):
        store.save(world, "Bad Id", INTENT, ANALYST, request=REQ)
    with pytest.raises(SegmentError, match="needs the dealer id"):
        store.Owner("x", "dealer")


def test_membership_of_a_saved_segment_and_cycles(world: Database) -> None:
    store.save(world, "intent", INTENT, ANALYST, request=REQ)
    in_intent = {"kind": "and", "conditions": [{"kind": "segment", "id": "intent"}, {"kind": "vehicle"}]}
    assert set(member_ids(world, in_intent, REQ)) == {"P1"}
    store.save(world, "intent-owners", in_intent, ANALYST, request=REQ)
    cyclic = {"kind": "or", "conditions": [INTENT, {"kind": "segment", "id": "intent-owners"}]}
    with pytest.raises(SegmentError) as caught:
        store.save(world, "intent", cyclic, ANALYST, request=REQ)
    assert str(caught.value) == "or[1].and[0]: segment cycle: intent -> intent-owners -> intent"
    assert store.definition(world, "intent")[0] == 1  # nothing saved
    with pytest.raises(SegmentError, match=r"^or\[0\]: unknown segment 'nope' version 3"):
        count(world, {"kind": "or", "conditions": [{"kind": "segment", "id": "nope", "version": 3}]}, REQ)


def test_rerun_after_new_events_reports_entered_and_exited(world: Database) -> None:
    w = World(world)
    store.save(world, "sharers", SHARERS, ANALYST, request=REQ)
    first = store.materialise(world, "sharers", actor="t", now=NOW)
    assert (first["count"], first["entered"], first["exited"]) == (2, 2, 0)
    d1 = store.diff(world, "sharers")
    assert (d1.entered, d1.exited, d1.from_run) == (["P1", "P2"], [], None)

    # A month later: P3 shared twice in between; P2's shares (3 and 60 days before NOW) fall out of the window.
    later = NOW + timedelta(days=31)
    w.event("leads:3", "e3-s1", "share_content", NOW + timedelta(days=10), "moments")
    w.event("leads:3", "e3-s2", "share_content", NOW + timedelta(days=20), "moments")
    second = store.materialise(world, "sharers", actor="t", now=later)
    assert (second["count"], second["entered"], second["exited"]) == (2, 1, 1)
    d2 = store.diff(world, "sharers")
    assert (d2.entered, d2.exited) == (["P3"], ["P2"])
    assert d2.from_run is not None and d2.from_run["runId"] == first["runId"]

    third = store.materialise(world, "sharers", actor="t", now=later)
    assert (third["entered"], third["exited"]) == (0, 0)
    assert (store.diff(world, "sharers").entered, store.diff(world, "sharers").exited) == ([], [])
    since_first = store.diff(world, "sharers", from_run=first["runId"])
    assert (since_first.entered, since_first.exited) == (["P3"], ["P2"])
    back = store.diff(world, "sharers", from_run=second["runId"], to_run=first["runId"])
    assert (back.entered, back.exited) == (["P2"], ["P3"])
    # P2 shares again: back in, as a new membership interval.
    w.event("wecom:2", "e2-again", "share_content", later - timedelta(days=1), "moments")
    w.event("wecom:2", "e2-again2", "share_content", later - timedelta(days=2), "moments")
    store.materialise(world, "sharers", actor="t", now=later)
    assert (store.diff(world, "sharers").entered, store.diff(world, "sharers").exited) == (["P2"], [])
    assert store.saved_segments(world)[0]["lastRun"]["count"] == 3


def test_diff_errors(world: Database) -> None:
    store.save(world, "sharers", SHARERS, ANALYST, request=REQ)
    with pytest.raises(SegmentError, match="has no materialised run"):
        store.diff(world, "sharers")
    store.materialise(world, "sharers", actor="t", now=NOW)
    with pytest.raises(SegmentError, match="has no run 'ghost'"):
        store.diff(world, "sharers", from_run="ghost")


def test_quadrants_cover_every_person_exactly_once(world: Database) -> None:
    World(world).event("dms:1", "e1-x", "open_material", NOW - timedelta(days=1), "moments")  # P1: 3 in 30 days
    installed = builtin_segments.install(world, request=REQ)
    assert len(installed) == 7 and {s.version for s in installed} == {1}
    assert builtin_segments.install(world, request=REQ) == installed  # unchanged: no new versions
    people = {r["oneId"] for r in world.query("MATCH (p:Person) RETURN p.oneId AS oneId")}
    seen: list[str] = []
    by_quadrant = {}
    for q in builtin_segments.quadrants():
        members = member_ids(world, {"kind": "segment", "id": q.id}, REQ)
        by_quadrant[q.id] = set(members)
        seen += members
    assert sorted(seen) == sorted(people)  # every person, none twice
    assert by_quadrant["quadrant_high_intent_high_activity"] == {"P1"}
    assert by_quadrant["quadrant_high_intent_low_activity"] == {"P2"}
    assert by_quadrant["quadrant_low_intent_low_activity"] == {"P3", "P4", "P5"}


def test_personas(world: Database) -> None:
    w = World(world)
    w.lead("dms:4", "L4", "new", "app", NOW - timedelta(days=10), model="BYD-TANG")
    for i in range(3):
        w.event("dms:1", f"e1-m{i}", "open_material", NOW - timedelta(days=i + 1), "moments")
    w.event("leads:3", "e3-g", "join_group", NOW - timedelta(days=7), "qrcode")
    builtin_segments.install(world, request=REQ)
    got = {p.id: set(member_ids(world, {"kind": "segment", "id": p.id}, REQ)) for p in builtin_segments.personas()}
    assert got == {"persona_brand_loyalist": {"P4"}, "persona_tech_enthusiast": {"P1"},
                   "persona_family_oriented": {"P3"}}


def test_export_has_one_ids_and_tags_only(world: Database) -> None:
    rows = store.export_rows(world, member_ids(world, {"kind": "or", "conditions": [INTENT, {"kind": "vehicle"}]}, REQ))
    intent = ["high_purchase_intent"]
    assert rows == [{"oneId": "P1", "tags": intent}, {"oneId": "P2", "tags": intent}, {"oneId": "P4", "tags": []}]
