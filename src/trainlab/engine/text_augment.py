"""The training-batch text augmentation step: the batch's strings augmented, then encoded again.

Text augmentations work on strings, before tokenization, so they cannot act
on a batch of token ids or bags of words. A text training batch carries each
example's ``"index"`` into the training split; :class:`TextAugment` looks its
strings up, runs the augmentations in order, and replaces ``"x"`` by the
encoding of the augmented strings (the run's fitted text pipeline). Each
text's draws come from its own key (:func:`~trainlab.augment.text.pipeline.text_params`:
seed, epoch, member, augmentation, index), so an epoch's augmented texts do
not depend on the batches, and a resumed run replays them.

Example:
    >>> import numpy as np, torch
    >>> from trainlab.augment.text.registry import TEXT_AUGMENTATIONS
    >>> from trainlab.engine.text_augment import TextAugment
    >>> texts = ["one two three", "four five six"]
    >>> encode = lambda batch: torch.tensor([[len(t)] for t in batch])
    >>> cb = TextAugment([TEXT_AUGMENTATIONS.get("word-delete")(rate=0.4)], texts, encode)
    >>> batch = {"x": torch.zeros(2, 1), "y": torch.tensor([0, 1]), "index": torch.tensor([1, 0])}
    >>> cb.augmented(batch["index"].tolist())  # this epoch's draws for texts 1 and 0
    ['four six', 'two three']
    >>> cb.on_train_batch(None, batch)["x"].tolist()  # their encodings
    [[8.0], [9.0]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from trainlab.augment.text._base import TextAugmentation
from trainlab.augment.text.pipeline import text_params
from trainlab.engine.batch import Batch
from trainlab.engine.callbacks import Callback

#: the batch entry that holds each example's position in the training split
INDEX = "index"


class TextAugment(Callback):
    """Augments the strings of every training batch and encodes them as the model's inputs.

    Args:
        augmentations: applied in order, on strings.
        texts: the training split's strings, in the order of its examples.
        encode: strings → the model's inputs (the fitted text pipeline's transform).
        seed: base seed of the draws.
    """

    def __init__(
        self,
        augmentations: Sequence[TextAugmentation],
        texts: Sequence[str],
        encode: Callable[[list[str]], torch.Tensor],
        seed: int = 0,
    ) -> None:
        self.augmentations = list(augmentations)
        self.texts = [str(t) for t in texts]
        self.encode = encode
        self.seed = int(seed)
        self.epoch = 0
        self.member = 0

    def on_epoch_start(self, trainer, epoch: int) -> None:
        self.epoch, self.member = int(epoch), int(getattr(trainer, "member", 0))

    def augmented(self, index: Sequence[int]) -> list[str]:
        """The training texts ``index`` after every augmentation, as this epoch draws them."""
        texts = [self.texts[i] for i in index]
        for j, aug in enumerate(self.augmentations):
            key = (self.seed + 7919, self.epoch, self.member, j)
            texts = aug.apply(texts, text_params(aug.p, index, key))
        return texts

    def on_train_batch(self, trainer, batch: Batch) -> Batch:
        if INDEX not in batch:
            raise ValueError(
                f"TextAugment: a text training batch needs the {INDEX!r} of its examples"
            )
        x = batch["x"]
        new = self.encode(self.augmented(batch[INDEX].tolist()))
        return {**batch, "x": new.to(device=x.device, dtype=x.dtype)}
