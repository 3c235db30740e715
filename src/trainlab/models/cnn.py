"""Convolutional networks for images (2-D) and signals (1-D).

Each stage is ``convs_per_stage`` × (Conv → [BatchNorm] → activation), then
2× max pooling (when the input is still large enough) and optional dropout;
the head is global average pooling and a linear layer (Lin et al., 2014).

Example:
    >>> import torch
    >>> from trainlab.models.cnn import CNN
    >>> m = CNN((1, 28, 28), 10, widths=[8, 16])
    >>> m(torch.zeros(2, 1, 28, 28)).shape
    torch.Size([2, 10])
    >>> CNN((1, 40), 10, widths=[8], dims=1)(torch.zeros(2, 1, 40)).shape
    torch.Size([2, 10])
"""

from __future__ import annotations

from collections.abc import Sequence

from torch import nn

from trainlab.core.errors import ConfigError
from trainlab.models._staged import StagedModel
from trainlab.models.activations import make_activation

_LAYERS = {
    1: (nn.Conv1d, nn.BatchNorm1d, nn.MaxPool1d, nn.Dropout1d, nn.AdaptiveAvgPool1d),
    2: (nn.Conv2d, nn.BatchNorm2d, nn.MaxPool2d, nn.Dropout2d, nn.AdaptiveAvgPool2d),
}


class CNN(StagedModel):
    """A VGG-style convolutional network with a global-average-pooling head.

    Args:
        in_shape: ``(C, H, W)`` for ``dims=2`` or ``(C, L)`` for ``dims=1``.
        num_classes: number of output logits.
        widths: output channels of each stage.
        convs_per_stage: convolutions in each stage.
        kernel_size: odd kernel size; padding keeps the spatial size.
        activation: activation name.
        batch_norm: BatchNorm after each convolution.
        dropout: channel dropout probability at the end of each stage.
        dims: 1 for signals, 2 for images.
    """

    def __init__(
        self,
        in_shape: Sequence[int],
        num_classes: int,
        *,
        widths: Sequence[int] = (32, 64, 128),
        convs_per_stage: int = 2,
        kernel_size: int = 3,
        activation: str = "relu",
        batch_norm: bool = True,
        dropout: float = 0.0,
        dims: int = 2,
    ) -> None:
        if len(in_shape) != dims + 1:
            kind = "(C, H, W) images" if dims == 2 else "(C, L) signals"
            raise ConfigError(
                f"model: a {dims}-D CNN expects {kind}, got examples of shape {tuple(in_shape)}"
            )
        stages, channels = conv_stages(
            in_shape[0],
            min(in_shape[1:]),
            widths,
            convs_per_stage=convs_per_stage,
            kernel_size=kernel_size,
            activation=activation,
            batch_norm=batch_norm,
            dropout=dropout,
            dims=dims,
        )
        head = conv_head(channels, num_classes, dims)
        config = conv_config(
            "cnn" if dims == 2 else "cnn1d",
            in_shape,
            num_classes,
            widths=widths,
            convs_per_stage=convs_per_stage,
            kernel_size=kernel_size,
            activation=activation,
            batch_norm=batch_norm,
            dropout=dropout,
        )
        super().__init__(stages, head, config)


def conv_stages(
    channels: int,
    size: int,
    widths: Sequence[int],
    *,
    convs_per_stage: int,
    kernel_size: int,
    activation: str,
    batch_norm: bool,
    dropout: float,
    dims: int = 2,
) -> tuple[list[tuple[str, nn.Module]], int]:
    """The stages of a :class:`CNN` and their output channels.

    Args:
        channels: input channels.
        size: the smaller spatial side of the input (no pooling once it is below 4).
        widths, convs_per_stage, kernel_size, activation, batch_norm, dropout, dims:
            as :class:`CNN`'s.

    Returns:
        ``("stage1", ...)`` … pairs, each an ``nn.Sequential``, and the last stage's width.
    """
    conv, bn, pool, drop, _ = _LAYERS[dims]
    stages: list[tuple[str, nn.Module]] = []
    for i, width in enumerate(widths):
        layers: list[nn.Module] = []
        for _ in range(convs_per_stage):
            layers.append(
                conv(channels, width, kernel_size, padding=kernel_size // 2, bias=not batch_norm)
            )
            if batch_norm:
                layers.append(bn(width))
            layers.append(make_activation(activation))
            channels = width
        if size >= 4 and i < len(widths) - 1:
            layers.append(pool(2))
            size //= 2
        if dropout > 0:
            layers.append(drop(dropout))
        stages.append((f"stage{i + 1}", nn.Sequential(*layers)))
    return stages, channels


def conv_head(channels: int, num_classes: int, dims: int = 2) -> nn.Sequential:
    """A :class:`CNN`'s head: global average pooling, flatten, linear."""
    gap = _LAYERS[dims][4]
    return nn.Sequential(gap(1), nn.Flatten(), nn.Linear(channels, num_classes))


def conv_config(name: str, in_shape: Sequence[int], num_classes: int, **arch) -> dict:
    """The config a convolutional network saves: its name, shapes and architecture."""
    arch["widths"] = list(arch["widths"])
    return {"name": name, "in_shape": list(in_shape), "num_classes": num_classes, **arch}


def conv_arguments(cfg) -> dict:
    """The keyword arguments of a convolutional network from a recipe's ``model`` section."""
    return dict(
        widths=cfg.widths,
        convs_per_stage=cfg.convs_per_stage,
        kernel_size=cfg.kernel_size,
        activation=cfg.activation,
        batch_norm=cfg.batch_norm,
        dropout=cfg.dropout,
    )


def _build(cfg, in_shape: Sequence[int], num_classes: int, dims: int) -> CNN:
    return CNN(in_shape, num_classes, **conv_arguments(cfg), dims=dims)


def build_cnn(cfg, in_shape: Sequence[int], num_classes: int) -> CNN:
    """2-D CNN for images (N, C, H, W)."""
    return _build(cfg, in_shape, num_classes, dims=2)


def build_cnn1d(cfg, in_shape: Sequence[int], num_classes: int) -> CNN:
    """1-D CNN for signals (N, C, L), e.g. MNIST-1D."""
    return _build(cfg, in_shape, num_classes, dims=1)
