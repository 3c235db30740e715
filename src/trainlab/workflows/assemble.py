"""Recipe → engine objects: strategy callbacks, a member's model, its trainer.

The engine takes plain arguments (``EarlyStopping(monitor, patience, …)``,
``Trainer(model, optimizer, …)``); this module reads the recipe and builds
them, in a fixed, explicit order, so that a run's behaviour never depends on
registration or import order. A member's model is built right after its seed
is set (``epoch_seed(seed + member, 0, member)``), so that its initial weights
depend on the recipe and the member only.

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

Label smoothing is not a callback: it is the training loss of the task's
classification targets (:mod:`~trainlab.workflows.task_setup`). Soft parameter
sharing's penalty is a strategy too (``soft-sharing``, last of them).

Example:
    >>> from trainlab.config.recipe import Recipe
    >>> from trainlab.workflows.assemble import strategy_callbacks
    >>> on = {"regularization.l2": 1e-3, "early_stopping.enabled": True}
    >>> r = Recipe.load("wine-mlp").override(on)
    >>> [type(cb).__name__ for cb in strategy_callbacks(r, num_classes=3)]
    ['EarlyStopping', 'Penalty']
    >>> try:
    ...     strategy_callbacks(r.override({"regularization.label_flip": 0.1}), num_classes=0)
    ... except ConfigError as exc:
    ...     print(exc)
    regularization.label_flip: flips class labels; the task learns no single classification target
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch

from trainlab.config.recipe import ModelConfig, Recipe
from trainlab.core.errors import ConfigError
from trainlab.core.seeding import epoch_seed
from trainlab.engine.callbacks import Callback
from trainlab.engine.distributed import current
from trainlab.engine.loop import Trainer, steps_per_epoch
from trainlab.engine.optim import build_optimizer, build_scheduler
from trainlab.engine.strategies.early_stopping import EarlyStopping
from trainlab.engine.strategies.input_noise import InputNoise
from trainlab.engine.strategies.label_flip import LabelFlip
from trainlab.engine.strategies.penalties import Penalty
from trainlab.engine.strategies.soft_sharing import SoftSharing
from trainlab.engine.strategies.weight_noise import WeightNoise
from trainlab.engine.tasks import Task
from trainlab.models import StagedModel, build_model, build_multitask_model
from trainlab.models.init import apply_init
from trainlab.workflows.model_choice import resolve_model
from trainlab.workflows.prepare import PreparedData
from trainlab.workflows.task_setup import build_task, head_sizes
from trainlab.workflows.text_setup import transfer_text
from trainlab.workflows.transfer_setup import Transfer, TransferSetup

if TYPE_CHECKING:
    from trainlab.augment.video.channels import ClipChannels


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
    if p > 0 and num_classes == 0:
        raise ConfigError(
            "regularization.label_flip: flips class labels; "
            "the task learns no single classification target"
        )
    return LabelFlip(p, num_classes) if p > 0 and num_classes > 1 else None


def _penalty(recipe: Recipe, num_classes: int) -> Callback | None:
    r = recipe.regularization
    if r.l1 == 0 and r.l2 == 0:
        return None
    return Penalty(r.l1, r.l2, r.penalize_bias)


def _weight_noise(recipe: Recipe, num_classes: int) -> Callback | None:
    std = recipe.regularization.weight_noise
    return WeightNoise(std) if std > 0 else None


def _soft_sharing(recipe: Recipe, num_classes: int) -> Callback | None:
    m = recipe.multitask
    if m.sharing != "soft" or m.soft_penalty == 0 or not recipe.task.targets:
        return None
    return SoftSharing(m.soft_penalty, include_bias=recipe.regularization.penalize_bias)


#: the strategies that act through callbacks, in the order they run in every batch
STRATEGY_CALLBACKS: tuple[tuple[str, Callable[[Recipe, int], Callback | None]], ...] = (
    ("early-stopping", _early_stopping),  # early_stopping.*
    ("input-noise", _input_noise),  # regularization.input_noise
    ("label-flip", _label_flip),  # regularization.label_flip
    ("penalty", _penalty),  # regularization.l1, .l2, .penalize_bias
    ("weight-noise", _weight_noise),  # regularization.weight_noise
    ("soft-sharing", _soft_sharing),  # multitask.sharing: soft, multitask.soft_penalty
)


def strategy_callbacks(recipe: Recipe, num_classes: int) -> list[Callback]:
    """The callbacks of the recipe's strategies that are switched on, in a fixed order.

    ``num_classes``: the classes of the task's single classification target (0: the
    task is a regression or multitask learning, and no strategy may flip labels).
    """
    out = []
    for _, build in STRATEGY_CALLBACKS:
        cb = build(recipe, num_classes)
        if cb is not None:
            out.append(cb)
    return out


def augment_callback(recipe: Recipe, data: PreparedData, seed: int) -> Callback | None:
    """The training-batch augmentation of the recipe's ``augment`` list (None without one)."""
    if not recipe.augment:
        return None
    if data.modality == "text":
        from trainlab.workflows.text_setup import text_augment_callback

        return text_augment_callback(recipe, data, seed)
    from trainlab.augment.pipeline import build_augmentations, raw_zero
    from trainlab.engine.augment import Augment
    from trainlab.workflows.audio_setup import with_sample_rate

    specs = with_sample_rate(recipe.augment, data.summary.get("sample_rate"))
    spectral = data.frontend is not None and data.frontend.config["features"] != "waveform"
    augs = build_augmentations(
        specs, modality=data.modality, spectrograms=spectral, channels=clip_layout(data)
    )
    mixing = [spec["name"] for spec, a in zip(recipe.augment, augs, strict=True) if a.mixes_labels]
    if mixing and _label_classes(data) == 0:
        raise ConfigError(
            f"augment: {mixing[0]} mixes class labels; "
            "the task learns no single classification target"
        )
    offset = raw_zero(data.preprocessor, data.in_shape)
    return Augment(augs, len(data.classes), seed, offset)


