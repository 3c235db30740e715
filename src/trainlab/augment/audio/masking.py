"""SpecAugment's frequency and time masks on spectrograms (N, C, F, T).

Park et al., *SpecAugment: A Simple Data Augmentation Method for Automatic
Speech Recognition*, Interspeech 2019: a frequency mask covers the rows
[f0, f0 + f) with a width f ~ U{0, …, F} (F = ``max_width``) and a start f0
uniform over the ν − f + 1 places where the band fits (ν rows); a time mask
covers the frames [t0, t0 + t) the same way, with t no wider than
p·τ (p = ``max_fraction``, τ frames). ``masks`` bands are drawn independently
per sample (they may overlap) and filled with ``value``: "zero", or "mean",
the example's own mean over its channels, rows and frames (after a
normalizing front end the two are nearly the same; the paper uses the mean,
which is zero there).

Example:
    >>> import torch
    >>> from trainlab.augment.audio.masking import FrequencyMask
    >>> x = torch.ones(1, 1, 4, 3)
    >>> params = {"apply": torch.tensor([True]), "start": torch.tensor([[1]]),
    ...           "width": torch.tensor([[2]])}
    >>> FrequencyMask(value="zero").apply(x, params)[0, 0, :, 0].tolist()
    [1.0, 0.0, 0.0, 1.0]
"""

from __future__ import annotations

from typing import Literal

import torch

from trainlab.augment._base import Params, check_choice
from trainlab.augment.audio._common import SpectrogramAugmentation, check_count, check_fraction

MASK_VALUES: tuple[str, ...] = ("mean", "zero")


def band_mask(start: torch.Tensor, width: torch.Tensor, size: int) -> torch.Tensor:
    """(N, size) bool: True in any of the bands [start, start + width), both (N, masks).

    Example:
        >>> import torch
        >>> band_mask(torch.tensor([[0, 3]]), torch.tensor([[1, 2]]), 6).int().tolist()
        [[1, 0, 0, 1, 1, 0]]
    """
    index = torch.arange(size, device=start.device).view(1, 1, size)
    start, width = start.unsqueeze(-1), width.unsqueeze(-1)
    return ((index >= start) & (index < start + width)).any(dim=1)


def draw_bands(
    n: int, masks: int, max_width: int, size: int, generator: torch.Generator | None
) -> tuple[torch.Tensor, torch.Tensor]:
    """(start, width), each (N, masks) long: width ~ U{0..max_width}, start where the band fits.

    Example:
        >>> import torch
        >>> start, width = draw_bands(5, 2, 3, 10, torch.Generator().manual_seed(0))
        >>> bool(((width <= 3) & (start + width <= 10)).all())
        True
    """
    gdev = generator.device if generator is not None else torch.device("cpu")
    u = torch.rand(2, n, masks, generator=generator, device=gdev, dtype=torch.float64)
    top = min(max_width, size)
    width = torch.floor(u[0] * (top + 1)).long().clamp(max=top)
    start = torch.floor(u[1] * (size - width + 1)).long().clamp(max=size - width)
    return start, width


def fill(x: torch.Tensor, region: torch.Tensor, value: str) -> torch.Tensor:
    """``x`` with ``region`` (broadcasting over it) set to zero or to each example's mean."""
    if value == "zero":
        fill_with = torch.zeros((), dtype=x.dtype, device=x.device)
    else:
        mean = x.flatten(1).double().mean(dim=1).view(-1, *([1] * (x.ndim - 1)))
        fill_with = mean.to(x.dtype) if x.is_floating_point() else mean.round().to(x.dtype)
    return torch.where(region, fill_with, x)


class _Masking(SpectrogramAugmentation):
    """Bands along one axis of (N, C, F, T): rows (axis -2) or frames (axis -1)."""

    axis: int = -2

    def __init__(self, max_width: int, masks: int, value: str, p: float) -> None:
        super().__init__(p)
        self.max_width = check_count("max_width", max_width)
        self.masks = check_count("masks", masks)
        self.value = check_choice("value", value, MASK_VALUES)

    def widest(self, size: int) -> int:
        """The widest band on an axis of ``size``."""
        return self.max_width

    def draw(self, batch: torch.Tensor, generator: torch.Generator | None, apply: torch.Tensor):
        """The bands of ``batch`` for the samples in ``apply`` (others get width 0)."""
        size = batch.shape[self.axis]
        start, width = draw_bands(batch.shape[0], self.masks, self.widest(size), size, generator)
        apply = apply.view(-1, 1).to(batch.device)
        return {
            "start": start.to(batch.device),
            "width": torch.where(apply, width.to(batch.device), 0),
        }

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        region = band_mask(params["start"], params["width"], batch.shape[self.axis])
        region = region & params["apply"].view(-1, 1)
        shape = (-1, 1, region.shape[1], 1) if self.axis == -2 else (-1, 1, 1, region.shape[1])
        return fill(batch, region.view(shape), self.value)

    def extra_repr(self) -> str:
        return f"max_width={self.max_width}, masks={self.masks}, value={self.value!r}, p={self.p}"


class FrequencyMask(_Masking):
    """Mask ``masks`` bands of frequency rows, each up to ``max_width`` rows (SpecAugment).

    Args:
        max_width: F, the widest band in rows.
        masks: m_F, the number of bands per sample.
        value: what fills them: "mean" (the example's mean) or "zero".
        p: probability that a sample is masked.

    Example:
        >>> import torch
        >>> from trainlab.augment.audio.masking import FrequencyMask
        >>> x = torch.rand(4, 1, 40, 100)
        >>> out = FrequencyMask(max_width=8, masks=2)(x, torch.Generator().manual_seed(0))
        >>> rows = (out != x).all(dim=-1)[:, 0]  # rows masked over every frame
        >>> bool((rows.sum(dim=1) <= 16).all())
        True
    """

    axis = -2

    def __init__(
        self,
        max_width: int = 8,
        masks: int = 2,
        value: Literal["mean", "zero"] = "mean",
        p: float = 1.0,
    ) -> None:
        super().__init__(max_width, masks, value, p)


class TimeMask(_Masking):
    """Mask ``masks`` bands of frames, each up to ``max_width`` and ``max_fraction``·τ frames.

    Args:
        max_width: T, the widest band in frames.
        masks: m_T, the number of bands per sample.
        max_fraction: p of the paper: no band is wider than this fraction of the τ frames.
        value: what fills them: "mean" (the example's mean) or "zero".
        p: probability that a sample is masked.

    Example:
        >>> import torch
        >>> from trainlab.augment.audio.masking import TimeMask
        >>> x = torch.rand(4, 1, 40, 100)
        >>> params = TimeMask(max_width=20, max_fraction=0.1).sample_params(x)
        >>> bool((params["width"] <= 10).all())
        True
    """

    axis = -1

    def __init__(
        self,
        max_width: int = 20,
        masks: int = 2,
        max_fraction: float = 1.0,
        value: Literal["mean", "zero"] = "mean",
        p: float = 1.0,
    ) -> None:
        super().__init__(max_width, masks, value, p)
        self.max_fraction = check_fraction("max_fraction", max_fraction)

    def widest(self, size: int) -> int:
        return min(self.max_width, int(self.max_fraction * size + 1e-9))

    def extra_repr(self) -> str:
        return (
            f"max_width={self.max_width}, masks={self.masks}, "
            f"max_fraction={self.max_fraction}, value={self.value!r}, p={self.p}"
        )
