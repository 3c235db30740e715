"""Power of the paired t-test: how small an effect a study can see, how many seeds it needs.

A study compares a variant with its reference paired by seed, with the
two-sided paired t-test on the ``n`` differences (a one-sample t-test of
their mean). When the differences have mean ``δ`` (the effect) and standard
deviation ``σ``, the test statistic follows the noncentral t distribution with
``n − 1`` degrees of freedom and noncentrality ``λ = √n · δ/σ``; at level α
the test rejects when ``|T| > t_{1−α/2, n−1}``, so its **power** is

    P(T > t_{1−α/2, n−1}) + P(T < −t_{1−α/2, n−1}),   T ~ t'(n − 1, λ)

(Cohen, 1988, *Statistical Power Analysis for the Behavioral Sciences*, 2nd
ed., ch. 2, with the standardized effect ``d = δ/σ``). Power grows with
``|δ|/σ`` and with ``n``; it equals α at ``δ = 0``.

- :func:`paired_power`: the power for an effect, a spread and ``n`` seeds.
- :func:`detectable_effect`: the smallest ``|δ|`` found with a given power
  (80 % by convention, Cohen 1988) — what a study that saw "no clear effect"
  could have seen at all.
- :func:`seeds_needed`: the fewest seeds that find a stated effect with that power.

Example:
    >>> from trainlab.stats.power import detectable_effect, paired_power, seeds_needed
    >>> round(paired_power(0.01, 0.01, 10, 0.05), 3)  # d = 1 with 10 seeds
    0.803
    >>> round(detectable_effect(0.01, 10, 0.05), 4)  # what 10 seeds see with 80 % power
    0.01
    >>> seeds_needed(0.005, 0.01, 0.05)  # d = 0.5 needs 34 seeds
    34
"""

from __future__ import annotations

import math

from trainlab.core.errors import ConfigError

#: the conventional power a study is planned for (Cohen, 1988)
DEFAULT_POWER = 0.8


def _check_level(name: str, value: float) -> float:
    x = float(value)
    if not 0.0 < x < 1.0:
        raise ConfigError(f"{name}: expected a number in (0, 1), got {value!r}")
    return x


def _standard_power(d: float, n: int, alpha: float) -> float:
    """The two-sided power at standardized effect ``d ≥ 0`` with ``n ≥ 2`` pairs."""
    from scipy import stats

    df = n - 1
    crit = float(stats.t.isf(alpha / 2, df))
    nc = d * math.sqrt(n)
    # the far tail P(T < −crit) as P(T' > crit) with T' ~ t'(df, −λ): scipy's cdf of a
    # large negative point under a large λ gives NaN, this survival function does not
    return float(stats.nct.sf(crit, df, nc) + stats.nct.sf(crit, df, -nc))


def paired_power(effect: float, sd: float, n: int, alpha: float) -> float:
    """The power of the two-sided paired t-test (see the module docstring).

    Args:
        effect: the true mean difference ``δ`` (its sign does not matter).
        sd: the standard deviation ``σ`` of the paired differences.
        n: the number of pairs (seeds).
        alpha: the test's level, in (0, 1).

    Returns:
        The probability that the test rejects at level ``alpha``: NaN when
        ``n < 2`` or ``sd`` or ``effect`` is not finite; with ``sd == 0``, 1
        for a non-zero effect and ``alpha`` for none.

    Raises:
        ConfigError: ``alpha`` is not in (0, 1).

    Example:
        >>> round(paired_power(0.0, 0.01, 5, 0.05), 4)  # no effect: the test's size
        0.05
        >>> round(paired_power(-0.02, 0.01, 5, 0.05), 3)  # d = −2 with 5 seeds
        0.909
    """
    a = _check_level("alpha", alpha)
    if n < 2 or not (math.isfinite(sd) and math.isfinite(effect)) or sd < 0:
        return math.nan
    if effect == 0:
        return a
    if sd == 0:
        return 1.0
    return _standard_power(abs(effect) / sd, int(n), a)


