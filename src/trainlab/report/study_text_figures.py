"""Every word of the study's figures in English: their titles and captions on the page, and
the words inside the images (axes, legends, panel titles).

Kept apart from the page's words (:mod:`trainlab.report.study_text`, which
re-exports both tables); the Spanish captions are in
:mod:`trainlab.report.study_text_es`, with the same ids and placeholders.

Example:
    >>> from trainlab.report.study_text_figures import FIGURE_CAPTIONS, FIGURE_TEXT
    >>> FIGURE_CAPTIONS["gap"][0], FIGURE_TEXT["effect_diverges"]
    ('Generalization gap', 'diverges')
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

#: figures with a known place in the report: key → (title, caption); a study with several
#: comparisons uses the ``<key>_multi`` entry where there is one
FIGURE_CAPTIONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "metric": (
            "{metric} per variant",
            "Bars: mean over seeds with its 95% confidence interval; dots: single seeds; "
            "dashed line: the baseline's mean.",
        ),
        "differences": (
            "Difference from the baseline",
            "Paired difference (variant − baseline on the same seeds) with its 95% confidence "
            "interval. An interval that crosses the zero line is no clear effect; one that does "
            "not is a clear effect only if its corrected p is below α too.",
        ),
        "gap": (
            "Generalization gap",
            "{gap} per variant with its 95% confidence interval; dashed line: "
            "the baseline's gap. A smaller gap means less overfitting, not necessarily a better "
            "model.",
        ),
        "curves_val_loss": (
            "Validation loss per epoch",
            "Mean over seeds; band: minimum to maximum over seeds. A thin line means some seeds "
            "had already stopped (early stopping) and the mean goes on over the others.",
        ),
        "curves_val_acc": (
            "Validation accuracy per epoch",
            "Mean over seeds; band: minimum to maximum over seeds; thin where some seeds had "
            "stopped.",
        ),
        "curves_val_metric": (
            "{metric} per epoch",
            "Mean over seeds; band: minimum to maximum over seeds; thin where some seeds had "
            "stopped.",
        ),
        "probes": (
            "Activations and gradients per layer",
            "Per layer, at initialization and at the last recorded epoch: activation standard "
            "deviation, saturated and dead fractions, gradient norm (mean over seeds). "
            "Activations that shrink with depth mean vanishing signals (too small an initial "
            "scale); a high saturated fraction means too large a one; a good initialization "
            "keeps the scale.",
        ),
        "metric_multi": (
            "{metric} per variant",
            "Bars: mean over seeds with its 95% confidence interval; dots: single seeds. Dark "
            "bars are the references; each dashed line is a reference's mean, drawn across the "
            "rows compared with it, and a thin rule separates the comparisons.",
        ),
        "differences_multi": (
            "Difference from each variant's reference",
            "Paired difference (Δ vs its reference: the variant − its reference on the same "
            "seeds) with its 95% confidence interval, one panel per comparison, each named after "
            "its reference (the diamond at zero). An interval that crosses the zero line is no "
            "clear effect; one that does not is a clear effect only if its corrected p is below "
            "α too.",
        ),
        "gap_multi": (
            "Generalization gap",
            "{gap} per variant with its 95% confidence interval; dark bars are "
            "the references, each dashed line a reference's gap across the rows compared with "
            "it. A smaller gap means less overfitting, not necessarily a better model.",
        ),
        "curves_val_loss_multi": (
            "Validation loss per epoch",
            "Mean over seeds; band: minimum to maximum over seeds; grey: the panel's reference. "
            "Each comparison starts a new row and shares its y axis; a loss spanning more than "
            "a factor 5 is on a log axis. A thin line means some seeds had already stopped.",
        ),
        "curves_val_acc_multi": (
            "Validation accuracy per epoch",
            "Mean over seeds; band: minimum to maximum over seeds; grey: the panel's reference. "
            "Each comparison starts a new row and shares its y axis; thin where some seeds had "
            "stopped.",
        ),
        "curves_val_metric_multi": (
            "{metric} per epoch",
            "Mean over seeds; band: minimum to maximum over seeds; grey: the panel's reference. "
            "Each comparison starts a new row and shares its y axis; thin where some seeds had "
            "stopped.",
        ),
        "probes_multi": (
            "Activations and gradients per layer",
            "One block per comparison, its reference black and thick. Per layer, from input to "
            "output, at initialization and at the last recorded epoch: activation standard "
            "deviation, saturated and dead fractions, gradient norm (mean over seeds). "
            "Activations that shrink with depth mean vanishing signals (too small an initial "
            "scale); a high saturated fraction means too large a one; a good initialization "
            "keeps the scale.",
        ),
    }
)

#: the words inside the study's figures
FIGURE_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "reference": "reference",
        "effect_baseline": "baseline",
        "effect_helps": "helps",
        "effect_hurts": "hurts",
        "effect_no clear effect": "no clear effect",
        "effect_diverges": "diverges",
        "legend_helps": "helps (clear after the correction)",
        "legend_hurts": "hurts (clear after the correction)",
        "legend_unclear": "no clear effect",
        "legend_diverges": "diverges (a seed diverged)",
        "epoch": "epoch",
        # metric bars
        "bars_title": "{label} per variant",
        "bars_none": "no variants",
        "bars_axis_zoomed": "{label}, mean over seeds (axis zoomed: it does not start at 0)",
        "bars_axis": "{label} (mean over seeds)",
        "bars_one_seed": "one seed",
        "axis_lower": "; lower is better",
        "bars_reference_mean": "reference mean (its rows)",
        "bars_baseline_mean": "baseline mean",
        # forest plot
        "forest_title": "Difference from the baseline, 95% CI",
        "forest_title_multi": "Difference from each variant's reference, 95% CI",
        "forest_panel": "vs {ref}",
        "forest_alone": "without a reference",
        "forest_delta": "Δ {label}",
        "forest_points": " (points)",
        "forest_axis": "{label}: variant − baseline, paired by seed",
        "forest_axis_ref": "{label}: variant − {ref}, paired by seed",
        "forest_unpaired": "no paired seeds",
        "forest_no_ci": " (no CI)",
        "forest_p_small": ", p<0.001",
        "forest_p": ", p={p:.2g}",
        "forest_p_adjusted": ", p={p:.2g} ({correction} {adjusted})",
        "forest_none_one": "no paired differences (one variant, or no seeds in common)",
        "forest_none": "no paired differences",
        # gap bars
        "gap_title": "Generalization gap: {gap}",
        "gap_none": "no gap recorded",
        "gap_axis_points": "{gap} (percentage points); smaller = less overfitting",
        "gap_axis": "{gap}; smaller = less overfitting",
        "gap_reference": "reference (dashed: its gap, across its rows)",
        "gap_baseline": "baseline (dashed: its gap)",
        "gap_shrank": "gap shrank (CI excludes 0)",
        "gap_widened": "gap widened (CI excludes 0)",
        "gap_unclear": "no clear change",
        # learning curves
        "curves_title": "{label} per epoch, mean over seeds",
        "curves_none": "no {label} recorded",
        "curves_ref": " (baseline)",
        "curves_ref_multi": " (reference)",
        "curves_band": "band: min–max over seeds",
        "curves_own_scale": "own y scale",
        "curves_grey": "{label}\ngrey: {ref}",
        "curves_suptitle": "{label} per epoch, mean over seeds (band: min–max)",
        "curves_suptitle_multi": ", each panel against its own reference",
        "curves_grey_multi": "the panel's reference (named at the left of its row)",
        "curves_grey_named": "baseline: {ref}",
        "curves_variant": "the panel's variant",
        # layer probes
        "probes_act_std": "Activation std",
        "probes_saturated": "Saturated fraction",
        "probes_dead": "Dead fraction",
        "probes_grad_norm": "Gradient norm",
        "probes_init": "at initialization (epoch 0)",
        "probes_first": "at the first recorded epoch",
        "probes_last_at": "at the last epoch ({epoch})",
        "probes_last": "at the last epoch recorded",
        "probes_missing": "not recorded",
        "probes_depth": "layer (input → output)",
        "probes_word_baseline": "baseline",
        "probes_word_reference": "reference",
        "probes_empty_title": "Layer probes",
        "probes_empty": "no layer probes were recorded",
        "probes_title": "Activations and gradients per layer, mean over seeds",
        "probes_title_group": (
            "Activations and gradients per layer, mean over seeds: {ref} and the variants "
            "compared with it"
        ),
    }
)
