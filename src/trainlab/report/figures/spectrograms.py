"""A grid of spectrograms: rows of examples, columns of versions (original, augmented, …).

Each panel is one spectrogram (frequency rows × frames) drawn with the lowest
frequency at the bottom and time in seconds along the bottom edge; the
frequency axis is labelled in Hz at a few of its rows when their frequencies
are given (mel bands are not evenly spaced in Hz, so the ticks name bands).
Each panel has its own colour scale (a per-panel min–max), so a masked
stripe or a warp reads as the shape it is; or each row one scale
(``shared="row"``), so that a louder or noisier version reads as such.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from trainlab.report.figures.spectrograms import plot_spectrograms
    >>> grid = [[np.random.rand(40, 101)] * 2]
    >>> out = plot_spectrograms(grid, Path(tempfile.mkdtemp()) / "s.png",
    ...                         columns=["original", "time-mask"], seconds_per_frame=0.01)
    >>> out.read_bytes()[:4] == b"\\x89PNG"
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from trainlab.report.figures._base import DPI, FONT, SMALL, save

#: the colour map of spectrograms (perceptually uniform)
SPECTROGRAM_CMAP = "magma"


def _frequency_ticks(ax, frequencies: Sequence[float] | None, rows: int) -> None:
    if frequencies is None:
        ax.set_yticks([])
        return
    picks = np.linspace(0, rows - 1, num=min(4, rows)).round().astype(int)
    ax.set_yticks(picks, [f"{frequencies[i] / 1000:.1f}k" for i in picks], fontsize=SMALL - 2)


def plot_spectrograms(
    grid: Sequence[Sequence[np.ndarray]],
    path: Path,
    *,
    columns: Sequence[str] = (),
    rows: Sequence[str] | None = None,
    titles: Sequence[Sequence[str]] | None = None,
    frequencies: Sequence[float] | None = None,
    seconds_per_frame: float | None = None,
    title: str | None = None,
    shared: str = "panel",
) -> Path:
    """Write ``grid[r][c]`` (each (F, T)) as a PNG grid; returns ``path``.

    Args:
        grid: rows of spectrograms, one per column of ``columns``.
        columns: the column titles (e.g. "original" and augmentation names).
        titles: a title per panel instead (``titles[r][c]``), e.g. each example's class.
        rows: a label per row (e.g. the class), written at the left.
        frequencies: Hz of each frequency row, for the left axis of the first column.
        seconds_per_frame: hop length over sample rate, for the time axis.
        title: the figure's title.
        shared: ``"panel"``: each panel its own colour scale (shapes);
            ``"row"``: one scale per row (levels compare across a row: before and after).
    """
    n_rows, n_cols = len(grid), max(len(line) for line in grid)
    fig = Figure(figsize=(1.9 * n_cols + 0.6, 1.5 * n_rows + 0.6), dpi=DPI)
    axes = fig.subplots(n_rows, n_cols, squeeze=False)
    for r, line in enumerate(grid):
        lo = min(float(np.min(sp)) for sp in line) if shared == "row" else None
        hi = max(float(np.max(sp)) for sp in line) if shared == "row" else None
        for c, spec in enumerate(line):
            ax = axes[r][c]
            spec = np.asarray(spec, dtype=np.float32)
            frames = spec.shape[-1]
            right = frames * seconds_per_frame if seconds_per_frame else frames
            ax.imshow(
                spec,
                origin="lower",
                aspect="auto",
                cmap=SPECTROGRAM_CMAP,
                extent=(0, right, -0.5, spec.shape[0] - 0.5),
                interpolation="nearest",
                vmin=lo,
                vmax=hi,
            )
            ax.tick_params(labelsize=SMALL - 2, length=2)
            if c == 0:
                _frequency_ticks(ax, frequencies, spec.shape[0])
                if rows is not None:
                    ax.set_ylabel(str(rows[r]), fontsize=SMALL)
            else:
                ax.set_yticks([])
            if r < n_rows - 1:
                ax.set_xticks([])
            elif seconds_per_frame and c == 0:
                ax.set_xlabel("seconds", fontsize=SMALL - 1)
            if titles is not None:
                ax.set_title(str(titles[r][c]), fontsize=SMALL)
            elif r == 0 and c < len(columns):
                ax.set_title(columns[c], fontsize=SMALL)
        for c in range(len(line), n_cols):
            axes[r][c].axis("off")
    if title:
        fig.suptitle(title, fontsize=FONT)
    fig.tight_layout()
    return save(fig, path)
