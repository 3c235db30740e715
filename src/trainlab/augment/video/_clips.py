"""What the clip augmentations share: the batch check and the frame gather.

Example:
    >>> import torch
    >>> x = torch.arange(6.0).view(1, 6, 1, 1, 1)
    >>> gather_frames(x, torch.tensor([[0, 0, 2, 3, 5, 5]])).flatten().tolist()
    [0.0, 0.0, 2.0, 3.0, 5.0, 5.0]
"""

from __future__ import annotations

import torch

#: how a batch of clips is laid out (frames contiguous: per-frame code reshapes to N*T images)
CLIPS = "(N, T, C, H, W)"


def check_clips(owner: object, batch: object) -> None:
    """``ValueError`` naming ``owner``'s class unless ``batch`` is a 5-d tensor of clips."""
    name = type(owner).__name__
    if not isinstance(batch, torch.Tensor):
        raise ValueError(f"{name}: expected a tensor, got {type(batch).__name__}")
    if batch.ndim != 5:
        raise ValueError(
            f"{name}: expected a batch of clips {CLIPS}, got shape {tuple(batch.shape)}"
        )


def gather_frames(batch: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    """``out[i, t] = batch[i, index[i, t]]`` for clips (N, T, ...) and indices (N, T'): one gather.

    A new tensor, on the batch's device, without a loop over clips.
    """
    n, t = batch.shape[:2]
    offsets = torch.arange(n, device=batch.device).view(n, 1) * t
    flat = (index.to(batch.device) + offsets).reshape(-1)
    return (
        batch.reshape(n * t, *batch.shape[2:])
        .index_select(0, flat)
        .view(n, index.shape[1], *batch.shape[2:])
    )
