"""The study page's lower sections: figures, learning-curve verdicts, probe findings, errors.

Per variant, the most common learning-curve verdict (see
:mod:`trainlab.engine.diagnose.curves`) with an example message and the
remedies it suggests (a list already shown for an earlier variant is folded),
and the layer-probe findings with how many seeds showed each; then the trials
that failed with an error (a bug or bad input: not results, unlike a diverged
trial), each with the first line of its error, and the footer's facts.

Example:
    >>> from trainlab.report.study_sections import finding_kind
    >>> finding_kind("units saturate: more than 50% of the activations (worst fc1, 94%)")
    'units saturate'
    >>> finding_kind("Activations shrink 100× from fc1 to fc6.")
    'Activations shrink 100× from fc1 to fc6.'
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from trainlab.engine.diagnose.findings import layer_findings
from trainlab.engine.diagnose.messages import Lang
from trainlab.report.format import seconds
from trainlab.report.pages import data_uri, slug
from trainlab.report.study_results import StudyResults, TrialProbes, TrialResult
from trainlab.report.study_text import (
    FIGURE_CAPTIONS,
    PAGE_TEXT,
    cap,
    metric_label,
    plural,
    plural_key,
    verdict_word,
)

#: the longest error shown for a failed trial (its end is kept)
MAX_ERROR = 4000


@dataclass(frozen=True)
class FigureView:
    """A figure as both pages show it: embedded (``src``) in HTML, linked (``href``) in Markdown.

    ``src`` is None and ``missing`` names the file when it does not exist.
    """

    key: str
    title: str
    caption: str
    src: str | None
    missing: str | None
    href: str


@dataclass(frozen=True)
class DiagnosisCard:
    """A variant's most common learning-curve verdict, with an example and its remedies."""

    variant: str
    verdict: str
    slug: str
    counts: str
    total: int
    seed: int | None
    epoch: int | None
    message: str
    remedies: tuple[str, ...]
    #: the earlier variant whose card lists the same remedies ("" when none)
    repeat_of: str
    #: ": the same 2 ideas as for baseline" when ``repeat_of`` ("" when not)
    try_same: str = ""
    #: "3 trials": the trials the counts are over
    over: str = ""


@dataclass(frozen=True)
class DiagnosisGroup:
    """The cards of one comparison (``title`` "" with a single comparison)."""

    key: str
    title: str
    items: tuple[DiagnosisCard, ...]


@dataclass(frozen=True)
class Finding:
    """One kind of probe finding of a variant and on how many of its seeds it was made."""

    text: str
    count: int
    of: int
    #: the seed the text's numbers come from, when the seeds' numbers differ (else None)
    example_seed: int | None
    #: "3 of 3 seeds"
    tally: str


@dataclass(frozen=True)
class VariantFindings:
    """A variant's probe findings, most frequent first."""

    variant: str
    seeds: int
    items: tuple[Finding, ...]


@dataclass(frozen=True)
class Failure:
    """A trial that failed with an error: the error's first line, and the whole (its end,
    when long)."""

    variant: str
    seed: int
    error: str
    first_line: str = ""

    @property
    def more(self) -> bool:
        """Whether the error says more than its first line."""
        return self.error.strip() != self.first_line


@dataclass(frozen=True)
class MetaRow:
    """One fact of the footer."""

    label: str
    value: str


