"""The transferability figure: test accuracy against the number of copied stages, per arm.

After Figure 2 of Yosinski et al. (2014): one point per seed, and each arm's
mean with its 95% interval, for BnB and BnB+ (blue, self-transfer) and AnB
and AnB+ (red, transfer from the other task), frozen arms filled and
fine-tuned (+) arms open; baseB at n = 0, with its interval drawn across as a
band, and baseB trained for the fine-tuned arms' total number of epochs as a
dashed band (the budget control).

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from types import SimpleNamespace as T
    >>> from trainlab.stats.transferability import analyze
    >>> from trainlab.report.figures.transferability import plot_transferability
    >>> trials = [T(variant=v, seed=s, status="done", metrics={"test_acc": a}, history=[])
    ...           for s in (0, 1) for v, a in (("baseB", 0.9), ("AnB1", 0.88), ("AnB+1", 0.92))]
    >>> out = plot_transferability(analyze(trials), Path(tempfile.mkdtemp()) / "t.png")
    >>> out.read_bytes()[:4] == b"\\x89PNG"
    True
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from trainlab.report.figures._base import save, style
from trainlab.stats.transferability import TransferAnalysis

#: arm → (colour, filled, x offset): Okabe–Ito blue for self, vermillion for other task
_STYLE = {
    "BnB": ("#0072B2", True, -0.15),
    "BnB+": ("#56B4E9", False, -0.05),
    "AnB": ("#D55E00", True, 0.05),
    "AnB+": ("#CC79A7", False, 0.15),
}
_BASE = "#444444"


def _band(ax, ci, color: str, dashed: bool, label: str, right: float) -> None:
    if not math.isfinite(ci.mean):
        return
    ls = "--" if dashed else "-"
    ax.axhline(100 * ci.mean, color=color, linestyle=ls, linewidth=1.0, label=label, zorder=1)
    if math.isfinite(ci.lo):
        ax.fill_between(
            [-0.5, right],
            100 * ci.lo,
            100 * ci.hi,
            color=color,
            alpha=0.08 if dashed else 0.13,
            linewidth=0,
            zorder=0,
        )


def plot_transferability(
    analysis: TransferAnalysis, path: str | Path, *, title: str = "Transferability"
) -> Path:
    """Draw the figure to ``path`` (PNG, written atomically); returns ``path``."""
    fig = Figure(figsize=(7.2, 4.4))
    ax = fig.add_subplot(1, 1, 1)
    right = (max(analysis.depths) if analysis.depths else 1) + 0.5
    base = analysis.bases.get("baseB")
    long = analysis.bases.get("baseB-2x")
    if base is not None:
        _band(ax, base, _BASE, False, "baseB (from scratch)", right)
        seeds = list(analysis.base_values["baseB"].values())
        ax.plot(
            np.zeros(len(seeds)),
            100 * np.asarray(seeds),
            "o",
            color="white",
            markeredgecolor=_BASE,
            markersize=5,
            zorder=3,
        )
    if long is not None:
        _band(ax, long, _BASE, True, "baseB, 2× the epochs (same budget as +)", right)
    for arm in analysis.arms:
        color, filled, dx = _STYLE[arm]
        ns = sorted(analysis.points[arm])
        for n in ns:
            vals = 100 * np.asarray(list(analysis.values[arm][n].values()))
            ax.plot(
                np.full(len(vals), n + dx),
                vals,
                "o",
                markersize=3,
                alpha=0.45,
                color=color,
                markerfacecolor=color if filled else "white",
                zorder=2,
            )
        means = [100 * analysis.points[arm][n].mean for n in ns]
        lo = [100 * (analysis.points[arm][n].mean - analysis.points[arm][n].lo) for n in ns]
        hi = [100 * (analysis.points[arm][n].hi - analysis.points[arm][n].mean) for n in ns]
        err = np.nan_to_num(np.array([lo, hi]), nan=0.0)
        ax.errorbar(
            np.asarray(ns) + dx,
            means,
            yerr=err,
            color=color,
            marker="o" if filled else "D",
            markersize=6,
            markerfacecolor=color if filled else "white",
            capsize=3,
            linewidth=1.4,
            label=arm,
            zorder=4,
        )
    seen = [v for arm in analysis.values.values() for s in arm.values() for v in s.values()]
    seen += [v for s in analysis.base_values.values() for v in s.values()]
    if seen:  # the data's range: an interval wider than that is clipped, not the axis stretched
        ax.set_ylim(max(0.0, 100 * min(seen) - 3), min(100.5, 100 * max(seen) + 1.5))
    ax.set_xlim(-0.5, right)
    ax.set_xticks(range(0, int(right) + 1))
    style(
        ax,
        title=title,
        ylabel=f"{analysis.metric} (%)",
        xlabel="stages copied from the base model (n)",
    )
    ax.legend(fontsize=8, loc="lower left", ncol=2, frameon=False)
    fig.tight_layout()
    return save(fig, Path(path))
