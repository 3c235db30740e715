"""Rescale (lecture: rescalado): ``diag(sx, sy, 1)`` about the image centre.

Each sample is scaled by factors drawn from ``scale`` (isotropic) or ``scale_xy``
(per axis); a :class:`~trainlab.augment.image.affine.RandomAffine` with only its
rescale.
"""

from __future__ import annotations

from collections.abc import Sequence

from trainlab.augment.image.affine import RandomAffine


class RandomRescale(RandomAffine):
    """Random rescale about the centre (lecture: rescalado), isotropic or per axis.

    Example:
        >>> import torch
        >>> RandomRescale(scale=(0.8, 1.2))(torch.rand(2, 3, 8, 8)).shape
        torch.Size([2, 3, 8, 8])
    """

    def __init__(
        self,
        scale: float | Sequence[float] | None = (0.9, 1.1),
        scale_xy: Sequence[Sequence[float]] | None = None,
        interpolation: str = "bilinear",
        padding: str = "zeros",
        backend: str = "auto",
        p: float = 1.0,
    ) -> None:
        if scale_xy is not None and scale == (0.9, 1.1):
            scale = None  # the per-axis ranges replace the default isotropic one
        super().__init__(
            scale=scale,
            scale_xy=scale_xy,
            interpolation=interpolation,
            padding=padding,
            backend=backend,
            p=p,
        )
