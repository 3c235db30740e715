"""Study figures: variants side by side, with confidence intervals, as PNG files.

A study trains named variants of a recipe over several seeds; these figures
show what the statistics say (see :mod:`trainlab.report.study`):

* :func:`plot_metric_bars` — the mean of the chosen metric per variant with
  its 95% confidence interval, every seed as a dot, the baseline's mean as a
  reference line;
* :func:`plot_differences` — a forest plot of the paired difference from the
  baseline with its 95% CI; an interval that crosses zero is *no clear effect*;
* :func:`plot_gap_bars` — the generalization gap (train − test accuracy) per
  variant, the lecture's measure of overfitting;
* :func:`plot_variant_curves` — mean learning curves per variant, seeds that
  stopped early averaged out where they stop, small multiples beyond 10
  variants;
* :func:`plot_layer_probes` — activation spread, saturation, dead units and
  gradient norm per layer, at initialization and at the end, where the
  initialization story of X. Glorot and Y. Bengio (*Understanding the difficulty
  of training deep feedforward neural networks*, AISTATS 2010) and K. He et al.
  (*Delving deep into rectifiers*, ICCV 2015) shows: activations that shrink
  layer after layer under N(0, 0.01), saturate under N(0, 1), and keep their
  scale under Glorot / He.

Like :mod:`trainlab.report.plots`: object-oriented matplotlib on
:class:`~matplotlib.figure.Figure` (Agg, pyplot never imported), Okabe–Ito
colours, effects told apart by marker shape as well as colour, files written
atomically.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> rows = [{"variant": "baseline", "n": 3, "mean": 0.90, "lo": 0.88, "hi": 0.92,
    ...          "effect": "baseline", "diff": None}]
    >>> out = plot_metric_bars(rows, "test_acc", Path(tempfile.mkdtemp()) / "m.png",
    ...                        baseline="baseline")
    >>> out.read_bytes()[:4] == b"\\x89PNG"
    True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display; harmless when a backend is already chosen elsewhere

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import (
    AutoLocator,
    FuncFormatter,
    LogLocator,
    NullFormatter,
    PercentFormatter,
)

from trainlab.report.plots import _FONT, _SMALL, DPI, _note, _save, _style

#: effect → colour (Okabe–Ito: blue and vermillion stay apart under every common colour-vision
#: deficiency; "no clear effect" is a neutral grey)
EFFECT_COLORS = {
    "baseline": "#222222",
    "helps": "#0072B2",
    "hurts": "#D55E00",
    "no clear effect": "#A8A8A8",
}
#: effect → marker, so the forest plot reads in greyscale too
EFFECT_MARKERS = {"baseline": "D", "helps": "^", "hurts": "v", "no clear effect": "o"}
#: line colours for variants (Okabe–Ito without black, which marks the baseline)
VARIANT_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D00")
_STYLES = ("-", "--", ":", "-.")
_MARKERS = ("o", "s", "^", "v", "D", "P", "X")
BASELINE_COLOR = "#111111"
BASELINE_GREY = "#9a9a9a"
#: more variants than this in one panel and the curves go to small multiples
MAX_LINES = 10

_METRIC_NAMES = {
    "test_acc": "test accuracy",
    "test_loss": "test loss",
    "val_acc": "validation accuracy",
    "val_loss": "validation loss",
    "train_acc": "training accuracy",
    "train_loss": "training loss",
    "gap": "generalization gap",
    "seconds": "training time",
}


# ---------------------------------------------------------------------------- helpers


def _f(v: Any) -> float:
    """``v`` as a float; NaN when missing, a bool, or not a number."""
    if v is None or isinstance(v, (bool, str, bytes)):
        return math.nan
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def _finite(*values: float) -> bool:
    return all(math.isfinite(v) for v in values)


def metric_label(metric: str) -> str:
    """A metric's key in plain words.

    Example:
        >>> metric_label("test_acc"), metric_label("f1_macro")
        ('test accuracy', 'f1 macro')
    """
    return _METRIC_NAMES.get(metric, metric.replace("_", " "))


def higher_is_better(metric: str) -> bool:
    """Whether a larger value of ``metric`` is better (accuracies yes; losses, errors, time no).

    Example:
        >>> higher_is_better("test_acc"), higher_is_better("test_loss")
        (True, False)
    """
    m = metric.lower()
    return not any(w in m for w in ("loss", "error", "err", "seconds", "time", "mse", "mae"))


def is_accuracy(metric: str) -> bool:
    """Whether ``metric`` is an accuracy (shown in percent and differences in points)."""
    m = metric.lower()
    return "acc" in m or m in ("gap",) or m.endswith("_gap")


def metric_scale(metric: str, values: Iterable[Any]) -> float:
    """The factor that turns values of ``metric`` into display units.

    Accuracies stored as fractions (all values ≤ 1.5) are shown in percent, so
    their differences read as *points*: the factor is 100. Everything else is
    shown as it is (factor 1).

    Example:
        >>> metric_scale("test_acc", [0.91, 0.93]), metric_scale("test_acc", [91.0])
        (100.0, 1.0)
        >>> metric_scale("test_loss", [0.3])
        1.0
    """
    if not is_accuracy(metric):
        return 1.0
    xs = [abs(_f(v)) for v in values]
    xs = [x for x in xs if math.isfinite(x)]
    return 100.0 if not xs or max(xs) <= 1.5 else 1.0


def honest_effect(summary: Mapping[str, Any], metric: str = "") -> str:
    """The effect of a variant, never stronger than its confidence interval allows.

    ``"baseline"`` for the baseline (no ``diff``, ``effect == "baseline"``);
    otherwise the summary's own ``effect`` when the 95% CI of the difference
    excludes zero, and ``"no clear effect"`` whenever it includes zero or is
    unknown (one seed, NaN). Without an ``effect`` in the summary the side of
    zero decides, using :func:`higher_is_better` on ``metric``.

    Example:
        >>> d = {"mean": 0.8, "lo": -0.1, "hi": 1.7}
        >>> honest_effect({"diff": d, "effect": "helps"})
        'no clear effect'
        >>> honest_effect({"diff": {"mean": -2.0, "lo": -3.0, "hi": -1.0}}, "test_loss")
        'helps'
    """
    diff = summary.get("diff")
    claimed = summary.get("effect")
    if claimed == "baseline":
        return "baseline"
    if not isinstance(diff, Mapping):
        return "no clear effect"
    lo, hi, mean = _f(diff.get("lo")), _f(diff.get("hi")), _f(diff.get("mean"))
    if not _finite(lo, hi, mean) or lo <= 0.0 <= hi:
        return "no clear effect"
    if claimed in ("helps", "hurts", "no clear effect"):
        return str(claimed)
    good = (mean > 0) == higher_is_better(metric)
    return "helps" if good else "hurts"


def reference_of(summary: Mapping[str, Any], baseline: str | None = None) -> str | None:
    """The variant ``summary`` is compared against; None when it is a reference itself.

    A study may hold several comparisons (regularizers against a shallow
    baseline, init schemes against a deep one). A reference is the study's
    ``baseline``, a variant whose ``effect`` is ``"baseline"``, or one compared
    against itself; every other variant names its reference in ``against`` (or
    ``reference``), by default the study's ``baseline`` ("" when there is none).

    Example:
        >>> reference_of({"variant": "dropout"}, "baseline")
        'baseline'
        >>> reference_of({"variant": "he", "against": "glorot"}, "baseline")
        'glorot'
        >>> reference_of({"variant": "glorot", "effect": "baseline", "against": None}) is None
        True
    """
    name = str(summary.get("variant"))
    if (baseline and name == baseline) or summary.get("effect") == "baseline":
        return None
    for key in ("against", "reference"):
        v = summary.get(key)
        if isinstance(v, str) and v:
            return None if v == name else v
    return baseline if baseline else ""


def references(summaries: Sequence[Mapping[str, Any]], baseline: str | None = None) -> dict:
    """Variant → its reference (None for a reference itself); see :func:`reference_of`."""
    return {str(s.get("variant")): reference_of(s, baseline) for s in summaries}


def comparison_groups(
    summaries: Sequence[Mapping[str, Any]], baseline: str | None = None
) -> list[tuple[str, list[str]]]:
    """The comparisons of a study: (reference, its variants), in the order they first appear.

    Each list starts with the reference itself when it is among ``summaries``.

    Example:
        >>> rows = [{"variant": "base", "effect": "baseline"}, {"variant": "dropout"},
        ...         {"variant": "glorot", "effect": "baseline"},
        ...         {"variant": "he", "against": "glorot"}]
        >>> comparison_groups(rows, "base")
        [('base', ['base', 'dropout']), ('glorot', ['glorot', 'he'])]
    """
    out: dict[str, list[str]] = {}
    for name, ref in references(summaries, baseline).items():
        members = out.setdefault(name if ref is None else ref, [])
        if ref is None:
            members.insert(0, name)
        else:
            members.append(name)
    return list(out.items())


def _group_keys(names: Sequence[str], refs: Mapping[str, str | None]) -> list[str]:
    """Per row, the comparison it belongs to (its reference's name)."""
    out = []
    for n in names:
        ref = refs.get(n, "")
        out.append(n if ref is None else ref)
    return out


def _runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Contiguous runs of row indices: [0, 1, 2, 5] → [(0, 2), (5, 5)]."""
    out: list[tuple[int, int]] = []
    for r in sorted(rows):
        if out and r == out[-1][1] + 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


def _reference_lines(
    ax: Axes, names: Sequence[str], refs: Mapping[str, str | None], values: Mapping[str, float]
) -> None:
    """A dashed line at each reference's value, across the rows of its comparison only."""
    keys = _group_keys(names, refs)
    for key in dict.fromkeys(keys):
        x = _f(values.get(key))
        if not math.isfinite(x):
            continue
        for a, b in _runs([i for i, k in enumerate(keys) if k == key]):
            ax.vlines(
                x, a - 0.45, b + 0.45, colors="#111111", linestyles="--", linewidth=1.1, zorder=3
            )


def _group_separators(ax: Axes, names: Sequence[str], refs: Mapping[str, str | None]) -> None:
    """A thin rule between rows of different comparisons."""
    keys = _group_keys(names, refs)
    for i in range(1, len(keys)):
        if keys[i] != keys[i - 1]:
            ax.axhline(i - 0.5, color="#9a9a9a", linewidth=0.9, zorder=1)


def _variant_order(trials: Sequence[Mapping[str, Any]]) -> list[str]:
    order: list[str] = []
    for t in trials:
        v = str(t.get("variant"))
        if v not in order:
            order.append(v)
    return order


def _done(trial: Mapping[str, Any]) -> bool:
    return trial.get("status", "done") == "done"


def _short(name: str, limit: int = 28) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _as_set(baseline: str | Iterable[str] | None) -> set[str]:
    if baseline is None:
        return set()
    return {baseline} if isinstance(baseline, str) else {str(b) for b in baseline}


def _variant_styles(
    names: Sequence[str], baseline: str | Iterable[str] | None
) -> dict[str, dict[str, Any]]:
    """A distinct colour, line style and marker per variant; references black and thick.

    ``baseline`` is the reference's name, or the names of several references
    (each black, told apart by line style).
    """
    refs = _as_set(baseline)
    styles: dict[str, dict[str, Any]] = {}
    i = j = 0
    for name in names:
        if name in refs:
            styles[name] = {
                "color": BASELINE_COLOR,
                "ls": _STYLES[j % len(_STYLES)],
                "marker": "o",
                "lw": 2.8,
            }
            j += 1
            continue
        cycle = i // len(VARIANT_COLORS)
        styles[name] = {
            "color": VARIANT_COLORS[i % len(VARIANT_COLORS)],
            "ls": _STYLES[cycle % len(_STYLES)],
            "marker": _MARKERS[(i + cycle) % len(_MARKERS)],
            "lw": 1.7,
        }
        i += 1
    return styles


def _rows_figure(n: int, width: float = 9.5) -> tuple[Figure, Axes]:
    """One panel whose height grows with ``n`` rows (variants), so 20 rows stay readable."""
    fig = Figure(figsize=(width, 1.6 + 0.36 * max(n, 2)), dpi=DPI, layout="constrained")
    return fig, fig.add_subplot()


def _style_rows(ax: Axes, title: str) -> None:
    """:func:`_style` for a panel of rows, with a value axis that is not integer-only."""
    _style(ax, title=title)
    ax.xaxis.set_major_locator(AutoLocator())


def _label_rows(ax: Axes, names: Sequence[str], baseline: str | Iterable[str] | None) -> None:
    refs = _as_set(baseline)
    ax.set_yticks(range(len(names)), [_short(n) for n in names], fontsize=_SMALL)
    for tick, name in zip(ax.get_yticklabels(), names, strict=True):
        if name in refs:
            tick.set_fontweight("bold")
    ax.set_ylim(len(names) - 0.5, -0.5)  # first variant on top
    ax.grid(False, axis="y")
    ax.tick_params(axis="y", length=0)


def _effect_bar(
    ax: Axes, row: int, mean: float, lo: float, hi: float, effect: str, *, left: float = 0.0
) -> None:
    """One horizontal bar from ``left`` to ``mean``, coloured by ``effect``, with its interval."""
    ax.barh(
        row,
        mean - left,
        left=left,
        height=0.62,
        color=EFFECT_COLORS[effect],
        alpha=0.85 if effect != "no clear effect" else 0.7,
        hatch="///" if effect == "hurts" else None,
        edgecolor="white",
        linewidth=0.5,
    )
    if _finite(lo, hi):
        ax.errorbar(
            mean,
            row,
            xerr=[[mean - lo], [hi - mean]],
            fmt="none",
            ecolor="#111111",
            elinewidth=1.4,
            capsize=4,
            zorder=4,
        )


def _value_column(ax: Axes, y: float, text: str, **kw: Any) -> None:
    """Text in a column right of the panel, at data row ``y``."""
    ax.annotate(
        text,
        xy=(1.0, y),
        xycoords=("axes fraction", "data"),
        xytext=(6, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        fontsize=_SMALL,
        annotation_clip=False,
        **kw,
    )


def _effect_legend(
    ax: Axes, effects: Iterable[str], *, bars: bool, reference: str = "baseline"
) -> None:
    labels = {
        "baseline": reference,
        "helps": "helps (CI excludes 0)",
        "hurts": "hurts (CI excludes 0)",
        "no clear effect": "no clear effect (CI includes 0)",
    }
    present = [e for e in EFFECT_COLORS if e in set(effects)]
    if bars:
        handles = [
            Patch(facecolor=EFFECT_COLORS[e], hatch="///" if e == "hurts" else "", label=labels[e])
            for e in present
        ]
    else:
        handles = [
            Line2D(
                [],
                [],
                color=EFFECT_COLORS[e],
                marker=EFFECT_MARKERS[e],
                linestyle="none",
                markersize=7,
                label=labels[e],
            )
            for e in present
        ]
    if handles:
        ax.figure.legend(
            handles=handles,
            loc="outside lower center",
            ncol=min(len(handles), 4),
            fontsize=_SMALL,
            frameon=False,
        )


def _delta(x: float, points: bool) -> str:
    """A signed difference with a typographic minus: ``+1.5``, ``−4.0`` (points) or ``−0.0123``."""
    text = (f"{x:+.1f}" if abs(x) >= 0.05 or x == 0 else f"{x:+.2f}") if points else f"{x:+.3g}"
    return text.replace("-", "−")


def _fmt(v: float, scale: float, percent: bool) -> str:
    if not math.isfinite(v):
        return "—"
    x = v * scale
    if percent:
        return f"{x:.1f}%"
    return f"{x:.4g}"


# ---------------------------------------------------------------------------- bars


def plot_metric_bars(
    summaries: Sequence[Mapping[str, Any]],
    metric: str,
    path: Path,
    *,
    baseline: str,
    points: Mapping[str, Sequence[float]] | None = None,
) -> Path:
    """Plot the mean of ``metric`` per variant as horizontal bars with 95% CI whiskers.

    Variants are rows in the order given (the first on top), the baseline's
    bar dark and its mean a dashed vertical line; the other bars are coloured
    by :func:`honest_effect` (blue helps, vermillion and hatched hurts, grey no
    clear effect). A study with several comparisons (see
    :func:`comparison_groups`) draws every reference like the baseline, its
    dashed line only across the rows compared with it, and a thin rule between
    comparisons. Each seed's value is a dot on its bar, and the mean is
    written right of the panel. The value axis is zoomed to the data, since
    differences of a point on a 90% accuracy would vanish on an axis from 0;
    the axis label says so.

    Args:
        summaries: one dict per variant with ``variant``, ``mean``, ``lo``,
            ``hi`` and ``diff`` / ``effect`` (NaN where unknown).
        metric: the metric's key (``"test_acc"``), for the axis label and units.
        path: the PNG file to write (folders are created).
        baseline: the baseline variant's name.
        points: each variant's per-seed values, or None.

    Returns:
        ``path``.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> rows = [{"variant": "base", "mean": 0.9, "lo": 0.88, "hi": 0.92, "diff": None},
        ...         {"variant": "dropout", "mean": 0.92, "lo": 0.91, "hi": 0.93,
        ...          "diff": {"mean": 0.02, "lo": 0.01, "hi": 0.03}, "effect": "helps"}]
        >>> p = plot_metric_bars(rows, "test_acc", Path(tempfile.mkdtemp()) / "bars.png",
        ...     baseline="base", points={"base": [0.89, 0.9, 0.91], "dropout": [0.92] * 3})
        >>> p.stat().st_size > 1000
        True
    """
    points = points or {}
    names = [str(s.get("variant")) for s in summaries]
    means = np.array([_f(s.get("mean")) for s in summaries])
    los = np.array([_f(s.get("lo")) for s in summaries])
    his = np.array([_f(s.get("hi")) for s in summaries])
    seeds = {n: np.array([_f(v) for v in points.get(n, [])], dtype=float) for n in names}
    every = np.concatenate([means, los, his, *seeds.values()]) if names else np.array([])
    scale = metric_scale(metric, every)
    percent = scale == 100.0 or (is_accuracy(metric) and scale == 1.0 and every.size > 0)
    refs = references(summaries, baseline)
    is_ref = {n for n, r in refs.items() if r is None}
    multi = len(comparison_groups(summaries, baseline)) > 1
    effects = [
        "baseline" if n in is_ref else honest_effect(s, metric)
        for n, s in zip(names, summaries, strict=True)
    ]

    fig, ax = _rows_figure(len(names))
    _style_rows(ax, f"{metric_label(metric).capitalize()} per variant")
    if not names:
        _note(ax, "no variants")
        return _save(fig, path)

    shown = every[np.isfinite(every)] * scale
    if shown.size:
        lo_x, hi_x = float(shown.min()), float(shown.max())
        pad = max(0.12 * (hi_x - lo_x), 0.01 * max(abs(hi_x), 1e-9), 1e-6)
        left = lo_x - pad
        if lo_x >= 0 and left < 0:
            left = 0.0
        right = hi_x + pad
        if percent and right > 100 >= hi_x:
            right = 100.0 + 0.3 * pad
    else:
        left, right = 0.0, 1.0

    for i, (name, eff) in enumerate(zip(names, effects, strict=True)):
        m = means[i] * scale
        if math.isfinite(m):
            _effect_bar(ax, i, m, los[i] * scale, his[i] * scale, eff, left=left)
        s = seeds[name]
        s = s[np.isfinite(s)] * scale
        if s.size:
            jitter = np.linspace(-0.16, 0.16, s.size) if s.size > 1 else np.zeros(1)
            ax.scatter(
                s,
                i + jitter,
                s=16,
                facecolor="white",
                edgecolor="#111111",
                linewidth=0.9,
                zorder=5,
            )
        text = _fmt(means[i], scale, percent)
        _value_column(ax, i, text, fontweight="bold" if name in is_ref else "normal")

    _reference_lines(ax, names, refs, {n: means[i] * scale for i, n in enumerate(names)})
    if multi:
        _group_separators(ax, names, refs)
    ax.set_xlim(left, right)
    _label_rows(ax, names, is_ref)
    if percent:
        whole = right - left >= 4
        ax.xaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0 if whole else None))
    zoomed = left > 0 and shown.size > 0
    ax.set_xlabel(
        f"{metric_label(metric)}, mean over seeds (axis zoomed: it does not start at 0)"
        if zoomed
        else f"{metric_label(metric)} (mean over seeds)",
        fontsize=_SMALL,
    )
    handles = [
        Line2D([], [], color="#111111", marker="|", markersize=10, linestyle="-", label="95% CI"),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markerfacecolor="white",
            markeredgecolor="#111111",
            label="one seed",
        ),
        Line2D(
            [],
            [],
            color="#111111",
            linestyle="--",
            label="reference mean (its rows)" if multi else "baseline mean",
        ),
    ]
    handles += [
        Patch(
            facecolor=EFFECT_COLORS[e],
            hatch="///" if e == "hurts" else "",
            label="reference" if e == "baseline" and multi else e,
        )
        for e in EFFECT_COLORS
        if e in effects
    ]
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncol=min(len(handles), 7),
        fontsize=_SMALL,
        frameon=False,
    )
    return _save(fig, path)


