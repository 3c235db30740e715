"""Noise on inputs, outputs and parameters (the lecture's regularization by noise).

- inputs: x + ε, ε ~ N(0, σ²), on training batches only (Bishop, 1995: equivalent
  to Tikhonov regularization for small σ);
- outputs: label flipping, each training label replaced with probability p by a
  uniformly drawn *other* class; label smoothing lives in the loss
  (``regularization.label_smoothing``, Szegedy et al., 2016);
- parameters: weight noise, θ + ε for the forward and backward pass of each
  step, the update applied to the clean weights (Graves, 2011; An, 1996).

Example:
    >>> import torch
    >>> from trainlab.engine.strategies.noise import flip_labels
    >>> g = torch.Generator().manual_seed(0)
    >>> y = torch.zeros(1000, dtype=torch.long)
    >>> flipped = flip_labels(y, 0.2, num_classes=10, generator=g)
    >>> 0.15 < (flipped != y).float().mean().item() < 0.25
    True
"""

from __future__ import annotations

import torch
from torch import nn

from trainlab.engine.callbacks import Callback


def add_gaussian_noise(
    x: torch.Tensor, std: float, generator: torch.Generator | None = None
) -> torch.Tensor:
    """``x`` plus N(0, std²) noise (a new tensor)."""
    noise = torch.randn(x.shape, generator=generator, device=x.device, dtype=x.dtype)
    return x + std * noise


def flip_labels(
    y: torch.Tensor, p: float, num_classes: int, generator: torch.Generator | None = None
) -> torch.Tensor:
    """Replace each label with probability ``p`` by a uniformly drawn different class."""
    flip = torch.rand(y.shape, generator=generator, device=y.device) < p
    offset = torch.randint(1, num_classes, y.shape, generator=generator, device=y.device)
    return torch.where(flip, (y + offset) % num_classes, y)


class InputNoise(Callback):
    """Gaussian noise of standard deviation ``std`` on training inputs."""

    def __init__(self, std: float) -> None:
        self.std = std

    def on_train_batch(self, trainer, x, y):
        return add_gaussian_noise(x, self.std), y


class LabelFlip(Callback):
    """Flip each training label to another class with probability ``p``."""

    def __init__(self, p: float, num_classes: int) -> None:
        self.p, self.num_classes = p, num_classes

    def on_train_batch(self, trainer, x, y):
        return x, flip_labels(y, self.p, self.num_classes)


class WeightNoise(Callback):
    """Gaussian noise of standard deviation ``std`` on the weights at each step."""

    def __init__(self, std: float) -> None:
        self.std = std
        self._params: list[nn.Parameter] = []
        self._noise: list[torch.Tensor] = []

    def on_fit_start(self, trainer) -> None:
        self._params = [p for p in trainer.model.parameters() if p.requires_grad and p.ndim > 1]

    @torch.no_grad()
    def on_before_forward(self, trainer) -> None:
        self._noise = [torch.randn_like(p) * self.std for p in self._params]
        for p, e in zip(self._params, self._noise, strict=True):
            p.add_(e)

    @torch.no_grad()
    def on_after_backward(self, trainer) -> None:
        for p, e in zip(self._params, self._noise, strict=True):
            p.sub_(e)
        self._noise = []
