"""A confusion matrix with every cell's count, and its share of the true class, written in it.

Rows are the true classes, columns the predicted ones; with normalization the
colour of a cell is its fraction of the true class, so the diagonal reads as
each class's recall.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from trainlab.report.figures.confusion import plot_confusion_matrix
    >>> out = plot_confusion_matrix(np.array([[5, 1], [0, 4]]), ["cat", "dog"],
    ...                             Path(tempfile.mkdtemp()) / "cm.png")
    >>> out.suffix
    '.png'
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from trainlab.report.figures._base import CMAP, DPI, FONT, SMALL, save
from trainlab.report.format import count


def _colorbar(fig: Figure, ax: Axes, image, normalize: bool) -> None:
    cbar = fig.colorbar(image, ax=ax, shrink=0.8, pad=0.02)
    cbar.ax.tick_params(labelsize=SMALL)
    if normalize:
        cbar.ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
        cbar.set_label("share of the true class", fontsize=SMALL)
    else:
        cbar.set_label("count", fontsize=SMALL)


def _ticks(ax: Axes, names: list[str]) -> None:
    k = len(names)
    tick = SMALL if k <= 12 else (8 if k <= 20 else 6)
    ax.set_xticks(range(k), names, rotation=40, ha="right", rotation_mode="anchor", fontsize=tick)
    ax.set_yticks(range(k), names, fontsize=tick)
    ax.set_xlabel("predicted class", fontsize=FONT)
    ax.set_ylabel("true class", fontsize=FONT)
    ax.set_xticks(np.arange(-0.5, k, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, k, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.0)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _cells(
    ax: Axes, cm: np.ndarray, frac: np.ndarray, color: np.ndarray, vmax: float, normalize: bool
) -> None:
    """Each cell's count (and share), white on dark cells; nothing beyond 30 classes."""
    k = cm.shape[0]
    if k > 30:
        return
    size = 9 if k <= 10 else (7 if k <= 20 else 5)
    for i in range(k):
        for j in range(k):
            n = cm[i, j]
            text = count(n)
            if normalize and n:
                share = 100 * frac[i, j]
                text += "\n<1%" if share < 0.5 else f"\n{share:.0f}%"
            dark = color[i, j] > 0.55 * vmax
            ink = "white" if dark else ("#222222" if n else "#aaaaaa")
            ax.text(j, i, text, ha="center", va="center", fontsize=size, color=ink, linespacing=1.1)


def _title(ax: Axes, cm: np.ndarray, title: str) -> None:
    total = float(cm.sum())
    acc = float(np.trace(cm)) / total if total else math.nan
    sub = f"accuracy {100 * acc:.1f}% of {count(total)}" if total else "no examples"
    ax.set_title(f"{title or 'Confusion matrix'}\n", fontsize=FONT + 2, fontweight="bold")
    ax.text(
        0.5,
        1.01,
        sub,
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=SMALL,
        color="#555555",
    )


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

    rows = cm.sum(axis=1, keepdims=True)  # (k, 1)
    frac = np.divide(cm, rows, out=np.zeros_like(cm), where=rows > 0)  # (k, k)
    color = frac if normalize else cm
    vmax = 1.0 if normalize else max(float(cm.max()), 1.0)

    side = min(max(0.55 * k + 3.0, 5.0), 16.0)
    fig = Figure(figsize=(side + 1.0, side), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(color, cmap=CMAP, vmin=0.0, vmax=vmax, interpolation="nearest")
    _colorbar(fig, ax, image, normalize)
    _ticks(ax, [str(c) for c in classes])
    _cells(ax, cm, frac, color, vmax, normalize)
    _title(ax, cm, title)
    return save(fig, path)
