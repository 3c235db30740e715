"""One self-contained HTML page per training run.

The page answers, for one run, the questions the lecture's *Sobreajuste* slide
asks of a learning curve: how well does the model do on data it never saw
(the task's main metric on the test split, large: accuracy, RMSE for a
regression, the main target's for multitask learning; see
:mod:`trainlab.report.run_metrics`), how far apart are training and validation
(the generalization gap, in that metric), and what is the verdict on the curves (see
:mod:`trainlab.engine.diagnose.curves`) with the strategies that address it. Below
come the figures, the per-epoch history, the data, the ensemble members and
the recipe that produced it all, so the page alone is enough to reproduce and
to discuss the run. A regression or multitask run also lists its metrics by split
(and target), and has no confusion matrix.

Self-contained means one file: figures are embedded as base64 ``data:`` URIs
(RFC 2397), the CSS is inline, there is no JavaScript and nothing is fetched
from the network, so the page can be mailed, archived or printed. The
template is rendered by Jinja2 with autoescaping on, so names that come from
users (titles, class names, recipe values) cannot inject markup.

Example:
    >>> from trainlab.engine.diagnose import diagnose
    >>> from trainlab.report.html import render_run_report
    >>> history = [{"epoch": 1, "train_loss": 0.5, "train_acc": 0.8}]
    >>> page = render_run_report(title="demo", recipe={"name": "demo"},
    ...     metrics={"test_acc": 0.81}, history=history, diagnosis=diagnose(history),
    ...     figures={})
    >>> page.startswith("<!DOCTYPE html>"), "81.0%" in page
    (True, True)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from trainlab import __version__
from trainlab.core.atomic import write_text_atomic
from trainlab.engine.diagnose.curves import Diagnosis
from trainlab.engine.diagnose.messages import Lang
from trainlab.report.format import (
    DASH,
    learning_rate,
    loss,
    optional_number,
    summary_value,
)
from trainlab.report.pages import data_uri, html_environment, plain, slug
from trainlab.report.run_cards import headline
from trainlab.report.run_metrics import RunMetric, infer_primary, split_rows
from trainlab.report.run_text import run_text
from trainlab.report.text_examples import TextExamples, examples_context

TEMPLATE = "run.html"

#: figures with a section of their own, matched by the start of the key, ignoring case and
#: punctuation ("learning_curves", "Learning curves", "confusion_matrix", "Confusion matrix
#: (test)"); any other key goes under "More figures", with the key as its caption
FIGURE_SECTIONS = {"learning_curves": "Learning curves", "confusion_matrix": "Confusion matrix"}

#: the caption the run workflow gives its confusion matrix, worded in the page's language
CONFUSION_TEST = "Confusion matrix (test)"

#: data-summary keys shown first, with the ids of their labels
_DATA_LABELS = {
    "dataset": "data_dataset",
    "name": "data_name",
    "task": "data_task",
    "n_train": "data_train",
    "train": "data_train",
    "train_size": "data_train",
    "n_val": "data_val",
    "val": "data_val",
    "val_size": "data_val",
    "n_test": "data_test",
    "test": "data_test",
    "test_size": "data_test",
    "num_classes": "data_classes_n",
    "n_classes": "data_classes_n",
    "classes": "data_classes",
    "input_shape": "data_shape",
    "shape": "data_shape",
    "targets": "data_targets",
}


# ---------------------------------------------------------------------------- sections


def _figure(key: str, path: Path | str) -> dict[str, Any]:
    p = Path(path)
    title = key.replace("_", " ")
    title = title[:1].upper() + title[1:]
    if not p.is_file():
        return {"key": key, "title": title, "caption": "", "src": None, "missing": str(p)}
    return {"key": key, "title": title, "caption": "", "src": data_uri(p), "missing": None}


def _section_of(key: str) -> str | None:
    """The figure section of a key: "learning_curves", "Learning curves" → learning_curves."""
    name = re.sub(r"[^a-z0-9]+", "_", key.lower()).strip("_")
    if name.startswith(("learning_curve", "curves", "loss_curves")):
        return "learning_curves"
    if name.startswith("confusion"):
        return "confusion_matrix"
    return None


def _figures(
    figures: Mapping[str, Path], t: Mapping[str, str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Figures with a section of their own (first match per section), and the others."""
    known: dict[str, Any] = {}
    others = []
    for key, path in figures.items():
        section = _section_of(str(key))
        fig = _figure(str(key), path)
        if section is not None and section not in known:
            same = fig["title"].lower() == FIGURE_SECTIONS[section].lower()
            fig["caption"] = "" if same else fig["title"]
            if section == "confusion_matrix" and fig["caption"] == CONFUSION_TEST:
                fig["caption"] = t["caption_confusion_test"]
            known[section] = fig
        else:
            others.append(fig)
    return known, others


