"""`carkg tags apply`: history loaded from exports gets the same rule and keyword tags intake would give it,
and running it again visits only what is new (a full re-apply with `everything` changes no tag and adds no
history)."""

from __future__ import annotations

from pathlib import Path

from carkg.graph import Database
from carkg.ingest import Loader
from carkg.tags import load_library
from carkg.tags.backfill import backfill
from carkg.tags.keywords import extract

LIVE_BY_SOURCE = """
MATCH (ta:TagAssignment) WHERE ta.removedAt IS NULL
RETURN ta.source AS source, count(ta) AS n ORDER BY source"""


def test_loaded_events_and_chats_are_tagged_once(db: Database, key: bytes, samples: Path, tmp_path: Path) -> None:
    Loader(db, key=key, batch_size=1000).load(samples, tmp_path / "rejects.csv")
    load_library(db)

    report = backfill(db, page=3)  # small pages: the paging itself is under test
    stored = db.query("""MATCH (r:CustomerRecord) WHERE EXISTS { (r)-[:PERFORMED]->() }
                            OR EXISTS { (:ChatMessage {direction: 'in'})-[:WITH_CUSTOMER]->(r) }
                         RETURN count(r) AS n""")[0]["n"]
    assert report.customers == stored and report.events > 0 and report.tags > 0
    by_source = {r["source"]: r["n"] for r in db.query(LIVE_BY_SOURCE)}
    assert by_source.get("rule", 0) > 0

    # every inbound message the keyword tagger finds a budget in left a budget tag on its customer
    messages = db.query("""MATCH (m:ChatMessage {direction: 'in'})-[:WITH_CUSTOMER]->(r)
                           RETURN m.text AS text, r.key AS key""")
    budget_keys = {m["key"] for m in messages if extract(m["text"]).budget}
    tagged = {r["key"] for r in db.query("""MATCH (ta:TagAssignment {tagCode: 'budget_band', source: 'keyword'})
                                             -[:TAGS]->(r:CustomerRecord) RETURN r.key AS key""")}
    assert budget_keys and budget_keys == tagged

    # material engagement is a relationship the rules tag
    assert db.query("MATCH ()-[w:ENGAGED_WITH]->() RETURN min(w.count) AS c")[0]["c"] >= 1

    again = backfill(db, page=50)
    assert (again.customers, again.events, again.tags) == (0, 0, 0)

    changes = db.query("MATCH (c:TagChange) RETURN count(c) AS n")[0]["n"]
    everything = backfill(db, page=50, everything=True)
    assert (everything.customers, everything.tags) == (report.customers, report.tags)
    assert {r["source"]: r["n"] for r in db.query(LIVE_BY_SOURCE)} == by_source
    assert db.query("MATCH (c:TagChange) RETURN count(c) AS n")[0]["n"] == changes

    # one new event (loaded, not through intake) brings back its record and nothing else
    db.query("""MATCH (r:CustomerRecord)-[:PERFORMED]->(e:Event) WITH r, e ORDER BY r.key LIMIT 1
                CREATE (r)-[:PERFORMED]->(:Event {eventId: 'later-1', type: e.type, at: e.at, channel: e.channel})""")
    later = backfill(db, page=50)
    assert later.customers == 1 and later.events > 0
