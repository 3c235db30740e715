"""Flip (lecture: giro): ``diag(-1, 1, 1)`` (horizontal), ``diag(1, -1, 1)`` (vertical).

About the image centre the horizontal flip maps column j to W − 1 − j, which is
``torch.flip(x, dims=[-1])``: the flip is applied exactly, without interpolation.
"""

from __future__ import annotations

import torch

from trainlab.augment._base import Params
from trainlab.augment.image.affine import RandomAffine


class RandomFlip(RandomAffine):
    """Random horizontal and vertical flips (lecture: giro, ``diag(-1, 1, 1)``), exact.

    The matrix is drawn as in :class:`RandomAffine`; the flip itself is ``torch.flip``,
    which is what that matrix does (no interpolation).

    Example:
        >>> import torch
        >>> x = torch.arange(4.0).view(1, 1, 1, 4)
        >>> RandomFlip(hflip=1.0)(x).flatten().tolist()
        [3.0, 2.0, 1.0, 0.0]
    """

    def __init__(self, hflip: float = 0.5, vflip: float = 0.0, p: float = 1.0) -> None:
        super().__init__(hflip=hflip, vflip=vflip, interpolation="nearest", p=p)

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        view = (-1, 1, 1, 1)
        apply = params["apply"]
        out = torch.where((apply & params["hflip"]).view(view), batch.flip(-1), batch)
        if bool(self.vflip):
            out = torch.where((apply & params["vflip"]).view(view), out.flip(-2), out)
        return out
