"""Gain: scale each waveform by a factor 10^(g/20), g drawn per sample in dB.

Random gain (volume) perturbation, as audiomentations' ``Gain`` and
torch-audiomentations' ``Gain``; no clipping (trainlab's models take float
waveforms, and a clip at ±1 would be a distortion of its own).

Example:
    >>> import torch
    >>> from trainlab.augment.audio.gain import Gain
    >>> x = torch.ones(1, 1, 4)
    >>> Gain().apply(x, {"apply": torch.tensor([True]), "gain_db": torch.tensor([20.0])})
    tensor([[[10., 10., 10., 10.]]])
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from trainlab.augment._base import Params, check_range, uniform
from trainlab.augment.audio._common import (
    WaveformAugmentation,
    per_sample,
    restore,
    working_copy,
)


def apply_gain(x: torch.Tensor, gain_db: torch.Tensor) -> torch.Tensor:
    """x · 10^(gain_db / 20) per sample, for (N, ...) ``x`` and (N,) ``gain_db``.

    Example:
        >>> import torch
        >>> apply_gain(torch.ones(2, 1, 1), torch.tensor([0.0, -20.0])).flatten().tolist()
        [1.0, 0.10000000149011612]
    """
    return x * per_sample(torch.pow(10.0, gain_db / 20.0), x)


class Gain(WaveformAugmentation):
    """Multiply waveforms by a gain drawn per sample, in decibels.

    Args:
        gain_db: [low, high] range of the gain in dB, or one gain.
        p: probability that a sample's gain changes.

    Example:
        >>> import torch
        >>> from trainlab.augment.audio.gain import Gain
        >>> x = torch.ones(4, 1, 8)
        >>> out = Gain(gain_db=(-6.0, 6.0))(x, torch.Generator().manual_seed(0))
        >>> bool(((out >= 10 ** (-6 / 20)) & (out <= 10 ** (6 / 20))).all())
        True
    """

    def __init__(self, gain_db: float | Sequence[float] = (-6.0, 6.0), p: float = 1.0) -> None:
        super().__init__(p)
        self.gain_db = check_range("gain_db", gain_db)

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        params = super().sample_params(batch, generator)
        gain = uniform(batch.shape[0], *self.gain_db, generator, batch.device)
        params["gain_db"] = torch.where(params["apply"], gain, 0.0)  # (N,) dB
        return params

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        x = working_copy(batch)
        out = torch.where(self.mask(params, batch), apply_gain(x, params["gain_db"]), x)
        return restore(out, batch)

    def extra_repr(self) -> str:
        return f"gain_db={self.gain_db}, p={self.p}"
