"""The typed results of ``trainlab compare A B``: two study folders, variant by variant.

For each variant both studies have: A's mean and interval, B's, and the
difference ``B − A`` with its interval and p-value, paired by seed over the
seeds both ran (same seed: same split, same initialization) or, when they
share fewer than two, Welch's unpaired interval; the p-values adjusted across
the variants compared (Holm's step-down by default) and a verdict from the
adjusted one. Then what the two definitions do not share.

Example:
    >>> from trainlab.report.compare_results import Difference
    >>> d = Difference(mean=0.01, lo=0.002, hi=0.018, p=0.03, method="paired", test="t", n=3)
    >>> d.excludes_zero, d.method
    (True, 'paired')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from trainlab.stats.compare import Interval

#: how ``B − A`` was computed: paired by seed, Welch's unpaired interval, or not at all
METHODS = ("paired", "welch", "none")
#: the tests behind a difference's p-value (``""``: none)
TESTS = ("t", "wilcoxon", "welch", "")
#: a variant's verdict: B's mean is clearly higher or lower, the data show no clear
#: difference (not "the same"), or there is too little to compare
VERDICTS = ("B higher", "B lower", "no clear difference", "not compared")


@dataclass(frozen=True)
class Difference:
    """``B − A``: mean, interval and two-sided p-value, and how they were computed.

    Attributes:
        method: one of :data:`METHODS`.
        test: ``"t"`` or ``"wilcoxon"`` (paired), ``"welch"``, or ``""`` (none).
        n: the pairs (paired), or A's values plus B's values (Welch).
    """

    mean: float
    lo: float
    hi: float
    p: float
    method: str
    test: str
    n: int

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method {self.method!r}: expected one of {', '.join(METHODS)}")
        if self.test not in TESTS:
            raise ValueError(f"test {self.test!r}: expected one of {TESTS}")

    @property
    def excludes_zero(self) -> bool:
        """Whether the interval is defined and leaves 0 out."""
        return math.isfinite(self.lo) and math.isfinite(self.hi) and (self.lo > 0 or self.hi < 0)


@dataclass(frozen=True)
class VariantComparison:
    """One variant in both studies.

    Attributes:
        variant: its name.
        a, b: the metric's mean and interval over each study's finished seeds.
        a_seeds, b_seeds: the seeds with a finite value of the metric, in each study.
        diff: ``B − A``.
        p_adjusted: ``diff.p`` adjusted across the compared variants (NaN: not compared).
        verdict: one of :data:`VERDICTS`.
        a_other, b_other: how many planned trials of the variant did not finish, by
            status (``failed``, ``diverged``, ``pending``, …).
    """

    variant: str
    a: Interval
    b: Interval
    a_seeds: tuple[int, ...]
    b_seeds: tuple[int, ...]
    diff: Difference
    p_adjusted: float
    verdict: str
    a_other: Mapping[str, int] = field(default_factory=dict)
    b_other: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict {self.verdict!r}: expected one of {VERDICTS}")
        clear = self.verdict in ("B higher", "B lower")
        if clear and not self.diff.excludes_zero:
            raise ValueError(f"{self.variant}: {self.verdict!r} needs an interval without 0")
        if clear and (self.diff.mean > 0) != (self.verdict == "B higher"):
            raise ValueError(f"{self.variant}: {self.verdict!r} against a mean of {self.diff.mean}")

    @property
    def shared_seeds(self) -> tuple[int, ...]:
        """The seeds both studies finished."""
        return tuple(sorted(set(self.a_seeds) & set(self.b_seeds)))


@dataclass(frozen=True)
class DefinitionDifference:
    """One entry the two studies' definitions (or their runs) do not share.

    ``what`` names it (``base_set.train.epochs``, ``dropout: model.dropout``,
    ``resolved recipe: data.limit``, ``trial settings``); ``a`` and ``b`` are the
    values as shown, ``(not set)`` where a side lacks it.
    """

    what: str
    a: str
    b: str


@dataclass(frozen=True)
class RunRecord:
    """The last invocation that trained trials of a study, as its store recorded it."""

    wall_seconds: float
    trials: int
    workers: int
    executor: str


@dataclass(frozen=True)
class StudyFacts:
    """One side of a comparison: which study, where, how complete.

    Attributes:
        folder: the study folder, as given.
        name: the study's name.
        schema_version: its store's schema version.
        counts: how many of its planned trials have each status.
        last_run: its last invocation that trained trials, if recorded.
        settings: the distinct trial settings recorded (threads, torch, device), as text.
    """

    folder: str
    name: str
    schema_version: int
    counts: Mapping[str, int]
    last_run: RunRecord | None = None
    settings: tuple[str, ...] = ()


@dataclass(frozen=True)
class StudyComparison:
    """Two studies side by side.

    Attributes:
        a, b: the two sides.
        metric: the metric both compare.
        higher_is_better: its direction.
        confidence: the level of every interval.
        alpha: the level the adjusted p-values are tested at (``1 − confidence``).
        correction: the multiple-comparison correction (``holm``, ``bh``, …).
        rows: the variants both studies have, in A's order.
        only_a, only_b: the variants only one study has.
        differences: what the definitions and runs do not share.
    """

    a: StudyFacts
    b: StudyFacts
    metric: str
    higher_is_better: bool
    confidence: float
    alpha: float
    correction: str
    rows: tuple[VariantComparison, ...]
    only_a: tuple[str, ...] = ()
    only_b: tuple[str, ...] = ()
    differences: tuple[DefinitionDifference, ...] = ()

    @property
    def comparisons(self) -> int:
        """The size of the family the correction covers: the variants with a p-value."""
        return sum(1 for r in self.rows if math.isfinite(r.diff.p))

    def to_dict(self) -> dict[str, Any]:
        """Plain dicts, lists and numbers; an undefined number is None (valid JSON)."""
        d = _finite(asdict(self))
        d["comparisons"] = self.comparisons
        for row, r in zip(d["rows"], self.rows, strict=True):
            row["shared_seeds"] = list(r.shared_seeds)
        return d


def _finite(value: Any) -> Any:
    """``value`` with NaN and ±inf as None, tuples as lists."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
