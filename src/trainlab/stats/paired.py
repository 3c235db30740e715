"""Means, their confidence intervals and paired differences over seeds.

A study repeats every variant over the same seeds, so variants are compared
**paired by seed** (same data split, same initialization stream): the
difference ``d_i = a_i − b_i`` of each seed removes the seed-to-seed variance
both share.

- **Confidence interval** of a mean (Student, 1908): ``x̄ ± t_{(1+c)/2, n−1} · s/√n``
  with ``s`` the sample standard deviation (``ddof=1``) and ``c`` the
  confidence; it needs ``n ≥ 2``.
- **Paired t-test**: ``t = d̄ / (s_d/√n)`` with ``n − 1`` degrees of freedom,
  two-sided (``scipy.stats.ttest_rel``). Its interval is the difference's
  confidence interval above, so "the interval excludes 0" and "p < 1 − c" agree.
- **Wilcoxon signed-rank test** (Wilcoxon, 1945), two-sided, zero differences
  dropped, exact null distribution when scipy can use it
  (``scipy.stats.wilcoxon``). It assumes no normality, but with ``n`` non-zero
  differences its smallest two-sided p-value is ``2/2ⁿ``: 0.0625 for
  ``n = 5``, so with fewer than 6 seeds it can never reach ``p < 0.05``.
- **Which p-value is primary**: the paired t-test, unless ``n ≥ 6`` and the
  differences fail a Shapiro–Wilk normality test (Shapiro & Wilk, 1965) at
  ``0.05``; then the Wilcoxon test, which does not need normal differences.
  Both p-values are always reported.

scipy comes with scikit-learn, a core dependency; it is imported on first use.

Example:
    >>> from trainlab.stats.paired import mean_ci, paired_difference
    >>> ci = mean_ci([0.90, 0.92, 0.94])
    >>> round(ci.mean, 3), round(ci.lo, 3), round(ci.hi, 3), ci.n
    (0.92, 0.87, 0.97, 3)
    >>> d = paired_difference([0.95, 0.96, 0.97], [0.90, 0.92, 0.94])
    >>> round(d.mean, 3), d.test, round(d.p, 4), round(d.sd, 3)
    (0.04, 't', 0.0202, 0.01)
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from trainlab.core.errors import ConfigError

#: Wilcoxon becomes the primary test from this many pairs on (2/2**6 < 0.05)
MIN_WILCOXON_N = 6
#: Shapiro–Wilk p-value below which the differences are taken as non-normal
NORMALITY_ALPHA = 0.05
#: the paired tests a :class:`PairedDiff` names: the t-test and the Wilcoxon signed-rank test
TESTS = ("t", "wilcoxon")

_NAN = math.nan


@dataclass(frozen=True)
class Interval:
    """A mean and its confidence interval over ``n`` finite values (NaN when undefined)."""

    mean: float
    lo: float
    hi: float
    n: int

    @property
    def half_width(self) -> float:
        """Half the interval's width (NaN when the interval is undefined)."""
        return (self.hi - self.lo) / 2

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict."""
        return asdict(self)


@dataclass(frozen=True)
class PairedDiff:
    """Mean difference ``a − b`` over ``n`` pairs, its interval and two-sided p-values.

    ``test`` is ``"t"`` (paired t-test) or ``"wilcoxon"``; ``p`` is that test's
    p-value (see the module docstring for the rule). ``sd`` is the standard
    deviation of the ``n`` differences (``ddof=1``; NaN with fewer than two
    pairs or when not given), the spread a power analysis plans from
    (:mod:`trainlab.stats.power`).
    """

    mean: float
    lo: float
    hi: float
    n: int
    p_t: float
    p_wilcoxon: float
    test: str
    p: float
    sd: float = _NAN

    def __post_init__(self) -> None:
        if self.test not in TESTS:
            raise ValueError(f"test {self.test!r}: expected one of {', '.join(TESTS)}")

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict."""
        return asdict(self)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """No numpy or scipy warnings escape (degenerate inputs give NaN instead)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def _check_confidence(confidence: float) -> float:
    c = float(confidence)
    if not 0.0 < c < 1.0:
        raise ConfigError(f"confidence: expected a number in (0, 1), got {confidence!r}")
    return c


def _floats(values: Iterable[Any]) -> np.ndarray:
    """A 1-D float array; None and non-numbers become NaN."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "biuf":
        return values.astype(float, copy=False).ravel()
    return np.array([_number(v) for v in values], dtype=float)