def _forest_rows(
    ax: Axes,
    rows: Sequence[Mapping[str, Any]],
    names: Sequence[str],
    effects: Sequence[str],
    *,
    scale: float,
    accuracy: bool,
    reference_text: str,
) -> np.ndarray:
    """Draw one forest panel's rows; returns the finite interval ends and means drawn."""
    diffs = [s.get("diff") if isinstance(s.get("diff"), Mapping) else None for s in rows]
    mean = np.array([_f(d.get("mean")) if d else math.nan for d in diffs])
    lo = np.array([_f(d.get("lo")) if d else math.nan for d in diffs])
    hi = np.array([_f(d.get("hi")) if d else math.nan for d in diffs])
    ax.axvline(0, color="#111111", linewidth=1.1, zorder=2)
    for i, (d, eff) in enumerate(zip(diffs, effects, strict=True)):
        color = EFFECT_COLORS[eff]
        if eff == "baseline":
            ax.plot([0], [i], marker="D", color=EFFECT_COLORS["baseline"], markersize=7, zorder=4)
            _value_column(ax, i, reference_text, color="#333333", style="italic")
            continue
        if d is None or not math.isfinite(mean[i]):
            _value_column(ax, i, "no paired seeds", color="#666666", style="italic")
            continue
        m = mean[i] * scale
        if _finite(lo[i], hi[i]):
            ax.hlines(i, lo[i] * scale, hi[i] * scale, color=color, linewidth=2.4, zorder=3)
            for end in (lo[i], hi[i]):
                ax.vlines(end * scale, i - 0.15, i + 0.15, color=color, linewidth=1.4, zorder=3)
        ax.plot(
            [m],
            [i],
            marker=EFFECT_MARKERS[eff],
            color=color,
            markersize=8,
            markeredgecolor="#111111" if eff == "no clear effect" else color,
            zorder=4,
        )
        p = _f(d.get("p"))
        ci = (
            f" [{_delta(lo[i] * scale, accuracy)}, {_delta(hi[i] * scale, accuracy)}]"
            if _finite(lo[i], hi[i])
            else " (no CI)"
        )
        ptxt = "" if not math.isfinite(p) else (", p<0.001" if p < 0.001 else f", p={p:.2g}")
        _value_column(ax, i, f"{_delta(m, accuracy)}{ci}{ptxt}", color="#333333")
    _label_rows(ax, names, [n for n, e in zip(names, effects, strict=True) if e == "baseline"])
    ends = np.concatenate([lo, hi, mean]) * scale
    return ends[np.isfinite(ends)]


