"""EM-estimated Fellegi–Sunter weights: they move from the fixed priors towards what the data shows, a
level the data never shows keeps its prior, and `carkg identity explain-weights` prints both."""

from __future__ import annotations

import random
from math import log2

from rows import row
from typer.testing import CliRunner

from carkg.cli import app
from carkg.graph import Database
from carkg.identity import resolve
from carkg.identity.em import estimate, priors
from carkg.settings import IdentitySettings


def test_em_learns_a_level_that_separates_matches_from_non_matches() -> None:
    rng = random.Random(3)
    vectors = []
    for _ in range(400):  # matches: birth dates agree, cities mostly agree
        vectors.append([("birthDate", "agree"), ("city", "agree" if rng.random() < 0.9 else "disagree")])
    for _ in range(1600):  # non-matches: birth dates differ, city agreement as common as in any town
        vectors.append([("birthDate", "disagree"), ("city", "agree" if rng.random() < 0.5 else "disagree")])
    est = estimate(vectors)
    assert 0.15 < est.match_share < 0.25
    city = {e.level: e for e in est.levels if e.field == "city"}
    assert abs(city["agree"].m - 0.9) < 0.05 and abs(city["agree"].u - 0.5) < 0.05  # the data, not the prior
    assert city["agree"].prior_weight == round(log2(0.9 / 0.3), 2)
    assert {(e.field, e.level) for e in est.levels} <= set(priors())
    assert not any(e.field == "phone" for e in est.levels)  # never shown: nothing estimated, prior kept


def test_explain_weights_prints_prior_and_estimate(db: Database) -> None:
    rows = []
    for i in range(30):
        rows.append(row(f"eval:{i}a", f"person{i} family{i}", birth=f"19{50 + i}-01-0{1 + i % 9}", city="town",
                        number=f"{1000000 + i * 7919}"))
        rows.append(row(f"eval:{i}b", f"person{i} family{i}", birth=f"19{50 + i}-01-0{1 + i % 9}", city="town",
                        number=f"{1000000 + i * 7919}"))
    db.write("identity/fixture_records", rows=rows)
    env = {"NEO4J_URI": db.target.uri, "NEO4J_USER": db.target.user, "NEO4J_PASSWORD": db.target.password}
    result = CliRunner().invoke(app, ["identity", "explain-weights"], env=env)
    assert result.exit_code == 0, result.output
    assert "idDocument" in result.output and "birthDate" in result.output and "prior" in result.output


def test_estimated_weights_resolve_the_same_clear_cases(db: Database) -> None:
    db.write("identity/fixture_records", rows=[
        row("eval:a", "michaela neumann", birth="1915-11-11", city="winston hills", number="5304218"),
        row("eval:b", "neumann michaela", birth="1915-11-11", city="winston hills", number="5304218"),
        row("eval:c", "courtney painter", birth="1916-12-14", city="richlands", number="4066625"),
    ])
    report = resolve(db, settings=IdentitySettings(weights="estimated"))
    assert report.links == 1
    persons = {r["key"]: r["oneId"] for r in db.read("identity/persons_of")}
    assert persons["eval:a"] == persons["eval:b"] != persons["eval:c"]
