"""trainlab.stats.power against statsmodels' TTestPower (standardized effect d = effect/sd)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import integrate, special, stats
from statsmodels.stats.power import TTestPower

from trainlab.core.errors import ConfigError
from trainlab.stats.power import detectable_effect, paired_power, seeds_needed

ORACLE = TTestPower()


def oracle_power(d: float, n: int, alpha: float) -> float:
    return float(ORACLE.power(effect_size=d, nobs=n, alpha=alpha, alternative="two-sided"))


def integral_power(d: float, n: int, alpha: float) -> float:
    """The power from its definition: T = (Z + λ)/√(V/df), averaged over V ~ χ²(df).

    Integrated over V's quantiles ``u ∈ (0, 1)`` (``V = F⁻¹(u)``), a smooth bounded integrand.
    """
    df = n - 1
    crit = stats.t.isf(alpha / 2, df)
    lam = d * math.sqrt(n)

    def rejects(u: float) -> float:
        c = crit * math.sqrt(special.chdtri(df, 1 - u) / df)  # χ² quantile u (fast ufuncs)
        return special.ndtr(lam - c) + special.ndtr(-c - lam)

    return integrate.quad(rejects, 0, 1, epsabs=1e-13, epsrel=1e-10, limit=200)[0]


@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.1, 0.05 / 6])
@pytest.mark.parametrize("n", [2, 3, 5, 10, 30])
def test_paired_power_matches_statsmodels(n: int, alpha: float) -> None:
    sd = 0.013
    for d in (0.1, 0.5, 1.0, 2.0, 3.5):
        got = paired_power(d * sd, sd, n, alpha)
        assert got == pytest.approx(integral_power(d, n, alpha), rel=1e-7, abs=1e-12)
        want = oracle_power(d, n, alpha)  # NaN where scipy's far-tail cdf fails (d = 3.5, n = 30)
        assert math.isnan(want) or got == pytest.approx(want, rel=1e-9, abs=1e-12)
        assert paired_power(-d * sd, sd, n, alpha) == got


@pytest.mark.parametrize("power", [0.5, 0.8, 0.9])
@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.05 / 4])
@pytest.mark.parametrize("n", [2, 3, 5, 8, 20])
def test_detectable_effect_matches_statsmodels(n: int, alpha: float, power: float) -> None:
    sd = 0.02
    got = detectable_effect(sd, n, alpha, power)
    # statsmodels' power at the answer is the power asked for (NaN past its far-tail
    # failure: then the integral of the definition says it)
    at = oracle_power(got / sd, n, alpha)
    assert math.isnan(at) or at == pytest.approx(power, abs=1e-9)
    assert integral_power(got / sd, n, alpha) == pytest.approx(power, abs=1e-7)
    assert paired_power(got, sd, n, alpha) == pytest.approx(power, abs=1e-9)
    # and its solver agrees wherever it converges (with 2 or 3 seeds it often stops early:
    # its own power at its answer is then not the power asked for)
    d = ORACLE.solve_power(effect_size=None, nobs=n, alpha=alpha, power=power)
    if abs(oracle_power(d, n, alpha) - power) < 1e-7:
        assert got == pytest.approx(d * sd, rel=1e-5)


@pytest.mark.parametrize("power", [0.8, 0.9])
@pytest.mark.parametrize("alpha", [0.05, 0.01])
@pytest.mark.parametrize("d", [0.3, 0.5, 0.8, 1.0, 2.0])
def test_seeds_needed_matches_statsmodels(d: float, alpha: float, power: float) -> None:
    sd = 0.01
    n = seeds_needed(d * sd, sd, alpha, power)
    assert n is not None and n >= 2
    assert paired_power(d * sd, sd, n, alpha) >= power
    if n > 2:
        assert paired_power(d * sd, sd, n - 1, alpha) < power  # the fewest that do
    want = ORACLE.solve_power(effect_size=d, nobs=None, alpha=alpha, power=power)
    assert n == max(2, math.ceil(want - 1e-9))


def test_power_grows_with_n_and_effect_without_numerical_holes() -> None:
    """The far tail stays finite where scipy's noncentral-t cdf gives NaN (large λ)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ns = [2, 3, 5, 10, 73, 500, 1342, 10_000]
        for alpha in (0.05, 0.001):
            by_n = [paired_power(0.01, 0.01, n, alpha) for n in ns]
            assert all(math.isfinite(p) for p in by_n)
            assert by_n == sorted(by_n) and by_n[-1] == pytest.approx(1.0)
            by_d = [paired_power(d, 1.0, 6, alpha) for d in np.linspace(0, 5, 21)]
            assert by_d == sorted(by_d) and by_d[0] == pytest.approx(alpha)
    assert seeds_needed(0.01, 0.01, 0.05) == 10  # needs the finite tail at n ≈ 5000
    assert seeds_needed(0.01, 0.01, 0.05 / 10, max_n=10_000) == math.ceil(
        ORACLE.solve_power(effect_size=1.0, nobs=None, alpha=0.005, power=0.8)
    )


