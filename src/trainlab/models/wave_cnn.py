"""A 1-D CNN on raw waveforms: a wide strided first convolution, then VGG-style stages.

Dai, Dai, Qu, Li and Das, *Very Deep Convolutional Neural Networks for Raw
Waveforms*, ICASSP 2017 (their M5): the first convolution has a receptive
field of 80 samples (5 ms at 16 kHz) and stride 4, so that it acts as a
learned filter bank and shortens the signal 16-fold with the pooling that
follows; each later stage is ``convs_per_stage`` × (Conv(kernel 3) → [BatchNorm]
→ activation) and 4× max pooling; the head is global average pooling and a
linear layer. Four stages take a one-second clip at 16 kHz (16,000 samples)
to 15 frames, cheap enough for two CPU cores, where a plain ``cnn1d`` with
2× pooling is not.

Example:
    >>> import torch
    >>> from trainlab.models.wave_cnn import WaveCNN
    >>> m = WaveCNN((1, 16000), 10, widths=[8, 16, 16])
    >>> m(torch.zeros(2, 1, 16000)).shape, m.stage_names
    (torch.Size([2, 10]), ['stage1', 'stage2', 'stage3'])
"""

from __future__ import annotations

from collections.abc import Sequence

from torch import nn

from trainlab.core.errors import ConfigError
from trainlab.models._staged import StagedModel
from trainlab.models.activations import make_activation
from trainlab.models.cnn import conv_arguments, conv_config

#: the first convolution's kernel and stride (M5: 80 and 4), and every stage's pooling
STEM_KERNEL, STEM_STRIDE, POOL = 80, 4, 4


def _block(c_in: int, c_out: int, kernel: int, stride: int, batch_norm: bool, activation: str):
    conv = nn.Conv1d(c_in, c_out, kernel, stride=stride, padding=kernel // 2, bias=not batch_norm)
    return [conv, *([nn.BatchNorm1d(c_out)] if batch_norm else []), make_activation(activation)]


class WaveCNN(StagedModel):
    """M5-style 1-D CNN for waveforms (N, C, L).

    Args:
        in_shape: ``(C, L)``: channels and samples of one clip.
        num_classes: number of output logits.
        widths: output channels of each stage (the first is the strided stem).
        convs_per_stage: convolutions in each stage after the first.
        kernel_size: odd kernel size of the later stages' convolutions.
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
        convs_per_stage: int = 1,
        kernel_size: int = 3,
        activation: str = "relu",
        batch_norm: bool = True,
        dropout: float = 0.0,
    ) -> None:
        if len(in_shape) != 2:
            raise ConfigError(
                f"model: wavecnn expects (C, L) waveforms, got examples of shape {tuple(in_shape)}"
            )
        channels, length = int(in_shape[0]), int(in_shape[1]) // STEM_STRIDE
        stages: list[tuple[str, nn.Module]] = []
        for i, width in enumerate(widths):
            if i == 0:
                layers = _block(channels, width, STEM_KERNEL, STEM_STRIDE, batch_norm, activation)
            else:
                layers = []
                for j in range(convs_per_stage):
                    c_in = channels if j == 0 else width
                    layers += _block(c_in, width, kernel_size, 1, batch_norm, activation)
            channels = width
            if length >= POOL:
                layers.append(nn.MaxPool1d(POOL))
                length //= POOL
            if dropout > 0:
                layers.append(nn.Dropout1d(dropout))
            stages.append((f"stage{i + 1}", nn.Sequential(*layers)))
        head = nn.Sequential(
            nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(channels, num_classes)
        )
        config = conv_config(
            "wavecnn",
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


def build_wave_cnn(cfg, in_shape: Sequence[int], num_classes: int) -> WaveCNN:
    """M5-style 1-D CNN for waveforms (N, C, L), e.g. the spoken digits."""
    return WaveCNN(in_shape, num_classes, **conv_arguments(cfg))
