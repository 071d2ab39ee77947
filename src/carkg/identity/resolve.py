"""One ID resolution end to end: hygiene → candidates → scores → GDS clusters → conflicts → persons →
households.

Full runs resolve every record; incremental runs resolve the records without a person plus their
candidate neighbourhood: every record any candidate rule or blocking rule pairs them with, and all records
of the persons those belong to, so that records loaded in any order and resolved after each batch end as
one full run would leave them. An incremental run with nothing new returns after the scope queries; one
with new records reads every record once, since a blocking key (a birth date and a city) can pair a new
record with any old one. Steward decisions (MatchDecision must_link / cannot_link) are honoured on every run.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

from carkg.graph import Database
from carkg.identity.blocking import BlockingReport, block
from carkg.identity.candidates import candidate_pairs
from carkg.identity.cluster import MUST, cluster
from carkg.identity.em import Estimates, learn, scorer_for
from carkg.identity.hygiene import mark_suspects
from carkg.identity.oneids import assign_one_ids, new_one_id
from carkg.identity.records import Record, load_records
from carkg.identity.risk import case_risk
from carkg.identity.scoring import IDENTIFIER_FIELDS, Scorer
from carkg.identity.store import case_id, sync_matches, taken_one_ids, write_rows
from carkg.settings import IdentitySettings


@dataclass
class ResolveReport:
    run_id: str
    incremental: bool
    records: int = 0
    suspects_marked: dict[str, int] = field(default_factory=dict)
    candidate_pairs: int = 0
    blocked_pairs: dict[str, int] = field(default_factory=dict)  # pairs each blocking rule proposed
    largest_block: dict[str, int] = field(default_factory=dict)  # records in its largest block kept
    blocks_skipped: dict[str, int] = field(default_factory=dict)  # blocks over the cap (logged, masked)
    links: int = 0
    reviews: int = 0
    matches_written: int = 0
    review_cases: int = 0
    conflict_cases: int = 0
    split_components: int = 0
    persons: int = 0
    multi_record_persons: int = 0
    links_changed: int = 0
    persons_deleted: int = 0
    households: int = 0  # SAME_HOUSEHOLD between persons of the scope and anyone (identity/households)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


class _Timer:
    def __init__(self, report: ResolveReport) -> None:
        self.report = report
        self.started = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.report.seconds[step] = round(self.report.seconds.get(step, 0.0) + now - self.started, 3)
        self.started = now


def _scope(db: Database, incremental: bool, now: datetime) -> list[str] | None:
    if not incremental:
        return None
    keys = {row["key"] for row in db.read("identity/incremental_scope")}
    keys |= {row["key"] for row in db.read("identity/decision_scope")}
    keys |= {row["key"] for row in db.read("identity/suspect_scope", at=now)}
    return sorted(keys)


def candidates(
    records: list[Record], settings: IdentitySettings
) -> tuple[dict[str, int], set[tuple[int, int]], BlockingReport]:
    """Name counts (for term-frequency weights) and every candidate pair: shared identifiers and names at a
    dealer (`candidates`), then the blocking rules (`blocking`)."""
    name_counts = dict(Counter(rec.pinyin for rec in records if rec.pinyin))
    pairs = candidate_pairs(records, settings.max_group, name_counts, settings.max_name_records)
    blocked, blocking = block(records, settings.max_block)
    return name_counts, pairs | blocked, blocking


def learned_weights(db: Database, settings: IdentitySettings | None = None) -> Estimates:
    """The weights EM estimates from the graph's candidate pairs, the fixed ones as priors (nothing written)."""
    settings = settings or IdentitySettings()
    records = load_records(db)
    name_counts, pairs, _ = candidates(records, settings)
    return learn(records, pairs, Scorer(name_counts, frozenset(settings.nickname_systems)))


def _widen(records: list[Record], pairs: set[tuple[int, int]], scope: set[str]) -> list[str]:
    """An incremental scope that gives what a full run would: every candidate of a record without a person
    (whichever rule proposed it), and every record of the persons any of those belong to."""
    keep = {i for i, rec in enumerate(records) if rec.key in scope}
    for i, j in pairs:
        if records[i].one_id is None or records[j].one_id is None:
            keep.update((i, j))
    persons = {records[i].one_id for i in keep if records[i].one_id}
    keep.update(i for i, rec in enumerate(records) if rec.one_id in persons)
    return sorted(records[i].key for i in keep)


