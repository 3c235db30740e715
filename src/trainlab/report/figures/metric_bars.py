"""The compared metric per variant: mean bars with their 95% intervals and every seed as a dot.

The study's first figure: one row per variant, the bar's colour its effect
against its reference (blue helps, vermillion and hatched hurts, grey no clear
effect, dark red and cross-hatched diverges), each reference dark with its
mean a dashed line across its own rows.
The value axis is zoomed to the data, since a point of difference on a 90%
accuracy would vanish on an axis from 0; the axis label says so.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from types import SimpleNamespace as T
    >>> from trainlab.stats.compare import summarize
    >>> from trainlab.report.figures.metric_bars import plot_metric_bars
    >>> rows = summarize([T(variant="baseline", seed=s, status="done",
    ...                     metrics={"test_acc": 0.9 + s / 100}) for s in (0, 1, 2)])
    >>> out = plot_metric_bars(rows, "test_acc", Path(tempfile.mkdtemp()) / "m.png")
    >>> out.read_bytes()[:4] == b"\\x89PNG"
    True
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from trainlab.report.figures._base import SMALL, note, save
from trainlab.report.figures._rows import (
    EFFECT_COLORS,
    EFFECT_HATCHES,
    effect_bar,
    group_separators,
    label_rows,
    reference_lines,
    rows_figure,
    style_rows,
    value_column,
)
from trainlab.report.format import scaled
from trainlab.report.study_results import comparison_groups, references
from trainlab.report.study_text import FIGURE_TEXT as T
from trainlab.report.study_text import cap, metric_label
from trainlab.report.study_units import display_scale, in_points
from trainlab.stats.compare import VariantSummary


def _limits(shown: np.ndarray, percent: bool) -> tuple[float, float]:
    """The value axis around the data, from 0 only when the data reach it."""
    if not shown.size:
        return 0.0, 1.0
    lo_x, hi_x = float(shown.min()), float(shown.max())
    pad = max(0.12 * (hi_x - lo_x), 0.01 * max(abs(hi_x), 1e-9), 1e-6)
    left = lo_x - pad
    if lo_x >= 0 and left < 0:
        left = 0.0
    right = hi_x + pad
    if percent and right > 100 >= hi_x:
        right = 100.0 + 0.3 * pad
    return left, right


def _seed_dots(ax: Axes, row: int, values: np.ndarray) -> None:
    if not values.size:
        return
    jitter = np.linspace(-0.16, 0.16, values.size) if values.size > 1 else np.zeros(1)
    ax.scatter(
        values,
        row + jitter,
        s=16,
        facecolor="white",
        edgecolor="#111111",
        linewidth=0.9,
        zorder=5,
    )


def _legend(ax: Axes, effects: Sequence[str], multi: bool) -> None:
    handles = [
        Line2D([], [], color="#111111", marker="|", markersize=10, linestyle="-", label="95% CI"),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markerfacecolor="white",
            markeredgecolor="#111111",
            label=T["bars_one_seed"],
        ),
        Line2D(
            [],
            [],
            color="#111111",
            linestyle="--",
            label=T["bars_reference_mean"] if multi else T["bars_baseline_mean"],
        ),
    ]
    handles += [
        Patch(
            facecolor=EFFECT_COLORS[e],
            hatch=EFFECT_HATCHES.get(e, ""),
            label=T["reference"] if e == "baseline" and multi else T[f"effect_{e}"],
        )
        for e in EFFECT_COLORS
        if e in effects
    ]
    ax.figure.legend(
        handles=handles,
        loc="outside lower center",
        ncol=min(len(handles), 7),
        fontsize=SMALL,
        frameon=False,
    )


def plot_metric_bars(
    summaries: Sequence[VariantSummary],
    metric: str,
    path: Path,
    *,
    points: Mapping[str, Sequence[float]] | None = None,
    higher_is_better: bool = True,
) -> Path:
    """Plot the mean of ``metric`` per variant as horizontal bars with 95% CI whiskers.

    Variants are rows in the order given (the first on top), each reference's
    bar dark and its mean a dashed vertical line across the rows compared with
    it; the other bars are coloured by their effect (blue helps, vermillion and
    hatched hurts, grey no clear effect, dark red diverges: the mean of the seeds
    that finished, if any). A study with several comparisons
    gets a thin rule between comparisons. Each seed's value is a dot on its
    bar, and the mean is written right of the panel.

    Args:
        summaries: one per variant, in display order.
        metric: the metric's key (``"test_acc"``, ``"test_rmse"``), for the axis label and
            units (accuracy-like metrics in percent, others in their own units).
        path: the PNG file to write (folders are created).
        points: each variant's per-seed values, or None.
        higher_is_better: the metric's direction (False: the axis says lower is better).

    Returns:
        ``path``.
    """
    points = points or {}
    names = [s.variant for s in summaries]
    means = np.array([s.value.mean for s in summaries])
    los = np.array([s.value.lo for s in summaries])
    his = np.array([s.value.hi for s in summaries])
    seeds = {n: np.array(list(points[n]) if n in points else [], dtype=float) for n in names}
    every = np.concatenate([means, los, his, *seeds.values()]) if names else np.array([])
    scale = display_scale(metric, every)
    percent = scale == 100.0 or (in_points(metric) and scale == 1.0 and every.size > 0)
    refs = references(summaries)
    is_ref = {n for n, r in refs.items() if r is None}
    multi = len(comparison_groups(summaries)) > 1
    effects = [s.effect for s in summaries]
    label = metric_label(metric)

    fig, ax = rows_figure(len(names))
    style_rows(ax, T["bars_title"].format(label=cap(label)))
    if not names:
        note(ax, T["bars_none"])
        return save(fig, path)

    shown = every[np.isfinite(every)] * scale
    left, right = _limits(shown, percent)
    for i, (name, eff) in enumerate(zip(names, effects, strict=True)):
        m = means[i] * scale
        if math.isfinite(m):
            effect_bar(ax, i, m, los[i] * scale, his[i] * scale, eff, left=left)
        s = seeds[name]
        _seed_dots(ax, i, s[np.isfinite(s)] * scale)
        text = scaled(means[i], scale, percent)
        value_column(ax, i, text, fontweight="bold" if name in is_ref else "normal")

    reference_lines(ax, names, refs, {n: means[i] * scale for i, n in enumerate(names)})
    if multi:
        group_separators(ax, names, refs)
    ax.set_xlim(left, right)
    label_rows(ax, names, is_ref)
    if percent:
        whole = right - left >= 4
        ax.xaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0 if whole else None))
    zoomed = left > 0 and shown.size > 0
    lower = "" if higher_is_better else T["axis_lower"]
    ax.set_xlabel(
        T["bars_axis_zoomed" if zoomed else "bars_axis"].format(label=label) + lower,
        fontsize=SMALL,
    )
    _legend(ax, effects, multi)
    return save(fig, path)
