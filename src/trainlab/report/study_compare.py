"""``trainlab compare A B`` as text (the terminal), Markdown or JSON.

One row per variant both studies have: A's mean [interval], B's, ``B − A``
[interval] (in points for accuracies, in the metric's own units for RMSE, MAE or
a loss), how it was computed (paired by seed and over how many seeds, or
Welch's unpaired interval), the raw and the adjusted
p-value, and the verdict; then the variants only one study has, what their
definitions and runs do not share, and the trials that did not finish. The
legend explains what the page shows and nothing else.

Example:
    >>> from trainlab.report.compare_results import Difference
    >>> from trainlab.report.study_compare import pairing
    >>> pairing(Difference(0.01, 0.0, 0.02, 0.05, "paired", "t", 3))
    'paired t, 3 seeds'
    >>> pairing(Difference(0.01, 0.0, 0.02, 0.05, "welch", "welch", 6))
    'Welch, 6 values'
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Sequence

from trainlab.core.words import count
from trainlab.report.compare_results import Difference, RunRecord, StudyComparison, StudyFacts
from trainlab.report.definition import direction
from trainlab.report.format import DASH, Units, p_value, seconds
from trainlab.report.study_units import display_scale, in_points

#: the output formats of :func:`render_comparison`
FORMATS = ("text", "markdown", "json")
#: how each correction is named on the page
CORRECTION_NAMES = {
    "holm": "Holm",
    "bh": "Benjamini–Hochberg",
    "bonferroni": "Bonferroni",
    "none": "no correction",
}
_SHORT = {"holm": "Holm", "bh": "BH", "bonferroni": "Bonf."}


def pairing(d: Difference) -> str:
    """How ``B − A`` was computed: ``paired t, 3 seeds``, ``Welch, 6 values``, or "—"."""
    if d.method == "paired":
        test = "Wilcoxon" if d.test == "wilcoxon" else "t"
        return f"paired {test}, {count(d.n, 'seed')}"
    if d.method == "welch":
        return f"Welch, {d.n} values"
    return DASH


def _units(c: StudyComparison) -> Units:
    values = [x for r in c.rows for x in (r.a.mean, r.b.mean)]
    scale = display_scale(c.metric, values)
    return Units(scale=scale, percent=in_points(c.metric) and scale == 100.0, unit=" points")


def _interval(u: Units, mean: float, lo: float, hi: float, *, signed: bool = False) -> str:
    if not math.isfinite(mean):
        return DASH
    head = u.num(mean, signed=True) if signed else u.value(mean)
    ci = u.ci(lo, hi, signed=signed)
    return f"{head} {ci}" if ci else head


def _verdict(text: str, higher_is_better: bool) -> str:
    if text == "B higher":
        return f"{text} ({'better' if higher_is_better else 'worse'})"
    if text == "B lower":
        return f"{text} ({'worse' if higher_is_better else 'better'})"
    return text


def _counts(f: StudyFacts) -> str:
    total = sum(f.counts.values())
    others = [f"{n} {s}" for s, n in sorted(f.counts.items()) if s != "done" and n]
    return ", ".join([f"{f.counts.get('done', 0)} of {total} trials done", *others])


def run_text(r: RunRecord) -> str:
    """The last run that trained trials: ``6 trials in 1 min 35 s, 2 workers, processes``."""
    workers = count(r.workers, "worker")
    return f"{r.trials} trials in {seconds(r.wall_seconds)}, {workers}, {r.executor}"


def _last_run(f: StudyFacts) -> str:
    return "" if f.last_run is None else f"last run {run_text(f.last_run)}"


def side_text(label: str, f: StudyFacts) -> str:
    """``A  studies/lecture  study lecture, 45 of 45 trials done, store v1; last run …``."""
    parts = [f"study {f.name}", _counts(f), f"store v{f.schema_version}"]
    run = _last_run(f)
    return f"{label}  {f.folder}  {', '.join(parts)}" + (f"; {run}" if run else "")


def method_text(c: StudyComparison) -> str:
    """The line that says how the numbers were computed."""
    pct = f"{round(100 * c.confidence)}%"
    kinds = {r.diff.method for r in c.rows}
    how = []
    if "paired" in kinds:
        how.append("B − A paired by seed over the seeds both finished")
    if "welch" in kinds:
        how.append("Welch's unpaired interval where fewer than 2 seeds are shared")
    name = CORRECTION_NAMES.get(c.correction, c.correction)
    m = c.comparisons
    family = f"{name} correction across {count(m, 'comparison')}"
    if c.correction == "none":
        family = "no correction across the comparisons"
    head = f"{c.metric}, {direction(c.higher_is_better)}"
    return "; ".join([head, f"{pct} intervals", *how, family, f"α = {c.alpha:.3g}"])


def _header(c: StudyComparison, u: Units) -> list[str]:
    unit = " (points)" if u.percent else ""
    head = ["variant", "A", "B", f"B − A{unit}", "computed", "p"]
    if c.correction != "none":
        head.append(f"p {_SHORT.get(c.correction, c.correction)}")
    return [*head, "verdict"]


def table_rows(c: StudyComparison) -> list[list[str]]:
    """The variant table's header and rows, as cells."""
    u = _units(c)
    rows = [_header(c, u)]
    for r in c.rows:
        d = r.diff
        cells = [
            r.variant,
            _interval(u, r.a.mean, r.a.lo, r.a.hi),
            _interval(u, r.b.mean, r.b.lo, r.b.hi),
            _interval(u, d.mean, d.lo, d.hi, signed=True),
            pairing(d),
            p_value(d.p),
        ]
        if c.correction != "none":
            cells.append(p_value(r.p_adjusted))
        rows.append([*cells, _verdict(r.verdict, c.higher_is_better)])
    return rows


