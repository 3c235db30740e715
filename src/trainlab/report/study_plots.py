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
from matplotlib.ticker import AutoLocator, PercentFormatter

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


def _variant_styles(names: Sequence[str], baseline: str | None) -> dict[str, dict[str, Any]]:
    """A distinct colour, line style and marker per variant; the baseline black and thick."""
    styles: dict[str, dict[str, Any]] = {}
    i = 0
    for name in names:
        if name == baseline:
            styles[name] = {"color": BASELINE_COLOR, "ls": "-", "marker": "o", "lw": 2.8}
            continue
        styles[name] = {
            "color": VARIANT_COLORS[i % len(VARIANT_COLORS)],
            "ls": _STYLES[(i // len(VARIANT_COLORS)) % len(_STYLES)],
            "marker": _MARKERS[i % len(_MARKERS)],
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


def _label_rows(ax: Axes, names: Sequence[str], baseline: str | None) -> None:
    ax.set_yticks(range(len(names)), [_short(n) for n in names], fontsize=_SMALL)
    for tick, name in zip(ax.get_yticklabels(), names, strict=True):
        if name == baseline:
            tick.set_fontweight("bold")
    ax.set_ylim(len(names) - 0.5, -0.5)  # first variant on top
    ax.grid(False, axis="y")
    ax.tick_params(axis="y", length=0)


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


def _effect_legend(ax: Axes, effects: Iterable[str], *, bars: bool) -> None:
    labels = {
        "baseline": "baseline",
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
    clear effect). Each seed's value is a dot on its bar, and the mean is
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
    effects = [
        "baseline" if n == baseline else honest_effect(s, metric)
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
            ax.barh(
                i,
                m - left,
                left=left,
                height=0.62,
                color=EFFECT_COLORS[eff],
                alpha=0.85 if eff != "no clear effect" else 0.7,
                hatch="///" if eff == "hurts" else None,
                edgecolor="white",
                linewidth=0.5,
            )
            if _finite(los[i], his[i]):
                ax.errorbar(
                    m,
                    i,
                    xerr=[[m - los[i] * scale], [his[i] * scale - m]],
                    fmt="none",
                    ecolor="#111111",
                    elinewidth=1.4,
                    capsize=4,
                    zorder=4,
                )
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
        _value_column(ax, i, text, fontweight="bold" if name == baseline else "normal")

    base = next((means[i] for i, n in enumerate(names) if n == baseline), math.nan)
    if math.isfinite(base):
        ax.axvline(base * scale, color="#111111", linestyle="--", linewidth=1.1, zorder=3)
    ax.set_xlim(left, right)
    _label_rows(ax, names, baseline)
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
        Line2D([], [], color="#111111", linestyle="--", label="baseline mean"),
    ]
    handles += [
        Patch(facecolor=EFFECT_COLORS[e], hatch="///" if e == "hurts" else "", label=e)
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


def plot_differences(
    summaries: Sequence[Mapping[str, Any]],
    path: Path,
    *,
    metric: str = "",
    baseline: str | None = None,
) -> Path:
    """Forest plot: each variant's paired difference from the baseline with its 95% CI.

    A point per variant at the mean difference (variant − baseline over the
    seeds both ran), a whisker for the CI, a vertical line at zero. Colour and
    marker give :func:`honest_effect`: an interval that crosses zero is grey
    whatever its mean. Variants without a difference (the baseline, or no
    paired seeds) keep their row, labelled, so the rows line up with
    :func:`plot_metric_bars`. Accuracy differences are in percentage points.

    Args:
        summaries: one dict per variant with ``variant``, ``diff`` (``mean``,
            ``lo``, ``hi``, ``p``) or None, and ``effect``.
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
    diffs = [s.get("diff") if isinstance(s.get("diff"), Mapping) else None for s in summaries]
    mean = np.array([_f(d.get("mean")) if d else math.nan for d in diffs])
    lo = np.array([_f(d.get("lo")) if d else math.nan for d in diffs])
    hi = np.array([_f(d.get("hi")) if d else math.nan for d in diffs])
    accuracy = is_accuracy(metric) if metric else False
    scale = metric_scale(metric, [_f(s.get("mean")) for s in summaries]) if metric else 1.0
    unit = " (points)" if accuracy else ""
    label = f"Δ {metric_label(metric)}" if metric else "Δ"
    effects = [
        "baseline" if n == baseline else honest_effect(s, metric)
        for n, s in zip(names, summaries, strict=True)
    ]

    fig, ax = _rows_figure(len(names))
    _style_rows(ax, "Difference from the baseline, 95% CI")
    if not any(np.isfinite(mean)):
        _note(ax, "no paired differences (one variant, or no seeds in common)")
    ax.axvline(0, color="#111111", linewidth=1.1, zorder=2)
    for i, (d, eff) in enumerate(zip(diffs, effects, strict=True)):
        color = EFFECT_COLORS[eff]
        if d is None or not math.isfinite(mean[i]):
            text = "baseline" if names[i] == baseline else "no paired seeds"
            if names[i] == baseline:
                ax.plot([0], [i], marker="D", color=EFFECT_COLORS["baseline"], markersize=6)
            _value_column(ax, i, text, color="#666666", style="italic")
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
    _label_rows(ax, names, baseline)
    ends = np.concatenate([lo, hi, mean]) * scale
    ends = ends[np.isfinite(ends)]
    if ends.size:
        reach = max(float(np.abs(ends).max()), 1e-9) * 1.15
        ax.set_xlim(-reach, reach)
    ax.set_xlabel(f"{label}{unit}: variant − baseline, paired by seed", fontsize=_SMALL)
    _effect_legend(ax, effects, bars=False)
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
    widened; the rest are grey. A smaller gap means less overfitting, not
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

    kinds = []
    for name, s in zip(names, summaries, strict=True):
        gd = s.get("gap_diff")
        if name == baseline:
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
        ax.barh(
            i,
            m,
            height=0.62,
            color=EFFECT_COLORS[kind],
            alpha=0.85 if kind != "no clear effect" else 0.7,
            hatch="///" if kind == "hurts" else None,
            edgecolor="white",
            linewidth=0.5,
        )
        if _finite(lo[i], hi[i]):
            ax.errorbar(
                m,
                i,
                xerr=[[m - lo[i] * scale], [hi[i] * scale - m]],
                fmt="none",
                ecolor="#111111",
                elinewidth=1.4,
                capsize=4,
                zorder=4,
            )
        _value_column(ax, i, f"{m:+.1f}" if scale == 100.0 else f"{m:+.3g}")
    base = next((mean[i] for i, n in enumerate(names) if n == baseline), math.nan)
    if math.isfinite(base):
        ax.axvline(base * scale, color="#111111", linestyle="--", linewidth=1.1, zorder=3)
    ax.axvline(0, color="#666666", linewidth=0.8)
    _label_rows(ax, names, baseline)
    ax.set_xlabel(
        "train − test accuracy (percentage points); smaller = less overfitting"
        if scale == 100.0
        else "train − test accuracy; smaller = less overfitting",
        fontsize=_SMALL,
    )
    labels = {
        "baseline": "baseline (dashed: its gap)",
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


def _log_if_wide(ax: Axes, values: np.ndarray) -> None:
    v = values[np.isfinite(values)]
    if v.size and v.min() > 0 and v.max() / v.min() > 30:
        ax.set_yscale("log")


def plot_variant_curves(
    trials: Sequence[Mapping[str, Any]],
    path: Path,
    *,
    key: str = "val_loss",
    baseline: str | None = None,
    order: Sequence[str] | None = None,
) -> Path:
    """Plot one mean learning curve per variant (``key`` per epoch, averaged over seeds).

    The band around each curve spans the seeds' minimum to maximum. Where some
    seeds have already stopped (early stopping) the mean goes on over the
    seeds left and the line turns thin, so a jump there reads as fewer seeds,
    not as learning. The baseline is black and thick. With more than
    :data:`MAX_LINES` variants the figure becomes small multiples: one panel
    per variant, with the baseline in grey in each, on shared axes.

    Args:
        trials: trial dicts with ``variant``, ``status`` and ``history``;
            only finished trials (``status == "done"``) count.
        path: the PNG file to write (folders are created).
        key: the history column, e.g. ``"val_loss"`` or ``"val_acc"``.
        baseline: the baseline's name (default: the first variant).
        order: the variants in display order (default: as they first appear).

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
    styles = _variant_styles(shown, baseline)

    def finish(ax: Axes) -> None:
        if percent:
            ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
        elif not accuracy:
            _log_if_wide(ax, every)

    if len(shown) <= MAX_LINES:
        fig = Figure(figsize=(9.5, 5.2), dpi=DPI, layout="constrained")
        ax = fig.add_subplot()
        _style(ax, title=f"{label.capitalize()} per epoch, mean over seeds", ylabel=label)
        ax.set_xlabel("epoch", fontsize=_FONT)
        if not shown:
            _note(ax, f"no {label} recorded")
        for name in shown:
            if name != baseline:
                _draw_curve(ax, stats[name], styles[name], _short(name))
        if baseline in stats:
            label_b = _short(baseline) + ("" if baseline.lower() == "baseline" else " (baseline)")
            _draw_curve(ax, stats[baseline], styles[baseline], label_b)
        finish(ax)
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

    panels = [n for n in shown if n != baseline] or shown
    ncols = 4 if len(panels) > 6 else 3
    nrows = math.ceil(len(panels) / ncols)
    fig = Figure(figsize=(12.5, 1.0 + 2.15 * nrows), dpi=DPI, layout="constrained")
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
    grey = {"color": BASELINE_GREY, "ls": "-", "marker": "o", "lw": 2.2}
    for k, ax in enumerate(axes.flat):
        if k >= len(panels):
            ax.set_visible(False)
            continue
        name = panels[k]
        _style(ax)
        ax.set_title(_short(name, 32), fontsize=_SMALL + 1, loc="left", fontweight="bold")
        if baseline in stats and name != baseline:
            _draw_curve(ax, stats[baseline], grey, None)
        own = dict(styles[name])
        own["color"] = VARIANT_COLORS[0] if name != baseline else BASELINE_COLOR
        own["ls"] = "-"
        _draw_curve(ax, stats[name], own, None)
        if k % ncols == 0:
            ax.set_ylabel(label, fontsize=_SMALL)
        if k >= len(panels) - ncols:
            ax.set_xlabel("epoch", fontsize=_SMALL)
            ax.tick_params(labelbottom=True)
        finish(ax)
    fig.suptitle(
        f"{label.capitalize()} per epoch, mean over seeds (band: min–max)",
        fontsize=_FONT + 2,
        fontweight="bold",
    )
    fig.legend(
        handles=[
            Line2D(
                [],
                [],
                color=BASELINE_GREY,
                linewidth=2.2,
                label="baseline" if baseline.lower() == "baseline" else f"baseline: {baseline}",
            ),
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
        "last_epoch", "seeds"}``.

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
        entry: dict[str, Any] = {"seeds": len(pairs)}
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


def plot_layer_probes(
    trials: Sequence[Mapping[str, Any]],
    path: Path,
    *,
    variants: list[str] | None = None,
    baseline: str | None = None,
) -> Path:
    """Plot per-layer activation and gradient statistics, at initialization and at the end.

    Two rows — the first recorded epoch (0 = initialization, before any
    step) and the last — and four columns: activation standard deviation,
    fraction of saturated units, fraction of dead units, and gradient norm
    (the two on a log scale when they span more than a factor 20). The x axis
    is the layers in depth order, one line per variant (mean over its seeds).
    Under N(0, 0.01) the activation std falls by orders of magnitude with
    depth and the gradients vanish; under N(0, 1) tanh/sigmoid units
    saturate; Glorot and He keep the activations at one scale through the
    network.

    Args:
        trials: trial dicts with ``variant``, ``status`` and ``probes``
            (``records``: ``[{"epoch", "layers": [{"name", "act_std",
            "saturated", "dead", "grad_norm", …}]}]``).
        path: the PNG file to write (folders are created).
        variants: the variants to show, in this order (default: every variant
            with probes, as they first appear in ``trials``).
        baseline: the baseline's name, drawn black and thick (default: the
            first variant).

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
    styles = _variant_styles(names, baseline)

    fig = Figure(figsize=(12.5, 7.2), dpi=DPI, layout="constrained")
    axes = fig.subplots(2, 4, sharex=True, squeeze=False)
    if not names or not layers:
        fig.suptitle("Layer probes", fontsize=_FONT + 2, fontweight="bold")
        for ax in axes.flat:
            _style(ax)
            ax.set_xticks([])
            ax.set_yticks([])
        _note(axes[0, 0], "no layer probes were recorded")
        return _save(fig, path)

    x = np.arange(len(layers))
    first_epochs = {profiles[n]["first_epoch"] for n in names} - {None}
    last_epochs = {profiles[n]["last_epoch"] for n in names} - {None}
    row_titles = (
        "at initialization (epoch 0)" if first_epochs == {0} else "at the first recorded epoch",
        "at the last epoch"
        + (f" ({next(iter(last_epochs))})" if len(last_epochs) == 1 else " recorded"),
    )
    for r, which in enumerate(("first", "last")):
        for c, (key, title, log, fraction) in enumerate(_PROBE_PANELS):
            ax = axes[r, c]
            _style(ax, title=title)
            ax.title.set_fontsize(_SMALL + 1)
            if c == 0:
                ax.set_ylabel(row_titles[r], fontsize=_FONT, fontweight="bold")
            drawn = False
            seen: list[np.ndarray] = []
            for name in names:
                y = np.asarray(profiles[name][which][key], dtype=float)
                if log:
                    y = np.where(y > 0, y, np.nan)
                if not np.isfinite(y).any():
                    continue
                seen.append(y[np.isfinite(y)])
                st = styles[name]
                ax.plot(
                    x,
                    y,
                    color=st["color"],
                    linestyle=st["ls"],
                    linewidth=st["lw"] * 0.85,
                    marker=st["marker"],
                    markersize=4,
                    label=_short(name)
                    + (" (baseline)" if name == baseline and name.lower() != "baseline" else ""),
                    zorder=4 if name == baseline else 3,
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
    many = len(layers) > 14
    step = max(1, math.ceil(len(layers) / 14))
    for ax in axes[1]:
        ax.set_xlabel("layer (input → output)", fontsize=_SMALL)
        if many:
            ax.set_xticks(x[::step], [str(i) for i in x[::step]])
        else:
            ax.set_xticks(
                x,
                [_short(n, 14) for n in layers],
                rotation=45,
                ha="right",
                rotation_mode="anchor",
                fontsize=_SMALL - 1,
            )
    handles, labels = axes[0, 0].get_legend_handles_labels()
    if not handles:
        for ax in axes.flat:
            handles, labels = ax.get_legend_handles_labels()
            if handles:
                break
    fig.suptitle(
        "Activations and gradients per layer, mean over seeds",
        fontsize=_FONT + 2,
        fontweight="bold",
    )
    fig.legend(
        handles,
        labels,
        loc="outside lower center",
        ncol=min(len(handles), 6),
        fontsize=_SMALL,
        frameon=False,
    )
    return _save(fig, path)
