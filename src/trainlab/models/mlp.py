"""Multilayer perceptron: stages of Linear → [BatchNorm] → activation → [Dropout].

Batch normalization (Ioffe & Szegedy, 2015) sits before the activation, as in
the paper; dropout (Srivastava et al., 2014) after it.

Example:
    >>> import torch
    >>> from trainlab.models.mlp import MLP
    >>> m = MLP((1, 8, 8), 10, widths=[32, 16], dropout=0.5)
    >>> m.stage_names, m(torch.zeros(4, 1, 8, 8)).shape
    (['stage1', 'stage2'], torch.Size([4, 10]))
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from torch import nn

from trainlab.models._staged import StagedModel
from trainlab.models.activations import make_activation


def dense_block(
    in_features: int, width: int, activation: str, batch_norm: bool, dropout: float
) -> list[nn.Module]:
    """Linear → [BatchNorm] → activation → [Dropout]: one fully connected stage's layers."""
    layers: list[nn.Module] = [nn.Linear(in_features, width, bias=not batch_norm)]
    if batch_norm:
        layers.append(nn.BatchNorm1d(width))
    layers.append(make_activation(activation))
    if dropout > 0:
        layers.append(nn.Dropout(dropout))
    return layers


class MLP(StagedModel):
    """A fully connected network whose inputs are flattened.

    Args:
        in_shape: shape of one example (without the batch axis).
        num_classes: number of output logits.
        widths: units of each hidden stage.
        activation: activation name (see ``trainlab.models.activations``).
        batch_norm: add BatchNorm1d before each activation.
        dropout: dropout probability after each activation (0: none).
    """

    def __init__(
        self,
        in_shape: Sequence[int],
        num_classes: int,
        *,
        widths: Sequence[int] = (256, 128),
        activation: str = "relu",
        batch_norm: bool = False,
        dropout: float = 0.0,
    ) -> None:
        in_features = math.prod(in_shape)
        stages: list[tuple[str, nn.Module]] = []
        for i, width in enumerate(widths):
            layers: list[nn.Module] = [nn.Flatten()] if i == 0 else []
            layers += dense_block(in_features, width, activation, batch_norm, dropout)
            stages.append((f"stage{i + 1}", nn.Sequential(*layers)))
            in_features = width
        config = {
            "name": "mlp",
            "in_shape": list(in_shape),
            "num_classes": num_classes,
            "widths": list(widths),
            "activation": activation,
            "batch_norm": batch_norm,
            "dropout": dropout,
        }
        super().__init__(stages, nn.Linear(in_features, num_classes), config)


def build_mlp(cfg, in_shape: Sequence[int], num_classes: int) -> MLP:
    """Multilayer perceptron on flattened inputs (any data)."""
    return MLP(
        in_shape,
        num_classes,
        widths=cfg.widths,
        activation=cfg.activation,
        batch_norm=cfg.batch_norm,
        dropout=cfg.dropout,
    )
