"""Clustering quality against a ground truth: pairwise precision/recall/F1 and B-cubed F1.

Both compare two partitions of the same records: `predicted` and `truth` map record key → cluster label.
Only keys present in both count (rejected rows and records outside the truth are left out).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    records: int
    predicted_pairs: int
    true_pairs: int
    true_positive_pairs: int
    precision: float
    recall: float
    f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def score_clusters(predicted: dict[str, str], truth: dict[str, str]) -> Scores:
    keys = [k for k in truth if k in predicted]
    if not keys:
        raise ValueError("no record of the ground truth is in the graph: wrong truth file or graph not loaded")
    cells = Counter((predicted[k], truth[k]) for k in keys)
    pred_sizes = Counter(predicted[k] for k in keys)
    true_sizes = Counter(truth[k] for k in keys)
    tp = sum(_pairs(n) for n in cells.values())
    pp = sum(_pairs(n) for n in pred_sizes.values())
    tt = sum(_pairs(n) for n in true_sizes.values())
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    b_p = sum(n * n / pred_sizes[p] for (p, _t), n in cells.items()) / len(keys)
    b_r = sum(n * n / true_sizes[t] for (_p, t), n in cells.items()) / len(keys)
    return Scores(len(keys), pp, tt, tp, precision, recall, _f1(precision, recall), b_p, b_r, _f1(b_p, b_r))
