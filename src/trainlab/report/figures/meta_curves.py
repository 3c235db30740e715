"""A meta-learning run in one figure: training over episodes, and the test episodes.

Left: the mean query loss of the training episodes (blue) and, where there are
validation classes, the validation episodes' accuracy (vermillion, right axis),
with the kept model marked. Right: the histogram of the test episodes'
accuracies, their mean and its 95% interval (1.96 · std / √n), and chance
(1 / N).

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from trainlab.report.figures.meta_curves import plot_meta_curves
    >>> rows = [{"episode": 100, "loss": 1.2, "val_acc": 0.5}, {"episode": 200, "loss": 1.0,
    ...          "val_acc": 0.6}]
    >>> path = Path(tempfile.mkdtemp()) / "m.png"
    >>> plot_meta_curves(rows, [0.6, 0.7, 0.5], path, n_way=5, kept=200).name
    'm.png'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from trainlab.report.figures._base import (
    DPI,
    MARK_COLOR,
    SMALL,
    TRAIN_COLOR,
    VAL_COLOR,
    save,
    style,
)


def plot_meta_curves(
    rows: Sequence[dict[str, Any]],
    test_accuracies: Sequence[float],
    path: Path,
    *,
    n_way: int,
    kept: int | None = None,
    title: str = "",
) -> Path:
    """Draw the figure into ``path`` (PNG, written atomically) and return it."""
    fig = Figure(figsize=(9.5, 3.4), dpi=DPI)
    left, right = fig.subplots(1, 2)
    step = "episode" if rows and "episode" in rows[0] else "epoch"
    episodes = [r[step] for r in rows]
    if rows:
        left.plot(episodes, [r["loss"] for r in rows], color=TRAIN_COLOR, marker="o", ms=3)
        val = [r.get("val_acc", math.nan) for r in rows]
        if any(math.isfinite(v) for v in val):
            twin = left.twinx()
            twin.plot(episodes, val, color=VAL_COLOR, marker="s", ms=3)
            twin.set_ylabel("validation accuracy", color=VAL_COLOR, fontsize=SMALL)
            twin.tick_params(labelsize=SMALL)
        if kept is not None:
            left.axvline(kept, color=MARK_COLOR, linestyle=":", linewidth=1)
    style(
        left,
        title=f"{title}: meta-training" if title else "meta-training",
        xlabel="training episodes" if step == "episode" else "epochs (supervised training)",
        ylabel="query loss",
    )
    a = np.asarray(test_accuracies, dtype=float)
    if len(a):
        right.hist(a, bins=min(20, max(5, len(a) // 10)), color=TRAIN_COLOR, alpha=0.8)
        mean, ci = a.mean(), 1.96 * a.std() / math.sqrt(len(a))
        right.axvspan(mean - ci, mean + ci, color=VAL_COLOR, alpha=0.3)
        right.axvline(
            mean, color=VAL_COLOR, linewidth=1.5, label=f"mean {100 * mean:.1f}% ± {100 * ci:.1f}"
        )
        right.axvline(1 / n_way, color=MARK_COLOR, linestyle="--", linewidth=1, label="chance")
        right.legend(fontsize=SMALL, frameon=False)
    style(
        right,
        title=f"{len(a)} test episodes",
        xlabel="query accuracy of an episode",
        ylabel="episodes",
    )
    fig.tight_layout()
    return save(fig, path)
