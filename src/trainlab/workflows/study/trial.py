"""One trial of a study: train a recipe, evaluate it, diagnose it, probe it.

Runs in whatever process the executor chose, so it takes and returns plain
data (a recipe mapping in; metrics, history, diagnosis and probes out) and
never raises for a failing trial: the error comes back as text, and the study
goes on.

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.study.trial import run_trial
    >>> r = Recipe.load("wine-mlp").override({"train.epochs": 2})
    >>> out = run_trial(r.to_dict(), probes=False)
    >>> out["error"] is None and 0.0 <= out["metrics"]["test_acc"] <= 1.0
    True
"""

from __future__ import annotations

import json
import traceback
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import Any

import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import TrainlabError
from trainlab.workflows.prepare import PreparedData

#: examples in the fixed batch the activation probes look at
PROBE_EXAMPLES = 256

_DATA_CACHE: OrderedDict[str, tuple[PreparedData, list[str]]] = OrderedDict()
_DATA_CACHE_SIZE = 6


def _data(recipe: Recipe) -> tuple[PreparedData, list[str]]:
    """Prepared data, shared by the trials of one process that use the same data and seed,
    and the warnings its preparation gave (a transfer's preprocessing check)."""
    from trainlab.workflows.run import prepare_run_data

    d = recipe.to_dict()
    source = None
    if recipe.transfer.enabled:  # the file this seed's transfer reads, as the run resolves it
        from trainlab.engine.transfer.source import checkpoint_path

        path = checkpoint_path(recipe.transfer.checkpoint, recipe.seed)
        source = [str(path), recipe.transfer.preprocessing]
    key = json.dumps([d["data"], d["split"], d["preprocess"], d["seed"], source], sort_keys=True)
    if key in _DATA_CACHE:
        _DATA_CACHE.move_to_end(key)
        return _DATA_CACHE[key]
    with warnings.catch_warnings(record=True) as said:  # kept with the trial, not printed
        warnings.simplefilter("always")
        data = prepare_run_data(recipe)
    _DATA_CACHE[key] = data, sorted({str(w.message) for w in said})
    while len(_DATA_CACHE) > _DATA_CACHE_SIZE:
        _DATA_CACHE.popitem(last=False)
    return _DATA_CACHE[key]


def run_trial(
    recipe_dict: dict[str, Any],
    *,
    probes: bool = True,
    threads: int | None = None,
    save_model: str | None = None,
) -> dict[str, Any]:
    """Train and evaluate one recipe; returns ``{metrics, history, diagnosis, probes, error}``.

    ``save_model``: a path where the trained model is saved (atomically), e.g.
    to transfer from it in a later trial.
    """
    from trainlab.engine.diagnose import ActivationProbe, diagnose, probe_summary
    from trainlab.engine.loop import resolve_device
    from trainlab.io.model_file import save_model as save
    from trainlab.workflows.run import final_metrics, model_checkpoint_meta, train_members

    previous = torch.get_num_threads()
    try:
        if threads:
            torch.set_num_threads(threads)
        recipe = Recipe.from_dict(recipe_dict).override({"train.progress": False})
        data, said = _data(recipe)
        device = resolve_device(recipe.train.device)
        probe: list[ActivationProbe] = []

        def extra(member: int) -> list:
            if not probes or member > 0:
                return []
            n = min(PROBE_EXAMPLES, len(data.train[1]))
            probe.append(ActivationProbe(data.train[0][:n], data.train[1][:n]))
            return probe[-1:]

        models, infos = train_members(recipe, data, device, None, extra)
        metrics, _ = final_metrics(recipe, data, models, infos, device)
        history = infos[0]["history"]
        diagnosis = diagnose(history)
        metrics["verdict"] = diagnosis.verdict
        if said:
            metrics["warnings"] = said
        if save_model is not None:
            meta = model_checkpoint_meta(recipe, data, models, metrics, infos[0].get("transfer"))
            save(Path(save_model), models, meta)
        probe_out = None
        if probe:
            records = probe[0].records
            probe_out = {"records": records, **probe_summary(records)}
        return {
            "metrics": metrics,
            "history": history,
            "diagnosis": diagnosis.to_dict(),
            "probes": probe_out,
            "error": None,
        }
    except TrainlabError as exc:
        return {"error": f"{exc.__class__.__name__}: {exc}"}
    except Exception as exc:  # a bug in one trial must not stop the study
        tb = traceback.format_exc(limit=-3)
        return {"error": f"{exc.__class__.__name__}: {exc}\n{tb}"}
    finally:
        torch.set_num_threads(previous)
