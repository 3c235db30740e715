"""Noise on the inputs: x' = x + σ·ε, ε ~ N(0, I), on training batches only.

Training with small input noise is equivalent to Tikhonov regularization
(Bishop, *Training with Noise is Equivalent to Tikhonov Regularization*,
Neural Computation 7(1), 1995): to first order it penalizes the squared norm of
the network's input gradient. The lecture's "ruido en las entradas".

The work is done by the one kernel of input noise,
:func:`trainlab.augment.noise.add_gaussian_noise` (also behind the
``gaussian-noise`` augmentation); this callback applies it to every training
batch, whatever its rank, with ε drawn from the trainer's generator.

Example:
    >>> import torch
    >>> from trainlab.engine.strategies.input_noise import InputNoise
    >>> class T:  # the trainer's generator, re-seeded every epoch
    ...     generator = torch.Generator().manual_seed(0)
    >>> batch = {"x": torch.zeros(2000, 3), "y": torch.zeros(2000, dtype=torch.long)}
    >>> noisy = InputNoise(0.5).on_train_batch(T, batch)
    >>> round(float(noisy["x"].std()), 1), noisy["y"] is batch["y"]
    (0.5, True)
"""

from __future__ import annotations

import math

from trainlab.augment.noise import add_gaussian_noise
from trainlab.core.errors import ConfigError
from trainlab.engine.batch import Batch
from trainlab.engine.callbacks import Callback


class InputNoise(Callback):
    """Gaussian noise of standard deviation ``std`` on the training inputs.

    Args:
        std: σ, in units of the (preprocessed) inputs; non-negative.
    """

    name = "input-noise"

    def __init__(self, std: float) -> None:
        if not (isinstance(std, (int, float)) and math.isfinite(std) and std >= 0):
            raise ConfigError(f"input noise: expected a standard deviation ≥ 0, got {std!r}")
        self.std = float(std)

    def on_train_batch(self, trainer, batch: Batch) -> Batch:
        return {**batch, "x": add_gaussian_noise(batch["x"], self.std, trainer.generator)}
