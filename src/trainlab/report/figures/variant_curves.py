"""Mean learning curves per variant: one validation metric per epoch, averaged over seeds.

The band around each curve spans the seeds' minimum to maximum. Seeds that
stopped early (early stopping) drop out where they stop: the mean goes on over
the seeds left and the line turns thin, so a jump there reads as fewer seeds,
not as learning. Beyond :data:`MAX_LINES` variants the figure becomes small
multiples, each panel against its own reference in grey; each comparison
starts a new row of panels that share their y axis, and a loss spanning more
than :data:`LOG_RATIO` is drawn on a log axis, so one run stuck at a high loss
does not flatten the others.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from trainlab.report.study_results import TrialResult
    >>> from trainlab.report.figures.variant_curves import plot_variant_curves
    >>> h = tuple({"epoch": e, "val_loss": 1 / e} for e in (1, 2, 3))
    >>> t = [TrialResult("base", s, "done", history=h) for s in (0, 1)]
    >>> plot_variant_curves(t, Path(tempfile.mkdtemp()) / "c.png").suffix
    '.png'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter, PercentFormatter

from trainlab.report.figures._base import DPI, FONT, SMALL, note, save, style
from trainlab.report.figures._rows import (
    BASELINE_COLOR,
    BASELINE_GREY,
    VARIANT_COLORS,
    Line,
    resolve_references,
    variant_styles,
)
from trainlab.report.format import number, short
from trainlab.report.study_results import TrialResult
from trainlab.report.study_text import FIGURE_TEXT as T
from trainlab.report.study_text import cap, metric_label
from trainlab.report.study_units import in_points

#: more variants than this in one panel and the curves go to small multiples
MAX_LINES = 10
#: a loss axis turns logarithmic when its values span more than this factor
LOG_RATIO = 5.0
_GREY = Line(BASELINE_GREY, "-", "o", 2.2)


@dataclass(frozen=True)
class CurveStats:
    """Per epoch over the union of the seeds' epochs: mean, min, max and seed count. Shape (e,)."""

    epoch: np.ndarray
    mean: np.ndarray
    min: np.ndarray
    max: np.ndarray
    count: np.ndarray

    def values(self) -> np.ndarray:
        """Every value the curve and its band show."""
        return np.concatenate([self.mean, self.min, self.max])


def curve_stats(histories: Sequence[Sequence[Mapping[str, Any]]], key: str) -> CurveStats:
    """Mean, min, max and seed count per epoch of ``key`` over several histories.

    Seeds that stopped early (early stopping) simply drop out: each epoch is
    averaged over the seeds that reached it. NaN and infinite values (a
    diverged run) are left out too.

    Args:
        histories: one history (list of per-epoch rows) per seed.
        key: the column, e.g. ``"val_loss"``.

    Returns:
        The :class:`CurveStats` over the union of the epochs.

    Example:
        >>> s = curve_stats([[{"epoch": 1, "val_loss": 1.0}, {"epoch": 2, "val_loss": 0.5}],
        ...                  [{"epoch": 1, "val_loss": 3.0}]], "val_loss")
        >>> s.mean.tolist(), s.count.tolist()
        ([2.0, 0.5], [2, 1])
    """
    by_epoch: dict[float, list[float]] = {}
    for history in histories:
        for i, row in enumerate(history):
            e = number(row.get("epoch"))
            e = float(i + 1) if not math.isfinite(e) else e
            v = number(row.get(key))
            bucket = by_epoch.setdefault(e, [])
            if math.isfinite(v):
                bucket.append(v)
    epochs = np.array(sorted(by_epoch), dtype=float)
    out = {k: np.full(epochs.size, np.nan) for k in ("mean", "min", "max")}
    count = np.zeros(epochs.size, dtype=int)
    for j, e in enumerate(epochs):
        vals = by_epoch[e]
        if vals:
            out["mean"][j] = float(np.mean(vals))
            out["min"][j] = float(np.min(vals))
            out["max"][j] = float(np.max(vals))
            count[j] = len(vals)
    return CurveStats(epochs, out["mean"], out["min"], out["max"], count)


def _draw_curve(ax: Axes, s: CurveStats, line: Line, label: str | None) -> None:
    x, m = s.epoch, s.mean
    keep = np.isfinite(m)
    if not keep.any():
        return
    ax.fill_between(x[keep], s.min[keep], s.max[keep], color=line.color, alpha=0.14, linewidth=0)
    full = s.count == s.count.max()
    ax.plot(
        x[keep], m[keep], color=line.color, linestyle=line.ls, linewidth=line.lw * 0.45, alpha=0.8
    )
    ax.plot(
        x,
        np.where(full & keep, m, np.nan),
        color=line.color,
        linestyle=line.ls,
        linewidth=line.lw,
        label=label,
    )
    last = np.flatnonzero(keep)[-1]
    ax.plot([x[last]], [m[last]], marker=line.marker, color=line.color, markersize=4.5)