def _number(value: Any) -> float:
    """``value`` as a float, or NaN when it is missing or not a number."""
    if value is None or isinstance(value, (str, bytes)):
        return _NAN
    try:
        return float(value)
    except (TypeError, ValueError):
        return _NAN


def mean_ci(values: Iterable[float], confidence: float = 0.95) -> Interval:
    """Mean and Student-t confidence interval of the finite values.

    ``mean ± t_{(1+c)/2, n−1} · s/√n`` with ``s`` the sample standard deviation
    (``ddof=1``). NaN and infinite values are left out (``n`` counts the
    finite ones); ``n == 1`` gives ``lo = hi = nan``; no values give all NaN and
    ``n = 0``. Values that are all equal give ``lo = hi = mean``.

    Args:
        values: the per-seed values.
        confidence: the interval's confidence level, in (0, 1).

    Returns:
        The :class:`Interval`.

    Example:
        >>> ci = mean_ci([1.0, 2.0, 3.0, float("nan")])
        >>> ci.mean, round(ci.half_width, 4), ci.n
        (2.0, 2.4841, 3)
    """
    c = _check_confidence(confidence)
    x = _floats(values)
    x = x[np.isfinite(x)]
    n = int(x.size)
    if n == 0:
        return Interval(_NAN, _NAN, _NAN, 0)
    mean = float(x.mean())
    if n == 1:
        return Interval(mean, _NAN, _NAN, 1)
    from scipy import stats

    with _quiet():
        s = float(x.std(ddof=1))
        half = float(stats.t.ppf((1 + c) / 2, n - 1)) * s / math.sqrt(n) if s > 0 else 0.0
    return Interval(mean, mean - half, mean + half, n)


def paired_difference(
    a: Sequence[float], b: Sequence[float], confidence: float = 0.95
) -> PairedDiff:
    """Difference ``a − b`` of paired values (pair ``i`` is ``a[i]``, ``b[i]``).

    Pairs where either value is NaN or infinite are left out. ``p_t`` is the
    two-sided paired t-test, ``p_wilcoxon`` the two-sided Wilcoxon signed-rank
    test (NaN with fewer than 2 pairs or when every difference is zero). The
    paired t-test is the primary test: with few seeds (``n < 6``) the Wilcoxon
    test cannot reach ``p < 0.05`` (its smallest two-sided p-value with
    ``n = 5`` is 0.0625), so it is reported but not primary. From ``n ≥ 6`` on,
    the Wilcoxon test becomes primary where appropriate: when the differences
    fail a Shapiro–Wilk normality test at 0.05.

    Args:
        a: a variant's values, one per seed.
        b: the reference's values for the same seeds, in the same order.
        confidence: the interval's confidence level, in (0, 1).

    Returns:
        The :class:`PairedDiff`.

    Raises:
        ValueError: ``a`` and ``b`` differ in length.

    Example:
        >>> d = paired_difference([0.91, 0.93, 0.92], [0.90, 0.90, 0.91])
        >>> round(d.mean, 4), d.n, d.test, round(d.p_t, 3)
        (0.0167, 3, 't', 0.13)
    """
    c = _check_confidence(confidence)
    x, y = _floats(a), _floats(b)
    if x.size != y.size:
        raise ValueError(f"paired values differ in length: {x.size} and {y.size}")
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = x[keep], y[keep]
    d = x - y
    ci = mean_ci(d, c)
    n = ci.n
    p_t = p_w = _NAN
    test = "t"
    if n >= 2:
        from scipy import stats

        with _quiet():
            p_t = float(stats.ttest_rel(x, y).pvalue)
            if np.any(d != 0):
                p_w = float(stats.wilcoxon(x, y).pvalue)
            if (
                n >= MIN_WILCOXON_N
                and math.isfinite(p_w)
                and float(np.ptp(d)) > 0
                and float(stats.shapiro(d).pvalue) < NORMALITY_ALPHA
            ):
                test = "wilcoxon"
    p = p_w if test == "wilcoxon" else p_t
    sd = float(d.std(ddof=1)) if n >= 2 else _NAN
    return PairedDiff(ci.mean, ci.lo, ci.hi, n, p_t, p_w, test, p, sd)
