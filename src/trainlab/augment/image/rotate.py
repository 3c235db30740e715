"""Rotation (lecture: rotación): ``[[cos θ, sin θ, 0], [-sin θ, cos θ, 0], [0, 0, 1]]``.

About the image centre; with y pointing down a positive θ turns the image
counter-clockwise on the screen. A :class:`~trainlab.augment.image.affine.RandomAffine`
with only its rotation.
"""

from __future__ import annotations

from collections.abc import Sequence

from trainlab.augment.image.affine import RandomAffine


class RandomRotate(RandomAffine):
    """Random rotation about the centre by up to ±``rotation`` degrees (lecture: rotación).

    Example:
        >>> import torch
        >>> RandomRotate(30)(torch.rand(2, 1, 8, 8)).shape
        torch.Size([2, 1, 8, 8])
    """

    def __init__(
        self,
        rotation: float | Sequence[float] = 15.0,
        interpolation: str = "bilinear",
        padding: str = "zeros",
        backend: str = "auto",
        p: float = 1.0,
    ) -> None:
        super().__init__(
            rotation=rotation, interpolation=interpolation, padding=padding, backend=backend, p=p
        )
