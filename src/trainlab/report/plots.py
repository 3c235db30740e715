"""Learning curves and confusion matrices, as PNG files.

The figures a run report shows: the learning curves of the lecture's slide
*Sobreajuste — Cómo identificar el sobreajuste* (training vs validation loss and
accuracy per epoch, with the learning rate under them and a marker at the
best, early-stopping or overfitting epoch), and a confusion matrix.

Drawn with matplotlib's object-oriented API on :class:`matplotlib.figure.Figure`
(Agg canvas, pyplot never imported), so plotting is thread-safe and needs no
display. Colours are from the Okabe–Ito palette (M. Okabe and K. Ito, *Color
Universal Design*, 2008), told apart by every common colour-vision deficiency,
and train / validation also differ by line style and marker, so the curves
read in greyscale print too. Files are written atomically (temporary file,
then :func:`os.replace`).

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from trainlab.report.plots import plot_learning_curves
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

import matplotlib

matplotlib.use("Agg")  # no display; harmless when a backend is already chosen elsewhere

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from trainlab.core.atomic import atomic_path

#: resolution of the PNG files
DPI = 110
#: Okabe–Ito colours
TRAIN_COLOR = "#0072B2"  # blue
VAL_COLOR = "#D55E00"  # vermillion
LR_COLOR = "#009E73"  # bluish green
MARK_COLOR = "#444444"
GAP_COLOR = "#CC79A7"  # reddish purple
BAD_COLOR = "#999999"  # grey, hatched
CMAP = "Blues"
#: per-stage learning rates of a transfer, input side first (dark to light)
STAGE_SHADES = ["#004D40", "#00796B", "#26A69A", "#80CBC4", "#B2DFDB"]

_FONT = 10
_SMALL = 9


def _column(history: Sequence[Mapping[str, Any]], key: str) -> np.ndarray:
    """Values of ``key`` per epoch as floats; NaN where missing or not a number. Shape (n,)."""
    out = np.full(len(history), np.nan)
    for i, row in enumerate(history):
        v = row.get(key)
        if v is None or isinstance(v, (str, bytes)):
            continue
        try:
            out[i] = float(v)
        except (TypeError, ValueError):
            continue
    return out


def _epochs(history: Sequence[Mapping[str, Any]]) -> np.ndarray:
    e = _column(history, "epoch")
    fallback = np.arange(1, len(history) + 1, dtype=float)
    return np.where(np.isfinite(e), e, fallback)


def _has(x: np.ndarray) -> bool:
    return bool(np.isfinite(x).any())


def _style(ax: Axes, *, title: str = "", ylabel: str = "", xlabel: str = "") -> None:
    ax.set_title(title, fontsize=_FONT + 1, loc="left", fontweight="bold")
    ax.set_ylabel(ylabel, fontsize=_FONT)
    ax.set_xlabel(xlabel, fontsize=_FONT)
    ax.grid(True, color="#d0d0d0", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=_SMALL)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))


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


def _note(ax: Axes, text: str) -> None:
    ax.text(
        0.5,
        0.5,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        color="#777777",
        fontsize=_FONT,
    )


def _save(fig: Figure, path: Path) -> Path:
    """Write ``fig`` as PNG to ``path`` atomically; returns ``path``."""
    path = Path(path)
    with atomic_path(path, ".png") as tmp:
        fig.savefig(tmp, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return path


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
    tl, vl = _column(history, "train_loss"), _column(history, "val_loss")
    ta, va = _column(history, "train_acc"), _column(history, "val_acc")
    lr = _column(history, "lr")
    has_acc = _has(ta) or _has(va)
    percent = has_acc and float(np.nanmax(np.concatenate([ta, va]))) > 1.5
    gap = ta - va  # (n,) NaN where either is missing
    has_lr, has_gap = _has(lr), _has(gap)

    strips = has_lr or has_gap
    fig = Figure(figsize=(10, 6.2 if strips else 4.6), dpi=DPI, layout="constrained")
    gs = fig.add_gridspec(2 if strips else 1, 2, height_ratios=[3.2, 1.1] if strips else [1])
    ax_loss = fig.add_subplot(gs[0, 0])
    ax_acc = fig.add_subplot(gs[0, 1], sharex=ax_loss)
    ax_lr = fig.add_subplot(gs[1, 0], sharex=ax_loss) if has_lr else None
    ax_gap = fig.add_subplot(gs[1, 1], sharex=ax_loss) if has_gap else None
    _style(ax_loss, title="Loss", ylabel="loss", xlabel="" if has_lr else "epoch")
    _style(ax_acc, title="Accuracy", ylabel="accuracy", xlabel="" if has_gap else "epoch")

    if not len(history):
        _note(ax_loss, "no epochs recorded")
    _curve(ax_loss, x, tl, "train", TRAIN_COLOR, val=False)
    _curve(ax_loss, x, vl, "validation", VAL_COLOR, val=True)
    losses = np.concatenate([tl[np.isfinite(tl)], vl[np.isfinite(vl)]])
    if losses.size and losses.min() > 0 and losses.max() / losses.min() > 30:
        ax_loss.set_yscale("log")

    if has_acc:
        _curve(ax_acc, x, ta, "train", TRAIN_COLOR, val=False)
        _curve(ax_acc, x, va, "validation", VAL_COLOR, val=True)
        ax_acc.yaxis.set_major_formatter(PercentFormatter(xmax=100 if percent else 1))
    else:
        _note(ax_acc, "no accuracy recorded")

    bad = np.flatnonzero([_bad(row.get("train_loss")) for row in history])
    if bad.size:
        for ax in (ax_loss, ax_acc):
            ax.axvspan(
                x[bad[0]] - 0.5,
                x[-1] + 0.5,
                facecolor=BAD_COLOR,
                alpha=0.18,
                hatch="//",
                edgecolor="#bbbbbb",
                linewidth=0,
                label=f"loss NaN/inf from epoch {x[bad[0]]:g}" if ax is ax_loss else None,
            )

    if ax_lr is not None:
        _style(ax_lr, title="Learning rate", ylabel="lr", xlabel="epoch")
        keep = np.isfinite(lr)
        stages = sorted({k for r in history for k in r if k.startswith("lr_") and k != "lr_head"})
        label = "head" if stages else None
        ax_lr.plot(
            x[keep], lr[keep], color=LR_COLOR, linewidth=1.5, drawstyle="steps-mid", label=label
        )
        for i, key in enumerate(stages):  # a transfer's per-stage rates (0 while frozen)
            col = _column(history, key)
            shade = STAGE_SHADES[i % len(STAGE_SHADES)]
            ok = np.isfinite(col)
            ax_lr.plot(
                x[ok],
                col[ok],
                color=shade,
                linewidth=1.1,
                linestyle="--",
                drawstyle="steps-mid",
                label=key.removeprefix("lr_"),
            )
        if stages:
            ax_lr.legend(fontsize=_SMALL - 1, frameon=False, loc="best", ncol=2)
        pos = lr[keep & (lr > 0)]
        if pos.size and pos.size == keep.sum() and pos.max() / pos.min() > 20:
            ax_lr.set_yscale("log")
        else:
            ax_lr.ticklabel_format(axis="y", style="sci", scilimits=(-2, 3))
            ax_lr.yaxis.get_offset_text().set_fontsize(_SMALL)
            ax_lr.set_ylim(bottom=0)

    if ax_gap is not None:
        _style(ax_gap, title="Gap: train − validation accuracy", ylabel="gap", xlabel="epoch")
        keep = np.isfinite(gap)
        ax_gap.axhline(0, color="#888888", linewidth=0.8)
        ax_gap.fill_between(x[keep], 0, gap[keep], color=GAP_COLOR, alpha=0.25, linewidth=0)
        ax_gap.plot(x[keep], gap[keep], color=GAP_COLOR, linewidth=1.5)
        ax_gap.yaxis.set_major_formatter(PercentFormatter(xmax=100 if percent else 1))

    if mark_epoch is not None:
        label = mark_label or f"epoch {mark_epoch}"
        for ax in (ax_loss, ax_acc, ax_lr, ax_gap):
            if ax is not None:
                ax.axvline(
                    mark_epoch,
                    color=MARK_COLOR,
                    linestyle=":",
                    linewidth=1.4,
                    label=label if ax in (ax_loss, ax_acc) else None,
                )
        hit = np.flatnonzero(x == mark_epoch)
        if hit.size and math.isfinite(vl[hit[0]]):
            ax_loss.plot(
                [mark_epoch],
                [vl[hit[0]]],
                marker="o",
                markersize=9,
                color=VAL_COLOR,
                markerfacecolor="none",
                markeredgewidth=1.6,
                linestyle="none",
            )

    for ax in (ax_loss, ax_acc):
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=_SMALL, frameon=False, loc="best")
    if x.size:
        ax_loss.set_xlim(x.min() - 0.5, x.max() + 0.5)
    if title:
        fig.suptitle(title, fontsize=_FONT + 3, fontweight="bold")
    return _save(fig, path)


def _bad(v: Any) -> bool:
    """A recorded value that is NaN or infinite."""
    if v is None or isinstance(v, (str, bytes)):
        return False
    try:
        return not math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def plot_confusion_matrix(
    cm: np.ndarray,
    classes: list[str],
    path: Path,
    *,
    title: str = "",
    normalize: bool = True,
) -> Path:
    """Plot a confusion matrix with every cell's count written in it.

    Rows are the true classes, columns the predicted ones. With
    ``normalize=True`` the colour of a cell is its fraction of the true class
    (the diagonal is each class's recall) and the cell shows the count and the
    percentage; otherwise the colour is the count. The figure grows with the
    number of classes and the column names are slanted, so ten classes with
    names like "Ankle boot" stay readable; beyond 30 classes the cells carry
    colour only.

    Args:
        cm: a square array of counts, shape (k, k), ``cm[true, predicted]``.
        classes: the k class names, in the order of ``cm``'s rows.
        path: the PNG file to write (folders are created).
        title: the title (default "Confusion matrix").
        normalize: colour by the fraction of each true class instead of the count.

    Returns:
        ``path``.

    Raises:
        ValueError: ``cm`` is not square or does not match ``classes``.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> import numpy as np
        >>> cm = np.array([[50, 2], [5, 43]])
        >>> p = plot_confusion_matrix(cm, ["cat", "dog"], Path(tempfile.mkdtemp()) / "cm.png")
        >>> p.suffix
        '.png'
    """
    cm = np.asarray(cm, dtype=float)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"cm: expected a square 2-D array of counts, got shape {cm.shape}")
    k = cm.shape[0]
    if len(classes) != k:
        raise ValueError(f"classes: expected {k} names for a {k}×{k} matrix, got {len(classes)}")
    names = [str(c) for c in classes]

    rows = cm.sum(axis=1, keepdims=True)  # (k, 1)
    frac = np.divide(cm, rows, out=np.zeros_like(cm), where=rows > 0)  # (k, k)
    color = frac if normalize else cm
    vmax = 1.0 if normalize else max(float(cm.max()), 1.0)

    side = min(max(0.55 * k + 3.0, 5.0), 16.0)
    fig = Figure(figsize=(side + 1.0, side), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    im = ax.imshow(color, cmap=CMAP, vmin=0.0, vmax=vmax, interpolation="nearest")
    cbar = fig.colorbar(im, ax=ax, shrink=0.8, pad=0.02)
    cbar.ax.tick_params(labelsize=_SMALL)
    if normalize:
        cbar.ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
        cbar.set_label("share of the true class", fontsize=_SMALL)
    else:
        cbar.set_label("count", fontsize=_SMALL)

    tick = _SMALL if k <= 12 else (8 if k <= 20 else 6)
    ax.set_xticks(range(k), names, rotation=40, ha="right", rotation_mode="anchor", fontsize=tick)
    ax.set_yticks(range(k), names, fontsize=tick)
    ax.set_xlabel("predicted class", fontsize=_FONT)
    ax.set_ylabel("true class", fontsize=_FONT)
    ax.set_xticks(np.arange(-0.5, k, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, k, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.0)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)

    if k <= 30:
        size = 9 if k <= 10 else (7 if k <= 20 else 5)
        for i in range(k):
            for j in range(k):
                count = cm[i, j]
                text = _count(count)
                if normalize and count:
                    share = 100 * frac[i, j]
                    text += "\n<1%" if share < 0.5 else f"\n{share:.0f}%"
                dark = color[i, j] > 0.55 * vmax
                ink = "white" if dark else ("#222222" if count else "#aaaaaa")
                ax.text(
                    j, i, text, ha="center", va="center", fontsize=size, color=ink, linespacing=1.1
                )

    total = float(cm.sum())
    acc = float(np.trace(cm)) / total if total else math.nan
    sub = f"accuracy {100 * acc:.1f}% of {_count(total)}" if total else "no examples"
    ax.set_title(f"{title or 'Confusion matrix'}\n", fontsize=_FONT + 2, fontweight="bold")
    ax.text(
        0.5,
        1.01,
        sub,
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=_SMALL,
        color="#555555",
    )
    return _save(fig, path)


def _count(x: float) -> str:
    """A count as an integer with thousands separators, or with decimals when fractional."""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"