def _wants_log(values: np.ndarray) -> bool:
    v = values[np.isfinite(values)]
    return bool(v.size) and float(v.min()) > 0 and float(v.max()) / float(v.min()) > LOG_RATIO


def _log_y(ax: Axes) -> None:
    """A log y axis with plain tick labels (0.2, 0.5, 1, 2) rather than powers of ten."""
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())


def _wide_panels(values: Mapping[str, np.ndarray], *, log: bool) -> set[str]:
    """Panels whose values span more than 3× the median panel's span: on a shared axis they
    would flatten the others, so they get their own y scale."""
    spans = {}
    for name, v in values.items():
        v = v[np.isfinite(v)]
        if log:
            v = np.log10(v[v > 0])
        if v.size:
            spans[name] = float(v.max() - v.min())
    if len(spans) < 3:
        return set()
    median = float(np.median(list(spans.values())))
    return {n for n, w in spans.items() if median > 0 and w > 3 * median}


@dataclass(frozen=True)
class _Curves:
    """What both layouts draw: the curves by variant and how to read them."""

    key: str
    stats: Mapping[str, CurveStats]
    shown: list[str]
    refs: Mapping[str, str | None]
    styles: Mapping[str, Line]
    baseline: str | None
    multi: bool
    accuracy: bool
    percent: bool
    every: np.ndarray


def _curves(
    trials: Sequence[TrialResult],
    key: str,
    baseline: str | None,
    order: Sequence[str] | None,
    references: Mapping[str, str | None] | None,
) -> _Curves:
    seen = list(dict.fromkeys(t.variant for t in trials))
    names = list(order) if order is not None else list(seen)
    names += [n for n in seen if n not in names]
    if baseline is None and names:
        baseline = names[0]
    stats: dict[str, CurveStats] = {}
    for name in names:
        hs = [t.history for t in trials if t.variant == name and t.done and t.history]
        s = curve_stats(hs, key) if hs else None
        if s is not None and np.isfinite(s.mean).any():
            stats[name] = s
    accuracy = in_points(key)
    every = np.concatenate([s.mean for s in stats.values()]) if stats else np.array([])
    percent = accuracy and every.size > 0 and np.nanmax(np.abs(every)) <= 1.5
    shown = [n for n in names if n in stats]
    refs = resolve_references(names, baseline, references)
    styles = variant_styles(shown, [n for n in shown if refs[n] is None])
    multi = len({n if refs[n] is None else refs[n] for n in names}) > 1
    return _Curves(key, stats, shown, refs, styles, baseline, multi, accuracy, bool(percent), every)


