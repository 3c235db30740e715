"""What the benchmarks share: timing several contenders on the same work, alternating.

Run a benchmark as ``python bench/NAME.py``: this folder is then on the path,
and ``from timing import alternating_medians`` finds this module.

Example:
    >>> from timing import alternating_medians  # doctest: +SKIP
    >>> steps = {"ours": lambda: None, "peer": lambda: None}
    >>> sorted(alternating_medians(steps, repeats=3))  # doctest: +SKIP
    ['ours', 'peer']
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def alternating_medians(steps: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """The median seconds of each step over ``repeats`` rounds, one call of each step a round,
    after one warm-up call each (so a slow machine moment falls on every contender alike)."""
    for step in steps.values():
        step()
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeats):
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}
