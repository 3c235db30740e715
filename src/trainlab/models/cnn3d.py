"""A small 3-D CNN for clips: convolutions over time and space together.

Tran, Bourdev, Fergus, Torresani and Paluri, *Learning Spatiotemporal Features
with 3D Convolutional Networks*, ICCV 2015 (C3D): every convolution is
3×3×3 (``model.kernel_size`` in each of T, H, W) with padding that keeps the
size; the first pooling is 1×2×2, so that the temporal signal is not merged
too early, and the later ones 2×2×2. Each stage is ``convs_per_stage`` ×
(Conv3d → [BatchNorm] → activation), then the pooling (skipped in the last
stage, and along an axis once it is too short) and optional dropout; the head
is global average pooling over T, H and W and a linear layer.

A clip batch ``(N, T, C, H, W)`` is permuted to the ``(N, C, T, H, W)`` that
``nn.Conv3d`` takes at the start of the first stage.

Example:
    >>> import torch
    >>> from trainlab.models.cnn3d import CNN3D
    >>> m = CNN3D((8, 1, 32, 32), 10, widths=[8, 16, 16])
    >>> m(torch.zeros(2, 8, 1, 32, 32)).shape, m.stage_names
    (torch.Size([2, 10]), ['stage1', 'stage2', 'stage3'])
    >>> m.forward_features(torch.zeros(2, 8, 1, 32, 32)).shape  # (N, C, T, H, W)
    torch.Size([2, 16, 4, 8, 8])
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from trainlab.models._staged import StagedModel
from trainlab.models._video import check_clip_batch, check_clip_shape
from trainlab.models.activations import make_activation
from trainlab.models.cnn import conv_arguments, conv_config


class ClipToVolume(nn.Module):
    """``(N, T, C, H, W)`` clips → the ``(N, C, T, H, W)`` volumes of ``nn.Conv3d``."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_clip_batch(x, "cnn3d")
        return x.permute(0, 2, 1, 3, 4)


def _pool(stage: int, frames: int, size: int) -> tuple[int, int, int]:
    """C3D's pooling window for a stage: 1×2×2 first, then 2×2×2, 1 where too short."""
    t = 2 if stage > 0 and frames >= 2 else 1
    s = 2 if size >= 4 else 1
    return (t, s, s)


class CNN3D(StagedModel):
    """A C3D-style 3-D CNN for clips (N, T, C, H, W).

    Args:
        in_shape: ``(T, C, H, W)``: frames, channels and size of one clip.
        num_classes: number of output logits.
        widths: output channels of each stage.
        convs_per_stage: 3-D convolutions in each stage.
        kernel_size: odd kernel size along T, H and W; padding keeps the size.
        activation: activation name.
        batch_norm: BatchNorm after each convolution.
        dropout: channel dropout probability at the end of each stage.
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
    ) -> None:
        check_clip_shape("cnn3d", in_shape)
        frames, channels, size = int(in_shape[0]), int(in_shape[1]), min(in_shape[2:])
        stages: list[tuple[str, nn.Module]] = []
        for i, width in enumerate(widths):
            layers: list[nn.Module] = [ClipToVolume()] if i == 0 else []
            for _ in range(convs_per_stage):
                layers.append(
                    nn.Conv3d(
                        channels, width, kernel_size, padding=kernel_size // 2, bias=not batch_norm
                    )
                )
                if batch_norm:
                    layers.append(nn.BatchNorm3d(width))
                layers.append(make_activation(activation))
                channels = width
            window = _pool(i, frames, size)
            if i < len(widths) - 1 and window != (1, 1, 1):
                layers.append(nn.MaxPool3d(window))
                frames, size = frames // window[0], size // window[1]
            if dropout > 0:
                layers.append(nn.Dropout3d(dropout))
            stages.append((f"stage{i + 1}", nn.Sequential(*layers)))
        head = nn.Sequential(
            nn.AdaptiveAvgPool3d(1), nn.Flatten(), nn.Linear(channels, num_classes)
        )
        config = conv_config(
            "cnn3d",
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


def build_cnn3d(cfg, in_shape: Sequence[int], num_classes: int) -> CNN3D:
    """C3D-style 3-D CNN for clips (N, T, C, H, W)."""
    return CNN3D(in_shape, num_classes, **conv_arguments(cfg))
