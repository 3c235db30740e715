"""Ranks of a study's variants: those that trained by mean, then those that diverged.

Ties share a rank (competition ranking, "1224"). A variant that diverged in
any seed ranks after every variant that trained, whatever its mean over the
seeds that finished; diverging variants are ordered among themselves by mean,
and those without any mean come last. A variant that neither trained nor
diverged (every trial failed) has no rank.

Example:
    >>> from trainlab.stats.ranking import ranks
    >>> ranks([0.91, 0.95, 0.97, float("nan")], [False, False, True, False], higher_is_better=True)
    [2, 1, 3, None]
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainlab.stats.compare import VariantSummary


def ranks(
    means: Sequence[float], diverged: Sequence[bool], *, higher_is_better: bool
) -> list[int | None]:
    """The rank of each variant, from its mean and whether it diverged."""
    sign = -1.0 if higher_is_better else 1.0
    keys = [sign * float(m) for m in means]
    trained = [k for k, d in zip(keys, diverged, strict=True) if not d and math.isfinite(k)]
    failed = [k for k, d in zip(keys, diverged, strict=True) if d and math.isfinite(k)]
    out: list[int | None] = []
    for k, d in zip(keys, diverged, strict=True):
        if not d:
            out.append(1 + sum(1 for s in trained if s < k) if math.isfinite(k) else None)
        elif math.isfinite(k):
            out.append(len(trained) + 1 + sum(1 for s in failed if s < k))
        else:
            out.append(len(trained) + 1 + len(failed))
    return out


def ranked(summaries: Sequence[VariantSummary], higher_is_better: bool) -> list[VariantSummary]:
    """``summaries`` with their ranks computed again, together (e.g. taken from several looks).

    Example:
        >>> from types import SimpleNamespace as T
        >>> from trainlab.stats.compare import summarize
        >>> trials = [T(variant=v, seed=s, status="done", metrics={"test_acc": a + s / 100})
        ...           for v, a in (("baseline", 0.9), ("l2", 0.8)) for s in (0, 1)]
        >>> [s.rank for s in ranked(summarize(trials), higher_is_better=True)]
        [1, 2]
    """
    new = ranks(
        [s.value.mean for s in summaries],
        [s.diverged > 0 for s in summaries],
        higher_is_better=higher_is_better,
    )
    return [dataclasses.replace(s, rank=r) for s, r in zip(summaries, new, strict=True)]