def _restrict(
    records: list[Record], pairs: set[tuple[int, int]], keys: list[str]
) -> tuple[list[Record], set[tuple[int, int]]]:
    wanted = set(keys)
    kept = [i for i, rec in enumerate(records) if rec.key in wanted]
    position = {old: new for new, old in enumerate(kept)}
    return [records[i] for i in kept], {(position[i], position[j]) for i, j in pairs
                                        if i in position and j in position}


def resolve(db: Database, *, incremental: bool = False, settings: IdentitySettings | None = None) -> ResolveReport:
    """Resolve records to persons; see the module docstring. Returns what was done and how long it took."""
    settings = settings or IdentitySettings()
    if settings.review_threshold > settings.link_threshold:
        raise ValueError("CARKG_IDENTITY_REVIEW_THRESHOLD must not exceed CARKG_IDENTITY_LINK_THRESHOLD")
    now = datetime.now(UTC)
    run_id = f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    report = ResolveReport(run_id=run_id, incremental=incremental)
    timer = _Timer(report)

    report.suspects_marked = mark_suspects(db, settings, now)
    timer.lap("hygiene")
    keys = _scope(db, incremental, now)
    if keys is not None and not keys:
        timer.lap("scope")
        return report
    records = load_records(db)  # every record, even for a few new ones: blocking needs every record's keys
    timer.lap("read")
    name_counts, pairs, blocking = candidates(records, settings)
    report.blocked_pairs, report.largest_block = blocking.pairs, blocking.largest
    report.blocks_skipped = blocking.skipped
    scorer = Scorer(name_counts, frozenset(settings.nickname_systems))
    if settings.weights == "estimated":  # learned over every candidate pair, so a scope does not skew them
        scorer = scorer_for(learn(records, pairs, scorer), name_counts, frozenset(settings.nickname_systems))
    if keys is not None:
        keys = _widen(records, pairs, set(keys))
        records, pairs = _restrict(records, pairs, keys)
    report.records = len(records)
    index = {rec.key: i for i, rec in enumerate(records)}
    decisions = [d for d in db.read("identity/decisions") if d["a"] in index and d["b"] in index]
    must = [(index[d["a"]], index[d["b"]]) for d in decisions if d["kind"] == "must_link"]
    cannot = [(index[d["a"]], index[d["b"]]) for d in decisions if d["kind"] == "cannot_link"]
    decided = {frozenset(pair) for pair in must + cannot}
    timer.lap("candidates")

    report.candidate_pairs = len(pairs)
    links: list[tuple[int, int, float]] = []
    matches: list[dict[str, Any]] = []
    reviews: list[tuple[int, int, float]] = []
    for i, j in pairs:
        score, evidence = scorer.score(records[i], records[j])
        if score < settings.review_threshold:
            continue
        decision = "link" if score >= settings.link_threshold else "review"
        if decision == "link" and score < settings.name_only_link_threshold \
                and not any(e.outcome == "agree" and e.field in IDENTIFIER_FIELDS for e in evidence):
            decision = "review"  # only a name and context agree: namesakes at one dealer need a higher bar
        a, b = (records[i], records[j]) if records[i].key < records[j].key else (records[j], records[i])
        matches.append({"a": a.id, "b": b.id, "score": score, "decision": decision,
                        "evidence": orjson.dumps([e.as_dict() for e in evidence]).decode()})
        if decision == "link" and frozenset((i, j)) not in decided:
            links.append((i, j, score))
        elif decision == "review":
            reviews.append((i, j, score))
    report.links, report.reviews = len(links), len(reviews)
    timer.lap("score")

    stamp = {"runId": run_id, "at": now}
    report.matches_written = sync_matches(db, keys, matches, settings.batch_size, stamp)
    timer.lap("write_matches")

    clustering = cluster(db, records, keys, links, must, cannot, graph_name=f"carkg-identity-{run_id}")
    report.split_components = clustering.split_components
    report.seconds["gds"] = round(clustering.gds_seconds, 3)
    timer.lap("cluster")

    one_ids = _write_persons(db, records, clustering, keys, settings, report, stamp)
    timer.lap("persons")
    scope = None if keys is None else one_ids
    db.write("identity/delete_households", oneIds=scope)
    rows = db.write("identity/households", oneIds=scope, **stamp)
    report.households = rows[0]["households"] if rows else 0
    timer.lap("households")
    _write_cases(db, records, keys, clustering, reviews, decided, settings, report, stamp)
    timer.lap("review_cases")
    return report


