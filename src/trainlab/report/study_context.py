"""One typed context per study page, rendered twice: as HTML and as Markdown.

:func:`study_page` turns a :class:`~trainlab.report.study_results.StudyResults`
and its figure files into a :class:`StudyPage` whose every number and sentence
is already written (:mod:`trainlab.report.format`,
:mod:`trainlab.report.study_sentences`, with the words of
:mod:`trainlab.report.study_text`); the templates ``study.html`` and
``study.md`` only lay it out, so the two pages cannot say different things.

One study may hold several comparisons: every variant is compared with its own
reference (its ``against``, by default the baseline), e.g. regularizers against
a shallow ``baseline`` and init schemes against ``deep-glorot-uniform``. The
page then says which variants were compared with which reference, and groups
the sentences, the table, the verdicts and the figures by comparison.

The verdicts are grouped *Helped*, *Hurt*, *No clear effect* and, last, *Diverged*
(a variant whose training diverged in some seed: a result, the worst one);
trials that failed with an error are no result and are listed apart, at the
end of the page.

Example:
    >>> from types import SimpleNamespace as T
    >>> from trainlab.report.study_results import StudyResults, StudyVariant
    >>> from trainlab.stats.compare import summarize
    >>> rows = summarize([T(variant="baseline", seed=s, status="done",
    ...                     metrics={"test_acc": 0.9 + s / 100}) for s in (0, 1)])
    >>> study = StudyResults(name="demo", title="demo", base="wine-mlp", dataset="wine",
    ...     metric="test_acc", higher_is_better=True, baseline="baseline", seeds=(0, 1),
    ...     variants=(StudyVariant("baseline"),), summaries=tuple(rows))
    >>> study_page(study, {}).lead
    '1 variant of the recipe wine-mlp on wine, 2 seeds each (0, 1), compared on test accuracy, \
each against baseline on the same seeds.'
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from trainlab import __version__
from trainlab.engine.diagnose.messages import Lang
from trainlab.report.format import Units, seconds
from trainlab.report.pages import plain, slug
from trainlab.report.study_results import (
    StudyResults,
    comparison_groups,
    gap_scale,
    references,
    seed_points,
)
from trainlab.report.study_sections import (
    DiagnosisCard,
    DiagnosisGroup,
    Failure,
    FigureView,
    MetaRow,
    VariantFindings,
    diagnoses,
    diagnosis_groups,
    failures,
    figure_views,
    findings,
    meta_rows,
    quiet_probes,
)
from trainlab.report.study_sentences import effect_sentence, gap_sentence, metric_units, seed_note
from trainlab.report.study_sequential import SequentialView, sequential_view
from trainlab.report.study_table import Row, TableColumns, table_columns, table_note, table_rows
from trainlab.report.study_text import (
    direction_label,
    figure_captions,
    gap_phrase,
    metric_label,
    page_text,
    plural,
    plural_key,
)
from trainlab.report.study_units import display_scale, in_points

#: the effects of compared variants, in the order of their groups ("diverges" last)
_EFFECTS = ("helps", "hurts", "no clear effect", "diverges")
#: the group of a variant without any result because every trial failed with an error
_NO_RESULT = "no result"
_MAIN_FIGURES = ("metric", "differences", "gap")


@dataclass(frozen=True)
class Card:
    """One headline card: a label, a big value, a name under it and a note."""

    label: str
    value: str
    name: str = ""
    note: str = ""


@dataclass(frozen=True)
class EffectItem:
    """One variant's sentence under "What helped", and its gap sentence ("" when none)."""

    variant: str
    text: str
    gap: str
    gap_kind: str
    effect: str
    label: str
    slug: str


@dataclass(frozen=True)
class EffectGroup:
    """The variants of one comparison that had one effect."""

    effect: str
    slug: str
    title: str
    items: tuple[EffectItem, ...]


@dataclass(frozen=True)
class Comparison:
    """One reference, its own sentence, and its variants' sentences grouped by effect."""

    reference: str
    title: str
    ref_sentence: str
    groups: tuple[EffectGroup, ...]


