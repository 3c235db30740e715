"""A study's findings in plain words: one honest sentence per variant, and what few seeds show.

For each variant one sentence a student can read without statistics —
*dropout raised test accuracy by 0.8 points (95% CI 0.2 to 1.4, paired t-test
p = 0.03): it helps* — and honest ones. The effect is the summary's
(:func:`~trainlab.stats.compare.summarize`): *helps* or *hurts* only when the
p-value **adjusted for the study's comparisons** (Holm, 1979, by default) is
below α and the interval excludes zero; otherwise *no clear effect*, never
"helps a little". Both p-values are shown, alone and after the correction,
and a comparison that is clear alone but not after the correction is named as
such. A variant whose training diverged in some seed *diverges*: a result, the
worst one, with the seeds and epochs where it diverged.

A note says what these seeds could show: the interval of a mean narrows only
as 1/√n (Student, 1908), and the smallest effect the paired t-test detects
with 80% power at the study's level (Cohen, 1988) is given per comparison,
with the way to detect smaller ones (more seeds, ``--seeds-for``).

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

from trainlab.report.format import Units, finite, p_value
from trainlab.report.study_text import PAGE_TEXT, metric_label, plural, plural_key
from trainlab.report.study_units import display_scale, in_points
from trainlab.stats.compare import PairedDiff, VariantSummary
from trainlab.stats.power import planning_level


def metric_units(
    metric: str, scale: float, text: Mapping[str, str] = PAGE_TEXT, gap_metric: str = "acc"
) -> Units:
    """How values of ``metric`` are shown: accuracy-like ones in percent with differences in
    points, others (RMSE, MAE, a loss) in their own units (see
    :func:`~trainlab.report.study_units.in_points`)."""
    return Units(scale=scale, percent=in_points(metric, gap_metric), unit=text["unit_points"])


def p_phrase(d: PairedDiff, text: Mapping[str, str] = PAGE_TEXT) -> str:
    """``paired t-test p = 0.03``, or "" without a p-value."""
    if not math.isfinite(d.p):
        return ""
    shown = p_value(d.p)
    rel = shown if shown.startswith("<") else text["p_equals"].format(p=shown)
    return text["p_phrase"].format(test=text[f"test_{d.test}"], rel=rel).strip()


def corrected(s: VariantSummary) -> bool:
    """Whether ``s``'s p-value was adjusted over a family of several comparisons."""
    return s.correction != "none" and s.comparisons > 1 and math.isfinite(s.p_adjusted)


def adjusted(s: VariantSummary) -> bool:
    """Whether ``s`` has an adjusted p-value to show beside the raw one (in a table's column;
    a sentence gives it only when the family has several comparisons, see :func:`corrected`)."""
    return s.correction != "none" and math.isfinite(s.p_adjusted)


def correction_name(
    s: VariantSummary, text: Mapping[str, str] = PAGE_TEXT, *, long: bool = False
) -> str:
    """The correction's name in words: ``Holm`` (``Holm–Bonferroni`` when ``long``)."""
    return text[f"correction_long_{s.correction}" if long else f"correction_{s.correction}"]


def p_phrases(s: VariantSummary, text: Mapping[str, str] = PAGE_TEXT) -> str:
    """The raw and the adjusted p-value side by side: ``paired t-test p = 0.03 alone, 0.09
    after Holm over 3 comparisons``; the raw one alone when uncorrected; "" without a p-value.

    Example:
        >>> from types import SimpleNamespace as T
        >>> from trainlab.stats.compare import summarize
        >>> runs = {"baseline": [0.90, 0.91, 0.92], "wd": [0.91, 0.926, 0.942],
        ...         "noise": [0.91, 0.90, 0.925], "mix": [0.895, 0.92, 0.918]}
        >>> rows = summarize([T(variant=v, seed=s, status="done", metrics={"test_acc": a})
        ...                   for v, accs in runs.items() for s, a in enumerate(accs)])
        >>> p_phrases(rows[1])
        'paired t-test p = 0.044 alone, 0.13 after Holm over 3 comparisons'
    """
    raw = p_phrase(s.diff, text) if s.diff is not None else ""
    if not raw or not corrected(s):
        return raw
    return text["p_adjusted"].format(
        raw=raw,
        adjusted=p_value(s.p_adjusted),
        correction=correction_name(s, text),
        comparisons=plural(text, "comparisons", s.comparisons),
    )


