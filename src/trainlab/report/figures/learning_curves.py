"""Learning curves of one run: loss and the task's main metric per epoch, train vs validation.

The figure of the lecture's slide *Sobreajuste — Cómo identificar el
sobreajuste*: training and validation loss and accuracy per epoch, with the
learning rate and the running accuracy gap (the running training accuracy,
measured during each epoch, minus validation accuracy) under them and a
marker at the best, early-stopping or overfitting epoch. Train and
validation differ by colour (Okabe–Ito blue and vermillion), line style and
marker, so the curves read in greyscale print too. The right panel is the
task's main metric (:mod:`trainlab.report.run_metrics`): accuracy, RMSE for a
regression (its gap is validation − training RMSE, the training data's
advantage), or a multitask run's main target's (``digit accuracy``), with one
more panel for each other target's metric.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from trainlab.report.figures.learning_curves import plot_learning_curves
    >>> history = [{"epoch": e, "train_loss": 1 / e, "val_loss": 1.2 / e} for e in (1, 2, 3)]
    >>> out = plot_learning_curves(history, Path(tempfile.mkdtemp()) / "curves.png")
    >>> out.read_bytes()[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from trainlab.report.figures._base import (
    BAD_COLOR,
    DPI,
    FONT,
    GAP_COLOR,
    LR_COLOR,
    MARK_COLOR,
    SMALL,
    STAGE_SHADES,
    TRAIN_COLOR,
    VAL_COLOR,
    note,
    save,
    style,
)
from trainlab.report.format import optional_number
from trainlab.report.run_metrics import RunMetric, infer_primary


def column(history: Sequence[Mapping[str, Any]], key: str) -> np.ndarray:
    """Values of ``key`` per epoch as floats; NaN where missing or not a number. Shape (n,)."""
    out = np.full(len(history), np.nan)
    for i, row in enumerate(history):
        if key not in row:
            continue
        x = optional_number(row[key])
        if x is not None:
            out[i] = x
    return out


def _epochs(history: Sequence[Mapping[str, Any]]) -> np.ndarray:
    e = column(history, "epoch")
    fallback = np.arange(1, len(history) + 1, dtype=float)
    return np.where(np.isfinite(e), e, fallback)


def _has(x: np.ndarray) -> bool:
    return bool(np.isfinite(x).any())


def _bad(v: Any) -> bool:
    """A recorded value that is NaN or infinite."""
    x = optional_number(v)
    return x is not None and not math.isfinite(x)


def _curve(ax: Axes, x: np.ndarray, y: np.ndarray, label: str, color: str, *, val: bool) -> None:
    if not _has(y):
        return
    keep = np.isfinite(y)
    marker = ("s" if val else "o") if x.size <= 30 else None
    ax.plot(
        x[keep],
        y[keep],
        label=label,
        color=color,
        linestyle="--" if val else "-",
        linewidth=1.8,
        marker=marker,
        markersize=3.5,
    )


def _axes(
    has_lr: bool, has_gap: bool, m: RunMetric, extra: int = 0
) -> tuple[Figure, Axes, Axes, Axes | None, Axes | None, list[Axes]]:
    """The figure and its panels: loss, the main metric, learning rate (or None), gap (or
    None), and ``extra`` panels under them, two per row (the other targets' metrics)."""
    strips = has_lr or has_gap
    rows = -(-extra // 2)
    ratios = ([3.2, 1.1] if strips else [1]) + [2.4] * rows
    height = (6.2 if strips else 4.6) + 2.9 * rows
    fig = Figure(figsize=(10, height), dpi=DPI, layout="constrained")
    gs = fig.add_gridspec(len(ratios), 2, height_ratios=ratios)
    ax_loss = fig.add_subplot(gs[0, 0])
    ax_acc = fig.add_subplot(gs[0, 1], sharex=ax_loss)
    ax_lr = fig.add_subplot(gs[1, 0], sharex=ax_loss) if has_lr else None
    ax_gap = fig.add_subplot(gs[1, 1], sharex=ax_loss) if has_gap else None
    first = 2 if strips else 1
    more = [fig.add_subplot(gs[first + i // 2, i % 2], sharex=ax_loss) for i in range(extra)]
    label = m.figure_label
    style(ax_loss, title="Loss", ylabel="loss", xlabel="" if has_lr else "epoch")
    title = label[:1].upper() + label[1:]
    style(ax_acc, title=title, ylabel=label, xlabel="" if has_gap else "epoch")
    return fig, ax_loss, ax_acc, ax_lr, ax_gap, more


def _loss_panel(ax: Axes, x: np.ndarray, tl: np.ndarray, vl: np.ndarray) -> None:
    _curve(ax, x, tl, "train", TRAIN_COLOR, val=False)
    _curve(ax, x, vl, "validation", VAL_COLOR, val=True)
    losses = np.concatenate([tl[np.isfinite(tl)], vl[np.isfinite(vl)]])
    if losses.size and losses.min() > 0 and losses.max() / losses.min() > 30:
        ax.set_yscale("log")


def _bad_epochs(
    axes: tuple[Axes, Axes], x: np.ndarray, history: Sequence[Mapping[str, Any]]
) -> None:
    """Shade the epochs from the first NaN or infinite training loss on."""
    bad = np.flatnonzero([_bad(row.get("train_loss")) for row in history])
    if not bad.size:
        return
    for ax in axes:
        ax.axvspan(
            x[bad[0]] - 0.5,
            x[-1] + 0.5,
            facecolor=BAD_COLOR,
            alpha=0.18,
            hatch="//",
            edgecolor="#bbbbbb",
            linewidth=0,
            label=f"loss NaN/inf from epoch {x[bad[0]]:g}" if ax is axes[0] else None,
        )


def _lr_panel(
    ax: Axes, x: np.ndarray, lr: np.ndarray, history: Sequence[Mapping[str, Any]]
) -> None:
    """The learning rate per epoch, and a transfer's per-stage rates (0 while frozen)."""
    style(ax, title="Learning rate", ylabel="lr", xlabel="epoch")
    keep = np.isfinite(lr)
    stages = sorted({k for r in history for k in r if k.startswith("lr_") and k != "lr_head"})
    label = "head" if stages else None
    ax.plot(x[keep], lr[keep], color=LR_COLOR, linewidth=1.5, drawstyle="steps-mid", label=label)
    for i, key in enumerate(stages):
        col = column(history, key)
        shade = STAGE_SHADES[i % len(STAGE_SHADES)]
        ok = np.isfinite(col)
        ax.plot(
            x[ok],
            col[ok],
            color=shade,
            linewidth=1.1,
            linestyle="--",
            drawstyle="steps-mid",
            label=key.removeprefix("lr_"),
        )
    if stages:
        ax.legend(fontsize=SMALL - 1, frameon=False, loc="best", ncol=2)
    pos = lr[keep & (lr > 0)]
    if pos.size and pos.size == keep.sum() and pos.max() / pos.min() > 20:
        ax.set_yscale("log")
    else:
        ax.ticklabel_format(axis="y", style="sci", scilimits=(-2, 3))
        ax.yaxis.get_offset_text().set_fontsize(SMALL)
        ax.set_ylim(bottom=0)


def _gap_panel(ax: Axes, x: np.ndarray, gap: np.ndarray, percent: bool, m: RunMetric) -> None:
    label = m.figure_label
    if m.higher_is_better:
        title = f"Gap: running train − validation {label}"
    else:
        title = f"Gap: validation − running train {label}"
    style(ax, title=title, ylabel="gap", xlabel="epoch")
    keep = np.isfinite(gap)
    ax.axhline(0, color="#888888", linewidth=0.8)
    ax.fill_between(x[keep], 0, gap[keep], color=GAP_COLOR, alpha=0.25, linewidth=0)
    ax.plot(x[keep], gap[keep], color=GAP_COLOR, linewidth=1.5)
    if m.accuracy:
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=100 if percent else 1))


def _metric_panel(
    ax: Axes, x: np.ndarray, history: Sequence[Mapping[str, Any]], m: RunMetric, title: bool
) -> None:
    """One metric's training (running) and validation curves; ``title``: name the panel."""
    if title:
        label = m.figure_label
        style(ax, title=label[:1].upper() + label[1:], ylabel=label, xlabel="epoch")
    ta, va = column(history, f"train_{m.key}"), column(history, f"val_{m.key}")
    if not (_has(ta) or _has(va)):
        note(ax, f"no {m.figure_label} recorded")
        return
    _curve(ax, x, ta, "train (running)", TRAIN_COLOR, val=False)
    _curve(ax, x, va, "validation", VAL_COLOR, val=True)
    if m.accuracy:
        percent = float(np.nanmax(np.concatenate([ta, va]))) > 1.5
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=100 if percent else 1))


def other_targets(history: Sequence[Mapping[str, Any]], m: RunMetric) -> list[RunMetric]:
    """A multitask run's other targets' metrics recorded in the history (their accuracy, or
    RMSE for a regression target), in order; none for a single task.

    Example:
        >>> h = [{"train_digit_acc": 0.9, "train_parity_acc": 0.8, "train_size_rmse": 2.0}]
        >>> [o.key for o in other_targets(h, RunMetric("digit_acc"))]
        ['parity_acc', 'size_rmse']
    """
    if m.target is None:
        return []
    found: list[RunMetric] = []
    seen = {m.target}
    for key in (k for row in history[:1] for k in row):
        split, _, rest = key.partition("_")
        if split not in ("train", "val") or rest.endswith("_loss"):
            continue
        other = RunMetric(rest)
        if other.target is None or other.target in seen or other.kind not in ("acc", "rmse"):
            continue
        seen.add(other.target)
        found.append(other)
    return found


def _mark(
    panels: tuple[Axes | None, ...],
    x: np.ndarray,
    vl: np.ndarray,
    epoch: int,
    label: str,
) -> None:
    """A dotted line at ``epoch`` on every panel (the legend names it on the first two), and
    a ring on its validation loss."""
    for ax in panels:
        if ax is not None:
            ax.axvline(
                epoch,
                color=MARK_COLOR,
                linestyle=":",
                linewidth=1.4,
                label=label if ax in panels[:2] else None,
            )
    hit = np.flatnonzero(x == epoch)
    if hit.size and math.isfinite(vl[hit[0]]):
        panels[0].plot(
            [epoch],
            [vl[hit[0]]],
            marker="o",
            markersize=9,
            color=VAL_COLOR,
            markerfacecolor="none",
            markeredgewidth=1.6,
            linestyle="none",
        )


def plot_learning_curves(
    history: Sequence[Mapping[str, Any]],
    path: Path,
    *,
    title: str = "",
    mark_epoch: int | None = None,
    mark_label: str | None = None,
    metric: str | None = None,
) -> Path:
    """Plot loss and the main metric per epoch, train vs validation, with the learning rate
    under them.

    Two panels (loss, the task's main metric: accuracy, RMSE, …) and, under them,
    two thin strips: the learning rate (under the loss) and the generalization gap,
    the running training value's advantage over validation (under the metric).
    Missing or NaN values are left out, so a history without a validation split
    plots the training curves only (and no gap strip); epochs whose training loss
    is NaN or infinite are shaded. The loss axis, and the learning-rate axis, turn
    logarithmic when the values span more than a factor 30 (20 for the learning
    rate). A multitask run's other targets each get a panel of their metric under
    these.

    Args:
        history: one dict per epoch with ``epoch``, ``train_loss`` and, where
            recorded, ``val_loss``, ``train_<metric>``, ``val_<metric>``, ``lr``.
        path: the PNG file to write (folders are created).
        title: a title over the panels.
        mark_epoch: draw a vertical marker at this epoch (best, early stopping
            or overfitting onset), e.g. ``Diagnosis.epoch``.
        mark_label: the marker's legend text (default ``"epoch N"``).
        metric: the task's main metric (``acc``, ``rmse``, ``digit_acc``); default:
            read from the history's columns
            (:func:`~trainlab.report.run_metrics.infer_primary`).

    Returns:
        ``path``.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> h = [{"epoch": 1, "train_loss": 0.9, "train_acc": 0.7, "lr": 0.01},
        ...      {"epoch": 2, "train_loss": 0.5, "train_acc": 0.85, "lr": 0.005}]
        >>> p = plot_learning_curves(h, Path(tempfile.mkdtemp()) / "lc.png", mark_epoch=2)
        >>> p.stat().st_size > 1000
        True
    """
    m = RunMetric(metric if metric is not None else infer_primary({}, history))
    x = _epochs(history)  # (n,)
    tl, vl = column(history, "train_loss"), column(history, "val_loss")
    ta, va = column(history, f"train_{m.key}"), column(history, f"val_{m.key}")
    lr = column(history, "lr")
    has_acc = _has(ta) or _has(va)
    percent = m.accuracy and has_acc and float(np.nanmax(np.concatenate([ta, va]))) > 1.5
    gap = ta - va if m.higher_is_better else va - ta  # (n,) NaN where either is missing
    others = other_targets(history, m)

    fig, ax_loss, ax_acc, ax_lr, ax_gap, more = _axes(_has(lr), _has(gap), m, len(others))
    if not len(history):
        note(ax_loss, "no epochs recorded")
    _loss_panel(ax_loss, x, tl, vl)
    if has_acc:
        _metric_panel(ax_acc, x, history, m, title=False)
    else:
        note(ax_acc, f"no {m.figure_label} recorded")
    for ax, other in zip(more, others, strict=True):
        _metric_panel(ax, x, history, other, title=True)
    _bad_epochs((ax_loss, ax_acc), x, history)
    if ax_lr is not None:
        _lr_panel(ax_lr, x, lr, history)
    if ax_gap is not None:
        _gap_panel(ax_gap, x, gap, percent, m)
    if mark_epoch is not None:
        panels = (ax_loss, ax_acc, ax_lr, ax_gap, *more)
        _mark(panels, x, vl, mark_epoch, mark_label or f"epoch {mark_epoch}")
    for ax in (ax_loss, ax_acc, *more):
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=SMALL, frameon=False, loc="best")
    if x.size:
        ax_loss.set_xlim(x.min() - 0.5, x.max() + 0.5)
    if title:
        fig.suptitle(title, fontsize=FONT + 3, fontweight="bold")
    return save(fig, path)
