"""``trainlab tune``: Optuna over recipe keys, pruned by the per-epoch metric, resumable.

A tuning lives in one folder: ``recipe.yaml`` (the base recipe), ``tune.json``
(the search space, the metric, the budget) and ``optuna.db``, Optuna's own
RDB storage (SQLite), which records every trial as it ends, so a tuning
killed at any point continues from its last finished trial (a trial the kill
left running is marked failed and drawn again). The sampler is Optuna's TPE
seeded by the recipe's seed; a trial reports the validation metric after
every epoch and is stopped by the median rule (Optuna's ``MedianPruner``)
once it falls behind the trials before it. Tuning reads the validation split
only: a ``test_`` metric is refused, so the test split stays unseen until
the verification.

One lucky trial is not evidence: :func:`verify` runs the best values
against the recipe as it was in a study over seeds, compared on the test
split with confidence intervals (:mod:`trainlab.workflows.study`).

Example:
    >>> from trainlab.workflows.tune.runner import objective_direction
    >>> objective_direction("val_acc"), objective_direction("val_loss")
    ('maximize', 'minimize')
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError
from trainlab.engine.callbacks import Callback
from trainlab.engine.loop import resolve_device
from trainlab.engine.tasks.metrics import higher_is_better
from trainlab.workflows.assemble import check_components
from trainlab.workflows.final import final_metrics
from trainlab.workflows.members import train_members
from trainlab.workflows.study.data_cache import DataCache
from trainlab.workflows.transfer_setup import Transfer
from trainlab.workflows.tune.space import Param, shown_params

SPEC_FILE, STORE_FILE = "tune.json", "optuna.db"


def objective_direction(metric: str) -> str:
    """Optuna's direction for ``metric``."""
    return "maximize" if higher_is_better(metric) else "minimize"


@dataclass(frozen=True)
class TuneResult:
    """A finished tuning.

    Attributes:
        folder: the tuning's folder.
        best: the best trial's values, by recipe key.
        best_value: its validation metric.
        completed: trials that ran to the end.
        pruned: trials the median rule stopped early.
    """

    folder: Path
    best: dict[str, Any]
    best_value: float
    completed: int
    pruned: int


class _Prune(Callback):
    """Report the validation metric to the Optuna trial every epoch; stop a trial behind."""

    name = "tune-pruning"

    def __init__(self, trial: Any, metric: str) -> None:
        self.trial, self.metric = trial, metric

    def on_epoch_end(self, trainer, epoch: int, logs: dict[str, float]) -> None:
        import optuna

        value = logs.get(self.metric)
        if value is None:
            return
        self.trial.report(float(value), epoch)
        if self.trial.should_prune():
            raise optuna.TrialPruned(f"{self.metric} {value:.4f} at epoch {epoch}")


def check_tune(recipe: Recipe, params: Sequence[Param], metric: str) -> None:
    """Refuse a bad tuning in one line before anything runs.

    Raises:
        ConfigError: a key the recipe does not have or a value it refuses, a test metric,
            an unknown metric, no parameter, a key given twice.
    """
    if not params:
        raise ConfigError("trainlab tune: give at least one --param KEY=KIND:…")
    keys = [p.key for p in params]
    if len(set(keys)) != len(keys):
        raise ConfigError(f"--param: a key is given twice in {keys}")
    if not metric.startswith("val_"):
        raise ConfigError(
            f"--metric {metric}: tuning reads the validation split (val_acc, val_loss, …); "
            "the test split is for the verification"
        )
    objective_direction(metric)  # an unknown metric fails here
    for p in params:
        try:
            check_components(recipe.override({p.key: p.example}))
        except ConfigError as exc:
            raise ConfigError(f"--param {p.key}: {exc}") from None


def _say(line: str, progress: bool) -> None:
    if progress:
        print(line, file=sys.stderr, flush=True)


def _spec(recipe: Recipe, params: Sequence[Param], metric: str, trials: int) -> dict[str, Any]:
    return {
        "params": [p.__dict__ | {"choices": list(p.choices)} for p in params],
        "metric": metric,
        "trials": trials,
        "recipe": recipe.to_dict(),
    }


def _folder(out_dir: str | Path, name: str, spec: dict[str, Any], recipe: Recipe) -> Path:
    """The tuning's folder, new or (same search, same recipe) resumed."""
    folder = Path(out_dir) / name
    saved = folder / SPEC_FILE
    if saved.exists():
        old = json.loads(saved.read_text(encoding="utf-8"))
        if {k: v for k, v in old.items() if k != "trials"} != {
            k: v for k, v in spec.items() if k != "trials"
        }:
            raise ConfigError(
                f"{folder}: holds a tuning of another recipe or search space; "
                "give another --name, or remove the folder"
            )
    folder.mkdir(parents=True, exist_ok=True)
    recipe.save(folder / "recipe.yaml")
    saved.write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
    return folder


