"""Callbacks: one hook per event of the training loop.

A strategy that is not part of the model (noise, penalties, early stopping,
checkpoints) is a :class:`Callback`. The loop calls only the hooks a callback
overrides, so an unused hook costs nothing per batch. ``state_dict`` and
``load_state_dict`` let a resumed run continue exactly.

Events, in order: ``on_fit_start``; per epoch ``on_epoch_start``; per batch
``on_train_batch`` (may replace the batch: a mapping of inputs, targets, …), ``on_before_forward``,
``on_loss`` (may add terms), ``on_after_backward``, ``on_batch_end``; then
``on_epoch_end`` (after validation, with the epoch's logs); ``on_fit_end``.

**Order.** At every event the trainer calls its callbacks in the order they
were given: the list is the order (for a recipe it is chosen in one place,
:func:`trainlab.workflows.assemble.callback_order`). A callback that changes
the batch, the loss or the weights sees what the ones before it made.

**Names.** Every callback has a stable :attr:`Callback.name`, unique among
the callbacks of a trainer: a resumed trainer gives each callback the state
saved under its name (:meth:`trainlab.engine.loop.Trainer.state_dict`), never
by position. A subclass is named after its class in kebab case
(``EarlyStopping`` → ``early-stopping``) unless it sets ``name``.

**Randomness.** A callback draws from the generator the trainer owns and
re-seeds every epoch (``trainer.generator``), never from torch's global one.

Example:
    >>> from trainlab.engine.callbacks import Callback
    >>> class CountBatches(Callback):
    ...     def __init__(self):
    ...         self.n = 0
    ...     def on_batch_end(self, trainer, step):
    ...         self.n += 1
    >>> CountBatches.name, CountBatches().state_dict()
    ('count-batches', {})
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import torch

from trainlab.core.errors import CheckpointError, ConfigError

if TYPE_CHECKING:
    from trainlab.engine.batch import Batch
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


def default_name(class_name: str) -> str:
    """A class name in kebab case, without leading underscores.

    Example:
        >>> default_name("_SaveState"), default_name("EarlyStopping")
        ('save-state', 'early-stopping')
    """
    return re.sub(r"(?<!^)(?=[A-Z])", "-", class_name.lstrip("_")).lower()


class Callback:
    """Base class: every hook does nothing.

    Attributes:
        name: the key of this callback's state in the trainer's state; unique
            among a trainer's callbacks. Set on a subclass (or an instance) to
            choose it; by default the class name in kebab case.
    """

    name: str = "callback"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:
            cls.name = default_name(cls.__name__)

    def on_fit_start(self, trainer: Trainer) -> None:
        """Before the first epoch (also when resuming)."""

    def on_epoch_start(self, trainer: Trainer, epoch: int) -> None:
        """Before epoch ``epoch`` (1-based)."""

    def on_train_batch(self, trainer: Trainer, batch: Batch) -> Batch:
        """Transform a training batch (a mapping: ``"x"`` inputs, ``"y"`` targets, and
        whatever else its source holds; see :mod:`trainlab.engine.batch`); return the
        (possibly new) batch, never changing the given one in place."""
        return batch

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


def check_names(callbacks: Sequence[Callback]) -> list[str]:
    """The callbacks' names, in order; ``ConfigError`` when one is empty or used twice.

    Example:
        >>> class A(Callback): ...
        >>> check_names([A()])
        ['a']
    """
    names: list[str] = []
    for cb in callbacks:
        name = cb.name
        if not isinstance(name, str) or not name:
            raise ConfigError(
                f"callbacks: {type(cb).__name__} has no name; expected a non-empty string"
            )
        if name in names:
            raise ConfigError(
                f"callbacks: two callbacks are named {name!r}; expected distinct names"
            )
        names.append(name)
    return names


def states_by_name(callbacks: Sequence[Callback]) -> dict[str, dict[str, Any]]:
    """Every callback's :meth:`~Callback.state_dict`, keyed by its name."""
    return {cb.name: cb.state_dict() for cb in callbacks}


def load_states(callbacks: Sequence[Callback], states: Any) -> None:
    """Give each callback the state saved under its name.

    Raises:
        CheckpointError: ``states`` is not a mapping, or its names are not exactly
            the callbacks' names (a state for a callback this trainer lacks, or none
            for one it has).

    Example:
        >>> class A(Callback): ...
        >>> load_states([A()], {"a": {}})
        >>> try:
        ...     load_states([A()], {"b": {}})
        ... except CheckpointError as e:
        ...     print(e)
        callback state: none saved for 'a'; saved for 'b', which is not here; expected ['a']
    """
    names = [cb.name for cb in callbacks]
    if not isinstance(states, dict):
        raise CheckpointError(
            f"callback state: expected a mapping of callback name to state, "
            f"got a {type(states).__name__}"
        )
    missing = [n for n in names if n not in states]
    extra = [n for n in states if n not in names]
    if missing or extra:
        said = []
        if missing:
            said.append(f"none saved for {', '.join(map(repr, missing))}")
        if extra:
            said.append(f"saved for {', '.join(map(repr, extra))}, which is not here")
        raise CheckpointError(f"callback state: {'; '.join(said)}; expected {names}")
    for cb in callbacks:
        cb.load_state_dict(states[cb.name])
