"""Shear (lecture: deformación de corte): ``[[1, cx, 0], [cy, 1, 0], [0, 0, 1]]``.

About the image centre, with factors c = tan φ of angles φ drawn in degrees; a
:class:`~trainlab.augment.image.affine.RandomAffine` with only its shear.
"""

from __future__ import annotations

from collections.abc import Sequence

from trainlab.augment.image.affine import RandomAffine


class RandomShear(RandomAffine):
    """Random shear about the centre, angles in degrees (lecture: deformación de corte).

    Example:
        >>> import torch
        >>> RandomShear((10, 5))(torch.rand(2, 1, 8, 8)).shape
        torch.Size([2, 1, 8, 8])
    """

    def __init__(
        self,
        shear: float | Sequence[float] = 10.0,
        interpolation: str = "bilinear",
        padding: str = "zeros",
        backend: str = "auto",
        p: float = 1.0,
    ) -> None:
        super().__init__(
            shear=shear, interpolation=interpolation, padding=padding, backend=backend, p=p
        )
