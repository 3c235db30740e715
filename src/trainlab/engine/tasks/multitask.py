"""Multitask learning: several named targets, each with its own task, one loss.

The lecture's "aprendizaje multitarea" (Caruana, 1997): the model outputs
``{task name: output}`` and the loss combines the tasks' losses, either with
fixed weights, L = Σₖ wₖ·Lₖ, or with weights learned by **uncertainty
weighting** (Kendall, Gal & Cipolla, *Multi-Task Learning Using Uncertainty to
Weigh Losses*, CVPR 2018, eqs. 7 and 10): with a learned sₖ = log σₖ² per task,

    L = Σ_classification exp(−sₖ)·Lₖ + sₖ/2  +  Σ_regression ½·exp(−sₖ)·Lₖ + sₖ/2

so a task whose loss stays high (a noisy one) gets a smaller weight, and the
sₖ/2 term keeps σ from growing without bound. The training rows of the history
then hold each task's learned weight (``train_<k>_weight``). The metrics of task ``k`` are
reported as ``<k>_<metric>``; ``main`` names the task a run is judged by.

Example:
    >>> import torch
    >>> from trainlab.engine.tasks import Classification, MultiTask, Regression
    >>> t = MultiTask({"digit": Classification(list("0123456789")), "size": Regression()})
    >>> t.primary, t.out_features
    ('digit_acc', {'digit': 10, 'size': 1})
    >>> out = {"digit": torch.zeros(4, 10), "size": torch.zeros(4, 1)}
    >>> y = {"digit": torch.tensor([0, 1, 2, 3]), "size": torch.zeros(4)}
    >>> round(t.loss(out, y).item(), 4)  # log 10 + 0
    2.3026
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal

import torch
from torch import nn

from trainlab.core.errors import ConfigError
from trainlab.engine.tasks.base import Running, Task

Weighting = Literal["fixed", "uncertainty"]


class _RunningMulti(Running):
    def __init__(self, task: MultiTask) -> None:
        self.task = task
        self.parts = {name: t.running() for name, t in task.tasks.items()}
        self.loss_sum: torch.Tensor | None = None
        self.seen = 0

    def update(self, out: Any, y: Any, loss: torch.Tensor, size: int) -> None:
        parts = self.task.last_losses
        with torch.no_grad():
            for name, t in self.task.tasks.items():
                part = parts[name] if name in parts else t.loss(out[name], y[name])
                self.parts[name].update(out[name], y[name], part, size)
        total = loss.detach() * size
        self.loss_sum = total if self.loss_sum is None else self.loss_sum + total
        self.seen += size

    def result(self) -> dict[str, float]:
        total = self.loss_sum.item() / max(1, self.seen) if self.loss_sum is not None else 0.0
        out = {"loss": total}
        for name, part in self.parts.items():
            out.update({f"{name}_{k}": v for k, v in part.result().items()})
        if self.task.weighting == "uncertainty":  # the weights learned so far, per epoch
            out.update({f"{n}_weight": w for n, w in self.task.learned_weights().items()})
        return out

    def postfix(self) -> dict[str, str]:
        """The running total loss and the main task's own live view."""
        total = self.loss_sum.item() / max(1, self.seen) if self.loss_sum is not None else 0.0
        main = self.task.main
        view = self.parts[main].postfix()
        view.pop("loss", None)
        return {"loss": f"{total:.4f}", **{f"{main}_{k}": v for k, v in view.items()}}