def clip_layout(data: PreparedData) -> ClipChannels | None:
    """The video clips' channel layout (flow, masks) for the augmentations; None otherwise."""
    if data.modality != "video" or data.video is None:
        return None
    from trainlab.augment.video.channels import clip_channels

    return clip_channels(data.video, data.preprocessor, data.in_shape)


def check_strategies(recipe: Recipe, data: PreparedData) -> None:
    """Fail early, naming the key, when a strategy or augmentation does not fit the task
    (a label flip or a label-mixing augmentation without a single classification target)."""
    strategy_callbacks(recipe, _label_classes(data))
    if data.modality == "text":  # built in the data's language and fitted, once
        from trainlab.workflows.text_setup import text_augmentations

        if recipe.augment:
            text_augmentations(recipe, data)
    else:
        augment_callback(recipe, data, recipe.seed)


def _label_classes(data: PreparedData) -> int:
    """The classes of the single classification target (0: regression or multitask)."""
    one = len(data.targets) == 1 and data.targets[0].kind == "classification"
    return len(data.classes) if one else 0


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
        if key == "model.name" and value == ModelConfig.AUTO:
            continue  # resolved once the data are loaded (workflows.model_choice)
        try:
            reg.canonical(value)
        except ConfigError as exc:
            raise ConfigError(f"{key}: {exc}") from None


def check_augmentations(recipe: Recipe, modality: str | None = None) -> None:
    """Fail early, naming the key, when the recipe's ``augment`` list is not valid.

    Without ``modality``: names and arguments only, before any data are read.
    """
    if recipe.augment:
        from trainlab.augment.pipeline import build_augmentations

        build_augmentations(recipe.augment, modality=modality)


def use_amp(recipe: Recipe, device: torch.device) -> bool:
    """Mixed precision: on CUDA unless ``train.amp`` is off."""
    return device.type == "cuda" and recipe.train.amp != "off"


def build_run_model(
    recipe: Recipe, data: PreparedData, transfer: Transfer | None = None
) -> StagedModel:
    """The run's untrained model (``transfer.architecture: checkpoint`` takes the source's).

    Several learned targets make a multitask model (``multitask.sharing``: one head
    per target on shared stages, or one network per target).
    """
    recipe = resolve_model(recipe, data.modality)
    if data.text is not None and recipe.model.vocab_size is None:  # text: the fitted vocabulary
        recipe = recipe.override({"model.vocab_size": len(data.text.vocabulary)})
    sizes = head_sizes(data)
    in_shape = data.model_in_shape
    if isinstance(sizes, dict):
        if transfer is not None and recipe.transfer.architecture == "checkpoint":
            raise ConfigError(
                "transfer.architecture: checkpoint builds a single-task model; "
                "use architecture: recipe for multitask learning"
            )
        m = recipe.multitask
        model = build_multitask_model(
            recipe.model, in_shape, sizes, sharing=m.sharing, cross_stitch=m.cross_stitch
        )
    elif transfer is not None:
        model = transfer.build_model(recipe.model, in_shape, sizes)
    else:
        model = build_model(recipe.model, in_shape, sizes)
    if data.frontend is not None:  # audio: the model takes waveforms
        model.attach_frontend(copy.deepcopy(data.frontend), data.frontend.config)
    return model


