"""The study report: which training strategies helped, with evidence, as HTML and Markdown.

A study trains named variants of one recipe (baseline, dropout, L2, an
initialization scheme, …) over the same seeds; the statistics (per variant:
mean and 95% confidence interval of the metric, and the paired difference from
the baseline with its CI and p-value) come in as plain dicts. This module
turns them into a report a student can read without statistics: for each
variant one sentence in plain words — *dropout raised test accuracy by 0.8
points (95% CI 0.2 to 1.4, paired t-test p = 0.03): it helps* — and honest
ones: whenever the interval includes zero the sentence says *no clear effect*,
never "helps a little", and a note says that with few seeds only large effects
can be shown (the interval of a mean narrows only as 1/√n). Under the words
come the table, the figures of :mod:`trainlab.report.study_plots`, the
learning-curve verdicts and the layer-probe findings per variant, the failed
trials with their errors, and the study definition, so the page alone is
enough to discuss and to rerun the study.

One study may hold several comparisons: every variant is compared with its
own reference (its ``against``, by default the baseline; a reference has
``effect == "baseline"``), e.g. regularizers against a shallow ``baseline``
and init schemes against ``deep-glorot-uniform``. The report then says which
variants were compared with which reference, groups the sentences, the table,
the verdicts and the figures by comparison, and names the reference in every
sentence.

The HTML page is self-contained like the run report
(:mod:`trainlab.report.html`): figures as base64 ``data:`` URIs, inline CSS,
no JavaScript, Jinja2 with autoescaping. The Markdown twin says the same and
links the figure files by relative path.

Example:
    >>> from trainlab.report.study import describe_effect
    >>> row = {"variant": "dropout", "n": 3, "effect": "helps",
    ...        "diff": {"mean": 0.008, "lo": 0.002, "hi": 0.014, "p": 0.03, "test": "t", "n": 3}}
    >>> print(describe_effect(row, metric="test_acc", scale=100).replace(" (", "\\n("))
    dropout raised test accuracy by 0.8 points
    (95% CI 0.2 to 1.4, paired t-test p = 0.03): it helps.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from trainlab import __version__
from trainlab.core.atomic import write_text_atomic
from trainlab.report.html import _environment, _figure, _fmt_seconds, _plain, _slug
from trainlab.report.study_plots import (
    _f,
    comparison_groups,
    honest_effect,
    is_accuracy,
    metric_label,
    metric_scale,
    plot_differences,
    plot_gap_bars,
    plot_layer_probes,
    plot_metric_bars,
    plot_variant_curves,
    references,
)

TEMPLATE = "study.html"
DASH = "—"

#: figures with a known place in the report: key → (title, caption); other keys go under
#: "More figures" with the key as title
FIGURES = {
    "metric": (
        "{metric} per variant",
        "Bars: mean over seeds with its 95% confidence interval; dots: single seeds; "
        "dashed line: the baseline's mean.",
    ),
    "differences": (
        "Difference from the baseline",
        "Paired difference (variant − baseline on the same seeds) with its 95% confidence "
        "interval. An interval that crosses the zero line is no clear effect.",
    ),
    "gap": (
        "Generalization gap",
        "Train − test accuracy per variant with its 95% confidence interval; dashed line: "
        "the baseline's gap. A smaller gap means less overfitting, not necessarily a better model.",
    ),
    "curves_val_loss": (
        "Validation loss per epoch",
        "Mean over seeds; band: minimum to maximum over seeds. A thin line means some seeds had "
        "already stopped (early stopping) and the mean goes on over the others.",
    ),
    "curves_val_acc": (
        "Validation accuracy per epoch",
        "Mean over seeds; band: minimum to maximum over seeds; thin where some seeds had stopped.",
    ),
    "probes": (
        "Activations and gradients per layer",
        "Per layer, at initialization and at the last recorded epoch: activation standard "
        "deviation, saturated and dead fractions, gradient norm (mean over seeds). Activations "
        "that shrink with depth mean vanishing signals (too small an initial scale); a high "
        "saturated fraction means too large a one; a good initialization keeps the scale.",
    ),
}
#: the same for a study with several comparisons (each variant against its own reference)
FIGURES_MULTI = {
    "metric": (
        "{metric} per variant",
        "Bars: mean over seeds with its 95% confidence interval; dots: single seeds. Dark bars "
        "are the references; each dashed line is a reference's mean, drawn across the rows "
        "compared with it, and a thin rule separates the comparisons.",
    ),
    "differences": (
        "Difference from each variant's reference",
        "Paired difference (Δ vs its reference: the variant − its reference on the same "
        "seeds) with its 95% confidence interval, one panel per comparison, each named after "
        "its reference (the diamond at zero). An interval that crosses the zero line is no "
        "clear effect.",
    ),
    "gap": (
        "Generalization gap",
        "Train − test accuracy per variant with its 95% confidence interval; dark bars are the "
        "references, each dashed line a reference's gap across the rows compared with it. A "
        "smaller gap means less overfitting, not necessarily a better model.",
    ),
    "curves_val_loss": (
        "Validation loss per epoch",
        "Mean over seeds; band: minimum to maximum over seeds; grey: the panel's reference. "
        "Each comparison starts a new row and shares its y axis; a loss spanning more than a "
        "factor 5 is on a log axis. A thin line means some seeds had already stopped.",
    ),
    "curves_val_acc": (
        "Validation accuracy per epoch",
        "Mean over seeds; band: minimum to maximum over seeds; grey: the panel's reference. "
        "Each comparison starts a new row and shares its y axis; thin where some seeds had "
        "stopped.",
    ),
    "probes": (
        "Activations and gradients per layer",
        "One block per comparison, its reference black and thick. Per layer, from input to "
        "output, at initialization and at the last recorded epoch: activation standard "
        "deviation, saturated and dead fractions, gradient norm (mean over seeds). Activations "
        "that shrink with depth mean vanishing signals (too small an initial scale); a high "
        "saturated fraction means too large a one; a good initialization keeps the scale.",
    ),
}
_MAIN_FIGURES = ("metric", "differences", "gap")
_CURVE_FIGURES = ("curves_val_loss", "curves_val_acc")

_TESTS = {
    "t": "paired t-test",
    "ttest": "paired t-test",
    "t-test": "paired t-test",
    "paired_t": "paired t-test",
    "paired-t": "paired t-test",
    "paired t": "paired t-test",
    "paired_ttest": "paired t-test",
    "wilcoxon": "Wilcoxon signed-rank test",
    "w": "Wilcoxon signed-rank test",
    "permutation": "permutation test",
    "sign_flip": "sign-flip permutation test",
    "bootstrap": "bootstrap",
}
_EFFECT_GROUPS = (
    ("helps", "Helped"),
    ("hurts", "Hurt"),
    ("no clear effect", "No clear effect"),
)
_META_LABELS = {
    "version": "trainlab",
    "trainlab": "trainlab",
    "trainlab_version": "trainlab",
    "started": "started",
    "finished": "finished",
    "workers": "workers",
    "executor": "executor",
    "wall_seconds": "wall time",
    "wall": "wall time",
    "seconds": "wall time",
    "machine": "machine",
}
_MAX_ERROR = 4000


# ---------------------------------------------------------------------------- numbers


def _minus(text: str) -> str:
    """Typographic minus signs (U+2212) in a formatted number."""
    return text.replace("-", "−")


class _Units:
    """How values of the compared metric are shown: percent and points, or plain numbers."""

    def __init__(self, metric: str, scale: float) -> None:
        self.scale = scale
        self.percent = is_accuracy(metric)
        self.unit = " points" if self.percent else ""

    def decimals(self, *values: float) -> int:
        xs = [abs(v * self.scale) for v in values if math.isfinite(v)]
        return 1 if not xs or max(xs) >= 0.5 else 2

    def num(self, v: float, *, signed: bool = False, decimals: int | None = None) -> str:
        """A value or a difference in display units, without a unit; "—" when not finite."""
        if not math.isfinite(v):
            return DASH
        x = v * self.scale
        sign = "+" if signed else ""
        if self.percent:
            d = self.decimals(v) if decimals is None else decimals
            return _minus(f"{x:{sign}.{d}f}")
        return _minus(f"{x:{sign}.3g}")

    def value(self, v: float) -> str:
        """A metric value: ``81.2%`` or ``0.312``."""
        if not math.isfinite(v):
            return DASH
        return f"{self.num(v, decimals=1)}%" if self.percent else self.num(v)

    def ci(self, lo: float, hi: float, *, signed: bool = False) -> str:
        """``[80.1, 82.3]``; "" when either end is not finite."""
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return ""
        d = self.decimals(lo, hi) if signed else 1
        a, b = self.num(lo, signed=signed, decimals=d), self.num(hi, signed=signed, decimals=d)
        return f"[{a}, {b}]"


def _fmt_p(p: float) -> str:
    if not math.isfinite(p):
        return DASH
    if p < 0.001:
        return "< 0.001"
    return f"{p:.3f}" if p < 0.01 else f"{p:.2f}"


def _p_phrase(diff: Mapping[str, Any]) -> str:
    """``paired t-test p = 0.03``, or "" without a p-value."""
    p = _f(diff.get("p"))
    if not math.isfinite(p):
        return ""
    test = diff.get("test")
    name = _TESTS.get(str(test).strip().lower(), str(test).replace("_", " ")) if test else ""
    text = _fmt_p(p)
    rel = text if text.startswith("<") else f"= {text}"
    return f"{name} p {rel}".strip()


def _seeds(k: int) -> str:
    return f"{k} seed" if k == 1 else f"{k} seeds"


def _part(summary: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    v = summary.get(key)
    return v if isinstance(v, Mapping) else {}


def _pairs(summary: Mapping[str, Any], key: str = "diff") -> int:
    n = _f(_part(summary, key).get("n"))
    if not math.isfinite(n):
        n = _f(summary.get("n"))
    return int(n) if math.isfinite(n) else 0


# ---------------------------------------------------------------------------- sentences


def _named_reference(summary: Mapping[str, Any]) -> str:
    """The reference a summary names (``against`` or ``reference``), "" when none or itself."""
    for key in ("against", "reference"):
        v = summary.get(key)
        if isinstance(v, str) and v and v != str(summary.get("variant")):
            return v
    return ""


def _effect_rest(
    summary: Mapping[str, Any],
    metric: str,
    units: _Units,
    *,
    reference: str = "",
    role: str = "baseline",
) -> tuple[str, str]:
    """(effect, the sentence after the variant's name).

    ``reference`` is named in the sentence ("… by 3.0 points against glorot (95% CI …)");
    ``role`` is what a reference is called ("baseline" or "reference").
    """
    label = metric_label(metric)
    effect = honest_effect(summary, metric)
    n = _f(summary.get("n"))
    vs = f" against {reference}" if reference else ""
    if effect == "baseline":
        ci = units.ci(_f(summary.get("lo")), _f(summary.get("hi")))
        ci = f" (95% CI {ci[1:-1].replace(', ', ' to ')})" if ci else ""
        k = _seeds(int(n)) if math.isfinite(n) else "its seeds"
        value = units.value(_f(summary.get("mean")))
        plain = str(summary.get("variant")).lower() in ("baseline", role)
        who = "" if plain else f"(the {role}) "
        return effect, f"{who}reached {label} {value}{ci} over {k}."
    if math.isfinite(n) and n == 0:
        failed = int(_f(summary.get("failed"))) if math.isfinite(_f(summary.get("failed"))) else 0
        why = f" ({failed} failed)" if failed else ""
        return "no clear effect", f"has no finished trial{why}: nothing to compare."
    diff = _part(summary, "diff")
    mean, lo, hi = _f(diff.get("mean")), _f(diff.get("lo")), _f(diff.get("hi"))
    if not math.isfinite(mean):
        return "no clear effect", (
            f"could not be compared with {reference or 'the baseline'}: no seed finished for "
            "both: no clear effect."
        )
    k = _pairs(summary)
    p = _p_phrase(diff)
    has_ci = math.isfinite(lo) and math.isfinite(hi)
    if effect in ("helps", "hurts"):
        verb = "raised" if mean > 0 else "lowered"
        a, b = (lo, hi) if mean > 0 else (-hi, -lo)
        d = units.decimals(mean, lo, hi)
        stats = f"95% CI {units.num(a, decimals=d)} to {units.num(b, decimals=d)}"
        stats += f", {p}" if p else ""
        amount = units.num(abs(mean), decimals=d)
        return effect, f"{verb} {label} by {amount}{units.unit}{vs} ({stats}): it {effect}."
    d = units.decimals(mean, lo, hi)
    amount = units.num(mean, signed=True, decimals=d)
    if has_ci:
        stats = f"95% CI {units.num(lo, decimals=d)} to {units.num(hi, decimals=d)}"
        stats += f", {p}" if p else ""
        return effect, (
            f"changed {label} by {amount}{units.unit}{vs} ({stats}): no clear effect with "
            f"{_seeds(k)}."
        )
    return effect, (
        f"changed {label} by {amount}{units.unit}{vs} with {_seeds(k)}, too few for a confidence "
        f"interval: no clear effect."
    )


def describe_effect(summary: Mapping[str, Any], *, metric: str, scale: float | None = None) -> str:
    """One plain-words sentence on a variant's effect on ``metric``, vs its reference.

    The verdict is :func:`~trainlab.report.study_plots.honest_effect`: "it
    helps" or "it hurts" only when the 95% CI of the paired difference excludes
    zero, else "no clear effect with N seeds". Accuracy differences are in
    percentage points. When the summary names its reference (``against``), the
    sentence does too: *… by 3.0 points against deep-glorot-uniform (95% CI …)*.

    Args:
        summary: one variant's summary (``variant``, ``n``, ``mean``, ``lo``,
            ``hi``, ``diff``, ``effect``, optionally ``against``).
        metric: the compared metric's key (``"test_acc"``).
        scale: the factor to display units (default: 100 for accuracies given
            as fractions, else 1; see :func:`~trainlab.report.study_plots.metric_scale`).

    Returns:
        The sentence, starting with the variant's name.

    Example:
        >>> row = {"variant": "L1", "n": 3, "effect": "no clear effect",
        ...        "diff": {"mean": -0.001, "lo": -0.009, "hi": 0.007, "n": 3}}
        >>> print(describe_effect(row, metric="test_acc", scale=100).replace(" (", "\\n("))
        L1 changed test accuracy by −0.1 points
        (95% CI −0.9 to 0.7): no clear effect with 3 seeds.
        >>> row = {"variant": "he", "n": 3, "effect": "hurts", "against": "glorot",
        ...        "diff": {"mean": -0.03, "lo": -0.043, "hi": -0.018, "n": 3}}
        >>> print(describe_effect(row, metric="test_acc", scale=100).replace(" (", "\\n("))
        he lowered test accuracy by 3.0 points against glorot
        (95% CI 1.8 to 4.3): it hurts.
    """
    if scale is None:
        scale = metric_scale(metric, [summary.get("mean"), summary.get("lo"), summary.get("hi")])
    _, rest = _effect_rest(
        summary, metric, _Units(metric, scale), reference=_named_reference(summary)
    )
    return f"{summary.get('variant')} {rest}"


def _gap_rest(
    summary: Mapping[str, Any], scale: float, *, reference: str = ""
) -> tuple[str, str] | None:
    gd = summary.get("gap_diff")
    if not isinstance(gd, Mapping) or summary.get("effect") == "baseline":
        return None
    vs = f" against {reference}" if reference else ""
    units = _Units("gap", scale)
    mean, lo, hi = _f(gd.get("mean")), _f(gd.get("lo")), _f(gd.get("hi"))
    if not math.isfinite(mean):
        return None
    d = units.decimals(mean, lo, hi)
    p = _p_phrase(gd)
    if math.isfinite(lo) and math.isfinite(hi) and (hi < 0 or lo > 0):
        verb = "shrank" if mean < 0 else "widened"
        a, b = (-hi, -lo) if mean < 0 else (lo, hi)
        stats = f"95% CI {units.num(a, decimals=d)} to {units.num(b, decimals=d)}"
        stats += f", {p}" if p else ""
        amount = units.num(abs(mean), decimals=d)
        return verb, f"{verb} the generalization gap by {amount} points{vs} ({stats})."
    amount = units.num(mean, signed=True, decimals=d)
    k = _pairs(summary, "gap_diff")
    if math.isfinite(lo) and math.isfinite(hi):
        stats = f"95% CI {units.num(lo, decimals=d)} to {units.num(hi, decimals=d)}"
        stats += f", {p}" if p else ""
        return "unclear", (
            f"changed the generalization gap by {amount} points{vs} ({stats}): no clear change "
            f"with {_seeds(k)}."
        )
    return "unclear", (
        f"changed the generalization gap by {amount} points{vs} with {_seeds(k)}, too few for a "
        f"confidence interval: no clear change."
    )


def describe_gap(summary: Mapping[str, Any], *, scale: float = 100.0) -> str | None:
    """One plain-words sentence on how a variant changed the generalization gap, or None.

    "shrank" / "widened" only when the 95% CI of the paired gap difference
    excludes zero, else "no clear change". None for the baseline or without a
    gap difference.

    Args:
        summary: one variant's summary with ``variant`` and ``gap_diff``.
        scale: the factor to percentage points (100 for accuracies as fractions).

    Returns:
        The sentence, starting with the variant's name, or None.

    Example:
        >>> row = {"variant": "dropout", "gap_diff": {"mean": -0.021, "lo": -0.033, "hi": -0.009}}
        >>> describe_gap(row)
        'dropout shrank the generalization gap by 2.1 points (95% CI 0.9 to 3.3).'
    """
    got = _gap_rest(summary, scale, reference=_named_reference(summary))
    return None if got is None else f"{summary.get('variant')} {got[1]}"


# ---------------------------------------------------------------------------- inputs


def seed_points(trials: Sequence[Mapping[str, Any]], metric: str) -> dict[str, list[float]]:
    """Each variant's per-seed values of ``metric``, from its finished trials.

    Example:
        >>> seed_points([{"variant": "a", "status": "done", "metrics": {"test_acc": 0.9}},
        ...              {"variant": "a", "status": "failed", "metrics": {}}], "test_acc")
        {'a': [0.9]}
    """
    out: dict[str, list[float]] = {}
    for t in trials:
        if t.get("status", "done") != "done":
            continue
        v = _f((t.get("metrics") or {}).get(metric))
        if math.isfinite(v):
            out.setdefault(str(t.get("variant")), []).append(v)
    return out


def _accuracy_scale(summaries: Sequence[Mapping[str, Any]], trials: Sequence[Mapping]) -> float:
    """100 when the accuracies (and so the gaps) are fractions, else 1."""
    values = []
    for t in trials:
        m = t.get("metrics") or {}
        values += [m.get(k) for k in ("train_acc", "test_acc", "val_acc") if k in m]
    if any(math.isfinite(_f(v)) for v in values):
        return metric_scale("train_acc", values)
    gaps = [_part(s, "gap").get("mean") for s in summaries]
    return metric_scale("gap", gaps)


def _variants_spec(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Variant name → overrides, from ``{"variants": {name: overrides}}`` or a list of dicts."""
    v = spec.get("variants")
    if isinstance(v, Mapping):
        return {str(k): x for k, x in v.items()}
    out: dict[str, Any] = {}
    if isinstance(v, (list, tuple)):
        for item in v:
            if isinstance(item, Mapping) and "name" in item:
                over = item.get("overrides", {k: x for k, x in item.items() if k != "name"})
                out[str(item["name"])] = over
            elif isinstance(item, str):
                out[item] = {}
    return out