@dataclass(frozen=True)
class StudyPage:
    """Everything the study page says, formatted; both templates render it as it is."""

    title: str
    subtitle: str
    lead: str
    trials_line: str
    cards: tuple[Card, ...]
    multi: bool
    role: str
    helped: tuple[Comparison, ...]
    seed_note: str
    metric_label: str
    metric_unit: str
    delta_unit: str
    gap_unit: str
    rows: tuple[Row, ...]
    columns: TableColumns
    table_note: str
    sequential: SequentialView | None
    main_figures: tuple[FigureView, ...]
    curve_figures: tuple[FigureView, ...]
    probe_figure: FigureView | None
    more_figures: tuple[FigureView, ...]
    diagnoses: tuple[DiagnosisCard, ...]
    diag_groups: tuple[DiagnosisGroup, ...]
    findings: tuple[VariantFindings, ...]
    quiet_probes: str
    failures: tuple[Failure, ...]
    spec_yaml: str
    meta_rows: tuple[MetaRow, ...]
    version: str
    generated: str
    generated_iso: str
    #: the words of the page, by message id (see :mod:`trainlab.report.study_text`)
    t: Mapping[str, str]

    def as_context(self) -> dict[str, Any]:
        """The fields by name, as a template's context."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _spec_yaml(definition: Mapping[str, Any]) -> str:
    """The study definition as YAML: lists of plain values on one line, no aliases."""

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    def represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
        flow = all(isinstance(x, (str, int, float, bool)) or x is None for x in data)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)

    Dumper.add_representer(list, represent_list)
    return yaml.dump(plain(definition), Dumper=Dumper, sort_keys=False, allow_unicode=True)


def _comparison(
    study: StudyResults,
    ref: str,
    members: list[str],
    units: Units,
    gap: Units,
    role: str,
    text: Mapping[str, str],
) -> Comparison:
    groups: dict[str, list[EffectItem]] = {e: [] for e in (*_EFFECTS, _NO_RESULT)}
    ref_sentence = ""
    for name in members:
        s = study.summary(name)
        reference = s.reference or ""
        effect, rest = effect_sentence(s, units, reference=reference, role=role, text=text)
        if effect == "baseline":
            ref_sentence = f"{name} {rest}"
            continue
        said = gap_sentence(s, gap.scale, reference=reference, text=text, percent=gap.percent)
        if s.value.n == 0 and s.failed and not s.diverged:
            effect = _NO_RESULT  # errors are not results: apart from "no clear effect"
        groups[effect].append(
            EffectItem(
                variant=name,
                text=rest,
                gap=said[1] if said else "",
                gap_kind=said[0] if said else "",
                effect=effect,
                label=text[f"effect_{effect}"],
                slug=slug(effect),
            )
        )
    k = sum(len(v) for v in groups.values())
    variants = plural(text, "variants", k)
    return Comparison(
        reference=ref,
        title=text["helped_title"].format(variants=variants, ref=ref) if ref else variants,
        ref_sentence=ref_sentence,
        groups=tuple(
            EffectGroup(e, slug(e), text[f"group_{e}"], tuple(groups[e]))
            for e in (*_EFFECTS, _NO_RESULT)
            if groups[e]
        ),
    )


def _lead(study: StudyResults, label: str, text: Mapping[str, str]) -> str:
    seeds = list(study.seeds)
    out = plural(text, "variants", len(study.variants))
    out += text["lead_recipe"].format(base=study.base) if study.base else ""
    out += text["lead_dataset"].format(dataset=study.dataset) if study.dataset else ""
    out += text["lead_seeds"].format(seeds=plural(text, "seeds", len(seeds))) if seeds else ""
    out += f" ({', '.join(str(x) for x in seeds[:20])}{', …' if len(seeds) > 20 else ''})"
    comparisons = comparison_groups(study.summaries)
    if not study.multi:
        return out + text["lead_single"].format(label=label, baseline=study.baseline)
    refs = references(study.summaries)
    parts = "; ".join(
        text["lead_part"].format(
            variants=plural(text, "variants", len([m for m in members if refs[m] is not None])),
            ref=ref,
        )
        for ref, members in comparisons
    )
    return out + text["lead_multi"].format(label=label, k=len(comparisons), parts=parts)


def _trials_line(
    study: StudyResults, status: Counter[str], wall: float, text: Mapping[str, str]
) -> str:
    total = len(study.trials)
    parts = [text[plural_key("trials_finished", total)].format(done=status["done"], k=total)]
    if status["diverged"]:
        parts.append(plural(text, "trials_diverged", status["diverged"]))
    if status["failed"]:
        parts.append(plural(text, "trials_failed", status["failed"]))
    unfinished = status["pending"] + status["running"]
    if unfinished:
        parts.append(text["trials_unfinished"].format(n=unfinished))
    end = text["trials_wall"].format(wall=seconds(wall)) if math.isfinite(wall) else "."
    return ", ".join(parts) + end


def _subtitle(study: StudyResults, label: str, text: Mapping[str, str]) -> str:
    refs = ", ".join(r for r, _ in comparison_groups(study.summaries) if r)
    parts = (
        text["subtitle_study"].format(name=study.name) if study.name else "",
        text["subtitle_recipe"].format(base=study.base) if study.base else "",
        text["subtitle_dataset"].format(dataset=study.dataset) if study.dataset else "",
        text["subtitle_vs"].format(label=label, refs=refs if study.multi else study.baseline),
    )
    return " · ".join(x for x in parts if x)


def _top_card(
    study: StudyResults, units: Units, label: str, role: str, text: Mapping[str, str]
) -> list[Card]:
    ranked = [s for s in study.summaries if math.isfinite(s.value.mean)]
    if not ranked:
        return []
    with_rank = [s for s in ranked if s.rank is not None]
    if with_rank:
        best = min(with_rank, key=lambda s: s.rank if s.rank is not None else math.inf)
    else:
        sign = 1.0 if study.higher_is_better else -1.0
        best = max(ranked, key=lambda s: sign * s.value.mean)
    note = text["card_top_itself"].format(role=role) if best.reference is None else ""
    if best.diff is not None and math.isfinite(best.diff.mean):
        note = text["card_top_note"].format(
            delta=units.num(best.diff.mean, signed=True),
            unit=units.unit,
            ref=best.reference,
            effect=text[f"effect_{best.effect}"],
        )
    value = units.value(best.value.mean)
    return [Card(text["card_top"].format(label=label), value, best.variant, note)]


def _cards(
    study: StudyResults,
    units: Units,
    label: str,
    role: str,
    counts: Counter[str],
    wall: float,
    text: Mapping[str, str],
) -> tuple[Card, ...]:
    status = Counter(t.status for t in study.trials)
    cards = _top_card(study, units, label, role, text)
    names = {s.variant for s in study.summaries}
    for ref, _ in comparison_groups(study.summaries):
        if ref not in names:
            continue
        v = study.summary(ref).value
        ci = units.ci(v.lo, v.hi)
        note = text["card_ci"].format(ci=ci) if ci else text["card_no_ci"]
        role_label = text["card_role"].format(role=role.capitalize(), label=label)
        cards.append(Card(role_label, units.value(v.mean), ref, note))
    shown = _EFFECTS if counts["diverges"] else _EFFECTS[:-1]
    effects = " · ".join(str(counts[e]) for e in shown)
    heading = text["card_effects_multi" if study.multi else "card_effects"]
    note = text["card_effects_note_diverges" if counts["diverges"] else "card_effects_note"]
    cards.append(Card(heading, effects, "", note))
    notes = [plural(text, "errors", status["failed"])]
    if status["diverged"]:
        notes.append(plural(text, "trials_diverged", status["diverged"]))
    trials_note = " · ".join([*notes, plural(text, "seeds", len(study.seeds))])
    cards.append(
        Card(text["card_trials"], f"{status['done']}/{len(study.trials)}", "", trials_note)
    )
    last = study.run.last_run
    if last is not None and math.isfinite(wall):
        workers = plural(text, "workers", last.workers) if last.workers else ""
        how = " · ".join(x for x in (workers, last.executor) if x)
        cards.append(Card(text["card_wall"], seconds(wall), "", how))
    return tuple(cards)


def study_page(
    study: StudyResults,
    figures: Mapping[str, Path],
    *,
    base: Path | None = None,
    generated: datetime | None = None,
    lang: Lang = "en",
) -> StudyPage:
    """The study page's context: every section, formatted once for both renderings.

    Args:
        study: the study's typed results.
        figures: image files by key (see :func:`~trainlab.report.study.make_study_figures`).
        base: the folder the Markdown page will be in; its figure links are relative to it.
        generated: the time printed in the footer (default: now, UTC).
        lang: the page's language, ``"en"`` or ``"es"``.

    Returns:
        The :class:`StudyPage`.
    """
    text = page_text(lang)
    points = seed_points(study.trials)
    values = [x for s in study.summaries for x in (s.value.mean, s.value.lo, s.value.hi)]
    scale = display_scale(
        study.metric, values + [v for vs in points.values() for v in vs], study.gap_metric
    )
    units = metric_units(study.metric, scale, text, study.gap_metric)
    gap_percent = in_points("gap", study.gap_metric)
    gap = Units(scale=gap_scale(study), percent=gap_percent, unit=text["unit_points"])
    label = metric_label(study.metric, text)
    role = text["role_reference" if study.multi else "role_baseline"]
    helped = tuple(
        _comparison(study, ref, members, units, gap, role, text)
        for ref, members in comparison_groups(study.summaries)
    )
    counts = Counter(i.effect for c in helped for g in c.groups for i in g.items)
    last = study.run.last_run
    wall = last.wall_seconds if last is not None else math.nan
    views = figure_views(
        figures,
        study.metric,
        base,
        multi=study.multi,
        captions=figure_captions(lang),
        text=text,
        gap=gap_phrase(study.gap_metric, text),
    )
    figs = {f.key: f for f in views}
    curves = tuple(k for k in figs if k.startswith("curves_"))
    known = set(_MAIN_FIGURES) | set(curves) | {"probes"}
    cards = diagnoses(study, text, lang)
    found = findings(study, text, lang)
    when = generated or datetime.now(timezone.utc)
    return StudyPage(
        title=study.title,
        subtitle=_subtitle(study, label, text),
        lead=_lead(study, direction_label(label, study.higher_is_better, text), text),
        trials_line=_trials_line(study, Counter(t.status for t in study.trials), wall, text),
        cards=_cards(study, units, label, role, counts, wall, text),
        multi=study.multi,
        role=role,
        helped=helped,
        seed_note=seed_note(study.summaries, units, study.multi, text=text, study=study.name),
        metric_label=label,
        metric_unit=text["unit_percent"] if units.percent else "",
        delta_unit=text["unit_points_word"] if units.percent else "",
        gap_unit=text["unit_points_word"] if gap.percent and gap.scale == 100.0 else "",
        rows=tuple(table_rows(study, units, gap, text)),
        columns=table_columns(study, text),
        table_note=table_note(study, units, text),
        sequential=sequential_view(study, text),
        main_figures=tuple(figs[k] for k in _MAIN_FIGURES if k in figs),
        curve_figures=tuple(figs[k] for k in curves),
        probe_figure=figs.get("probes"),
        more_figures=tuple(f for k, f in figs.items() if k not in known),
        diagnoses=tuple(cards),
        diag_groups=tuple(diagnosis_groups(study, cards, text)),
        findings=tuple(found),
        quiet_probes=quiet_probes(study, found, text),
        failures=tuple(failures(study.trials, text)),
        spec_yaml=_spec_yaml(study.definition),
        meta_rows=tuple(meta_rows(study, text)),
        version=__version__,
        generated=when.strftime("%Y-%m-%d %H:%M %Z").strip(),
        generated_iso=when.isoformat(timespec="seconds"),
        t=text,
    )
