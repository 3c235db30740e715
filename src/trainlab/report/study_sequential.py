"""An adaptive study's looks in words: the seeds at each look, the α it spent, what it settled.

An adaptive study adds seeds until each comparison is clear or a maximum is
reached, testing look ``k`` at the increment ``α(t_k) − α(t_{k−1})`` of an
alpha-spending function (Lan & DeMets, 1983; O'Brien–Fleming or Pocock type,
:mod:`trainlab.stats.sequential`), so that the chance of a false effect over
all looks stays within α. The page says how it went: one paragraph (*adaptive
seeding: looks at 3, 4, 5 seeds, O'Brien–Fleming spending of α = 0.05, levels
0.0001, 0.002, 0.048; l2 settled at 4 seeds (helps); …*) and one table row per look.

Example:
    >>> from types import SimpleNamespace as T
    >>> from trainlab.report.study_results import (
    ...     LookFacts, SequentialLooks, StudyResults, StudyVariant)
    >>> from trainlab.stats.compare import summarize
    >>> trials = [T(variant=v, seed=s, status="done", metrics={"test_acc": 0.9 + s / 100})
    ...           for v in ("baseline", "l2") for s in (0, 1, 2)]
    >>> looks = SequentialLooks("obrien-fleming", 0.05, 4,
    ...     (LookFacts(2, 0.0001, (), 1), LookFacts(3, 0.049, ("l2",), 0)))
    >>> study = StudyResults(name="s", title="s", base="", dataset="", metric="test_acc",
    ...     higher_is_better=True, baseline="baseline", seeds=(0, 1, 2),
    ...     variants=(StudyVariant("baseline"), StudyVariant("l2", reference="baseline")),
    ...     summaries=tuple(summarize(trials)), sequential=looks)
    >>> print(sequential_view(study).text.replace("; ", ";\\n"))
    Adaptive seeding: looks at 2, 3 seeds (at most 4), O'Brien–Fleming spending of α = 0.05, \
levels 0.0001, 0.049;
    l2 settled at 3 seeds (no clear effect).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from trainlab.report.format import DASH
from trainlab.report.study_results import StudyResults
from trainlab.report.study_text import PAGE_TEXT, plural


@dataclass(frozen=True)
class LookRow:
    """One look of the adaptive study, formatted."""

    number: int
    seeds: str
    level: str
    settled: str
    open: str


@dataclass(frozen=True)
class SequentialView:
    """The adaptive study's paragraph and its table of looks."""

    text: str
    rows: tuple[LookRow, ...]


def _level(x: float) -> str:
    return f"{x:.2g}"


def sequential_view(
    study: StudyResults, text: Mapping[str, str] = PAGE_TEXT
) -> SequentialView | None:
    """The looks of ``study`` in words; None when its seeds were fixed."""
    seq = study.sequential
    if seq is None or not seq.looks:
        return None
    spending = text.get(f"spending_{seq.spending}", seq.spending)
    lead = text["seq_lead"].format(
        looks=", ".join(str(k.seeds) for k in seq.looks),
        max_seeds=seq.max_seeds,
        spending=spending,
        alpha=f"{seq.alpha:g}",
        levels=", ".join(_level(k.level) for k in seq.looks),
    )
    parts = [lead]
    for look in seq.looks:
        for name in look.settled:
            effect = text[f"effect_{study.summary(name).effect}"]
            seeds = plural(text, "seeds", look.seeds)
            parts.append(text["seq_settled"].format(variant=name, seeds=seeds, effect=effect))
    settled = {v for k in seq.looks for v in k.settled}
    still = [s.variant for s in study.summaries if s.reference is not None]
    still = [v for v in still if v not in settled]
    if still and seq.looks[-1].open:
        seeds = plural(text, "seeds", seq.looks[-1].seeds)
        parts.append(text["seq_open"].format(seeds=seeds, variants=", ".join(still)))
    rows = tuple(
        LookRow(
            number=i,
            seeds=str(k.seeds),
            level=_level(k.level),
            settled=", ".join(k.settled) or DASH,
            open=str(k.open),
        )
        for i, k in enumerate(seq.looks, start=1)
    )
    return SequentialView("; ".join(parts) + ".", rows)


def describe_sequential(study: StudyResults, text: Mapping[str, str] = PAGE_TEXT) -> str:
    """The adaptive study's paragraph alone (for the terminal), or "" when its seeds were fixed."""
    view = sequential_view(study, text)
    return "" if view is None else view.text
