"""Noise on the outputs: each training label flipped to another class with probability p.

The lecture's "ruido en las salidas": with probability ``p`` a training label
is replaced by a class drawn uniformly among the *other* ``K − 1`` classes,
so the target distribution is (1 − p) on the given class and p / (K − 1) on
each other one (the label-noise model of Natarajan et al., *Learning with Noisy
Labels*, NeurIPS 2013; a draw-based cousin of label smoothing, Szegedy et al., 2016).

Example:
    >>> import torch
    >>> from trainlab.engine.strategies.label_flip import flip_labels
    >>> g = torch.Generator().manual_seed(0)
    >>> y = torch.zeros(1000, dtype=torch.long)
    >>> flipped = flip_labels(y, 0.2, num_classes=10, generator=g)
    >>> 0.15 < (flipped != y).float().mean().item() < 0.25
    True
"""

from __future__ import annotations

import torch

from trainlab.core.errors import ConfigError
from trainlab.engine.batch import Batch
from trainlab.engine.callbacks import Callback


def flip_labels(
    y: torch.Tensor, p: float, num_classes: int, generator: torch.Generator | None = None
) -> torch.Tensor:
    """Replace each label with probability ``p`` by a uniformly drawn different class.

    Args:
        y: integer class labels, any shape.
        p: probability of a flip.
        num_classes: K; a flipped label is ``(y + u) mod K`` with u ~ U{1, …, K − 1}.
        generator: the draws are made on its device (torch's global generator without one).

    Example:
        >>> import torch
        >>> y = torch.arange(4)
        >>> flip_labels(y, 1.0, 4, torch.Generator().manual_seed(0)).ne(y).all().item()
        True
    """
    gdev = generator.device if generator is not None else y.device
    flip = torch.rand(y.shape, generator=generator, device=gdev).to(y.device) < p
    offset = torch.randint(1, num_classes, y.shape, generator=generator, device=gdev)
    return torch.where(flip, (y + offset.to(y.device)) % num_classes, y)


class LabelFlip(Callback):
    """Flip each training label to another class with probability ``p``.

    Args:
        p: probability of a flip, in [0, 1).
        num_classes: number of classes K (at least 2).
    """

    name = "label-flip"

    def __init__(self, p: float, num_classes: int) -> None:
        if not (isinstance(p, (int, float)) and 0.0 <= p < 1.0):
            raise ConfigError(f"label flip: expected a probability in [0, 1), got {p!r}")
        if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2:
            raise ConfigError(f"label flip: expected at least 2 classes, got {num_classes!r}")
        self.p, self.num_classes = float(p), num_classes

    def on_train_batch(self, trainer, batch: Batch) -> Batch:
        y = flip_labels(batch["y"], self.p, self.num_classes, trainer.generator)
        return {**batch, "y": y}