def _history_table(
    history: Sequence[Mapping[str, Any]],
    marks: set[int],
    t: Mapping[str, str],
    m: RunMetric,
    lang: Lang,
) -> tuple[list[str], list[dict[str, Any]]]:
    train, val = f"train_{m.key}", f"val_{m.key}"
    columns = ("epoch", "train_loss", train, "val_loss", val, "lr", "seconds")
    keys = [k for k in columns if any(k in r for r in history)]
    fmt = {
        "epoch": lambda v: summary_value("epoch", v),
        "train_loss": loss,
        "val_loss": loss,
        train: m.text,
        val: m.text,
        "lr": learning_rate,
        "seconds": lambda v: DASH if optional_number(v) is None else f"{optional_number(v):.1f}",
    }
    headings = {k: t.get(f"col_{k}", "") for k in columns}
    if m.key != "acc":
        headings[train] = t["col_train_metric"].format(metric=m.name(lang))
        headings[val] = t["col_val_metric"].format(metric=m.name(lang))
    rows = []
    for i, r in enumerate(history):
        epoch = r.get("epoch", i + 1)
        rows.append(
            {
                "cells": [fmt[k](r.get(k)) for k in keys],
                "marked": optional_number(epoch) in marks,
            }
        )
    return [headings[k] for k in keys], rows


def _data_rows(summary: Mapping[str, Any] | None, t: Mapping[str, str]) -> list[dict[str, str]]:
    if not summary:
        return []
    ordered = [k for k in _DATA_LABELS if k in summary]
    ordered += [k for k in summary if k not in _DATA_LABELS]
    rows = []
    for k in ordered:
        v = summary[k]
        if k == "classes" and isinstance(v, (list, tuple)) and not v:
            continue  # no classes: a regression target
        text = summary_value(k, v)
        if k == "classes" and isinstance(v, (list, tuple)):
            text = f"{len(v)}: {text}"
        if k == "targets" and isinstance(v, (list, tuple)):
            text = _targets_text(v)
        label = t[_DATA_LABELS[k]] if k in _DATA_LABELS else k.replace("_", " ").capitalize()
        rows.append({"label": label, "value": text})
    return rows


def _targets_text(targets: Sequence[Any]) -> str:
    """The learned targets: ``digit (classification), size (regression)``."""
    parts = []
    for target in targets:
        if isinstance(target, Mapping) and "name" in target:
            kind = target.get("kind")
            parts.append(f"{target['name']} ({kind})" if kind else str(target["name"]))
        else:
            parts.append(str(target))
    return ", ".join(parts) if parts else DASH


def _members(metrics: Mapping[str, Any], t: Mapping[str, str]) -> tuple[list[str], list[list[str]]]:
    members = metrics.get("members") or []
    members = [m for m in members if isinstance(m, Mapping)]
    if not members:
        return [], []
    keys: list[str] = []
    for m in members:
        keys += [str(k) for k in m if str(k) not in keys]
    numbered = "member" not in keys
    header = ([t["member"]] if numbered else []) + [k.replace("_", " ") for k in keys]
    rows = [
        ([str(i + 1)] if numbered else []) + [summary_value(k, m.get(k)) for k in keys]
        for i, m in enumerate(members)
    ]
    return header, rows


def _metric_rows(metrics: Mapping[str, Any], m: RunMetric) -> list[dict[str, str]]:
    """Every scalar final metric, by its key, as in ``metrics.json`` (the gap in ``m``'s units)."""
    rows = []
    for k, v in metrics.items():
        if not (
            v is None or isinstance(v, (bool, int, float, str)) or optional_number(v) is not None
        ):
            continue
        gap = optional_number(v) if str(k) == "gap" and not m.accuracy else None
        text = m.gap_text(gap) if gap is not None else summary_value(str(k), v)
        rows.append({"label": str(k), "value": text})
    return rows


