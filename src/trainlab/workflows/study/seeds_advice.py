"""How many seeds a study needs: the effect it can detect now, and the seeds for a stated one.

For each comparison of a stored study, the paired differences over seeds give
their standard deviation ``s_d``; a paired two-sided t-test with ``n`` seeds at
level ``α/m`` (the study's ``m`` comparisons, Bonferroni: Holm's strictest
step) detects an effect ``δ`` with power ``1 − β`` when the noncentral t
distribution with ``n − 1`` degrees of freedom and noncentrality
``δ√n / s_d`` exceeds the critical value that often (Cohen, 1988; see
:mod:`trainlab.stats.power`). :func:`seeds_advice` answers, per comparison,
"what could these seeds detect?" and "how many seeds would detect ``δ``?".

The spread is the one observed, with its own uncertainty: with 3 seeds the
sample standard deviation may be off by a factor of two, so read the seed
counts as an order of magnitude, and run a pilot first.

Example:
    >>> from types import SimpleNamespace as T
    >>> from trainlab.workflows.study.seeds_advice import seeds_advice
    >>> study = T(metric="test_acc", baseline="baseline", higher_is_better=True,
    ...           correction="holm", alpha=0.05, variants=[T(name="baseline"), T(name="l2")],
    ...           against=lambda v: None if v == "baseline" else "baseline")
    >>> trials = [T(variant=v, seed=s, status="done", metrics={"test_acc": a})
    ...           for v, s, a in [("baseline", 0, .90), ("baseline", 1, .91), ("baseline", 2, .92),
    ...                           ("l2", 0, .905), ("l2", 1, .92), ("l2", 2, .93)]]
    >>> [a] = seeds_advice(study, trials, effect=0.005)
    >>> a.variant, a.n, round(a.sd, 4), a.seeds_needed
    ('l2', 3, 0.0029, 5)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from trainlab.core.errors import ConfigError
from trainlab.core.words import count
from trainlab.stats.compare import TrialLike
from trainlab.stats.power import planning_level, seeds_needed
from trainlab.workflows.study.comparisons import summarize_study

if TYPE_CHECKING:
    from trainlab.workflows.study.spec import StudySpec

#: the power the advice is for (the usual 80 %: a real effect is missed one time in five)
POWER = 0.8


@dataclass(frozen=True)
class SeedsAdvice:
    """One comparison's seed advice.

    Attributes:
        variant: the compared variant.
        reference: the variant it is compared with.
        n: seeds both have finished.
        sd: the standard deviation of the paired differences (NaN with fewer than 2).
        level: the test's level, ``alpha / comparisons``.
        detectable: the smallest effect these ``n`` seeds detect with 80 % power.
        effect: the stated effect the advice is for (metric units).
        seeds_needed: seeds that detect ``effect`` with 80 % power (None: out of reach,
            or the spread is unknown).
    """

    variant: str
    reference: str
    n: int
    sd: float
    level: float
    detectable: float
    effect: float
    seeds_needed: int | None


def seeds_advice(
    study: StudySpec, trials: Iterable[TrialLike], *, effect: float
) -> list[SeedsAdvice]:
    """Per comparison of ``study``: the detectable effect now and the seeds for ``effect``.

    The spread, the family's size and the detectable effect are the study's own
    summaries' (:func:`~trainlab.workflows.study.results.summarize_study`: the
    study's correction and alpha), so the advice and the report agree.

    Args:
        study: the study (its variants, references, metric, correction and alpha).
        trials: the study's stored trials (only ``done`` ones count).
        effect: the effect to detect, in the metric's own units (0.005 = half a
            point of accuracy; 2.0 = two target units of RMSE); its sign does not matter.

    Raises:
        ConfigError: ``effect`` is zero or not finite.
    """
    if not (math.isfinite(effect) and effect != 0):
        raise ConfigError(f"--seeds-for {effect!r}: expected a non-zero effect")
    out = []
    for s in summarize_study(study, list(trials)):
        if s.reference is None or s.diff is None:
            continue
        d = s.diff
        level = planning_level(s.alpha, s.comparisons, s.correction)
        needed = seeds_needed(abs(effect), d.sd, level, POWER) if math.isfinite(d.sd) else None
        out.append(
            SeedsAdvice(s.variant, s.reference, d.n, d.sd, level, s.detectable, abs(effect), needed)
        )
    return out


def format_advice(rows: Sequence[SeedsAdvice], *, percent: bool, stated: str) -> str:
    """The advice as a plain-text table; ``percent``: values shown in points (an accuracy or
    R²), else in the metric's own units."""
    scale, unit = (100.0, " pt") if percent else (1.0, "")

    def num(x: float) -> str:
        return "—" if not math.isfinite(x) else f"{x * scale:.3g}{unit}"

    head = ["variant", "vs", "n", "sd of Δ", "detectable now", f"seeds for {stated}"]
    body = [
        [
            r.variant,
            r.reference,
            str(r.n),
            num(r.sd),
            num(r.detectable),
            "—" if r.seeds_needed is None else str(r.seeds_needed),
        ]
        for r in rows
    ]
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]
    lines = [
        "  ".join(x.ljust(w) for x, w in zip(row, widths, strict=True)).rstrip()
        for row in [head, *body]
    ]
    level = rows[0].level if rows else float("nan")
    m = count(len(rows), "comparison")
    lines.append(
        f"\n80% power, paired t-test at level {level:.3g} (alpha / {m}); "
        "the spread is the one observed: treat the counts as an order of magnitude."
    )
    return "\n".join(lines)
