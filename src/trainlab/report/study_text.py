"""Every word of the study report, by message id: the page, its Markdown twin and its figures.

The context builder (:mod:`trainlab.report.study_context`), the templates
(``templates/study.html``, ``templates/study.md``) and the figures
(:mod:`trainlab.report.figures`) take their words from these tables (the
figures' own in :mod:`trainlab.report.study_text_figures`, re-exported here) and
from nowhere else, so the page can be given in another language by adding tables
with the same ids (a later ``--lang es``). A message is a :meth:`str.format`
pattern; a count has two forms, ``<id>_one`` and ``<id>_other``
(:func:`plural`); a message with a count and other fields has the same two forms,
chosen with :func:`plural_key`.

Example:
    >>> from trainlab.report.study_text import PAGE_TEXT, metric_label, plural
    >>> plural(PAGE_TEXT, "seeds", 3), metric_label("test_acc"), metric_label("f1_macro")
    ('3 seeds', 'test accuracy', 'f1 macro')
    >>> metric_label("test_rmse"), metric_label("val_digit_acc"), gap_phrase("rmse")
    ('test RMSE', 'validation digit accuracy', 'test − train RMSE')
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from trainlab.engine.diagnose.messages import LANGS, VERDICT_NAMES, Lang, verdict_name
from trainlab.report.study_metric_text import (
    METRIC_WORDS,
    cap,
    composed_label,
    direction_label,
    gap_phrase,
    kind_label,
)
from trainlab.report.study_text_figures import FIGURE_CAPTIONS, FIGURE_TEXT

__all__ = [
    "FIGURE_CAPTIONS",
    "FIGURE_TEXT",
    "METRIC_NAMES",
    "METRIC_WORDS",
    "PAGE_TEXT",
    "cap",
    "direction_label",
    "figure_captions",
    "gap_phrase",
    "kind_label",
    "metric_label",
    "page_text",
    "plural",
    "plural_key",
    "verdict_word",
]

#: metric keys in plain words (other keys: their underscores as spaces)
METRIC_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "test_acc": "test accuracy",
        "test_loss": "test loss",
        "val_acc": "validation accuracy",
        "val_loss": "validation loss",
        "train_acc": "training accuracy",
        "train_loss": "training loss",
        "gap": "generalization gap",
        "seconds": "training time",
    }
)

#: the study page and its Markdown twin
PAGE_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "kind": "study report",
        "study_title": "Study: {name}",
        # roles and effects
        "role_baseline": "baseline",
        "role_reference": "reference",
        "effect_baseline": "baseline",
        "effect_helps": "helps",
        "effect_hurts": "hurts",
        "effect_no clear effect": "no clear effect",
        "effect_diverges": "diverges",
        "effect_no result": "no result",
        "group_helps": "Helped",
        "group_hurts": "Hurt",
        "group_no clear effect": "No clear effect",
        "group_diverges": "Diverged",
        "group_no result": "No result: every trial failed with an error",
        "test_t": "paired t-test",
        "test_wilcoxon": "Wilcoxon signed-rank test",
        # counts
        "seeds_one": "{k} seed",
        "seeds_other": "{k} seeds",
        "variants_one": "{k} variant",
        "variants_other": "{k} variants",
        "comparisons_one": "{k} comparison",
        "comparisons_other": "{k} comparisons",
        "trials_one": "{k} trial",
        "trials_other": "{k} trials",
        "errors_one": "{k} error",
        "errors_other": "{k} errors",
        # the corrections of the p-values (short: in sentences and headers; long: in the note)
        "correction_holm": "Holm",
        "correction_bh": "Benjamini–Hochberg",
        "correction_bonferroni": "Bonferroni",
        "correction_none": "no correction",
        "correction_long_holm": "Holm–Bonferroni",
        "correction_long_bh": "Benjamini–Hochberg",
        "correction_long_bonferroni": "Bonferroni",
        "correction_long_none": "no correction",
        "guarantee_holm": "the chance of any false “clear” effect among them stays within {alpha}",
        "guarantee_bonferroni": (
            "the chance of any false “clear” effect among them stays within {alpha}"
        ),
        "guarantee_bh": (
            "the expected share of false “clear” effects among those found stays within {alpha}"
        ),
        "guarantee_none": "no bound on false “clear” effects",
        "unit_points": " points",
        # the sentences of "What helped"
        "vs_ref": " against {ref}",
        "p_phrase": "{test} p {rel}",
        "p_equals": "= {p}",
        "p_adjusted": "{raw} alone, {adjusted} after {correction} over {comparisons}",
        "ci_words": "95% CI {lo} to {hi}",
        "ref_who": "(the {role}) ",
        "ref_reached": "{who}reached {label} {value}{ci} over {seeds}.",
        "ref_ci": " (95% CI {lo} to {hi})",
        "no_trial": "has no finished trial{why}: nothing to compare.",
        "no_trial_failed_one": " ({k} failed with an error)",
        "no_trial_failed_other": " ({k} failed with an error)",
        "the_baseline": "the baseline",
        "not_compared": (
            "could not be compared with {ref}: no seed finished for both: no clear effect."
        ),
        "verb_raised": "raised",
        "verb_lowered": "lowered",
        "verdict_helps": "it helps",
        "verdict_hurts": "it hurts",
        "effect_clear": "{verb} {label} by {amount}{unit}{vs} ({stats}): {verdict}.",
        "effect_unclear": (
            "changed {label} by {amount}{unit}{vs} ({stats}): no clear effect with "
            "{seeds}{detectable}."
        ),
        "effect_corrected": (
            "changed {label} by {amount}{unit}{vs} ({stats}): clear alone, but no clear effect "
            "after the correction for {comparisons}{detectable}."
        ),
        "effect_no_ci": (
            "changed {label} by {amount}{unit}{vs} with {seeds}, too few for a confidence "
            "interval: no clear effect."
        ),
        "detectable_clause": (
            "; these seeds could detect an effect of {amount}{unit} or more (80% power)"
        ),
        # divergence: a result, never "no clear effect"
        "diverged_in": "diverged in {k} of {seeds}{at}",
        "diverged_at_one": " (at epoch {epochs})",
        "diverged_at_other": " (at epochs {epochs})",
        "diverges_sentence": (
            "{diverged}: it diverges, ranked below every variant that trained{finished}."
        ),
        "diverges_finished_one": "; the seed that finished reached {label} {value}",
        "diverges_finished_other": (
            "; the {k} seeds that finished reached {label} {value} on average"
        ),
        "ref_diverged": " It {diverged}.",
        "verb_shrank": "shrank",
        "verb_widened": "widened",
        "gap_clear": "{verb} the generalization gap by {amount}{unit}{vs} ({stats}).",
        "gap_unclear": (
            "changed the generalization gap by {amount}{unit}{vs} ({stats}): no clear change "
            "with {seeds}."
        ),
        "gap_no_ci": (
            "changed the generalization gap by {amount}{unit}{vs} with {seeds}, too few for a "
            "confidence interval: no clear change."
        ),
        # the note on what few seeds can show
        "note_few": "With {seeds} per variant, only large effects can be shown. ",
        "note_many": "With {seeds} per variant, small effects can be missed. ",
        "note_none": "No variant has paired seeds with {ref}, so no effect can be shown. ",
        "note_its_reference": "its reference",
        "note_their_reference": "their reference",
        "note_width": (
            "Here a difference had to exceed about ±{width}{unit} (the typical half-width of the "
            "95% intervals) to be told from seed-to-seed noise. "
        ),
        "note_meaning": (
            "“No clear effect” means “not shown with these seeds”, not “shown to be zero”; more "
            "seeds narrow the intervals, roughly as 1/√n."
        ),
        "note_chance": (
            " {m} variants were compared with {ref} without a correction: at 95% confidence "
            "about {expected} of them may show a clear effect by chance alone."
        ),
        "note_corrected": (
            " The verdicts are corrected for the study's {comparisons} with {correction} "
            "({guarantee}): each p is shown alone and after the correction, and a variant helps "
            "or hurts only when its corrected p is below {alpha}."
        ),
        "note_lost": " Clear before the correction but not after: {items}.",
        "note_lost_item": (
            "{variant}: p = {raw} alone, {adjusted} after {correction} over {comparisons}: "
            "no clear effect"
        ),
        "note_detectable": (
            " The smallest effect these seeds could detect (80% power at α = {level}) was "
            "{amount}{unit}; to detect smaller ones, run more seeds: `trainlab study {study} "
            "--seeds-for {effect}` says how many an effect of that size{in_unit} needs."
        ),
        "note_detectable_range": "{lo} to {hi}",
        "note_in_points": " (in points)",
        "note_diverged": (
            " A variant that diverged in any seed is a result, the worst one: it is ranked "
            "below every variant that trained and is not one of the comparisons."
        ),
        # adaptive seeding
        "seq_lead": (
            "Adaptive seeding: looks at {looks} seeds (at most {max_seeds}), {spending} "
            "spending of α = {alpha}, levels {levels}"
        ),
        "seq_settled": "{variant} settled at {seeds} ({effect})",
        "seq_open": "undecided at the last look ({seeds}): {variants}",
        "spending_obrien-fleming": "O'Brien–Fleming",
        "spending_pocock": "Pocock",
        "seq_col_look": "look",
        "seq_col_seeds": "seeds per variant",
        "seq_col_level": "level",
        "seq_col_settled": "settled",
        "seq_col_open": "still open",
        # headline
        "lead_recipe": " of the recipe {base}",
        "lead_dataset": " on {dataset}",
        "lead_seeds": ", {seeds} each",
        "lead_multi": (", compared on {label} on the same seeds in {k} comparisons: {parts}."),
        "lead_part": "{variants} against {ref}",
        "lead_single": ", compared on {label}, each against {baseline} on the same seeds.",
        "lead_lower": "{label} ({lower})",
        "trials_finished_one": "{done} of {k} trial finished",
        "trials_finished_other": "{done} of {k} trials finished",
        "trials_diverged_one": "{k} diverged",
        "trials_diverged_other": "{k} diverged",
        "trials_failed_one": "{k} failed with an error",
        "trials_failed_other": "{k} failed with an error",
        "trials_unfinished": "{n} not finished (pending or running)",
        "trials_wall": "; wall time {wall}.",
        "subtitle_study": "study {name}",
        "subtitle_recipe": "recipe {base}",
        "subtitle_dataset": "dataset {dataset}",
        "subtitle_vs": "{label} vs {refs}",
        "helped_title": "{variants} against {ref}",
        # cards
        "card_top": "Top ranked · {label}",
        "card_top_itself": "the {role} itself",
        "card_top_note": "{delta}{unit} vs {ref} · {effect}",
        "card_role": "{role} · {label}",
        "card_ci": "95% CI {ci}",
        "card_no_ci": "no confidence interval",
        "card_effects": "Effects vs baseline",
        "card_effects_multi": "Effects vs their reference",
        "card_effects_note": "helped · hurt · no clear effect",
        "card_effects_note_diverges": "helped · hurt · no clear effect · diverged",
        "card_trials": "Trials",
        "card_wall": "Wall time",
        "workers_one": "{k} worker",
        "workers_other": "{k} workers",
        # sections
        "h_compared": "What was compared",
        "h_helped": "What helped",
        "none_compared": "No variant was compared with the baseline.",
        "h_variants": "Variants",
        "h_figures": "Figures",
        "h_curves": "Learning curves and diagnosis",
        "h_probes": "Inside the network: layer probes",
        "h_failed": "Errors: not results",
        "errors_note": (
            "These trials stopped with an error (a bug or bad input), not with a measured "
            "outcome: they count in no statistic. The first line of each error:"
        ),
        "h_definition": "Study definition",
        # the variants table
        "col_rank": "rank",
        "col_variant": "variant",
        "col_overrides": "overrides",
        "col_n": "n",
        "col_delta": "Δ vs {role}",
        "col_p": "p",
        "col_p_adjusted": "p ({correction})",
        "col_detectable": "detectable at 80% power",
        "col_diverged": "diverged",
        "col_gap": "gap",
        "col_gap_delta": "Δ gap",
        "col_time": "time / trial",
        "col_verdicts": "verdicts",
        "col_failed": "failed",
        "col_ci": "[95% CI]",
        "unit_percent": "%",
        "unit_points_word": "points",
        "base_recipe": "base recipe",
        "shared_title": "the same as in its reference",
        "row_vs": "vs {ref}",
        "row_group": "{ref} and {variants} compared with it",
        "table_note_start": "Means over seeds with their 95% confidence interval under them.",
        "table_note_start_one": "Means over seeds (no interval: a single seed).",
        "table_note_multi": (
            "Δ is variant − its reference (named under the variant), paired by seed{points}."
        ),
        "table_note_shared": "Overrides in grey are the same as in the reference.",
        "table_note_single": "Δ is variant − baseline, paired by seed{points}.",
        "table_note_points": ", in percentage points",
        "table_note_colors": (
            "Blue: a clear effect in the good direction, orange: in the bad one."
        ),
        "table_note_red": "Dark red: the variant diverged in some seed.",
        "table_note_p": "p comes from the paired test named when hovering over it.",
        "table_note_p_adjusted": (
            "p ({correction}) is p adjusted over the study's {comparisons}; the verdicts are "
            "read from it."
        ),
        "table_note_detectable": (
            "“detectable” is the smallest |Δ| these seeds could detect with 80% power at "
            "α = {level}{points}."
        ),
        "table_note_gap": "The gap is {gap}; a negative Δ gap means less overfitting.",
        "table_note_lower": "Lower {label} is better: a negative Δ helps.",
        "table_note_diverged": (
            "“diverged” counts the seeds whose training diverged; such a variant ranks last."
        ),
        "table_note_dash": (
            "“—” marks a value that cannot be computed, such as an interval from a single seed."
        ),
        # figures
        "figure_missing": "Figure not found: {path}",
        # diagnoses
        "diag_group": "{ref} and the variants compared with it",
        "diag_counts": "{n} × {verdict}",
        "diag_of": "(of {total})",
        "diag_seed": "Seed {seed}",
        "diag_epoch": ", epoch {epoch}",
        "diag_try": "What to try",
        "diag_try_same_one": ": the same idea as for {ref}",
        "diag_try_same_other": ": the same {k} ideas as for {ref}",
        "diag_none": "No learning-curve verdicts were recorded.",
        "md_verdicts_over": "Verdicts over {trials}: {counts}.",
        "md_example": "Example ({where}): {message}",
        "md_example_seed": "seed {seed}",
        "md_example_any": "example",
        "md_try_same": "What to try: as for {ref} above.",
        "md_try": "What to try:",
        # probes
        "probe_count": "{count} of {seeds}",
        "probe_example": "numbers from seed {seed}",
        "probe_quiet": "No probe findings for {names}.",
        "probe_quiet_many": "the other {n} variants",
        # failures
        "failure_title": "{variant}, seed {seed}",
        "failure_none": "no error recorded",
        # footer
        "generated": "Generated by trainlab {version} on {when}.",
        "meta_trainlab": "trainlab",
        "meta_machine": "machine",
        "meta_workers": "workers",
        "meta_executor": "executor",
        "meta_last_run": "last run",
        "meta_last_run_value": "{trials} in {wall}, {workers}, {executor}",
        "verdict_counts": "{n} {verdict}",
    }
)


def page_text(lang: Lang) -> Mapping[str, str]:
    """The study page's words in ``lang``, with the metric names (``metric.<key>``) and the
    verdict names (``verdict.<verdict>``) of that language.

    Raises:
        KeyError: ``lang`` is not one of :data:`~trainlab.engine.diagnose.messages.LANGS`.

    Example:
        >>> t = page_text("es")
        >>> t["h_helped"], t["metric.test_acc"], t["verdict.overfitting"]
        ('Qué ayudó', 'exactitud de prueba', 'sobreajuste')
    """
    if lang == "en":
        page, metrics, words = PAGE_TEXT, METRIC_NAMES, METRIC_WORDS
    elif lang == "es":
        from trainlab.report.study_text_es import METRIC_NAMES_ES, METRIC_WORDS_ES, PAGE_TEXT_ES

        page, metrics, words = PAGE_TEXT_ES, METRIC_NAMES_ES, METRIC_WORDS_ES
    else:
        raise KeyError(f"no study-report words in {lang!r}: expected one of {', '.join(LANGS)}")
    verdicts = {f"verdict.{v}": verdict_name(v, lang) for v in VERDICT_NAMES}
    named = {f"metric.{k}": v for k, v in metrics.items()}
    worded = {f"metric_word.{k}": v for k, v in words.items()}
    return MappingProxyType({**page, **named, **worded, **verdicts})


def figure_captions(lang: Lang) -> Mapping[str, tuple[str, str]]:
    """The figures' titles and captions on the page, in ``lang`` (see :data:`FIGURE_CAPTIONS`)."""
    if lang == "es":
        from trainlab.report.study_text_es import FIGURE_CAPTIONS_ES

        return FIGURE_CAPTIONS_ES
    return FIGURE_CAPTIONS


