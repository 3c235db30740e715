"""The metric a study compares: the one its spec names, or its base recipe's task's primary one.

A study that names no ``metric`` compares the base recipe's task's primary
test metric: ``test_acc`` for a classification, ``test_rmse`` for a
regression, ``test_<main>_<metric>`` for multitask learning (``test_digit_acc``).
Which task a recipe makes depends on the data's targets (a CSV column of
numbers is a regression target), so the choice prepares the base recipe's
data once (:func:`~trainlab.workflows.prepare.prepare_data`,
:func:`~trainlab.workflows.task_setup.build_task`) when the study runs, and is
kept in the study's store (meta ``task_metric``, keyed by the base recipe), so
a later run of the same study, and reading it back (``trainlab show``,
``trainlab compare``, ``--seeds-for``: from the stored definition), needs no
data. ``higher_is_better`` is the metric's own direction
(:func:`trainlab.engine.tasks.metrics.higher_is_better`) unless the spec
states one.

A metric no finished trial reports is an error that names the metrics the
trials do report (:func:`check_reported`); the trials stay stored.

Example:
    >>> from types import SimpleNamespace as T
    >>> from trainlab.workflows.study.metric import gap_metric_of
    >>> gap_metric_of([T(variant="b", status="done", metrics={"primary_metric": "rmse"})], "b")
    'rmse'
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainlab.core.errors import ConfigError

if TYPE_CHECKING:
    from trainlab.config.recipe import Recipe
    from trainlab.workflows.study.spec import StudySpec
    from trainlab.workflows.study.store import StudyStore

#: the store's meta key of the chosen primary metric
META_KEY = "task_metric"
#: the trial metric that names the task's primary metric (written by each trial)
PRIMARY_KEY = "primary_metric"


def task_primary(recipe: Recipe) -> str:
    """The primary metric of the task ``recipe`` learns (``acc``, ``rmse``, ``digit_acc``).

    Prepares the recipe's data (its warnings are not shown: the trials record them).
    """
    from trainlab.workflows.prepare import prepare_data
    from trainlab.workflows.task_setup import build_task

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = prepare_data(recipe)
    try:
        return build_task(recipe, data).primary
    finally:
        data.close()


def _base_key(spec: StudySpec) -> str:
    return json.dumps(spec.base.to_dict(), sort_keys=True, default=str)


def resolve_metric(spec: StudySpec, store: StudyStore | None = None) -> StudySpec:
    """``spec`` with its metric and direction chosen (``spec`` itself when it names a metric).

    Args:
        spec: the study.
        store: where the choice is kept (and found again, for the same base recipe).

    Raises:
        ConfigError: the base recipe's data or task is not valid.
    """
    if spec.metric is not None and spec.higher_is_better is not None:
        return spec
    from trainlab.engine.tasks.metrics import higher_is_better

    key = _base_key(spec)
    kept = store.get_meta(META_KEY) if store is not None else None
    if isinstance(kept, dict) and kept.get("base") == key:
        primary = str(kept["primary"])
    else:
        primary = task_primary(spec.base)
        if store is not None:
            store.set_meta(META_KEY, {"base": key, "primary": primary})
    metric = f"test_{primary}"
    stated = spec.higher_is_better
    return spec.with_metric(metric, higher_is_better(metric) if stated is None else stated)


def stored_metric(spec: StudySpec, folder: str | Path) -> StudySpec:
    """``spec`` comparing the metric its stored definition in ``folder`` chose, when the
    spec names none (no data, no PyTorch: for ``--seeds-for``).

    Raises:
        ConfigError: the spec names no metric and the folder's definition none either.
    """
    if spec.metric is not None:
        return spec
    from trainlab.workflows.compare.stored import read_study

    d = read_study(folder).definition
    if d.metric is None or d.higher_is_better is None:
        raise ConfigError(
            f"study {spec.name}: {folder} keeps no chosen metric; run the study first"
        )
    stated = spec.higher_is_better
    return spec.with_metric(d.metric, d.higher_is_better if stated is None else stated)


def _numbers(metrics: dict[str, Any]) -> list[str]:
    return [
        k for k, v in metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool)
    ]


def check_reported(spec: StudySpec, trials: Iterable[Any]) -> None:
    """Refuse a metric that no finished trial reports (a study none finished: nothing to say).

    Raises:
        ConfigError: one line naming the metric and the metrics the trials report.
    """
    done = [t for t in trials if t.status == "done" and t.metrics]
    if not done or any(spec.metric in t.metrics for t in done):
        return
    reported = sorted({k for t in done for k in _numbers(t.metrics)})
    raise ConfigError(
        f"study {spec.name}: metric {spec.metric!r}: no trial reports it; the trials report "
        f"{', '.join(reported)} (the trials are kept: set metric to one of them and run again)"
    )


def gap_metric_of(trials: Sequence[Any], baseline: str, default: str = "acc") -> str:
    """The task's primary metric the trials' gap is measured in, as the trials recorded it
    (the baseline's first); ``default`` for trials that did not (an older store).
    """
    ordered = sorted(trials, key=lambda t: t.variant != baseline)
    for t in ordered:
        found = (t.metrics or {}).get(PRIMARY_KEY) if t.status == "done" else None
        if isinstance(found, str) and found:
            return found
    return default