def _variant_parts(raw: Any) -> tuple[Any, str, str]:
    """(overrides, against, description) of a variant's entry in the spec.

    The entry is plain overrides (``{"model.dropout": 0.5}``) or the long form
    ``{"set": {...}, "against": "deep-glorot-uniform", "description": "..."}``.

    Example:
        >>> _variant_parts({"set": {"a.b": 1}, "against": "ref", "description": "d"})
        ({'a.b': 1}, 'ref', 'd')
        >>> _variant_parts({"model.dropout": 0.5})
        ({'model.dropout': 0.5}, '', '')
    """
    long_form = (
        isinstance(raw, Mapping)
        and "set" in raw
        and set(raw) <= {"set", "against", "description"}
        and (raw["set"] is None or isinstance(raw["set"], Mapping))
    )
    if not long_form:
        return raw, "", ""
    against = raw.get("against")
    return (
        dict(raw["set"] or {}),
        str(against) if against else "",
        str(raw.get("description") or ""),
    )


def _value_text(v: Any) -> str:
    """An override's value, compactly: ``0.5``, ``true``, ``[128×10]``, ``[64,32]``.

    Example:
        >>> _value_text([128] * 10), _value_text([256, 128]), _value_text(True)
        ('[128×10]', '[256,128]', 'true')
    """
    if isinstance(v, str):
        return v
    if isinstance(v, bool) or v is None:
        return json.dumps(v)
    if isinstance(v, (int, float)):
        return f"{v:g}"
    if isinstance(v, (list, tuple)):
        items = list(v)
        if items and all(isinstance(x, (str, int, float, bool)) or x is None for x in items):
            texts = [_value_text(x) for x in items]
            if len(texts) >= 3 and len(set(texts)) == 1:
                return f"[{texts[0]}×{len(texts)}]"
            return "[" + ",".join(texts) + "]"
    return json.dumps(_plain(v), separators=(",", ":"), ensure_ascii=False)


