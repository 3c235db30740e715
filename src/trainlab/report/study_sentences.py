"""A study's findings in plain words: one honest sentence per variant, and what few seeds show.

For each variant one sentence a student can read without statistics —
*dropout raised test accuracy by 0.8 points (95% CI 0.2 to 1.4, paired t-test
p = 0.03): it helps* — and honest ones: whenever the 95% interval of the
paired difference includes zero the sentence says *no clear effect*, never
"helps a little" (the effect is the summary's, decided by
:func:`~trainlab.stats.compare.effect_of` from the interval and the study's
stated direction). A note says that with few seeds only large effects can be
shown: the interval of a mean narrows only as 1/√n (Student, 1908).

Example:
    >>> from trainlab.report.study_sentences import describe_effect
    >>> from trainlab.stats.compare import Interval, PairedDiff, VariantSummary
    >>> nan = float("nan")
    >>> row = VariantSummary("dropout", "test_acc", Interval(0.91, 0.9, 0.92, 3), "baseline",
    ...     PairedDiff(0.008, 0.002, 0.014, 3, 0.03, 0.25, "t", 0.03), Interval(nan, nan, nan, 0),
    ...     None, Interval(nan, nan, nan, 0), effect="helps")
    >>> print(describe_effect(row, scale=100, vs=False).replace(" (", "\\n("))
    dropout raised test accuracy by 0.8 points
    (95% CI 0.2 to 1.4, paired t-test p = 0.03): it helps.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from trainlab.report.format import Units, finite, is_accuracy, metric_scale, p_value
from trainlab.report.study_text import PAGE_TEXT, metric_label, plural
from trainlab.stats.compare import PairedDiff, VariantSummary


def metric_units(metric: str, scale: float, text: Mapping[str, str] = PAGE_TEXT) -> Units:
    """How values of ``metric`` are shown, with differences in points for accuracies."""
    return Units(scale=scale, percent=is_accuracy(metric), unit=text["unit_points"])


def p_phrase(d: PairedDiff, text: Mapping[str, str] = PAGE_TEXT) -> str:
    """``paired t-test p = 0.03``, or "" without a p-value."""
    if not math.isfinite(d.p):
        return ""
    shown = p_value(d.p)
    rel = shown if shown.startswith("<") else text["p_equals"].format(p=shown)
    return text["p_phrase"].format(test=text[f"test_{d.test}"], rel=rel).strip()


def _stats(units: Units, lo: float, hi: float, d: int, p: str, text: Mapping[str, str]) -> str:
    out = text["ci_words"].format(lo=units.num(lo, decimals=d), hi=units.num(hi, decimals=d))
    return out + (f", {p}" if p else "")


def _reference_sentence(s: VariantSummary, units: Units, role: str, text: Mapping[str, str]) -> str:
    v = s.value
    ci = ""
    if finite(v.lo, v.hi):
        lo, hi = units.num(v.lo, decimals=1), units.num(v.hi, decimals=1)
        ci = text["ref_ci"].format(lo=lo, hi=hi)
    plain = s.variant.lower() in ("baseline", role)
    who = "" if plain else text["ref_who"].format(role=role)
    label = metric_label(s.metric, text)
    seeds = plural(text, "seeds", v.n)
    return text["ref_reached"].format(
        who=who, label=label, value=units.value(v.mean), ci=ci, seeds=seeds
    )


def effect_sentence(
    s: VariantSummary,
    units: Units,
    *,
    reference: str = "",
    role: str = "baseline",
    text: Mapping[str, str] = PAGE_TEXT,
) -> tuple[str, str]:
    """(effect, the sentence after the variant's name).

    ``reference`` is named in the sentence ("… by 3.0 points against glorot (95% CI …)");
    ``role`` is what a reference is called ("baseline" or "reference").
    """
    if s.effect == "baseline":
        return s.effect, _reference_sentence(s, units, role, text)
    if s.value.n == 0:
        why = text["no_trial_failed"].format(failed=s.failed) if s.failed else ""
        return "no clear effect", text["no_trial"].format(why=why)
    d = s.diff
    if d is None or not math.isfinite(d.mean):
        ref = reference or text["the_baseline"]
        return "no clear effect", text["not_compared"].format(ref=ref)
    label = metric_label(s.metric, text)
    vs = text["vs_ref"].format(ref=reference) if reference else ""
    p = p_phrase(d, text)
    dec = units.decimals(d.mean, d.lo, d.hi)
    common = {"label": label, "unit": units.unit, "vs": vs}
    if s.effect in ("helps", "hurts"):
        up = d.mean > 0
        a, b = (d.lo, d.hi) if up else (-d.hi, -d.lo)
        return s.effect, text["effect_clear"].format(
            verb=text["verb_raised" if up else "verb_lowered"],
            amount=units.num(abs(d.mean), decimals=dec),
            stats=_stats(units, a, b, dec, p, text),
            verdict=text[f"verdict_{s.effect}"],
            **common,
        )
    amount = units.num(d.mean, signed=True, decimals=dec)
    seeds = plural(text, "seeds", d.n)
    if finite(d.lo, d.hi):
        stats = _stats(units, d.lo, d.hi, dec, p, text)
        return s.effect, text["effect_unclear"].format(
            amount=amount, stats=stats, seeds=seeds, **common
        )
    return s.effect, text["effect_no_ci"].format(amount=amount, seeds=seeds, **common)


def gap_sentence(
    s: VariantSummary, scale: float, *, reference: str = "", text: Mapping[str, str] = PAGE_TEXT
) -> tuple[str, str] | None:
    """(``shrank``, ``widened`` or ``unclear``; the sentence after the name), or None for a
    reference or without a gap difference."""
    gd = s.gap_diff
    if gd is None or s.effect == "baseline" or not math.isfinite(gd.mean):
        return None
    units = Units(scale=scale, percent=True, unit=text["unit_points"])
    vs = text["vs_ref"].format(ref=reference) if reference else ""
    dec = units.decimals(gd.mean, gd.lo, gd.hi)
    p = p_phrase(gd, text)
    if finite(gd.lo, gd.hi) and (gd.hi < 0 or gd.lo > 0):
        kind = "shrank" if gd.mean < 0 else "widened"
        a, b = (-gd.hi, -gd.lo) if gd.mean < 0 else (gd.lo, gd.hi)
        return kind, text["gap_clear"].format(
            verb=text[f"verb_{kind}"],
            amount=units.num(abs(gd.mean), decimals=dec),
            vs=vs,
            stats=_stats(units, a, b, dec, p, text),
        )
    amount = units.num(gd.mean, signed=True, decimals=dec)
    seeds = plural(text, "seeds", gd.n)
    if finite(gd.lo, gd.hi):
        stats = _stats(units, gd.lo, gd.hi, dec, p, text)
        return "unclear", text["gap_unclear"].format(amount=amount, vs=vs, stats=stats, seeds=seeds)
    return "unclear", text["gap_no_ci"].format(amount=amount, vs=vs, seeds=seeds)


def describe_effect(summary: VariantSummary, *, scale: float | None = None, vs: bool = True) -> str:
    """One plain-words sentence on a variant's effect on the study's metric, vs its reference.

    "it helps" or "it hurts" only when the 95% CI of the paired difference
    excludes zero (the summary's effect), else "no clear effect with N seeds".
    Accuracy differences are in percentage points.

    Args:
        summary: one variant's summary.
        scale: the factor to display units (default: 100 for accuracies given
            as fractions, else 1; see :func:`~trainlab.report.format.metric_scale`).
        vs: name the reference in the sentence (*… by 3.0 points against
            deep-glorot-uniform (95% CI …)*).

    Returns:
        The sentence, starting with the variant's name.

    Example:
        >>> from trainlab.stats.compare import Interval, PairedDiff, VariantSummary
        >>> nan = float("nan")
        >>> row = VariantSummary("he", "test_acc", Interval(0.9, 0.89, 0.91, 3), "glorot",
        ...     PairedDiff(-0.03, -0.043, -0.018, 3, 0.01, 0.25, "t", 0.01),
        ...     Interval(nan, nan, nan, 0), None, Interval(nan, nan, nan, 0), effect="hurts")
        >>> print(describe_effect(row, scale=100).replace(" (", "\\n("))
        he lowered test accuracy by 3.0 points against glorot
        (95% CI 1.8 to 4.3, paired t-test p = 0.01): it hurts.
    """
    v = summary.value
    if scale is None:
        scale = metric_scale(summary.metric, [v.mean, v.lo, v.hi])
    units = metric_units(summary.metric, scale)
    reference = (summary.reference or "") if vs else ""
    _, rest = effect_sentence(summary, units, reference=reference)
    return f"{summary.variant} {rest}"


def describe_gap(summary: VariantSummary, *, scale: float = 100.0, vs: bool = True) -> str | None:
    """One plain-words sentence on how a variant changed the generalization gap, or None.

    "shrank" / "widened" only when the 95% CI of the paired gap difference
    excludes zero, else "no clear change". None for a reference or without a
    gap difference.

    Args:
        summary: one variant's summary.
        scale: the factor to percentage points (100 for accuracies as fractions).
        vs: name the reference in the sentence.

    Returns:
        The sentence, starting with the variant's name, or None.

    Example:
        >>> from trainlab.stats.compare import Interval, PairedDiff, VariantSummary
        >>> nan = Interval(float("nan"), float("nan"), float("nan"), 0)
        >>> row = VariantSummary("dropout", "test_acc", nan, "baseline", None, nan,
        ...     PairedDiff(-0.021, -0.033, -0.009, 3, 0.02, 0.25, "t", 0.02), nan)
        >>> print(describe_gap(row, vs=False).replace(" (", "\\n("))
        dropout shrank the generalization gap by 2.1 points
        (95% CI 0.9 to 3.3, paired t-test p = 0.02).
    """
    got = gap_sentence(summary, scale, reference=(summary.reference or "") if vs else "")
    return None if got is None else f"{summary.variant} {got[1]}"


def seed_note(
    summaries: Sequence[VariantSummary],
    units: Units,
    multi: bool,
    text: Mapping[str, str] = PAGE_TEXT,
) -> str:
    """What these seeds can show: the smallest number of pairs, the typical interval
    half-width, what "no clear effect" means, and the chance of a false "clear" effect."""
    others = [s for s in summaries if s.reference is not None]
    if not others:
        return ""
    ks = [k for k in (s.diff.n if s.diff is not None else s.value.n for s in others) if k > 0]
    widths = sorted(
        (s.diff.hi - s.diff.lo) / 2
        for s in others
        if s.diff is not None and finite(s.diff.lo, s.diff.hi)
    )
    k = min(ks) if ks else 0
    seeds = plural(text, "seeds", k)
    if 0 < k < 10:
        out = text["note_few"].format(seeds=seeds)
    elif k:
        out = text["note_many"].format(seeds=seeds)
    else:
        ref = text["note_its_reference"] if multi else text["the_baseline"]
        out = text["note_none"].format(ref=ref)
    if widths:
        half = widths[len(widths) // 2]
        out += text["note_width"].format(width=units.num(half), unit=units.unit)
    out += text["note_meaning"]
    m = len(others)
    if m >= 5:
        ref = text["note_their_reference"] if multi else text["the_baseline"]
        out += text["note_chance"].format(m=m, ref=ref, expected=f"{0.05 * m:.1f}")
    return out
