"""Occlusion: random erasing and cutout, one rectangle per sample, batched with masks.

- **Random erasing** (Zhong et al., *Random Erasing Data Augmentation*,
  AAAI 2020), with torchvision's ``RandomErasing.get_params`` semantics: for
  an image of area A = H·W, up to ten tries draw an area fraction
  s ~ U[scale] and a log aspect ratio log r ~ U[log ratio]; the rectangle is
  h = round(√(s·A·r)), w = round(√(s·A / r)), and the first try with h < H and
  w < W is placed at a uniform integer position. If no try fits, the sample is
  left alone. The rectangle is filled with ``value`` or, for
  ``value="random"``, with per-pixel noise (standard normal for float images,
  as torchvision; uniform in {0, …, 255} for uint8).
- **Cutout** (DeVries & Taylor, *Improved Regularization of Convolutional
  Neural Networks with Cutout*, 2017): a square of side
  round(size · min(H, W)) centred on a uniformly drawn pixel, clipped at the
  borders (so it may be partly outside the image), filled with ``value``.

Boxes are (top, left, height, width) in pixels; the erased pixels of sample i
are exactly rows [top, top + height) × columns [left, left + width), in every channel.

Example:
    >>> import torch
    >>> from trainlab.augment.image.erase import Cutout
    >>> x = torch.ones(2, 1, 8, 8)
    >>> out = Cutout(size=0.5)(x, torch.Generator().manual_seed(0))
    >>> [int((out[i] == 0).sum()) <= 16 for i in range(2)]
    [True, True]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import torch

from trainlab.augment._base import Augmentation, Params, check_range
from trainlab.augment.image._boxes import candidate_boxes, check_ratio


def box_mask(box: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """(N, 1, H, W) bool: True inside each sample's box (top, left, height, width).

    Example:
        >>> import torch
        >>> box_mask(torch.tensor([[1, 0, 1, 2]]), 3, 3)[0, 0].int().tolist()
        [[0, 0, 0], [1, 1, 0], [0, 0, 0]]
    """
    top, left, bh, bw = box.unbind(1)
    rows = torch.arange(height, device=box.device)
    cols = torch.arange(width, device=box.device)
    in_rows = (rows >= top[:, None]) & (rows < (top + bh)[:, None])  # (N, H)
    in_cols = (cols >= left[:, None]) & (cols < (left + bw)[:, None])  # (N, W)
    return (in_rows[:, :, None] & in_cols[:, None, :]).unsqueeze(1)


def fill_value(value: float, like: torch.Tensor) -> torch.Tensor:
    """``value`` as a 0-d tensor of ``like``'s dtype (rounded and clipped for integer dtypes)."""
    if not like.is_floating_point():
        info = torch.iinfo(like.dtype)
        value = min(max(round(value), info.min), info.max)
    return torch.tensor(value, dtype=like.dtype, device=like.device)


def _check_value(value: float | str) -> float | str:
    if value == "random":
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise ValueError(f"value: expected a number or 'random', got {value!r}")
    return float(value)


