"""The generalization gap per variant, the lecture's measure of overfitting.

The gap is the training split's advantage in the task's primary metric: train
− test accuracy for a classification, test − train RMSE for a regression
(in the target's units), so that a positive gap always means the model scores
better on the data it trained on.

Bars start at zero with their 95% intervals; each reference's gap is a dashed
line across the rows compared with it. A variant whose gap differs clearly
from its reference's (the paired interval excludes zero) is blue when the gap
shrank and vermillion, hatched, when it widened. A smaller gap means less
overfitting, not necessarily a better model: read it next to the metric bars.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from types import SimpleNamespace as T
    >>> from trainlab.stats.compare import summarize
    >>> from trainlab.report.figures.gap_bars import plot_gap_bars
    >>> rows = summarize([T(variant="baseline", seed=s, status="done",
    ...                     metrics={"test_acc": 0.9, "gap": 0.05 + s / 100}) for s in (0, 1)])
    >>> plot_gap_bars(rows, Path(tempfile.mkdtemp()) / "g.png").suffix
    '.png'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from trainlab.report.figures._base import SMALL, note, save
from trainlab.report.figures._rows import (
    effect_bar,
    effect_patches,
    group_separators,
    label_rows,
    reference_lines,
    rows_figure,
    style_rows,
    value_column,
)
from trainlab.report.format import DASH, finite
from trainlab.report.study_results import comparison_groups, references
from trainlab.report.study_text import FIGURE_TEXT as T
from trainlab.report.study_text import gap_phrase
from trainlab.report.study_units import in_points
from trainlab.stats.compare import VariantSummary


def gap_kind(s: VariantSummary) -> str:
    """How the gap changed, in the effect palette: ``baseline`` for a reference, ``helps``
    (shrank), ``hurts`` (widened) or ``no clear effect``."""
    gd = s.gap_diff
    if s.reference is None:
        return "baseline"
    if gd is None or not finite(gd.lo, gd.hi):
        return "no clear effect"
    if gd.hi < 0:
        return "helps"
    if gd.lo > 0:
        return "hurts"
    return "no clear effect"


def plot_gap_bars(
    summaries: Sequence[VariantSummary],
    path: Path,
    *,
    scale: float | None = None,
    gap_metric: str = "acc",
) -> Path:
    """Plot the generalization gap per variant with its 95% CI.

    Args:
        summaries: one per variant, in display order.
        path: the PNG file to write (folders are created).
        scale: factor to percentage points (default: 100 when every gap is
            within ±1, i.e. accuracies stored as fractions; 1 for a gap in RMSE).
        gap_metric: the task's primary metric the gap is measured in (``"acc"``,
            ``"rmse"``, ``"digit_acc"``), for the title and the axis.

    Returns:
        ``path``.
    """
    names = [s.variant for s in summaries]
    mean = np.array([s.gap.mean for s in summaries])
    lo = np.array([s.gap.lo for s in summaries])
    hi = np.array([s.gap.hi for s in summaries])
    if scale is None and not in_points("gap", gap_metric):
        scale = 1.0
    elif scale is None:
        present = np.abs(mean[np.isfinite(mean)])
        scale = 100.0 if not present.size or present.max() <= 1.0 else 1.0
    gap = gap_phrase(gap_metric)
    refs = references(summaries)
    is_ref = {n for n, r in refs.items() if r is None}
    multi = len(comparison_groups(summaries)) > 1
    kinds = [gap_kind(s) for s in summaries]

    fig, ax = rows_figure(len(names))
    style_rows(ax, T["gap_title"].format(gap=gap))
    if not np.isfinite(mean).any():
        note(ax, T["gap_none"])
    for i, kind in enumerate(kinds):
        if not math.isfinite(mean[i]):
            value_column(ax, i, DASH, color="#666666")
            continue
        m = mean[i] * scale
        effect_bar(ax, i, m, lo[i] * scale, hi[i] * scale, kind)
        value_column(ax, i, f"{m:+.1f}" if scale == 100.0 else f"{m:+.3g}")
    reference_lines(ax, names, refs, {n: mean[i] * scale for i, n in enumerate(names)})
    if multi:
        group_separators(ax, names, refs)
    ax.axvline(0, color="#666666", linewidth=0.8)
    label_rows(ax, names, is_ref)
    ax.set_xlabel(
        T["gap_axis_points" if scale == 100.0 else "gap_axis"].format(gap=gap), fontsize=SMALL
    )
    labels = {
        "baseline": T["gap_reference" if multi else "gap_baseline"],
        "helps": T["gap_shrank"],
        "hurts": T["gap_widened"],
        "no clear effect": T["gap_unclear"],
    }
    handles = effect_patches(kinds, labels)
    if handles:
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncol=len(handles),
            fontsize=SMALL,
            frameon=False,
        )
    return save(fig, path)