def _href(p: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return Path(os.path.relpath(p, base)).as_posix()
        except ValueError:
            return p.as_posix()
    return p.as_posix() if not p.is_absolute() else p.name


def figure_views(
    figures: Mapping[str, Path],
    metric: str,
    base: Path | None,
    *,
    multi: bool,
    captions: Mapping[str, tuple[str, str]] = FIGURE_CAPTIONS,
    text: Mapping[str, str] = PAGE_TEXT,
    gap: str = "",
) -> list[FigureView]:
    """Each figure with its title and caption; a key without one is titled after itself.

    ``base`` is the folder the Markdown page is in (links are relative to it); the
    learning curves of a metric without captions of their own (``curves_val_rmse``)
    take the generic ones; ``gap`` says what the gap measures ("train − test accuracy").
    """
    out = []
    for key, path in figures.items():
        p = Path(path)
        shown, caption_key = metric, key
        if key.startswith("curves_") and key not in captions:
            shown, caption_key = key.removeprefix("curves_"), "curves_val_metric"
        title = key.replace("_", " ")
        title, caption = captions.get(caption_key, (cap(title), ""))
        if multi and f"{caption_key}_multi" in captions:
            title, caption = captions[f"{caption_key}_multi"]
        found = p.is_file()
        out.append(
            FigureView(
                key=key,
                title=title.format(metric=cap(metric_label(shown, text))),
                caption=caption.format(gap=cap(gap)) if "{gap}" in caption else caption,
                src=data_uri(p) if found else None,
                missing=None if found else str(p),
                href=_href(p, base),
            )
        )
    return out


def _card(
    name: str,
    mine: list[TrialResult],
    counts: Counter[str],
    shown: dict,
    text: Mapping[str, str],
    lang: Lang,
) -> DiagnosisCard:
    verdict, _ = counts.most_common(1)[0]
    total = sum(counts.values())
    example = next((t for t in mine if t.diagnosis and t.diagnosis.verdict == verdict), None)
    diag = example.diagnosis if example is not None else None
    remedies = tuple(diag.remedies_in(lang)) if diag is not None else ()
    repeat_of = shown.get(remedies, "") if remedies else ""
    if remedies and not repeat_of:
        shown[remedies] = name
    return DiagnosisCard(
        variant=name,
        verdict=verdict_word(verdict, text),
        slug=slug(verdict),
        counts=", ".join(
            text["diag_counts"].format(n=v, verdict=verdict_word(k, text))
            for k, v in counts.most_common()
        ),
        total=total,
        seed=example.seed if example is not None else None,
        epoch=diag.epoch if diag is not None else None,
        message=diag.message_in(lang) if diag is not None else "",
        remedies=remedies,
        repeat_of=repeat_of,
        try_same=text[plural_key("diag_try_same", len(remedies))].format(
            k=len(remedies), ref=repeat_of
        )
        if repeat_of
        else "",
        over=plural(text, "trials", total),
    )


def diagnoses(
    study: StudyResults, text: Mapping[str, str] = PAGE_TEXT, lang: Lang = "en"
) -> list[DiagnosisCard]:
    """The most common learning-curve verdict per variant, with an example and its remedies.

    Without a trial's diagnosis the verdicts counted in the summary stand in.
    """
    out = []
    shown: dict[tuple[str, ...], str] = {}
    for v, s in zip(study.variants, study.summaries, strict=True):
        mine = [t for t in study.trials if t.variant == v.name and t.done and t.diagnosis]
        counts: Counter[str] = Counter(t.diagnosis.verdict for t in mine if t.diagnosis)
        if not counts:
            counts = Counter({k: n for k, n in s.verdicts.items() if n > 0})
        if counts:
            out.append(_card(v.name, mine, counts, shown, text, lang))
    return out


def diagnosis_groups(
    study: StudyResults, cards: Sequence[DiagnosisCard], text: Mapping[str, str] = PAGE_TEXT
) -> list[DiagnosisGroup]:
    """The cards grouped by comparison, in order; titled when the study has several."""
    groups: list[tuple[str, list[DiagnosisCard]]] = []
    for d in cards:
        ref = study.variant(d.variant).reference
        key = d.variant if ref is None else ref
        if not groups or groups[-1][0] != key:
            groups.append((key, []))
        groups[-1][1].append(d)
    return [
        DiagnosisGroup(
            key,
            text["diag_group"].format(ref=key) if study.multi else "",
            tuple(items),
        )
        for key, items in groups
    ]


def finding_kind(text: str) -> str:
    """What a probe finding says, without its numbers: the words before the first colon."""
    head, sep, _ = text.partition(":")
    head = head.strip()
    return head if sep and 0 < len(head) <= 60 and "`" not in head else text


def _trial_findings(probes: TrialProbes, lang: Lang) -> list[str]:
    """A trial's findings in ``lang``: as stored in English, else worded again from the
    first record (the one they were made from)."""
    if lang == "en" or not probes.records:
        return list(probes.findings)
    layers = [
        {
            "name": s.name,
            "act_std": s.act_std,
            "saturated": s.saturated,
            "dead": s.dead,
            "grad_norm": s.grad_norm,
        }
        for s in probes.records[0].layers
    ]
    return layer_findings(layers, lang)


def _variant_findings(
    name: str, trials: Sequence[TrialResult], text: Mapping[str, str], lang: Lang
) -> VariantFindings | None:
    seeds = 0
    kinds: dict[str, dict] = {}
    for t in trials:
        if t.variant != name or not t.done or t.probes is None:
            continue
        seeds += 1
        texts = list(dict.fromkeys(_trial_findings(t.probes, lang)))
        for kind in dict.fromkeys(finding_kind(x) for x in texts):
            first = next(x for x in texts if finding_kind(x) == kind)
            item = kinds.setdefault(
                kind, {"text": first, "count": 0, "seed": t.seed, "texts": set()}
            )
            item["count"] += 1
            item["texts"].add(first)
    if not kinds:
        return None
    of = plural(text, "seeds", seeds)
    items = tuple(
        Finding(
            k["text"],
            k["count"],
            seeds,
            k["seed"] if len(k["texts"]) > 1 else None,
            text["probe_count"].format(count=k["count"], seeds=of),
        )
        for k in sorted(kinds.values(), key=lambda k: -k["count"])
    )
    return VariantFindings(name, seeds, items)


def findings(
    study: StudyResults, text: Mapping[str, str] = PAGE_TEXT, lang: Lang = "en"
) -> list[VariantFindings]:
    """Per variant, the layer-probe findings and on how many of its seeds each was made.

    Findings of one kind (the same words before the colon, e.g. "units
    saturate") count together although their numbers differ from seed to seed;
    the text shown is the first seed's, and the item says so.
    """
    out = [_variant_findings(v.name, study.trials, text, lang) for v in study.variants]
    return [f for f in out if f is not None]


def quiet_probes(
    study: StudyResults, found: Sequence[VariantFindings], text: Mapping[str, str] = PAGE_TEXT
) -> str:
    """The probed variants without findings, named (or counted, beyond six)."""
    with_findings = {f.variant for f in found}
    probed = {t.variant for t in study.trials if t.probes is not None and t.done}
    quiet = [v.name for v in study.variants if v.name not in with_findings and v.name in probed]
    if len(quiet) > 6:
        return text["probe_quiet_many"].format(n=len(quiet))
    return ", ".join(quiet)


def failures(trials: Sequence[TrialResult], text: Mapping[str, str] = PAGE_TEXT) -> list[Failure]:
    """The trials that failed with an error, each with its first line and the end of the
    error when it is long. A diverged trial is a result, not an error: it is not listed.

    Example:
        >>> [f.first_line for f in failures([TrialResult("l2", 0, "failed", error="E: x\\n  y"),
        ...                                  TrialResult("l2", 1, "diverged")])]
        ['E: x']
    """
    out = []
    for t in trials:
        if t.status != "failed":
            continue
        err = (t.error or text["failure_none"]).rstrip()
        first = next((line.strip() for line in err.splitlines() if line.strip()), err)
        if len(err) > MAX_ERROR:
            err = "…\n" + err[-MAX_ERROR:]
        out.append(Failure(t.variant, t.seed, err, first))
    return out


def meta_rows(study: StudyResults, text: Mapping[str, str] = PAGE_TEXT) -> list[MetaRow]:
    """The footer's facts: trainlab's version, the machine, workers, executor, the last run."""
    run = study.run
    rows = [
        MetaRow(text["meta_trainlab"], run.trainlab),
        MetaRow(text["meta_machine"], run.machine),
        MetaRow(text["meta_workers"], "" if run.workers is None else str(run.workers)),
        MetaRow(text["meta_executor"], run.executor),
    ]
    last = run.last_run
    if last is not None:
        value = text["meta_last_run_value"].format(
            trials=plural(text, "trials", last.trials),
            wall=seconds(last.wall_seconds),
            workers=plural(text, "workers", last.workers),
            executor=last.executor,
        )
        rows.append(MetaRow(text["meta_last_run"], value))
    return [r for r in rows if r.value]
