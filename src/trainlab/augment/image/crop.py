"""Random resized crop: a random box of random area and aspect ratio, resized back.

The "Inception" crop of Szegedy et al., *Going Deeper with Convolutions*
(CVPR 2015), with torchvision's ``RandomResizedCrop.get_params`` semantics:
for an image of area A = H·W, up to ten tries draw an area fraction
s ~ U[scale] and a log aspect ratio log r ~ U[log ratio]; the box is
w = round(√(s·A·r)), h = round(√(s·A / r)) and the first try that fits
(0 < w ≤ W, 0 < h ≤ H) wins, at an integer position drawn uniformly. If none
fits, the central crop of the largest box whose aspect ratio lies in ``ratio``
is used. The box is then resized to the input size, bilinearly.

Crop-then-resize is an affine map, so the whole batch is warped by one
``affine_grid`` + ``grid_sample`` with a box per sample. The sampling grid is
clipped to the box's pixel centres, so the result equals cropping and calling
``F.interpolate(crop, size=(H, W), mode="bilinear", align_corners=False)``
(which repeats the crop's edge pixels rather than reading beyond the box).

Example:
    >>> import torch
    >>> from trainlab.augment.image.crop import RandomResizedCrop
    >>> x = torch.rand(4, 3, 16, 16)
    >>> aug = RandomResizedCrop(scale=(0.25, 1.0))
    >>> params = aug.sample_params(x, torch.Generator().manual_seed(0))
    >>> params["box"].shape, aug.apply(x, params).shape
    (torch.Size([4, 4]), torch.Size([4, 3, 16, 16]))
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F

from trainlab.augment._base import Augmentation, Params, check_range
from trainlab.augment.image._boxes import candidate_boxes, check_ratio


def crop_resize(x: torch.Tensor, box: torch.Tensor) -> torch.Tensor:
    """Crop each image to its box and resize it to the input size, bilinearly.

    Args:
        x: float images (N, C, H, W).
        box: (N, 4) integer boxes (top, left, height, width) inside the images.

    Returns:
        (N, C, H, W), equal to ``F.interpolate(crop, (H, W), mode="bilinear",
        align_corners=False)`` of each crop.

    Example:
        >>> import torch
        >>> x = torch.arange(16.0).view(1, 1, 4, 4)
        >>> crop_resize(x, torch.tensor([[0, 0, 4, 4]])).equal(x)
        True
    """
    n, c, h, w = x.shape
    top, left, bh, bw = box.to(device=x.device, dtype=x.dtype).unbind(1)  # (N,) each
    theta = torch.zeros(n, 2, 3, dtype=x.dtype, device=x.device)
    # output pixel centre u ∈ (−1, 1) ↦ box: x = (bw / W)·u + (2·left + bw) / W − 1
    theta[:, 0, 0] = bw / w
    theta[:, 0, 2] = (2 * left + bw) / w - 1
    theta[:, 1, 1] = bh / h
    theta[:, 1, 2] = (2 * top + bh) / h - 1
    grid = F.affine_grid(theta, [n, c, h, w], align_corners=False)  # (N, H, W, 2)
    # clip to the centres of the box's first and last pixels (interpolate's edge rule)
    gx = grid[..., 0].clamp(
        ((2 * left + 1) / w - 1).view(n, 1, 1), ((2 * (left + bw) - 1) / w - 1).view(n, 1, 1)
    )
    gy = grid[..., 1].clamp(
        ((2 * top + 1) / h - 1).view(n, 1, 1), ((2 * (top + bh) - 1) / h - 1).view(n, 1, 1)
    )
    grid = torch.stack([gx, gy], dim=-1)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


class RandomResizedCrop(Augmentation):
    """Crop a random box (area fraction in ``scale``, aspect ratio in ``ratio``), resize back.

    Args:
        scale: [low, high] range of the box's area as a fraction of the image's, in (0, 1].
        ratio: [low, high] range of the box's aspect ratio width / height, positive.
        p: probability that a sample is cropped.

    Example:
        >>> import torch
        >>> from trainlab.augment.image.crop import RandomResizedCrop
        >>> x = torch.randint(0, 256, (2, 3, 32, 32), dtype=torch.uint8)
        >>> out = RandomResizedCrop()(x, torch.Generator().manual_seed(1))
        >>> out.dtype, out.shape
        (torch.uint8, torch.Size([2, 3, 32, 32]))
    """

    ranks = (4,)

    def __init__(
        self,
        scale: Sequence[float] = (0.08, 1.0),
        ratio: Sequence[float] = (3 / 4, 4 / 3),
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        self.scale = check_range("scale", scale)
        if not self.scale[0] > 0.0 or self.scale[1] > 1.0:
            raise ValueError(f"scale: expected fractions in (0, 1], got {list(self.scale)}")
        self.ratio = check_ratio(ratio)

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        params = super().sample_params(batch, generator)
        n, _, h, w = batch.shape
        u, area, aspect = candidate_boxes(n, h, w, self.scale, self.ratio, generator)
        bw = torch.round(torch.sqrt(area * aspect))
        bh = torch.round(torch.sqrt(area / aspect))
        fits = (bw > 0) & (bw <= w) & (bh > 0) & (bh <= h)
        first = fits.to(torch.uint8).argmax(dim=1, keepdim=True)  # first try that fits
        found = fits.any(dim=1)
        # fallback: the central crop with the aspect ratio clipped into ``ratio``
        fw, fh = w, h
        if w / h < self.ratio[0]:
            fh = round(w / self.ratio[0])
        elif w / h > self.ratio[1]:
            fw = round(h * self.ratio[1])
        bw = torch.where(found, bw.gather(1, first).squeeze(1), float(fw))
        bh = torch.where(found, bh.gather(1, first).squeeze(1), float(fh))
        top = torch.floor(u[:, -2] * (h - bh + 1)).clamp(max=h - bh)
        left = torch.floor(u[:, -1] * (w - bw + 1)).clamp(max=w - bw)
        top = torch.where(found, top, torch.div(h - bh, 2, rounding_mode="floor"))
        left = torch.where(found, left, torch.div(w - bw, 2, rounding_mode="floor"))
        box = torch.stack([top, left, bh, bw], dim=1).long()  # (N, 4)
        params["box"] = box.to(batch.device)
        return params

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        x = batch if batch.dtype in (torch.float32, torch.float64) else batch.float()
        out = torch.where(self.mask(params, batch), crop_resize(x, params["box"]), x)
        if batch.is_floating_point():
            return out.to(batch.dtype)
        return out.round().clamp(0, 255).to(batch.dtype)

    def extra_repr(self) -> str:
        return f"scale={self.scale}, ratio={self.ratio}, p={self.p}"
