"""Classification: class logits, cross-entropy, accuracy.

The model outputs one logit per class; the training loss is the mean
cross-entropy (or a given loss, e.g. label smoothing); a prediction is the
softmax probabilities, and an ensemble's prediction their mean
(:mod:`trainlab.engine.strategies.ensemble`). The validation loss is always
the plain cross-entropy, so that runs with and without label smoothing are
comparable.

Example:
    >>> import torch
    >>> from trainlab.engine.tasks import Classification
    >>> t = Classification(["no", "yes"])
    >>> logits, y = torch.tensor([[2.0, 0.0], [0.0, 1.0]]), torch.tensor([0, 0])
    >>> t.evaluate(logits, y)["acc"]
    0.5
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
import torch.nn.functional as F

from trainlab.core.errors import ConfigError
from trainlab.engine.tasks.base import Running, Task


class _RunningClassification(Running):
    def __init__(self) -> None:
        self.loss_sum: torch.Tensor | None = None
        self.correct: torch.Tensor | None = None
        self.seen = 0

    def update(self, out: torch.Tensor, y: torch.Tensor, loss: torch.Tensor, size: int) -> None:
        if self.loss_sum is None:
            self.loss_sum = torch.zeros((), device=loss.device)
            self.correct = torch.zeros((), device=loss.device, dtype=torch.long)
        self.seen += size
        self.loss_sum += loss.detach() * size
        hard = y if y.ndim == 1 else y.argmax(1)  # soft targets: mixup, cutmix
        self.correct += (out.detach().argmax(1) == hard).sum()

    def result(self) -> dict[str, float]:
        if self.loss_sum is None or self.correct is None:
            return {"loss": 0.0, "acc": 0.0}
        n = max(1, self.seen)
        return {"loss": self.loss_sum.item() / n, "acc": self.correct.item() / n}


class Classification(Task):
    """One label per example among ``classes``.

    Args:
        classes: the class names (index = label); None when they are not known
            (a bare :class:`~trainlab.engine.loop.Trainer`: no head size to give).
        loss: the training loss ``(logits, targets) → scalar`` (default: mean
            cross-entropy); targets are class indices or soft targets.
    """

    kind = "classification"

    def __init__(
        self,
        classes: Sequence[str] | None,
        loss: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] | None = None,
    ) -> None:
        super().__init__()
        if classes is not None and len(classes) < 1:
            raise ConfigError("classification: expected at least one class")
        self.classes = [str(c) for c in classes] if classes is not None else None
        self.loss_fn = loss if loss is not None else F.cross_entropy

    @property
    def primary(self) -> str:
        return "acc"

    @property
    def metric_names(self) -> list[str]:
        return ["loss", "acc"]

    @property
    def out_features(self) -> int:
        if self.classes is None:
            raise ConfigError("classification: the classes are not known, nor the head's size")
        return len(self.classes)

    def loss(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return self.loss_fn(out, y)

    def running(self) -> Running:
        return _RunningClassification()

    def evaluate(self, out: torch.Tensor, y: torch.Tensor) -> dict[str, float]:
        """Mean cross-entropy (without smoothing) and accuracy of logits ``out``."""
        y = y.to(out.device)
        return {
            "loss": F.cross_entropy(out, y).item(),
            "acc": (out.argmax(1) == y).float().mean().item(),
        }

    def predict(self, out: torch.Tensor) -> torch.Tensor:
        """Class probabilities (N, classes)."""
        return out.float().softmax(1)

    def score(self, pred: torch.Tensor, y: torch.Tensor) -> dict[str, float]:
        """Negative log-likelihood and accuracy of probabilities ``pred``."""
        y = y.to(pred.device)
        nll = -torch.log(pred.gather(1, y[:, None]).clamp_min(1e-12)).mean()
        return {"loss": nll.item(), "acc": (pred.argmax(1) == y).float().mean().item()}

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "classes": list(self.classes or [])}

    def extra_repr(self) -> str:
        return f"classes={len(self.classes) if self.classes is not None else '?'}"
