"""Callbacks: one hook per event of the training loop.

A strategy that is not part of the model (noise, penalties, early stopping,
checkpoints) is a :class:`Callback`. The loop calls only the hooks a callback
overrides, so an unused hook costs nothing per batch. ``state_dict`` and
``load_state_dict`` let a resumed run continue exactly.

Events, in order: ``on_fit_start``; per epoch ``on_epoch_start``; per batch
``on_train_batch`` (may replace inputs and targets), ``on_before_forward``,
``on_loss`` (may add terms), ``on_after_backward``, ``on_batch_end``; then
``on_epoch_end`` (after validation, with the epoch's logs); ``on_fit_end``.

Example:
    >>> from trainlab.engine.callbacks import Callback
    >>> class CountBatches(Callback):
    ...     def __init__(self):
    ...         self.n = 0
    ...     def on_batch_end(self, trainer, step):
    ...         self.n += 1
    >>> CountBatches().state_dict()
    {}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch

if TYPE_CHECKING:
    from trainlab.engine.loop import Trainer

HOOKS = (
    "on_fit_start",
    "on_epoch_start",
    "on_train_batch",
    "on_before_forward",
    "on_loss",
    "on_after_backward",
    "on_batch_end",
    "on_epoch_end",
    "on_fit_end",
)


class Callback:
    """Base class: every hook does nothing."""

    def on_fit_start(self, trainer: Trainer) -> None:
        """Before the first epoch (also when resuming)."""

    def on_epoch_start(self, trainer: Trainer, epoch: int) -> None:
        """Before epoch ``epoch`` (1-based)."""

    def on_train_batch(
        self, trainer: Trainer, x: torch.Tensor, y: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Transform a training batch; return the (possibly new) inputs and targets."""
        return x, y

    def on_before_forward(self, trainer: Trainer) -> None:
        """Just before the forward pass of a training step."""

    def on_loss(self, trainer: Trainer, loss: torch.Tensor) -> torch.Tensor:
        """Return the loss to minimize (e.g. with a penalty added)."""
        return loss

    def on_after_backward(self, trainer: Trainer) -> None:
        """After gradients are computed, before the optimizer step."""

    def on_batch_end(self, trainer: Trainer, step: int) -> None:
        """After the optimizer step ``step`` (global, 0-based)."""

    def on_epoch_end(self, trainer: Trainer, epoch: int, logs: dict[str, float]) -> None:
        """After validation; ``logs`` is the epoch's history row (may be extended)."""

    def on_fit_end(self, trainer: Trainer) -> None:
        """After the last epoch, or after an early stop."""

    def state_dict(self) -> dict[str, Any]:
        """What a resumed run needs to continue exactly."""
        return {}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned."""


def overrides(cb: Callback, hook: str) -> bool:
    """Whether ``cb`` implements ``hook`` itself (not the base no-op)."""
    return getattr(type(cb), hook) is not getattr(Callback, hook)
