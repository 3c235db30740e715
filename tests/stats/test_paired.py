"""trainlab.stats.paired against scipy.stats: intervals, paired t and Wilcoxon tests."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from trainlab.core.errors import ConfigError
from trainlab.stats.paired import (
    MIN_WILCOXON_N,
    Interval,
    PairedDiff,
    mean_ci,
    paired_difference,
)

# -- mean_ci -------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 3, 5, 10])
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_mean_ci_matches_scipy(n: int, confidence: float) -> None:
    x = np.random.default_rng(n).normal(0.8, 0.05, n)
    ci = mean_ci(x, confidence)
    lo, hi = stats.t.interval(confidence, n - 1, loc=x.mean(), scale=stats.sem(x))
    assert isinstance(ci, Interval) and ci.n == n
    assert ci.mean == pytest.approx(x.mean(), abs=1e-15)
    assert (ci.lo, ci.hi) == (pytest.approx(lo, rel=1e-12), pytest.approx(hi, rel=1e-12))
    assert ci.half_width == pytest.approx((hi - lo) / 2, rel=1e-12)


def test_mean_ci_edge_cases() -> None:
    nan_ci = mean_ci([0.5, float("nan"), 0.7, None, float("inf")])
    assert nan_ci.n == 2 and nan_ci.mean == pytest.approx(0.6)
    assert nan_ci == mean_ci([0.5, 0.7])
    one = mean_ci([0.9])
    assert (one.mean, one.n) == (0.9, 1) and math.isnan(one.lo) and math.isnan(one.hi)
    empty = mean_ci([])
    assert empty.n == 0 and all(math.isnan(v) for v in (empty.mean, empty.lo, empty.hi))
    assert mean_ci([float("nan")] * 3).n == 0
    flat = mean_ci([0.5, 0.5, 0.5])
    assert (flat.lo, flat.mean, flat.hi) == (0.5, 0.5, 0.5)
    for bad in (0, 1, 1.5, -0.1):
        with pytest.raises(ConfigError, match="confidence"):
            mean_ci([1.0, 2.0], bad)


# -- paired_difference ---------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 5, 8, 20])
def test_paired_t_matches_scipy(n: int) -> None:
    rng = np.random.default_rng(100 + n)
    b = rng.normal(0.80, 0.03, n)
    a = b + rng.normal(0.01, 0.01, n)
    d = paired_difference(a, b)
    assert isinstance(d, PairedDiff) and d.n == n
    assert d.p_t == pytest.approx(stats.ttest_rel(a, b).pvalue, rel=1e-10)
    lo, hi = stats.t.interval(0.95, n - 1, loc=(a - b).mean(), scale=stats.sem(a - b))
    assert (d.lo, d.hi) == (pytest.approx(lo, rel=1e-10), pytest.approx(hi, rel=1e-10))
    assert d.mean == pytest.approx((a - b).mean())
    # the interval and the t-test agree
    assert (d.lo > 0 or d.hi < 0) == (d.p_t < 0.05)


@pytest.mark.parametrize(
    "diffs",
    [
        [0.01, 0.02, 0.03, 0.04, 0.05],
        [0.01, -0.02, 0.03, 0.04, -0.05, 0.06],
        [0.01, 0.0, 0.02, 0.02, -0.01, 0.03, 0.05],  # a zero and ties
        list(np.random.default_rng(3).normal(0, 1, 30)),
    ],
)
def test_wilcoxon_matches_scipy(diffs: list[float]) -> None:
    b = np.linspace(0.7, 0.9, len(diffs))
    a = b + np.asarray(diffs)
    d = paired_difference(a, b)
    assert d.p_wilcoxon == pytest.approx(stats.wilcoxon(a, b).pvalue, rel=1e-10)


def test_wilcoxon_cannot_reach_005_with_five_seeds() -> None:
    b = [0.80, 0.81, 0.82, 0.83, 0.84]
    a = [x + 0.05 + 0.001 * i for i, x in enumerate(b)]
    d = paired_difference(a, b)
    assert d.p_wilcoxon == pytest.approx(0.0625)
    assert d.test == "t" and d.p == d.p_t < 0.05


def test_wilcoxon_nan_when_undefined() -> None:
    assert math.isnan(paired_difference([0.9], [0.8]).p_wilcoxon)
    same = paired_difference([0.9, 0.8, 0.7], [0.9, 0.8, 0.7])
    assert math.isnan(same.p_wilcoxon) and same.mean == 0.0 and same.test == "t"
    empty = paired_difference([], [])
    assert empty.n == 0 and math.isnan(empty.p) and math.isnan(empty.mean)


def test_shapiro_rule_picks_wilcoxon_for_non_normal_differences() -> None:
    diffs = np.array([0.010, 0.011, 0.012, 0.010, 0.013, 0.011, 0.012, 0.300])
    assert len(diffs) >= MIN_WILCOXON_N
    assert stats.shapiro(diffs).pvalue < 0.05
    b = np.linspace(0.7, 0.8, len(diffs))
    d = paired_difference(b + diffs, b)
    assert d.test == "wilcoxon" and d.p == d.p_wilcoxon
    assert d.p_wilcoxon == pytest.approx(stats.wilcoxon(b + diffs, b).pvalue)
    # the same shape with five seeds stays with the t-test
    assert paired_difference([*b[:4].tolist(), 1.0], b[:5].tolist()).test == "t"
    # normal-looking differences with many seeds stay with the t-test
    normal = np.random.default_rng(0).normal(0.01, 0.005, 12)
    assert stats.shapiro(normal).pvalue >= 0.05
    assert paired_difference(b.mean() + normal, np.full(12, b.mean())).test == "t"


def test_paired_difference_reports_the_spread_of_the_differences() -> None:
    a, b = np.array([0.95, 0.97, 0.96, 0.99]), np.array([0.90, 0.91, 0.93, 0.92])
    assert paired_difference(a, b).sd == pytest.approx(np.std(a - b, ddof=1), rel=1e-12)
    assert math.isnan(paired_difference([0.9], [0.8]).sd)
    assert paired_difference([0.5] * 3, [0.4] * 3).sd == pytest.approx(0.0, abs=1e-15)
    assert math.isnan(PairedDiff(0.1, 0.0, 0.2, 3, 0.1, 0.2, "t", 0.1).sd)  # not given


def test_paired_difference_drops_incomplete_pairs_and_checks_lengths() -> None:
    d = paired_difference([0.9, float("nan"), 0.8, 0.85], [0.8, 0.7, float("nan"), 0.80])
    assert d.n == 2 and d.mean == pytest.approx(0.075)
    with pytest.raises(ValueError, match="length"):
        paired_difference([1.0, 2.0], [1.0])
