"""Soft parameter sharing's penalty, added to every training loss.

Duong, Cohn, Bird and Cook, *Low Resource Dependency Parsing: Cross-lingual
Parameter Sharing in a Neural Network Parser*, ACL 2015. With one network per
task (``trainlab.models.build_multitask_model(..., sharing="soft")``) the loss
becomes

    J(θ) = loss + λ · Σ_{a<b} Σ_k ‖θ_a^(k) − θ_b^(k)‖²

over every pair of tasks and every corresponding stage parameter (heads and
cross-stitch units excluded). The loss is the (weighted) mean over the batch,
so λ is relative to a per-example loss. As for the ℓ1 / ℓ2 penalties, biases
and normalization parameters count only with ``include_bias``; a frozen stage
adds nothing until it thaws (see :mod:`trainlab.models.soft_sharing`).

Example:
    >>> import torch
    >>> from trainlab.config.recipe import ModelConfig
    >>> from trainlab.models import build_multitask_model, soft_sharing_penalty
    >>> from trainlab.engine.strategies.soft_sharing import SoftSharing
    >>> m = build_multitask_model(ModelConfig(name="mlp", widths=[8]), (4,), {"a": 2, "b": 3},
    ...                           sharing="soft")
    >>> class T:
    ...     model = m
    >>> cb = SoftSharing(0.5)
    >>> cb.on_fit_start(T)
    >>> torch.allclose(cb.on_loss(T, torch.zeros(())), 0.5 * soft_sharing_penalty(m))
    True
"""

from __future__ import annotations

import math

import torch
from torch import nn

from trainlab.core.errors import ConfigError
from trainlab.engine.callbacks import Callback
from trainlab.models.soft_sharing import paired_parameters, penalty_of_pairs


class SoftSharing(Callback):
    """Adds λ · Σ_{a<b} ‖θ_a − θ_b‖² between the tasks' networks to every training loss.

    Args:
        lam: λ ≥ 0 (0 adds nothing: independent networks).
        include_bias: tie biases and normalization parameters too.

    Raises:
        ConfigError: a negative or non-finite λ; at the start of training, a
            model without per-task copies (not built with ``sharing: soft``).
    """

    name = "soft-sharing"

    def __init__(self, lam: float, include_bias: bool = False) -> None:
        if not (
            isinstance(lam, (int, float))
            and not isinstance(lam, bool)
            and math.isfinite(lam)
            and lam >= 0
        ):
            raise ConfigError(f"soft sharing: expected λ ≥ 0, got {lam!r}")
        self.lam, self.include_bias = float(lam), bool(include_bias)
        self._pairs: list[tuple[nn.Parameter, nn.Parameter]] = []

    def on_fit_start(self, trainer) -> None:
        self._pairs = paired_parameters(trainer.model, include_bias=self.include_bias)

    def on_loss(self, trainer, loss: torch.Tensor) -> torch.Tensor:
        if not self.lam:
            return loss
        return loss + self.lam * penalty_of_pairs(self._pairs)
