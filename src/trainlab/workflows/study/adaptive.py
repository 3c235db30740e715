"""Adaptive seeding: add seeds until every comparison is clear, with alpha spending.

A study with few seeds detects only large effects; running every variant with
many seeds wastes the time of the comparisons that are already clear. The
adaptive mode runs the study's seeds, looks at the results, and adds seeds
(``step`` at a time, up to ``max_seeds``) only to the comparisons that are not
yet clear, and to their references.

Looking again and again inflates the error rate, so each look spends part of
the study's ``alpha`` (Lan & DeMets, 1983): look ``k``, with ``n_k`` of the
``max_seeds`` seeds, tests at the increment ``α(t_k) − α(t_{k−1})`` of a
spending function at the information fraction ``t_k = n_k / max_seeds``
(O'Brien–Fleming type by default: very strict early, close to ``α`` at the
end; Pocock type as an option). Within a look, the open comparisons are
corrected together (Holm by default). By the union bound over looks and
comparisons the family-wise error rate stays at most ``α``: conservative,
and valid whatever the correlation between looks
(:mod:`trainlab.stats.sequential`).

A comparison is **settled** at the first look where it is clear (helps or
hurts after the correction) or where its variant diverges; its verdict and
numbers are those of that look. Comparisons still open at the last look have
no clear effect at that look's level.

The looks are replayed from the stored trials every time, so a resumed or
re-reported study takes the same decisions as an uninterrupted one.

Example:
    >>> from trainlab.workflows.study.adaptive import AdaptivePlan, look_seeds
    >>> plan = AdaptivePlan(max_seeds=6, step=1)
    >>> [list(s) for s in look_seeds([0, 1, 2], plan)]
    [[0, 1, 2], [0, 1, 2, 3], [0, 1, 2, 3, 4], [0, 1, 2, 3, 4, 5]]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from trainlab.core.errors import ConfigError
from trainlab.core.words import count
from trainlab.stats.compare import TrialLike, VariantSummary
from trainlab.stats.multiplicity import CORRECTIONS
from trainlab.stats.ranking import ranked
from trainlab.stats.sequential import SPENDING, look_levels
from trainlab.workflows.study.comparisons import references, summarize_study

#: statuses of a trial that has its outcome (it is not run again)
FINISHED = ("done", "failed", "diverged")
#: the effects that settle a comparison at a look
SETTLING = ("helps", "hurts", "diverges")


@dataclass(frozen=True)
class AdaptivePlan:
    """How an adaptive study adds seeds.

    Attributes:
        max_seeds: the most seeds any variant gets (the study's own seeds included).
        step: seeds added to the open comparisons at each look.
        spending: the alpha-spending function, a name of
            :data:`~trainlab.stats.sequential.SPENDING`.
        alpha: the family-wise error rate the whole study keeps.
        correction: the correction within a look, a name of
            :data:`~trainlab.stats.multiplicity.CORRECTIONS`.
    """

    max_seeds: int = 10
    step: int = 1
    spending: str = "obrien-fleming"
    alpha: float = 0.05
    correction: str = "holm"

    def __post_init__(self) -> None:
        if self.max_seeds < 2:
            raise ConfigError(f"adaptive: max_seeds {self.max_seeds}: expected at least 2")
        if self.step < 1:
            raise ConfigError(f"adaptive: step {self.step}: expected at least 1")
        if not 0.0 < self.alpha < 1.0:
            raise ConfigError(f"adaptive: alpha {self.alpha}: expected a number in (0, 1)")
        object.__setattr__(self, "spending", SPENDING.canonical(self.spending))
        object.__setattr__(self, "correction", CORRECTIONS.canonical(self.correction))

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain data (kept in the study's store)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AdaptivePlan:
        """The plan :meth:`to_dict` wrote."""
        return cls(**dict(data))


@dataclass(frozen=True)
class Look:
    """One look at the results: its seeds, its level, and what it settled."""

    seeds: tuple[int, ...]
    level: float
    #: variant → its effect, for the comparisons settled at this look
    settled: dict[str, str]
    #: the comparisons still open after this look
    open: tuple[str, ...]


@dataclass(frozen=True)
class AdaptiveOutcome:
    """Where an adaptive study stands: the looks so far, and what it still has to run."""

    plan: AdaptivePlan
    looks: tuple[Look, ...]
    #: (variant, seed) pairs the next look needs and the store has not finished
    needed: tuple[tuple[str, int], ...]
    #: one summary per variant: a comparison's from the look that settled it (or the last)
    summaries: tuple[VariantSummary, ...]

    @property
    def finished(self) -> bool:
        """Nothing left to run: every comparison settled, or the last look taken."""
        return not self.needed


class StudyLike:
    """What adaptive seeding reads of a study (a
    :class:`~trainlab.workflows.study.spec.StudySpec`)."""

    seeds: list[int]
    baseline: str
    metric: str
    higher_is_better: bool
    variants: Sequence[Any]

    def against(self, name: str) -> str | None: ...


def look_seeds(seeds: Sequence[int], plan: AdaptivePlan) -> list[tuple[int, ...]]:
    """The seeds of every possible look: the study's, then ``step`` more each time.

    Added seeds are the smallest integers the study does not use yet.
    """
    first = list(dict.fromkeys(int(s) for s in seeds))
    if len(first) > plan.max_seeds:
        raise ConfigError(
            f"adaptive: the study has {len(first)} seeds, more than max_seeds {plan.max_seeds}"
        )
    if len(first) < 2:
        raise ConfigError("adaptive: the study needs at least 2 seeds to start from")
    extra: list[int] = []
    candidate = 0
    while len(first) + len(extra) < plan.max_seeds:
        if candidate not in first:
            extra.append(candidate)
        candidate += 1
    looks = [tuple(first)]
    for k in range(plan.step, len(extra) + plan.step, plan.step):
        looks.append(tuple(first + extra[:k]))
    return looks


def _summarize(
    study: StudyLike, trials: Sequence[TrialLike], plan: AdaptivePlan, alpha: float
) -> list[VariantSummary]:
    return summarize_study(study, trials, correction=plan.correction, alpha=alpha)


def replay(study: StudyLike, plan: AdaptivePlan, trials: Iterable[TrialLike]) -> AdaptiveOutcome:
    """Replay the looks on the stored ``trials``; stop at the first look not yet run.

    Args:
        study: the study (its seeds, variants, references, metric).
        plan: how seeds are added.
        trials: every stored trial of the study.

    Returns:
        The :class:`AdaptiveOutcome`: the looks taken, the trials the next look
        needs (empty when the study is finished), and the summaries.
    """
    trials = list(trials)
    finished = {(t.variant, int(t.seed)) for t in trials if t.status in FINISHED}
    refs = references(study)
    seeds_of_looks = look_seeds(study.seeds, plan)
    levels = look_levels(
        [len(s) / plan.max_seeds for s in seeds_of_looks], plan.alpha, plan.spending
    )
    open_ = list(refs)
    decided: dict[str, VariantSummary] = {}
    looks: list[Look] = []
    last: list[VariantSummary] = []
    for seeds, level in zip(seeds_of_looks, levels, strict=True):
        arms = set(open_) | {refs[v] for v in open_}
        needed = tuple(
            (v.name, s)
            for s in seeds
            for v in study.variants
            if v.name in arms and (v.name, s) not in finished
        )
        if needed:
            return _outcome(study, plan, looks, needed, decided, last, trials)
        shown = [t for t in trials if t.variant in arms and int(t.seed) in seeds]
        last = _summarize(study, shown, plan, level)
        settled = {s.variant: s.effect for s in last if s.variant in open_ and _settles(s)}
        for s in last:
            if s.variant in settled:
                decided[s.variant] = s
        open_ = [v for v in open_ if v not in settled]
        looks.append(Look(tuple(seeds), level, settled, tuple(open_)))
        if not open_:
            break
    return _outcome(study, plan, looks, (), decided, last, trials)


def _settles(s: VariantSummary) -> bool:
    """Clear, diverging, or without any finished trial (every one failed: more seeds would too)."""
    return s.effect in SETTLING or (s.value.n == 0 and s.failed > 0)


def _outcome(
    study: StudyLike,
    plan: AdaptivePlan,
    looks: list[Look],
    needed: tuple[tuple[str, int], ...],
    decided: dict[str, VariantSummary],
    last: list[VariantSummary],
    trials: list[TrialLike],
) -> AdaptiveOutcome:
    """The summaries: settled comparisons as settled, open ones as at the last look,
    references over all their seeds; ranked together."""
    overall = {s.variant: s for s in _summarize(study, trials, plan, plan.alpha)}
    at_last = {s.variant: s for s in last}
    rows = []
    for v in study.variants:
        row = decided.get(v.name) or (at_last.get(v.name) if looks else None)
        if row is None or row.reference is None:
            row = overall[v.name]
        rows.append(row)
    return AdaptiveOutcome(plan, tuple(looks), needed, tuple(ranked(rows, study.higher_is_better)))


def look_line(look: Look, number: int) -> str:
    """One line on a look: its seeds, its level, what it settled and what stays open.

    Example:
        >>> print(look_line(Look((0, 1, 2, 3), 0.0061, {"l2": "helps"}, ("dropout",)), 2))
        look 2: 4 seeds, level 0.0061: l2 helps; 1 comparison open
    """
    settled = ", ".join(f"{v} {e}" for v, e in look.settled.items()) or "nothing settled"
    n = len(look.open)
    still = f"{count(n, 'comparison')} open" if n else "every comparison settled"
    return f"look {number}: {len(look.seeds)} seeds, level {look.level:.2g}: {settled}; {still}"
