"""Augmentations in recipes: build them by name, apply them to training batches.

A recipe's ``augment:`` list names augmentations and their arguments; they
run in order on training batches only, on the training device, with a
generator re-seeded every epoch (so a resumed run draws the same
augmentations). Augmentations that mix labels turn the targets into soft
targets, which the loss and the accuracy understand.

Example:
    >>> from trainlab.augment.pipeline import build_augmentations
    >>> spec = [{"name": "affine", "rotation": 15, "p": 0.5}]
    >>> augs = build_augmentations(spec, modality="image")
    >>> type(augs[0]).__name__, augs[0].p
    ('RandomAffine', 0.5)
"""

from __future__ import annotations

import inspect
from typing import Any

import torch

from trainlab.augment._base import Augmentation
from trainlab.errors import ConfigError
from trainlab.registry import AUGMENTATIONS
from trainlab.train.callbacks import Callback
from trainlab.train.loop import epoch_seed

_RANKS = {"image": 4, "signal": 3}


def _import_all() -> None:
    from trainlab import augment  # noqa: F401 - registers every augmentation


def build_augmentation(spec: dict[str, Any], *, where: str = "augment") -> Augmentation:
    """One augmentation from ``{name: …, **arguments}``; errors name the argument."""
    _import_all()
    spec = dict(spec)
    name = spec.pop("name", None)
    if not isinstance(name, str):
        raise ConfigError(f"{where}: needs a name, e.g. {{name: affine}}")
    try:
        cls = AUGMENTATIONS.get(name)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    params = inspect.signature(cls.__init__).parameters
    known = [
        k for k in params if k != "self" and params[k].kind is not inspect.Parameter.VAR_KEYWORD
    ]
    for key in spec:
        if key not in known:
            raise ConfigError(
                f"{where}.{key}: unknown argument of {name!r}; expected one of: {', '.join(known)}"
            )
    try:
        return cls(**spec)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where} ({name}): {exc}") from None


def build_augmentations(specs: list[dict[str, Any]], *, modality: str) -> list[Augmentation]:
    """The recipe's augmentations; each must accept batches of the data's rank."""
    augs = []
    for i, spec in enumerate(specs):
        aug = build_augmentation(spec, where=f"augment[{i}]")
        rank = _RANKS.get(modality)
        if rank is None or rank not in aug.ranks:
            kinds = {4: "images", 3: "1-D signals"}
            accepts = " and ".join(kinds[r] for r in aug.ranks)
            raise ConfigError(
                f"augment[{i}]: {spec['name']!r} works on {accepts}, but the data are {modality}"
            )
        augs.append(aug)
    return augs


class Augment(Callback):
    """Applies augmentations to every training batch, on its device.

    Args:
        augmentations: applied in order.
        num_classes: for the soft targets of label-mixing augmentations.
        seed: base seed; the generator is re-seeded from (seed, epoch) every epoch.
    """

    def __init__(self, augmentations: list[Augmentation], num_classes: int, seed: int = 0) -> None:
        self.augmentations = augmentations
        self.num_classes = num_classes
        self.seed = seed
        self.generator: torch.Generator | None = None

    def on_epoch_start(self, trainer, epoch: int) -> None:
        device = trainer.device
        gen_device = device if device.type == "cuda" else torch.device("cpu")
        self.generator = torch.Generator(device=gen_device)
        self.generator.manual_seed(epoch_seed(self.seed + 7919, epoch, trainer.member))

    def on_train_batch(self, trainer, x: torch.Tensor, y: torch.Tensor):
        for aug in self.augmentations:
            params = aug.sample_params(x, self.generator)
            x = aug.apply(x, params)
            if aug.mixes_labels:
                if y.ndim == 1:
                    y = torch.nn.functional.one_hot(y, self.num_classes).to(x.dtype)
                y = aug.apply_targets(y, params)
        return x, y