def _one_panel(c: _Curves, path: Path) -> Path:
    label = metric_label(c.key)
    fig = Figure(figsize=(9.5, 5.2), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    style(ax, title=T["curves_title"].format(label=cap(label)), ylabel=label)
    ax.set_xlabel(T["epoch"], fontsize=FONT)
    if not c.shown:
        note(ax, T["curves_none"].format(label=label))
    ref_names = [n for n in c.shown if c.refs[n] is None]
    for name in c.shown:
        if c.refs[name] is not None:
            _draw_curve(ax, c.stats[name], c.styles[name], short(name))
    for name in ref_names:
        if name == c.baseline and name.lower() == "baseline":
            text = short(name)
        else:
            text = short(name) + T["curves_ref_multi" if c.multi else "curves_ref"]
        _draw_curve(ax, c.stats[name], c.styles[name], text)
    if c.percent:
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    elif not c.accuracy and _wants_log(c.every):
        _log_y(ax)
    if c.shown:
        ax.legend(
            fontsize=SMALL,
            frameon=False,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            title=T["curves_band"],
            title_fontsize=SMALL - 1,
        )
    return save(fig, path)


_Layout = tuple[list[tuple[str, list[str]]], list[tuple[int, int, str, str]], int, int]


def _layout(c: _Curves) -> _Layout:
    """The comparisons (reference, its panels), each panel's (row, column, variant, reference),
    and the numbers of rows and columns: each comparison starts a new row."""
    groups: dict[str, list[str]] = {}
    for name in c.shown:
        ref = c.refs[name]
        groups.setdefault(name if ref is None else str(ref), [])
        if ref is not None:
            groups[str(ref)].append(name)
    blocks = [(ref, members or [ref]) for ref, members in groups.items()]
    total = sum(len(m) for _, m in blocks)
    ncols = 4 if total > 6 else 3
    layout: list[tuple[int, int, str, str]] = []
    row = 0
    for ref, members in blocks:
        for k, name in enumerate(members):
            layout.append((row + k // ncols, k % ncols, name, ref))
        row += math.ceil(len(members) / ncols)
    return blocks, layout, max(row, 1), ncols


def _scales(
    c: _Curves, blocks: list[tuple[str, list[str]]], layout: list[tuple[int, int, str, str]]
) -> tuple[dict[str, bool], set[str]]:
    """Per comparison whether its panels share a log axis, and the panels too wide to share."""
    panel_values: dict[str, np.ndarray] = {}
    for _, _, name, ref in layout:
        own = [c.stats[name].values()]
        if ref in c.stats and name != ref:
            own.append(c.stats[ref].values())
        panel_values[name] = np.concatenate(own)
    log_of = {
        ref: not c.accuracy
        and not c.percent
        and _wants_log(np.concatenate([panel_values[n] for n in members]))
        for ref, members in blocks
    }
    wide: set[str] = set()
    for ref, members in blocks:
        wide |= _wide_panels({n: panel_values[n] for n in members}, log=log_of[ref])
    return log_of, wide


def _panels(
    c: _Curves, axes: np.ndarray, layout: list[tuple[int, int, str, str]], wide: set[str]
) -> None:
    """Draw each panel: its reference grey, its variant in colour, shared y axes per row."""
    label = metric_label(c.key)
    used = {(r, col) for r, col, _, _ in layout}
    layout_ref = {(r, col): ref for r, col, _, ref in layout}
    first_of: dict[str, Axes] = {}
    shared_at: set[tuple[int, int]] = set()
    for r, col, name, ref in layout:
        ax = axes[r, col]
        style(ax)
        ax.set_title(short(name, 30), fontsize=SMALL + 1, loc="left", fontweight="bold")
        if name in wide:
            ax.set_title(T["curves_own_scale"], fontsize=SMALL - 1, loc="right", color="#555555")
        if ref in c.stats and name != ref:
            _draw_curve(ax, c.stats[ref], _GREY, None)
        color = VARIANT_COLORS[0] if name != ref else BASELINE_COLOR
        _draw_curve(ax, c.stats[name], replace(c.styles[name], color=color, ls="-"), None)
        if name not in wide:
            if ref in first_of:
                ax.sharey(first_of[ref])
            else:
                first_of[ref] = ax
            if (r, col - 1) in shared_at and layout_ref.get((r, col - 1)) == ref:
                ax.tick_params(labelleft=False)
            shared_at.add((r, col))
        if col == 0:
            grey = T["curves_grey"].format(label=label, ref=short(ref, 26))
            ax.set_ylabel(grey if c.multi and ref != name else label, fontsize=SMALL)
        if (r + 1, col) not in used:
            ax.set_xlabel(T["epoch"], fontsize=SMALL)
            ax.tick_params(labelbottom=True)


def _small_multiples(c: _Curves, path: Path) -> Path:
    label = metric_label(c.key)
    blocks, layout, nrows, ncols = _layout(c)
    fig = Figure(figsize=(12.5, 1.0 + 2.15 * nrows), dpi=DPI, layout="constrained")
    axes = fig.subplots(nrows, ncols, sharex=True, squeeze=False)
    used = {(r, col) for r, col, _, _ in layout}
    for r in range(nrows):
        for col in range(ncols):
            if (r, col) not in used:
                axes[r, col].set_visible(False)
    log_of, wide = _scales(c, blocks, layout)
    _panels(c, axes, layout, wide)
    for r, col, _, ref in layout:
        ax = axes[r, col]
        if c.percent:
            ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
        elif log_of[ref]:
            _log_y(ax)
    fig.suptitle(
        T["curves_suptitle"].format(label=cap(label))
        + (T["curves_suptitle_multi"] if c.multi else ""),
        fontsize=FONT + 2,
        fontweight="bold",
    )
    if c.multi:
        grey_label = T["curves_grey_multi"]
    elif c.baseline and c.baseline.lower() == "baseline":
        grey_label = T["effect_baseline"]
    else:
        grey_label = T["curves_grey_named"].format(ref=c.baseline)
    fig.legend(
        handles=[
            Line2D([], [], color=BASELINE_GREY, linewidth=2.2, label=grey_label),
            Line2D([], [], color=VARIANT_COLORS[0], linewidth=1.7, label=T["curves_variant"]),
        ],
        loc="outside lower center",
        ncol=2,
        fontsize=SMALL,
        frameon=False,
    )
    return save(fig, path)


def plot_variant_curves(
    trials: Sequence[TrialResult],
    path: Path,
    *,
    key: str = "val_loss",
    baseline: str | None = None,
    order: Sequence[str] | None = None,
    references: Mapping[str, str | None] | None = None,
) -> Path:
    """Plot one mean learning curve per variant (``key`` per epoch, averaged over seeds).

    References are black and thick; with more than :data:`MAX_LINES`
    variants, small multiples (see the module docstring).

    Args:
        trials: the study's trials; only finished ones count.
        path: the PNG file to write (folders are created).
        key: the history column, e.g. ``"val_loss"`` or ``"val_acc"``.
        baseline: the baseline's name (default: the first variant).
        order: the variants in display order (default: as they first appear).
        references: variant → the variant it is compared against, None for a
            reference (default: every variant against ``baseline``).

    Returns:
        ``path``.
    """
    c = _curves(trials, key, baseline, order, references)
    if len(c.shown) <= MAX_LINES:
        return _one_panel(c, path)
    return _small_multiples(c, path)
