"""Statistics of a study: effects, corrected verdicts, divergence and ranks over seeds.

A study repeats every variant over the same seeds and compares each with its
reference **paired by seed**: :func:`~trainlab.stats.paired.paired_difference`
gives the difference's mean, its Student-t confidence interval and the
primary paired test's two-sided p-value (the t-test; Wilcoxon's signed-rank
test for non-normal differences from 6 seeds on). This module reads those
differences for the whole study at once.

- **The family**: every variant compared with a reference whose raw p-value
  is defined and none of whose seeds diverged; ``m`` is its size. Testing
  ``m`` comparisons at α each finds a false effect far more often than α, so
  the raw p-values are **adjusted for the family**
  (:func:`~trainlab.stats.multiplicity.adjust_pvalues`): Holm's step-down
  procedure by default (Holm, 1979), which keeps the chance of any false
  effect in the study within α; Benjamini–Hochberg (1995) as an option, which
  keeps the expected share of false effects within α.
- **The rule**: a variant ``helps`` when its adjusted p-value is below α
  (``1 − confidence`` unless given) **and** its interval excludes 0 on the
  good side (above 0 when higher is better); ``hurts`` on the bad side;
  otherwise ``no clear effect`` — not "no effect": see ``detectable``.
- **Failures as results**: a trial that diverged (status ``"diverged"``, or a
  finished trial whose learning-curve verdict is ``"diverged"``) is a measured
  outcome. A variant with any diverged seed ``diverges``: its own effect,
  outside the family, ranked after every variant that trained. A reference
  keeps ``baseline`` and shows its diverged count.
- **Detectable effect**: the smallest ``|effect|`` the paired t-test finds
  with 80 % power at level α/m (Bonferroni: Holm's strictest step) from the
  observed spread of the differences and their number
  (:func:`~trainlab.stats.power.detectable_effect`; Cohen, 1988).

Example:
    >>> from trainlab.stats.compare import mean_ci, paired_difference
    >>> ci = mean_ci([0.90, 0.92, 0.94])
    >>> round(ci.mean, 3), round(ci.lo, 3), round(ci.hi, 3), ci.n
    (0.92, 0.87, 0.97, 3)
    >>> d = paired_difference([0.95, 0.96, 0.97], [0.90, 0.92, 0.94])
    >>> round(d.mean, 3), d.test, round(d.p, 4)
    (0.04, 't', 0.0202)

    A correction changes a verdict: three comparisons, one with ``p = 0.044``
    alone, ``0.13`` once Holm has counted the other two.

    >>> from types import SimpleNamespace as T
    >>> runs = {"baseline": [0.90, 0.91, 0.92], "wd": [0.91, 0.926, 0.942],
    ...         "noise": [0.91, 0.90, 0.925], "mix": [0.895, 0.92, 0.918]}
    >>> trials = [T(variant=v, seed=s, status="done", metrics={"test_acc": a})
    ...           for v, accs in runs.items() for s, a in enumerate(accs)]
    >>> wd = summarize(trials, correction="none")[1]
    >>> wd.effect, round(wd.diff.p, 3)
    ('helps', 0.044)
    >>> wd = summarize(trials)[1]  # Holm
    >>> wd.effect, round(wd.p_adjusted, 3), wd.comparisons
    ('no clear effect', 0.131, 3)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from trainlab.core.errors import ConfigError
from trainlab.stats.multiplicity import CORRECTIONS, DEFAULT_CORRECTION, adjust_pvalues
from trainlab.stats.paired import (
    Interval,
    PairedDiff,
    _check_confidence,
    _number,
    mean_ci,
    paired_difference,
)
from trainlab.stats.power import DEFAULT_POWER, detectable_effect, planning_level
from trainlab.stats.ranking import ranks

EFFECTS = ("baseline", "helps", "hurts", "no clear effect", "diverges")
#: the trial status, and the learning-curve verdict, of a trial that diverged
DIVERGED = "diverged"

_NAN = math.nan


class TrialLike(Protocol):
    """What :func:`summarize` reads of a trial (a study store's ``TrialRecord``)."""

    variant: str
    seed: int
    status: str
    metrics: Mapping[str, Any] | None


@dataclass(frozen=True)
class VariantSummary:
    """One variant of a study, summarized over its finished seeds.

    A summary built by hand without ``correction`` is uncorrected
    (``"none"``): its ``p_adjusted`` is then its raw ``diff.p``, and its
    ``alpha`` is ``1 − confidence``.

    Attributes:
        variant: the variant's name.
        metric: the metric's name (a key of the trials' ``metrics``).
        value: the metric's mean and interval over the finished seeds.
        reference: the variant it is compared against (None for the baseline).
        diff: ``value − reference`` paired by seed (None for the baseline).
        gap: the generalization gap (``metrics["gap"]``: the training split's advantage in
            the task's primary metric, train − test accuracy or test − train RMSE).
        gap_diff: the gap's difference against the reference, paired by seed.
        seconds: training time (``metrics["seconds"]``).
        verdicts: how many seeds got each learning-curve verdict.
        failed: how many trials failed.
        rank: 1 for the best mean (ties share a rank); diverging variants after
            every variant that trained; None without results.
        effect: one of :data:`EFFECTS`.
        seeds: the seeds of the finished trials.
        confidence: the confidence level of every interval.
        p_adjusted: ``diff.p`` adjusted for the study's family of comparisons
            (NaN for a reference and for a variant outside the family).
        alpha: the level the adjusted p-value is compared with.
        correction: the name of the correction (a name of
            :data:`~trainlab.stats.multiplicity.CORRECTIONS`).
        detectable: the smallest ``|effect|`` found with 80 % power at level
            ``alpha / comparisons`` (``alpha`` uncorrected) from the observed
            paired spread and ``diff.n`` (NaN when undefined: a reference, a
            diverging variant, fewer than two pairs).
        diverged: how many seeds diverged.
        diverged_at: the epoch each diverged seed diverged at, sorted (those
            that recorded it).
        comparisons: ``m``, the size of the study's family of comparisons.
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
    p_adjusted: float = _NAN
    alpha: float = _NAN
    correction: str = "none"
    detectable: float = _NAN
    diverged: int = 0
    diverged_at: tuple[int, ...] = ()
    comparisons: int = 1

    def __post_init__(self) -> None:
        self._fill_defaults()
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
        self._check_divergence(where)
        self._check_p(where)
        if self.effect in ("helps", "hurts"):
            d = self.diff
            if d is None or not (math.isfinite(d.lo) and math.isfinite(d.hi)) or d.lo <= 0 <= d.hi:
                raise ValueError(
                    f"{where}: effect {self.effect!r} needs a difference whose interval "
                    "excludes 0; expected 'no clear effect'"
                )
            if not self.p_adjusted < self.alpha:
                raise ValueError(
                    f"{where}: effect {self.effect!r} needs an adjusted p-value below "
                    f"{self.alpha:g}, got {self.p_adjusted!r}; expected 'no clear effect'"
                )

    def _fill_defaults(self) -> None:
        """``alpha`` from the confidence, the correction's own name, an uncorrected p."""
        if math.isnan(self.alpha):
            object.__setattr__(self, "alpha", round(1.0 - self.confidence, 12))
        if not 0.0 < self.alpha < 1.0:
            raise ValueError(f"summary of {self.variant!r}: alpha {self.alpha!r} not in (0, 1)")
        object.__setattr__(self, "correction", CORRECTIONS.canonical(self.correction))
        uncorrected = self.correction == "none" and self.diff is not None and not self.diverged
        if uncorrected and self.reference is not None and math.isnan(self.p_adjusted):
            object.__setattr__(self, "p_adjusted", float(self.diff.p))

    def _check_divergence(self, where: str) -> None:
        if self.diverged < 0 or len(self.diverged_at) > self.diverged:
            raise ValueError(
                f"{where}: {self.diverged} diverged seeds with epochs {self.diverged_at}; "
                "expected at most one epoch per diverged seed"
            )
        if list(self.diverged_at) != sorted(self.diverged_at):
            raise ValueError(f"{where}: diverged_at {self.diverged_at} is not sorted")
        diverges = self.reference is not None and self.diverged > 0
        if diverges != (self.effect == "diverges"):
            raise ValueError(
                f"{where}: effect {self.effect!r} with {self.diverged} diverged seeds; "
                "a compared variant diverges exactly when a seed of it diverged"
            )

    def _check_p(self, where: str) -> None:
        p, raw = self.p_adjusted, (_NAN if self.diff is None else self.diff.p)
        if self.comparisons < 0:
            raise ValueError(f"{where}: comparisons {self.comparisons}; expected at least 0")
        if math.isnan(p):
            return
        if self.reference is None or self.diverged:
            raise ValueError(f"{where}: a reference or a diverging variant has no adjusted p")
        if not 0.0 <= p <= 1.0 or not (p >= raw - 1e-12):
            raise ValueError(
                f"{where}: adjusted p-value {p!r} for raw {raw!r}; expected a number in "
                "[0, 1] no smaller than the raw p-value"
            )
        if self.correction == "none" and p != raw:
            raise ValueError(f"{where}: uncorrected, yet p_adjusted {p!r} is not diff.p {raw!r}")

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
            "p_adjusted": self.p_adjusted,
            "alpha": self.alpha,
            "correction": self.correction,
            "detectable": self.detectable,
            "diverged": self.diverged,
            "diverged_at": list(self.diverged_at),
            "comparisons": self.comparisons,
        }


