"""Helpers for the affine-warp tests: random matrices, interior masks, an OpenCV oracle."""

from __future__ import annotations

import math

import numpy as np
import torch

from trainlab.augment.image.matrices import (
    compose,
    rotation_matrix,
    scale_matrix,
    shear_matrix,
    translation_matrix,
)

#: the lecture's pipeline: rotation ±15°, translation ±10 %, scale 0.9–1.1, shear ±10°, flips
LECTURE = dict(rotation=15.0, translate=0.1, scale=(0.9, 1.1), shear=10.0, hflip=0.5)


def _cv2():
    import cv2

    return cv2


def random_matrices(n: int, size: tuple[int, int], seed: int = 0) -> torch.Tensor:
    """Rotation ±30°, shift ±4 px, scale 0.8–1.25 per axis, shear ±0.2, about the centre."""
    g = torch.Generator().manual_seed(seed)

    def u(lo: float, hi: float) -> torch.Tensor:
        return lo + (hi - lo) * torch.rand(n, generator=g)

    return compose(
        translation_matrix(u(-4, 4), u(-4, 4)),
        rotation_matrix(u(-0.5, 0.5), size=size),
        shear_matrix(u(-0.2, 0.2), u(-0.2, 0.2), size=size),
        scale_matrix(u(0.8, 1.25), u(0.8, 1.25), size=size),
    )


def interior(matrices: torch.Tensor, size: tuple[int, int], margin: float = 1.0) -> torch.Tensor:
    """(N, H, W) bool: output pixels whose source point lies ≥ ``margin`` inside the input."""
    h, w = size
    inv = torch.linalg.inv(matrices.double())
    ys, xs = torch.meshgrid(
        torch.arange(h, dtype=torch.float64), torch.arange(w, dtype=torch.float64), indexing="ij"
    )
    pts = torch.stack([xs, ys, torch.ones_like(xs)]).view(3, -1)  # (3, H·W)
    src = inv @ pts  # (N, 3, H·W)
    sx, sy = src[:, 0].view(-1, h, w), src[:, 1].view(-1, h, w)
    return (sx >= margin) & (sx <= w - 1 - margin) & (sy >= margin) & (sy <= h - 1 - margin)


def opencv_warp(x: torch.Tensor, matrices: torch.Tensor, flags: int) -> torch.Tensor:
    """The oracle: ``cv2.warpAffine`` per image and channel with the 2 × 3 forward matrix."""
    n, c, h, w = x.shape
    out = [
        [
            _cv2().warpAffine(
                x[i, k].numpy(), matrices[i, :2].double().numpy(), (w, h), flags=flags
            )
            for k in range(c)
        ]
        for i in range(n)
    ]
    return torch.from_numpy(np.array(out))


def smooth_images(n: int, c: int, h: int, w: int, seed: int = 0) -> torch.Tensor:
    """Low-frequency images in [0, 1] (sums of a few broad cosines): interpolation is accurate."""
    g = torch.Generator().manual_seed(seed)
    ys, xs = torch.meshgrid(torch.arange(h) / h, torch.arange(w) / w, indexing="ij")
    out = torch.zeros(n, c, h, w)
    for _ in range(3):
        fx, fy, ph = torch.rand(3, n, c, 1, 1, generator=g)
        out += torch.cos(2 * math.pi * (1.5 * fx * xs + 1.5 * fy * ys + ph))
    return (out + 3) / 6
