"""The study's summary as a plain-text table, for the terminal: one row per variant.

What ``trainlab study`` prints when a study ends: each variant's mean with the
half-width of its confidence interval (Student t, over seeds), the difference
from its reference paired by seed with its interval, the primary test's
p-value alone and adjusted for the study's comparisons (Holm, 1979, by
default; see :mod:`trainlab.stats.compare`), the smallest difference its seeds
could detect with 80% power, the generalization gap, the effect (read from
the adjusted p-value) and the mean training time, each in the metric's units
(accuracies and the gaps of accuracies in percent, RMSE in the target's
units; a metric that is better lower says so). A variant that diverged is
``diverges``, ranked last, with the seeds and epochs where it diverged under
the table. The legend explains only what the table shows: no "±" where a
single seed gives no interval.

Example:
    >>> from types import SimpleNamespace as T
    >>> from trainlab.stats.compare import summarize
    >>> from trainlab.report.summary_table import format_table
    >>> trials = [T(variant=v, seed=s, status="done", metrics={"test_acc": 0.9 + s / 100})
    ...           for v in ("baseline", "l2") for s in (0, 1, 2)]
    >>> format_table(summarize(trials), "test_acc").splitlines()[0].split()[:4]
    ['variant', 'n', 'test_acc', 'Δ']
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

from trainlab.report.format import DASH, table_number, table_p, table_seconds
from trainlab.report.study_sentences import (
    adjusted,
    correction_name,
    detectable_level,
    divergence_phrase,
    levels_vary,
    lost_to_correction,
)
from trainlab.report.study_text import PAGE_TEXT, gap_phrase, plural
from trainlab.report.study_units import in_points, known_direction
from trainlab.stats.compare import Interval, PairedDiff, VariantSummary


def _interval(ci: Interval, pct: bool) -> str:
    if ci.n == 0:
        return DASH
    if not math.isfinite(ci.half_width):
        return table_number(ci.mean, pct)
    return f"{table_number(ci.mean, pct)} ± {table_number(ci.half_width, pct)}"


def _diff(d: PairedDiff | None, pct: bool) -> str:
    if d is None or d.n == 0:
        return DASH
    if not (math.isfinite(d.lo) and math.isfinite(d.hi)):
        return table_number(d.mean, pct, True)
    lo, hi = table_number(d.lo, pct, True), table_number(d.hi, pct, True)
    return f"{table_number(d.mean, pct, True)} [{lo}, {hi}]"


def _p(d: PairedDiff | None) -> str:
    return DASH if d is None else table_p(d.p, d.test)


def _columns(summaries: Sequence[VariantSummary], show_vs: bool) -> list[tuple[str, bool]]:
    """The optional columns shown: (name, shown)."""
    return [
        ("vs", show_vs),
        ("p_adjusted", any(adjusted(s) for s in summaries)),
        ("detectable", any(math.isfinite(s.detectable) for s in summaries)),
        ("failed", any(s.failed for s in summaries)),
        ("diverged", any(s.diverged for s in summaries)),
    ]


def _row(s: VariantSummary, pct: bool, shown: set[str], gap_pct: bool) -> list[str]:
    gap_diff = s.gap_diff
    cells = {
        "variant": s.variant,
        "n": str(s.value.n),
        "value": _interval(s.value, pct),
        "vs": s.reference or DASH,
        "diff": _diff(s.diff, pct),
        "p": _p(s.diff),
        "p_adjusted": table_p(s.p_adjusted, ""),
        "detectable": table_number(s.detectable, pct),
        "gap": _interval(s.gap, gap_pct),
        "gap_diff": DASH
        if gap_diff is None or gap_diff.n == 0
        else table_number(gap_diff.mean, gap_pct, True),
        "effect": s.effect,
        "time": table_seconds(s.seconds.mean),
        "failed": str(s.failed),
        "diverged": str(s.diverged),
    }
    return [cells[k] for k in _order(shown)]


def _order(shown: set[str]) -> list[str]:
    every = ["variant", "n", "value", "vs", "diff", "p", "p_adjusted", "detectable"]
    every += ["gap", "gap_diff", "effect", "time", "failed", "diverged"]
    optional = {"vs", "p_adjusted", "detectable", "failed", "diverged"}
    return [k for k in every if k not in optional or k in shown]


def _legend(
    summaries: Sequence[VariantSummary], name: str, metric: str, lower: bool, gap_metric: str
) -> list[str]:
    """The legend's lines: each explains a column the table shows, and only those."""
    conf = summaries[0].confidence if summaries else 0.95
    out = []
    if any(math.isfinite(s.value.half_width) for s in summaries if s.value.n):
        out.append(
            f"mean ± half-width of the {conf:.0%} confidence interval (Student t) over seeds;"
        )
    else:
        out.append("mean over seeds (no interval: a single seed);")
    with_ci = any(s.diff is not None and math.isfinite(s.diff.lo) for s in summaries)
    out.append(
        f"Δ: difference paired by seed [{conf:.0%} interval];"
        if with_ci
        else "Δ: difference paired by seed;"
    )
    if lower:
        out.append(f"{metric}: lower is better, so a negative Δ helps;")
    if any(s.diff is not None and math.isfinite(s.diff.p) for s in summaries):
        out.append("p: primary two-sided test (t: paired t-test, W: Wilcoxon signed-rank);")
    first = next((s for s in summaries if adjusted(s)), None)
    if first is not None and levels_vary(summaries):
        out.append(
            f"p ({correction_name(first)}): p adjusted over the comparisons still open at the "
            "look that settled it (or the last), and read at that look's level (see the looks "
            "below);"
        )
    elif first is not None:
        long = correction_name(first, long=True)
        m = plural(PAGE_TEXT, "comparisons", first.comparisons)
        out.append(
            f"p ({correction_name(first)}): p adjusted over {m} ({long}); "
            f"the effects are read from it at α = {first.alpha:g};"
        )
    if any(math.isfinite(s.detectable) for s in summaries):
        out.append(
            "detectable: the smallest |Δ| these seeds could detect with 80% power at "
            f"α = {detectable_level(summaries)}; more seeds detect smaller ones "
            f"(trainlab study {name or 'STUDY'} --seeds-for EFFECT says how many);"
        )
    if any(math.isfinite(s.gap.mean) for s in summaries):
        out.append(f"gap: {gap_phrase(gap_metric)};")
    if any(s.diverged for s in summaries):
        out.append("diverged: seeds whose training diverged (a result: ranked last);")
    out[-1] = out[-1].rstrip(";") + "."
    return textwrap.wrap(" ".join(out), width=92, break_on_hyphens=False)


