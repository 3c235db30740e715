"""A meta-learning run (``meta.method``): episodes in, a few-shot accuracy with its interval out.

:func:`check_meta` prepares the pools and builds the model, so bad input fails
before any folder exists; :func:`train_meta` meta-trains (or, for
``finetune``, trains on the training classes), keeps the model that did best
on the validation classes, and scores it on ``meta.test_episodes`` test
episodes of classes it never saw, beside nearest-prototype classification of
the preprocessed inputs themselves on the same episodes (``input_acc``: what the learned
embedding adds); :func:`write_meta_outputs` writes the run folder:

- ``metrics.json``: ``test_acc`` and its 95% interval ``test_acc_ci95``,
  ``val_acc``, ``input_acc``, the method, N, K, the class splits, the times;
- ``history.csv``: one row every ``meta.every`` training episodes (``finetune``:
  every epoch);
- ``episodes.csv``: every test episode's classes and accuracy;
- ``curves.png`` (:func:`~trainlab.report.figures.meta_curves.plot_meta_curves`);
- ``model.safetensors``: the model, its stages ready for a transfer.

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.core.errors import ConfigError
    >>> from trainlab.workflows.meta_run import check_meta
    >>> r = Recipe.load("digits-cnn").override({"meta.method": "protonet", "meta.n_way": 9})
    >>> try:
    ...     check_meta(r)
    ... except ConfigError as e:
    ...     print(str(e).split(" (")[0])
    meta.classes: auto needs at least n_way + 2 = 11 classes
"""

from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from torch import nn

from trainlab.config.recipe import Recipe
from trainlab.core.atomic import write_text_atomic
from trainlab.core.errors import ConfigError
from trainlab.engine.loop import resolve_device
from trainlab.engine.meta.finetune import train_classifier
from trainlab.engine.meta.learners import MetaLearner, build_learner
from trainlab.engine.meta.protonet import EpisodeEvaluation
from trainlab.engine.meta.trainer import Pool, evaluate, meta_train
from trainlab.io.model_file import MODEL_FILE
from trainlab.models import StagedModel
from trainlab.workflows.assemble import build_member_model
from trainlab.workflows.meta_setup import MetaData, prepare_meta_data, with_classes
from trainlab.workflows.prepare import PreparedData
from trainlab.workflows.progress_line import say

#: what a meta run does not combine with yet: recipe key, the value that is off, and why
_NOT_WITH = (
    ("pretrain.method", lambda r: r.pretrain.enabled, "none"),
    ("transfer.checkpoint", lambda r: r.transfer.enabled, "null"),
    ("ensemble.members", lambda r: r.ensemble.members > 1, "1"),
    ("augment", lambda r: bool(r.augment), "[]"),
    ("track.tensorboard", lambda r: r.track.tensorboard is not None, "null"),
    ("track.mlflow", lambda r: r.track.mlflow is not None, "null"),
)


@dataclass(frozen=True)
class MetaPlan:
    """What a meta run needs, checked: its pools, its model (built and initialised) and learner.

    ``view`` is the training classes' prepared data as the model and its checkpoint
    see it (MAML: ``n_way`` classes, its head's outputs).
    """

    data: MetaData
    model: StagedModel
    learner: MetaLearner
    view: PreparedData


@dataclass(frozen=True)
class MetaOutcome:
    """A finished meta run: its metrics, history rows and test episodes."""

    metrics: dict[str, Any]
    rows: list[dict[str, Any]]
    test: EpisodeEvaluation
    kept: int | None


def check_meta(recipe: Recipe) -> MetaPlan:
    """The pools, model and learner of a meta run; bad input fails here, one line.

    Raises:
        ConfigError: a setting a meta run does not take, or bad ``meta.classes``.
        DataError: too few classes or examples for the episodes.
    """
    m = recipe.meta
    for key, on, off in _NOT_WITH:
        if on(recipe):
            raise ConfigError(
                f"{key}: a meta-learning run (meta.method: {m.method}) does not take it yet; "
                f"set {key}={off}, or meta.method=none"
            )
    data = prepare_meta_data(recipe)
    # MAML's head answers the n_way labels of an episode; the others' the training classes
    maml = m.method in ("maml", "fomaml")
    view = with_classes(data.prepared, m.n_way) if maml else data.prepared
    model = build_member_model(recipe, view, None, 0).model
    learner = build_learner(m.method, **m.model_dump(exclude={"method"}))
    return MetaPlan(data, model, learner, view)


def _inputs(pool: Pool, episodes: int) -> EpisodeEvaluation:
    """Nearest prototype of the preprocessed inputs themselves: the plain reference."""
    return evaluate(build_learner("protonet"), nn.Flatten(), pool, episodes)