class MultiTask(Task):
    """Several tasks learned together.

    Args:
        tasks: task name → its task (each a classification or a regression).
        weights: task name → its fixed weight ≥ 0 (default 1 each; with
            uncertainty weighting, the learned weight is multiplied by it).
        weighting: ``fixed`` or ``uncertainty`` (Kendall et al., 2018).
        main: the task a run is judged by (default: the first).
    """

    kind = "multitask"

    def __init__(
        self,
        tasks: Mapping[str, Task],
        weights: Mapping[str, float] | None = None,
        weighting: Weighting = "fixed",
        main: str | None = None,
    ) -> None:
        super().__init__()
        if len(tasks) < 1:
            raise ConfigError("multitask: expected at least one task")
        self.tasks = nn.ModuleDict(dict(tasks))
        names = list(self.tasks)
        weights = dict(weights or {})
        for name, w in weights.items():
            if name not in names:
                raise ConfigError(
                    f"multitask.weights: no task {name!r}; the tasks are {', '.join(names)}"
                )
            number = isinstance(w, (int, float)) and not isinstance(w, bool)
            if not number or not w >= 0 or not math.isfinite(w):
                raise ConfigError(
                    f"multitask.weights.{name}: expected a finite weight ≥ 0, got {w!r}"
                )
        if weighting not in ("fixed", "uncertainty"):
            raise ConfigError(
                f"multitask.weighting: expected fixed or uncertainty, got {weighting!r}"
            )
        self.weights = {name: float(weights.get(name, 1.0)) for name in names}
        if not any(self.weights.values()):
            raise ConfigError("multitask.weights: every weight is 0; nothing would be learned")
        self.weighting = weighting
        #: each task's loss at the last :meth:`loss` call, detached
        self.last_losses: dict[str, torch.Tensor] = {}
        self.main = main if main is not None else names[0]
        if self.main not in names:
            raise ConfigError(f"task.main: no task {self.main!r}; the tasks are {', '.join(names)}")
        if weighting == "uncertainty":
            #: sₖ = log σₖ², learned (Kendall et al., 2018)
            self.log_vars = nn.Parameter(torch.zeros(len(names)))

    @property
    def primary(self) -> str:
        return f"{self.main}_{self.tasks[self.main].primary}"

    @property
    def metric_names(self) -> list[str]:
        return ["loss"] + [f"{n}_{m}" for n, t in self.tasks.items() for m in t.metric_names]

    @property
    def out_features(self) -> dict[str, int]:
        return {name: t.out_features for name, t in self.tasks.items()}

    def fit(self, y: Mapping[str, torch.Tensor]) -> MultiTask:
        for name, t in self.tasks.items():
            t.fit(y[name])
        return self

    def combine(self, losses: Mapping[str, torch.Tensor]) -> torch.Tensor:
        """The total loss of the tasks' losses (fixed or uncertainty weights)."""
        total: torch.Tensor | float = 0.0
        for i, (name, t) in enumerate(self.tasks.items()):
            w = self.weights[name]
            if w == 0:
                continue
            if self.weighting == "uncertainty":
                s = self.log_vars[i]
                scale = 0.5 if t.kind == "regression" else 1.0
                total = total + w * (scale * torch.exp(-s) * losses[name] + 0.5 * s)
            else:
                total = total + w * losses[name]
        return total  # type: ignore[return-value]

    def loss(self, out: Mapping[str, torch.Tensor], y: Mapping[str, torch.Tensor]) -> torch.Tensor:
        """The combined loss; each task's part is kept, detached, in :attr:`last_losses`
        (the epoch's running metrics read it instead of computing it again)."""
        losses = {n: t.loss(out[n], y[n]) for n, t in self.tasks.items()}
        self.last_losses = {n: v.detach() for n, v in losses.items()}
        return self.combine(losses)

    def running(self) -> Running:
        return _RunningMulti(self)

    def _joined(self, parts: dict[str, dict[str, float]]) -> dict[str, float]:
        with torch.no_grad():
            device = next(iter(self.buffers()), torch.zeros(())).device
            losses = {n: torch.tensor(p["loss"], device=device) for n, p in parts.items()}
            out = {"loss": float(self.combine(losses))}
        for name, p in parts.items():
            out.update({f"{name}_{k}": v for k, v in p.items()})
        return out

    def evaluate(self, out: Any, y: Any) -> dict[str, float]:
        return self._joined({n: t.evaluate(out[n], y[n]) for n, t in self.tasks.items()})

    def predict(self, out: Any) -> dict[str, torch.Tensor]:
        return {n: t.predict(out[n]) for n, t in self.tasks.items()}

    def score(self, pred: Any, y: Any) -> dict[str, float]:
        return self._joined({n: t.score(pred[n], y[n]) for n, t in self.tasks.items()})

    def learned_weights(self) -> dict[str, float]:
        """Each task's effective weight (exp(−sₖ), times ½ for regression, with uncertainty)."""
        if self.weighting != "uncertainty":
            return dict(self.weights)
        out = {}
        for i, (name, t) in enumerate(self.tasks.items()):
            scale = 0.5 if t.kind == "regression" else 1.0
            out[name] = self.weights[name] * scale * float(torch.exp(-self.log_vars[i].detach()))
        return out

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "tasks": {n: t.describe() for n, t in self.tasks.items()},
            "weights": dict(self.weights),
            "weighting": self.weighting,
            "main": self.main,
        }
