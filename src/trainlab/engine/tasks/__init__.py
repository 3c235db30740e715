"""Tasks: what a batch's targets are, the loss, the metrics and the predictions.

Built in: :class:`Classification`, :class:`Regression` and :class:`MultiTask`
(several named targets, fixed or uncertainty weights). A task is rebuilt from
its JSON description (:meth:`Task.describe`) with :func:`task_from_description`.

Example:
    >>> from trainlab.engine.tasks import Regression, task_from_description
    >>> t = task_from_description(Regression("huber").describe())
    >>> t.kind, t.loss_name, t.primary
    ('regression', 'huber', 'rmse')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trainlab.core.errors import CheckpointError
from trainlab.engine.tasks.base import Running, Task
from trainlab.engine.tasks.classification import Classification
from trainlab.engine.tasks.metrics import DIRECTIONS, higher_is_better, metric_kind
from trainlab.engine.tasks.multitask import MultiTask
from trainlab.engine.tasks.regression import REGRESSION_LOSSES, Regression

__all__ = [
    "DIRECTIONS",
    "REGRESSION_LOSSES",
    "TASK_KINDS",
    "Classification",
    "MultiTask",
    "Regression",
    "Running",
    "Task",
    "higher_is_better",
    "metric_kind",
    "task_from_description",
]


def _classification(desc: dict[str, Any]) -> Task:
    return Classification(desc["classes"])


def _regression(desc: dict[str, Any]) -> Task:
    return Regression(
        desc.get("loss", "mse"),
        huber_delta=desc.get("huber_delta", 1.0),
        standardize=desc.get("standardize", True),
        name=desc.get("name", "target"),
    )


def _multitask(desc: dict[str, Any]) -> Task:
    tasks = {n: task_from_description(d) for n, d in desc["tasks"].items()}
    return MultiTask(tasks, desc.get("weights"), desc.get("weighting", "fixed"), desc.get("main"))


#: a task description's ``kind`` → how to rebuild the task
TASK_KINDS: dict[str, Callable[[dict[str, Any]], Task]] = {
    "classification": _classification,
    "regression": _regression,
    "multitask": _multitask,
}


def task_from_description(desc: dict[str, Any]) -> Task:
    """The task :meth:`Task.describe` described (its tensors are loaded separately)."""
    kind = desc.get("kind") if isinstance(desc, dict) else None
    if kind not in TASK_KINDS:
        raise CheckpointError(
            f"task: unknown kind {kind!r}; expected one of: {', '.join(TASK_KINDS)}"
        )
    return TASK_KINDS[kind](desc)
