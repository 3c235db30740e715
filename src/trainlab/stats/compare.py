"""Statistics of a study: confidence intervals, paired tests, effects and ranks over seeds.

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

A variant's **effect** reads its difference's confidence interval: ``helps``
when it excludes 0 on the good side (above 0 when higher is better),
``hurts`` when it excludes 0 on the bad side, else ``no clear effect``.

scipy comes with scikit-learn, a core dependency; it is imported on first use.

Example:
    >>> from trainlab.stats.compare import mean_ci, paired_difference
    >>> ci = mean_ci([0.90, 0.92, 0.94])
    >>> round(ci.mean, 3), round(ci.lo, 3), round(ci.hi, 3), ci.n
    (0.92, 0.87, 0.97, 3)
    >>> d = paired_difference([0.95, 0.96, 0.97], [0.90, 0.92, 0.94])
    >>> round(d.mean, 3), d.test, round(d.p, 4)
    (0.04, 't', 0.0202)
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np

from trainlab.core.errors import ConfigError

#: Wilcoxon becomes the primary test from this many pairs on (2/2**6 < 0.05)
MIN_WILCOXON_N = 6
#: Shapiro–Wilk p-value below which the differences are taken as non-normal
NORMALITY_ALPHA = 0.05
EFFECTS = ("baseline", "helps", "hurts", "no clear effect")
#: the paired tests a :class:`PairedDiff` names: the t-test and the Wilcoxon signed-rank test
TESTS = ("t", "wilcoxon")

_NAN = math.nan


class TrialLike(Protocol):
    """What :func:`summarize` reads of a trial (a study store's ``TrialRecord``)."""

    variant: str
    seed: int
    status: str
    metrics: Mapping[str, Any] | None


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
    p-value (see the module docstring for the rule).
    """

    mean: float
    lo: float
    hi: float
    n: int
    p_t: float
    p_wilcoxon: float
    test: str
    p: float

    def __post_init__(self) -> None:
        if self.test not in TESTS:
            raise ValueError(f"test {self.test!r}: expected one of {', '.join(TESTS)}")

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict."""
        return asdict(self)


@dataclass(frozen=True)
class VariantSummary:
    """One variant of a study, summarized over its finished seeds.

    Attributes:
        variant: the variant's name.
        metric: the metric's name (a key of the trials' ``metrics``).
        value: the metric's mean and interval over the finished seeds.
        reference: the variant it is compared against (None for the baseline).
        diff: ``value − reference`` paired by seed (None for the baseline).
        gap: the generalization gap (``metrics["gap"]``, train − test accuracy).
        gap_diff: the gap's difference against the reference, paired by seed.
        seconds: training time (``metrics["seconds"]``).
        verdicts: how many seeds got each learning-curve verdict.
        failed: how many trials failed.
        rank: 1 for the best mean (ties share a rank); None without results.
        effect: one of :data:`EFFECTS`.
        seeds: the seeds of the finished trials.
        confidence: the confidence level of every interval.
    """

    variant: str
    metric: str
    value: Interval
    reference: str | None
    diff: PairedDiff | None
    gap: Interval
    gap_diff: PairedDiff | None
    seconds: Interval
    verdicts: Counter[str] = field(default_factory=Counter)
    failed: int = 0
    rank: int | None = None
    effect: str = "no clear effect"
    seeds: tuple[int, ...] = ()
    confidence: float = 0.95

    def __post_init__(self) -> None:
        where = f"summary of {self.variant!r}"
        if self.effect not in EFFECTS:
            raise ValueError(f"{where}: effect {self.effect!r}; expected one of {EFFECTS}")
        if (self.reference is None) != (self.effect == "baseline"):
            raise ValueError(
                f"{where}: effect {self.effect!r} with reference {self.reference!r}; "
                "a reference (None) and only a reference has the effect 'baseline'"
            )
        if self.reference is None and (self.diff is not None or self.gap_diff is not None):
            raise ValueError(f"{where}: a reference has no difference from a reference")
        if self.effect in ("helps", "hurts"):
            d = self.diff
            if d is None or not (math.isfinite(d.lo) and math.isfinite(d.hi)) or d.lo <= 0 <= d.hi:
                raise ValueError(
                    f"{where}: effect {self.effect!r} needs a difference whose interval "
                    "excludes 0; expected 'no clear effect'"
                )

    def to_dict(self) -> dict[str, Any]:
        """Plain dicts, lists and numbers (NaN kept as float NaN)."""
        return {
            "variant": self.variant,
            "metric": self.metric,
            "value": self.value.to_dict(),
            "reference": self.reference,
            "diff": None if self.diff is None else self.diff.to_dict(),
            "gap": self.gap.to_dict(),
            "gap_diff": None if self.gap_diff is None else self.gap_diff.to_dict(),
            "seconds": self.seconds.to_dict(),
            "verdicts": dict(self.verdicts),
            "failed": self.failed,
            "rank": self.rank,
            "effect": self.effect,
            "seeds": list(self.seeds),
            "confidence": self.confidence,
        }


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
    return PairedDiff(ci.mean, ci.lo, ci.hi, n, p_t, p_w, test, p)


def effect_of(diff: PairedDiff, higher_is_better: bool) -> str:
    """The effect a paired difference shows: ``helps``, ``hurts`` or ``no clear effect``.

    ``helps`` when the interval excludes 0 on the good side (above 0 when
    higher is better), ``hurts`` on the bad side, else ``no clear effect``
    (an interval that includes 0, or none: fewer than two pairs).

    Example:
        >>> d = paired_difference([0.95, 0.96, 0.97], [0.90, 0.92, 0.94])
        >>> effect_of(d, higher_is_better=True), effect_of(d, higher_is_better=False)
        ('helps', 'hurts')
    """
    if not (math.isfinite(diff.lo) and math.isfinite(diff.hi)):
        return "no clear effect"
    if diff.lo > 0:
        return "helps" if higher_is_better else "hurts"
    if diff.hi < 0:
        return "hurts" if higher_is_better else "helps"
    return "no clear effect"


def values_by_seed(trials: Iterable[TrialLike], key: str) -> dict[int, float]:
    """seed → the metric's value, for the trials that have it (last one wins)."""
    out: dict[int, float] = {}
    for t in trials:
        value = (t.metrics or {}).get(key)
        if value is not None:
            out[int(t.seed)] = _number(value)
    return out


def paired_by_seed(
    mine: Mapping[int, float], ref: Mapping[int, float], confidence: float = 0.95
) -> PairedDiff:
    """:func:`paired_difference` over the seeds both have (seed → value mappings)."""
    seeds = sorted(set(mine) & set(ref))
    return paired_difference([mine[s] for s in seeds], [ref[s] for s in seeds], confidence)


def summarize(
    trials: Iterable[TrialLike],
    *,
    metric: str = "test_acc",
    baseline: str = "baseline",
    higher_is_better: bool = True,
    confidence: float = 0.95,
    variants_order: list[str] | None = None,
    against: Mapping[str, str] | None = None,
) -> list[VariantSummary]:
    """Summarize every variant of a study and compare it with its reference.

    Only ``done`` trials count; ``failed`` ones are counted. Differences are
    paired by seed, over the seeds both variants finished; a trial without
    the metric (or without ``gap`` / ``seconds``) is left out of that
    statistic only. Ranks order the variants by mean (1 = best; ties share a
    rank; variants without results get none).

    Args:
        trials: objects with ``variant``, ``seed``, ``status`` and ``metrics``
            attributes, like :class:`~trainlab.workflows.study.store.TrialRecord`.
        metric: the key of ``metrics`` to compare.
        baseline: the variant the others are compared against.
        higher_is_better: whether a larger metric is better (accuracy) or not (loss).
        confidence: the confidence level of every interval, in (0, 1).
        variants_order: the order of the result; variants not listed follow in
            order of first appearance. Listed variants without trials are kept.
        against: per-variant reference when it is not ``baseline``
            (variant name → the variant it is compared with).

    Returns:
        One :class:`VariantSummary` per variant.

    Raises:
        ConfigError: ``baseline`` or a name in ``against`` is not a variant.

    Example:
        >>> from types import SimpleNamespace as T
        >>> trials = [T(variant=v, seed=s, status="done", metrics={"test_acc": a})
        ...           for v, s, a in [("baseline", 0, 0.90), ("baseline", 1, 0.91),
        ...                           ("baseline", 2, 0.92), ("dropout", 0, 0.93),
        ...                           ("dropout", 1, 0.95), ("dropout", 2, 0.95)]]
        >>> [(s.variant, s.rank, s.effect) for s in summarize(trials)]
        [('baseline', 2, 'baseline'), ('dropout', 1, 'helps')]
    """
    c = _check_confidence(confidence)
    trials = list(trials)
    names = _variant_names(trials, variants_order)
    refs = _references(names, baseline, dict(against or {}))
    base = [_variant_fields(v, refs[v], trials, metric, higher_is_better, c) for v in names]
    sign = -1.0 if higher_is_better else 1.0
    scored = [sign * b["value"].mean for b in base if math.isfinite(b["value"].mean)]
    for b in base:
        mean = b["value"].mean
        b["rank"] = 1 + sum(1 for s in scored if s < sign * mean) if math.isfinite(mean) else None
    return [VariantSummary(**b) for b in base]


def _variant_names(trials: list[TrialLike], order: list[str] | None) -> list[str]:
    """``order`` first, then the other variants in order of first appearance."""
    names: list[str] = list(dict.fromkeys(order or []))
    for t in trials:
        if t.variant not in names:
            names.append(t.variant)
    return names


def _references(names: list[str], baseline: str, against: dict[str, str]) -> dict[str, str | None]:
    """variant → the variant it is compared with (None: a reference itself)."""
    if baseline not in names:
        raise ConfigError(
            f"baseline: unknown variant {baseline!r}; variants: {', '.join(names) or '(none)'}"
        )
    for name, ref in against.items():
        if name not in names or ref not in names:
            raise ConfigError(
                f"against: {name!r} → {ref!r} names an unknown variant; "
                f"variants: {', '.join(names)}"
            )
    refs: dict[str, str | None] = {}
    for v in names:
        ref = None if v == baseline else against.get(v, baseline)
        refs[v] = None if ref == v else ref
    return refs


def _variant_fields(
    v: str,
    ref: str | None,
    trials: list[TrialLike],
    metric: str,
    higher_is_better: bool,
    c: float,
) -> dict[str, Any]:
    """The fields of variant ``v``'s :class:`VariantSummary`, but its rank."""
    done = [t for t in trials if t.variant == v and t.status == "done"]
    values = values_by_seed(done, metric)
    gaps = values_by_seed(done, "gap")
    diff = gap_diff = None
    effect = "baseline"  # the study's baseline, or a variant that is its own reference
    if ref is not None:
        ref_done = [t for t in trials if t.variant == ref and t.status == "done"]
        diff = paired_by_seed(values, values_by_seed(ref_done, metric), c)
        gap_diff = paired_by_seed(gaps, values_by_seed(ref_done, "gap"), c)
        effect = effect_of(diff, higher_is_better)
    verdicts = Counter(
        str((t.metrics or {})["verdict"])
        for t in done
        if (t.metrics or {}).get("verdict") is not None
    )
    return {
        "variant": v,
        "metric": metric,
        "value": mean_ci(list(values.values()), c),
        "reference": ref,
        "diff": diff,
        "gap": mean_ci(list(gaps.values()), c),
        "gap_diff": gap_diff,
        "seconds": mean_ci(list(values_by_seed(done, "seconds").values()), c),
        "verdicts": verdicts,
        "failed": sum(1 for t in trials if t.variant == v and t.status == "failed"),
        "effect": effect,
        "seeds": tuple(sorted({int(t.seed) for t in done})),
        "confidence": c,
    }