def _override_items(overrides: Any) -> list[tuple[str, str]]:
    """``[("model.dropout", "0.5"), …]``; [] for the base recipe; ("", text) when not a mapping."""
    if not overrides:
        return []
    if isinstance(overrides, Mapping):
        return [(str(k), _value_text(v)) for k, v in overrides.items()]
    if isinstance(overrides, (list, tuple)):
        return [("", str(x)) for x in overrides]
    return [("", str(overrides))]


def _override_text(overrides: Any) -> list[str]:
    """``["model.dropout=0.5", …]``; [] for the base recipe."""
    return [f"{k}={v}" if k else v for k, v in _override_items(overrides)]


def _base_name(spec: Mapping[str, Any]) -> str:
    for key in ("base", "recipe", "base_recipe"):
        v = spec.get(key)
        if isinstance(v, Mapping):
            return str(v.get("name", ""))
        if v:
            return str(v)
    return ""


def _dataset(spec: Mapping[str, Any], meta: Mapping[str, Any]) -> str:
    candidates: list[Any] = [meta.get("dataset"), spec.get("dataset")]
    for key in ("base", "recipe", "base_recipe"):
        v = spec.get(key)
        if isinstance(v, Mapping) and isinstance(v.get("data"), Mapping):
            candidates += [v["data"].get("dataset"), v["data"].get("name")]
    data = spec.get("data")
    if isinstance(data, Mapping):
        candidates += [data.get("dataset"), data.get("name")]
    elif isinstance(data, str):
        candidates.append(data)
    return next((str(c) for c in candidates if c), "")


