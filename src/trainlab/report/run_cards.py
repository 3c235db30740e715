"""The run page's headline: the main metric on the test split, and the cards beside it.

The cards name which training value they show (the final weights', in evaluation
mode, or the running one of the last epoch, measured while training: see
:mod:`trainlab.engine.diagnose.facts`) and the gap says what it subtracts, in the
task's main metric (:class:`~trainlab.report.run_metrics.RunMetric`): training −
test accuracy in points, or test − training RMSE in the target's units. An
accuracy run keeps its own words (``Test accuracy``); another metric is named in
them (``Test RMSE``, ``Test digit accuracy``).

Example:
    >>> from trainlab.report.run_cards import headline
    >>> from trainlab.report.run_metrics import RunMetric
    >>> from trainlab.report.run_text import run_text
    >>> m = {"test_rmse": 63.94, "train_rmse": 40.0, "val_rmse": 55.2, "gap": 23.94}
    >>> hero, cards = headline(m, [], run_text("en"), RunMetric("rmse"), "en")
    >>> hero["label"], hero["value"], [c["value"] for c in cards][:3]
    ('Test RMSE', '63.94', ['55.2', '40', '+23.94'])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from trainlab.engine.diagnose.messages import Lang
from trainlab.engine.diagnose.statistics import generalization_gap
from trainlab.report.format import DASH, first_finite, loss, optional_number, seconds, summary_value
from trainlab.report.run_metrics import RunMetric


def _label(t: Mapping[str, str], key: str, m: RunMetric, lang: Lang) -> str:
    """A card's label: the accuracy's own words (``t[key]``), or ``t[key + "_metric"]``
    with the metric's name."""
    if m.key == "acc":
        return t[key]
    text = t[f"{key}_metric"].format(metric=m.name(lang))
    return text[:1].upper() + text[1:]


def headline(
    metrics: Mapping[str, Any],
    history: Sequence[Mapping[str, Any]],
    t: Mapping[str, str],
    m: RunMetric,
    lang: Lang,
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The headline (the test value, large) and the cards beside it (validation, training,
    gap, epochs, time), in ``m``, the task's main metric, worded from ``t``."""
    test = m.read(metrics.get(f"test_{m.key}"))
    notes = []
    if metrics.get("test_loss") is not None:
        notes.append(t["test_loss"].format(loss=loss(metrics["test_loss"])))
    if metrics.get("members"):
        notes.append(t["ensemble"].format(n=len(metrics["members"])))
    hero = {
        "label": _label(t, "hero", m, lang),
        "value": m.hero_text(test),
        "note": " · ".join(notes) if notes else (t["no_test"] if test is None else ""),
    }

    val = _val_value(metrics, history, m)
    cards = [
        {"label": _label(t, "card_val", m, lang), "value": m.text(val), "note": ""},
        *_train_cards(metrics, history, t, m, lang),
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


def _val_value(
    metrics: Mapping[str, Any], history: Sequence[Mapping[str, Any]], m: RunMetric
) -> float | None:
    last = history[-1] if history else {}
    key = f"val_{m.key}"
    return m.read(first_finite(metrics.get(key), last.get(key)))


def _gap_words(t: Mapping[str, str], m: RunMetric, lang: Lang, split: str) -> tuple[str, str]:
    """The gap card's label and note: ``split`` is ``test``, ``val`` or ``running``."""
    label = f"card_gap_{split}" + ("" if m.higher_is_better else "_lower")
    note = "card_gap_running_note" if split == "running" else "card_gap_note"
    if m.key == "acc":
        return t[label], t[note]
    if m.accuracy:
        return t[label], t[f"{note}_points"].format(target=m.target)
    return t[label], t[f"{note}_metric"].format(metric=m.name(lang))


def _train_cards(
    metrics: Mapping[str, Any],
    history: Sequence[Mapping[str, Any]],
    t: Mapping[str, str],
    m: RunMetric,
    lang: Lang,
) -> list[dict[str, str]]:
    """The training values, each named (the final weights', the running one of the last
    epoch), and the gap, computed from the one its label names."""
    key = f"train_{m.key}"
    final = m.read(metrics.get(key))
    recorded = [r for r in history if optional_number(r.get(key)) is not None]
    last = recorded[-1] if recorded else None
    running = None if last is None else m.read(last.get(key))
    cards = []
    if final is not None:
        label = _label(t, "card_train_final", m, lang)
        cards.append({"label": label, "value": m.text(final), "note": ""})
    if running is not None:
        epoch = summary_value("epoch", last.get("epoch", len(history)))  # type: ignore[union-attr]
        note = t["card_train_running_note"].format(epoch=epoch)
        label = _label(t, "card_train_running", m, lang)
        cards.append({"label": label, "value": m.text(running), "note": note})
    test = m.read(metrics.get(f"test_{m.key}"))
    val = _val_value(metrics, history, m)
    if final is not None and test is not None and metrics.get("gap") is not None:
        gap, split = m.read(metrics["gap"]), "test"
    elif final is not None and val is not None:
        gap, split = m.advantage(final, val), "val"
    elif running is not None and val is not None:
        gap, split = m.advantage(running, val), "running"
    else:
        g = generalization_gap(history, m.key) if history else math.nan
        gap, split = (g if math.isfinite(g) else None), "running"
    if final is None and running is None:
        cards.append({"label": _label(t, "card_train_final", m, lang), "value": DASH, "note": ""})
    label, note = _gap_words(t, m, lang, split)
    cards.append({"label": label, "value": DASH if gap is None else m.gap_text(gap), "note": note})
    return cards
