"""Declarative event rules: the shipped YAML validates, rules turn events into tags, repetition raises
confidence, scopes hold, and a bad rule file is refused with file, rule and field named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from carkg.tags.library import read_library
from carkg.tags.rules import EventFacts, RuleFileError, load_rule_file, load_rules

T0 = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
INVITATION = {"id": "MAT0002", "kind": "invitation", "title": "汉 专属试驾邀请函", "model": "BYD-HAN"}
BROCHURE = {"id": "MAT0001", "kind": "brochure", "title": "汉 2026款电子手册", "model": "BYD-HAN"}


def ev(i: int, type: str = "open_material", **kw: object) -> EventFacts:
    return EventFacts(event_id=f"EV{i}", type=type, at=T0 + timedelta(minutes=i), **kw)  # type: ignore[arg-type]


def test_the_shipped_rule_files_validate() -> None:
    rules = load_rules()
    assert {f.scope for _, f in rules.files} == {"oem", "dealer"}
    assert len(rules.rules) >= 10
    defined = {d.code for d in rules.definitions()} | {d.code for d in read_library()}
    used = {t.code for _, r in rules.rules for t in r.tags}
    assert used <= defined, f"tags used by rules but defined nowhere: {used - defined}"


def test_reading_the_test_drive_invitation_tags_intent_and_test_drive() -> None:
    got = {(p.code, p.on): p for p in load_rules().evaluate(ev(1, material=INVITATION))}
    assert got[("intent_customer", "record")].confidence == 0.6
    assert got[("test_drive_interest", "record")].confidence == 0.6
    assert got[("intended_model", "interested_in")].model == "BYD-HAN"
    assert got[("read_material", "engaged_with")].material_id == "MAT0002"


def test_repetition_raises_confidence_up_to_one() -> None:
    rules = load_rules()
    history = [ev(i, material=INVITATION) for i in range(1, 4)] + [ev(9, material=BROCHURE)]
    got = {(p.code, p.on): p for p in rules.evaluate(history[2], history)}
    assert got[("intent_customer", "record")].count == 3
    assert got[("intent_customer", "record")].confidence == pytest.approx(0.8)  # 0.6 + 0.1 * 2
    many = [ev(i, material=INVITATION) for i in range(1, 12)]
    assert {p.code: p.confidence for p in rules.evaluate(many[-1], many)}["test_drive_interest"] == 1.0
    # later events do not count for an earlier one (a replay of history gives the same answer)
    first = {p.code: p.count for p in rules.evaluate(history[0], history)}
    assert first["intent_customer"] == 1


def test_engaged_with_counts_events_on_that_material_only() -> None:
    history = [ev(1, material=BROCHURE), ev(2, material=BROCHURE), ev(3, "click_material", material=INVITATION)]
    got = {(p.code, p.on): p for p in load_rules().evaluate(history[2], history)}
    assert got[("read_material", "engaged_with")].count == 1
    # repetition is per rule: the invitation rule has matched once (the brochure reads are model_brochure's)
    assert got[("intended_model", "interested_in")].count == 1


def test_group_joins_by_campaign() -> None:
    group = {"id": "G1", "campaign": "以旧换新专场", "name": "北京以旧换新专场2群"}
    got = {p.code: p for p in load_rules().evaluate(ev(1, "join_group", group=group))}
    assert got["trade_in"].confidence == 0.7
    assert got["event_attendee"].confidence == 0.5
    assert load_rules().evaluate(ev(2, "join_group", group={"id": "G2", "campaign": "其他", "name": "x"})) == []


def test_dealer_rules_apply_to_that_dealers_customers_only() -> None:
    visit = {"type": "visit_touchpoint", "channel": "miniprogram"}
    mine = load_rules().evaluate(ev(1, dealer_ids=frozenset({"D0001"}), **visit))  # type: ignore[arg-type]
    other = load_rules().evaluate(ev(1, dealer_ids=frozenset({"D0002"}), **visit))  # type: ignore[arg-type]
    assert {(p.code, p.scope) for p in mine} == {("open_day_prospect@D0001", "dealer"), ("visited_touchpoint", "oem")}
    assert [(p.code, p.value) for p in other] == [("visited_touchpoint", "小程序")]


@pytest.mark.parametrize(("body", "expected"), [
    ("scope: oem\nrules:\n  - id: r1\n    when: {event_types: [open_material]}\n    tags: [{code: x, base: 1.5}]\n",
     "bad.yaml: rule r1: tags.0.base: Input should be less than or equal to 1"),
    ("scope: oem\nrules:\n  - id: r1\n    when: {event_types: [opened]}\n    tags: [{code: x, base: 0.5}]\n",
     "bad.yaml: rule r1: when.event_types.0: Input should be"),
    ("scope: oem\nrules:\n  - id: r1\n    when: {event_types: [join_group], colour: red}\n"
     "    tags: [{code: x, base: 0.5}]\n",
     "bad.yaml: rule r1: when.colour: Extra inputs are not permitted"),
    ("scope: oem\nrules:\n  - when: {event_types: [join_group]}\n    tags: [{code: x, base: 0.5}]\n",
     "bad.yaml: rule #1: id: Field required"),
    ("scope: dealer\nrules:\n  - id: r1\n    when: {event_types: [join_group]}\n    tags: [{code: x, base: 0.5}]\n",
     "bad.yaml: (file): Value error, owner_id is required"),
    ("scope: oem\nrules: [\n", "bad.yaml: not valid YAML"),
])  # fmt: skip
def test_a_bad_rule_file_is_refused_naming_file_rule_and_field(tmp_path: Path, body: str, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rule_file(path)
    assert expected in str(info.value), str(info.value)


def test_load_rules_reports_every_bad_file(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("scope: oem\nrules: []\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("scope: nowhere\nrules: []\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rules(tmp_path)
    assert "a.yaml: rules:" in str(info.value) and "b.yaml: scope:" in str(info.value)
