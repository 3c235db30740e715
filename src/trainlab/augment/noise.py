"""Additive Gaussian noise on inputs: x' = x + σ·ε, ε ~ N(0, I), per sample.

Noise injection on the inputs as a regularizer (Bishop, *Training with Noise
is Equivalent to Tikhonov Regularization*, Neural Computation 7(1), 1995).
It works on images (N, C, H, W) and 1-D signals (N, C, L) alike. σ is in
units of the batch's values (trainlab normalizes inputs first); for uint8
images, whose full range 0–255 stands for [0, 1], the noise is 255·σ·ε,
rounded and clipped back to [0, 255]. A [low, high] pair draws σ per sample.

Example:
    >>> import torch
    >>> from trainlab.augment.noise import GaussianNoise
    >>> x = torch.zeros(2, 1, 1000)
    >>> out = GaussianNoise(std=0.5)(x, torch.Generator().manual_seed(0))
    >>> round(float(out.std()), 1)
    0.5
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from trainlab.augment._base import Augmentation, Params, check_range, uniform


class GaussianNoise(Augmentation):
    """Add zero-mean Gaussian noise of standard deviation ``std``.

    Args:
        std: σ, or a [low, high] range from which σ is drawn per sample; non-negative.
            For uint8 images σ is a fraction of 255.
        p: probability that a sample gets noise.

    Example:
        >>> import torch
        >>> from trainlab.augment.noise import GaussianNoise
        >>> x = torch.zeros(4, 3, 8, 8)
        >>> aug = GaussianNoise(std=(0.0, 0.2), p=0.5)
        >>> params = aug.sample_params(x, torch.Generator().manual_seed(0))
        >>> sorted(params), params["noise"].shape
        (['apply', 'noise', 'std'], torch.Size([4, 3, 8, 8]))
    """

    ranks = (3, 4)

    def __init__(self, std: float | Sequence[float] = 0.1, p: float = 1.0) -> None:
        super().__init__(p)
        self.std = check_range("std", std, low=0.0)

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        params = super().sample_params(batch, generator)
        gdev = generator.device if generator is not None else torch.device("cpu")
        params["std"] = uniform(batch.shape[0], *self.std, generator, batch.device)
        dtype = batch.dtype if batch.is_floating_point() else torch.float32
        eps = torch.randn(batch.shape, generator=generator, device=gdev)
        params["noise"] = eps.to(device=batch.device, dtype=dtype)  # (N, ...) standard normal
        return params

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        floating = batch.is_floating_point()
        x = batch if floating else batch.float()
        std = params["std"].to(x.dtype).view(-1, *([1] * (x.ndim - 1)))
        if not floating:
            std = 255.0 * std
        out = torch.where(self.mask(params, batch), x + std * params["noise"].to(x.dtype), x)
        if floating:
            return out
        return out.round().clamp(0, 255).to(batch.dtype)

    def extra_repr(self) -> str:
        return f"std={self.std}, p={self.p}"