def _split_table(
    metrics: Mapping[str, Any], m: RunMetric, t: Mapping[str, str], lang: Lang
) -> dict[str, Any] | None:
    """The final metrics by split (and target), for a task whose metrics are not a single
    classification's loss and accuracy; None for such a classification."""
    if m.key == "acc":
        return None
    rows = split_rows(metrics, lang)
    if not rows:
        return None
    multitask = any(r["target"] is not None for r in rows)
    header = [t["col_target"]] if multitask else []
    header += [t["col_metric"], t["split_train"], t["split_val"], t["split_test"]]
    body = [
        ([r["target"] or t["target_all"]] if multitask else []) + [r["metric"], *r["cells"]]
        for r in rows
    ]
    return {"header": header, "rows": body}


def _subtitle(recipe: Mapping[str, Any], t: Mapping[str, str]) -> str:
    parts = []
    data, model = recipe.get("data"), recipe.get("model")
    if isinstance(data, Mapping) and data.get("dataset"):
        parts.append(t["subtitle_dataset"].format(name=data["dataset"]))
    if isinstance(model, Mapping) and model.get("name"):
        parts.append(t["subtitle_model"].format(name=model["name"]))
    if recipe.get("name"):
        parts.append(t["subtitle_recipe"].format(name=recipe["name"]))
    if recipe.get("seed") is not None:
        parts.append(t["subtitle_seed"].format(seed=recipe["seed"]))
    return " · ".join(parts)


# ---------------------------------------------------------------------------- public API


def _figure_context(figures: Mapping[str, Path], t: dict, m: RunMetric, lang: Lang) -> dict:
    """The page's figures: the learning curves, the confusion matrix, the others."""
    known, others = _figures(figures, t)
    alt = t["alt_curves"] if m.key == "acc" else t["alt_curves_metric"].format(metric=m.name(lang))
    return {
        "learning_curves": known.get("learning_curves"),
        "alt_curves": alt,
        "confusion_matrix": known.get("confusion_matrix"),
        "show_confusion": m.key == "acc" or "confusion_matrix" in known,
        "other_figures": others,
    }


