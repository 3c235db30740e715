"""Rotation prediction (Gidaris, Singh & Komodakis, 2018, "Unsupervised Representation
Learning by Predicting Image Rotations").

Every image is shown turned by 0°, 90°, 180° and 270°, and the network learns
to say which: to tell an upright shoe from a turned one it has to find the
shoe, so its stages learn about objects from images without labels. A
non-square input (a spectrogram: frequency × time) cannot be turned by 90°
into the same shape; it is shown as it is and turned by 180° (flipped in time
and in frequency), a two-way task.

Example:
    >>> import torch
    >>> from trainlab.engine.selfsup.rotation import rotations
    >>> x = torch.arange(4.0).reshape(1, 1, 2, 2)
    >>> turned, labels = rotations(x)
    >>> turned.shape, labels.tolist()
    (torch.Size([4, 1, 2, 2]), [0, 1, 2, 3])
    >>> turned[1, 0].tolist()  # 90° counter-clockwise
    [[1.0, 3.0], [0.0, 2.0]]
"""

from __future__ import annotations

import torch


def turns(shape: tuple[int, ...]) -> int:
    """How many rotations an input of ``shape`` (C, H, W) is shown in: 4 if square, else 2."""
    return 4 if shape[-1] == shape[-2] else 2


def rotations(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``(B, C, H, W)`` → every example turned by each rotation, and the rotation's label.

    Returns ``(k·B, C, H, W)`` inputs, rotation-major (all of 0° first), and
    ``(k·B,)`` labels in ``0..k-1``: label ``r`` is ``r`` quarter turns counter-clockwise
    (:func:`torch.rot90` over the last two axes); ``k`` is :func:`turns` of the shape.
    """
    k = turns(tuple(x.shape))
    step = 4 // k  # 1 quarter turn a label (square), or 2 (half turns)
    out = torch.cat([torch.rot90(x, r * step, dims=(-2, -1)) for r in range(k)])
    labels = torch.arange(k, device=x.device).repeat_interleave(len(x))
    return out, labels