def _unfinished(c: StudyComparison) -> list[str]:
    out = []
    for r in c.rows:
        for side, other in (("A", r.a_other), ("B", r.b_other)):
            if other:
                counts = ", ".join(f"{n} {s}" for s, n in sorted(other.items()))
                out.append(f"{side} {r.variant}: {counts}")
    return out


def legend(c: StudyComparison) -> str:
    """What the verdicts mean, at the page's level and correction."""
    name = CORRECTION_NAMES.get(c.correction, c.correction)
    adjusted = "p-value" if c.correction == "none" else f"{name}-adjusted p-value"
    return (
        f"B higher / B lower: the {adjusted} is below {c.alpha:.3g} and the interval "
        "excludes 0. No clear difference: these seeds do not show one, which is not "
        "evidence that the two are the same."
    )


def _aligned(rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        indent + "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
        for r in rows
    ]


def _prose(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)


def comparison_text(c: StudyComparison, width: int = 100) -> str:
    """The comparison for the terminal, prose wrapped to ``width`` (no final newline)."""
    lines = [side_text("A", c.a), side_text("B", c.b), *_prose(method_text(c), width), ""]
    if c.rows:
        lines += _aligned(table_rows(c))
    else:
        lines.append("no variant in common: nothing to compare")
    for label, names in (("only in A", c.only_a), ("only in B", c.only_b)):
        if names:
            lines.append(f"{label}: {', '.join(names)}")
    if c.differences:
        lines += ["", "what differs:"]
        lines += _aligned(
            [["", "A", "B"], *([d.what, d.a, d.b] for d in c.differences)], indent="  "
        )
    else:
        lines += ["", "the definitions agree (base, base_set, seeds, variants, resolved recipes)"]
    unfinished = _unfinished(c)
    if unfinished:
        text = "not finished (left out of the numbers): " + "; ".join(unfinished)
        lines += ["", *_prose(text, width)]
    if c.rows:
        lines += ["", *_prose(legend(c), width)]
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _md_table(rows: Sequence[Sequence[str]]) -> list[str]:
    head, *body = rows
    out = ["| " + " | ".join(_md(h) for h in head) + " |", "|" + "---|" * len(head)]
    return out + ["| " + " | ".join(_md(cell) for cell in r) + " |" for r in body]


def comparison_markdown(c: StudyComparison) -> str:
    """The comparison as a Markdown page (ends with a newline)."""
    lines = [f"# Study comparison: {c.a.name} (A) and {c.b.name} (B)", ""]
    sides = [["", "folder", "study", "trials", "last run"]]
    for label, f in (("A", c.a), ("B", c.b)):
        sides.append([label, f"`{f.folder}`", f.name, _counts(f), _last_run(f) or DASH])
    lines += [*_md_table(sides), "", method_text(c) + ".", ""]
    lines += _md_table(table_rows(c)) if c.rows else ["No variant in common: nothing to compare."]
    for label, names in (("Only in A", c.only_a), ("Only in B", c.only_b)):
        if names:
            lines += ["", f"{label}: {', '.join(names)}."]
    lines += ["", "## What differs", ""]
    if c.differences:
        lines += _md_table([["", "A", "B"], *([d.what, d.a, d.b] for d in c.differences)])
    else:
        lines.append("The definitions agree (base, base_set, seeds, variants, resolved recipes).")
    unfinished = _unfinished(c)
    if unfinished:
        lines += ["", "Not finished (left out of the numbers): " + "; ".join(unfinished) + "."]
    if c.rows:
        lines += ["", legend(c)]
    return "\n".join(lines) + "\n"


def comparison_json(c: StudyComparison) -> str:
    """The comparison as JSON (undefined numbers are null; ends with a newline)."""
    return json.dumps(c.to_dict(), indent=2, allow_nan=False, ensure_ascii=False) + "\n"


def render_comparison(c: StudyComparison, fmt: str = "text") -> str:
    """The comparison in ``fmt`` (one of :data:`FORMATS`), ending with a newline."""
    if fmt == "text":
        return comparison_text(c) + "\n"
    if fmt == "markdown":
        return comparison_markdown(c)
    if fmt == "json":
        return comparison_json(c)
    raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
