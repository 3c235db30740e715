"""Compare two study folders: the same variants side by side, with differences and intervals.

Two runs of one study (two machines, two code versions, two budgets) are
compared variant by variant on the metric both use: each side's mean and
Student interval over its finished seeds, and ``B − A`` — paired by seed over
the seeds both finished (see :mod:`~trainlab.workflows.compare.differences`),
Welch's unpaired interval when they share fewer than two. The p-values of
the compared variants form one family, adjusted by
:func:`trainlab.stats.multiplicity.adjust_pvalues` (Holm, 1979, step-down by
default, which bounds the family-wise error rate at α without assuming
independence); a variant's verdict is "B higher" or "B lower" when its
adjusted p-value is below ``α = 1 − confidence`` and its interval excludes 0,
else "no clear difference" — "not compared" without an interval (fewer than two
values on a side). When every difference is 0 the interval is ``[0, 0]`` and
the test undefined: "no clear difference", outside the family.

Example:
    >>> from trainlab.workflows.compare.studies import verdict
    >>> from trainlab.report.compare_results import Difference
    >>> d = Difference(mean=0.02, lo=0.01, hi=0.03, p=0.004, method="paired", test="t", n=5)
    >>> verdict(d, p_adjusted=0.012, alpha=0.05), verdict(d, p_adjusted=0.08, alpha=0.05)
    ('B higher', 'no clear difference')
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from trainlab.core.errors import ConfigError
from trainlab.report.compare_results import (
    Difference,
    StudyComparison,
    StudyFacts,
    VariantComparison,
)
from trainlab.report.definition import direction
from trainlab.stats.compare import mean_ci, values_by_seed
from trainlab.workflows.compare.changes import run_changes, trial_settings
from trainlab.workflows.compare.differences import difference
from trainlab.workflows.compare.stored import StoredStudy

#: the default multiple-comparison correction (see :mod:`trainlab.stats.multiplicity`)
DEFAULT_CORRECTION = "holm"


def verdict(diff: Difference, p_adjusted: float, alpha: float) -> str:
    """The verdict of one variant from its difference and adjusted p-value."""
    if not (math.isfinite(diff.lo) and math.isfinite(diff.hi)):
        return "not compared"
    if math.isfinite(p_adjusted) and p_adjusted < alpha and diff.excludes_zero:
        return "B higher" if diff.mean > 0 else "B lower"
    return "no clear difference"


def finished_values(study: StoredStudy, variant: str) -> dict[int, float]:
    """seed → the metric's finite value, over the variant's finished planned trials."""
    done = [t for t in study.planned(variant) if t.status == "done"]
    values = values_by_seed(done, study.definition.metric)
    return {s: v for s, v in sorted(values.items()) if math.isfinite(v)}


def _other(study: StoredStudy, variant: str) -> dict[str, int]:
    """The variant's planned trials that did not finish, by status."""
    out: dict[str, int] = {}
    for t in study.planned(variant):
        if t.status != "done":
            out[t.status] = out.get(t.status, 0) + 1
    return out


def _check_same_metric(a: StoredStudy, b: StoredStudy) -> None:
    da, db = a.definition, b.definition
    for side in (a, b):
        if side.definition.metric is None or side.definition.higher_is_better is None:
            raise ConfigError(
                f"{side.folder}: the stored study definition names no metric; expected one "
                "written by trainlab study (run the study to choose its task's metric)"
            )
    if da.metric != db.metric:
        raise ConfigError(
            f"the studies compare different metrics: {a.folder} uses {da.metric}, "
            f"{b.folder} uses {db.metric}; expected the same metric"
        )
    if da.higher_is_better != db.higher_is_better:
        raise ConfigError(
            f"the studies read {da.metric} in opposite directions: {a.folder} says "
            f"{direction(da.higher_is_better)}, {b.folder} {direction(db.higher_is_better)}; "
            "expected the same higher_is_better"
        )


def facts(study: StoredStudy) -> StudyFacts:
    """One side's facts: folder, name, store version, trial counts, last run, settings."""
    return StudyFacts(
        folder=str(study.folder),
        name=study.definition.name,
        schema_version=study.schema_version,
        counts=dict(study.status_counts()),
        last_run=study.last_run,
        settings=trial_settings(study),
    )


def compare_studies(
    a: StoredStudy,
    b: StoredStudy,
    *,
    confidence: float = 0.95,
    correction: str = DEFAULT_CORRECTION,
) -> StudyComparison:
    """Compare study B with study A, variant by variant (see the module docstring).

    Args:
        a, b: the two studies, as :func:`~trainlab.workflows.compare.stored.read_study`
            reads them.
        confidence: the level of every interval, in (0, 1); the adjusted p-values are
            tested at ``1 − confidence``.
        correction: a name of :data:`trainlab.stats.multiplicity.CORRECTIONS`.

    Raises:
        ConfigError: the studies use different metrics (or directions), or an unknown
            correction or confidence.
    """
    from trainlab.stats.multiplicity import CORRECTIONS, adjust_pvalues

    if not 0.0 < float(confidence) < 1.0:
        raise ConfigError(f"confidence: expected a number in (0, 1), got {confidence!r}")
    correction = CORRECTIONS.canonical(correction)
    _check_same_metric(a, b)
    names_b = set(b.definition.variant_names)
    shared = [v for v in a.definition.variant_names if v in names_b]
    values = {v: (finished_values(a, v), finished_values(b, v)) for v in shared}
    diffs = {v: difference(*values[v], confidence) for v in shared}
    adjusted = adjust_pvalues([diffs[v].p for v in shared], correction) if shared else []
    alpha = 1.0 - float(confidence)
    rows = tuple(
        _row(v, values[v], diffs[v], float(p), alpha, confidence, _other(a, v), _other(b, v))
        for v, p in zip(shared, adjusted, strict=True)
    )
    return StudyComparison(
        a=facts(a),
        b=facts(b),
        metric=a.definition.metric,
        higher_is_better=a.definition.higher_is_better,
        confidence=float(confidence),
        alpha=alpha,
        correction=correction,
        rows=rows,
        only_a=tuple(v for v in a.definition.variant_names if v not in set(shared)),
        only_b=tuple(v for v in b.definition.variant_names if v not in set(shared)),
        differences=run_changes(a, b, shared),
    )


def _row(
    variant: str,
    values: tuple[Mapping[int, float], Mapping[int, float]],
    diff: Difference,
    p_adjusted: float,
    alpha: float,
    confidence: float,
    a_other: dict[str, int],
    b_other: dict[str, int],
) -> VariantComparison:
    va, vb = values
    return VariantComparison(
        variant=variant,
        a=mean_ci(list(va.values()), confidence),
        b=mean_ci(list(vb.values()), confidence),
        a_seeds=tuple(va),
        b_seeds=tuple(vb),
        diff=diff,
        p_adjusted=p_adjusted,
        verdict=verdict(diff, p_adjusted, alpha),
        a_other=a_other,
        b_other=b_other,
    )
