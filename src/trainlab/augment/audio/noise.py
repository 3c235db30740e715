"""Noise at a target signal-to-noise ratio: white, pink (1/f) or brown (1/f²).

Per sample an SNR is drawn from ``snr_db`` and the noise is scaled so that
10·log10(P_signal / P_noise) equals it, P being the mean square over the clip
(:func:`~trainlab.augment.audio._common.mix_at_snr`). Coloured noise is white
Gaussian noise shaped in the frequency domain: its rFFT is multiplied by
f^(−β/2) (β = 1 pink, β = 2 brown; the DC bin set to zero), so that its power
spectrum falls as 1/f^β (the spectral-shaping method of Timmer & König,
*On generating power law noise*, A&A 300, 1995, with deterministic amplitudes).
Noise augmentation of speech as in Ko et al., *Audio augmentation for speech
recognition*, Interspeech 2015, and audiomentations' ``AddColorNoise``.

Example:
    >>> import torch
    >>> from trainlab.augment.audio.noise import AddNoise
    >>> x = torch.randn(4, 1, 16000)
    >>> out = AddNoise(snr_db=20.0, color="pink")(x, torch.Generator().manual_seed(0))
    >>> snr = 10 * torch.log10(x.square().mean((1, 2)) / (out - x).square().mean((1, 2)))
    >>> [round(float(s), 2) for s in snr]
    [20.0, 20.0, 20.0, 20.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import torch

from trainlab.augment._base import Params, check_choice, check_range, uniform
from trainlab.augment.audio._common import (
    WaveformAugmentation,
    mix_at_snr,
    restore,
    working_copy,
)
from trainlab.augment.noise import gaussian_noise

#: the noise colours and the exponent β of their power spectra 1/f^β
NOISE_COLORS: dict[str, float] = {"white": 0.0, "pink": 1.0, "brown": 2.0}


def colored_noise(
    shape: Sequence[int],
    color: str = "white",
    generator: torch.Generator | None = None,
    device: torch.device | str | None = None,
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor:
    """Gaussian noise of ``shape`` (..., L) whose power spectrum falls as 1/f^β along L.

    White noise is drawn on the generator's device (see
    :func:`trainlab.augment.noise.gaussian_noise`) and, for pink and brown,
    shaped by FFT on ``device``; the result has unit variance.

    Example:
        >>> import torch
        >>> n = colored_noise((2, 1, 4096), "brown", torch.Generator().manual_seed(0))
        >>> n.shape, round(float(n.std()), 2)
        (torch.Size([2, 1, 4096]), 1.0)
    """
    beta = NOISE_COLORS[check_choice("color", color, tuple(NOISE_COLORS))]
    white = gaussian_noise(shape, generator, device, dtype)
    if beta == 0.0:
        return white
    length = white.shape[-1]
    freqs = torch.fft.rfftfreq(length, device=white.device, dtype=dtype)
    amplitude = freqs.clamp_min(freqs[1] if length > 1 else 1.0).pow(-beta / 2)
    amplitude[0] = 0.0
    shaped = torch.fft.irfft(torch.fft.rfft(white) * amplitude, n=length)
    return shaped / shaped.std(dim=-1, keepdim=True).clamp_min(1e-12)


class AddNoise(WaveformAugmentation):
    """Add white, pink or brown Gaussian noise at an SNR drawn per sample.

    Args:
        snr_db: [low, high] range of the signal-to-noise ratio in dB, or one value.
        color: "white" (flat), "pink" (power ∝ 1/f) or "brown" (power ∝ 1/f²).
        p: probability that a sample gets noise.

    Example:
        >>> import torch
        >>> from trainlab.augment.audio.noise import AddNoise
        >>> x = torch.randn(8, 1, 400)
        >>> params = AddNoise(snr_db=(10, 30)).sample_params(x, torch.Generator().manual_seed(0))
        >>> sorted(params), bool(((params["snr_db"] >= 10) & (params["snr_db"] <= 30)).all())
        (['apply', 'noise', 'snr_db'], True)
    """

    def __init__(
        self,
        snr_db: float | Sequence[float] = (10.0, 30.0),
        color: Literal["white", "pink", "brown"] = "white",
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        self.snr_db = check_range("snr_db", snr_db)
        self.color = check_choice("color", color, tuple(NOISE_COLORS))

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        params = super().sample_params(batch, generator)
        params["snr_db"] = uniform(batch.shape[0], *self.snr_db, generator, batch.device)
        dtype = working_copy(batch).dtype
        params["noise"] = colored_noise(batch.shape, self.color, generator, batch.device, dtype)
        return params

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        x = working_copy(batch)
        noisy = mix_at_snr(x, params["noise"].to(x.dtype), params["snr_db"])
        return restore(torch.where(self.mask(params, batch), noisy, x), batch)

    def extra_repr(self) -> str:
        return f"snr_db={self.snr_db}, color={self.color!r}, p={self.p}"
