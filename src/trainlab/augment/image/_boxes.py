"""Random boxes of a given area fraction and aspect ratio, drawn as torchvision does.

Random resized crop and random erasing both draw, per sample, ``TRIES``
candidate boxes with area ~ U(scale) · H · W and log aspect ratio ~ U(log ratio),
then keep the first that fits (Szegedy et al., 2015; Zhong et al., 2020).

Example:
    >>> import torch
    >>> from trainlab.augment.image._boxes import TRIES, candidate_boxes
    >>> u, area, aspect = candidate_boxes(4, 8, 8, (0.1, 0.5), (0.5, 2.0), None)
    >>> u.shape, area.shape, aspect.shape == (4, TRIES)
    (torch.Size([4, 22]), torch.Size([4, 10]), True)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from trainlab.augment._base import check_range

#: candidate boxes per sample before falling back (as torchvision)
TRIES = 10


def check_ratio(ratio: Sequence[float]) -> tuple[float, float]:
    """A positive [low, high] aspect-ratio range; ``ValueError`` naming ``ratio`` otherwise."""
    pair = check_range("ratio", ratio)
    if not pair[0] > 0.0:
        raise ValueError(f"ratio: expected positive aspect ratios, got {list(pair)}")
    return pair


def candidate_boxes(
    n: int,
    h: int,
    w: int,
    scale: tuple[float, float],
    ratio: tuple[float, float],
    generator: torch.Generator | None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Uniform draws (N, 2·TRIES + 2; the last two place the box), areas and aspects (N, TRIES)."""
    gdev = generator.device if generator is not None else torch.device("cpu")
    u = torch.rand(n, 2 * TRIES + 2, generator=generator, device=gdev).double()
    lo, hi = scale
    area = h * w * (lo + (hi - lo) * u[:, :TRIES])
    log_lo, log_hi = math.log(ratio[0]), math.log(ratio[1])
    aspect = torch.exp(log_lo + (log_hi - log_lo) * u[:, TRIES : 2 * TRIES])
    return u, area, aspect
