"""A 2-D image CNN run on every frame of a clip, its feature maps pooled over time.

Karpathy, Toderici, Shetty, Leung, Sukthankar and Fei-Fei, *Large-scale Video
Classification with Convolutional Neural Networks*, CVPR 2014: the
single-frame and late-fusion models apply one image network to each frame
with shared weights and merge the frames only near the top. Here the frames
are merged by pooling the last stage's feature maps over the T frames (mean,
or max: the "conv pooling" of Ng, Hausknecht, Vijayanarasimhan, Vinyals, Monga
and Toderici, *Beyond Short Snippets: Deep Networks for Video Classification*,
CVPR 2015), then the 2-D CNN's own head (global average pooling, linear).

A clip batch ``(N, T, C, H, W)`` is reshaped to ``(N·T, C, H, W)`` (no copy)
and goes through the very stages :class:`~trainlab.models.cnn.CNN` builds for
the same ``model`` section, so every stage (and the head) has the keys and
shapes of a ``cnn``'s: a 2-D image checkpoint initializes it through the
transfer strategies (copy the first n stages, freeze them, per-stage rates).

Example:
    >>> import torch
    >>> from trainlab.models.frame_cnn import FrameCNN
    >>> m = FrameCNN((4, 1, 28, 28), 10, widths=[8, 16])
    >>> m(torch.zeros(2, 4, 1, 28, 28)).shape, m.stage_names
    (torch.Size([2, 10]), ['stage1', 'stage2'])
    >>> m.forward_features(torch.zeros(2, 4, 1, 28, 28)).shape  # per frame, before pooling
    torch.Size([2, 4, 16, 14, 14])
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from trainlab.core.registry import Registry
from trainlab.models._staged import StagedModel
from trainlab.models._video import check_clip_batch, check_clip_shape
from trainlab.models.cnn import conv_arguments, conv_config, conv_head, conv_stages


def _mean(x: torch.Tensor) -> torch.Tensor:
    return x.mean(dim=1)


def _max(x: torch.Tensor) -> torch.Tensor:
    return x.amax(dim=1)


#: ``model.temporal_pool``: name → (N, T, ...) → (N, ...) over the frames
TEMPORAL_POOLS: Registry = Registry("temporal pool", {"mean": _mean, "max": _max})


class FrameStage(nn.Sequential):
    """An image stage applied to every frame: ``(N, T, C, H, W)`` → ``(N, T, C', H', W')``.

    An ``nn.Sequential`` of the same layers, so its ``state_dict`` is the image stage's.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_clip_batch(x, "frame-cnn")
        n, t = x.shape[:2]
        return super().forward(x.flatten(0, 1)).unflatten(0, (n, t))


class TemporalPoolHead(nn.Sequential):
    """Pool ``(N, T, C, H, W)`` feature maps over T, then the image head's layers.

    Args:
        pool: a :data:`TEMPORAL_POOLS` name.
        *layers: the image head (its ``state_dict`` keys are kept).
    """

    def __init__(self, pool: str, *layers: nn.Module) -> None:
        super().__init__(*layers)
        self.pool = TEMPORAL_POOLS.canonical(pool)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(TEMPORAL_POOLS.get(self.pool)(x))

    def extra_repr(self) -> str:
        return f"pool={self.pool}"


class FrameCNN(StagedModel):
    """A frame-by-frame 2-D CNN with temporal pooling, for clips (N, T, C, H, W).

    Args:
        in_shape: ``(T, C, H, W)``: frames, channels and size of one clip
            (T may differ at run time: the pooling takes any number of frames).
        num_classes: number of output logits.
        temporal_pool: how the frames' feature maps are merged (``mean``, ``max``).
        widths, convs_per_stage, kernel_size, activation, batch_norm, dropout:
            as :class:`~trainlab.models.cnn.CNN`'s.
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
        temporal_pool: str = "mean",
    ) -> None:
        check_clip_shape("frame-cnn", in_shape)
        pool = TEMPORAL_POOLS.canonical(temporal_pool)
        arch = dict(
            convs_per_stage=convs_per_stage,
            kernel_size=kernel_size,
            activation=activation,
            batch_norm=batch_norm,
            dropout=dropout,
        )
        stages, channels = conv_stages(in_shape[1], min(in_shape[2:]), widths, **arch)
        head = TemporalPoolHead(pool, *conv_head(channels, num_classes))
        config = conv_config(
            "frame-cnn", in_shape, num_classes, widths=widths, **arch, temporal_pool=pool
        )
        super().__init__([(name, FrameStage(*s)) for name, s in stages], head, config)


def build_frame_cnn(cfg, in_shape: Sequence[int], num_classes: int) -> FrameCNN:
    """Frame-by-frame 2-D CNN for clips (N, T, C, H, W), pooled over T."""
    return FrameCNN(in_shape, num_classes, **conv_arguments(cfg), temporal_pool=cfg.temporal_pool)