def _seed_list(spec: Mapping[str, Any], trials: Sequence[Mapping[str, Any]]) -> list[Any]:
    s = spec.get("seeds")
    if isinstance(s, int) and not isinstance(s, bool):
        return list(range(s))
    if isinstance(s, (list, tuple)) and s:
        return list(s)
    seen: list[Any] = []
    for t in trials:
        if t.get("seed") not in seen:
            seen.append(t.get("seed"))
    return seen


def _wall(meta: Mapping[str, Any]) -> float:
    for key in ("wall_seconds", "wall", "seconds", "wall_time"):
        v = _f(meta.get(key))
        if math.isfinite(v):
            return v
    return math.nan


# ---------------------------------------------------------------------------- sections


def _figures(
    figures: Mapping[str, Path], metric: str, base: Path | None, *, multi: bool = False
) -> list[dict[str, Any]]:
    out = []
    for key, path in figures.items():
        fig = _figure(str(key), path)
        title, caption = FIGURES.get(str(key), (fig["title"], ""))
        if multi and str(key) in FIGURES_MULTI:
            title, caption = FIGURES_MULTI[str(key)]
        fig["title"] = title.format(metric=metric_label(metric).capitalize())
        fig["caption"] = caption
        p = Path(path)
        if base is not None:
            try:
                fig["href"] = Path(os.path.relpath(p, base)).as_posix()
            except ValueError:
                fig["href"] = p.as_posix()
        else:
            fig["href"] = p.as_posix() if not p.is_absolute() else p.name
        out.append(fig)
    return out


def _diagnoses(
    trials: Sequence[Mapping[str, Any]], names: list[str], summaries: Sequence[Mapping]
) -> list[dict[str, Any]]:
    """The most common learning-curve verdict per variant, with an example and its remedies.

    A remedy list already shown on an earlier card is marked ``repeat_of`` that
    card's variant, so the page can fold it instead of printing it again.
    """
    by_name = {str(s.get("variant")): s for s in summaries}
    out = []
    shown: dict[tuple[str, ...], str] = {}
    for name in names:
        mine = [
            t
            for t in trials
            if str(t.get("variant")) == name
            and t.get("status", "done") == "done"
            and isinstance(t.get("diagnosis"), Mapping)
        ]
        counts: Counter[str] = Counter(str(t["diagnosis"].get("verdict")) for t in mine)
        if not counts:
            given = by_name.get(name, {}).get("verdicts") or {}
            counts = Counter({str(k): int(v) for k, v in given.items() if _f(v) > 0})
        if not counts:
            continue
        verdict, _ = counts.most_common(1)[0]
        example = next((t for t in mine if str(t["diagnosis"].get("verdict")) == verdict), None)
        diag = example["diagnosis"] if example else {}
        remedies = [str(r) for r in diag.get("remedies") or []]
        repeat_of = shown.get(tuple(remedies), "") if remedies else ""
        if remedies and not repeat_of:
            shown[tuple(remedies)] = name
        out.append(
            {
                "variant": name,
                "verdict": verdict,
                "slug": _slug(verdict),
                "counts": ", ".join(f"{v} × {k}" for k, v in counts.most_common()),
                "total": sum(counts.values()),
                "seed": example.get("seed") if example else None,
                "epoch": diag.get("epoch"),
                "message": str(diag.get("message") or ""),
                "remedies": remedies,
                "repeat_of": repeat_of,
            }
        )
    return out


def _finding_kind(text: str) -> str:
    """What a probe finding says, without its numbers: the words before the first colon.

    Example:
        >>> _finding_kind("units saturate: more than 50% of the activations (worst fc1, 94%)")
        'units saturate'
        >>> _finding_kind("Activations shrink 100× from fc1 to fc6.")
        'Activations shrink 100× from fc1 to fc6.'
    """
    head, sep, _ = text.partition(":")
    head = head.strip()
    return head if sep and 0 < len(head) <= 60 and "`" not in head else text


def _findings(trials: Sequence[Mapping[str, Any]], names: list[str]) -> list[dict[str, Any]]:
    """Per variant, the layer-probe findings and on how many of its seeds each was made.

    Findings of one kind (the same words before the colon, e.g. "units
    saturate") count together although their numbers differ from seed to seed;
    the text shown is the first seed's, and the item says so.
    """
    out = []
    for name in names:
        seeds = 0
        kinds: dict[str, dict[str, Any]] = {}
        for t in trials:
            probes = t.get("probes")
            if str(t.get("variant")) != name or t.get("status", "done") != "done":
                continue
            if not isinstance(probes, Mapping):
                continue
            seeds += 1
            texts = list(dict.fromkeys(str(f) for f in probes.get("findings") or []))
            for kind in dict.fromkeys(_finding_kind(x) for x in texts):
                text = next(x for x in texts if _finding_kind(x) == kind)
                item = kinds.setdefault(
                    kind, {"text": text, "count": 0, "seed": t.get("seed"), "texts": set()}
                )
                item["count"] += 1
                item["texts"].add(text)
        if kinds:
            items = [
                {
                    "text": k["text"],
                    "count": k["count"],
                    "of": seeds,
                    "example_seed": k["seed"] if len(k["texts"]) > 1 else None,
                }
                for k in sorted(kinds.values(), key=lambda k: -k["count"])
            ]
            out.append({"variant": name, "seeds": seeds, "items": items})
    return out


