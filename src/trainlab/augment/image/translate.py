"""Translation (lecture: traslación): ``[[1, 0, tx], [0, 1, ty], [0, 0, 1]]``.

Each sample is shifted by (tx, ty) pixels drawn uniformly from ±``translate`` of the
width and height; a :class:`~trainlab.augment.image.affine.RandomAffine` with
only its translation.
"""

from __future__ import annotations

from collections.abc import Sequence

from trainlab.augment.image.affine import RandomAffine


class RandomTranslate(RandomAffine):
    """Random translation by up to ``translate`` of the width and height (lecture: traslación).

    Example:
        >>> import torch
        >>> RandomTranslate(0.25)(torch.rand(2, 1, 8, 8)).shape
        torch.Size([2, 1, 8, 8])
    """

    def __init__(
        self,
        translate: float | Sequence[float] = 0.1,
        interpolation: str = "bilinear",
        padding: str = "zeros",
        backend: str = "auto",
        p: float = 1.0,
    ) -> None:
        super().__init__(
            translate=translate, interpolation=interpolation, padding=padding, backend=backend, p=p
        )
