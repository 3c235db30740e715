"""A forest plot: each variant's paired difference from its reference, with its 95% interval.

A point per variant at the mean difference (variant − reference over the seeds
both ran), a whisker for the interval, a vertical line at zero: an interval
that crosses zero is *no clear effect*, grey whatever its mean (and so is one
that does not, when the p-value adjusted for the study's comparisons is not
below α; both p-values are written beside it). A diverging variant is dark red
and says where it diverged. Colour and marker give the effect, so the plot
reads in greyscale too. A study with
several comparisons gets one panel per comparison, each with its own axis.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from types import SimpleNamespace as T
    >>> from trainlab.stats.compare import summarize
    >>> from trainlab.report.figures.differences import plot_differences
    >>> rows = summarize([T(variant=v, seed=s, status="done", metrics={"test_acc": 0.9 + s / 50})
    ...                   for v in ("baseline", "l1") for s in (0, 1, 2)])
    >>> plot_differences(rows, Path(tempfile.mkdtemp()) / "d.png", metric="test_acc").name
    'd.png'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from trainlab.report.figures._base import DPI, FONT, SMALL, note, save
from trainlab.report.figures._rows import (
    EFFECT_COLORS,
    EFFECT_MARKERS,
    effect_legend,
    label_rows,
    rows_figure,
    style_rows,
    value_column,
)
from trainlab.report.format import delta, finite, short
from trainlab.report.study_results import comparison_groups
from trainlab.report.study_sentences import corrected, correction_name, divergence_phrase
from trainlab.report.study_text import FIGURE_TEXT as T
from trainlab.report.study_text import metric_label
from trainlab.report.study_units import display_scale, in_points
from trainlab.stats.compare import VariantSummary


def _p_text(s: VariantSummary) -> str:
    """``, p=0.03 (Holm 0.09)``: the raw p-value and, when adjusted, the adjusted one."""
    p = s.diff.p if s.diff is not None else math.nan
    if not math.isfinite(p):
        return ""
    if corrected(s):
        q = s.p_adjusted
        adjusted = "<0.001" if q < 0.001 else f"{q:.2g}"
        return T["forest_p_adjusted"].format(p=p, correction=correction_name(s), adjusted=adjusted)
    return T["forest_p_small"] if p < 0.001 else T["forest_p"].format(p=p)


def _row(ax: Axes, i: int, s: VariantSummary, *, scale: float, accuracy: bool, ref: str) -> None:
    """One row: the reference's diamond at zero, or the difference with its interval."""
    d, eff = s.diff, s.effect
    color = EFFECT_COLORS[eff]
    if eff == "baseline":
        ax.plot([0], [i], marker="D", color=EFFECT_COLORS["baseline"], markersize=7, zorder=4)
        value_column(ax, i, ref, color="#333333", style="italic")
        return
    mean = d.mean if d is not None else math.nan
    if d is None or not math.isfinite(mean):
        said = divergence_phrase(s) if eff == "diverges" else T["forest_unpaired"]
        value_column(ax, i, said, color=color if s.diverged else "#666666", style="italic")
        return
    m, lo, hi = mean * scale, d.lo * scale, d.hi * scale
    if finite(d.lo, d.hi):
        ax.hlines(i, lo, hi, color=color, linewidth=2.4, zorder=3)
        for end in (d.lo, d.hi):
            ax.vlines(end * scale, i - 0.15, i + 0.15, color=color, linewidth=1.4, zorder=3)
    ax.plot(
        [m],
        [i],
        marker=EFFECT_MARKERS[eff],
        color=color,
        markersize=8,
        markeredgecolor="#111111" if eff == "no clear effect" else color,
        zorder=4,
    )
    ci = (
        f" [{delta(lo, accuracy)}, {delta(hi, accuracy)}]"
        if finite(d.lo, d.hi)
        else T["forest_no_ci"]
    )
    value_column(ax, i, f"{delta(m, accuracy)}{ci}{_p_text(s)}", color="#333333")