def metric_label(metric: str, text: Mapping[str, str] | None = None) -> str:
    """A metric's key in plain words, from ``text`` (a :func:`page_text`; default: English).

    Example:
        >>> metric_label("test_acc"), metric_label("f1_macro")
        ('test accuracy', 'f1 macro')
        >>> metric_label("val_loss", page_text("es"))
        'pérdida de validación'
    """
    key = f"metric.{metric}"
    if text is not None and key in text:
        return text[key]
    if metric in METRIC_NAMES:
        return METRIC_NAMES[metric]
    return composed_label(metric, text) or metric.replace("_", " ")


def verdict_word(verdict: str, text: Mapping[str, str]) -> str:
    """A verdict's name from ``text`` (a :func:`page_text`); an unknown verdict as it is."""
    key = f"verdict.{verdict}"
    return text.get(key, verdict)


def plural_key(key: str, k: int) -> str:
    """The id of the form of message ``key`` for the count ``k``: ``key_one`` or ``key_other``.

    Example:
        >>> plural_key("seeds", 1), plural_key("seeds", 0)
        ('seeds_one', 'seeds_other')
    """
    return f"{key}_one" if k == 1 else f"{key}_other"


def plural(text: Mapping[str, str], key: str, k: int) -> str:
    """The count ``k`` with its word: ``text[key + "_one"]`` for 1, else ``key + "_other"``.

    Example:
        >>> plural(PAGE_TEXT, "seeds", 1), plural(page_text("es"), "seeds", 2)
        ('1 seed', '2 semillas')
    """
    return text[plural_key(key, k)].format(k=k)