@dataclass(frozen=True)
class MemberModel:
    """One ensemble member's model before training, and what its transfer set up (or None)."""

    member: int
    model: StagedModel
    transfer: TransferSetup | None


def build_member_model(
    recipe: Recipe, data: PreparedData, transfer: Transfer | None, member: int
) -> MemberModel:
    """Seed, build and initialize member ``member``'s model; copy its transfer's stages.

    Raises:
        CheckpointError: the transfer's checkpoint does not fit the model.
        ConfigError: the transfer's strategy does not fit the copied stages.
    """
    torch.manual_seed(epoch_seed(recipe.seed + member, 0, member))
    model = build_run_model(recipe, data, transfer)
    apply_init(model, recipe.init.scheme, recipe.init.std)
    text = transfer_text(recipe, data) if transfer is not None else None
    setup = None if transfer is None else transfer.attach(model, data.classes, text, member, data)
    return MemberModel(member, model, setup)


def _callbacks(
    recipe: Recipe,
    data: PreparedData,
    built: MemberModel,
    probes: Sequence[Callback],
    save_state: Callback | None,
) -> list[Callback]:
    """A member's callbacks, in :func:`callback_order`."""
    return callback_order(
        strategy_callbacks(recipe, _label_classes(data)),
        transfer=built.transfer.callback if built.transfer is not None else None,
        augment=augment_callback(recipe, data, recipe.seed + built.member),
        probes=probes,
        save_state=save_state,
    )


def make_trainer(
    recipe: Recipe,
    data: PreparedData,
    built: MemberModel,
    device: torch.device,
    probes: Sequence[Callback] = (),
    save_state: Callback | None = None,
) -> Trainer:
    """The trainer of one member's model: optimizer (with the transfer's parameter groups),
    schedule, callbacks (:func:`callback_order`) and the recipe's training settings."""
    model, member = built.model, built.member
    params: Any = built.transfer.groups if built.transfer is not None else model.parameters()
    task = build_task(recipe, data)
    model.to(device)
    optimizer = build_optimizer(_with_task(params, task), recipe.optimizer)
    distributed = current()  # this rank's place in a DDP run, or None
    world = distributed.world if distributed is not None else 1
    if data.streamed:  # a stream's own batches, the last one as small as it comes
        steps = math.ceil(data.sizes["train"] / recipe.train.batch_size)
    else:
        steps = steps_per_epoch(data.sizes["train"], recipe.train.batch_size, world)
    scheduler = build_scheduler(
        optimizer, recipe.schedule, steps_per_epoch=steps, epochs=recipe.train.epochs
    )
    members = recipe.ensemble.members
    return Trainer(
        model,
        optimizer,
        scheduler,
        epochs=recipe.train.epochs,
        batch_size=recipe.train.batch_size,
        eval_batch_size=recipe.train.eval_batch_size,
        task=task,
        callbacks=_callbacks(recipe, data, built, probes, save_state),
        device=device,
        amp=use_amp(recipe, device),
        clip_grad_norm=recipe.train.clip_grad_norm,
        seed=recipe.seed + member,
        member=member,
        progress=recipe.train.progress and (distributed is None or distributed.is_main),
        desc=f"{recipe.name}" + (f" [{member + 1}/{members}]" if members > 1 else ""),
        distributed=distributed,
        compile=None if recipe.train.compile == "off" else recipe.train.compile,
    )


def _with_task(params: Any, task: Task) -> Any:
    """The model's parameters, plus the task's own (uncertainty weights) as a group
    without weight decay; unchanged when the task learns nothing."""
    own = list(task.parameters())
    if not own:
        return params
    groups = list(params)
    if groups and not isinstance(groups[0], dict):
        groups = [{"params": groups}]
    return [*groups, {"params": own, "weight_decay": 0.0}]
