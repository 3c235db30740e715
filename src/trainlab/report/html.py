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

import base64
import math
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from trainlab import __version__
from trainlab.core.atomic import write_text_atomic
from trainlab.engine.diagnose.curves import Diagnosis, generalization_gap

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "run.html"

#: figures with a section of their own, matched by the start of the key, ignoring case and
#: punctuation ("learning_curves", "Learning curves", "confusion_matrix", "Confusion matrix
#: (test)"); any other key goes under "More figures", with the key as its caption
FIGURE_SECTIONS = {"learning_curves": "Learning curves", "confusion_matrix": "Confusion matrix"}

_MIME = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}

#: history columns shown in the table, in this order, with their headings
_HISTORY_COLUMNS = {
    "epoch": "epoch",
    "train_loss": "train loss",
    "train_acc": "train acc",
    "val_loss": "val loss",
    "val_acc": "val acc",
    "lr": "learning rate",
    "seconds": "seconds",
}

#: data-summary keys shown first, with their labels
_DATA_LABELS = {
    "dataset": "Dataset",
    "name": "Name",
    "task": "Task",
    "n_train": "Training examples",
    "train": "Training examples",
    "train_size": "Training examples",
    "n_val": "Validation examples",
    "val": "Validation examples",
    "val_size": "Validation examples",
    "n_test": "Test examples",
    "test": "Test examples",
    "test_size": "Test examples",
    "num_classes": "Number of classes",
    "n_classes": "Number of classes",
    "classes": "Classes",
    "input_shape": "Input shape",
    "shape": "Input shape",
}

_MAX_LISTED = 40


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["code"] = _code
    return env


def _code(text: Any) -> Markup:
    """Escape ``text`` and turn its `backticked` spans into ``<code>`` elements."""
    escaped = str(escape(str(text)))
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped))


# ---------------------------------------------------------------------------- formatting


def _number(v: Any) -> float | None:
    """``v`` as a float, or None when it is missing, not a number, or a bool."""
    if v is None or isinstance(v, (bool, str, bytes)):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _fmt_acc(v: Any) -> str:
    x = _number(v)
    if x is None:
        return "—"
    if not math.isfinite(x):
        return "NaN" if math.isnan(x) else str(x)
    return f"{x if x > 1.5 else 100 * x:.2f}%"


def _fmt_loss(v: Any) -> str:
    x = _number(v)
    if x is None:
        return "—"
    if not math.isfinite(x):
        return "NaN" if math.isnan(x) else ("∞" if x > 0 else "−∞")
    return f"{x:.4f}" if x == 0 or 1e-3 <= abs(x) < 1e4 else f"{x:.3e}"


def _fmt_lr(v: Any) -> str:
    x = _number(v)
    return "—" if x is None else f"{x:.3g}"


def _fmt_seconds(v: Any) -> str:
    x = _number(v)
    if x is None or not math.isfinite(x):
        return "—"
    if x < 59.95:
        return f"{x:.1f} s"
    if x < 3570:
        minutes, seconds = divmod(round(x), 60)
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(round(x / 60), 60)
    return f"{hours} h {minutes:02d} min"


def _fmt_value(key: str, v: Any) -> str:
    """A value of the data summary or of an ensemble member, by what its key says it is."""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (list, tuple)):
        if not v:
            return "—"
        if "shape" in key and all(isinstance(i, int) for i in v):
            return " × ".join(str(i) for i in v)
        shown = ", ".join(str(i) for i in v[:_MAX_LISTED])
        more = f", … ({len(v) - _MAX_LISTED} more)" if len(v) > _MAX_LISTED else ""
        return f"{shown}{more}"
    if isinstance(v, Mapping):
        return ", ".join(f"{k}: {_fmt_value(str(k), i)}" for k, i in v.items())
    x = _number(v)
    if x is None:
        return "—" if v is None else str(v)
    k = key.lower()
    if k == "gap" or k.endswith("_gap"):
        return f"{100 * x:+.1f} pts"
    if "acc" in k:
        return _fmt_acc(x)
    if "loss" in k:
        return _fmt_loss(x)
    if k in ("seconds", "time") or k.endswith("_seconds"):
        return _fmt_seconds(x)
    if k == "lr" or k.endswith("_lr"):
        return _fmt_lr(x)
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:.4g}"


def _first(*values: Any) -> Any:
    """The first value that is a finite number, else None."""
    for v in values:
        x = _number(v)
        if x is not None and math.isfinite(x):
            return x
    return None


