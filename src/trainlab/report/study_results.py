"""What a study report reads: the study, its variants, their statistics and trials, typed.

The study runner (:mod:`trainlab.workflows.study.runner`) builds a
:class:`StudyResults` from the study's spec and store and hands it to
:func:`trainlab.report.study.write_study_report`; nothing in the report reads
the store's JSON or guesses a field's name. The statistics are the
:class:`~trainlab.stats.compare.VariantSummary` of
:func:`~trainlab.stats.compare.summarize`: each variant's interval, its paired
difference from its reference with the p-value, the gap and the training time,
and the effect, decided once there from the interval and the study's stated
direction (``higher_is_better``), and the task's primary metric the gap is
measured in (``gap_metric``). The constructor checks that the pieces agree
(one summary per variant, in order, each compared with the reference the spec
names), so a page never contradicts its own table.

Example:
    >>> from trainlab.report.study_results import StudyResults, StudyVariant
    >>> from trainlab.stats.compare import summarize
    >>> from types import SimpleNamespace as T
    >>> trials = [T(variant=v, seed=s, status="done", metrics={"test_acc": 0.9 + s / 100})
    ...           for v in ("baseline", "l2") for s in (0, 1)]
    >>> study = StudyResults(
    ...     name="demo", title="Study: demo", base="wine-mlp", dataset="wine",
    ...     metric="test_acc", higher_is_better=True, baseline="baseline", seeds=(0, 1),
    ...     variants=(StudyVariant("baseline"), StudyVariant("l2", {"regularization.l2": 0.01},
    ...                                                    reference="baseline")),
    ...     summaries=tuple(summarize(trials)))
    >>> [(v.name, v.reference) for v in study.variants], study.summary("l2").effect
    ([('baseline', None), ('l2', 'baseline')], 'no clear effect')
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from trainlab.engine.diagnose.curves import Diagnosis
from trainlab.report.format import metric_scale
from trainlab.report.study_units import display_scale, in_points
from trainlab.stats.compare import VariantSummary, effect_of

#: a trial's states, as the study store keeps them ("diverged": a measured outcome, not an error)
STATUSES = ("pending", "running", "done", "diverged", "failed")


@dataclass(frozen=True)
class StudyVariant:
    """One arm of the study as its spec defines it.

    Attributes:
        name: the variant's name.
        overrides: the recipe overrides it applies to the base recipe ({} for the base itself).
        reference: the variant it is compared against; None for a reference
            (the baseline, or a variant compared against itself).
        description: the spec's words for it, or "".
    """

    name: str
    overrides: Mapping[str, Any] = field(default_factory=dict)
    reference: str | None = None
    description: str = ""


@dataclass(frozen=True)
class LayerStats:
    """One layer's activation and gradient statistics on the probe batch (NaN: not recorded)."""

    name: str
    act_std: float = math.nan
    saturated: float = math.nan
    dead: float = math.nan
    grad_norm: float = math.nan


@dataclass(frozen=True)
class ProbeRecord:
    """The layers' statistics at one epoch (0: at initialization, before any step)."""

    epoch: int
    layers: tuple[LayerStats, ...] = ()


@dataclass(frozen=True)
class TrialProbes:
    """A trial's layer probes: the records, first to last, and the findings in words."""

    records: tuple[ProbeRecord, ...] = ()
    findings: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrialResult:
    """One (variant, seed) trial as the report shows it.

    Attributes:
        variant: the variant's name.
        seed: the seed.
        status: one of :data:`STATUSES`: ``"diverged"`` is a result (the loss
            became non-finite), ``"failed"`` an error (a bug or bad input).
        value: the study's metric on this trial (NaN: not finished or not recorded).
        train_acc: the final training accuracy (NaN: not recorded); tells the
            unit of the accuracies, so of the gap.
        history: one row per epoch (``epoch``, ``val_loss``, ``val_acc``, …).
        diagnosis: the learning-curve verdict, or None.
        probes: the layer probes, or None when the study did not probe.
        error: why the trial failed ("" unless it did; its first line says it).
    """

    variant: str
    seed: int
    status: str
    value: float = math.nan
    train_acc: float = math.nan
    history: tuple[Mapping[str, Any], ...] = ()
    diagnosis: Diagnosis | None = None
    probes: TrialProbes | None = None
    error: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(
                f"trial {self.variant!r} seed {self.seed}: status {self.status!r}; "
                f"expected one of {', '.join(STATUSES)}"
            )

    @property
    def done(self) -> bool:
        """Whether the trial finished."""
        return self.status == "done"


@dataclass(frozen=True)
class LastRun:
    """The last invocation of the study that trained trials, as the store recorded it."""

    wall_seconds: float
    trials: int
    workers: int
    executor: str