def lost_to_correction(s: VariantSummary) -> bool:
    """Whether ``s`` is clear alone (raw p below α, interval excluding 0) but not once its
    p-value is adjusted for the study's comparisons."""
    d = s.diff
    if s.effect != "no clear effect" or d is None or not corrected(s):
        return False
    excludes = finite(d.lo, d.hi) and (d.lo > 0 or d.hi < 0)
    return excludes and d.p < s.alpha <= s.p_adjusted


def seeds_tried(s: VariantSummary) -> int:
    """How many seeds of ``s`` trained to an outcome: finished or diverged (errors left out)."""
    return max(len(s.seeds) + s.diverged - s.verdicts.get("diverged", 0), s.diverged)


def divergence_phrase(s: VariantSummary, text: Mapping[str, str] = PAGE_TEXT) -> str:
    """``diverged in 3 of 3 seeds (at epochs 1, 1, 2)``; "" when no seed diverged.

    Example:
        >>> from types import SimpleNamespace as T
        >>> from trainlab.stats.compare import summarize
        >>> trials = [T(variant="baseline", seed=s, status="done", metrics={"test_acc": 0.9})
        ...           for s in (0, 1)] + [T(variant="big-lr", seed=s, status="diverged",
        ...                                 metrics={"diverged_epoch": 1}) for s in (0, 1)]
        >>> divergence_phrase(summarize(trials)[1])
        'diverged in 2 of 2 seeds (at epochs 1, 1)'
    """
    if not s.diverged:
        return ""
    at = ""
    if s.diverged_at:
        at = text[plural_key("diverged_at", len(s.diverged_at))].format(
            epochs=", ".join(str(e) for e in s.diverged_at)
        )
    seeds = plural(text, "seeds", seeds_tried(s))
    return text["diverged_in"].format(k=s.diverged, seeds=seeds, at=at)


def _detectable(s: VariantSummary, units: Units, text: Mapping[str, str]) -> str:
    if not math.isfinite(s.detectable):
        return ""
    amount = units.num(s.detectable, decimals=units.decimals(s.detectable))
    return text["detectable_clause"].format(amount=amount, unit=units.unit)


