"""The variants table of the study page: one row per variant, its numbers formatted once.

Each row holds the variant's overrides as chips (those the same as in its
reference told apart), its mean and interval, the paired difference from its
reference with the p-value alone and adjusted for the study's comparisons, the
smallest effect its seeds could detect (80% power), the gap and its
difference, the training time, the learning-curve verdicts, the failed trials
and the diverged seeds, as the HTML and Markdown pages both show them.

Example:
    >>> from trainlab.report.study_table import value_text
    >>> value_text([128] * 10), value_text([256, 128]), value_text(True)
    ('[128×10]', '[256,128]', 'true')
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from trainlab.report.format import DASH, Units, finite, p_value, seconds
from trainlab.report.pages import plain, slug
from trainlab.report.study_results import StudyResults, StudyVariant
from trainlab.report.study_sentences import adjusted, correction_name, detectable_level
from trainlab.report.study_text import PAGE_TEXT, gap_phrase, metric_label, plural, verdict_word
from trainlab.stats.compare import Interval, PairedDiff, VariantSummary

_NAN = Interval(math.nan, math.nan, math.nan, 0)


@dataclass(frozen=True)
class Chip:
    """One override of a variant: ``key=`` and value, and whether its reference has it too."""

    text: str
    key: str
    value: str
    shared: bool


@dataclass(frozen=True)
class Row:
    """One variant's row of the variants table, every number already formatted."""

    rank: str
    variant: str
    baseline: bool
    badge: str
    against: str
    description: str
    effect: str
    effect_slug: str
    overrides: tuple[str, ...]
    chips: tuple[Chip, ...]
    base_recipe: bool
    n: str
    mean: str
    mean_ci: str
    diff: str
    diff_ci: str
    p: str
    p_adjusted: str
    detectable: str
    test: str
    gap: str
    gap_ci: str
    gap_diff: str
    gap_diff_ci: str
    gap_slug: str
    seconds: str
    verdicts: str
    failed: str
    has_failed: bool
    diverged: str
    has_diverged: bool
    #: over the first row of each comparison (several comparisons only), else ""
    group_title: str = ""


