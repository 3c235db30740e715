"""What the audio augmentations share: batch checks, float working copies, the SNR mix.

Example:
    >>> import torch
    >>> from trainlab.augment.audio._common import mix_at_snr
    >>> x, noise = torch.ones(1, 1, 100), torch.ones(1, 1, 100)
    >>> round(float(mix_at_snr(x, noise, torch.tensor([20.0]))[0, 0, 0]), 6)  # 1 + 10**(-20/20)
    1.1
"""

from __future__ import annotations

import torch

from trainlab.augment._base import Augmentation, Params


def working_copy(batch: torch.Tensor) -> torch.Tensor:
    """``batch`` itself when float32/float64, else a float32 copy to compute on."""
    return batch if batch.dtype in (torch.float32, torch.float64) else batch.float()


def restore(out: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """``out`` in ``like``'s dtype (rounded and clipped for integer dtypes)."""
    if like.is_floating_point():
        return out.to(like.dtype)
    info = torch.iinfo(like.dtype)
    return out.round().clamp(info.min, info.max).to(like.dtype)


def per_sample(values: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """(N,) ``values`` in ``like``'s dtype and device, shaped to broadcast over ``like``."""
    return values.to(device=like.device, dtype=like.dtype).view(-1, *([1] * (like.ndim - 1)))


def check_count(name: str, value: int) -> int:
    """``value`` if it is a whole number ≥ 0; ``ValueError`` naming ``name`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name}: expected a whole number ≥ 0, got {value!r}")
    return value


def check_fraction(name: str, value: float) -> float:
    """``value`` if it lies in [0, 1]; ``ValueError`` naming ``name`` otherwise."""
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name}: expected a fraction in [0, 1], got {value}")
    return value


def mean_power(x: torch.Tensor) -> torch.Tensor:
    """Each sample's mean square over its channels and samples, (N,)."""
    return x.square().flatten(1).mean(dim=1)


def mix_at_snr(x: torch.Tensor, noise: torch.Tensor, snr_db: torch.Tensor) -> torch.Tensor:
    """x + s·noise with s per sample so that 10·log10(P_x / P_{s·noise}) = ``snr_db``.

    P is the mean square over the clip (all channels). A silent clip (P_x = 0)
    stays silent: its SNR is undefined and no noise is added.

    Example:
        >>> import torch
        >>> x = torch.randn(2, 1, 1000)
        >>> n = torch.randn(2, 1, 1000)
        >>> out = mix_at_snr(x, n, torch.tensor([10.0, 3.0]))
        >>> snr = 10 * torch.log10(mean_power(x) / mean_power(out - x))
        >>> [round(float(s), 3) for s in snr]
        [10.0, 3.0]
    """
    ratio = torch.pow(10.0, -snr_db.to(device=x.device, dtype=x.dtype) / 10.0)
    scale = torch.sqrt(mean_power(x) * ratio / mean_power(noise).clamp_min(1e-30))
    return x + per_sample(scale, x) * noise


class WaveformAugmentation(Augmentation):
    """Base class of augmentations on waveforms (N, C, L)."""

    ranks = (3,)


class SpectrogramAugmentation(Augmentation):
    """Base class of augmentations on spectrograms (N, C, F, T): F frequency rows, T frames."""

    ranks = (4,)

    def check_batch(self, batch: torch.Tensor) -> None:
        """``ValueError`` unless ``batch`` is a tensor (N, C, F, T)."""
        if isinstance(batch, torch.Tensor) and batch.ndim != 4:
            raise ValueError(
                f"{type(self).__name__}: expected a batch of spectrograms (N, C, F, T), "
                f"got shape {tuple(batch.shape)}"
            )
        super().check_batch(batch)

    def draw(
        self, batch: torch.Tensor, generator: torch.Generator | None, apply: torch.Tensor
    ) -> Params:
        """The augmentation's own random choices for ``batch`` (``apply``: who is transformed).

        Kept apart from :meth:`sample_params` so that a composition
        (:class:`~trainlab.augment.audio.specaugment.SpecAugment`) draws each step
        for the same samples.
        """
        return {}

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        params = super().sample_params(batch, generator)
        params.update(self.draw(batch, generator, params["apply"]))
        return params
