"""Pitch shift keeping the duration: a phase-vocoder stretch, then resampling.

As ``librosa.effects.pitch_shift``: to shift by s semitones the clip is
time-stretched by rate = 2^(−s/12) with the phase vocoder
(:func:`~trainlab.augment.audio.vocoder.time_stretch`; pitch kept, length
L / rate), then played back 1 / rate times faster
(:func:`~trainlab.augment.audio.speed.change_speed` about the start, low-passed
where it speeds up), which brings the length back to L and moves every
frequency by 2^(s/12). Every sample has its own rate, in one batched pass.
Pitch-shifting speech as augmentation: Schlüter & Grill, *Exploring data
augmentation for improved singing voice detection with neural networks*,
ISMIR 2015; Salamon & Bello, *Deep convolutional neural networks and data
augmentation for environmental sound classification*, IEEE SPL 24(3), 2017.

Example:
    >>> import math, torch
    >>> from trainlab.augment.audio.pitch import pitch_shift
    >>> t = torch.arange(8000.0)
    >>> x = torch.sin(2 * math.pi * 0.05 * t).view(1, 1, -1)  # 400 cycles
    >>> y = pitch_shift(x, torch.tensor([12.0]))  # an octave up
    >>> y.shape, int(torch.fft.rfft(y[0, 0]).abs().argmax())
    (torch.Size([1, 1, 8000]), 800)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import torch

from trainlab.augment._base import Params, check_choice, check_range, uniform
from trainlab.augment.audio._common import WaveformAugmentation, restore, working_copy
from trainlab.augment.audio.speed import INTERPOLATIONS, change_speed
from trainlab.augment.audio.vocoder import time_stretch


def pitch_shift(
    x: torch.Tensor,
    semitones: torch.Tensor,
    *,
    n_fft: int = 512,
    hop_length: int = 128,
    interpolation: str = "sinc",
) -> torch.Tensor:
    """Shift the pitch of waveforms (N, C, L) by ``semitones`` (N,), keeping L.

    Example:
        >>> import torch
        >>> pitch_shift(torch.zeros(2, 1, 1000), torch.tensor([-2.0, 2.0])).shape
        torch.Size([2, 1, 1000])
    """
    rate = torch.pow(2.0, -semitones.to(device=x.device, dtype=torch.float64) / 12.0)
    stretched, _ = time_stretch(x, rate, n_fft=n_fft, hop_length=hop_length)
    return change_speed(
        stretched, 1.0 / rate, origin=0.0, length=x.shape[-1], interpolation=interpolation
    )


class PitchShift(WaveformAugmentation):
    """Shift the pitch by a number of semitones drawn per sample; the duration stays.

    Args:
        semitones: [low, high] range of the shift (a number s: ±s), or one pair.
        n_fft: the phase vocoder's frame length in samples (≥ 4).
        hop_length: its hop in samples, from 1 to n_fft / 2.
        p: probability that a sample's pitch is shifted.
        interpolation: the resampling after the stretch: ``"sinc"`` or ``"cubic"``
            (faster, rougher; see :class:`~trainlab.augment.audio.speed.SpeedChange`).

    Example:
        >>> import torch
        >>> from trainlab.augment.audio.pitch import PitchShift
        >>> x = torch.randn(4, 1, 2000)
        >>> aug = PitchShift(semitones=2.0)
        >>> params = aug.sample_params(x, torch.Generator().manual_seed(0))
        >>> bool((params["semitones"].abs() <= 2).all()), aug.apply(x, params).shape
        (True, torch.Size([4, 1, 2000]))
    """

    def __init__(
        self,
        semitones: float | Sequence[float] = (-2.0, 2.0),
        n_fft: int = 512,
        hop_length: int = 128,
        p: float = 1.0,
        interpolation: Literal["sinc", "cubic"] = "sinc",
    ) -> None:
        super().__init__(p)
        self.interpolation = check_choice("interpolation", interpolation, tuple(INTERPOLATIONS))
        self.semitones = check_range("semitones", semitones, symmetric=True)
        if isinstance(n_fft, bool) or not isinstance(n_fft, int) or n_fft < 4:
            raise ValueError(f"n_fft: expected a whole number of samples ≥ 4, got {n_fft!r}")
        if isinstance(hop_length, bool) or not isinstance(hop_length, int):
            raise ValueError(f"hop_length: expected a whole number of samples, got {hop_length!r}")
        if not 1 <= hop_length <= n_fft // 2:
            raise ValueError(
                f"hop_length: expected 1 to n_fft / 2 = {n_fft // 2} samples, got {hop_length}"
            )
        self.n_fft = n_fft
        self.hop_length = hop_length

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        params = super().sample_params(batch, generator)
        steps = uniform(batch.shape[0], *self.semitones, generator, batch.device)
        params["semitones"] = torch.where(params["apply"], steps, 0.0)  # (N,)
        return params

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        x = working_copy(batch)
        shifted = pitch_shift(
            x,
            params["semitones"],
            n_fft=self.n_fft,
            hop_length=self.hop_length,
            interpolation=self.interpolation,
        )
        return restore(torch.where(self.mask(params, batch), shifted, x), batch)

    def extra_repr(self) -> str:
        return (
            f"semitones={self.semitones}, n_fft={self.n_fft}, "
            f"hop_length={self.hop_length}, p={self.p}, interpolation={self.interpolation!r}"
        )