def _open_study(optuna: Any, folder: Path, name: str, seed: int, metric: str) -> Any:
    """The tuning's Optuna study in its folder's storage (new, or as a kill left it: a
    trial left running is marked failed, to be drawn again)."""
    storage = optuna.storages.RDBStorage(f"sqlite:///{folder / STORE_FILE}")
    study = optuna.create_study(
        study_name=name,
        storage=storage,
        load_if_exists=True,
        direction=objective_direction(metric),
        sampler=optuna.samplers.TPESampler(seed=seed),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=1),
    )
    states = optuna.trial.TrialState
    for stale in study.get_trials(deepcopy=False, states=(states.RUNNING,)):
        storage.set_trial_state_values(stale._trial_id, states.FAIL)
    return study


def _objective(recipe: Recipe, params: Sequence[Param], metric: str) -> Any:
    """Optuna's objective: train the recipe with the trial's values (the data prepared once
    for the values that leave it as it is), pruned per epoch; the validation metric."""
    cache = DataCache()
    device = resolve_device(recipe.train.device)

    def objective(trial: Any) -> float:
        values = {p.key: p.suggest(trial) for p in params}
        r = recipe.override({**values, "train.progress": False})
        transfer = Transfer.from_recipe(r)
        data = cache.get(r, transfer).data
        members = train_members(
            r,
            data,
            transfer,
            device,
            extra_callbacks=lambda m: [_Prune(trial, metric)] if m == 0 else [],
        )
        value = final_metrics(r, data, members, device).metrics.get(metric)
        if value is None:
            raise ConfigError(f"--metric {metric}: the runs have no such metric")
        return float(value)

    return objective


def run_tune(
    recipe: Recipe,
    params: Sequence[Param],
    *,
    trials: int,
    metric: str = "val_acc",
    out_dir: str | Path = "tunes",
    name: str | None = None,
    progress: bool = True,
) -> TuneResult:
    """Run the tuning's unfinished trials (``trials`` in all) and return the best values.

    Raises:
        ConfigError: see :func:`check_tune`; optuna not installed; a folder of another tuning.
    """
    check_tune(recipe, params, metric)
    try:
        import optuna
    except ImportError:
        raise ConfigError(
            "trainlab tune: needs the optuna package, which is not installed; "
            "pip install 'trainlab[tune]'"
        ) from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    name = name or f"{recipe.name}-tune"
    folder = _folder(out_dir, name, _spec(recipe, params, metric, trials), recipe)
    study = _open_study(optuna, folder, name, recipe.seed, metric)
    states = optuna.trial.TrialState

    def finished() -> int:
        return len(study.get_trials(deepcopy=False, states=(states.COMPLETE, states.PRUNED)))

    def said(study: Any, trial: Any) -> None:
        shown = shown_params(trial.params)
        if trial.state == states.PRUNED:
            what = f"pruned at epoch {trial.last_step}"
        else:
            what = f"{metric} {trial.value:.4f}"
        best = study.best_value if any(t.state == states.COMPLETE for t in study.trials) else None
        tail = f" (best {best:.4f})" if best is not None else ""
        _say(f"tune {name}: trial {finished()}/{trials}  {shown}  {what}{tail}", progress)

    left = trials - finished()
    if left > 0:
        objective = _objective(recipe, params, metric)
        study.optimize(objective, n_trials=left, callbacks=[said], catch=())
    done = study.get_trials(deepcopy=False, states=(states.COMPLETE,))
    if not done:
        raise ConfigError(f"trainlab tune: every trial of {name} was pruned or failed")
    pruned = len(study.get_trials(deepcopy=False, states=(states.PRUNED,)))
    best = dict(study.best_params)
    (folder / "best.json").write_text(
        json.dumps({"params": best, metric: study.best_value}, indent=2) + "\n", encoding="utf-8"
    )
    return TuneResult(folder, best, float(study.best_value), len(done), pruned)


def verify(
    result: TuneResult,
    metric: str,
    seeds: Sequence[int],
    *,
    workers: int = 1,
    progress: bool = True,
) -> Any:
    """The best values against the recipe as it was, over ``seeds``, on the test split:
    a study in ``<folder>/verify`` (its report with intervals), returned."""
    from trainlab.workflows.study.runner import run_study
    from trainlab.workflows.study.spec import StudySpec

    test_metric = "test_" + metric.removeprefix("val_")
    spec = StudySpec.from_dict(
        {
            "name": f"{result.folder.name}-verify",
            "base": str(result.folder / "recipe.yaml"),
            "metric": test_metric,
            "seeds": list(seeds),
            "baseline": "recipe",
            "probes": False,
            "variants": {"recipe": {}, "tuned": {"set": result.best}},
        }
    )
    return run_study(
        spec,
        folder=result.folder / "verify",
        workers=workers,
        progress="lines" if progress else False,
    )
