"""What the study figures share: effect colours, one row per variant, references, line styles.

Effects are told apart by colour (Okabe–Ito blue helps, vermillion hurts, grey
no clear effect, dark red diverges) and by marker shape or hatching as well, so
the figures read in greyscale too. A study may hold several comparisons: each reference is drawn
like the baseline, its dashed line across the rows compared with it only, and a
thin rule separates the comparisons.

Example:
    >>> from trainlab.report.figures._rows import variant_styles
    >>> styles = variant_styles(["baseline", "dropout"], {"baseline"})
    >>> styles["baseline"].color, styles["dropout"].color
    ('#111111', '#0072B2')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import AutoLocator

from trainlab.report.figures._base import DPI, SMALL, style
from trainlab.report.format import finite, short
from trainlab.report.study_text import FIGURE_TEXT as T

#: effect → colour (Okabe–Ito: blue and vermillion stay apart under every common colour-vision
#: deficiency; "no clear effect" is a neutral grey; "diverges", the worst result, a dark red)
EFFECT_COLORS = {
    "baseline": "#222222",
    "helps": "#0072B2",
    "hurts": "#D55E00",
    "no clear effect": "#A8A8A8",
    "diverges": "#7A0010",
}
#: effect → marker, so the forest plot reads in greyscale too
EFFECT_MARKERS = {
    "baseline": "D",
    "helps": "^",
    "hurts": "v",
    "no clear effect": "o",
    "diverges": "X",
}
#: effect → bar hatching (besides its colour)
EFFECT_HATCHES = {"hurts": "///", "diverges": "xx"}
#: line colours for variants (Okabe–Ito without black, which marks the baseline)
VARIANT_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D00")
BASELINE_COLOR = "#111111"
BASELINE_GREY = "#9a9a9a"
_STYLES = ("-", "--", ":", "-.")
_MARKERS = ("o", "s", "^", "v", "D", "P", "X")


@dataclass(frozen=True)
class Line:
    """How one variant's line is drawn."""

    color: str
    ls: str
    marker: str
    lw: float


def variant_styles(names: Sequence[str], refs: Iterable[str]) -> dict[str, Line]:
    """A distinct colour, line style and marker per variant; references black and thick.

    ``refs`` are the references' names (each black, told apart by line style).
    """
    ref_set = set(refs)
    styles: dict[str, Line] = {}
    i = j = 0
    for name in names:
        if name in ref_set:
            styles[name] = Line(BASELINE_COLOR, _STYLES[j % len(_STYLES)], "o", 2.8)
            j += 1
            continue
        cycle = i // len(VARIANT_COLORS)
        styles[name] = Line(
            VARIANT_COLORS[i % len(VARIANT_COLORS)],
            _STYLES[cycle % len(_STYLES)],
            _MARKERS[(i + cycle) % len(_MARKERS)],
            1.7,
        )
        i += 1
    return styles


def resolve_references(
    names: Sequence[str],
    baseline: str | None,
    references: Mapping[str, str | None] | None,
) -> dict[str, str | None]:
    """Variant → its reference (None for a reference): ``references`` where it names one,
    else ``baseline`` ("" when there is none)."""
    refs: dict[str, str | None] = {}
    for n in names:
        given = references.get(n, "") if references is not None else ""
        if n == baseline or (references is not None and n in references and given is None):
            refs[n] = None
        else:
            refs[n] = given or (baseline or "")
    return refs


def group_keys(names: Sequence[str], refs: Mapping[str, str | None]) -> list[str]:
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


def reference_lines(
    ax: Axes, names: Sequence[str], refs: Mapping[str, str | None], values: Mapping[str, float]
) -> None:
    """A dashed line at each reference's value, across the rows of its comparison only."""
    keys = group_keys(names, refs)
    for key in dict.fromkeys(keys):
        x = values.get(key, math.nan)
        if not math.isfinite(x):
            continue
        for a, b in _runs([i for i, k in enumerate(keys) if k == key]):
            ax.vlines(
                x, a - 0.45, b + 0.45, colors="#111111", linestyles="--", linewidth=1.1, zorder=3
            )


def group_separators(ax: Axes, names: Sequence[str], refs: Mapping[str, str | None]) -> None:
    """A thin rule between rows of different comparisons."""
    keys = group_keys(names, refs)
    for i in range(1, len(keys)):
        if keys[i] != keys[i - 1]:
            ax.axhline(i - 0.5, color="#9a9a9a", linewidth=0.9, zorder=1)


def rows_figure(n: int, width: float = 9.5) -> tuple[Figure, Axes]:
    """One panel whose height grows with ``n`` rows (variants), so 20 rows stay readable."""
    fig = Figure(figsize=(width, 1.6 + 0.36 * max(n, 2)), dpi=DPI, layout="constrained")
    return fig, fig.add_subplot()


def style_rows(ax: Axes, title: str) -> None:
    """:func:`~trainlab.report.figures._base.style` for a panel of rows, with a value axis
    that is not integer-only."""
    style(ax, title=title)
    ax.xaxis.set_major_locator(AutoLocator())


def label_rows(ax: Axes, names: Sequence[str], refs: Iterable[str]) -> None:
    """Variant names as row labels, the references' in bold, the first variant on top."""
    ref_set = set(refs)
    ax.set_yticks(range(len(names)), [short(n) for n in names], fontsize=SMALL)
    for tick, name in zip(ax.get_yticklabels(), names, strict=True):
        if name in ref_set:
            tick.set_fontweight("bold")
    ax.set_ylim(len(names) - 0.5, -0.5)  # first variant on top
    ax.grid(False, axis="y")
    ax.tick_params(axis="y", length=0)


def effect_bar(
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
        hatch=EFFECT_HATCHES.get(effect),
        edgecolor="white",
        linewidth=0.5,
    )
    if finite(lo, hi):
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


def value_column(ax: Axes, y: float, text: str, **kw: Any) -> None:
    """Text in a column right of the panel, at data row ``y``."""
    ax.annotate(
        text,
        xy=(1.0, y),
        xycoords=("axes fraction", "data"),
        xytext=(6, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        fontsize=SMALL,
        annotation_clip=False,
        **kw,
    )


def effect_patches(effects: Iterable[str], labels: Mapping[str, str]) -> list[Patch]:
    """A legend patch per effect present, in the order of :data:`EFFECT_COLORS`."""
    present = set(effects)
    return [
        Patch(facecolor=EFFECT_COLORS[e], hatch=EFFECT_HATCHES.get(e, ""), label=labels[e])
        for e in EFFECT_COLORS
        if e in present
    ]


def effect_legend(ax: Axes, effects: Iterable[str], *, reference: str) -> None:
    """The forest plot's legend: a marker per effect present, under the figure."""
    labels = {
        "baseline": reference,
        "helps": T["legend_helps"],
        "hurts": T["legend_hurts"],
        "no clear effect": T["legend_unclear"],
        "diverges": T["legend_diverges"],
    }
    present = [e for e in EFFECT_COLORS if e in set(effects)]
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
            fontsize=SMALL,
            frameon=False,
        )