def _notes(summaries: Sequence[VariantSummary]) -> list[str]:
    """Under the legend: where each diverging variant diverged, and each comparison that is
    clear before the correction but not after."""
    out = [
        f"{s.variant}: {divergence_phrase(s)}: ranked last."
        for s in summaries
        if s.effect == "diverges"
    ]
    for s in summaries:
        if lost_to_correction(s) and s.diff is not None:
            m = plural(PAGE_TEXT, "comparisons", s.comparisons)
            raw, adj = table_p(s.diff.p, ""), table_p(s.p_adjusted, "")
            out.append(
                f"{s.variant}: p = {raw} alone, {adj} after {correction_name(s)} over {m}: "
                "no clear effect."
            )
    return out


def format_table(
    summaries: Sequence[VariantSummary],
    metric: str,
    *,
    name: str = "",
    higher_is_better: bool = True,
    gap_metric: str = "acc",
) -> str:
    """A plain-text table of a study's summaries, with aligned columns.

    Columns: variant, n (finished seeds with the metric), mean ± half-width,
    Δ vs the reference [interval], p of the primary test (``t`` or ``W``), p
    adjusted for the study's comparisons (``p (Holm)``; shown when a p-value
    was adjusted), the smallest |Δ| the seeds could detect (80% power; shown
    when defined), generalization gap, Δgap, effect and mean training time; a
    ``failed`` column appears when a trial failed with an error, a
    ``diverged`` column when a seed diverged, a ``vs`` column when variants
    have different references. Accuracy-like metrics (accuracy, R²; any other name
    ending with ``acc``) and the gaps of accuracies are shown in percent; RMSE, MAE,
    losses and their gaps in their own units.

    Args:
        summaries: from :func:`~trainlab.stats.compare.summarize`.
        metric: the metric's name, for the header and the format.
        name: the study's name, for the ``--seeds-for`` hint ("STUDY" when "").
        higher_is_better: the metric's direction (False: the legend says lower is better).
        gap_metric: the task's primary metric the gap is measured in (``"acc"``, ``"rmse"``).

    Returns:
        The table, a legend and notes (diverged variants, comparisons clear
        only before the correction), lines joined by newlines.

    Example:
        >>> from types import SimpleNamespace as T
        >>> from trainlab.stats.compare import summarize
        >>> trials = [T(variant=v, seed=s, status="done", metrics={"test_acc": a, "seconds": 9})
        ...           for v, s, a in [("baseline", 0, 0.90), ("baseline", 1, 0.91),
        ...                           ("baseline", 2, 0.92), ("dropout", 0, 0.93),
        ...                           ("dropout", 1, 0.95), ("dropout", 2, 0.95)]]
        >>> lines = format_table(summarize(trials), "test_acc").splitlines()
        >>> print("\\n".join(line[:86].rstrip() for line in lines[:4]))
        variant   n  test_acc        Δ vs baseline            p          p (Holm)  detectable
        --------  -  --------------  -----------------------  ---------  --------  ----------
        baseline  3  91.00% ± 2.48%  —                        —          —         —
        dropout   3  94.33% ± 2.87%  +3.33% [+1.90%, +4.77%]  0.010 (t)  0.010     1.88%
    """
    pct = in_points(metric) if known_direction(metric) is not None else metric.endswith("acc")
    gap_pct = in_points("gap", gap_metric)
    refs = {s.reference for s in summaries if s.reference is not None}
    baseline = next((s.variant for s in summaries if s.effect == "baseline"), None)
    show_vs = len(refs) > 1 or (len(refs) == 1 and refs != {baseline})
    ref_name = baseline if not show_vs and baseline is not None else "ref"
    shown = {k for k, on in _columns(summaries, show_vs) if on}
    first = next((s for s in summaries if adjusted(s)), None)
    titles = {
        "variant": "variant",
        "n": "n",
        "value": metric,
        "vs": "vs",
        "diff": f"Δ vs {ref_name}",
        "p": "p",
        "p_adjusted": f"p ({correction_name(first)})" if first is not None else "",
        "detectable": "detectable",
        "gap": "gap",
        "gap_diff": "Δgap",
        "effect": "effect",
        "time": "time",
        "failed": "failed",
        "diverged": "diverged",
    }
    order = _order(shown)
    right = {i for i, k in enumerate(order) if k in ("n", "time", "failed", "diverged")}
    rows = [[titles[k] for k in order]] + [_row(s, pct, shown, gap_pct) for s in summaries]
    widths = [max(len(r[i]) for r in rows) for i in range(len(order))]

    def line(cells: list[str]) -> str:
        out = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(out).rstrip()

    lines = [line(rows[0]), "  ".join("-" * w for w in widths)]
    lines += [line(r) for r in rows[1:]]
    lines += ["", *_legend(summaries, name, metric, not higher_is_better, gap_metric)]
    notes = _notes(summaries)
    return "\n".join(lines + (["", *notes] if notes else []))