def _as_fraction(v: Any) -> float | None:
    x = _number(v)
    if x is None or not math.isfinite(x):
        return None
    return x / 100 if x > 1.5 else x


def _plain(obj: Any) -> Any:
    """Recipe values as YAML-safe Python values (models, paths, numpy scalars, tuples)."""
    if hasattr(obj, "model_dump"):
        return _plain(obj.model_dump(mode="json"))
    if isinstance(obj, Mapping):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [_plain(v) for v in obj]
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if hasattr(obj, "item"):  # numpy / torch scalars
        try:
            return obj.item()
        except (TypeError, ValueError):
            pass
    return str(obj)


# ---------------------------------------------------------------------------- sections


def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _figure(key: str, path: Path | str) -> dict[str, Any]:
    p = Path(path)
    title = key.replace("_", " ")
    title = title[:1].upper() + title[1:]
    if not p.is_file():
        return {"key": key, "title": title, "caption": "", "src": None, "missing": str(p)}
    return {"key": key, "title": title, "caption": "", "src": _data_uri(p), "missing": None}


def _section_of(key: str) -> str | None:
    """The figure section of a key: "learning_curves", "Learning curves" → learning_curves."""
    slug = re.sub(r"[^a-z0-9]+", "_", key.lower()).strip("_")
    if slug.startswith(("learning_curve", "curves", "loss_curves")):
        return "learning_curves"
    if slug.startswith("confusion"):
        return "confusion_matrix"
    return None


