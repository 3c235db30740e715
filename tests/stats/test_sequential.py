"""trainlab.stats.sequential: the spending functions' formulas and the error they keep."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from scipy import stats

from trainlab.core.errors import ConfigError
from trainlab.stats.sequential import SPENDING, look_levels, spent_alpha

KINDS = ("obrien-fleming", "pocock")


@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.1])
def test_the_formulas(alpha: float) -> None:
    z = stats.norm.ppf(1 - alpha / 2)
    for t in (0.1, 0.25, 0.5, 0.9):
        assert spent_alpha(t, alpha) == pytest.approx(2 - 2 * stats.norm.cdf(z / math.sqrt(t)))
        assert spent_alpha(t, alpha, "pocock") == pytest.approx(
            alpha * math.log(1 + (math.e - 1) * t)
        )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.2])
def test_spending_is_zero_then_alpha_and_monotone(kind: str, alpha: float) -> None:
    assert spent_alpha(0.0, alpha, kind) == 0.0
    assert spent_alpha(1.0, alpha, kind) == pytest.approx(alpha, rel=1e-12)
    spent = [spent_alpha(t, alpha, kind) for t in np.linspace(0, 1, 101)]
    assert spent == sorted(spent) and max(spent) <= alpha


def test_obrien_fleming_spends_later_than_pocock() -> None:
    for t in (0.2, 0.5, 0.8):
        assert spent_alpha(t, 0.05) < spent_alpha(t, 0.05, "pocock")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "fractions", [[1.0], [0.5, 1.0], [0.2, 0.4, 0.6, 0.8, 1.0], [0.3, 0.7], [3 / 5, 4 / 5]]
)
def test_look_levels_sum_to_the_spent_alpha(kind: str, fractions: list[float]) -> None:
    levels = look_levels(fractions, 0.05, kind)
    assert len(levels) == len(fractions) and all(x >= 0 for x in levels)
    assert sum(levels) == pytest.approx(spent_alpha(fractions[-1], 0.05, kind), rel=1e-12)
    assert sum(levels) <= 0.05 + 1e-15
    running = np.cumsum(levels)
    for t, total in zip(fractions, running, strict=True):
        assert total == pytest.approx(spent_alpha(t, 0.05, kind), rel=1e-12)


def rejection_rate(levels: list[float], looks: list[int], sims: int, seed: int) -> float:
    """The share of null studies (mean difference 0) rejected at any look.

    A look at ``n`` seeds runs the paired (one-sample) t-test on the first
    ``n`` differences and rejects when its two-sided p-value is below the look's level.
    """
    rng = np.random.default_rng(seed)
    d = rng.normal(0.0, 0.01, (sims, looks[-1]))  # one row per simulated study
    s1, s2 = np.cumsum(d, axis=1), np.cumsum(d**2, axis=1)
    rejected = np.zeros(sims, dtype=bool)
    for n, level in zip(looks, levels, strict=True):
        mean = s1[:, n - 1] / n
        sd = np.sqrt((s2[:, n - 1] - n * mean**2) / (n - 1))
        p = 2 * stats.t.sf(np.abs(mean / (sd / math.sqrt(n))), n - 1)
        rejected |= p < level
    return float(rejected.mean())


@pytest.mark.parametrize("kind", KINDS)
def test_testing_each_look_at_its_increment_keeps_alpha(kind: str) -> None:
    start = time.perf_counter()
    looks, sims, alpha = [3, 5, 8, 12, 20], 20_000, 0.05
    levels = look_levels([n / looks[-1] for n in looks], alpha, kind)
    rate = rejection_rate(levels, looks, sims, seed=2024)
    tolerance = 3 * math.sqrt(alpha * (1 - alpha) / sims)  # three standard errors
    assert rate <= alpha + tolerance
    # peeking at the full α at every look does not keep it
    naive = rejection_rate([alpha] * len(looks), looks, sims, seed=2024)
    assert naive > alpha + 5 * tolerance
    assert time.perf_counter() - start < 2.0


def test_registry_and_errors() -> None:
    assert SPENDING.names() == ["obrien-fleming", "pocock"]
    assert spent_alpha(0.5, 0.05, "OBrien_Fleming") == spent_alpha(0.5, 0.05)
    with pytest.raises(ConfigError, match=r"unknown alpha spending 'haybittle'.*obrien-fleming"):
        spent_alpha(0.5, 0.05, "haybittle")
    for bad in (-0.1, 1.1, math.nan):
        with pytest.raises(ConfigError, match=r"fraction: expected a number in \[0, 1\]"):
            spent_alpha(bad, 0.05)
    for bad in (0.0, 1.0, -0.5):
        with pytest.raises(ConfigError, match=r"alpha: expected a number in \(0, 1\)"):
            spent_alpha(0.5, bad)
    for fractions in ([], [0.0, 1.0], [0.5, 0.5], [0.8, 0.4], [0.5, 1.2]):
        with pytest.raises(ConfigError, match="fraction"):
            look_levels(fractions, 0.05)
