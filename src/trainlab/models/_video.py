"""What the video models share: checking their examples (T, C, H, W) and batches (N, T, C, H, W).

Example:
    >>> import torch
    >>> from trainlab.core.errors import ConfigError
    >>> from trainlab.models._video import check_clip_batch
    >>> check_clip_batch(torch.zeros(2, 4, 1, 8, 8), "cnn3d")  # a clip batch: no error
    >>> try:
    ...     check_clip_batch(torch.zeros(2, 1, 8, 8), "cnn3d")
    ... except ConfigError as e:
    ...     print(e)
    model: cnn3d expects clip batches (N, T, C, H, W), got a batch of shape (2, 1, 8, 8)
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from trainlab.core.errors import ConfigError


def check_clip_shape(name: str, in_shape: Sequence[int]) -> None:
    """``ConfigError`` unless one example is a clip ``(T, C, H, W)``."""
    if len(in_shape) != 4:
        raise ConfigError(
            f"model: {name} expects (T, C, H, W) clips, batches (N, T, C, H, W); got examples "
            f"of shape {tuple(in_shape)}"
        )


def check_clip_batch(x: torch.Tensor, name: str) -> None:
    """``ConfigError`` unless ``x`` is a clip batch ``(N, T, C, H, W)``."""
    if x.dim() != 5:
        raise ConfigError(
            f"model: {name} expects clip batches (N, T, C, H, W), got a batch of shape "
            f"{tuple(x.shape)}"
        )
