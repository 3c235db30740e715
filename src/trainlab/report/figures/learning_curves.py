"""Learning curves of one run: loss and accuracy per epoch, train vs validation.

The figure of the lecture's slide *Sobreajuste — Cómo identificar el
sobreajuste*: training and validation loss and accuracy per epoch, with the
learning rate and the running accuracy gap (the running training accuracy,
measured during each epoch, minus validation accuracy) under them and a
marker at the best, early-stopping or overfitting epoch. Train and
validation differ by colour (Okabe–Ito blue and vermillion), line style and
marker, so the curves read in greyscale print too.

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


def _axes(has_lr: bool, has_gap: bool) -> tuple[Figure, Axes, Axes, Axes | None, Axes | None]:
    """The figure and its panels: loss, accuracy, learning rate (or None), gap (or None)."""
    strips = has_lr or has_gap
    fig = Figure(figsize=(10, 6.2 if strips else 4.6), dpi=DPI, layout="constrained")
    gs = fig.add_gridspec(2 if strips else 1, 2, height_ratios=[3.2, 1.1] if strips else [1])
    ax_loss = fig.add_subplot(gs[0, 0])
    ax_acc = fig.add_subplot(gs[0, 1], sharex=ax_loss)
    ax_lr = fig.add_subplot(gs[1, 0], sharex=ax_loss) if has_lr else None
    ax_gap = fig.add_subplot(gs[1, 1], sharex=ax_loss) if has_gap else None
    style(ax_loss, title="Loss", ylabel="loss", xlabel="" if has_lr else "epoch")
    style(ax_acc, title="Accuracy", ylabel="accuracy", xlabel="" if has_gap else "epoch")
    return fig, ax_loss, ax_acc, ax_lr, ax_gap


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


def _gap_panel(ax: Axes, x: np.ndarray, gap: np.ndarray, percent: bool) -> None:
    style(ax, title="Gap: running train − validation accuracy", ylabel="gap", xlabel="epoch")
    keep = np.isfinite(gap)
    ax.axhline(0, color="#888888", linewidth=0.8)
    ax.fill_between(x[keep], 0, gap[keep], color=GAP_COLOR, alpha=0.25, linewidth=0)
    ax.plot(x[keep], gap[keep], color=GAP_COLOR, linewidth=1.5)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=100 if percent else 1))


def _mark(
    panels: tuple[Axes, Axes, Axes | None, Axes | None],
    x: np.ndarray,
    vl: np.ndarray,
    epoch: int,
    label: str,
) -> None:
    """A dotted line at ``epoch`` on every panel, and a ring on its validation loss."""
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
) -> Path:
    """Plot loss and accuracy per epoch, train vs validation, with the learning rate under them.

    Two panels (loss, accuracy) and, under them, two thin strips: the learning
    rate (under the loss) and the generalization gap, train − validation
    accuracy (under the accuracy). Missing or NaN values are left out, so a
    history without a validation split plots the training curves only (and no
    gap strip); epochs whose training loss is NaN or infinite are shaded. The
    loss axis, and the learning-rate axis, turn logarithmic when the values
    span more than a factor 30 (20 for the learning rate).

    Args:
        history: one dict per epoch with ``epoch``, ``train_loss`` and, where
            recorded, ``val_loss``, ``train_acc``, ``val_acc``, ``lr``.
        path: the PNG file to write (folders are created).
        title: a title over the panels.
        mark_epoch: draw a vertical marker at this epoch (best, early stopping
            or overfitting onset), e.g. ``Diagnosis.epoch``.
        mark_label: the marker's legend text (default ``"epoch N"``).

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
    x = _epochs(history)  # (n,)
    tl, vl = column(history, "train_loss"), column(history, "val_loss")
    ta, va = column(history, "train_acc"), column(history, "val_acc")
    lr = column(history, "lr")
    has_acc = _has(ta) or _has(va)
    percent = has_acc and float(np.nanmax(np.concatenate([ta, va]))) > 1.5
    gap = ta - va  # (n,) NaN where either is missing

    fig, ax_loss, ax_acc, ax_lr, ax_gap = _axes(_has(lr), _has(gap))
    if not len(history):
        note(ax_loss, "no epochs recorded")
    _loss_panel(ax_loss, x, tl, vl)
    if has_acc:
        _curve(ax_acc, x, ta, "train (running)", TRAIN_COLOR, val=False)
        _curve(ax_acc, x, va, "validation", VAL_COLOR, val=True)
        ax_acc.yaxis.set_major_formatter(PercentFormatter(xmax=100 if percent else 1))
    else:
        note(ax_acc, "no accuracy recorded")
    _bad_epochs((ax_loss, ax_acc), x, history)
    if ax_lr is not None:
        _lr_panel(ax_lr, x, lr, history)
    if ax_gap is not None:
        _gap_panel(ax_gap, x, gap, percent)
    if mark_epoch is not None:
        panels = (ax_loss, ax_acc, ax_lr, ax_gap)
        _mark(panels, x, vl, mark_epoch, mark_label or f"epoch {mark_epoch}")
    for ax in (ax_loss, ax_acc):
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=SMALL, frameon=False, loc="best")
    if x.size:
        ax_loss.set_xlim(x.min() - 0.5, x.max() + 0.5)
    if title:
        fig.suptitle(title, fontsize=FONT + 3, fontweight="bold")
    return save(fig, path)
