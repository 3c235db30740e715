"""SpecAugment: time warping, then frequency masks, then time masks (the paper's order).

Park et al., *SpecAugment: A Simple Data Augmentation Method for Automatic
Speech Recognition*, Interspeech 2019. Composes
:class:`~trainlab.augment.audio.warp.TimeWarp` (W = ``warp``; 0 switches it
off), :class:`~trainlab.augment.audio.masking.FrequencyMask` (m_F =
``freq_masks`` bands up to F = ``freq_width`` rows) and
:class:`~trainlab.augment.audio.masking.TimeMask` (m_T = ``time_masks`` bands
up to T = ``time_width`` frames and p = ``max_fraction`` of them), the masks
filled with each example's mean. One draw of ``p`` per sample decides whether
it gets all three; their parameters sit in one dict, prefixed "warp.",
"freq." and "time.". The paper's LibriSpeech policies: LB is W = 80,
F = 27, m_F = 1, T = 100, p = 1.0, m_T = 1 (on 80 mel rows, 10 ms frames).

Example:
    >>> import torch
    >>> from trainlab.augment.audio.specaugment import SpecAugment
    >>> x = torch.rand(4, 1, 40, 101)
    >>> aug = SpecAugment()
    >>> params = aug.sample_params(x, torch.Generator().manual_seed(0))
    >>> sorted(params)
    ['apply', 'freq.start', 'freq.width', 'time.start', 'time.width', 'warp.center', 'warp.shift']
    >>> aug.apply(x, params).shape
    torch.Size([4, 1, 40, 101])
"""

from __future__ import annotations

import torch

from trainlab.augment._base import Params
from trainlab.augment.audio._common import (
    SpectrogramAugmentation,
    check_count,
    check_fraction,
)
from trainlab.augment.audio.masking import FrequencyMask, TimeMask
from trainlab.augment.audio.warp import TimeWarp


class SpecAugment(SpectrogramAugmentation):
    """Warp, frequency-mask and time-mask spectrograms (N, C, F, T) as in SpecAugment.

    Args:
        freq_masks: m_F, frequency bands per sample.
        freq_width: F, the widest frequency band in rows.
        time_masks: m_T, time bands per sample.
        time_width: T, the widest time band in frames.
        max_fraction: p, no time band wider than this fraction of the frames.
        warp: W, the time warp's largest move in frames (0: no warp).
        p: probability that a sample is augmented.

    Example:
        >>> import torch
        >>> from trainlab.augment.audio.specaugment import SpecAugment
        >>> x = torch.rand(2, 1, 40, 101)
        >>> params = SpecAugment(warp=0).sample_params(x, torch.Generator().manual_seed(0))
        >>> "warp.shift" in params
        False
    """

    def __init__(
        self,
        freq_masks: int = 2,
        freq_width: int = 8,
        time_masks: int = 2,
        time_width: int = 20,
        max_fraction: float = 1.0,
        warp: int = 5,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        self.freq_masks = check_count("freq_masks", freq_masks)
        self.freq_width = check_count("freq_width", freq_width)
        self.time_masks = check_count("time_masks", time_masks)
        self.time_width = check_count("time_width", time_width)
        self.max_fraction = check_fraction("max_fraction", max_fraction)
        self.max_warp = check_count("warp", warp)
        self.freq = FrequencyMask(max_width=freq_width, masks=freq_masks)
        self.time = TimeMask(max_width=time_width, masks=time_masks, max_fraction=max_fraction)
        self.warp = TimeWarp(max_warp=warp) if warp > 0 else None

    def parts(self) -> list[tuple[str, SpectrogramAugmentation]]:
        """The steps in the paper's order, with their parameters' prefixes."""
        steps = [("warp", self.warp), ("freq", self.freq), ("time", self.time)]
        return [(prefix, step) for prefix, step in steps if step is not None]

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        params = super().sample_params(batch, generator)
        for prefix, step in self.parts():
            for key, value in step.draw(batch, generator, params["apply"]).items():
                params[f"{prefix}.{key}"] = value
        return params

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        out = batch
        for prefix, step in self.parts():
            own = {k.split(".", 1)[1]: v for k, v in params.items() if k.startswith(prefix + ".")}
            out = step.apply(out, {"apply": params["apply"], **own})
        return out if out is not batch else batch.clone()

    def extra_repr(self) -> str:
        return (
            f"freq_masks={self.freq_masks}, freq_width={self.freq_width}, "
            f"time_masks={self.time_masks}, time_width={self.time_width}, "
            f"max_fraction={self.max_fraction}, warp={self.max_warp}, p={self.p}"
        )
