"""The bulk path (neo4j-admin import) gives the graph the transactional loaders give, and never replaces data."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from carkg.demo import generate
from carkg.graph import Database
from carkg.graph.fingerprint import fingerprint
from carkg.graph.model import NodeLabel, RelType
from carkg.ingest import Loader
from carkg.ingest.bulk import BulkLoadRefused, bulk_load
from carkg.ingest.bulk.graph import BulkGraph
from carkg.ingest.bulk.sources import chat_messages, wecom_contacts
from carkg.localneo4j import LocalServer, ServerError
from carkg.paths import REFERENCE_DIR


@pytest.fixture
def server(db: Database, local_server: LocalServer | None) -> Iterator[LocalServer]:
    """The test server, empty; the shared driver reconnects afterwards (the import restarts the server)."""
    if local_server is None:
        pytest.skip("the bulk import writes the local server's store files (NEO4J_URI or Docker is in use)")
    yield local_server
    local_server.start()
    db.reconnect()


@pytest.fixture(scope="module")
def tricky_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated set with bad rows, plus values the import files must carry exactly: chat texts with
    quotes, commas and line breaks, an empty text, and a catalogue model with no alias (an empty list)."""
    root = tmp_path_factory.mktemp("bulk-demo")
    shutil.copytree(REFERENCE_DIR, root / "reference")
    with (root / "reference" / "models.csv").open("a", encoding="utf-8") as fh:
        fh.write("TEST-NOALIAS,BYD,比亚迪,测试,Test,,\n")
    exports = root / "exports"
    generate(exports, customers=120, seed=11, bad_row_rate=0.05)
    first = json.loads((exports / "chat_messages.jsonl").read_text(encoding="utf-8").splitlines()[0])
    tricky = ["", "line one\nline two", 'she said "ok", then left', "逗号，引号\"和\r\n换行", "  padded  "]
    with (exports / "chat_messages.jsonl").open("a", encoding="utf-8") as fh:
        for n, text in enumerate(tricky):
            fh.write(json.dumps({**first, "message_id": f"tricky-{n}", "text": text}, ensure_ascii=False) + "\n")
    return exports


@pytest.mark.parametrize("source", ["samples", "tricky_demo"])
def test_bulk_import_gives_the_transactional_graph(
    source: str, request: pytest.FixtureRequest, db: Database, server: LocalServer, key: bytes, tmp_path: Path
) -> None:
    exports: Path = request.getfixturevalue(source)
    reference = exports.parent / "reference" if (exports.parent / "reference").is_dir() else REFERENCE_DIR
    transactional = Loader(db, key=key, batch_size=100, progress=False, reference_dir=reference).load(
        exports, tmp_path / "tx-rejects.csv")
    expected = fingerprint(db)
    db.wipe()

    report = bulk_load(server, exports, tmp_path / "bulk-rejects.csv", key=key, replace_empty_only=True,
                       progress=False, reference_dir=reference)

    with Database(db.target) as fresh:
        actual = fingerprint(fresh)
        constraints = fresh.read("admin/ready")[0]["constraints"]
    assert {k: v[0] for k, v in actual.items()} == {k: v[0] for k, v in expected.items()}  # counts first
    assert actual == expected  # then every property, with its type
    assert constraints >= 20 and set(report.phases) == {"validate+csv", "stop", "import", "start", "schema"}
    for tx, bulk in zip(transactional.sources, report.sources, strict=True):
        assert (tx.source, tx.read, tx.loaded, tx.rejected, tx.duplicates) == (
            bulk.source, bulk.read, bulk.loaded, bulk.rejected, bulk.duplicates)
        assert (tx.nodes_created, tx.relationships_created) == (bulk.nodes_created, bulk.relationships_created)
    rejects = (tmp_path / "bulk-rejects.csv").read_text(encoding="utf-8")
    assert rejects == (tmp_path / "tx-rejects.csv").read_text(encoding="utf-8")
    if source == "tricky_demo":
        assert transactional.total("rejected") > 0 and len(rejects.splitlines()) > 1


def test_bulk_refuses_a_graph_with_data_and_loses_nothing(
    db: Database, server: LocalServer, key: bytes, samples: Path, tmp_path: Path
) -> None:
    Loader(db, key=key, progress=False).load(samples, tmp_path / "rejects.csv")
    before = fingerprint(db)

    with pytest.raises(BulkLoadRefused, match=r"holds \d+ nodes.*Nothing was changed"):
        bulk_load(server, samples, tmp_path / "bulk.csv", key=key, replace_empty_only=True, progress=False)

    assert server.status().running
    assert fingerprint(db) == before
    assert not (tmp_path / "bulk.csv").exists()  # refused before reading a single row


def test_bulk_needs_the_explicit_guard_even_on_an_empty_graph(
    db: Database, server: LocalServer, key: bytes, samples: Path, tmp_path: Path
) -> None:
    with pytest.raises(BulkLoadRefused, match="--replace-empty-only"):
        bulk_load(server, samples, tmp_path / "bulk.csv", key=key, replace_empty_only=False, progress=False)
    assert server.status().running


def test_merge_semantics_a_full_record_overrides_its_stub_and_nulls_remove() -> None:
    g = BulkGraph()
    event_like = {"message_id": "m1", "customer_key": "wecom:u1", "external_userid": "u1", "advisor_id": "a1",
                  "direction": "in", "text": "hi", "at": None}
    chat_messages(g, event_like)
    assert g.nodes[NodeLabel.CUSTOMER_RECORD]["wecom:u1"] == {"system": "wecom", "sourceId": "u1", "stub": True}

    record = {"key": "wecom:u1", "system": "wecom", "sourceId": "u1", "name": "张伟", "namePinyin": "zhangwei",
              "createdAt": None}
    contact = {"record": record, "advisor_id": "a1", "added_at": "t1", "unionid": None, "phone": None}
    wecom_contacts(g, contact)
    wecom_contacts(g, {**contact, "record": {**contact["record"], "name": None}, "added_at": "t2"})

    record = g.nodes[NodeLabel.CUSTOMER_RECORD]["wecom:u1"]
    assert record == {"key": "wecom:u1", "system": "wecom", "sourceId": "u1", "namePinyin": "zhangwei"}
    served_by = g.rels[(RelType.SERVED_BY, NodeLabel.CUSTOMER_RECORD, NodeLabel.ADVISOR)]
    assert served_by == {("wecom:u1", "a1"): {"since": "t1", "via": "wecom"}}  # ON CREATE SET: the first wins
    chat_messages(g, {**event_like, "text": "again"})  # a known message id is skipped, as the Cypher does
    assert g.nodes[NodeLabel.CHAT_MESSAGE]["m1"]["text"] == "hi"



def test_a_failed_import_leaves_an_empty_database_that_starts(
    db: Database, server: LocalServer, tmp_path: Path
) -> None:
    server.stop()
    with pytest.raises(ServerError, match=r"import failed.*the database is empty"):
        server.import_full([f"--nodes=Phone={tmp_path / 'missing.csv'}"])
    server.start()
    with Database(db.target) as fresh:
        assert fresh.read("admin/count_nodes")[0]["nodes"] == 0
        fresh.apply_schema()
        fresh.query("CREATE (:Phone {e164: '+8613800000000'})")
        assert fresh.read("admin/count_nodes")[0]["nodes"] == 1