def train_meta(recipe: Recipe, plan: MetaPlan) -> MetaOutcome:
    """Train and score the plan's model (moved to the recipe's device)."""
    m, data, model = recipe.meta, plan.data, plan.model
    device = resolve_device(recipe.train.device)
    model.to(device)
    start = time.perf_counter()
    splits = f"{len(data.split.train)} training, {len(data.split.val)} validation, "
    splits += f"{len(data.split.test)} test classes"
    kept: int | None
    if plan.learner.episodic:
        say(
            recipe,
            f"meta {m.method}: {m.episodes} episodes, {m.n_way}-way {m.k_shot}-shot ({splits})",
        )

        def progress(row: dict[str, Any]) -> None:
            line = f"meta {m.method}: episode {row['episode']}/{m.episodes}"
            line += f", loss {row['loss']:.4f}"
            if row["val_acc"] == row["val_acc"]:  # not NaN: there are validation classes
                line += f", validation {100 * row['val_acc']:.1f}%"
            say(recipe, line)

        trained = meta_train(
            plan.learner,
            model,
            data.train,
            data.val,
            episodes=m.episodes,
            lr=recipe.optimizer.lr,
            seed=recipe.seed,
            meta_batch=m.meta_batch if m.method in ("maml", "fomaml") else 1,
            every=m.every,
            val_episodes=m.val_episodes,
            progress=progress,
        )
        rows, kept = trained.rows, trained.best_episode
    else:
        epochs = recipe.train.epochs
        say(recipe, f"meta finetune: {epochs} epochs on the training classes ({splits})")

        def each(epoch: int, loss: float) -> None:
            say(recipe, f"meta finetune: epoch {epoch}/{epochs}, loss {loss:.4f}")

        losses = train_classifier(
            model,
            data.train.x,
            data.train.y,
            epochs=epochs,
            batch_size=recipe.train.batch_size,
            lr=recipe.optimizer.lr,
            seed=recipe.seed,
            progress=each,
        )
        rows, kept = [{"epoch": i + 1, "loss": v} for i, v in enumerate(losses)], None
    seconds = time.perf_counter() - start
    say(recipe, f"meta {m.method}: testing on {m.test_episodes} episodes")
    plan.learner.prepare(model, data.train.x)
    test = evaluate(plan.learner, model, data.test, m.test_episodes)
    val = evaluate(plan.learner, model, data.val, m.val_episodes) if data.val is not None else None
    plain = _inputs(data.test, m.test_episodes)
    metrics: dict[str, Any] = {
        "method": m.method,
        "n_way": m.n_way,
        "k_shot": m.k_shot,
        "query": m.query,
        "test_acc": test.mean,
        "test_acc_ci95": test.ci95,
        "test_episodes": test.episodes,
        "val_acc": val.mean if val is not None else None,
        "input_acc": plain.mean,
        "input_acc_ci95": plain.ci95,
        "train_classes": data.names("train"),
        "val_classes": data.names("val"),
        "test_classes": data.names("test"),
        "kept_episode": kept,
        "seconds": seconds,
    }
    model.cpu()
    return MetaOutcome(metrics, rows, test, kept)


def _episodes_csv(plan: MetaPlan, outcome: MetaOutcome, count: int) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["episode", "classes", "accuracy"])
    names = plan.data.names("test")
    for i, acc in enumerate(outcome.test.accuracies[:count]):
        classes = plan.data.test.sampler.episode(i).classes
        w.writerow([i, "|".join(names[c] for c in classes), f"{acc:.6f}"])
    return out.getvalue()


def write_meta_outputs(folder: Path, recipe: Recipe, plan: MetaPlan, outcome: MetaOutcome) -> None:
    """The run folder's files (see the module's docstring)."""
    from trainlab.engine.history import History
    from trainlab.report.figures.meta_curves import plot_meta_curves
    from trainlab.workflows.outputs import save_run_model

    History(outcome.rows).save_csv(folder / "history.csv")
    write_text_atomic(folder / "metrics.json", json.dumps(outcome.metrics, indent=2) + "\n")
    write_text_atomic(folder / "episodes.csv", _episodes_csv(plan, outcome, outcome.test.episodes))
    save_run_model(folder / MODEL_FILE, recipe, plan.view, [plan.model], outcome.metrics)
    plot_meta_curves(
        outcome.rows,
        outcome.test.accuracies,
        folder / "curves.png",
        n_way=recipe.meta.n_way,
        kept=outcome.kept,
        title=recipe.name,
    )