def effect_of(
    diff: PairedDiff,
    higher_is_better: bool,
    *,
    p_adjusted: float | None = None,
    alpha: float = 0.05,
) -> str:
    """The effect a paired difference shows: ``helps``, ``hurts`` or ``no clear effect``.

    ``helps`` when the interval excludes 0 on the good side (above 0 when
    higher is better), ``hurts`` on the bad side, else ``no clear effect``
    (an interval that includes 0, or none: fewer than two pairs). Given
    ``p_adjusted``, an effect also needs ``p_adjusted < alpha``.

    Example:
        >>> d = paired_difference([0.95, 0.96, 0.97], [0.90, 0.92, 0.94])
        >>> effect_of(d, higher_is_better=True), effect_of(d, higher_is_better=False)
        ('helps', 'hurts')
        >>> effect_of(d, True, p_adjusted=0.06, alpha=0.05)  # p = 0.02 before correction
        'no clear effect'
    """
    if p_adjusted is not None and not p_adjusted < alpha:
        return "no clear effect"
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
    correction: str = DEFAULT_CORRECTION,
    alpha: float | None = None,
) -> list[VariantSummary]:
    """Summarize every variant of a study and compare it with its reference.

    Only ``done`` trials count for the statistics; ``failed`` ones are
    counted; ``diverged`` ones (and done trials whose verdict is
    ``"diverged"``) count as diverged seeds. Differences are paired by seed,
    over the seeds both variants finished; a trial without the metric (or
    without ``gap`` / ``seconds``) is left out of that statistic only. The
    effects follow the module's rule, on p-values adjusted over the study's
    family. Ranks order the variants that trained by mean (1 = best; ties
    share a rank), then the diverging ones by mean (those without one last);
    a variant without results that did not diverge has no rank.

    Args:
        trials: the study's trials (``variant``, ``seed``, ``status``, ``metrics``).
        metric: the metric compared (a key of ``metrics``).
        baseline: the variant the others are compared with.
        higher_is_better: the metric's direction (False for a loss).
        confidence: the confidence of every interval, in (0, 1).
        variants_order: the order of the result; variants not listed follow in
            order of first appearance. Listed variants without trials are kept.
        against: per-variant reference when it is not ``baseline``
            (variant name → the variant it is compared with).
        correction: the family's p-value correction, a name of
            :data:`~trainlab.stats.multiplicity.CORRECTIONS` (``"holm"``,
            ``"bh"``, ``"bonferroni"``, ``"none"``).
        alpha: the level of the adjusted p-values, in (0, 1); ``1 − confidence``
            when None.

    Returns:
        One :class:`VariantSummary` per variant.

    Raises:
        ConfigError: ``baseline`` or a name in ``against`` is not a variant,
            ``correction`` is unknown, or ``confidence`` or ``alpha`` is not in (0, 1).

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
    level = _check_alpha(round(1.0 - c, 12) if alpha is None else alpha)
    method = CORRECTIONS.canonical(correction)
    trials = list(trials)
    names = _variant_names(trials, variants_order)
    refs = _references(names, baseline, dict(against or {}))
    rows = [_variant_fields(v, refs[v], trials, metric, c) for v in names]
    family = [r for r in rows if _in_family(r)]
    m = len(family)
    for r in rows:
        r.update(p_adjusted=_NAN, alpha=level, correction=method, comparisons=m)
    for r, p in zip(family, adjust_pvalues([r["diff"].p for r in family], method), strict=True):
        r["p_adjusted"] = float(p)
    strictest = planning_level(level, m, method)
    for r in rows:
        r["effect"] = _effect(r, higher_is_better)
        r["detectable"] = _detectable(r, strictest)
    _rank(rows, higher_is_better)
    return [VariantSummary(**r) for r in rows]


def _check_alpha(alpha: float) -> float:
    a = float(alpha)
    if not 0.0 < a < 1.0:
        raise ConfigError(f"alpha: expected a number in (0, 1), got {alpha!r}")
    return a


def _in_family(row: dict[str, Any]) -> bool:
    """Whether a variant's comparison is one of the study's family (see the module)."""
    diff = row["diff"]
    return diff is not None and row["diverged"] == 0 and not math.isnan(diff.p)


def _effect(row: dict[str, Any], higher_is_better: bool) -> str:
    if row["reference"] is None:
        return "baseline"  # the study's baseline, or a variant that is its own reference
    if row["diverged"]:
        return "diverges"
    return effect_of(
        row["diff"], higher_is_better, p_adjusted=row["p_adjusted"], alpha=row["alpha"]
    )


def _detectable(row: dict[str, Any], level: float) -> float:
    """The smallest effect found with 80 % power at ``level``; NaN outside comparisons."""
    diff = row["diff"]
    if diff is None or row["diverged"]:
        return _NAN
    return detectable_effect(diff.sd, diff.n, level, DEFAULT_POWER)


def _rank(rows: list[dict[str, Any]], higher_is_better: bool) -> None:
    """Set ``rank``: the variants that trained by mean, then the diverging ones."""
    means = [r["value"].mean for r in rows]
    diverged = [bool(r["diverged"]) for r in rows]
    new = ranks(means, diverged, higher_is_better=higher_is_better)
    for r, rank in zip(rows, new, strict=True):
        r["rank"] = rank


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


def _divergence(trials: list[TrialLike]) -> tuple[int, tuple[int, ...]]:
    """How many seeds of ``trials`` diverged, and the epochs they recorded, sorted."""
    epochs: dict[int, float] = {}
    for t in trials:
        metrics = t.metrics or {}
        if t.status == DIVERGED or (t.status == "done" and metrics.get("verdict") == DIVERGED):
            epochs[int(t.seed)] = _number(metrics.get("diverged_epoch"))
    return len(epochs), tuple(sorted(int(e) for e in epochs.values() if math.isfinite(e)))


def _variant_fields(
    v: str, ref: str | None, trials: list[TrialLike], metric: str, c: float
) -> dict[str, Any]:
    """The fields of variant ``v``'s :class:`VariantSummary` known from its own trials."""
    mine = [t for t in trials if t.variant == v]
    done = [t for t in mine if t.status == "done"]
    values = values_by_seed(done, metric)
    gaps = values_by_seed(done, "gap")
    diff = gap_diff = None
    if ref is not None:
        ref_done = [t for t in trials if t.variant == ref and t.status == "done"]
        diff = paired_by_seed(values, values_by_seed(ref_done, metric), c)
        gap_diff = paired_by_seed(gaps, values_by_seed(ref_done, "gap"), c)
    verdicts = Counter(
        str((t.metrics or {})["verdict"])
        for t in done
        if (t.metrics or {}).get("verdict") is not None
    )
    diverged, diverged_at = _divergence(mine)
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
        "failed": sum(1 for t in mine if t.status == "failed"),
        "seeds": tuple(sorted({int(t.seed) for t in done})),
        "confidence": c,
        "diverged": diverged,
        "diverged_at": diverged_at,
    }
