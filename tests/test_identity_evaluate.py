"""`evaluate` on a small generated demo: sane precision/recall, and better than the naive baseline."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from carkg.demo import generate
from carkg.graph import Database
from carkg.identity.evaluate import evaluate, load_truth
from carkg.identity.metrics import score_clusters
from carkg.ingest import Loader


def test_metrics_on_known_partitions() -> None:
    truth = {"a": "1", "b": "1", "c": "1", "d": "2"}
    perfect = score_clusters({"a": "x", "b": "x", "c": "x", "d": "y"}, truth)
    assert perfect.f1 == 1.0 and perfect.bcubed_f1 == 1.0
    lumped = score_clusters({"a": "x", "b": "x", "c": "x", "d": "x"}, truth)
    assert lumped.recall == 1.0 and lumped.precision == 0.5  # 3 right pairs of 6 predicted
    assert abs(lumped.bcubed_precision - (3 * 0.75 + 0.25) / 4) < 1e-9


def test_bad_truth_file_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "truth.csv"
    path.write_text("system,source_id,person_id\ndms,C1,P1\ndms,,P2\n", encoding="utf-8")
    try:
        load_truth(path)
    except ValueError as exc:
        assert "row 3" in str(exc)
    else:
        raise AssertionError("a row without source_id must be rejected")


def test_evaluate_on_a_small_demo(db: Database, key: bytes, tmp_path: Path) -> None:
    result = generate(tmp_path / "exports", customers=1500, seed=11)
    Loader(db, key=key, batch_size=2000).load(result.out_dir, tmp_path / "rejects.csv")
    evaluation = evaluate(db, result.truth_path)
    model, baseline = evaluation.model, evaluation.baseline
    assert model.records > 2000
    assert model.precision >= 0.98 and model.recall >= 0.8, model
    assert model.bcubed_f1 >= 0.93, model
    assert model.precision > baseline.precision
    # the command prints both columns
    from carkg.cli import app

    env = {"NEO4J_URI": db.target.uri, "NEO4J_USER": db.target.user, "NEO4J_PASSWORD": db.target.password}
    out = CliRunner().invoke(app, ["identity", "evaluate", "--truth", str(result.truth_path), "--no-resolve"],
                             env=env)
    assert out.exit_code == 0, out.output
    assert "pairwise F1" in out.output and "naive baseline" in out.output
