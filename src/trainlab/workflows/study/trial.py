"""One trial of a study: train a recipe, evaluate it, diagnose it, probe it.

Runs in whatever process the executor chose, so it takes and returns plain
data (a recipe mapping in; metrics, history, diagnosis and probes out) and
never raises for a failing trial: the error comes back as text, and the study
goes on. A trial whose loss becomes NaN or infinite has not failed: it
diverged, a measured outcome (where it diverged, the epochs before it, the
time it took), which the study ranks and reports as such. It trains, scores
and saves with the same functions as a run (:mod:`~trainlab.workflows.members`,
:mod:`~trainlab.workflows.final`, :mod:`~trainlab.workflows.outputs`), without
a run folder. A finished trial's metrics name its task's primary metric
(``primary_metric``: ``acc``, ``rmse``, ``digit_acc``), the one its ``gap`` is
measured in.

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.study.trial import run_trial
    >>> r = Recipe.load("wine-mlp").override({"train.epochs": 2})
    >>> out = run_trial(r.to_dict(), probes=False)  # doctest: +SKIP
    >>> out["error"] is None and 0.0 <= out["metrics"]["test_acc"] <= 1.0  # doctest: +SKIP
    True
    >>> bad = run_trial({"data": {"dataset": "no-such-data"}}, probes=False)  # fails, not raises
    >>> bad["error"][:40]
    "ConfigError: unknown dataset 'no-such-da"
    >>> hot = r.override({"optimizer.name": "sgd", "optimizer.lr": 1e12})
    >>> out = run_trial(hot.to_dict(), probes=False)  # doctest: +SKIP
    >>> out["diverged"], out["metrics"]["diverged_epoch"]  # doctest: +SKIP
    ({'epoch': 1, 'batch': 1, 'value': 'nan'}, 1)
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import TrainingDiverged, TrainlabError
from trainlab.engine.batch import map_tensors
from trainlab.engine.callbacks import Callback
from trainlab.engine.diagnose import ActivationProbe, probe_summary
from trainlab.engine.loop import resolve_device
from trainlab.engine.tracking import Tracking
from trainlab.io.tracking import Tracker, numeric, open_trackers
from trainlab.workflows.final import diagnose_members, final_metrics
from trainlab.workflows.members import train_members
from trainlab.workflows.outputs import save_run_model
from trainlab.workflows.prepare import PreparedData
from trainlab.workflows.study.data_cache import DataCache, prepare_trial_data
from trainlab.workflows.study.metric import PRIMARY_KEY
from trainlab.workflows.task_setup import build_task
from trainlab.workflows.transfer_setup import Transfer

#: examples in the fixed batch the activation probes look at
PROBE_EXAMPLES = 256


class _HistoryTap(Callback):
    """Keeps the history of the member training now, so that a divergence can report it."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def on_fit_start(self, trainer: Any) -> None:
        self.rows = trainer.history.rows  # the live list: it grows epoch by epoch


def _probe_examples(data: PreparedData) -> tuple[torch.Tensor, Any]:
    """The first training examples the probes look at (of a streamed split: its first batch)."""
    x, y = data.train
    if not isinstance(x, torch.Tensor):
        x.set_epoch(0)
        first = next(iter(x.in_order()))
        x, y = first["x"], first["y"]
    n = min(PROBE_EXAMPLES, len(x))
    return x[:n], map_tensors(y, lambda t: t[:n])


def _probes(
    recipe: Recipe, data: PreparedData, enabled: bool, tap: _HistoryTap
) -> tuple[list[ActivationProbe], Callable[[int], list[Callback]]]:
    """The probe of member 0 (filled once it trains) and the callbacks for each member."""
    probe: list[ActivationProbe] = []

    def extra(member: int) -> list[Callback]:
        if not enabled or member > 0:
            return [tap]
        x, y = _probe_examples(data)
        task = build_task(recipe, data).to(resolve_device(recipe.train.device))
        probe.append(ActivationProbe(x, y, loss=task.loss))
        return [probe[-1], tap]

    return probe, extra


def _diverged(exc: TrainingDiverged, history: list[dict[str, Any]], seconds: float) -> dict:
    """A diverged trial's result: where it diverged, the epochs before it, its time."""
    return {
        "diverged": {"epoch": exc.epoch, "batch": exc.batch, "value": str(exc.value)},
        "history": [dict(row) for row in history],
        "metrics": {"diverged_epoch": exc.epoch, "seconds": seconds},
        "error": None,
    }


def _trial(
    recipe: Recipe, probes: bool, save_model: str | None, cache: DataCache | None
) -> dict[str, Any]:
    start = time.perf_counter()
    tap = _HistoryTap()
    try:
        return _trained(recipe, probes, save_model, cache, tap)
    except TrainingDiverged as exc:
        return _diverged(exc, tap.rows, time.perf_counter() - start)