def _forest_rows(
    ax: Axes,
    rows: Sequence[VariantSummary],
    *,
    scale: float,
    accuracy: bool,
    reference_text: str,
) -> np.ndarray:
    """Draw one forest panel's rows; returns the finite interval ends and means drawn."""
    names = [s.variant for s in rows]
    effects = [s.effect for s in rows]
    nan = math.nan
    mean = np.array([s.diff.mean if s.diff is not None else nan for s in rows])
    lo = np.array([s.diff.lo if s.diff is not None else nan for s in rows])
    hi = np.array([s.diff.hi if s.diff is not None else nan for s in rows])
    ax.axvline(0, color="#111111", linewidth=1.1, zorder=2)
    for i, s in enumerate(rows):
        _row(ax, i, s, scale=scale, accuracy=accuracy, ref=reference_text)
    label_rows(ax, names, [n for n, e in zip(names, effects, strict=True) if e == "baseline"])
    ends = np.concatenate([lo, hi, mean]) * scale
    return ends[np.isfinite(ends)]


def _forest_limits(ax: Axes, ends: np.ndarray) -> None:
    """x limits around zero and the intervals, with room on both sides of zero."""
    if not ends.size:
        return
    low, high = min(float(ends.min()), 0.0), max(float(ends.max()), 0.0)
    span = max(high - low, 1e-9)
    low, high = min(low, -0.18 * span), max(high, 0.18 * span)
    pad = 0.08 * (high - low)
    ax.set_xlim(low - pad, high + pad)


def _one_panel(
    summaries: Sequence[VariantSummary],
    path: Path,
    *,
    scale: float,
    accuracy: bool,
    label: str,
    lower: str = "",
) -> Path:
    fig, ax = rows_figure(len(summaries))
    style_rows(ax, T["forest_title"])
    ends = _forest_rows(
        ax, summaries, scale=scale, accuracy=accuracy, reference_text=T["effect_baseline"]
    )
    if not ends.size:
        note(ax, T["forest_none_one"])
    _forest_limits(ax, ends)
    ax.set_xlabel(T["forest_axis"].format(label=label) + lower, fontsize=SMALL)
    effect_legend(ax, [s.effect for s in summaries], reference=T["effect_baseline"])
    return save(fig, path)


def plot_differences(
    summaries: Sequence[VariantSummary],
    path: Path,
    *,
    metric: str = "",
    higher_is_better: bool = True,
) -> Path:
    """Forest plot: each variant's paired difference from its reference with its 95% CI.

    The reference keeps its row, a diamond at zero, and variants without a
    difference (no paired seeds) keep theirs, labelled, so the rows line up
    with :func:`~trainlab.report.figures.metric_bars.plot_metric_bars`.
    Accuracy differences are in percentage points, those of RMSE, MAE or a loss in
    the metric's own units. A study with several comparisons gets one panel per
    comparison, each named after its reference.

    Args:
        summaries: one per variant, in display order.
        path: the PNG file to write (folders are created).
        metric: the compared metric's key, for the label and the units.
        higher_is_better: the metric's direction (False: the axis says lower is better).

    Returns:
        ``path``.
    """
    accuracy = in_points(metric) if metric else False
    scale = display_scale(metric, [s.value.mean for s in summaries]) if metric else 1.0
    unit = T["forest_points"] if accuracy else ""
    label = (T["forest_delta"].format(label=metric_label(metric)) if metric else "Δ") + unit
    lower = "" if higher_is_better else T["axis_lower"]
    groups = comparison_groups(summaries)
    by_name = {s.variant: s for s in summaries}
    if len(groups) <= 1:
        return _one_panel(summaries, path, scale=scale, accuracy=accuracy, label=label, lower=lower)

    sizes = [len(members) for _, members in groups]
    fig = Figure(
        figsize=(9.5, 1.4 + 0.36 * sum(sizes) + 0.75 * len(groups)),
        dpi=DPI,
        layout="constrained",
    )
    axes = fig.subplots(len(groups), 1, squeeze=False, height_ratios=[max(k, 2) for k in sizes])
    every: list[str] = []
    for ax, (ref, members) in zip(axes[:, 0], groups, strict=True):
        style_rows(ax, T["forest_panel"].format(ref=short(ref, 40)) if ref else T["forest_alone"])
        ax.title.set_fontsize(FONT)
        rows = [by_name[n] for n in members]
        every += [s.effect for s in rows]
        ends = _forest_rows(ax, rows, scale=scale, accuracy=accuracy, reference_text=T["reference"])
        if not ends.size:
            note(ax, T["forest_none"])
        _forest_limits(ax, ends)
        ax.set_xlabel(
            T["forest_axis_ref"].format(label=label, ref=short(ref, 40) or T["reference"]) + lower,
            fontsize=SMALL,
        )
    fig.suptitle(T["forest_title_multi"], fontsize=FONT + 2, fontweight="bold")
    effect_legend(axes[0, 0], every, reference=T["reference"])
    return save(fig, path)
