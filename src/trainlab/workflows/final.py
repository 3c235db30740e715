"""A run's final metrics: the task's metrics of the trained model(s) on every split.

The metrics are the task's (:mod:`trainlab.engine.tasks`): loss and accuracy
for classification; loss, RMSE, MAE and R² in the target's units for
regression; both, prefixed by the target's name, for multitask learning. A
classification ensemble is scored by its mean predicted probability,
``p(y | x) = (1/M) Σₘ softmax(fₘ(x))`` (Lakshminarayanan et al., 2017);
Monte-Carlo dropout averages ``T`` stochastic passes of each member the same
way (Gal & Ghahramani, 2016), and test-time views (flip, shift) average over
views of each input; a regression ensemble by its mean predicted value.
``train_acc`` is the final weights' accuracy on the training split in
evaluation mode, not the running accuracy the history records during each
epoch (see :mod:`trainlab.engine.diagnose.facts`); ``gap`` is the lecture's
measure of overfitting in the task's main metric, signed so that a positive
gap means the training split scores better: training minus test (or
validation) accuracy, or test minus training RMSE. The verdict on the learning curves comes from
:func:`trainlab.engine.diagnose.diagnose`, given the final weights'
accuracies, the recipe's facts and the run's budget (:func:`diagnose_members`).

Example:
    >>> import torch
    >>> from trainlab.models import build_model
    >>> from trainlab.config.recipe import ModelConfig
    >>> from trainlab.workflows.final import evaluate_models
    >>> model = build_model(ModelConfig(name="mlp", widths=[4]), (3,), 2).eval()
    >>> x, y = torch.randn(10, 3), torch.randint(0, 2, (10,))
    >>> metrics, probs = evaluate_models([model], (x, y), torch.device("cpu"))
    >>> sorted(metrics), tuple(probs.shape)
    (['acc', 'loss'], (10, 2))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch

from trainlab.config.recipe import Recipe, TestTimeConfig
from trainlab.core.seeding import epoch_seed
from trainlab.data._bundle import Target
from trainlab.engine.diagnose import Diagnosis, diagnose
from trainlab.engine.diagnose.facts import Budget, FinalScores, RecipeFacts
from trainlab.engine.diagnose.score import MainMetric
from trainlab.engine.prediction import ensemble_predictions
from trainlab.engine.tasks import Classification, MultiTask, Task, higher_is_better
from trainlab.models import StagedModel
from trainlab.models.init import INITS
from trainlab.preprocess.normalize import NORMALIZERS
from trainlab.workflows.assemble import use_amp
from trainlab.workflows.members import TrainedMembers
from trainlab.workflows.prepare import PreparedData
from trainlab.workflows.task_setup import build_task

SPLITS = ("train", "val", "test")


@dataclass(frozen=True)
class FinalMetrics:
    """The final metrics of a run, and the test split's predictions.

    Attributes:
        metrics: ``<split>_<metric>`` for each of the task's metrics (the final
            weights, in evaluation mode), ``gap``, ``epochs_run``,
            ``best_epoch``, ``seconds`` and, for an ensemble or Monte-Carlo
            dropout, ``members`` (each member alone); as in ``metrics.json``.
        test_probs: the test split's predictions: (n_test, classes) probabilities
            for classification, (n_test,) values for regression, a mapping per
            target for multitask learning; None without a test split.
    """

    metrics: dict[str, Any]
    test_probs: torch.Tensor | None


def evaluate_models(
    models: list[StagedModel],
    split: tuple[torch.Tensor, torch.Tensor] | None,
    device: torch.device,
    *,
    batch_size: int = 1024,
    mc_dropout: int = 0,
    amp: bool = False,
    test_time: TestTimeConfig | None = None,
    task: Task | None = None,
) -> tuple[dict[str, float], Any]:
    """The task's metrics of the (ensemble of) models on ``split``, and its predictions.

    ``test_time`` (flip, shift) averages the predictions over views of each input;
    ``task`` (default: classification) says what a prediction is and how it is scored.
    """
    if split is None:
        return {}, None
    task = task if task is not None else Classification(None)
    pred = ensemble_predictions(
        models,
        split[0],
        device,
        task,
        batch_size=batch_size,
        mc_dropout=mc_dropout,
        amp=amp,
        flip=test_time is not None and test_time.flip,
        shift=test_time.shift if test_time is not None else 0,
    )
    return task.score(pred, split[1]), pred


def _member_metrics(
    models: list[StagedModel],
    data: PreparedData,
    device: torch.device,
    recipe: Recipe,
    task: Task,
) -> list[dict[str, float]]:
    task = task.to(device)
    out = []
    for model in models:
        row: dict[str, float] = {}
        for name in SPLITS:
            split = getattr(data, name)
            if split is None:
                continue
            pred = ensemble_predictions(
                [model], split[0], device, task, batch_size=recipe.train.eval_batch_size
            )
            m = task.score(pred, split[1])
            row.update({f"{name}_{k}": v for k, v in m.items()})
        out.append(row)
    return out


def _split_metrics(
    recipe: Recipe,
    data: PreparedData,
    models: list[StagedModel],
    device: torch.device,
    task: Task,
) -> tuple[dict[str, Any], Any]:
    """``<split>_<metric>`` of the whole model on every split, and the test predictions."""
    torch.manual_seed(epoch_seed(recipe.seed, 10**6))  # Monte-Carlo dropout draws
    metrics: dict[str, Any] = {}
    test_probs = None
    for name in SPLITS:
        m, probs = evaluate_models(
            models,
            getattr(data, name),
            device,
            batch_size=recipe.train.eval_batch_size,
            mc_dropout=recipe.ensemble.mc_dropout,
            amp=use_amp(recipe, device),
            test_time=recipe.test_time if name != "train" else None,
            task=task,
        )
        for k, v in m.items():
            metrics[f"{name}_{k}"] = v
        if name == "test":
            test_probs = probs
    return metrics, test_probs


def final_metrics(
    recipe: Recipe, data: PreparedData, members: TrainedMembers, device: torch.device
) -> FinalMetrics:
    """Metrics of the trained member(s) on every split, and the test predictions."""
    task = trained_task(recipe, data, members)
    metrics, test_probs = _split_metrics(recipe, data, members.models, device, task)
    gap = generalization_gap(metrics, task.primary)
    if gap is not None:
        metrics["gap"] = gap
    metrics["epochs_run"] = len(members.first.history)
    metrics["best_epoch"] = members.first.best_epoch
    metrics["seconds"] = sum(
        float(r.get("seconds", 0.0)) for info in members.infos for r in info.history
    )
    if len(members.models) > 1 or recipe.ensemble.mc_dropout:
        metrics["members"] = _member_metrics(members.models, data, device, recipe, task)
    return FinalMetrics(metrics, test_probs)


def trained_task(recipe: Recipe, data: PreparedData, members: TrainedMembers) -> Task:
    """The recipe's task with member 0's trained state (its standardization, its learned
    uncertainty weights), as the run scores and saves it."""
    task = build_task(recipe, data)
    state = members.first.task_state
    if state:
        task.load_state_dict({k: torch.tensor(v) for k, v in state.items()})
    return task


def generalization_gap(metrics: dict[str, Any], primary: str = "acc") -> float | None:
    """The training split's advantage in metric ``primary`` over the test (else validation)
    split: positive when the model does better on the data it was trained on.

    Example:
        >>> generalization_gap({"train_acc": 0.9, "test_acc": 0.8})
        0.09999999999999998
        >>> generalization_gap({"train_rmse": 1.0, "val_rmse": 1.5}, "rmse")
        0.5
    """
    train = metrics.get(f"train_{primary}")
    ref = metrics.get(f"test_{primary}", metrics.get(f"val_{primary}"))
    if train is None or ref is None:
        return None
    return train - ref if higher_is_better(primary) else ref - train


def recipe_facts(recipe: Recipe, frontend: Any = None) -> RecipeFacts:
    """The recipe's settings the remedies read, as plain typed data.

    ``frontend``: an audio model's front end; when it standardizes each frequency
    row, the model's inputs are normalized whatever ``preprocess.normalize`` says.

    Example:
        >>> f = recipe_facts(Recipe.load("mnist1d-cnn"))
        >>> f.batch_norm, f.init, f.dropout
        (True, 'he-normal', 0.1)
    """
    r = recipe
    normalize = NORMALIZERS.canonical(r.preprocess.normalize)
    if frontend is not None and frontend.config.get("normalize") == "per-frequency":
        normalize = "per-frequency"
    return RecipeFacts(
        batch_norm=r.model.batch_norm,
        dropout=r.model.dropout,
        init=INITS.canonical(r.init.scheme),
        init_std=r.init.std,
        activation=r.model.activation,
        widths=tuple(r.model.widths),
        lr=r.optimizer.lr,
        weight_decay=r.optimizer.weight_decay,
        epochs=r.train.epochs,
        batch_size=r.train.batch_size,
        clip_grad_norm=r.train.clip_grad_norm,
        normalize=normalize,
        l1=r.regularization.l1,
        l2=r.regularization.l2,
        input_noise=r.regularization.input_noise,
        label_smoothing=r.regularization.label_smoothing,
        label_flip=r.regularization.label_flip,
        weight_noise=r.regularization.weight_noise,
        augment=tuple(str(a.get("name", "?")) for a in r.augment),
        early_stopping=r.early_stopping.enabled,
        ensemble=r.ensemble.members,
    )


def _main_target(data: PreparedData, main: str | None) -> tuple[Target | None, Any]:
    """The main target (None: unknown) and its training labels or values."""
    y = data.train[1]
    target = next((t for t in data.targets if t.name == main), None) if main else None
    if target is None and data.targets:
        target = data.targets[0]
    if isinstance(y, Mapping):
        y = y.get(target.name) if target is not None else None
    return target, y


def run_budget(
    recipe: Recipe, data: PreparedData, members: TrainedMembers, main: str | None = None
) -> Budget:
    """Member 0's optimizer steps (epochs run × batches per epoch) and the chance level of
    the main target (``main``: its name; default the first learned target)."""
    target, y = _main_target(data, main)
    classes = len(data.classes) or None
    if target is not None and data.multitask:
        classes = target.num_classes if target.kind == "classification" else None
    majority = None
    if isinstance(y, torch.Tensor) and y.ndim == 1 and not y.is_floating_point() and y.numel():
        majority = float(torch.bincount(y.long()).max()) / y.numel()
    return Budget(
        epochs=len(members.first.history),
        examples=data.sizes["train"],
        batch_size=recipe.train.batch_size,
        classes=classes,
        majority=majority,
    )


def final_accuracies(
    metrics: dict[str, Any], val_examples: int | None = None, metric: str = "acc"
) -> FinalScores:
    """The final weights' scores of member 0 (whose curves are diagnosed) in the task's
    main ``metric``: an ensemble's own member row, else the run's metrics;
    ``val_examples``: the validation split's size. The score is the accuracy, or R²
    beside the metric itself for a regression (see :mod:`trainlab.engine.diagnose.score`).

    Example:
        >>> m = {"train_r2": 0.73, "val_r2": 0.54, "train_rmse": 40.0, "val_rmse": 55.2}
        >>> f = final_accuracies(m, 88, "rmse")
        >>> f.train, f.val_value, round(f.gap, 2)
        (0.73, 55.2, 0.19)
    """
    members = metrics.get("members") or []
    row = members[0] if len(members) > 1 else metrics
    main = MainMetric(metric)
    values = {}
    if main.cited:
        values = {f"{split}_value": row.get(f"{split}_{metric}") for split in SPLITS}
    return FinalScores(
        train=row.get(f"train_{main.score}"),
        val=row.get(f"val_{main.score}"),
        test=row.get(f"test_{main.score}"),
        val_examples=val_examples if row.get(f"val_{main.score}") is not None else None,
        metric=metric,
        **values,
    )


def diagnose_members(
    members: TrainedMembers,
    recipe: Recipe | None = None,
    data: PreparedData | None = None,
    metrics: dict[str, Any] | None = None,
) -> Diagnosis:
    """The verdict on member 0's learning curves (what a run reports as ``verdict``).

    Given the recipe, the data and the final metrics, the verdict is in the task's main
    metric (accuracy; RMSE and R² for a regression; the main target's for multitask
    learning), judges the fit by the final weights' scores, the remedies know the
    recipe, and a run too small to judge is warned about; without them, by the
    history alone, as a classification.
    """
    history = members.first.history
    if recipe is None or data is None or metrics is None:
        return diagnose(history)
    task = build_task(recipe, data)
    main = task.main if isinstance(task, MultiTask) else None
    return diagnose(
        history,
        final=final_accuracies(
            metrics, data.sizes["val"] if data.val is not None else None, task.primary
        ),
        recipe=recipe_facts(recipe, frontend=data.frontend),
        budget=run_budget(recipe, data, members, main),
        metric=task.primary,
    )
