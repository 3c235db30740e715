"""Recipe → task: which kind of task the learned targets make, with which loss.

``task.type: auto`` takes the kind from the data: one classification target is
a classification, one regression target a regression, several targets are
multitask learning (each target its own task, weighted as ``multitask`` says).
An explicit type must fit the data; every mismatch is one line naming the key.
Label smoothing (``regularization.label_smoothing``) is the training loss of
every classification task. The task is fitted on the training targets
(regression: their mean and standard deviation).

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.prepare import prepare_data
    >>> from trainlab.workflows.task_setup import build_task, head_sizes
    >>> r = Recipe.load("wine-mlp")
    >>> data = prepare_data(r)
    >>> build_task(r, data).primary, head_sizes(data)
    ('acc', 3)
"""

from __future__ import annotations

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError
from trainlab.data._bundle import Target
from trainlab.engine.strategies.label_smoothing import LabelSmoothing
from trainlab.engine.tasks import Classification, MultiTask, Regression, Task
from trainlab.workflows.prepare import PreparedData

#: the losses of each kind of target (``task.loss``; ``auto`` picks the first)
LOSSES = {"classification": ("cross-entropy",), "regression": ("mse", "mae", "huber")}


def _names(targets: list[Target]) -> str:
    return ", ".join(f"{t.name} ({t.kind})" for t in targets)


def _check_kind(recipe: Recipe, targets: list[Target]) -> None:
    kind = recipe.task.type
    if kind == "multitask" and len(targets) < 2:
        raise ConfigError(
            f"task.type: multitask needs several targets; set task.targets to two or more "
            f"of the data's targets (learned now: {_names(targets)})"
        )
    if kind in LOSSES and len(targets) > 1:
        raise ConfigError(
            f"task.type: {kind} learns one target, but task.targets names {len(targets)}: "
            f"{_names(targets)}; set task.type: multitask (or auto)"
        )
    if kind in LOSSES and targets[0].kind != kind:
        what = "classes" if targets[0].kind == "classification" else "numeric values"
        raise ConfigError(
            f"task.type: {kind}, but the target {targets[0].name!r} holds {what} "
            f"(a {targets[0].kind} target)"
        )
    main = recipe.task.main
    if main is not None and main not in [t.name for t in targets]:
        raise ConfigError(
            f"task.main: {main!r} is not a learned target; the targets are {_names(targets)}"
        )


def _single(recipe: Recipe, target: Target) -> Task:
    loss = recipe.task.loss
    allowed = LOSSES[target.kind]
    if loss != "auto" and loss not in allowed:
        raise ConfigError(
            f"task.loss: {loss} does not fit the {target.kind} target {target.name!r}; "
            f"expected one of: {', '.join(('auto', *allowed))}"
        )
    if target.kind == "regression":
        return Regression(
            allowed[0] if loss == "auto" else loss,
            huber_delta=recipe.task.huber_delta,
            standardize=recipe.task.standardize,
            name=target.name,
        )
    eps = recipe.regularization.label_smoothing
    return Classification(list(target.classes), LabelSmoothing(eps) if eps > 0 else None)


def build_task(recipe: Recipe, data: PreparedData) -> Task:
    """The recipe's task for ``data``'s learned targets, fitted on the training targets.

    Raises:
        ConfigError: the task type, loss, main target or task weights do not fit the data.
    """
    targets = data.targets
    _check_kind(recipe, targets)
    if len(targets) == 1:
        task = _single(recipe, targets[0])
    else:
        weights = recipe.multitask.weights
        unknown = [n for n in weights if n not in [t.name for t in targets]]
        if unknown:
            raise ConfigError(
                f"multitask.weights: no learned target {unknown[0]!r}; "
                f"the targets are {_names(targets)}"
            )
        task = MultiTask(
            {t.name: _single(recipe, t) for t in targets},
            weights,
            recipe.multitask.weighting,
            recipe.task.main,
        )
    return task.fit(data.train[1])


def head_sizes(data: PreparedData) -> int | dict[str, int]:
    """The model's output size: classes (or 1 value) per learned target; a mapping for several."""
    sizes = {t.name: t.num_classes if t.kind == "classification" else 1 for t in data.targets}
    if len(sizes) == 1:
        return next(iter(sizes.values()))
    return sizes


def check_task(recipe: Recipe, data: PreparedData) -> Task:
    """The recipe's task, checked against the data, and early stopping's column against it.

    Raises:
        ConfigError: the task does not fit the data, or ``early_stopping.monitor``
            is not one of its validation columns.
    """
    task = build_task(recipe, data)
    es = recipe.early_stopping
    columns = [f"val_{m}" for m in task.metric_names]
    if es.enabled and es.monitor not in columns:
        raise ConfigError(
            f"early_stopping.monitor: {es.monitor!r} is not a validation column of this "
            f"{task.kind} task; expected one of: {', '.join(columns)}"
        )
    return task
