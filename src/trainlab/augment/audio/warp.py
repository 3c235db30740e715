"""SpecAugment's time warping: one point of the time axis moves, both sides stretch linearly.

Park et al., *SpecAugment*, Interspeech 2019, §2: a point w0 on the time
axis, drawn in the open interval (W, τ − 1 − W) (frames 0 … τ − 1,
W = ``max_warp``), moves to w0 + w with w drawn in [−W, W]; frames 0 and
τ − 1 stay, and w0 + w stays strictly between them. The paper warps with
TensorFlow's ``sparse_image_warp``; here the warp is the piecewise-linear map
itself, exactly: output frame t reads the input at

    t · w0 / (w0 + w)                                      for t ≤ w0 + w,
    w0 + (t − w0 − w) · (τ − 1 − w0) / (τ − 1 − w0 − w)    for t > w0 + w,

linearly interpolated between frames, the same on every frequency row; the
batch is resampled by one ``grid_sample``. w0 and w are whole frames, so the
column at w0 lands exactly on frame w0 + w, and w = 0 is the identity. On
clips of fewer than 2W + 3 frames, W shrinks to (τ − 2) // 2.

Example:
    >>> import torch
    >>> from trainlab.augment.audio.warp import time_warp
    >>> x = 3 * torch.arange(9.0).view(1, 1, 1, 9)  # frame t holds 3·t
    >>> time_warp(x, torch.tensor([4]), torch.tensor([2]))[0, 0, 0].round().tolist()
    [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 18.0, 24.0]
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from trainlab.augment._base import Params
from trainlab.augment.audio._common import (
    SpectrogramAugmentation,
    check_count,
    restore,
    working_copy,
)


def warp_positions(center: torch.Tensor, shift: torch.Tensor, frames: int) -> torch.Tensor:
    """(N, τ) source frame of each output frame for the warp w0 → w0 + w (both (N,)).

    Example:
        >>> import torch
        >>> warp_positions(torch.tensor([2]), torch.tensor([-1]), 5).mul(3).round().tolist()
        [[0.0, 6.0, 8.0, 10.0, 12.0]]
    """
    t = torch.arange(frames, device=center.device, dtype=torch.float64).view(1, frames)
    w0 = center.to(torch.float64).view(-1, 1)
    dest = w0 + shift.to(torch.float64).view(-1, 1)
    last = frames - 1
    left = t * w0 / dest.clamp_min(1.0)
    right = w0 + (t - dest) * (last - w0) / (last - dest).clamp_min(1.0)
    return torch.where(t <= dest, left, right)


def time_warp(x: torch.Tensor, center: torch.Tensor, shift: torch.Tensor) -> torch.Tensor:
    """Warp spectrograms (N, C, F, T), float, so that frame ``center`` moves by ``shift``.

    Example:
        >>> import torch
        >>> x = torch.rand(2, 1, 3, 10)
        >>> torch.allclose(time_warp(x, torch.tensor([4, 5]), torch.tensor([0, 0])), x)
        True
    """
    n, _, rows, frames = x.shape
    if frames < 2:
        return x.clone()
    src = warp_positions(center.to(x.device), shift.to(x.device), frames)  # (N, T)
    gx = (2 * src / (frames - 1) - 1).to(x.dtype).view(n, 1, frames).expand(n, rows, frames)
    row = torch.arange(rows, device=x.device, dtype=x.dtype)
    gy = (2 * row / max(rows - 1, 1) - 1) if rows > 1 else torch.zeros_like(row)
    grid = torch.stack([gx, gy.view(1, rows, 1).expand(n, rows, frames)], dim=-1)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=True)


class TimeWarp(SpectrogramAugmentation):
    """Warp the time axis of spectrograms piecewise linearly by up to ``max_warp`` frames.

    Args:
        max_warp: W, the largest move of the warped point, in frames (0: no warp).
        p: probability that a sample is warped.

    Example:
        >>> import torch
        >>> from trainlab.augment.audio.warp import TimeWarp
        >>> x = torch.rand(8, 1, 40, 101)
        >>> params = TimeWarp(max_warp=5).sample_params(x, torch.Generator().manual_seed(0))
        >>> c, w = params["center"], params["shift"]
        >>> bool(((c > 5) & (c < 95) & (w.abs() <= 5)).all())
        True
    """

    def __init__(self, max_warp: int = 5, p: float = 1.0) -> None:
        super().__init__(p)
        self.max_warp = check_count("max_warp", max_warp)

    def draw(self, batch: torch.Tensor, generator: torch.Generator | None, apply: torch.Tensor):
        """w0 ("center") and w ("shift"), (N,) long, for the samples in ``apply`` (others w = 0)."""
        n, frames = batch.shape[0], batch.shape[-1]
        reach = min(self.max_warp, max(frames - 2, 0) // 2)
        gdev = generator.device if generator is not None else torch.device("cpu")
        u = torch.rand(2, n, generator=generator, device=gdev, dtype=torch.float64).to(batch.device)
        span = max(frames - 2 - 2 * reach, 1)  # the places w0 may take: W + 1, …, τ − 2 − W
        center = (torch.floor(u[0] * span).clamp(max=span - 1) + reach + 1).long()
        shift = (torch.floor(u[1] * (2 * reach + 1)).clamp(max=2 * reach) - reach).long()
        return {"center": center, "shift": torch.where(apply.to(batch.device), shift, 0)}

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        x = working_copy(batch)
        warped = time_warp(x, params["center"], params["shift"])
        moved = (params["apply"] & (params["shift"] != 0)).view(-1, 1, 1, 1)
        return restore(torch.where(moved, warped, x), batch)

    def extra_repr(self) -> str:
        return f"max_warp={self.max_warp}, p={self.p}"