def _forest_limits(ax: Axes, ends: np.ndarray) -> None:
    """x limits around zero and the intervals, with room on both sides of zero."""
    if not ends.size:
        return
    low, high = min(float(ends.min()), 0.0), max(float(ends.max()), 0.0)
    span = max(high - low, 1e-9)
    low, high = min(low, -0.18 * span), max(high, 0.18 * span)
    pad = 0.08 * (high - low)
    ax.set_xlim(low - pad, high + pad)


def plot_differences(
    summaries: Sequence[Mapping[str, Any]],
    path: Path,
    *,
    metric: str = "",
    baseline: str | None = None,
) -> Path:
    """Forest plot: each variant's paired difference from its reference with its 95% CI.

    A point per variant at the mean difference (variant − reference over the
    seeds both ran), a whisker for the CI, a vertical line at zero. Colour and
    marker give :func:`honest_effect`: an interval that crosses zero is grey
    whatever its mean. The reference keeps its row, a diamond at zero, and
    variants without a difference (no paired seeds) keep theirs, labelled, so
    the rows line up with :func:`plot_metric_bars`. Accuracy differences are in
    percentage points. A study with several comparisons (see
    :func:`comparison_groups`) gets one panel per comparison, each with its own
    axis, named after its reference.

    Args:
        summaries: one dict per variant with ``variant``, ``diff`` (``mean``,
            ``lo``, ``hi``, ``p``) or None, ``effect`` and ``against`` (its
            reference; default: the baseline).
        path: the PNG file to write (folders are created).
        metric: the compared metric's key, for the label and the units.
        baseline: the baseline's name (default: the variant whose ``effect``
            is ``"baseline"``).

    Returns:
        ``path``.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> rows = [{"variant": "base", "effect": "baseline", "diff": None},
        ...         {"variant": "l1", "effect": "no clear effect",
        ...          "diff": {"mean": -0.001, "lo": -0.009, "hi": 0.007, "p": 0.8}}]
        >>> plot_differences(rows, Path(tempfile.mkdtemp()) / "d.png").name
        'd.png'
    """
    names = [str(s.get("variant")) for s in summaries]
    if baseline is None:
        baseline = next(
            (n for n, s in zip(names, summaries, strict=True) if s.get("effect") == "baseline"), ""
        )
    accuracy = is_accuracy(metric) if metric else False
    scale = metric_scale(metric, [_f(s.get("mean")) for s in summaries]) if metric else 1.0
    unit = " (points)" if accuracy else ""
    label = f"Δ {metric_label(metric)}" if metric else "Δ"
    refs = references(summaries, baseline)
    groups = comparison_groups(summaries, baseline)
    by_name = dict(zip(names, summaries, strict=True))

    def effect(name: str) -> str:
        return "baseline" if refs[name] is None else honest_effect(by_name[name], metric)

    if len(groups) <= 1:
        fig, ax = _rows_figure(len(names))
        _style_rows(ax, "Difference from the baseline, 95% CI")
        effects = [effect(n) for n in names]
        ends = _forest_rows(
            ax,
            summaries,
            names,
            effects,
            scale=scale,
            accuracy=accuracy,
            reference_text="baseline",
        )
        if not ends.size:
            _note(ax, "no paired differences (one variant, or no seeds in common)")
        _forest_limits(ax, ends)
        ax.set_xlabel(f"{label}{unit}: variant − baseline, paired by seed", fontsize=_SMALL)
        _effect_legend(ax, effects, bars=False)
        return _save(fig, path)

    sizes = [len(members) for _, members in groups]
    fig = Figure(
        figsize=(9.5, 1.4 + 0.36 * sum(sizes) + 0.75 * len(groups)),
        dpi=DPI,
        layout="constrained",
    )
    axes = fig.subplots(len(groups), 1, squeeze=False, height_ratios=[max(k, 2) for k in sizes])
    every: list[str] = []
    for ax, (ref, members) in zip(axes[:, 0], groups, strict=True):
        _style_rows(ax, f"vs {_short(ref, 40)}" if ref else "without a reference")
        ax.title.set_fontsize(_FONT)
        effects = [effect(n) for n in members]
        every += effects
        ends = _forest_rows(
            ax,
            [by_name[n] for n in members],
            members,
            effects,
            scale=scale,
            accuracy=accuracy,
            reference_text="reference",
        )
        if not ends.size:
            _note(ax, "no paired differences")
        _forest_limits(ax, ends)
        ax.set_xlabel(
            f"{label}{unit}: variant − {_short(ref, 40) or 'reference'}, paired by seed",
            fontsize=_SMALL,
        )
    fig.suptitle(
        "Difference from each variant's reference, 95% CI",
        fontsize=_FONT + 2,
        fontweight="bold",
    )
    _effect_legend(axes[0, 0], every, bars=False, reference="reference")
    return _save(fig, path)