def _diverges(s: VariantSummary, units: Units, text: Mapping[str, str]) -> str:
    finished = ""
    n = s.value.n
    if n and math.isfinite(s.value.mean):
        finished = text[plural_key("diverges_finished", n)].format(
            k=n, label=metric_label(s.metric, text), value=units.value(s.value.mean)
        )
    return text["diverges_sentence"].format(diverged=divergence_phrase(s, text), finished=finished)


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
    out = text["ref_reached"].format(
        who=who, label=label, value=units.value(v.mean), ci=ci, seeds=seeds
    )
    if s.diverged:
        out += text["ref_diverged"].format(diverged=divergence_phrase(s, text))
    return out


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
    ``role`` is what a reference is called ("baseline" or "reference"). A
    diverging variant's sentence says where it diverged, never "no clear effect".
    """
    if s.effect == "baseline":
        return s.effect, _reference_sentence(s, units, role, text)
    if s.effect == "diverges":
        return s.effect, _diverges(s, units, text)
    if s.value.n == 0:
        why = text[plural_key("no_trial_failed", s.failed)].format(k=s.failed) if s.failed else ""
        return "no clear effect", text["no_trial"].format(why=why)
    d = s.diff
    if d is None or not math.isfinite(d.mean):
        ref = reference or text["the_baseline"]
        return "no clear effect", text["not_compared"].format(ref=ref)
    label = metric_label(s.metric, text)
    vs = text["vs_ref"].format(ref=reference) if reference else ""
    p = p_phrases(s, text)
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
        detectable = _detectable(s, units, text)
        if lost_to_correction(s):
            comparisons = plural(text, "comparisons", s.comparisons)
            return s.effect, text["effect_corrected"].format(
                amount=amount, stats=stats, comparisons=comparisons, detectable=detectable, **common
            )
        return s.effect, text["effect_unclear"].format(
            amount=amount, stats=stats, seeds=seeds, detectable=detectable, **common
        )
    return s.effect, text["effect_no_ci"].format(amount=amount, seeds=seeds, **common)


def gap_sentence(
    s: VariantSummary,
    scale: float,
    *,
    reference: str = "",
    text: Mapping[str, str] = PAGE_TEXT,
    percent: bool = True,
) -> tuple[str, str] | None:
    """(``shrank``, ``widened`` or ``unclear``; the sentence after the name), or None for a
    reference or without a gap difference. ``percent``: the gap is of an accuracy-like
    metric, its differences in points (else in the metric's own units, e.g. RMSE)."""
    gd = s.gap_diff
    if gd is None or s.effect == "baseline" or not math.isfinite(gd.mean):
        return None
    units = Units(scale=scale, percent=percent, unit=text["unit_points"])
    vs = text["vs_ref"].format(ref=reference) if reference else ""
    dec = units.decimals(gd.mean, gd.lo, gd.hi)
    p = p_phrase(gd, text)
    common = {"vs": vs, "unit": units.unit}
    if finite(gd.lo, gd.hi) and (gd.hi < 0 or gd.lo > 0):
        kind = "shrank" if gd.mean < 0 else "widened"
        a, b = (-gd.hi, -gd.lo) if gd.mean < 0 else (gd.lo, gd.hi)
        return kind, text["gap_clear"].format(
            verb=text[f"verb_{kind}"],
            amount=units.num(abs(gd.mean), decimals=dec),
            stats=_stats(units, a, b, dec, p, text),
            **common,
        )
    amount = units.num(gd.mean, signed=True, decimals=dec)
    seeds = plural(text, "seeds", gd.n)
    if finite(gd.lo, gd.hi):
        stats = _stats(units, gd.lo, gd.hi, dec, p, text)
        return "unclear", text["gap_unclear"].format(
            amount=amount, stats=stats, seeds=seeds, **common
        )
    return "unclear", text["gap_no_ci"].format(amount=amount, seeds=seeds, **common)


def describe_effect(summary: VariantSummary, *, scale: float | None = None, vs: bool = True) -> str:
    """One plain-words sentence on a variant's effect on the study's metric, vs its reference.

    "it helps" or "it hurts" only when the 95% CI of the paired difference
    excludes zero (the summary's effect), else "no clear effect with N seeds".
    Accuracy differences are in percentage points; RMSE, MAE and losses in their
    own units.

    Args:
        summary: one variant's summary.
        scale: the factor to display units (default: 100 for accuracy-like values given
            as fractions, else 1; see :func:`~trainlab.report.study_units.display_scale`).
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
        scale = display_scale(summary.metric, [v.mean, v.lo, v.hi])
    units = metric_units(summary.metric, scale)
    reference = (summary.reference or "") if vs else ""
    _, rest = effect_sentence(summary, units, reference=reference)
    return f"{summary.variant} {rest}"


def describe_gap(
    summary: VariantSummary, *, scale: float = 100.0, vs: bool = True, percent: bool = True
) -> str | None:
    """One plain-words sentence on how a variant changed the generalization gap, or None.

    "shrank" / "widened" only when the 95% CI of the paired gap difference
    excludes zero, else "no clear change". None for a reference or without a
    gap difference.

    Args:
        summary: one variant's summary.
        scale: the factor to percentage points (100 for accuracies as fractions).
        vs: name the reference in the sentence.
        percent: the gap is of an accuracy (in points); False: of RMSE or another
            metric in its own units (then ``scale`` is 1).

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
    ref = (summary.reference or "") if vs else ""
    got = gap_sentence(summary, scale, reference=ref, percent=percent)
    return None if got is None else f"{summary.variant} {got[1]}"


def _lost_items(lost: Sequence[VariantSummary], text: Mapping[str, str]) -> str:
    return "; ".join(
        text["note_lost_item"].format(
            variant=s.variant,
            raw=p_value(s.diff.p if s.diff is not None else math.nan),
            adjusted=p_value(s.p_adjusted),
            correction=correction_name(s, text),
            comparisons=plural(text, "comparisons", s.comparisons),
        )
        for s in lost
    )


def correction_note(
    summaries: Sequence[VariantSummary], multi: bool, text: Mapping[str, str] = PAGE_TEXT
) -> str:
    """How the verdicts were corrected for the study's comparisons, and which comparisons
    are clear before the correction but not after; the chance warning when uncorrected."""
    compared = [s for s in summaries if s.reference is not None and not s.diverged]
    if not compared:
        return ""
    first = compared[0]
    alpha = f"{first.alpha:g}"
    m = max(s.comparisons for s in compared)
    if first.correction != "none" and m >= 2:
        out = text["note_corrected"].format(
            comparisons=plural(text, "comparisons", m),
            correction=correction_name(first, text, long=True),
            guarantee=text[f"guarantee_{first.correction}"].format(alpha=alpha),
            alpha=alpha,
        )
        lost = [s for s in compared if lost_to_correction(s)]
        return out + (text["note_lost"].format(items=_lost_items(lost, text)) if lost else "")
    if first.correction == "none" and len(compared) >= 5:
        ref = text["note_their_reference"] if multi else text["the_baseline"]
        k = len(compared)
        return text["note_chance"].format(m=k, ref=ref, expected=f"{first.alpha * k:.1f}")
    return ""


def detectable_level(summaries: Sequence[VariantSummary]) -> str:
    """The level the detectable effects are computed at: ``0.05/15`` (α over the family's
    size, Holm's strictest step), or ``0.05`` uncorrected; "" without comparisons."""
    compared = [s for s in summaries if s.reference is not None and not s.diverged]
    if not compared:
        return ""
    first = compared[0]
    if levels_vary(compared):  # an adaptive study: each comparison at its own look's level
        levels = [planning_level(s.alpha, s.comparisons, s.correction) for s in compared]
        return f"{min(levels):.2g}–{max(levels):.2g}"
    m = max(s.comparisons for s in compared)
    alpha = f"{first.alpha:g}"
    return alpha if first.correction == "none" or m < 2 else f"{alpha}/{m}"


def levels_vary(summaries: Sequence[VariantSummary]) -> bool:
    """Whether the comparisons were tested at different levels or family sizes (the looks
    of an adaptive study settle each at its own)."""
    compared = [s for s in summaries if s.reference is not None and not s.diverged]
    return len({(s.alpha, s.comparisons) for s in compared}) > 1


def _suggested_effect(detectable: Sequence[float], units: Units) -> str:
    """Half the median detectable effect, in display units, to one significant figure."""
    half = sorted(detectable)[len(detectable) // 2] * units.scale / 2
    return f"{float(f'{half:.1g}'):g}"


def detectable_note(
    summaries: Sequence[VariantSummary],
    units: Units,
    text: Mapping[str, str] = PAGE_TEXT,
    *,
    study: str = "",
) -> str:
    """The smallest effects these seeds could detect (80% power), and how to detect smaller
    ones; "" when no comparison has one (fewer than two pairs)."""
    compared = [s for s in summaries if s.reference is not None and not s.diverged]
    dets = sorted(s.detectable for s in compared if math.isfinite(s.detectable))
    if not dets:
        return ""
    level = detectable_level(compared)
    lo, hi = units.num(dets[0]), units.num(dets[-1])
    amount = lo if lo == hi else text["note_detectable_range"].format(lo=lo, hi=hi)
    return text["note_detectable"].format(
        level=level,
        amount=amount,
        unit=units.unit,
        study=study or "STUDY",
        effect=_suggested_effect(dets, units),
        in_unit=text["note_in_points"] if units.percent else "",
    )


def seed_note(
    summaries: Sequence[VariantSummary],
    units: Units,
    multi: bool,
    text: Mapping[str, str] = PAGE_TEXT,
    *,
    study: str = "",
) -> str:
    """What these seeds can show: the smallest number of pairs, the typical interval
    half-width, what "no clear effect" means, how the verdicts were corrected for the study's
    comparisons (and which are clear only before the correction), the smallest effects these
    seeds could detect, and that a diverging variant is a result, outside the comparisons."""
    others = [s for s in summaries if s.reference is not None]
    if not others:
        return ""
    compared = [s for s in others if not s.diverged]
    diverged = text["note_diverged"] if len(compared) < len(others) else ""
    if not compared:
        return diverged.strip()
    ks = [k for k in (s.diff.n if s.diff is not None else s.value.n for s in compared) if k > 0]
    widths = sorted(
        (s.diff.hi - s.diff.lo) / 2
        for s in compared
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
    out += correction_note(summaries, multi, text)
    out += detectable_note(summaries, units, text, study=study)
    return out + diverged
