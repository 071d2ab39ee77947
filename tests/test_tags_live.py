"""Every query that returns tags says "live" the same way (`carkg.tags.LIVE`), so no view disagrees."""

from __future__ import annotations

from carkg.graph import Database
from carkg.paths import CYPHER_DIR
from carkg.tags import LIVE
from carkg.tags.live import LIVE_IN_INDEX_ORDER

# Writers and history/health queries look at assignments that are not live on purpose.
NOT_LIVE_READS = {
    "tags/assign_nodes", "tags/assign_relationships", "tags/unassign", "tags/expire", "tags/health",
    "tags/tag_history", "analyst/tag_health", "analyst/tag_history",
}


def test_tag_queries_share_the_live_predicate() -> None:
    checked = []
    for area in ("tags", "analyst", "api", "advisors"):
        for path in sorted((CYPHER_DIR / area).glob("*.cypher")):
            name = f"{area}/{path.stem}"
            text = path.read_text(encoding="utf-8")
            if "TagAssignment" not in text or name in NOT_LIVE_READS or path.stem.startswith(("rule_", "intake_")):
                continue
            if ":TagAssignment" in text and "MATCH" in text:
                assert LIVE in text or LIVE_IN_INDEX_ORDER in text, \
                    f"{name} reads tag assignments without the live predicate"
                checked.append(name)
    assert {"api/record_details", "analyst/tags_on_customer", "advisors/recommend"} <= set(checked)


def test_the_index_order_form_of_the_live_predicate_means_the_same(db: Database) -> None:
    cases = """UNWIND [{removedAt: null, expiresAt: null}, {removedAt: null, expiresAt: datetime() + duration('P1D')},
                       {removedAt: null, expiresAt: datetime() - duration('P1D')},
                       {removedAt: datetime(), expiresAt: null}] AS ta
               RETURN collect("""
    live = db.query(cases + LIVE + ") AS verdicts", write=False)[0]["verdicts"]
    indexed = db.query(cases + LIVE_IN_INDEX_ORDER + ") AS verdicts", write=False)[0]["verdicts"]
    assert live == indexed == [True, True, False, False]
