"""One self-contained HTML page per training run.

The page answers, for one run, the questions the lecture's *Sobreajuste* slide
asks of a learning curve: how well does the model do on data it never saw
(test accuracy, large), how far apart are training and validation (the
generalization gap), and what is the verdict on the curves (see
:mod:`trainlab.engine.diagnose.curves`) with the strategies that address it. Below
come the figures, the per-epoch history, the data, the ensemble members and
the recipe that produced it all, so the page alone is enough to reproduce and
to discuss the run.

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

import math
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from trainlab import __version__
from trainlab.core.atomic import write_text_atomic
from trainlab.engine.diagnose.curves import Diagnosis, generalization_gap
from trainlab.engine.diagnose.messages import Lang
from trainlab.report.format import (
    DASH,
    accuracy,
    as_fraction,
    first_finite,
    gap_points,
    learning_rate,
    loss,
    optional_number,
    seconds,
    summary_value,
)
from trainlab.report.pages import data_uri, html_environment, plain, slug
from trainlab.report.run_text import run_text

TEMPLATE = "run.html"

#: figures with a section of their own, matched by the start of the key, ignoring case and
#: punctuation ("learning_curves", "Learning curves", "confusion_matrix", "Confusion matrix
#: (test)"); any other key goes under "More figures", with the key as its caption
FIGURE_SECTIONS = {"learning_curves": "Learning curves", "confusion_matrix": "Confusion matrix"}

#: the caption the run workflow gives its confusion matrix, worded in the page's language
CONFUSION_TEST = "Confusion matrix (test)"

#: history columns shown in the table, in this order (their headings: ``col_<key>``)
_HISTORY_COLUMNS = ("epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr", "seconds")

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


def _headline(
    metrics: Mapping[str, Any], history: Sequence[Mapping[str, Any]], t: Mapping[str, str]
) -> tuple[dict[str, str], list[dict[str, str]]]:
    test_acc = as_fraction(metrics.get("test_acc"))
    notes = []
    if metrics.get("test_loss") is not None:
        notes.append(t["test_loss"].format(loss=loss(metrics["test_loss"])))
    if metrics.get("members"):
        notes.append(t["ensemble"].format(n=len(metrics["members"])))
    hero = {
        "label": t["hero"],
        "value": DASH if test_acc is None else f"{100 * test_acc:.1f}%",
        "note": " · ".join(notes) if notes else (t["no_test"] if test_acc is None else ""),
    }

    cards = [
        {"label": t["card_val"], "value": accuracy(_val_acc(metrics, history)), "note": ""},
        *_train_cards(metrics, history, t),
    ]
    epochs = metrics.get("epochs_run", len(history))
    best = metrics.get("best_epoch")
    took = metrics.get("seconds")
    if took is None and history:
        took = sum(optional_number(r.get("seconds")) or 0.0 for r in history) or None
    cards += [
        {
            "label": t["card_epochs"],
            "value": summary_value("epochs", epochs),
            "note": "" if best is None else t["card_best"].format(epoch=best),
        },
        {"label": t["card_time"], "value": seconds(took), "note": ""},
    ]
    return hero, cards


def _val_acc(metrics: Mapping[str, Any], history: Sequence[Mapping[str, Any]]) -> float | None:
    last = history[-1] if history else {}
    return as_fraction(first_finite(metrics.get("val_acc"), last.get("val_acc")))


def _train_cards(
    metrics: Mapping[str, Any], history: Sequence[Mapping[str, Any]], t: Mapping[str, str]
) -> list[dict[str, str]]:
    """The training accuracies, each named (the final weights', the running one of the last
    epoch), and the gap, computed from the one its label names."""
    final = as_fraction(metrics.get("train_acc"))
    recorded = [r for r in history if optional_number(r.get("train_acc")) is not None]
    last = recorded[-1] if recorded else None
    running = None if last is None else as_fraction(last.get("train_acc"))
    cards = []
    if final is not None:
        cards.append({"label": t["card_train_final"], "value": accuracy(final), "note": ""})
    if running is not None:
        epoch = summary_value("epoch", last.get("epoch", len(history)))  # type: ignore[union-attr]
        note = t["card_train_running_note"].format(epoch=epoch)
        cards.append({"label": t["card_train_running"], "value": accuracy(running), "note": note})
    test_acc = as_fraction(metrics.get("test_acc"))
    val_acc = _val_acc(metrics, history)
    if final is not None and test_acc is not None and metrics.get("gap") is not None:
        gap, label, note = as_fraction(metrics["gap"]), "card_gap_test", "card_gap_note"
    elif final is not None and val_acc is not None:
        gap, label, note = final - val_acc, "card_gap_val", "card_gap_note"
    elif running is not None and val_acc is not None:
        gap, label, note = running - val_acc, "card_gap_running", "card_gap_running_note"
    else:
        g = generalization_gap(history) if history else math.nan
        gap = g if math.isfinite(g) else None
        label, note = "card_gap_running", "card_gap_running_note"
    if final is None and running is None:
        cards.append({"label": t["card_train_final"], "value": DASH, "note": ""})
    value = DASH if gap is None else gap_points(gap)
    cards.append({"label": t[label], "value": value, "note": t[note]})
    return cards


def _history_table(
    history: Sequence[Mapping[str, Any]], marks: set[int], t: Mapping[str, str]
) -> tuple[list[str], list[dict[str, Any]]]:
    keys = [k for k in _HISTORY_COLUMNS if any(k in r for r in history)]
    fmt = {
        "epoch": lambda v: summary_value("epoch", v),
        "train_loss": loss,
        "val_loss": loss,
        "train_acc": accuracy,
        "val_acc": accuracy,
        "lr": learning_rate,
        "seconds": lambda v: DASH if optional_number(v) is None else f"{optional_number(v):.1f}",
    }
    rows = []
    for i, r in enumerate(history):
        epoch = r.get("epoch", i + 1)
        rows.append(
            {
                "cells": [fmt[k](r.get(k)) for k in keys],
                "marked": optional_number(epoch) in marks,
            }
        )
    return [t[f"col_{k}"] for k in keys], rows


def _data_rows(summary: Mapping[str, Any] | None, t: Mapping[str, str]) -> list[dict[str, str]]:
    if not summary:
        return []
    ordered = [k for k in _DATA_LABELS if k in summary]
    ordered += [k for k in summary if k not in _DATA_LABELS]
    rows = []
    for k in ordered:
        v = summary[k]
        text = summary_value(k, v)
        if k == "classes" and isinstance(v, (list, tuple)):
            text = f"{len(v)}: {text}"
        label = t[_DATA_LABELS[k]] if k in _DATA_LABELS else k.replace("_", " ").capitalize()
        rows.append({"label": label, "value": text})
    return rows


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


def _metric_rows(metrics: Mapping[str, Any]) -> list[dict[str, str]]:
    """Every scalar final metric, by its key, as in ``metrics.json``."""
    return [
        {"label": str(k), "value": summary_value(str(k), v)}
        for k, v in metrics.items()
        if v is None or isinstance(v, (bool, int, float, str)) or optional_number(v) is not None
    ]


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
) -> str:
    """Render the run report as one self-contained HTML5 page.

    Args:
        title: the page's title (e.g. the run's name).
        recipe: the recipe as a dict (a pydantic ``Recipe`` is accepted too),
            shown as YAML.
        metrics: final metrics: ``test_acc``, ``test_loss``, ``val_acc``,
            ``train_acc``, ``epochs_run``, ``best_epoch``, ``seconds`` and
            optionally ``members`` (one dict per ensemble member); any may be
            missing.
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
    hero, cards = _headline(metrics, history, t)
    marks = _marked_epochs(metrics, diagnosis)
    columns, rows = _history_table(history, marks, t)
    known, others = _figures(figures, t)
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
        "learning_curves": known.get("learning_curves"),
        "confusion_matrix": known.get("confusion_matrix"),
        "other_figures": others,
        "history_columns": columns,
        "history_rows": rows,
        "marked_epochs": marked,
        "marked_note": t["highlighted"].format(epochs=t["and"].join(map(str, marked))),
        "data_rows": _data_rows(data_summary, t),
        "member_header": member_header,
        "member_rows": member_rows,
        "metric_rows": _metric_rows(metrics),
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
