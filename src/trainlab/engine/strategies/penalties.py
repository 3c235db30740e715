"""L1 and L2 penalties on the parameters, as the lecture writes them.

    J(θ) = loss + λ/2 ‖θ‖₁          (ℓ1)
    J(θ) = loss + λ/2 ‖θ‖₂²         (ℓ2)

The ℓ2 term is Tikhonov regularization, or weight decay (Tikhonov, 1963;
Krogh & Hertz, *A Simple Weight Decay Can Improve Generalization*, NeurIPS
1991); the ℓ1 term drives weights to exactly zero (Tibshirani, *Regression
Shrinkage and Selection via the Lasso*, 1996). The loss is the mean
cross-entropy over the batch, so λ is relative to a per-example loss. Biases
and normalization parameters are excluded unless ``penalize_bias`` is set
(Goodfellow et al., *Deep Learning*, 2016, §7.1). For decoupled weight decay
use ``optimizer: {name: adamw, weight_decay: …}`` instead.

Example:
    >>> import torch
    >>> from torch import nn
    >>> from trainlab.engine.strategies.penalties import penalty
    >>> lin = nn.Linear(2, 1)
    >>> with torch.no_grad():
    ...     _ = lin.weight.fill_(2.0)
    >>> penalty(lin, l1=1.0, l2=0.0).item()  # 1/2 * (|2| + |2|)
    2.0
"""

from __future__ import annotations

import math

import torch
from torch import nn

from trainlab.core.errors import ConfigError
from trainlab.engine.callbacks import Callback


def penalized_parameters(model: nn.Module, *, include_bias: bool = False) -> list[nn.Parameter]:
    """Weights of the model (matrices and kernels); with ``include_bias`` every parameter."""
    return [p for p in model.parameters() if p.requires_grad and (include_bias or p.ndim > 1)]


def penalty(
    model: nn.Module, *, l1: float = 0.0, l2: float = 0.0, include_bias: bool = False
) -> torch.Tensor:
    """λ₁/2 ‖θ‖₁ + λ₂/2 ‖θ‖₂² over :func:`penalized_parameters`."""
    return penalty_of(penalized_parameters(model, include_bias=include_bias), l1=l1, l2=l2)


def penalty_of(params: list[nn.Parameter], *, l1: float = 0.0, l2: float = 0.0) -> torch.Tensor:
    """λ₁/2 Σ|θ| + λ₂/2 Σθ² over ``params``."""
    total = torch.zeros((), device=params[0].device if params else "cpu")
    for p in params:
        if l1:
            total = total + (l1 / 2) * p.abs().sum()
        if l2:
            total = total + (l2 / 2) * p.pow(2).sum()
    return total


class Penalty(Callback):
    """Adds the L1 / L2 penalty to every training loss.

    Args:
        l1: λ of the ℓ1 term.
        l2: λ of the ℓ2 term.
        include_bias: penalize biases and normalization parameters too.
    """

    name = "penalty"

    def __init__(self, l1: float = 0.0, l2: float = 0.0, include_bias: bool = False) -> None:
        for key, lam in (("l1", l1), ("l2", l2)):
            if not (isinstance(lam, (int, float)) and math.isfinite(lam) and lam >= 0):
                raise ConfigError(f"penalty: expected {key} = λ ≥ 0, got {lam!r}")
        self.l1, self.l2, self.include_bias = l1, l2, bool(include_bias)
        self._params: list[nn.Parameter] = []

    def on_fit_start(self, trainer) -> None:
        self._params = penalized_parameters(trainer.model, include_bias=self.include_bias)

    def on_loss(self, trainer, loss: torch.Tensor) -> torch.Tensor:
        return loss + penalty_of(self._params, l1=self.l1, l2=self.l2)
