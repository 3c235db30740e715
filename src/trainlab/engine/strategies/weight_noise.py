"""Noise on the parameters: θ + ε, ε ~ N(0, σ²), for the forward and backward pass of each step.

The lecture's "ruido en los parámetros": every step evaluates the loss and its
gradient at perturbed weights, and the optimizer updates the clean ones
(An, *The Effects of Adding Noise During Backpropagation Training on a
Generalization Performance*, Neural Computation 8(3), 1996; Graves, *Practical
Variational Inference for Neural Networks*, NeurIPS 2011). Weight matrices and
kernels get noise; biases and normalization parameters do not.

Example:
    >>> import torch
    >>> from torch import nn
    >>> from trainlab.engine.strategies.weight_noise import WeightNoise
    >>> class T:
    ...     model = nn.Linear(3, 2)
    ...     generator = torch.Generator().manual_seed(0)
    >>> clean = T.model.weight.detach().clone()
    >>> cb = WeightNoise(0.1)
    >>> cb.on_fit_start(T); cb.on_before_forward(T)
    >>> torch.equal(T.model.weight, clean)
    False
    >>> cb.on_after_backward(T); torch.allclose(T.model.weight, clean)
    True
"""

from __future__ import annotations

import math

import torch
from torch import nn

from trainlab.augment.noise import gaussian_noise
from trainlab.core.errors import ConfigError
from trainlab.engine.callbacks import Callback


class WeightNoise(Callback):
    """Gaussian noise of standard deviation ``std`` on the weights at each step.

    Args:
        std: σ of the noise added to every weight matrix or kernel; non-negative.
    """

    name = "weight-noise"

    def __init__(self, std: float) -> None:
        if not (isinstance(std, (int, float)) and math.isfinite(std) and std >= 0):
            raise ConfigError(f"weight noise: expected a standard deviation ≥ 0, got {std!r}")
        self.std = float(std)
        self._params: list[nn.Parameter] = []
        self._noise: list[torch.Tensor] = []

    def on_fit_start(self, trainer) -> None:
        self._params = [p for p in trainer.model.parameters() if p.requires_grad and p.ndim > 1]

    @torch.no_grad()
    def on_before_forward(self, trainer) -> None:
        gen = trainer.generator
        self._noise = [
            gaussian_noise(p.shape, gen, p.device, p.dtype) * self.std for p in self._params
        ]
        for p, e in zip(self._params, self._noise, strict=True):
            p.add_(e)

    @torch.no_grad()
    def on_after_backward(self, trainer) -> None:
        for p, e in zip(self._params, self._noise, strict=True):
            p.sub_(e)
        self._noise = []
