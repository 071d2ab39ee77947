"""The tag library: starter library as data, idempotent loads, templates, scope visibility, the CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from carkg.cli import app
from carkg.graph import Database
from carkg.tags import TagDefinition, TagInputError, copy_template, define, load_library
from carkg.tags.library import list_library, read_library


def viewer(advisor: str | None = None, dealer: str | None = None, admin: bool = False) -> dict[str, object]:
    return {"admin": admin, "advisorId": advisor, "dealerId": dealer}


def test_the_starter_library_loads_idempotently(db: Database) -> None:
    codes = load_library(db)
    first = db.counts()
    assert len(load_library(db)) == len(codes) and db.counts() == first
    assert {"budget_band", "intent_level", "trade_in", "loan_interest", "test_drive", "owner", "non_owner",
            "lifecycle_stage", "high_purchasing_power", "brand_loyalist", "tech_enthusiast", "family_oriented",
            "high_purchase_intent", "shared_content", "visited_touchpoint", "intended_model"} <= set(codes)
    budget = next(t for t in read_library() if t.code == "budget_band")
    assert budget.values == ["<10万", "10-15万", "15-20万", "20-30万", "30-50万", ">50万"]


def test_each_viewer_sees_oem_tags_plus_their_own_dealer_and_advisor_tags(db: Database) -> None:
    define(db, [
        TagDefinition(code="oem_tag", name_zh="o", name_en="o", category="value"),
        TagDefinition(code="d1_tag", name_zh="d", name_en="d", category="value", scope="dealer", owner_id="D1"),
        TagDefinition(code="a1_tag", name_zh="a", name_en="a", category="value", scope="advisor", owner_id="A1"),
        TagDefinition(code="a2_tag", name_zh="a", name_en="a", category="value", scope="advisor", owner_id="A2"),
    ])

    def seen(v: dict[str, object], **kw: str) -> list[str]:
        return [t.code for t in list_library(db, v, **kw)]  # type: ignore[arg-type]

    assert seen(viewer("A1", "D1")) == ["a1_tag", "d1_tag", "oem_tag"]
    assert seen(viewer("A2", "D2")) == ["a2_tag", "oem_tag"]
    assert seen(viewer(dealer="D1")) == ["d1_tag", "oem_tag"]
    assert seen(viewer()) == ["oem_tag"]
    assert seen(viewer(admin=True), scope="advisor") == ["a1_tag", "a2_tag"]


def test_a_dealer_copies_a_template_into_its_own_scope(db: Database) -> None:
    load_library(db)
    db.query("CREATE (:Dealer {dealerId: 'D1'})")
    copy = copy_template(db, "dealer_followup_priority", "D1")
    assert (copy.code, copy.scope, copy.owner_id, copy.template, copy.values) == (
        "dealer_followup_priority@D1", "dealer", "D1", False, ["高", "中", "低"])
    assert copy_template(db, "dealer_followup_priority", "D1") == copy
    with pytest.raises(TagInputError, match="dealerId: no dealer 'D9'"):
        copy_template(db, "dealer_vip", "D9")
    with pytest.raises(TagInputError, match="code: tag 'budget_band' is not a template"):
        copy_template(db, "budget_band", "D1")
    assert [t.code for t in list_library(db, viewer(dealer="D2")) if "@" in t.code] == []


def test_a_bad_library_file_names_the_entry_and_field(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "bad.yaml"  # type: ignore[operator]
    path.write_text("- {code: x, nameZh: x, nameEn: x, category: mood}\n", encoding="utf-8")
    with pytest.raises(TagInputError, match=r"bad.yaml entry 0 \(x\): category"):
        read_library(path)


@pytest.fixture
def cli_env(db: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    t = db.target
    for name, value in (("URI", t.uri), ("USER", t.user), ("PASSWORD", t.password), ("DATABASE", t.database)):
        monkeypatch.setenv(f"NEO4J_{name}", value)
    return CliRunner()


def test_the_cli_loads_lists_assigns_and_reports_health(db: Database, cli_env: CliRunner) -> None:
    db.query("CREATE (:CustomerRecord {key: 'dms:C1'})-[:SERVED_BY]->(:Advisor {advisorId: 'A1'})")
    out = cli_env.invoke(app, ["tags", "library", "load"])
    assert out.exit_code == 0, out.output
    assert "budget_band" in cli_env.invoke(app, ["tags", "library", "list", "--category", "intent"]).output
    out = cli_env.invoke(app, ["tags", "assign", "budget_band", "--label", "CustomerRecord", "--key", "dms:C1",
                               "--value", "10-15万", "--confidence", "0.7"])
    assert out.exit_code == 0 and "assigned CustomerRecord|dms:C1|budget_band" in out.output, out.output
    out = cli_env.invoke(app, ["tags", "assign", "trusts_advisor", "--rel", "SERVED_BY", "--start", "dms:C1",
                               "--end", "A9"])
    assert out.exit_code == 2 and "missing_target" in out.output
    out = cli_env.invoke(app, ["tags", "assign", "budget_band", "--label", "CustomerRecord", "--key", "dms:C1",
                               "--value", "lots"])
    assert out.exit_code == 1
    out = cli_env.invoke(app, ["tags", "health", "--code", "budget_band", "--json"])
    [row] = json.loads(out.output)
    assert (row["live"], row["customer_records"], row["coverage_share"], row["confidence_avg"]) == (1, 1, 1.0, 0.7)
    assert cli_env.invoke(app, ["tags", "expire"]).exit_code == 0
    out = cli_env.invoke(app, ["tags", "unassign", "budget_band", "--label", "CustomerRecord", "--key", "dms:C1"])
    assert out.exit_code == 0 and "removed CustomerRecord|dms:C1|budget_band" in out.output, out.output