def _write_persons(
    db: Database, records: list[Record], clustering: Any, keys: list[str] | None,
    settings: IdentitySettings, report: ResolveReport, stamp: dict[str, Any],
) -> list[str]:
    """Persons and RESOLVED_TO for the clusters; returns the clusters' OneIDs."""
    clusters: list[list[int]] = clustering.clusters
    db.write("identity/delete_orphan_persons")  # left over from an interrupted run: ids below must be free
    one_ids = assign_one_ids(records, clusters)
    if keys is not None:  # incremental: a fresh id must not name a person outside the scope
        fresh = [one_ids[c] for c in range(len(clusters)) if not any(records[i].one_id == one_ids[c]
                                                                        for i in clusters[c])]
        clash = taken_one_ids(db, fresh)
        for c in range(len(clusters)):
            attempt = 1
            while one_ids[c] in clash:
                one_ids[c] = new_one_id(min(records[i].key for i in clusters[c]), attempt)
                attempt += 1
    best: dict[int, float] = {}
    steward: set[int] = set()
    for i, j, score in clustering.kept_edges:
        if score == MUST:
            steward.update((i, j))
            continue
        for k in (i, j):
            best[k] = max(best.get(k, score), score)
    old_counts: dict[str, int] = {}
    for rec in records:
        if rec.one_id:
            old_counts[rec.one_id] = old_counts.get(rec.one_id, 0) + 1
    created: list[dict[str, Any]] = []
    updated: list[dict[str, Any]] = []
    stale: list[dict[str, Any]] = []
    written = 0
    for members, one_id in zip(clusters, one_ids, strict=True):
        changed = old_counts.get(one_id) != len(members)
        resolved: list[dict[str, Any]] = []
        for i in members:
            rec = records[i]
            if len(members) == 1:
                method, score = "singleton", None
            elif i in steward and i not in best:
                method, score = "steward", None
            else:
                method, score = ("steward" if i in steward else "score"), best.get(i)
            if rec.one_id != one_id or rec.method != method or rec.score != score:
                resolved.append({"id": rec.id, "method": method, "score": score})
                if rec.one_id:
                    stale.append({"id": rec.id})
                changed = True
        if changed:
            row = {"oneId": one_id, "recordCount": len(members), "links": resolved}
            (updated if one_id in old_counts else created).append(row)
            written += len(resolved)
    write_rows(db, "identity/delete_resolved", stale, settings.batch_size)
    write_rows(db, "identity/write_persons", updated, settings.batch_size, **stamp)
    write_rows(db, "identity/create_persons", created, settings.batch_size, **stamp)
    rows = db.write("identity/delete_orphan_persons")
    report.persons = len(clusters)
    report.multi_record_persons = sum(1 for members in clusters if len(members) > 1)
    report.links_changed = written
    report.persons_deleted = rows[0]["deleted"] if rows else 0
    return one_ids


def _write_cases(
    db: Database, records: list[Record], keys: list[str] | None, clustering: Any, reviews: list[tuple[int, int, float]],
    decided: set[frozenset[int]], settings: IdentitySettings, report: ResolveReport, stamp: dict[str, Any],
) -> None:
    cluster_of = {i: c for c, members in enumerate(clustering.clusters) for i in members}
    rows: list[dict[str, Any]] = []
    for i, j, score in reviews:
        if cluster_of[i] == cluster_of[j] or frozenset((i, j)) in decided:
            continue  # already one person through stronger links, or a steward has spoken
        pair = [records[i].key, records[j].key]
        bar = settings.link_threshold if score < settings.link_threshold else settings.name_only_link_threshold
        rows.append({"caseId": case_id("pair", pair), "kind": "pair", "keys": pair, "score": score,
                     "risk": case_risk("pair", score, settings.review_threshold, bar),
                     "reason": f"score {score} between review {settings.review_threshold} and link {bar}"
                               + (" (no shared identifier)" if bar != settings.link_threshold else "")})
    report.review_cases = len(rows)
    live = {row["caseId"] for row in rows}
    gone = [{"caseId": row["caseId"]} for row in db.read("identity/open_pair_cases", keys=keys)
            if row["caseId"] not in live]
    write_rows(db, "identity/delete_cases", gone, settings.batch_size)
    for i, j, reason in clustering.refused_must:
        pair = [records[i].key, records[j].key]
        rows.append({"caseId": case_id("conflict", pair), "kind": "conflict", "keys": pair, "score": None,
                     "risk": case_risk("conflict", None, settings.review_threshold, settings.link_threshold),
                     "reason": f"must_link not applied: {reason}"})
        report.conflict_cases += 1
    write_rows(db, "identity/write_review_cases", rows, settings.batch_size, **stamp)