def plot_gap_bars(
    summaries: Sequence[Mapping[str, Any]],
    path: Path,
    *,
    baseline: str | None = None,
    scale: float | None = None,
) -> Path:
    """Plot the generalization gap (train − test accuracy) per variant with its 95% CI.

    Bars start at zero; the baseline's gap is a dashed reference line. A
    variant whose gap differs clearly from the baseline's (``gap_diff`` CI
    excluding zero) is blue when the gap shrank and vermillion (hatched) when it
    widened; the rest are grey. With several comparisons (see
    :func:`comparison_groups`) each reference is drawn like the baseline and its
    dashed line spans only the rows compared with it. A smaller gap means less overfitting, not
    necessarily a better model: read it next to :func:`plot_metric_bars`.

    Args:
        summaries: one dict per variant with ``variant``, ``gap`` (``mean``,
            ``lo``, ``hi``) and ``gap_diff`` (or None).
        path: the PNG file to write (folders are created).
        baseline: the baseline's name (default: the variant whose ``effect``
            is ``"baseline"``).
        scale: factor to percentage points (default: 100 when every gap is
            within ±1, i.e. accuracies stored as fractions).

    Returns:
        ``path``.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> rows = [{"variant": "base", "effect": "baseline",
        ...          "gap": {"mean": 0.05, "lo": 0.04, "hi": 0.06}}]
        >>> plot_gap_bars(rows, Path(tempfile.mkdtemp()) / "g.png").suffix
        '.png'
    """
    names = [str(s.get("variant")) for s in summaries]
    if baseline is None:
        baseline = next(
            (n for n, s in zip(names, summaries, strict=True) if s.get("effect") == "baseline"), ""
        )

    def part(s: Mapping[str, Any], key: str) -> float:
        g = s.get("gap")
        return _f(g.get(key)) if isinstance(g, Mapping) else math.nan

    mean = np.array([part(s, "mean") for s in summaries])
    lo = np.array([part(s, "lo") for s in summaries])
    hi = np.array([part(s, "hi") for s in summaries])
    if scale is None:
        finite = np.abs(mean[np.isfinite(mean)])
        scale = 100.0 if not finite.size or finite.max() <= 1.0 else 1.0

    refs = references(summaries, baseline)
    is_ref = {n for n, r in refs.items() if r is None}
    multi = len(comparison_groups(summaries, baseline)) > 1
    kinds = []
    for name, s in zip(names, summaries, strict=True):
        gd = s.get("gap_diff")
        if name in is_ref:
            kinds.append("baseline")
        elif isinstance(gd, Mapping) and _finite(_f(gd.get("lo")), _f(gd.get("hi"))):
            if _f(gd.get("hi")) < 0:
                kinds.append("helps")  # shrank
            elif _f(gd.get("lo")) > 0:
                kinds.append("hurts")  # widened
            else:
                kinds.append("no clear effect")
        else:
            kinds.append("no clear effect")

    fig, ax = _rows_figure(len(names))
    _style_rows(ax, "Generalization gap: train − test accuracy")
    if not np.isfinite(mean).any():
        _note(ax, "no gap recorded")
    for i, kind in enumerate(kinds):
        if not math.isfinite(mean[i]):
            _value_column(ax, i, "—", color="#666666")
            continue
        m = mean[i] * scale
        _effect_bar(ax, i, m, lo[i] * scale, hi[i] * scale, kind)
        _value_column(ax, i, f"{m:+.1f}" if scale == 100.0 else f"{m:+.3g}")
    _reference_lines(ax, names, refs, {n: mean[i] * scale for i, n in enumerate(names)})
    if multi:
        _group_separators(ax, names, refs)
    ax.axvline(0, color="#666666", linewidth=0.8)
    _label_rows(ax, names, is_ref)
    ax.set_xlabel(
        "train − test accuracy (percentage points); smaller = less overfitting"
        if scale == 100.0
        else "train − test accuracy; smaller = less overfitting",
        fontsize=_SMALL,
    )
    labels = {
        "baseline": "reference (dashed: its gap, across its rows)"
        if multi
        else "baseline (dashed: its gap)",
        "helps": "gap shrank (CI excludes 0)",
        "hurts": "gap widened (CI excludes 0)",
        "no clear effect": "no clear change",
    }
    handles = [
        Patch(facecolor=EFFECT_COLORS[k], hatch="///" if k == "hurts" else "", label=labels[k])
        for k in EFFECT_COLORS
        if k in kinds
    ]
    if handles:
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncol=len(handles),
            fontsize=_SMALL,
            frameon=False,
        )
    return _save(fig, path)