def render_run_report(
    *,
    title: str,
    recipe: Mapping[str, Any],
    metrics: Mapping[str, Any],
    history: Sequence[Mapping[str, Any]],
    diagnosis: Diagnosis,
    figures: Mapping[str, Path],
    data_summary: Mapping[str, Any] | None = None,
    generated: datetime | None = None,
    lang: Lang = "en",
    primary: str | None = None,
    text_examples: TextExamples | None = None,
) -> str:
    """Render the run report as one self-contained HTML5 page.

    Args:
        title: the page's title (e.g. the run's name).
        recipe: the recipe as a dict (a pydantic ``Recipe`` is accepted too),
            shown as YAML.
        metrics: final metrics: ``test_acc``, ``test_loss``, ``val_acc``,
            ``train_acc`` (the task's metrics: ``test_rmse``, ``test_digit_acc``, …),
            ``gap``, ``epochs_run``, ``best_epoch``, ``seconds`` and optionally
            ``members`` (one dict per ensemble member); any may be missing.
        history: one dict per epoch (``epoch``, ``train_loss``, ``train_acc``,
            ``val_loss``, ``val_acc``, ``lr``, ``seconds``).
        diagnosis: the verdict on the curves, from
            :func:`trainlab.engine.diagnose.diagnose`.
        figures: image files by name; ``learning_curves`` and
            ``confusion_matrix`` get their own sections, other names go under
            "More figures". Each is embedded as a base64 ``data:`` URI; a
            missing file is reported in the page instead.
        data_summary: the data (``dataset``, ``n_train``, ``n_val``,
            ``n_test``, ``classes``, ``input_shape``, …), or None.
        generated: the time printed in the footer (default: now, UTC).
        lang: the page's language, ``"en"`` or ``"es"``.
        primary: the task's main metric (``acc``, ``rmse``, ``digit_acc``), which the
            headline, the gap and the history table show (default: read from the
            metrics' names, :func:`~trainlab.report.run_metrics.infer_primary`). A
            task other than a single classification also gets its metrics by split
            (and target), and no confusion-matrix section unless given the figure.
        text_examples: a text run's examples (test texts predicted right and wrong,
            augmented training texts; :mod:`~trainlab.report.text_examples`), shown in
            a section of their own; None: no such section.

    Returns:
        The HTML text.

    Example:
        >>> from trainlab.engine.diagnose import diagnose
        >>> h = [{"epoch": 1, "train_loss": 0.4}, {"epoch": 2, "train_loss": 0.3}]
        >>> html = render_run_report(title="<b>", recipe={}, metrics={}, history=h,
        ...     diagnosis=diagnose(h), figures={})
        >>> "&lt;b&gt;" in html and "<b>" not in html
        True
    """
    recipe_plain = plain(recipe) if recipe is not None else {}
    t = run_text(lang)
    m = RunMetric(primary if primary is not None else infer_primary(metrics, history))
    hero, cards = headline(metrics, history, t, m, lang)
    marks = _marked_epochs(metrics, diagnosis)
    columns, rows = _history_table(history, marks, t, m, lang)
    member_header, member_rows = _members(metrics, t)
    marked = sorted(int(m) for m in marks)
    context = {
        "t": t,
        "lang": lang,
        "title": title,
        "subtitle": _subtitle(recipe_plain, t) if isinstance(recipe_plain, Mapping) else "",
        "hero": hero,
        "cards": cards,
        **_diagnosis_context(diagnosis, lang),
        **_figure_context(figures, t, m, lang),
        "examples": examples_context(text_examples, lang),
        "history_columns": columns,
        "history_rows": rows,
        "marked_epochs": marked,
        "marked_note": t["highlighted"].format(epochs=t["and"].join(map(str, marked))),
        "data_rows": _data_rows(data_summary, t),
        "member_header": member_header,
        "member_rows": member_rows,
        "metric_rows": _metric_rows(metrics, m),
        "split_table": _split_table(metrics, m, t, lang),
        "recipe_yaml": yaml.safe_dump(recipe_plain, sort_keys=False, allow_unicode=True),
        **_footer_context(generated or datetime.now(timezone.utc), t),
    }
    return html_environment().get_template(TEMPLATE).render(context)


def _marked_epochs(metrics: Mapping[str, Any], diagnosis: Diagnosis) -> set[float]:
    """The epochs the history table highlights: the best one, and where the verdict set in."""
    found = (optional_number(metrics.get("best_epoch")), optional_number(diagnosis.epoch))
    return {m for m in found if m}


def _diagnosis_context(diagnosis: Diagnosis, lang: Lang) -> dict[str, Any]:
    """The verdict section's fields, worded in ``lang``."""
    return {
        "verdict": diagnosis.verdict_in(lang),
        "verdict_slug": slug(diagnosis.verdict),
        "verdict_epoch": diagnosis.epoch,
        "message": diagnosis.message_in(lang),
        "remedies": diagnosis.remedies_in(lang),
        "warnings": diagnosis.warnings_in(lang),
        "rule": diagnosis.rule_in(lang),
    }


def _footer_context(when: datetime, t: Mapping[str, str]) -> dict[str, Any]:
    """The footer's version and time stamp."""
    return {
        "version": __version__,
        "generated_words": t["generated"].format(version=__version__),
        "generated": when.strftime("%Y-%m-%d %H:%M %Z").strip(),
        "generated_iso": when.isoformat(timespec="seconds"),
    }


def write_run_report(path: Path, **kwargs: Any) -> Path:
    """Render the run report and write it to ``path`` atomically.

    The page is written to a temporary file in the same folder, then moved
    over ``path`` with :func:`os.replace`, so a reader never sees half a page
    and a failure leaves any previous report intact.

    Args:
        path: the HTML file to write (folders are created).
        **kwargs: the arguments of :func:`render_run_report`.

    Returns:
        ``path``.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from trainlab.engine.diagnose import diagnose
        >>> h = [{"epoch": 1, "train_loss": 0.4}]
        >>> out = write_run_report(Path(tempfile.mkdtemp()) / "report.html", title="demo",
        ...     recipe={}, metrics={}, history=h, diagnosis=diagnose(h), figures={})
        >>> out.read_text(encoding="utf-8").rstrip().endswith("</html>")
        True
    """
    return write_text_atomic(Path(path), render_run_report(**kwargs))
