"""Recipe → engine objects: the one place where a recipe's strategy keys become callbacks.

The engine's strategies take plain arguments (``EarlyStopping(monitor,
patience, …)``); this module reads the recipe and builds them, in a fixed,
explicit order, so that a run's behaviour never depends on registration or
import order.

**Callback order.** The trainer calls its callbacks in the order it is given,
at every event; :func:`callback_order` chooses it, once for every run:

1. the transfer callback: it freezes stages before the others look at
   ``requires_grad`` (the penalty and weight noise pick their parameters then);
2. the augmentations: the strategies see the augmented batch;
3. the recipe's strategies, in :data:`STRATEGY_CALLBACKS` order (early
   stopping, input noise, label flip, penalty, weight noise); the strategies
   that draw (noise, flips) draw from the trainer's generator in this order;
4. the probes: they record an epoch after the strategies acted on it;
5. the state saving: last, so the saved state holds every other callback's
   state at the end of the epoch.

Label smoothing is not a callback: it is the trainer's loss
(:func:`training_loss`).

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.assemble import strategy_callbacks
    >>> on = {"regularization.l2": 1e-3, "early_stopping.enabled": True}
    >>> r = Recipe.load("wine-mlp").override(on)
    >>> [type(cb).__name__ for cb in strategy_callbacks(r, num_classes=3)]
    ['EarlyStopping', 'Penalty']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError
from trainlab.engine.callbacks import Callback
from trainlab.engine.strategies.early_stopping import EarlyStopping
from trainlab.engine.strategies.input_noise import InputNoise
from trainlab.engine.strategies.label_flip import LabelFlip
from trainlab.engine.strategies.label_smoothing import LabelSmoothing
from trainlab.engine.strategies.penalties import Penalty
from trainlab.engine.strategies.weight_noise import WeightNoise
from trainlab.workflows.prepare import PreparedData


def _early_stopping(recipe: Recipe, num_classes: int) -> Callback | None:
    es = recipe.early_stopping
    if not es.enabled:
        return None
    return EarlyStopping(es.monitor, es.patience, es.min_delta, es.restore_best)


def _input_noise(recipe: Recipe, num_classes: int) -> Callback | None:
    std = recipe.regularization.input_noise
    return InputNoise(std) if std > 0 else None


def _label_flip(recipe: Recipe, num_classes: int) -> Callback | None:
    p = recipe.regularization.label_flip
    return LabelFlip(p, num_classes) if p > 0 and num_classes > 1 else None


def _penalty(recipe: Recipe, num_classes: int) -> Callback | None:
    r = recipe.regularization
    if r.l1 == 0 and r.l2 == 0:
        return None
    return Penalty(r.l1, r.l2, r.penalize_bias)


def _weight_noise(recipe: Recipe, num_classes: int) -> Callback | None:
    std = recipe.regularization.weight_noise
    return WeightNoise(std) if std > 0 else None


#: the strategies that act through callbacks, in the order they run in every batch
STRATEGY_CALLBACKS: tuple[tuple[str, Callable[[Recipe, int], Callback | None]], ...] = (
    ("early-stopping", _early_stopping),  # early_stopping.*
    ("input-noise", _input_noise),  # regularization.input_noise
    ("label-flip", _label_flip),  # regularization.label_flip
    ("penalty", _penalty),  # regularization.l1, .l2, .penalize_bias
    ("weight-noise", _weight_noise),  # regularization.weight_noise
)


def strategy_callbacks(recipe: Recipe, num_classes: int) -> list[Callback]:
    """The callbacks of the recipe's strategies that are switched on, in a fixed order."""
    out = []
    for _, build in STRATEGY_CALLBACKS:
        cb = build(recipe, num_classes)
        if cb is not None:
            out.append(cb)
    return out


def training_loss(recipe: Recipe) -> LabelSmoothing | None:
    """The training loss of ``regularization.label_smoothing`` (None: plain cross-entropy)."""
    eps = recipe.regularization.label_smoothing
    return LabelSmoothing(eps) if eps > 0 else None


def augment_callback(recipe: Recipe, data: PreparedData, seed: int) -> Callback | None:
    """The training-batch augmentation of the recipe's ``augment`` list (None without one)."""
    if not recipe.augment:
        return None
    from trainlab.augment.pipeline import build_augmentations, raw_zero
    from trainlab.engine.augment import Augment

    augs = build_augmentations(recipe.augment, modality=data.modality)
    offset = raw_zero(data.preprocessor, data.in_shape)
    return Augment(augs, len(data.classes), seed, offset)


def callback_order(
    strategies: Sequence[Callback],
    *,
    transfer: Callback | None = None,
    augment: Callback | None = None,
    probes: Sequence[Callback] = (),
    save_state: Callback | None = None,
) -> list[Callback]:
    """A member's callbacks in the order the trainer runs them (see the module's notes).

    Example:
        >>> from trainlab.engine.callbacks import Callback
        >>> class Probe(Callback): ...
        >>> class Transfer(Callback): ...
        >>> [cb.name for cb in callback_order([], transfer=Transfer(), probes=[Probe()])]
        ['transfer', 'probe']
    """
    out = [cb for cb in (transfer, augment) if cb is not None]
    out += [*strategies, *probes]
    if save_state is not None:
        out.append(save_state)
    return out


def check_components(recipe: Recipe) -> None:
    """Fail early, naming the key, when a recipe names an unknown component."""
    from trainlab.data.datasets.registry import DATASETS
    from trainlab.engine.optim import OPTIMIZERS, SCHEDULES
    from trainlab.engine.transfer.plans import TRANSFERS
    from trainlab.models.activations import ACTIVATIONS
    from trainlab.models.init import INITS
    from trainlab.models.registry import MODELS
    from trainlab.preprocess.normalize import NORMALIZERS

    for reg, key, value in (
        (DATASETS, "data.dataset", recipe.data.dataset),
        (MODELS, "model.name", recipe.model.name),
        (ACTIVATIONS, "model.activation", recipe.model.activation),
        (INITS, "init.scheme", recipe.init.scheme),
        (NORMALIZERS, "preprocess.normalize", recipe.preprocess.normalize),
        (OPTIMIZERS, "optimizer.name", recipe.optimizer.name),
        (SCHEDULES, "schedule.name", recipe.schedule.name),
        (TRANSFERS, "transfer.strategy", recipe.transfer.strategy),
    ):
        try:
            reg.canonical(value)
        except ConfigError as exc:
            raise ConfigError(f"{key}: {exc}") from None