# ---------------------------------------------------------------------------- curves


def curve_stats(
    histories: Sequence[Sequence[Mapping[str, Any]]], key: str
) -> dict[str, np.ndarray]:
    """Mean, min, max and seed count per epoch of ``key`` over several histories.

    Seeds that stopped early (early stopping) simply drop out: each epoch is
    averaged over the seeds that reached it. NaN and infinite values (a
    diverged run) are left out too.

    Args:
        histories: one history (list of per-epoch dicts) per seed.
        key: the column, e.g. ``"val_loss"``.

    Returns:
        ``{"epoch", "mean", "min", "max", "count"}``, arrays of shape (e,)
        over the union of the epochs.

    Example:
        >>> s = curve_stats([[{"epoch": 1, "val_loss": 1.0}, {"epoch": 2, "val_loss": 0.5}],
        ...                  [{"epoch": 1, "val_loss": 3.0}]], "val_loss")
        >>> s["mean"].tolist(), s["count"].tolist()
        ([2.0, 0.5], [2, 1])
    """
    by_epoch: dict[float, list[float]] = {}
    for history in histories:
        for i, row in enumerate(history):
            e = _f(row.get("epoch"))
            e = float(i + 1) if not math.isfinite(e) else e
            v = _f(row.get(key))
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
    return {"epoch": epochs, **out, "count": count}


def _draw_curve(
    ax: Axes, s: dict[str, np.ndarray], style: Mapping[str, Any], label: str | None
) -> None:
    x, m = s["epoch"], s["mean"]
    keep = np.isfinite(m)
    if not keep.any():
        return
    color, lw = style["color"], style["lw"]
    ax.fill_between(x[keep], s["min"][keep], s["max"][keep], color=color, alpha=0.14, linewidth=0)
    full = s["count"] == s["count"].max()
    ax.plot(x[keep], m[keep], color=color, linestyle=style["ls"], linewidth=lw * 0.45, alpha=0.8)
    ax.plot(
        x,
        np.where(full & keep, m, np.nan),
        color=color,
        linestyle=style["ls"],
        linewidth=lw,
        label=label,
    )
    last = np.flatnonzero(keep)[-1]
    ax.plot([x[last]], [m[last]], marker=style["marker"], color=color, markersize=4.5)


