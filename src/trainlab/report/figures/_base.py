"""What every trainlab figure shares: resolution, fonts, colours, panel style, atomic saving.

Drawn with matplotlib's object-oriented API on :class:`matplotlib.figure.Figure`
(Agg canvas, pyplot never imported), so plotting is thread-safe and needs no
display. Colours are from the Okabe–Ito palette (M. Okabe and K. Ito, *Color
Universal Design*, 2008), told apart by every common colour-vision deficiency.
Files are written atomically (temporary file, then :func:`os.replace`).

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from matplotlib.figure import Figure
    >>> from trainlab.report.figures._base import save, style
    >>> fig = Figure(figsize=(3, 2), dpi=DPI)
    >>> style(fig.add_subplot(), title="empty")
    >>> save(fig, Path(tempfile.mkdtemp()) / "empty.png").read_bytes()[:4] == b"\\x89PNG"
    True
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display; harmless when a backend is already chosen elsewhere

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

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

#: font sizes of titles and labels, and of ticks and legends
FONT = 10
SMALL = 9


def style(ax: Axes, *, title: str = "", ylabel: str = "", xlabel: str = "") -> None:
    """The house style of a panel: bold title on the left, light grid, no top/right spines."""
    ax.set_title(title, fontsize=FONT + 1, loc="left", fontweight="bold")
    ax.set_ylabel(ylabel, fontsize=FONT)
    ax.set_xlabel(xlabel, fontsize=FONT)
    ax.grid(True, color="#d0d0d0", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=SMALL)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))


def note(ax: Axes, text: str) -> None:
    """Grey words in the middle of an empty panel ("no epochs recorded")."""
    ax.text(
        0.5,
        0.5,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        color="#777777",
        fontsize=FONT,
    )


def save(fig: Figure, path: Path) -> Path:
    """Write ``fig`` as PNG to ``path`` atomically; returns ``path``."""
    path = Path(path)
    with atomic_path(path, ".png") as tmp:
        fig.savefig(tmp, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return path
