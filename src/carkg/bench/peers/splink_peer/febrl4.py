"""Splink on FEBRL4 (DuckDB), the way Splink's own FEBRL4 example sets it up: link A to B on names, date of
birth, social-security id, address and postcode; u by random sampling, m by EM; pairs predicted, then
clustered at each threshold asked for. Runs in the benchmark's own virtualenv (`requirements.txt`), not
carkg's: `python febrl4.py a.csv b.csv out.json 0.9 0.99`. Writes each threshold's clusters and the seconds.
"""

from __future__ import annotations

import json
import sys
import time

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


def main(path_a: str, path_b: str, out: str, *thresholds: str) -> None:
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False).replace("", None) for p in (path_a, path_b)]
    started = time.perf_counter()
    db_api = DuckDBAPI()
    tables = [db_api.register(f, dataset_display_name=name) for f, name in zip(frames, ("a", "b"), strict=True)]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("postcode", "street_number"),
            block_on("soc_sec_id"),
        ],
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.PostcodeComparison("postcode"),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.ExactMatch("suburb").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(tables, settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    trained = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=min(float(t) for t in thresholds))
    predicted = time.perf_counter()
    clusters = {}
    for threshold in thresholds:
        frame = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=float(threshold)).as_pandas_dataframe()
        clusters[threshold] = dict(zip(frame["rec_id"].astype(str), frame["cluster_id"].astype(str), strict=True))
    done = time.perf_counter()
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"splink": "5.0.0", "clusters": clusters, "seconds": {
            "train": round(trained - started, 2), "predict": round(predicted - trained, 2),
            "cluster": round(done - predicted, 2), "total": round(done - started, 2)}}, f)


if __name__ == "__main__":
    main(*sys.argv[1:])