def _failures(trials: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for t in trials:
        if t.get("status") != "failed":
            continue
        err = str(t.get("error") or "no error recorded").rstrip()
        if len(err) > _MAX_ERROR:
            err = "…\n" + err[-_MAX_ERROR:]
        out.append({"variant": str(t.get("variant")), "seed": t.get("seed"), "error": err})
    return out


def _verdict_text(verdicts: Any) -> str:
    if not isinstance(verdicts, Mapping) or not verdicts:
        return DASH
    pairs = sorted(
        ((str(k), int(_f(v))) for k, v in verdicts.items() if _f(v) > 0), key=lambda kv: -kv[1]
    )
    return ", ".join(f"{v} {k}" for k, v in pairs) or DASH


def _rows(
    summaries: Sequence[Mapping[str, Any]],
    variants: Mapping[str, Any],
    metric: str,
    units: _Units,
    gap_units: _Units,
    refs: Mapping[str, str | None],
    multi: bool,
) -> list[dict[str, Any]]:
    parts = {name: _variant_parts(raw) for name, raw in variants.items()}
    rows = []
    for s in summaries:
        name = str(s.get("variant"))
        diff, gap, gdiff = _part(s, "diff"), _part(s, "gap"), _part(s, "gap_diff")
        ref = refs.get(name, "")
        is_ref = ref is None
        effect = "baseline" if is_ref else honest_effect(s, metric)
        dlo, dhi = _f(diff.get("lo")), _f(diff.get("hi"))
        glo, ghi = _f(gdiff.get("lo")), _f(gdiff.get("hi"))
        rank = _f(s.get("rank"))
        n, failed = _f(s.get("n")), _f(s.get("failed"))
        overrides, _, description = parts.get(name, ({}, "", ""))
        shared = dict(_override_items(parts[ref][0])) if ref and ref in parts else {}
        chips = [
            {
                "text": f"{k}={v}" if k else v,
                "key": f"{k}=" if k else "",
                "value": v,
                "shared": bool(k) and shared.get(k) == v,
            }
            for k, v in _override_items(overrides)
        ]
        rows.append(
            {
                "rank": str(int(rank)) if math.isfinite(rank) else DASH,
                "variant": name,
                "baseline": is_ref,
                "badge": "reference" if multi else "baseline",
                "against": "" if is_ref else str(ref or ""),
                "description": description,
                "effect": effect,
                "effect_slug": _slug(effect),
                "overrides": [c["text"] for c in chips],
                "chips": chips,
                "base_recipe": name in variants and not overrides,
                "n": str(int(n)) if math.isfinite(n) else DASH,
                "mean": units.value(_f(s.get("mean"))),
                "mean_ci": units.ci(_f(s.get("lo")), _f(s.get("hi"))),
                "diff": units.num(
                    _f(diff.get("mean")),
                    signed=True,
                    decimals=units.decimals(dlo, dhi, _f(diff.get("mean"))),
                ),
                "diff_ci": units.ci(dlo, dhi, signed=True),
                "p": _fmt_p(_f(diff.get("p"))),
                "test": _TESTS.get(str(diff.get("test", "")).lower(), str(diff.get("test") or "")),
                "gap": gap_units.num(_f(gap.get("mean")), signed=True, decimals=1),
                "gap_ci": gap_units.ci(_f(gap.get("lo")), _f(gap.get("hi")), signed=True),
                "gap_diff": gap_units.num(
                    _f(gdiff.get("mean")), signed=True, decimals=gap_units.decimals(glo, ghi)
                ),
                "gap_diff_ci": gap_units.ci(glo, ghi, signed=True),
                "gap_slug": (
                    "helps"
                    if math.isfinite(ghi) and ghi < 0
                    else "hurts"
                    if math.isfinite(glo) and glo > 0
                    else "none"
                ),
                "seconds": _fmt_seconds(_f(_part(s, "seconds").get("mean"))),
                "verdicts": _verdict_text(s.get("verdicts")),
                "failed": str(int(failed)) if math.isfinite(failed) else DASH,
                "has_failed": math.isfinite(failed) and failed > 0,
            }
        )
    return rows


def _seed_note(
    summaries: Sequence[Mapping[str, Any]],
    refs: Mapping[str, str | None],
    units: _Units,
    multi: bool,
) -> str:
    others = [s for s in summaries if refs.get(str(s.get("variant"))) is not None]
    if not others:
        return ""
    ks = [k for k in (_pairs(s) for s in others) if k > 0]
    widths = []
    for s in others:
        d = _part(s, "diff")
        lo, hi = _f(d.get("lo")), _f(d.get("hi"))
        if math.isfinite(lo) and math.isfinite(hi):
            widths.append((hi - lo) / 2)
    k = min(ks) if ks else 0
    text = (
        f"With {_seeds(k)} per variant, only large effects can be shown. "
        if 0 < k < 10
        else f"With {_seeds(k)} per variant, small effects can be missed. "
        if k
        else (
            f"No variant has paired seeds with {'its reference' if multi else 'the baseline'}, "
            "so no effect can be shown. "
        )
    )
    if widths:
        widths.sort()
        half = widths[len(widths) // 2]
        text += (
            f"Here a difference had to exceed about ±{units.num(half)}{units.unit} "
            f"(the typical half-width of the 95% intervals) to be told from seed-to-seed noise. "
        )
    text += (
        "“No clear effect” means “not shown with these seeds”, not “shown to be zero”; more "
        "seeds narrow the intervals, roughly as 1/√n."
    )
    m = len(others)
    if m >= 5:
        text += (
            f" {m} variants were compared with {'their reference' if multi else 'the baseline'}: "
            f"at 95% confidence about {0.05 * m:.1f} of them may show a clear effect by chance "
            "alone."
        )
    return text


class _SpecDumper(yaml.SafeDumper):
    """YAML for the study definition: lists of plain values on one line, no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = all(isinstance(x, (str, int, float, bool)) or x is None for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_SpecDumper.add_representer(list, _represent_list)


def _plural(k: int, word: str) -> str:
    return f"{k} {word}" if k == 1 else f"{k} {word}s"


def _context(
    *,
    title: str,
    spec: Mapping[str, Any],
    summaries: Sequence[Mapping[str, Any]],
    trials: Sequence[Mapping[str, Any]],
    metric: str,
    baseline: str,
    meta: Mapping[str, Any],
    figures: Mapping[str, Path],
    base: Path | None,
    generated: datetime | None,
) -> dict[str, Any]:
    spec_plain = _plain(spec) if spec is not None else {}
    spec_map: Mapping[str, Any] = spec_plain if isinstance(spec_plain, Mapping) else {}
    meta = meta or {}
    points = seed_points(trials, metric)
    scale = metric_scale(
        metric,
        [s.get(k) for s in summaries for k in ("mean", "lo", "hi")]
        + [v for vs in points.values() for v in vs],
    )
    units = _Units(metric, scale)
    gap_units = _Units("gap", _accuracy_scale(summaries, trials))
    names = [str(s.get("variant")) for s in summaries]
    names += [n for n in dict.fromkeys(str(t.get("variant")) for t in trials) if n not in names]
    label = metric_label(metric)
    variants = _variants_spec(spec_map)

    # the comparisons: each reference and the variants compared with it
    with_ref = []
    for s in summaries:
        row = dict(s)
        if str(s.get("variant")) == baseline:
            row["effect"] = "baseline"
        elif not _named_reference(row):
            against = _variant_parts(variants.get(str(s.get("variant"))))[1]
            if against:
                row["against"] = against
        with_ref.append(row)
    refs = references(with_ref, baseline)
    comparisons = comparison_groups(with_ref, baseline)
    multi = len(comparisons) > 1
    role = "reference" if multi else "baseline"
    group_of = {n: (n if r is None else r) for n, r in refs.items()}

    # what helped, per comparison
    helped = []
    counts = dict.fromkeys((k for k, _ in _EFFECT_GROUPS), 0)
    by_name = {str(s.get("variant")): s for s in with_ref}
    for ref, members in comparisons:
        groups: dict[str, list[dict[str, Any]]] = {k: [] for k, _ in _EFFECT_GROUPS}
        ref_sentence = ""
        for name in members:
            s_eff = by_name[name]
            reference = refs[name] or ""
            effect, rest = _effect_rest(s_eff, metric, units, reference=reference, role=role)
            if effect == "baseline":
                ref_sentence = f"{name} {rest}"
                continue
            gap = _gap_rest(s_eff, gap_units.scale, reference=reference)
            counts[effect] += 1
            groups[effect].append(
                {
                    "variant": name,
                    "text": rest,
                    "gap": gap[1] if gap else "",
                    "gap_kind": gap[0] if gap else "",
                    "effect": effect,
                    "slug": _slug(effect),
                }
            )
        k = sum(len(v) for v in groups.values())
        helped.append(
            {
                "reference": ref,
                "title": (
                    f"{_plural(k, 'variant')} against {ref}" if ref else _plural(k, "variant")
                ),
                "ref_sentence": ref_sentence,
                "groups": [
                    {"effect": e, "slug": _slug(e), "title": t, "items": groups[e]}
                    for e, t in _EFFECT_GROUPS
                    if groups[e]
                ],
            }
        )

    # headline
    status = Counter(str(t.get("status", "done")) for t in trials)
    seeds = _seed_list(spec_map, trials)
    dataset = _dataset(spec_map, meta)
    base_name = _base_name(spec_map)
    wall = _wall(meta)
    lead = f"{len(names)} variant{'s' if len(names) != 1 else ''}"
    lead += f" of the recipe {base_name}" if base_name else ""
    lead += f" on {dataset}" if dataset else ""
    lead += f", {_seeds(len(seeds))} each" if seeds else ""
    lead += f" ({', '.join(str(x) for x in seeds[:20])}{', …' if len(seeds) > 20 else ''})"
    if multi:
        parts = [
            f"{_plural(len([m for m in members if refs[m] is not None]), 'variant')} against {ref}"
            for ref, members in comparisons
        ]
        lead += (
            f", compared on {label} on the same seeds in {len(comparisons)} comparisons: "
            + "; ".join(parts)
            + "."
        )
    else:
        lead += f", compared on {label}, each against {baseline} on the same seeds."
    trial_parts = [f"{status.get('done', 0)} of {len(trials)} trials finished"]
    if status.get("failed"):
        trial_parts.append(f"{status['failed']} failed")
    unfinished = status.get("pending", 0) + status.get("running", 0)
    if unfinished:
        trial_parts.append(f"{unfinished} not finished (pending or running)")
    trials_line = ", ".join(trial_parts) + (
        f"; wall time {_fmt_seconds(wall)}." if math.isfinite(wall) else "."
    )

    ranked = [s for s in with_ref if math.isfinite(_f(s.get("mean")))]
    best = None
    if ranked:
        with_rank = [s for s in ranked if math.isfinite(_f(s.get("rank")))]
        if with_rank:
            best = min(with_rank, key=lambda s: _f(s.get("rank")))
        else:
            best = max(ranked, key=lambda s: _f(s.get("mean")))
    cards = []
    if best is not None:
        best_name = str(best.get("variant"))
        diff = _part(best, "diff")
        note = f"the {role} itself" if refs.get(best_name) is None else ""
        if math.isfinite(_f(diff.get("mean"))):
            eff = honest_effect(best, metric)
            vs = refs.get(best_name) or "baseline"
            note = f"{units.num(_f(diff.get('mean')), signed=True)}{units.unit} vs {vs} · {eff}"
        cards.append(
            {
                "label": f"Top ranked · {label}",
                "value": units.value(_f(best.get("mean"))),
                "name": best_name,
                "note": note,
            }
        )
    for ref, _ in comparisons:
        ref_row = by_name.get(ref)
        if ref_row is None:
            continue
        ci = units.ci(_f(ref_row.get("lo")), _f(ref_row.get("hi")))
        cards.append(
            {
                "label": f"{role.capitalize()} · {label}",
                "value": units.value(_f(ref_row.get("mean"))),
                "name": ref,
                "note": f"95% CI {ci}" if ci else "no confidence interval",
            }
        )
    cards.append(
        {
            "label": "Effects vs their reference" if multi else "Effects vs baseline",
            "value": f"{counts['helps']} · {counts['hurts']} · {counts['no clear effect']}",
            "name": "",
            "note": "helped · hurt · no clear effect",
        }
    )
    cards.append(
        {
            "label": "Trials",
            "value": f"{status.get('done', 0)}/{len(trials)}",
            "name": "",
            "note": f"{status.get('failed', 0)} failed · {_seeds(len(seeds))}",
        }
    )
    if math.isfinite(wall):
        workers = meta.get("workers")
        executor = meta.get("executor")
        how = " · ".join(
            x for x in (f"{workers} workers" if workers else "", str(executor or "")) if x
        )
        cards.append({"label": "Wall time", "value": _fmt_seconds(wall), "name": "", "note": how})

    # figures
    figs = _figures(figures, metric, base, multi=multi)
    by_key = {f["key"]: f for f in figs}
    main = [by_key[k] for k in _MAIN_FIGURES if k in by_key]
    curves = [by_key[k] for k in _CURVE_FIGURES if k in by_key]
    probes = by_key.get("probes")
    known = set(_MAIN_FIGURES) | set(_CURVE_FIGURES) | {"probes"}
    more = [f for f in figs if f["key"] not in known]

    meta_rows = []
    for k, v in meta.items():
        if v is None or v == "":
            continue
        lab = _META_LABELS.get(str(k), str(k).replace("_", " "))
        if lab == "wall time":
            text = _fmt_seconds(_f(v))
        elif isinstance(v, float):
            text = f"{v:.4g}" if math.isfinite(v) else DASH
        elif isinstance(v, (Mapping, list, tuple)):
            text = json.dumps(_plain(v), ensure_ascii=False)
        else:
            text = str(v)
        meta_rows.append({"label": lab, "value": text})

    rows = _rows(with_ref, variants, metric, units, gap_units, refs, multi)
    previous = None
    for r in rows:
        key = group_of.get(r["variant"], baseline)
        r["group_title"] = ""
        if multi and key != previous:
            k = len([m for m in dict(comparisons).get(key, []) if refs.get(m) is not None])
            r["group_title"] = f"{key} and {_plural(k, 'variant')} compared with it"
        previous = key

    # diagnoses and probe findings, per comparison
    diagnoses = _diagnoses(trials, names, summaries)
    diag_groups: list[dict[str, Any]] = []
    for d in diagnoses:
        key = group_of.get(d["variant"], baseline)
        if not diag_groups or diag_groups[-1]["key"] != key:
            diag_groups.append({"key": key, "title": "", "items": []})
        diag_groups[-1]["items"].append(d)
    if multi:
        for g in diag_groups:
            g["title"] = f"{g['key']} and the variants compared with it"
    findings = _findings(trials, names)
    quiet = [n for n in names if n not in {f["variant"] for f in findings}]
    probed = {
        str(t.get("variant"))
        for t in trials
        if isinstance(t.get("probes"), Mapping) and t.get("status", "done") == "done"
    }
    quiet = [n for n in quiet if n in probed]
    quiet_text = (
        f"the other {len(quiet)} variants" if len(quiet) > 6 else ", ".join(quiet) if quiet else ""
    )

    when = generated or datetime.now(timezone.utc)
    subtitle = " · ".join(
        x
        for x in (
            f"study {spec_map.get('name')}" if spec_map.get("name") else "",
            f"recipe {base_name}" if base_name else "",
            f"dataset {dataset}" if dataset else "",
            f"{label} vs {', '.join(r for r, _ in comparisons if r)}"
            if multi
            else f"{label} vs {baseline}",
        )
        if x
    )
    spec_yaml = yaml.dump(spec_plain, Dumper=_SpecDumper, sort_keys=False, allow_unicode=True)
    return {
        "title": title,
        "subtitle": subtitle,
        "lead": lead,
        "trials_line": trials_line,
        "cards": cards,
        "multi": multi,
        "role": role,
        "helped": helped,
        "seed_note": _seed_note(with_ref, refs, units, multi),
        "metric_label": label,
        "metric_unit": "%" if units.percent else "",
        "delta_unit": "points" if units.percent else "",
        "gap_unit": "points" if gap_units.scale == 100.0 else "",
        "rows": rows,
        "main_figures": main,
        "curve_figures": curves,
        "probe_figure": probes,
        "more_figures": more,
        "diagnoses": diagnoses,
        "diag_groups": diag_groups,
        "findings": findings,
        "quiet_probes": quiet_text,
        "failures": _failures(trials),
        "spec_yaml": spec_yaml,
        "meta_rows": meta_rows,
        "version": __version__,
        "generated": when.strftime("%Y-%m-%d %H:%M %Z").strip(),
        "generated_iso": when.isoformat(timespec="seconds"),
    }


# ---------------------------------------------------------------------------- markdown


def _md(text: Any) -> str:
    """Text that Markdown shows as written: specials escaped, ``<``/``>``/``&`` as entities."""
    s = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = re.sub(r"([\\`*_\[\]|~])", r"\\\1", s)
    s = re.sub(r"^([#+\-=])(?=\s|$)", r"\\\1", s)  # would start a heading or a list
    return re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", s).replace("\n", " ")


def _md_code(text: Any) -> str:
    """A Markdown code span that holds ``text`` whatever backticks it has."""
    s = str(text).replace("\n", " ").replace("|", "\\|")
    longest = max((len(m) for m in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def _md_ticks(text: Any) -> str:
    """Plain text whose `backticked` spans stay code spans, the rest escaped."""
    parts = re.split(r"(`[^`]+`)", str(text))
    return "".join(
        _md_code(p[1:-1]) if p.startswith("`") and p.endswith("`") and len(p) > 1 else _md(p)
        for p in parts
    )


def _markdown(ctx: Mapping[str, Any]) -> str:
    out: list[str] = [f"# {_md(ctx['title'])}", ""]
    if ctx["subtitle"]:
        out += [f"*{_md(ctx['subtitle'])}*", ""]
    out += [_md(ctx["lead"]), "", _md(ctx["trials_line"]), ""]
    for card in ctx["cards"]:
        name = f" ({_md(card['name'])})" if card["name"] else ""
        note = f" — {_md(card['note'])}" if card["note"] else ""
        out.append(f"- **{_md(card['label'])}**: {_md(card['value'])}{name}{note}")
    out += ["", "## What helped", ""]
    if not any(c["groups"] for c in ctx["helped"]):
        out += ["No variant was compared with the baseline.", ""]
    for c in ctx["helped"]:
        if ctx["multi"]:
            out += [f"### {_md(c['title'])}", ""]
        if c["ref_sentence"]:
            out += [f"*{ctx['role'].capitalize()}:* {_md(c['ref_sentence'])}", ""]
        for g in c["groups"]:
            out += [f"**{g['title']}**", ""]
            for item in g["items"]:
                gap = f" {_md(item['variant'])} {_md(item['gap'])}" if item["gap"] else ""
                out.append(f"- **{_md(item['variant'])}** {_md(item['text'])}{gap}")
            out.append("")
    if ctx["seed_note"]:
        out += [f"> {_md(ctx['seed_note'])}", ""]

    out += ["## Variants", ""]
    unit = f" ({ctx['metric_unit']})" if ctx["metric_unit"] else ""
    dunit = f" ({ctx['delta_unit']})" if ctx["delta_unit"] else ""
    gunit = f" ({ctx['gap_unit']})" if ctx["gap_unit"] else ""
    header = [
        "rank",
        "variant",
        "overrides",
        "n",
        f"{ctx['metric_label']}{unit} [95% CI]",
        f"Δ vs {'reference' if ctx['multi'] else 'baseline'}{dunit} [95% CI]",
        "p",
        f"gap{gunit} [95% CI]",
        "Δ gap [95% CI]",
        "time / trial",
        "verdicts",
        "failed",
    ]
    out.append("| " + " | ".join(_md(h) for h in header) + " |")
    align = ["---:", ":---", ":---"] + ["---:"] * (len(header) - 5) + [":---", "---:"]
    out.append("|" + "|".join(align) + "|")
    for r in ctx["rows"]:
        name = f"**{_md(r['variant'])}**" if r["baseline"] else _md(r["variant"])
        if r["baseline"] and ctx["multi"]:
            name += " (reference)"
        elif r["against"] and ctx["multi"]:
            name += f" (vs {_md(r['against'])})"
        over = ", ".join(_md_code(o) for o in r["overrides"])
        over = over or ("(base recipe)" if r["base_recipe"] else DASH)
        if r["description"]:
            over += f" — {_md(r['description'])}"
        cells = [
            r["rank"],
            name,
            over,
            r["n"],
            f"{r['mean']} {r['mean_ci']}".strip(),
            f"{r['diff']} {r['diff_ci']}".strip(),
            r["p"],
            f"{r['gap']} {r['gap_ci']}".strip(),
            f"{r['gap_diff']} {r['gap_diff_ci']}".strip(),
            r["seconds"],
            _md(r["verdicts"]),
            r["failed"],
        ]
        out.append("| " + " | ".join(str(c) for c in cells) + " |")  # cells are escaped
    out.append("")

    def figure(fig: Mapping[str, Any]) -> list[str]:
        lines = [f"### {_md(fig['title'])}", ""]
        lines.append(f"![{_md(fig['title'])}](<{fig['href']}>)")
        if fig["src"] is None:
            lines.append(f"*Figure not found: {_md(fig['missing'])}*")
        if fig["caption"]:
            lines += ["", f"*{_md(fig['caption'])}*"]
        return [*lines, ""]

    if ctx["main_figures"] or ctx["more_figures"]:
        out += ["## Figures", ""]
        for fig in ctx["main_figures"] + ctx["more_figures"]:
            out += figure(fig)

    out += ["## Learning curves and diagnosis", ""]
    for fig in ctx["curve_figures"]:
        out += figure(fig)
    if not ctx["diagnoses"]:
        out += ["No learning-curve verdicts were recorded.", ""]
    for d in ctx["diagnoses"]:
        out += [f"### {_md(d['variant'])}: {_md(d['verdict'])}", ""]
        out += [f"Verdicts over {d['total']} trials: {_md(d['counts'])}.", ""]
        if d["message"]:
            where = f"seed {d['seed']}" if d["seed"] is not None else "example"
            out += [f"Example ({_md(where)}): {_md_ticks(d['message'])}", ""]
        if d["remedies"] and d["repeat_of"]:
            out += [f"What to try: as for {_md(d['repeat_of'])} above.", ""]
        elif d["remedies"]:
            out += ["What to try:", ""] + [f"- {_md_ticks(r)}" for r in d["remedies"]] + [""]

    if ctx["probe_figure"] or ctx["findings"]:
        out += ["## Inside the network: layer probes", ""]
        if ctx["probe_figure"]:
            out += figure(ctx["probe_figure"])
        for f in ctx["findings"]:
            out += [f"### {_md(f['variant'])}", ""]
            for item in f["items"]:
                where = (
                    f"; numbers from seed {_md(item['example_seed'])}"
                    if item["example_seed"] is not None
                    else ""
                )
                out.append(
                    f"- {_md_ticks(item['text'])} ({item['count']} of {_seeds(item['of'])}{where})"
                )
            out.append("")
        if ctx["findings"] and ctx["quiet_probes"]:
            out += [f"No probe findings for {_md(ctx['quiet_probes'])}.", ""]

    if ctx["failures"]:
        out += ["## Failed trials", ""]
        for fail in ctx["failures"]:
            out += [f"### {_md(fail['variant'])}, seed {_md(fail['seed'])}", ""]
            fence = "~~~~" if "~~~" in fail["error"] else "~~~"
            out += [f"{fence}text", fail["error"], fence, ""]

    out += ["## Study definition", "", "~~~~yaml", ctx["spec_yaml"].rstrip("\n"), "~~~~", ""]
    meta = " · ".join(f"{_md(m['label'])}: {_md(m['value'])}" for m in ctx["meta_rows"])
    out += ["---", "", f"Generated by trainlab {_md(ctx['version'])} on {_md(ctx['generated'])}."]
    if meta:
        out += ["", meta]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------- public API


def render_study_report(
    *,
    title: str,
    spec: Mapping[str, Any],
    summaries: Sequence[Mapping[str, Any]],
    trials: Sequence[Mapping[str, Any]],
    metric: str,
    baseline: str,
    meta: Mapping[str, Any],
    figures: Mapping[str, Path],
    generated: datetime | None = None,
) -> str:
    """Render the study report as one self-contained HTML5 page.

    Sections: the headline (what was compared, on what data, with how many
    seeds, the wall time; with several comparisons, which variants against
    which reference), "What helped" in plain words, per comparison (see
    :func:`describe_effect` and :func:`describe_gap`) with a note on what few
    seeds can show, the variants table, the figures, the learning-curve
    verdicts per variant (the most common one, with an example message and its
    remedies), the layer-probe findings per variant (with how many seeds showed
    each), the failed trials with their errors, the study definition as YAML,
    and a footer with ``meta``. NaN and missing numbers show as "—".

    Args:
        title: the page's title.
        spec: the study definition (``name``, ``base``, ``variants`` → overrides
            or ``{"set": overrides, "against": …, "description": …}``,
            ``seeds``), shown as YAML.
        summaries: one dict per variant, in display order (``variant``, ``n``,
            ``failed``, ``mean``, ``lo``, ``hi``, ``diff``, ``gap``, ``gap_diff``,
            ``seconds``, ``verdicts``, ``rank``, ``effect``, ``against``: the
            reference it is compared with, None for a reference).
        trials: one dict per trial (``variant``, ``seed``, ``status``,
            ``metrics``, ``history``, ``diagnosis``, ``probes``, ``error``).
        metric: the compared metric's key, e.g. ``"test_acc"``.
        baseline: the baseline variant's name.
        meta: run facts for the footer (``version``, ``started``, ``finished``,
            ``workers``, ``executor``, ``wall_seconds``, ``machine``, …).
        figures: image files by key; the keys of :data:`FIGURES` get their own
            places, others go under "More figures". Embedded as ``data:`` URIs;
            a missing file is reported in the page instead.
        generated: the time printed in the footer (default: now, UTC).

    Returns:
        The HTML text.

    Example:
        >>> rows = [{"variant": "<b>", "n": 1, "mean": 0.5, "lo": float("nan"),
        ...          "hi": float("nan"), "diff": None, "effect": "baseline"}]
        >>> page = render_study_report(title="t", spec={}, summaries=rows, trials=[],
        ...     metric="test_acc", baseline="<b>", meta={}, figures={})
        >>> "&lt;b&gt;" in page and "<b>" not in page
        True
    """
    ctx = _context(
        title=title,
        spec=spec,
        summaries=summaries,
        trials=trials,
        metric=metric,
        baseline=baseline,
        meta=meta,
        figures=figures,
        base=None,
        generated=generated,
    )
    return _environment().get_template(TEMPLATE).render(ctx)


def render_study_markdown(
    *,
    title: str,
    spec: Mapping[str, Any],
    summaries: Sequence[Mapping[str, Any]],
    trials: Sequence[Mapping[str, Any]],
    metric: str,
    baseline: str,
    meta: Mapping[str, Any],
    figures: Mapping[str, Path],
    base: Path | None = None,
    generated: datetime | None = None,
) -> str:
    """Render the study report as Markdown (CommonMark with GitHub tables).

    The same content as :func:`render_study_report`; figures are linked, not
    embedded: by their path relative to ``base`` (the folder the Markdown file
    will be in), else by their path as given when it is relative, else by file
    name. Names and messages are escaped, so a variant called
    ``<script>`` shows as text.

    Args:
        title: the report's title.
        spec: the study definition.
        summaries: one dict per variant, in display order.
        trials: one dict per trial.
        metric: the compared metric's key.
        baseline: the baseline variant's name.
        meta: run facts for the footer.
        figures: image files by key.
        base: the folder that figure links are relative to.
        generated: the time printed at the end (default: now, UTC).

    Returns:
        The Markdown text.

    Example:
        >>> rows = [{"variant": "base", "n": 3, "mean": 0.9, "lo": 0.88, "hi": 0.92,
        ...          "diff": None, "effect": "baseline"}]
        >>> md = render_study_markdown(title="demo", spec={"seeds": [0, 1, 2]},
        ...     summaries=rows, trials=[], metric="test_acc", baseline="base", meta={},
        ...     figures={"metric": Path("figures/metric.png")})
        >>> "](<figures/metric.png>)" in md and "90.0%" in md
        True
    """
    ctx = _context(
        title=title,
        spec=spec,
        summaries=summaries,
        trials=trials,
        metric=metric,
        baseline=baseline,
        meta=meta,
        figures=figures,
        base=base,
        generated=generated,
    )
    return _markdown(ctx)


def make_study_figures(
    folder: Path,
    *,
    summaries: Sequence[Mapping[str, Any]],
    trials: Sequence[Mapping[str, Any]],
    metric: str,
    baseline: str,
) -> dict[str, Path]:
    """Draw every study figure as a PNG in ``folder``; returns them by key.

    Always the metric bars (``metric.png``), the differences
    (``differences.png``) and the gap (``gap.png``); the validation curves
    (``curves_val_loss.png``, ``curves_val_acc.png``) when some finished trial
    recorded them; the layer probes (``probes.png``) when some trial has
    probes. Each variant is drawn against its own reference (its ``against``;
    default: the baseline), so a study with several comparisons reads as such.

    Args:
        folder: where to write (created).
        summaries: one dict per variant, in display order.
        trials: one dict per trial.
        metric: the compared metric's key.
        baseline: the baseline's name.

    Returns:
        Figure key → PNG path, in report order.

    Example:
        >>> import tempfile
        >>> rows = [{"variant": "base", "mean": 0.9, "lo": 0.88, "hi": 0.92, "diff": None,
        ...          "effect": "baseline", "gap": {"mean": 0.02, "lo": 0.01, "hi": 0.03}}]
        >>> sorted(make_study_figures(Path(tempfile.mkdtemp()), summaries=rows, trials=[],
        ...        metric="test_acc", baseline="base"))
        ['differences', 'gap', 'metric']
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    order = [str(s.get("variant")) for s in summaries]
    refs = references(summaries, baseline)
    out = {
        "metric": plot_metric_bars(
            summaries,
            metric,
            folder / "metric.png",
            baseline=baseline,
            points=seed_points(trials, metric),
        ),
        "differences": plot_differences(
            summaries, folder / "differences.png", metric=metric, baseline=baseline
        ),
        "gap": plot_gap_bars(
            summaries,
            folder / "gap.png",
            baseline=baseline,
            scale=_accuracy_scale(summaries, trials),
        ),
    }
    done = [t for t in trials if t.get("status", "done") == "done"]
    for key in ("val_loss", "val_acc"):
        if any(math.isfinite(_f(row.get(key))) for t in done for row in t.get("history") or []):
            out[f"curves_{key}"] = plot_variant_curves(
                trials,
                folder / f"curves_{key}.png",
                key=key,
                baseline=baseline,
                order=order,
                references=refs,
            )
    if any(isinstance(t.get("probes"), Mapping) and t["probes"].get("records") for t in done):
        probe_order = order + [
            n for n in dict.fromkeys(str(t.get("variant")) for t in trials) if n not in order
        ]
        out["probes"] = plot_layer_probes(
            trials,
            folder / "probes.png",
            variants=probe_order,
            baseline=baseline,
            references=refs,
        )
    return out


def write_study_report(
    folder: Path,
    *,
    title: str,
    spec: Mapping[str, Any],
    summaries: Sequence[Mapping[str, Any]],
    trials: Sequence[Mapping[str, Any]],
    metric: str,
    baseline: str,
    meta: Mapping[str, Any],
) -> tuple[Path, Path]:
    """Draw the figures and write ``report.html`` and ``report.md`` into ``folder``.

    Figures go to ``folder / "figures"`` (see :func:`make_study_figures`); both
    pages are rendered first, then each is written to a temporary file and
    moved into place with :func:`os.replace`, so a reader never sees half a
    page and a failure leaves any previous report intact.

    Args:
        folder: the report folder (created).
        title: the report's title.
        spec: the study definition.
        summaries: one dict per variant, in display order.
        trials: one dict per trial.
        metric: the compared metric's key.
        baseline: the baseline variant's name.
        meta: run facts for the footer.

    Returns:
        The paths of ``report.html`` and ``report.md``.

    Example:
        >>> import tempfile
        >>> rows = [{"variant": "base", "n": 2, "mean": 0.9, "lo": 0.8, "hi": 1.0,
        ...          "diff": None, "effect": "baseline"}]
        >>> html, md = write_study_report(Path(tempfile.mkdtemp()), title="demo", spec={},
        ...     summaries=rows, trials=[], metric="test_acc", baseline="base", meta={})
        >>> html.name, md.name, (md.parent / "figures" / "metric.png").is_file()
        ('report.html', 'report.md', True)
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    figures = make_study_figures(
        folder / "figures", summaries=summaries, trials=trials, metric=metric, baseline=baseline
    )
    kwargs: dict[str, Any] = {
        "title": title,
        "spec": spec,
        "summaries": summaries,
        "trials": trials,
        "metric": metric,
        "baseline": baseline,
        "meta": meta,
        "figures": figures,
    }
    when = datetime.now(timezone.utc)
    html = render_study_report(**kwargs, generated=when)
    md = render_study_markdown(**kwargs, base=folder, generated=when)
    return (
        write_text_atomic(folder / "report.html", html),
        write_text_atomic(folder / "report.md", md),
    )