def _figures(figures: Mapping[str, Path]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Figures with a section of their own (first match per section), and the others."""
    known: dict[str, Any] = {}
    others = []
    for key, path in figures.items():
        section = _section_of(str(key))
        fig = _figure(str(key), path)
        if section is not None and section not in known:
            same = fig["title"].lower() == FIGURE_SECTIONS[section].lower()
            fig["caption"] = "" if same else fig["title"]
            known[section] = fig
        else:
            others.append(fig)
    return known, others


def _headline(
    metrics: Mapping[str, Any], history: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, str], list[dict[str, str]]]:
    test_acc = _as_fraction(metrics.get("test_acc"))
    notes = []
    if metrics.get("test_loss") is not None:
        notes.append(f"test loss {_fmt_loss(metrics['test_loss'])}")
    if metrics.get("members"):
        notes.append(f"ensemble of {len(metrics['members'])}")
    hero = {
        "label": "Test accuracy",
        "value": "—" if test_acc is None else f"{100 * test_acc:.1f}%",
        "note": " · ".join(notes) if notes else ("no test split" if test_acc is None else ""),
    }

    last = history[-1] if history else {}
    train_acc = _as_fraction(_first(metrics.get("train_acc"), last.get("train_acc")))
    val_acc = _as_fraction(_first(metrics.get("val_acc"), last.get("val_acc")))
    gap_label = "Gap (train − val)"
    if train_acc is not None and test_acc is not None and metrics.get("gap") is not None:
        gap: float | None = _as_fraction(metrics["gap"])
        gap_label = "Gap (train − test)"
    elif train_acc is not None and val_acc is not None:
        gap = train_acc - val_acc
    else:
        g = generalization_gap(history) if history else math.nan
        gap = g if math.isfinite(g) else None
    epochs = metrics.get("epochs_run", len(history))
    best = metrics.get("best_epoch")
    seconds = metrics.get("seconds")
    if seconds is None and history:
        seconds = sum(_number(r.get("seconds")) or 0.0 for r in history) or None
    cards = [
        {"label": "Validation accuracy", "value": _fmt_acc(val_acc), "note": ""},
        {"label": "Training accuracy", "value": _fmt_acc(train_acc), "note": ""},
        {
            "label": gap_label,
            "value": "—" if gap is None else f"{100 * gap:+.1f} pts",
            "note": "accuracy points",
        },
        {
            "label": "Epochs",
            "value": _fmt_value("epochs", epochs),
            "note": "" if best is None else f"best: epoch {best}",
        },
        {"label": "Training time", "value": _fmt_seconds(seconds), "note": ""},
    ]
    return hero, cards


def _history_table(
    history: Sequence[Mapping[str, Any]], marks: set[int]
) -> tuple[list[str], list[dict[str, Any]]]:
    keys = [k for k in _HISTORY_COLUMNS if any(k in r for r in history)]
    fmt = {
        "epoch": lambda v: _fmt_value("epoch", v),
        "train_loss": _fmt_loss,
        "val_loss": _fmt_loss,
        "train_acc": _fmt_acc,
        "val_acc": _fmt_acc,
        "lr": _fmt_lr,
        "seconds": lambda v: "—" if _number(v) is None else f"{_number(v):.1f}",
    }
    rows = []
    for i, r in enumerate(history):
        epoch = r.get("epoch", i + 1)
        rows.append(
            {
                "cells": [fmt[k](r.get(k)) for k in keys],
                "marked": _number(epoch) in marks,
            }
        )
    return [_HISTORY_COLUMNS[k] for k in keys], rows


def _data_rows(summary: Mapping[str, Any] | None) -> list[dict[str, str]]:
    if not summary:
        return []
    ordered = [k for k in _DATA_LABELS if k in summary]
    ordered += [k for k in summary if k not in _DATA_LABELS]
    rows = []
    for k in ordered:
        v = summary[k]
        text = _fmt_value(k, v)
        if k == "classes" and isinstance(v, (list, tuple)):
            text = f"{len(v)}: {text}"
        rows.append({"label": _DATA_LABELS.get(k, k.replace("_", " ").capitalize()), "value": text})
    return rows


def _members(metrics: Mapping[str, Any]) -> tuple[list[str], list[list[str]]]:
    members = metrics.get("members") or []
    members = [m for m in members if isinstance(m, Mapping)]
    if not members:
        return [], []
    keys: list[str] = []
    for m in members:
        keys += [str(k) for k in m if str(k) not in keys]
    numbered = "member" not in keys
    header = (["member"] if numbered else []) + [k.replace("_", " ") for k in keys]
    rows = [
        ([str(i + 1)] if numbered else []) + [_fmt_value(k, m.get(k)) for k in keys]
        for i, m in enumerate(members)
    ]
    return header, rows


def _metric_rows(metrics: Mapping[str, Any]) -> list[dict[str, str]]:
    """Every scalar final metric, by its key, as in ``metrics.json``."""
    return [
        {"label": str(k), "value": _fmt_value(str(k), v)}
        for k, v in metrics.items()
        if v is None or isinstance(v, (bool, int, float, str)) or _number(v) is not None
    ]


def _subtitle(recipe: Mapping[str, Any]) -> str:
    parts = []
    data, model = recipe.get("data"), recipe.get("model")
    if isinstance(data, Mapping) and data.get("dataset"):
        parts.append(f"dataset {data['dataset']}")
    if isinstance(model, Mapping) and model.get("name"):
        parts.append(f"model {model['name']}")
    if recipe.get("name"):
        parts.append(f"recipe {recipe['name']}")
    if recipe.get("seed") is not None:
        parts.append(f"seed {recipe['seed']}")
    return " · ".join(parts)


def _slug(verdict: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", verdict.lower()).strip("-") or "unknown"


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
    recipe_plain = _plain(recipe) if recipe is not None else {}
    recipe_yaml = yaml.safe_dump(recipe_plain, sort_keys=False, allow_unicode=True)
    hero, cards = _headline(metrics, history)
    marks = {m for m in (_number(metrics.get("best_epoch")), _number(diagnosis.epoch)) if m}
    columns, rows = _history_table(history, marks)
    known, others = _figures(figures)
    member_header, member_rows = _members(metrics)
    when = generated or datetime.now(timezone.utc)
    context = {
        "title": title,
        "subtitle": _subtitle(recipe_plain) if isinstance(recipe_plain, Mapping) else "",
        "hero": hero,
        "cards": cards,
        "verdict": diagnosis.verdict,
        "verdict_slug": _slug(diagnosis.verdict),
        "verdict_epoch": diagnosis.epoch,
        "message": diagnosis.message,
        "remedies": list(diagnosis.remedies),
        "rule": diagnosis.details.get("rule", ""),
        "learning_curves": known.get("learning_curves"),
        "confusion_matrix": known.get("confusion_matrix"),
        "other_figures": others,
        "history_columns": columns,
        "history_rows": rows,
        "marked_epochs": sorted(int(m) for m in marks),
        "data_rows": _data_rows(data_summary),
        "member_header": member_header,
        "member_rows": member_rows,
        "metric_rows": _metric_rows(metrics),
        "recipe_yaml": recipe_yaml,
        "version": __version__,
        "generated": when.strftime("%Y-%m-%d %H:%M %Z").strip(),
        "generated_iso": when.isoformat(timespec="seconds"),
    }
    return _environment().get_template(TEMPLATE).render(context)


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