class RandomErasing(Augmentation):
    """Erase a random rectangle (area fraction in ``scale``, aspect ratio in ``ratio``).

    Args:
        scale: [low, high] range of the rectangle's area as a fraction of the image's.
        ratio: [low, high] range of its aspect ratio (height / width, as torchvision), positive.
        value: the fill, in the batch's units (normalized for float images, 0–255 for uint8),
            or "random" for per-pixel noise.
        p: probability that a sample is erased.

    Example:
        >>> import torch
        >>> from trainlab.augment.image.erase import RandomErasing
        >>> x = torch.ones(1, 3, 10, 10)
        >>> aug = RandomErasing(scale=(0.25, 0.25), ratio=(1.0, 1.0), value=0.0, p=1.0)
        >>> int((aug(x, torch.Generator().manual_seed(0)) == 0).sum())
        75
    """

    ranks = (4,)

    def __init__(
        self,
        scale: Sequence[float] = (0.02, 0.33),
        ratio: Sequence[float] = (0.3, 3.3),
        value: float | Literal["random"] = 0.0,
        p: float = 0.5,
    ) -> None:
        super().__init__(p)
        self.scale = check_range("scale", scale, low=0.0)
        if self.scale[1] > 1.0:
            raise ValueError(f"scale: expected fractions in [0, 1], got {list(self.scale)}")
        self.ratio = check_ratio(ratio)
        self.value = _check_value(value)

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        params = super().sample_params(batch, generator)
        n, _, h, w = batch.shape
        u, area, aspect = candidate_boxes(n, h, w, self.scale, self.ratio, generator)
        bh = torch.round(torch.sqrt(area * aspect))
        bw = torch.round(torch.sqrt(area / aspect))
        fits = (bh < h) & (bw < w)
        first = fits.to(torch.uint8).argmax(dim=1, keepdim=True)  # first try that fits
        found = fits.any(dim=1)
        bh = torch.where(found, bh.gather(1, first).squeeze(1), 0.0)
        bw = torch.where(found, bw.gather(1, first).squeeze(1), 0.0)
        top = torch.floor(u[:, -2] * (h - bh + 1)).clamp(max=h - bh)
        left = torch.floor(u[:, -1] * (w - bw + 1)).clamp(max=w - bw)
        params["box"] = torch.stack([top, left, bh, bw], dim=1).long().to(batch.device)
        if self.value == "random":
            gdev = u.device
            if batch.is_floating_point():
                noise = torch.randn(batch.shape, generator=generator, device=gdev)
            else:
                noise = torch.randint(0, 256, batch.shape, generator=generator, device=gdev)
            params["noise"] = noise.to(device=batch.device, dtype=batch.dtype)
        return params

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        region = box_mask(params["box"], *batch.shape[-2:]) & self.mask(params, batch)
        fill = params["noise"] if self.value == "random" else fill_value(self.value, batch)
        return torch.where(region, fill, batch)

    def extra_repr(self) -> str:
        return f"scale={self.scale}, ratio={self.ratio}, value={self.value!r}, p={self.p}"


class Cutout(Augmentation):
    """Fill a square of side ``size`` · min(H, W), centred anywhere, clipped at the borders.

    Args:
        size: the square's side as a fraction of the image's shorter side, in (0, 1].
        p: probability that a sample is cut out.
        value: the fill, in the batch's units (normalized for float images, 0–255 for uint8).

    Example:
        >>> import torch
        >>> from trainlab.augment.image.erase import Cutout
        >>> aug = Cutout(size=0.25)
        >>> x = torch.ones(3, 1, 16, 16)
        >>> params = aug.sample_params(x, torch.Generator().manual_seed(0))
        >>> bool((params["box"][:, 2:] <= 4).all())
        True
    """

    ranks = (4,)

    def __init__(self, size: float = 0.5, p: float = 1.0, value: float = 0.0) -> None:
        super().__init__(p)
        size = float(size)
        if not 0.0 < size <= 1.0:
            raise ValueError(f"size: expected a fraction of the side in (0, 1], got {size}")
        self.size = size
        value = _check_value(value)
        if value == "random":
            raise ValueError("value: expected a number, got 'random'")
        self.value = value

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        params = super().sample_params(batch, generator)
        n, _, h, w = batch.shape
        gdev = generator.device if generator is not None else torch.device("cpu")
        side = max(1, round(self.size * min(h, w)))
        u = torch.rand(n, 2, generator=generator, device=gdev).double()
        cy = torch.floor(u[:, 0] * h).clamp(max=h - 1)
        cx = torch.floor(u[:, 1] * w).clamp(max=w - 1)
        y0, x0 = cy - side // 2, cx - side // 2
        top, bottom = y0.clamp(0, h), (y0 + side).clamp(0, h)
        left, right = x0.clamp(0, w), (x0 + side).clamp(0, w)
        box = torch.stack([top, left, bottom - top, right - left], dim=1).long()
        params["box"] = box.to(batch.device)
        return params

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        region = box_mask(params["box"], *batch.shape[-2:]) & self.mask(params, batch)
        return torch.where(region, fill_value(self.value, batch), batch)

    def extra_repr(self) -> str:
        return f"size={self.size}, p={self.p}, value={self.value}"