#: a loss axis turns logarithmic when its values span more than this factor
LOG_RATIO = 5.0


def _wants_log(values: np.ndarray) -> bool:
    v = values[np.isfinite(values)]
    return bool(v.size) and float(v.min()) > 0 and float(v.max()) / float(v.min()) > LOG_RATIO


def _log_y(ax: Axes) -> None:
    """A log y axis with plain tick labels (0.2, 0.5, 1, 2) rather than powers of ten."""
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())


def _curve_values(s: Mapping[str, np.ndarray]) -> np.ndarray:
    return np.concatenate([s["mean"], s["min"], s["max"]])


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


def plot_variant_curves(
    trials: Sequence[Mapping[str, Any]],
    path: Path,
    *,
    key: str = "val_loss",
    baseline: str | None = None,
    order: Sequence[str] | None = None,
    references: Mapping[str, str | None] | None = None,
) -> Path:
    """Plot one mean learning curve per variant (``key`` per epoch, averaged over seeds).

    The band around each curve spans the seeds' minimum to maximum. Where some
    seeds have already stopped (early stopping) the mean goes on over the
    seeds left and the line turns thin, so a jump there reads as fewer seeds,
    not as learning. References are black and thick. With more than
    :data:`MAX_LINES` variants the figure becomes small multiples: one panel
    per variant, with its own reference in grey (the baseline, or the variant
    named in ``references``). Each comparison starts a new row of panels and
    its panels share the y axis; a loss spanning more than a factor
    :data:`LOG_RATIO` is drawn on a log axis, so one run stuck at a high loss
    does not flatten the others.

    Args:
        trials: trial dicts with ``variant``, ``status`` and ``history``;
            only finished trials (``status == "done"``) count.
        path: the PNG file to write (folders are created).
        key: the history column, e.g. ``"val_loss"`` or ``"val_acc"``.
        baseline: the baseline's name (default: the first variant).
        order: the variants in display order (default: as they first appear).
        references: variant → the variant it is compared against, None for a
            reference (default: every variant against ``baseline``); see
            :func:`references`.

    Returns:
        ``path``.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> h = [{"epoch": e, "val_loss": 1 / e} for e in (1, 2, 3)]
        >>> t = [{"variant": "base", "seed": s, "status": "done", "history": h} for s in (0, 1)]
        >>> plot_variant_curves(t, Path(tempfile.mkdtemp()) / "c.png").suffix
        '.png'
    """
    names = list(order) if order is not None else _variant_order(trials)
    names += [n for n in _variant_order(trials) if n not in names]
    if baseline is None and names:
        baseline = names[0]
    stats: dict[str, dict[str, np.ndarray]] = {}
    for name in names:
        hs = [
            t.get("history") or []
            for t in trials
            if str(t.get("variant")) == name and _done(t) and t.get("history")
        ]
        s = curve_stats(hs, key) if hs else None
        if s is not None and np.isfinite(s["mean"]).any():
            stats[name] = s
    label = metric_label(key)
    accuracy = is_accuracy(key)
    every = np.concatenate([s["mean"] for s in stats.values()]) if stats else np.array([])
    percent = accuracy and every.size > 0 and np.nanmax(np.abs(every)) <= 1.5
    shown = [n for n in names if n in stats]
    refs: dict[str, str | None] = {}
    for n in names:
        given = references.get(n, "") if references is not None else ""
        if n == baseline or (references is not None and n in references and given is None):
            refs[n] = None
        else:
            refs[n] = given or (baseline if baseline else "")
    ref_names = [n for n in shown if refs[n] is None]
    styles = _variant_styles(shown, ref_names)
    multi = len({n if refs[n] is None else refs[n] for n in names}) > 1

    def ref_label(name: str) -> str:
        if name == baseline and name.lower() == "baseline":
            return _short(name)
        return _short(name) + (" (reference)" if multi else " (baseline)")

    if len(shown) <= MAX_LINES:
        fig = Figure(figsize=(9.5, 5.2), dpi=DPI, layout="constrained")
        ax = fig.add_subplot()
        _style(ax, title=f"{label.capitalize()} per epoch, mean over seeds", ylabel=label)
        ax.set_xlabel("epoch", fontsize=_FONT)
        if not shown:
            _note(ax, f"no {label} recorded")
        for name in shown:
            if refs[name] is not None:
                _draw_curve(ax, stats[name], styles[name], _short(name))
        for name in ref_names:
            _draw_curve(ax, stats[name], styles[name], ref_label(name))
        if percent:
            ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
        elif not accuracy and _wants_log(every):
            _log_y(ax)
        if shown:
            ax.legend(
                fontsize=_SMALL,
                frameon=False,
                loc="upper left",
                bbox_to_anchor=(1.01, 1.0),
                title="band: min–max over seeds",
                title_fontsize=_SMALL - 1,
            )
        return _save(fig, path)

    # small multiples: one block of rows per comparison, each panel against its own reference
    groups: dict[str, list[str]] = {}
    for name in shown:
        groups.setdefault(name if refs[name] is None else str(refs[name]), [])
        if refs[name] is not None:
            groups[str(refs[name])].append(name)
    blocks = [(ref, members or [ref]) for ref, members in groups.items()]
    total = sum(len(m) for _, m in blocks)
    ncols = 4 if total > 6 else 3
    layout: list[tuple[int, int, str, str]] = []  # (row, col, panel's variant, its reference)
    row = 0
    for ref, members in blocks:
        for k, name in enumerate(members):
            layout.append((row + k // ncols, k % ncols, name, ref))
        row += math.ceil(len(members) / ncols)
    nrows = max(row, 1)
    fig = Figure(figsize=(12.5, 1.0 + 2.15 * nrows), dpi=DPI, layout="constrained")
    axes = fig.subplots(nrows, ncols, sharex=True, squeeze=False)
    used = {(r, c) for r, c, _, _ in layout}
    layout_ref = {(r, c): ref for r, c, _, ref in layout}
    for r in range(nrows):
        for c in range(ncols):
            if (r, c) not in used:
                axes[r, c].set_visible(False)
    grey = {"color": BASELINE_GREY, "ls": "-", "marker": "o", "lw": 2.2}
    panel_values: dict[str, np.ndarray] = {}
    for _, _, name, ref in layout:
        own = [_curve_values(stats[name])]
        if ref in stats and name != ref:
            own.append(_curve_values(stats[ref]))
        panel_values[name] = np.concatenate(own)
    log_of = {
        ref: not accuracy
        and not percent
        and _wants_log(np.concatenate([panel_values[n] for n in members]))
        for ref, members in blocks
    }
    wide = set()
    for ref, members in blocks:
        wide |= _wide_panels({n: panel_values[n] for n in members}, log=log_of[ref])
    first_of: dict[str, Axes] = {}
    shared_at: set[tuple[int, int]] = set()
    for r, c, name, ref in layout:
        ax = axes[r, c]
        _style(ax)
        ax.set_title(_short(name, 30), fontsize=_SMALL + 1, loc="left", fontweight="bold")
        if name in wide:
            ax.set_title("own y scale", fontsize=_SMALL - 1, loc="right", color="#555555")
        if ref in stats and name != ref:
            _draw_curve(ax, stats[ref], grey, None)
        own = dict(styles[name])
        own["color"] = VARIANT_COLORS[0] if name != ref else BASELINE_COLOR
        own["ls"] = "-"
        _draw_curve(ax, stats[name], own, None)
        if name not in wide:
            if ref in first_of:
                ax.sharey(first_of[ref])
            else:
                first_of[ref] = ax
            if (r, c - 1) in shared_at and layout_ref.get((r, c - 1)) == ref:
                ax.tick_params(labelleft=False)
            shared_at.add((r, c))
        if c == 0:
            ylabel = f"{label}\ngrey: {_short(ref, 26)}" if multi and ref != name else label
            ax.set_ylabel(ylabel, fontsize=_SMALL)
        if (r + 1, c) not in used:
            ax.set_xlabel("epoch", fontsize=_SMALL)
            ax.tick_params(labelbottom=True)
    for r, c, _, ref in layout:
        ax = axes[r, c]
        if percent:
            ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
        elif log_of[ref]:
            _log_y(ax)
    fig.suptitle(
        f"{label.capitalize()} per epoch, mean over seeds (band: min–max)"
        + (", each panel against its own reference" if multi else ""),
        fontsize=_FONT + 2,
        fontweight="bold",
    )
    if multi:
        grey_label = "the panel's reference (named at the left of its row)"
    elif baseline and baseline.lower() == "baseline":
        grey_label = "baseline"
    else:
        grey_label = f"baseline: {baseline}"
    fig.legend(
        handles=[
            Line2D([], [], color=BASELINE_GREY, linewidth=2.2, label=grey_label),
            Line2D([], [], color=VARIANT_COLORS[0], linewidth=1.7, label="the panel's variant"),
        ],
        loc="outside lower center",
        ncol=2,
        fontsize=_SMALL,
        frameon=False,
    )
    return _save(fig, path)


# ---------------------------------------------------------------------------- probes

#: probe panels: (key, title, log scale, fraction)
_PROBE_PANELS = (
    ("act_std", "Activation std", True, False),
    ("saturated", "Saturated fraction", False, True),
    ("dead", "Dead fraction", False, True),
    ("grad_norm", "Gradient norm", True, False),
)


def probe_profiles(
    trials: Sequence[Mapping[str, Any]],
) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """Per-variant, per-layer probe statistics at the first and the last recorded epoch.

    For every finished trial with ``probes["records"]``, the record of epoch 0
    (initialization; else the earliest one) and the latest record are taken;
    each layer's ``act_std``, ``saturated``, ``dead`` and ``grad_norm`` are then
    averaged over the variant's seeds (NaN where not recorded).

    Args:
        trials: trial dicts with ``variant``, ``status`` and ``probes``.

    Returns:
        The layer names in depth order (first seen), and per variant
        ``{"first": {key: array (layers,)}, "last": {...}, "first_epoch",
        "last_epoch", "seeds", "layers"}`` (``layers``: the variant's own
        layers in depth order; the arrays follow the shared list).

    Example:
        >>> rec = [{"epoch": 0, "layers": [{"name": "fc1", "act_std": 0.5}]}]
        >>> layers, p = probe_profiles([{"variant": "v", "probes": {"records": rec}}])
        >>> layers, float(p["v"]["first"]["act_std"][0])
        (['fc1'], 0.5)
    """
    layers: list[str] = []
    raw: dict[str, list[tuple[Mapping[str, Any], Mapping[str, Any]]]] = {}
    for t in trials:
        probes = t.get("probes")
        if not _done(t) or not isinstance(probes, Mapping):
            continue
        records = [r for r in probes.get("records") or [] if isinstance(r, Mapping)]
        if not records:
            continue
        records = sorted(
            records, key=lambda r: _f(r.get("epoch")) if _finite(_f(r.get("epoch"))) else 0
        )
        first, last = records[0], records[-1]
        for r in (first, last):
            for layer in r.get("layers") or []:
                name = str(layer.get("name"))
                if name not in layers:
                    layers.append(name)
        raw.setdefault(str(t.get("variant")), []).append((first, last))

    index = {n: i for i, n in enumerate(layers)}
    out: dict[str, dict[str, Any]] = {}
    for variant, pairs in raw.items():
        own: list[str] = []
        for pair in pairs:
            for rec in pair:
                for layer in rec.get("layers") or []:
                    if str(layer.get("name")) not in own:
                        own.append(str(layer.get("name")))
        entry: dict[str, Any] = {"seeds": len(pairs), "layers": own}
        for which, pos in (("first", 0), ("last", 1)):
            stacked = {k: np.full((len(pairs), len(layers)), np.nan) for k, *_ in _PROBE_PANELS}
            epochs = []
            for j, pair in enumerate(pairs):
                rec = pair[pos]
                epochs.append(_f(rec.get("epoch")))
                for layer in rec.get("layers") or []:
                    col = index[str(layer.get("name"))]
                    for k in stacked:
                        stacked[k][j, col] = _f(layer.get(k))
            entry[which] = {k: _nanmean(v) for k, v in stacked.items()}
            finite = [e for e in epochs if math.isfinite(e)]
            entry[f"{which}_epoch"] = int(max(finite)) if finite else None
        out[variant] = entry
    return layers, out


def _nanmean(a: np.ndarray) -> np.ndarray:
    """Column means ignoring NaN, NaN where a column has no value (no warning). Shape (cols,)."""
    finite = np.isfinite(a)
    n = finite.sum(axis=0)
    s = np.where(finite, a, 0.0).sum(axis=0)
    return np.divide(s, n, out=np.full(a.shape[1], np.nan), where=n > 0)


def _depth_labels(columns: Sequence[Sequence[str]]) -> list[str]:
    """Tick labels per depth position: the layer's name where every network agrees, else its
    position from the input (1, 2, …)."""
    depth = max((len(c) for c in columns), default=0)
    out = []
    for k in range(depth):
        at = {c[k] for c in columns if k < len(c)}
        out.append(_short(next(iter(at)), 14) if len(at) == 1 else str(k + 1))
    return out


def _probe_block(
    fig: Figure | Any,
    names: Sequence[str],
    profiles: Mapping[str, Mapping[str, Any]],
    layers: Sequence[str],
    refs: set[str],
    *,
    title: str,
    reference_word: str,
) -> None:
    """Two rows (first and last recorded epoch) × four panels for one group of variants."""
    styles = _variant_styles(names, refs)
    index = {n: i for i, n in enumerate(layers)}
    columns = [list(profiles[n].get("layers") or layers) for n in names]
    ticks = _depth_labels(columns)
    axes = fig.subplots(2, 4, sharex=True, squeeze=False)
    first_epochs = {profiles[n]["first_epoch"] for n in names} - {None}
    last_epochs = {profiles[n]["last_epoch"] for n in names} - {None}
    row_titles = (
        "at initialization (epoch 0)" if first_epochs == {0} else "at the first recorded epoch",
        "at the last epoch"
        + (f" ({next(iter(last_epochs))})" if len(last_epochs) == 1 else " recorded"),
    )
    for r, which in enumerate(("first", "last")):
        for c, (key, panel, log, fraction) in enumerate(_PROBE_PANELS):
            ax = axes[r, c]
            _style(ax, title=panel)
            ax.title.set_fontsize(_SMALL + 1)
            if c == 0:
                ax.set_ylabel(row_titles[r], fontsize=_FONT, fontweight="bold")
            drawn = False
            seen: list[np.ndarray] = []
            for name, own in zip(names, columns, strict=True):
                full = np.asarray(profiles[name][which][key], dtype=float)
                y = np.array([full[index[n]] if n in index else np.nan for n in own])
                if log:
                    y = np.where(y > 0, y, np.nan)
                if not np.isfinite(y).any():
                    continue
                seen.append(y[np.isfinite(y)])
                st = styles[name]
                ax.plot(
                    np.arange(len(own)),
                    y,
                    color=st["color"],
                    linestyle=st["ls"],
                    linewidth=st["lw"] * 0.85,
                    marker=st["marker"],
                    markersize=4,
                    label=_short(name)
                    + (
                        f" ({reference_word})"
                        if name in refs and name.lower() != "baseline"
                        else ""
                    ),
                    zorder=4 if name in refs else 3,
                )
                drawn = True
            if not drawn:
                _note(ax, "not recorded")
            elif log:
                values = np.concatenate(seen)
                if values.max() / values.min() > 20:
                    ax.set_yscale("log")
                else:
                    ax.set_ylim(bottom=0)
            if fraction and drawn:
                top = float(np.concatenate(seen).max())
                ax.yaxis.set_major_formatter(
                    PercentFormatter(xmax=1, decimals=0 if top > 0.05 else None)
                )
                ax.set_ylim(bottom=0)
    x = np.arange(len(ticks))
    step = max(1, math.ceil(len(ticks) / 14))
    for ax in axes[1]:
        ax.set_xlabel("layer (input → output)", fontsize=_SMALL)
        ax.set_xticks(
            x[::step],
            ticks[::step],
            rotation=45 if max((len(t) for t in ticks), default=0) > 4 else 0,
            ha="right" if max((len(t) for t in ticks), default=0) > 4 else "center",
            rotation_mode="anchor",
            fontsize=_SMALL - 1,
        )
    handles, labels = axes[0, 0].get_legend_handles_labels()
    if not handles:
        for ax in axes.flat:
            handles, labels = ax.get_legend_handles_labels()
            if handles:
                break
    fig.suptitle(title, fontsize=_FONT + 2, fontweight="bold")
    if handles:
        fig.legend(
            handles,
            labels,
            loc="outside lower center",
            ncol=min(len(handles), 6),
            fontsize=_SMALL,
            frameon=False,
        )


def plot_layer_probes(
    trials: Sequence[Mapping[str, Any]],
    path: Path,
    *,
    variants: list[str] | None = None,
    baseline: str | None = None,
    references: Mapping[str, str | None] | None = None,
) -> Path:
    """Plot per-layer activation and gradient statistics, at initialization and at the end.

    Two rows — the first recorded epoch (0 = initialization, before any
    step) and the last — and four columns: activation standard deviation,
    fraction of saturated units, fraction of dead units, and gradient norm
    (the two on a log scale when they span more than a factor 20). The x axis
    is depth, input to output, each variant's layers in its own order (so a
    network with an extra normalization layer lines up with its baseline), one
    line per variant (mean over its seeds). Under N(0, 0.01) the activation std
    falls by orders of magnitude with depth and the gradients vanish; under
    N(0, 1) tanh/sigmoid units saturate; Glorot and He keep the activations at
    one scale through the network. A study with several comparisons gets one
    block of panels per comparison (its reference black and thick), since the
    compared networks differ between comparisons.

    Args:
        trials: trial dicts with ``variant``, ``status`` and ``probes``
            (``records``: ``[{"epoch", "layers": [{"name", "act_std",
            "saturated", "dead", "grad_norm", …}]}]``).
        path: the PNG file to write (folders are created).
        variants: the variants to show, in this order (default: every variant
            with probes, as they first appear in ``trials``).
        baseline: the baseline's name, drawn black and thick (default: the
            first variant).
        references: variant → the variant it is compared against, None for a
            reference (default: every variant against ``baseline``).

    Returns:
        ``path``.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> rec = [{"epoch": e, "layers": [{"name": f"l{i}", "act_std": 0.5 ** i,
        ...         "saturated": 0.0, "dead": 0.1, "grad_norm": 1.0} for i in range(4)]}
        ...        for e in (0, 5)]
        >>> t = [{"variant": "normal_0.01", "status": "done", "probes": {"records": rec}}]
        >>> plot_layer_probes(t, Path(tempfile.mkdtemp()) / "p.png").suffix
        '.png'
    """
    layers, profiles = probe_profiles(trials)
    order = _variant_order(trials)
    names = [v for v in (variants if variants is not None else order) if v in profiles]
    if baseline is None and order:
        baseline = order[0]
    refs: dict[str, str | None] = {}
    for n in names:
        given = references.get(n, "") if references is not None else ""
        if n == baseline or (references is not None and n in references and given is None):
            refs[n] = None
        else:
            refs[n] = given or (baseline or "")
    groups: dict[str, list[str]] = {}
    for n in names:
        key = n if refs[n] is None else str(refs[n])
        members = groups.setdefault(key, [])
        if refs[n] is None:
            members.insert(0, n)
        else:
            members.append(n)
    blocks = [(ref, members) for ref, members in groups.items() if members]

    if not names or not layers:
        fig = Figure(figsize=(12.5, 7.2), dpi=DPI, layout="constrained")
        axes = fig.subplots(2, 4, sharex=True, squeeze=False)
        fig.suptitle("Layer probes", fontsize=_FONT + 2, fontweight="bold")
        for ax in axes.flat:
            _style(ax)
            ax.set_xticks([])
            ax.set_yticks([])
        _note(axes[0, 0], "no layer probes were recorded")
        return _save(fig, path)

    title = "Activations and gradients per layer, mean over seeds"
    ref_set = {n for n in names if refs[n] is None}
    if len(blocks) <= 1:
        fig = Figure(figsize=(12.5, 7.2), dpi=DPI, layout="constrained")
        _probe_block(fig, names, profiles, layers, ref_set, title=title, reference_word="baseline")
        return _save(fig, path)

    fig = Figure(figsize=(12.5, 7.6 * len(blocks)), dpi=DPI, layout="constrained")
    subs = fig.subfigures(len(blocks), 1, squeeze=False)[:, 0]
    for sub, (ref, members) in zip(subs, blocks, strict=True):
        _probe_block(
            sub,
            members,
            profiles,
            layers,
            ref_set,
            title=f"{title}: {_short(ref, 40)} and the variants compared with it",
            reference_word="reference",
        )
    return _save(fig, path)