def test_edge_cases() -> None:
    nan = math.nan
    assert math.isnan(paired_power(0.01, 0.01, 1, 0.05))
    assert math.isnan(paired_power(0.01, nan, 5, 0.05))
    assert math.isnan(paired_power(nan, 0.01, 5, 0.05))
    assert paired_power(0.01, 0.0, 3, 0.05) == 1.0
    assert paired_power(0.0, 0.0, 3, 0.05) == 0.05
    assert paired_power(0.0, 0.01, 3, 0.05) == 0.05

    assert math.isnan(detectable_effect(0.01, 1, 0.05))
    assert math.isnan(detectable_effect(0.01, 0, 0.05))
    assert math.isnan(detectable_effect(nan, 5, 0.05))
    assert math.isnan(detectable_effect(math.inf, 5, 0.05))
    assert detectable_effect(0.0, 5, 0.05) == 0.0
    assert detectable_effect(0.01, 5, 0.05, power=0.04) == 0.0  # the size alone gives it
    assert detectable_effect(0.02, 5, 0.05) == pytest.approx(2 * detectable_effect(0.01, 5, 0.05))
    # a stricter level or fewer seeds can only see larger effects
    assert detectable_effect(0.01, 5, 0.01) > detectable_effect(0.01, 5, 0.05)
    assert detectable_effect(0.01, 3, 0.05) > detectable_effect(0.01, 5, 0.05)

    assert seeds_needed(0.0, 0.01, 0.05) is None
    assert seeds_needed(0.01, nan, 0.05) is None
    assert seeds_needed(nan, 0.01, 0.05) is None
    assert seeds_needed(0.01, 0.0, 0.05) == 2
    assert seeds_needed(0.001, 0.01, 0.05, max_n=50) is None
    assert seeds_needed(0.001, 0.01, 0.05) == 787
    assert seeds_needed(-0.01, 0.01, 0.05) == seeds_needed(0.01, 0.01, 0.05)


def test_bad_levels_are_config_errors() -> None:
    for bad in (0.0, 1.0, -0.1, 1.5):
        with pytest.raises(ConfigError, match=r"alpha: expected a number in \(0, 1\)"):
            paired_power(0.1, 0.1, 5, bad)
        with pytest.raises(ConfigError, match="alpha"):
            detectable_effect(0.1, 5, bad)
        with pytest.raises(ConfigError, match=r"power: expected a number in \(0, 1\)"):
            detectable_effect(0.1, 5, 0.05, power=bad)
        with pytest.raises(ConfigError, match="power"):
            seeds_needed(0.1, 0.1, 0.05, power=bad)
    with pytest.raises(ConfigError, match="max_n"):
        seeds_needed(0.1, 0.1, 0.05, max_n=1)
