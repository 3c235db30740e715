"""Inside the network: activation spread, saturation, dead units and gradient norm per layer.

At initialization and at the last recorded epoch, where the initialization
story of X. Glorot and Y. Bengio (*Understanding the difficulty of training
deep feedforward neural networks*, AISTATS 2010) and K. He et al. (*Delving
deep into rectifiers*, ICCV 2015) shows: activations that shrink layer after
layer under N(0, 0.01), saturate under N(0, 1), and keep their scale under
Glorot / He.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from trainlab.report.study_results import (LayerStats, ProbeRecord, TrialProbes,
    ...                                           TrialResult)
    >>> rec = tuple(ProbeRecord(e, tuple(LayerStats(f"l{i}", 0.5 ** i, 0.0, 0.1, 1.0)
    ...                                  for i in range(4))) for e in (0, 5))
    >>> t = [TrialResult("normal_0.01", 0, "done", probes=TrialProbes(rec))]
    >>> plot_layer_probes(t, Path(tempfile.mkdtemp()) / "p.png").suffix
    '.png'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure
from matplotlib.ticker import PercentFormatter

from trainlab.report.figures._base import DPI, FONT, SMALL, note, save, style
from trainlab.report.figures._rows import Line, resolve_references, variant_styles
from trainlab.report.format import short
from trainlab.report.study_results import ProbeRecord, TrialResult
from trainlab.report.study_text import FIGURE_TEXT as T

#: probe panels: (statistic, title's message id, log scale, fraction)
_PANELS = (
    ("act_std", "probes_act_std", True, False),
    ("saturated", "probes_saturated", False, True),
    ("dead", "probes_dead", False, True),
    ("grad_norm", "probes_grad_norm", True, False),
)


@dataclass(frozen=True)
class ProbeProfile:
    """One variant's layer statistics, averaged over its seeds (NaN where not recorded).

    Attributes:
        first: statistic → values per layer of the shared layer list, at the first record.
        last: the same at the last record.
        first_epoch: the first records' epoch (the latest over seeds), or None.
        last_epoch: the last records' epoch (the latest over seeds), or None.
        seeds: how many seeds it averages.
        layers: the variant's own layers in depth order.
    """

    first: Mapping[str, np.ndarray]
    last: Mapping[str, np.ndarray]
    first_epoch: int | None
    last_epoch: int | None
    seeds: int
    layers: list[str]


def _nanmean(a: np.ndarray) -> np.ndarray:
    """Column means ignoring NaN, NaN where a column has no value (no warning). Shape (cols,)."""
    present = np.isfinite(a)
    n = present.sum(axis=0)
    s = np.where(present, a, 0.0).sum(axis=0)
    return np.divide(s, n, out=np.full(a.shape[1], np.nan), where=n > 0)


def _profile(
    pairs: list[tuple[ProbeRecord, ProbeRecord]], index: Mapping[str, int]
) -> ProbeProfile:
    own: list[str] = []
    for pair in pairs:
        for rec in pair:
            for layer in rec.layers:
                if layer.name not in own:
                    own.append(layer.name)
    means: dict[str, dict[str, np.ndarray]] = {}
    epochs: dict[str, int | None] = {}
    for which, pos in (("first", 0), ("last", 1)):
        stacked = {k: np.full((len(pairs), len(index)), np.nan) for k, *_ in _PANELS}
        at = []
        for j, pair in enumerate(pairs):
            rec = pair[pos]
            at.append(rec.epoch)
            for layer in rec.layers:
                for k in stacked:
                    stacked[k][j, index[layer.name]] = getattr(layer, k)
        means[which] = {k: _nanmean(v) for k, v in stacked.items()}
        epochs[which] = int(max(at)) if at else None
    return ProbeProfile(
        means["first"], means["last"], epochs["first"], epochs["last"], len(pairs), own
    )


def probe_profiles(trials: Sequence[TrialResult]) -> tuple[list[str], dict[str, ProbeProfile]]:
    """Per-variant, per-layer probe statistics at the first and the last recorded epoch.

    For every finished trial with probe records, the record of epoch 0
    (initialization; else the earliest one) and the latest record are taken;
    each layer's ``act_std``, ``saturated``, ``dead`` and ``grad_norm`` are then
    averaged over the variant's seeds (NaN where not recorded).

    Args:
        trials: the study's trials.

    Returns:
        The layer names in depth order (first seen), and a :class:`ProbeProfile`
        per variant whose arrays follow that shared list.

    Example:
        >>> from trainlab.report.study_results import LayerStats, TrialProbes
        >>> rec = (ProbeRecord(0, (LayerStats("fc1", act_std=0.5),)),)
        >>> layers, p = probe_profiles([TrialResult("v", 0, "done", probes=TrialProbes(rec))])
        >>> layers, float(p["v"].first["act_std"][0])
        (['fc1'], 0.5)
    """
    layers: list[str] = []
    raw: dict[str, list[tuple[ProbeRecord, ProbeRecord]]] = {}
    for t in trials:
        if not t.done or t.probes is None or not t.probes.records:
            continue
        records = sorted(t.probes.records, key=lambda r: r.epoch)
        first, last = records[0], records[-1]
        for r in (first, last):
            for layer in r.layers:
                if layer.name not in layers:
                    layers.append(layer.name)
        raw.setdefault(t.variant, []).append((first, last))
    index = {n: i for i, n in enumerate(layers)}
    return layers, {variant: _profile(pairs, index) for variant, pairs in raw.items()}


def _depth_labels(columns: Sequence[Sequence[str]]) -> list[str]:
    """Tick labels per depth position: the layer's name where every network agrees, else its
    position from the input (1, 2, …)."""
    depth = max((len(c) for c in columns), default=0)
    out = []
    for k in range(depth):
        at = {c[k] for c in columns if k < len(c)}
        out.append(short(next(iter(at)), 14) if len(at) == 1 else str(k + 1))
    return out


def _row_titles(names: Sequence[str], profiles: Mapping[str, ProbeProfile]) -> tuple[str, str]:
    first_epochs = {profiles[n].first_epoch for n in names} - {None}
    last_epochs = {profiles[n].last_epoch for n in names} - {None}
    last = (
        T["probes_last_at"].format(epoch=next(iter(last_epochs)))
        if len(last_epochs) == 1
        else T["probes_last"]
    )
    return (T["probes_init"] if first_epochs == {0} else T["probes_first"], last)


@dataclass(frozen=True)
class _Block:
    """One group of variants drawn together: who, how, on which layers."""

    names: Sequence[str]
    profiles: Mapping[str, ProbeProfile]
    index: Mapping[str, int]
    columns: list[list[str]]
    refs: set[str]
    styles: Mapping[str, Line]
    reference_word: str


def _panel(ax: Axes, b: _Block, which: str, key: str, log: bool, fraction: bool) -> None:
    """One statistic at one epoch: a line per variant over depth."""
    drawn = False
    seen: list[np.ndarray] = []
    for name, own in zip(b.names, b.columns, strict=True):
        full = np.asarray(getattr(b.profiles[name], which)[key], dtype=float)
        y = np.array([full[b.index[n]] if n in b.index else np.nan for n in own])
        if log:
            y = np.where(y > 0, y, np.nan)
        if not np.isfinite(y).any():
            continue
        seen.append(y[np.isfinite(y)])
        st = b.styles[name]
        word = f" ({b.reference_word})" if name in b.refs and name.lower() != "baseline" else ""
        ax.plot(
            np.arange(len(own)),
            y,
            color=st.color,
            linestyle=st.ls,
            linewidth=st.lw * 0.85,
            marker=st.marker,
            markersize=4,
            label=short(name) + word,
            zorder=4 if name in b.refs else 3,
        )
        drawn = True
    if not drawn:
        note(ax, T["probes_missing"])
    elif log:
        values = np.concatenate(seen)
        if values.max() / values.min() > 20:
            ax.set_yscale("log")
        else:
            ax.set_ylim(bottom=0)
    if fraction and drawn:
        top = float(np.concatenate(seen).max())
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0 if top > 0.05 else None))
        ax.set_ylim(bottom=0)


def _depth_axis(axes: np.ndarray, ticks: list[str]) -> None:
    x = np.arange(len(ticks))
    step = max(1, math.ceil(len(ticks) / 14))
    slanted = max((len(t) for t in ticks), default=0) > 4
    for ax in axes[1]:
        ax.set_xlabel(T["probes_depth"], fontsize=SMALL)
        ax.set_xticks(
            x[::step],
            ticks[::step],
            rotation=45 if slanted else 0,
            ha="right" if slanted else "center",
            rotation_mode="anchor",
            fontsize=SMALL - 1,
        )


def _legend(fig: Figure | SubFigure, axes: np.ndarray) -> None:
    handles, labels = axes[0, 0].get_legend_handles_labels()
    if not handles:
        for ax in axes.flat:
            handles, labels = ax.get_legend_handles_labels()
            if handles:
                break
    if handles:
        fig.legend(
            handles,
            labels,
            loc="outside lower center",
            ncol=min(len(handles), 6),
            fontsize=SMALL,
            frameon=False,
        )


def _probe_block(fig: Figure | SubFigure, b: _Block, *, title: str) -> None:
    """Two rows (first and last recorded epoch) × four panels for one group of variants."""
    axes = fig.subplots(2, 4, sharex=True, squeeze=False)
    row_titles = _row_titles(b.names, b.profiles)
    for r, which in enumerate(("first", "last")):
        for c, (key, panel, log, fraction) in enumerate(_PANELS):
            ax = axes[r, c]
            style(ax, title=T[panel])
            ax.title.set_fontsize(SMALL + 1)
            if c == 0:
                ax.set_ylabel(row_titles[r], fontsize=FONT, fontweight="bold")
            _panel(ax, b, which, key, log, fraction)
    _depth_axis(axes, _depth_labels(b.columns))
    fig.suptitle(title, fontsize=FONT + 2, fontweight="bold")
    _legend(fig, axes)


def _block(
    names: Sequence[str],
    profiles: Mapping[str, ProbeProfile],
    layers: Sequence[str],
    refs: set[str],
    word: str,
) -> _Block:
    columns = [list(profiles[n].layers or layers) for n in names]
    index = {n: i for i, n in enumerate(layers)}
    return _Block(names, profiles, index, columns, refs, variant_styles(names, refs), word)


def _empty(path: Path) -> Path:
    fig = Figure(figsize=(12.5, 7.2), dpi=DPI, layout="constrained")
    axes = fig.subplots(2, 4, sharex=True, squeeze=False)
    fig.suptitle(T["probes_empty_title"], fontsize=FONT + 2, fontweight="bold")
    for ax in axes.flat:
        style(ax)
        ax.set_xticks([])
        ax.set_yticks([])
    note(axes[0, 0], T["probes_empty"])
    return save(fig, path)


def plot_layer_probes(
    trials: Sequence[TrialResult],
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
    line per variant (mean over its seeds). A study with several comparisons
    gets one block of panels per comparison (its reference black and thick),
    since the compared networks differ between comparisons.

    Args:
        trials: the study's trials.
        path: the PNG file to write (folders are created).
        variants: the variants to show, in this order (default: every variant
            with probes, as they first appear in ``trials``).
        baseline: the baseline's name, drawn black and thick (default: the
            first variant).
        references: variant → the variant it is compared against, None for a
            reference (default: every variant against ``baseline``).

    Returns:
        ``path``.
    """
    layers, profiles = probe_profiles(trials)
    order = list(dict.fromkeys(t.variant for t in trials))
    names = [v for v in (variants if variants is not None else order) if v in profiles]
    if baseline is None and order:
        baseline = order[0]
    refs = resolve_references(names, baseline, references)
    groups: dict[str, list[str]] = {}
    for n in names:
        members = groups.setdefault(n if refs[n] is None else str(refs[n]), [])
        if refs[n] is None:
            members.insert(0, n)
        else:
            members.append(n)
    blocks = [(ref, members) for ref, members in groups.items() if members]
    if not names or not layers:
        return _empty(path)

    ref_set = {n for n in names if refs[n] is None}
    if len(blocks) <= 1:
        fig = Figure(figsize=(12.5, 7.2), dpi=DPI, layout="constrained")
        word = T["probes_word_baseline"]
        _probe_block(fig, _block(names, profiles, layers, ref_set, word), title=T["probes_title"])
        return save(fig, path)

    fig = Figure(figsize=(12.5, 7.6 * len(blocks)), dpi=DPI, layout="constrained")
    subs = fig.subfigures(len(blocks), 1, squeeze=False)[:, 0]
    for sub, (ref, members) in zip(subs, blocks, strict=True):
        title = T["probes_title_group"].format(ref=short(ref, 40))
        block = _block(members, profiles, layers, ref_set, T["probes_word_reference"])
        _probe_block(sub, block, title=title)
    return save(fig, path)