def _trained(
    recipe: Recipe,
    probes: bool,
    save_model: str | None,
    cache: DataCache | None,
    tap: _HistoryTap,
) -> dict[str, Any]:
    if recipe.meta.enabled:
        return _meta_trained(recipe, save_model)
    transfer = Transfer.from_recipe(recipe)
    if cache is not None:
        prepared = cache.get(recipe, transfer)
    else:
        prepared = prepare_trial_data(recipe, transfer)
    data = prepared.data
    device = resolve_device(recipe.train.device)
    probe, extra = _probes(recipe, data, probes, tap)
    trackers = _trackers(recipe)

    def callbacks(member: int) -> list[Callback]:
        tracking = [Tracking(trackers)] if trackers and member == 0 else []
        return [*extra(member), *tracking]

    try:
        members = train_members(recipe, data, transfer, device, extra_callbacks=callbacks)
        metrics = final_metrics(recipe, data, members, device).metrics
    except BaseException:
        for tracker in trackers:  # marked failed there
            tracker.close({})
        raise
    for tracker in trackers:
        tracker.close(numeric(metrics))
    diagnosis = diagnose_members(members, recipe, data, metrics)
    metrics["verdict"] = diagnosis.verdict
    metrics[PRIMARY_KEY] = build_task(recipe, data).primary
    if prepared.warnings:
        metrics["warnings"] = prepared.warnings
    if save_model is not None:
        transfer_info = members.first.transfer
        save_run_model(
            Path(save_model),
            recipe,
            data,
            members.models,
            metrics,
            transfer_info,
            members.first.task_state,
        )
    probe_out = None
    if probe:
        records = probe[0].records
        probe_out = {"records": records, **probe_summary(records)}
    return {
        "metrics": metrics,
        "history": members.first.history,
        "diagnosis": diagnosis.to_dict(),
        "probes": probe_out,
        "error": None,
    }


def _trackers(recipe: Recipe) -> list[Tracker]:
    """The trial's trackers (``track``), its run named after the variant and the seed."""
    if not recipe.track.enabled:
        return []
    return open_trackers(recipe.track, f"{recipe.name}-seed{recipe.seed}", recipe.to_dict())


def _meta_trained(recipe: Recipe, save_model: str | None) -> dict[str, Any]:
    """A meta-learning trial (:mod:`~trainlab.workflows.meta_run`): its test episodes'
    accuracy is the trial's ``test_acc``; no curves' diagnosis (it trains on episodes)."""
    from trainlab.workflows.meta_run import check_meta, train_meta
    from trainlab.workflows.outputs import save_run_model

    start = time.perf_counter()
    plan = check_meta(recipe)
    outcome = train_meta(recipe, plan)
    metrics = {**outcome.metrics, "wall_seconds": time.perf_counter() - start}
    metrics[PRIMARY_KEY] = "acc"
    if save_model is not None:
        save_run_model(Path(save_model), recipe, plan.view, [plan.model], metrics)
    return {
        "metrics": metrics,
        "history": outcome.rows,
        "diagnosis": None,
        "probes": None,
        "error": None,
    }


def run_trial(
    recipe_dict: dict[str, Any],
    *,
    probes: bool = True,
    threads: int | None = None,
    save_model: str | None = None,
    cache: DataCache | None = None,
) -> dict[str, Any]:
    """Train and evaluate one recipe; returns ``{metrics, history, diagnosis, probes, error}``.

    A trial whose loss became NaN or infinite returns ``{diverged: {epoch, batch,
    value}, history, metrics: {diverged_epoch, seconds}, error: None}`` (``batch``
    None when found at the epoch's end; ``value`` as text, e.g. ``"nan"``); one
    that failed (a bug, bad input) returns ``{error: text}``.

    Args:
        recipe_dict: the trial's recipe, as a mapping.
        probes: record activation and gradient statistics of member 0.
        threads: CPU threads for this trial (None: leave PyTorch's setting).
        save_model: a path where the trained model is saved (atomically), e.g.
            to transfer from it in a later trial.
        cache: the caller's cache of prepared data, shared by the trials it runs
            (None: the data is prepared for this trial alone).
    """
    previous = torch.get_num_threads()
    try:
        if threads:
            torch.set_num_threads(threads)
        recipe = Recipe.from_dict(recipe_dict).override({"train.progress": False})
        return _trial(recipe, probes, save_model, cache)
    except TrainlabError as exc:
        return {"error": f"{exc.__class__.__name__}: {exc}"}
    except Exception as exc:  # a bug in one trial must not stop the study
        tb = traceback.format_exc(limit=-3)
        return {"error": f"{exc.__class__.__name__}: {exc}\n{tb}"}
    finally:
        torch.set_num_threads(previous)
