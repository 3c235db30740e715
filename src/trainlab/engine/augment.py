"""The training-batch augmentation step: a callback that runs an augmentation list.

Augmentations run in order on training batches only, on the training device,
with a generator re-seeded from (seed, epoch, member) every epoch, so a resumed
run draws the same augmentations.

Example:
    >>> from trainlab.augment.pipeline import build_augmentations
    >>> from trainlab.engine.augment import Augment
    >>> cb = Augment(build_augmentations([{"name": "flip"}], modality="image"), num_classes=10)
    >>> [type(a).__name__ for a in cb.augmentations]
    ['RandomFlip']
"""

from __future__ import annotations

import torch

from trainlab.augment._base import Augmentation
from trainlab.augment.pipeline import augment_batch
from trainlab.core.seeding import epoch_seed
from trainlab.engine.batch import Batch
from trainlab.engine.callbacks import Callback


class Augment(Callback):
    """Applies augmentations to every training batch, on its device.

    Args:
        augmentations: applied in order.
        num_classes: for the soft targets of label-mixing augmentations.
        seed: base seed; the generator is re-seeded from (seed, epoch) every epoch.
        offset: the preprocessed raw zero (:func:`raw_zero`); None: plain zero.
    """

    def __init__(
        self,
        augmentations: list[Augmentation],
        num_classes: int,
        seed: int = 0,
        offset: torch.Tensor | None = None,
    ) -> None:
        self.augmentations = augmentations
        self.num_classes = num_classes
        self.seed = seed
        self.offset = offset
        self.generator: torch.Generator | None = None

    def on_epoch_start(self, trainer, epoch: int) -> None:
        device = trainer.device
        gen_device = device if device.type == "cuda" else torch.device("cpu")
        self.generator = torch.Generator(device=gen_device)
        self.generator.manual_seed(epoch_seed(self.seed + 7919, epoch, trainer.member))

    def on_fit_start(self, trainer) -> None:
        if self.offset is not None:
            self.offset = self.offset.to(trainer.device)

    def on_train_batch(self, trainer, batch: Batch) -> Batch:
        x, y = augment_batch(
            self.augmentations,
            batch["x"],
            batch["y"],
            self.generator,
            offset=self.offset,
            num_classes=self.num_classes,
            frontend=getattr(getattr(trainer, "model", None), "frontend", None),
        )
        return {**batch, "x": x, "y": y}