@dataclass(frozen=True)
class RunFacts:
    """Where and with what the report was made, for the headline and the footer.

    Attributes:
        trainlab: trainlab's version.
        machine: the machine in words ("x86_64, 16 CPUs, Python 3.11.7"), or "".
        workers: trials run at once by this invocation (None: unknown).
        executor: the executor of this invocation, or "".
        last_run: the last invocation that trained trials (None: none did).
    """

    trainlab: str = ""
    machine: str = ""
    workers: int | None = None
    executor: str = ""
    last_run: LastRun | None = None


@dataclass(frozen=True)
class LookFacts:
    """One look of an adaptive study: what was decided once this many seeds had finished.

    Attributes:
        seeds: the seeds per variant at this look.
        level: the α this look was tested at (its share of the spent α).
        settled: the variants whose verdict was settled at this look.
        open: how many variants were still open after it.
    """

    seeds: int
    level: float
    settled: tuple[str, ...] = ()
    open: int = 0

    def __post_init__(self) -> None:
        if self.seeds < 1 or not 0.0 <= self.level < 1.0 or self.open < 0:
            raise ValueError(
                f"look at {self.seeds} seeds: level {self.level!r}, {self.open} open; expected "
                "at least 1 seed, a level in [0, 1) and a count of open variants ≥ 0"
            )


@dataclass(frozen=True)
class SequentialLooks:
    """How an adaptive study added seeds: its looks and the α spent at each.

    The seeds are added until each comparison is clear or ``max_seeds`` is
    reached; look ``k`` is tested at the increment of the spending function
    (Lan & DeMets, 1983; :mod:`trainlab.stats.sequential`), so the chance of a
    false effect over all looks stays within ``alpha``.

    Attributes:
        spending: the spending function's name (``"obrien-fleming"``, ``"pocock"``).
        alpha: the level of the whole sequence of looks.
        max_seeds: the most seeds per variant the study may run.
        looks: the looks, first to last.

    Example:
        >>> looks = SequentialLooks("obrien-fleming", 0.05, 5,
        ...     (LookFacts(3, 0.0001, (), 2), LookFacts(4, 0.002, ("l2",), 1)))
        >>> [k.seeds for k in looks.looks], looks.settled_at("l2")
        ([3, 4], 4)
    """

    spending: str
    alpha: float
    max_seeds: int
    looks: tuple[LookFacts, ...] = ()

    def __post_init__(self) -> None:
        seeds = [k.seeds for k in self.looks]
        if seeds != sorted(set(seeds)) or (seeds and seeds[-1] > self.max_seeds):
            raise ValueError(
                f"looks at {seeds} seeds: expected increasing numbers of seeds up to "
                f"max_seeds {self.max_seeds}"
            )
        if not 0.0 < self.alpha < 1.0:
            raise ValueError(f"sequential alpha {self.alpha!r}: expected a number in (0, 1)")

    def settled_at(self, variant: str) -> int | None:
        """The seeds at the look that settled ``variant``; None when none did."""
        return next((k.seeds for k in self.looks if variant in k.settled), None)