def detectable_effect(sd: float, n: int, alpha: float, power: float = DEFAULT_POWER) -> float:
    """The smallest ``|effect|`` the paired t-test finds with probability ``power``.

    Solves ``paired_power(δ, sd, n, alpha) = power`` for ``δ ≥ 0`` with
    Brent's method (``scipy.optimize.brentq``).

    Args:
        sd: the standard deviation of the paired differences.
        n: the number of pairs (seeds).
        alpha: the test's level, in (0, 1).
        power: the power wanted, in (0, 1); 0.8 by default.

    Returns:
        The effect, in the units of ``sd``: NaN when ``n < 2`` or ``sd`` is not
        finite or negative; 0 when ``sd == 0`` or ``power ≤ alpha`` (the test
        rejects that often with no effect at all).

    Raises:
        ConfigError: ``alpha`` or ``power`` is not in (0, 1).

    Example:
        >>> round(detectable_effect(0.01, 3, 0.05), 4)  # 3 seeds see only big effects
        0.0326
        >>> detectable_effect(0.01, 1, 0.05)
        nan
    """
    a = _check_level("alpha", alpha)
    target = _check_level("power", power)
    if n < 2 or not math.isfinite(sd) or sd < 0:
        return math.nan
    if sd == 0 or target <= a:
        return 0.0
    from scipy.optimize import brentq

    n = int(n)

    def short(d: float) -> float:
        return _standard_power(d, n, a) - target

    hi = 1.0
    while short(hi) < 0:
        hi *= 2.0
    return float(brentq(short, 0.0, hi, xtol=1e-12, rtol=1e-12)) * sd


def seeds_needed(
    effect: float,
    sd: float,
    alpha: float,
    power: float = DEFAULT_POWER,
    max_n: int = 10_000,
) -> int | None:
    """The fewest seeds (pairs, ``n ≥ 2``) whose paired t-test finds ``effect`` with ``power``.

    Power grows with ``n``, so the answer is found by bisection over ``2 … max_n``.

    Args:
        effect: the mean difference to find (its sign does not matter).
        sd: the standard deviation of the paired differences (say, a
            finished study's observed spread).
        alpha: the test's level, in (0, 1).
        power: the power wanted, in (0, 1); 0.8 by default.
        max_n: the most seeds worth considering (at least 2).

    Returns:
        The number of seeds; None when even ``max_n`` seeds fall short (a zero
        effect never gets there), or when ``effect`` or ``sd`` is not finite
        (nothing to plan from).

    Raises:
        ConfigError: ``alpha`` or ``power`` is not in (0, 1), or ``max_n < 2``.

    Example:
        >>> seeds_needed(0.01, 0.01, 0.05)  # d = 1
        10
        >>> seeds_needed(0.0001, 0.01, 0.05, max_n=100) is None  # d = 0.01: out of reach
        True
    """
    a = _check_level("alpha", alpha)
    target = _check_level("power", power)
    if int(max_n) < 2:
        raise ConfigError(f"max_n: expected at least 2 seeds, got {max_n!r}")

    def enough(n: int) -> bool:
        return paired_power(effect, sd, n, a) >= target

    lo, hi = 2, int(max_n)
    if not enough(hi):  # NaN (effect or sd not finite) is never enough
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        if enough(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def planning_level(alpha: float, comparisons: int, correction: str) -> float:
    """The level a comparison's power is planned at: ``alpha / m`` for a corrected family of
    ``m`` comparisons (Bonferroni: Holm's strictest step, so the plan holds for every step),
    ``alpha`` itself when nothing is corrected.

    Example:
        >>> planning_level(0.05, 15, "holm"), planning_level(0.05, 15, "none")
        (0.0033333333333333335, 0.05)
    """
    return alpha if correction == "none" else alpha / max(1, comparisons)
