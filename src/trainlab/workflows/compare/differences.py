"""``B − A`` for one variant of two studies: paired by seed, or Welch's unpaired interval.

- **Paired** (the seeds both studies ran, at least two): a seed fixes the data
  split and the initialization, so the per-seed differences ``d_s = b_s − a_s``
  remove the seed-to-seed variance both share;
  :func:`trainlab.stats.compare.paired_difference` gives their Student interval
  and the paired t-test (Wilcoxon's signed-rank test where it is primary).
- **Welch** (Welch, 1947, *The generalization of "Student's" problem when
  several different population variances are involved*), when fewer than two
  seeds are shared: ``d = b̄ − ā``, ``se = √(s_b²/n_b + s_a²/n_a)``, ``t = d/se``
  with the Welch–Satterthwaite degrees of freedom
  ``ν = se⁴ / ((s_b²/n_b)²/(n_b−1) + (s_a²/n_a)²/(n_a−1))``; the interval is
  ``d ± t_{(1+c)/2, ν} · se`` (``scipy.stats.ttest_ind(equal_var=False)``).

Example:
    >>> from trainlab.workflows.compare.differences import difference
    >>> d = difference({0: 0.90, 1: 0.92, 2: 0.91}, {0: 0.92, 1: 0.93, 2: 0.93})
    >>> d.method, d.test, d.n, round(d.mean, 4)
    ('paired', 't', 3, 0.0167)
    >>> d = difference({0: 0.90, 1: 0.92, 2: 0.91}, {5: 0.92, 6: 0.93, 7: 0.93})
    >>> d.method, d.n, round(d.mean, 4)
    ('welch', 6, 0.0167)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping

import numpy as np

from trainlab.report.compare_results import Difference
from trainlab.stats.compare import paired_by_seed

#: the fewest shared seeds a paired difference is computed from (one pair has no spread)
MIN_PAIRS = 2


def difference(
    a: Mapping[int, float], b: Mapping[int, float], confidence: float = 0.95
) -> Difference:
    """``B − A`` from seed → value mappings of finite values: paired when they share at least
    :data:`MIN_PAIRS` seeds, else Welch's; ``method="none"`` when neither has two values."""
    shared = set(a) & set(b)
    if len(shared) >= MIN_PAIRS:
        d = paired_by_seed(b, a, confidence)
        return Difference(d.mean, d.lo, d.hi, d.p, "paired", d.test, d.n)
    return welch_difference(list(a.values()), list(b.values()), confidence)


def welch_difference(a: list[float], b: list[float], confidence: float = 0.95) -> Difference:
    """Welch's unpaired ``mean(b) − mean(a)``, its interval and two-sided p-value.

    With fewer than two values on a side the difference of means is kept (NaN
    when a side has none) and the rest is NaN, ``method="none"``.

    Example:
        >>> d = welch_difference([0.90, 0.92, 0.91], [0.95, 0.96, 0.94])
        >>> round(d.mean, 3), round(d.lo, 4), round(d.hi, 4), round(d.p, 4)
        (0.04, 0.0173, 0.0627, 0.008)
    """
    x, y = np.asarray(b, dtype=float), np.asarray(a, dtype=float)
    n = int(x.size + y.size)
    if x.size < 2 or y.size < 2:
        mean = float(x.mean() - y.mean()) if x.size and y.size else math.nan
        return Difference(mean, math.nan, math.nan, math.nan, "none", "", n)
    from scipy import stats

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        result = stats.ttest_ind(x, y, equal_var=False)
        ci = result.confidence_interval(confidence)
    mean = float(x.mean() - y.mean())
    lo, hi, p = float(ci.low), float(ci.high), float(result.pvalue)
    if not math.isfinite(p) and float(x.var()) == 0 and float(y.var()) == 0:
        lo = hi = mean  # no spread at all: the interval is the point, the test undefined
    return Difference(mean, lo, hi, p, "welch", "welch", n)