def value_text(v: Any) -> str:
    """An override's value, compactly: ``0.5``, ``true``, ``[128×10]``, ``[64,32]``."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool) or v is None:
        return json.dumps(v)
    if isinstance(v, (int, float)):
        return f"{v:g}"
    if isinstance(v, (list, tuple)):
        items = list(v)
        if items and all(isinstance(x, (str, int, float, bool)) or x is None for x in items):
            texts = [value_text(x) for x in items]
            if len(texts) >= 3 and len(set(texts)) == 1:
                return f"[{texts[0]}×{len(texts)}]"
            return "[" + ",".join(texts) + "]"
    return json.dumps(plain(v), separators=(",", ":"), ensure_ascii=False)


def _chips(v: StudyVariant, reference: StudyVariant | None) -> tuple[Chip, ...]:
    shared = {str(k): value_text(x) for k, x in reference.overrides.items()} if reference else {}
    out = []
    for k, x in v.overrides.items():
        key, value = str(k), value_text(x)
        same = key in shared and shared[key] == value
        out.append(Chip(f"{key}={value}", f"{key}=", value, same))
    return tuple(out)


def verdict_text(verdicts: Counter[str], text: Mapping[str, str] = PAGE_TEXT) -> str:
    """``2 overfitting, 1 good fit``, most common first; "—" without verdicts."""
    pairs = sorted(((k, n) for k, n in verdicts.items() if n > 0), key=lambda kv: -kv[1])
    words = (text["verdict_counts"].format(n=n, verdict=verdict_word(k, text)) for k, n in pairs)
    return ", ".join(words) or DASH


def _gap_slug(gd: PairedDiff | None) -> str:
    if gd is not None and math.isfinite(gd.hi) and gd.hi < 0:
        return "helps"
    if gd is not None and math.isfinite(gd.lo) and gd.lo > 0:
        return "hurts"
    return "none"


def _row(
    s: VariantSummary,
    v: StudyVariant,
    study: StudyResults,
    units: Units,
    gap: Units,
    text: Mapping[str, str],
) -> Row:
    is_ref = s.reference is None
    ref = None if is_ref else study.variant(s.reference) if s.reference else None
    d = s.diff or PairedDiff(math.nan, math.nan, math.nan, 0, math.nan, math.nan, "t", math.nan)
    gd = s.gap_diff
    gdi = _NAN if gd is None else Interval(gd.mean, gd.lo, gd.hi, gd.n)
    chips = _chips(v, ref)
    return Row(
        rank=DASH if s.rank is None else str(s.rank),
        variant=s.variant,
        baseline=is_ref,
        badge=text["role_reference" if study.multi else "role_baseline"],
        against="" if is_ref else str(s.reference or ""),
        description=v.description,
        effect=s.effect,
        effect_slug=slug(s.effect),
        overrides=tuple(c.text for c in chips),
        chips=chips,
        base_recipe=not v.overrides,
        n=str(s.value.n),
        mean=units.value(s.value.mean),
        mean_ci=units.ci(s.value.lo, s.value.hi),
        diff=units.num(d.mean, signed=True, decimals=units.decimals(d.lo, d.hi, d.mean)),
        diff_ci=units.ci(d.lo, d.hi, signed=True),
        p=p_value(d.p),
        p_adjusted=p_value(s.p_adjusted),
        detectable=units.num(s.detectable, decimals=units.decimals(s.detectable)),
        test=text[f"test_{d.test}"] if s.diff is not None else "",
        gap=gap.num(s.gap.mean, signed=True, decimals=1),
        gap_ci=gap.ci(s.gap.lo, s.gap.hi, signed=True),
        gap_diff=gap.num(gdi.mean, signed=True, decimals=gap.decimals(gdi.lo, gdi.hi)),
        gap_diff_ci=gap.ci(gdi.lo, gdi.hi, signed=True),
        gap_slug=_gap_slug(gd),
        seconds=seconds(s.seconds.mean),
        verdicts=verdict_text(s.verdicts, text),
        failed=str(s.failed),
        has_failed=s.failed > 0,
        diverged=str(s.diverged),
        has_diverged=s.diverged > 0,
    )


def table_rows(
    study: StudyResults, units: Units, gap: Units, text: Mapping[str, str] = PAGE_TEXT
) -> list[Row]:
    """The variants table, in the study's order; with several comparisons the first row of
    each comparison carries its title."""
    rows = [
        _row(s, v, study, units, gap, text)
        for s, v in zip(study.summaries, study.variants, strict=True)
    ]
    if not study.multi:
        return rows
    members: dict[str, int] = {}
    for s in study.summaries:
        if s.reference is not None:
            members[s.reference] = members.get(s.reference, 0) + 1
    out, previous = [], None
    for r, s in zip(rows, study.summaries, strict=True):
        key = s.variant if s.reference is None else s.reference
        if key != previous:
            variants = plural(text, "variants", members.get(key, 0))
            title = text["row_group"].format(ref=key, variants=variants)
            r = replace(r, group_title=title)
        out.append(r)
        previous = key
    return out


@dataclass(frozen=True)
class TableColumns:
    """The optional columns of the variants table: shown only when some row has a value."""

    #: the adjusted p-value's header, ``p (Holm)`` ("" when no p-value was adjusted)
    p_adjusted: str
    detectable: bool
    diverged: bool

    @property
    def count(self) -> int:
        """How many columns the table has."""
        return 12 + bool(self.p_adjusted) + self.detectable + self.diverged


def table_columns(study: StudyResults, text: Mapping[str, str] = PAGE_TEXT) -> TableColumns:
    """Which optional columns the variants table shows."""
    first = next((s for s in study.summaries if adjusted(s)), None)
    header = ""
    if first is not None:
        header = text["col_p_adjusted"].format(correction=correction_name(first, text))
    return TableColumns(
        p_adjusted=header,
        detectable=any(math.isfinite(s.detectable) for s in study.summaries),
        diverged=any(s.diverged for s in study.summaries),
    )


def table_note(study: StudyResults, units: Units, text: Mapping[str, str] = PAGE_TEXT) -> str:
    """The table's legend: it explains what the table shows, and only that (no interval is
    explained where a single seed gives none, no colour that no cell has)."""
    rows = study.summaries
    intervals = any(finite(s.value.lo, s.value.hi) for s in rows)
    points = text["table_note_points"] if units.percent else ""
    parts = [text["table_note_start" if intervals else "table_note_start_one"]]
    parts.append(
        text["table_note_multi" if study.multi else "table_note_single"].format(points=points)
    )
    if not study.higher_is_better:
        parts.append(text["table_note_lower"].format(label=metric_label(study.metric, text)))
    if study.multi:
        parts.append(text["table_note_shared"])
    effects = {s.effect for s in rows}
    if effects & {"helps", "hurts"}:
        parts.append(text["table_note_colors"])
    if "diverges" in effects:
        parts.append(text["table_note_red"])
    if any(s.diff is not None and math.isfinite(s.diff.p) for s in rows):
        parts.append(text["table_note_p"])
    first = next((s for s in rows if adjusted(s)), None)
    if first is not None:
        parts.append(
            text["table_note_p_adjusted"].format(
                correction=correction_name(first, text),
                comparisons=plural(text, "comparisons", first.comparisons),
            )
        )
    if any(math.isfinite(s.detectable) for s in rows):
        level = detectable_level(rows)
        parts.append(text["table_note_detectable"].format(level=level, points=points))
    if any(math.isfinite(s.gap.mean) for s in rows):
        parts.append(text["table_note_gap"].format(gap=gap_phrase(study.gap_metric, text)))
    if any(s.diverged for s in rows):
        parts.append(text["table_note_diverged"])
    parts.append(text["table_note_dash"])
    return " ".join(parts)
