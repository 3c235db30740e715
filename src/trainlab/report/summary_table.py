"""The study's summary as a plain-text table, for the terminal: one row per variant.

What ``trainlab study`` prints when a study ends: each variant's mean with the
half-width of its confidence interval (Student t, over seeds), the difference
from its reference paired by seed with its interval, the primary test's
p-value (see :mod:`trainlab.stats.compare`), the generalization gap, the
effect and the mean training time.

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
from collections.abc import Sequence

from trainlab.report.format import DASH, table_number, table_p, table_seconds
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


def _row(s: VariantSummary, pct: bool, show_vs: bool, show_failed: bool) -> list[str]:
    gap_diff = s.gap_diff
    row = [
        s.variant,
        str(s.value.n),
        _interval(s.value, pct),
        _diff(s.diff, pct),
        _p(s.diff),
        _interval(s.gap, True),
        DASH if gap_diff is None or gap_diff.n == 0 else table_number(gap_diff.mean, True, True),
        s.effect,
        table_seconds(s.seconds.mean),
    ]
    if show_vs:
        row.insert(3, s.reference or DASH)
    if show_failed:
        row.append(str(s.failed))
    return row


def format_table(summaries: Sequence[VariantSummary], metric: str) -> str:
    """A plain-text table of a study's summaries, with aligned columns.

    Columns: variant, n (finished seeds with the metric), mean ± half-width,
    Δ vs the reference [interval], p of the primary test (``t`` or ``W``),
    generalization gap, Δgap, effect and mean training time; a ``failed``
    column appears when a trial failed, a ``vs`` column when variants have
    different references. Metrics whose name ends with ``acc`` (and the gap)
    are shown in percent.

    Args:
        summaries: from :func:`~trainlab.stats.compare.summarize`.
        metric: the metric's name, for the header and the format.

    Returns:
        The table and a legend, lines joined by newlines.

    Example:
        >>> from types import SimpleNamespace as T
        >>> from trainlab.stats.compare import summarize
        >>> trials = [T(variant=v, seed=s, status="done", metrics={"test_acc": a, "seconds": 9})
        ...           for v, s, a in [("baseline", 0, 0.90), ("baseline", 1, 0.91),
        ...                           ("baseline", 2, 0.92), ("dropout", 0, 0.93),
        ...                           ("dropout", 1, 0.95), ("dropout", 2, 0.95)]]
        >>> print("\\n".join(format_table(summarize(trials), "test_acc").splitlines()[:4]))
        variant   n  test_acc        Δ vs baseline            p          gap  Δgap  effect     time
        --------  -  --------------  -----------------------  ---------  ---  ----  --------  -----
        baseline  3  91.00% ± 2.48%  —                        —          —    —     baseline  9.0 s
        dropout   3  94.33% ± 2.87%  +3.33% [+1.90%, +4.77%]  0.010 (t)  —    —     helps     9.0 s
    """
    pct = metric.endswith("acc")
    refs = {s.reference for s in summaries if s.reference is not None}
    baseline = next((s.variant for s in summaries if s.effect == "baseline"), None)
    show_vs = len(refs) > 1 or (len(refs) == 1 and refs != {baseline})
    show_failed = any(s.failed for s in summaries)
    ref_name = baseline if not show_vs and baseline is not None else "ref"

    header = ["variant", "n", metric, f"Δ vs {ref_name}", "p", "gap", "Δgap", "effect", "time"]
    right = {1, 8}
    if show_vs:
        header.insert(3, "vs")
        right = {1, 9}
    if show_failed:
        header.append("failed")
        right.add(len(header) - 1)
    rows = [header] + [_row(s, pct, show_vs, show_failed) for s in summaries]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        out = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(out).rstrip()

    lines = [line(rows[0]), "  ".join("-" * w for w in widths)]
    lines += [line(r) for r in rows[1:]]
    conf = summaries[0].confidence if summaries else 0.95
    lines += [
        "",
        f"mean ± half-width of the {conf:.0%} confidence interval (Student t) over seeds;",
        f"Δ: difference paired by seed [{conf:.0%} interval]; p: primary two-sided test",
        "(t: paired t-test, W: Wilcoxon signed-rank); gap: train − test accuracy.",
    ]
    return "\n".join(lines)