@dataclass(frozen=True)
class StudyResults:
    """Everything a study report shows: the study as defined, its statistics, its trials.

    Attributes:
        name: the study's name.
        title: the page's title.
        base: the base recipe as the spec names it (a built-in name or a file), or "".
        dataset: the base recipe's data set, or "".
        metric: the compared metric's key (``"test_acc"``, ``"test_rmse"``).
        higher_is_better: the direction the spec states (or the metric has) for ``metric``.
        baseline: the study's baseline variant.
        seeds: the study's seeds.
        variants: the variants, in display order.
        summaries: one per variant, in the same order.
        trials: every trial of the study.
        definition: the study as written, shown as YAML at the end of the page.
        run: where and how it ran.
        sequential: the looks of an adaptive study (None: the seeds were fixed).
        gap_metric: the task's primary metric, in which the generalization gap is
            measured (``"acc"``: train − test accuracy; ``"rmse"``: test − train RMSE).

    Raises:
        ValueError: the summaries do not match the variants one to one, a
            summary is compared with another reference than its variant's, of
            another metric, or claims an effect its interval and the study's
            direction do not give; or a trial is of no variant of the study.
    """

    name: str
    title: str
    base: str
    dataset: str
    metric: str
    higher_is_better: bool
    baseline: str
    seeds: tuple[int, ...]
    variants: tuple[StudyVariant, ...]
    summaries: tuple[VariantSummary, ...]
    trials: tuple[TrialResult, ...] = ()
    definition: Mapping[str, Any] = field(default_factory=dict)
    run: RunFacts = field(default_factory=RunFacts)
    sequential: SequentialLooks | None = None
    gap_metric: str = "acc"

    def __post_init__(self) -> None:
        names = [v.name for v in self.variants]
        if self.baseline not in names:
            raise ValueError(f"baseline {self.baseline!r} is not a variant: {', '.join(names)}")
        got = [s.variant for s in self.summaries]
        if got != names:
            raise ValueError(f"summaries {got} do not match the variants {names} one to one")
        for v, s in zip(self.variants, self.summaries, strict=True):
            self._check(v, s)
        if self.variant(self.baseline).reference is not None:
            raise ValueError(f"baseline {self.baseline!r} is compared with another variant")
        strangers = sorted({t.variant for t in self.trials} - set(names))
        if strangers:
            raise ValueError(f"trials of {strangers[0]!r}, which is not a variant of the study")
        settled = {v for k in (self.sequential.looks if self.sequential else ()) for v in k.settled}
        if settled - set(names):
            raise ValueError(f"looks settle {sorted(settled - set(names))}, not variants")

    def _check(self, v: StudyVariant, s: VariantSummary) -> None:
        if v.reference is not None and v.reference not in {x.name for x in self.variants}:
            raise ValueError(f"{v.name}: compared with {v.reference!r}, which is not a variant")
        if s.reference != v.reference:
            raise ValueError(
                f"{v.name}: its summary is compared with {s.reference!r}, "
                f"the spec says {v.reference!r}"
            )
        if s.metric != self.metric:
            raise ValueError(f"{v.name}: summary of {s.metric!r}, expected {self.metric!r}")
        if s.effect in ("helps", "hurts") and s.diff is not None:
            said = effect_of(s.diff, self.higher_is_better)
            if said != s.effect:
                raise ValueError(
                    f"{v.name}: effect {s.effect!r}, but its interval says {said!r} "
                    f"for higher_is_better={self.higher_is_better}"
                )

    @property
    def multi(self) -> bool:
        """Whether the study holds several comparisons (variants against different references)."""
        return len(comparison_groups(self.summaries)) > 1

    def variant(self, name: str) -> StudyVariant:
        """The variant called ``name``."""
        return next(v for v in self.variants if v.name == name)

    def summary(self, name: str) -> VariantSummary:
        """The summary of the variant called ``name``."""
        return next(s for s in self.summaries if s.variant == name)


def seed_points(trials: Sequence[TrialResult]) -> dict[str, list[float]]:
    """Each variant's per-seed values of the study's metric, from its finished trials.

    Example:
        >>> seed_points([TrialResult("a", 0, "done", value=0.9), TrialResult("a", 1, "failed")])
        {'a': [0.9]}
    """
    out: dict[str, list[float]] = {}
    for t in trials:
        if t.done and math.isfinite(t.value):
            out.setdefault(t.variant, []).append(t.value)
    return out


def gap_scale(study: StudyResults) -> float:
    """100 when the gaps are of accuracies stored as fractions (or of R²), else 1 (a gap in
    RMSE is in the target's units)."""
    if not in_points("gap", study.gap_metric):
        return 1.0
    values = [t.train_acc for t in study.trials if math.isfinite(t.train_acc)]
    if values and study.gap_metric == "acc":
        return metric_scale("train_acc", values)
    return display_scale("gap", [s.gap.mean for s in study.summaries], study.gap_metric)


def references(summaries: Sequence[VariantSummary]) -> dict[str, str | None]:
    """Variant → the variant it is compared against (None for a reference itself).

    Example:
        >>> from trainlab.stats.compare import summarize
        >>> from types import SimpleNamespace as T
        >>> rows = summarize([T(variant=v, seed=0, status="done", metrics={"test_acc": 0.9})
        ...                   for v in ("baseline", "he")])
        >>> references(rows)
        {'baseline': None, 'he': 'baseline'}
    """
    return {s.variant: s.reference for s in summaries}


def comparison_groups(summaries: Sequence[VariantSummary]) -> list[tuple[str, list[str]]]:
    """The comparisons of a study: (reference, its variants), in the order they first appear.

    Each list starts with the reference itself when it is among ``summaries``.

    Example:
        >>> from trainlab.stats.compare import summarize
        >>> from types import SimpleNamespace as T
        >>> rows = summarize([T(variant=v, seed=0, status="done", metrics={"test_acc": 0.9})
        ...                   for v in ("base", "dropout", "glorot", "he")],
        ...                  baseline="base", against={"glorot": "glorot", "he": "glorot"})
        >>> comparison_groups(rows)
        [('base', ['base', 'dropout']), ('glorot', ['glorot', 'he'])]
    """
    out: dict[str, list[str]] = {}
    for name, ref in references(summaries).items():
        members = out.setdefault(name if ref is None else ref, [])
        if ref is None:
            members.insert(0, name)
        else:
            members.append(name)
    return list(out.items())
