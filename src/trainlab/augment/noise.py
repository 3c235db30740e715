"""Additive Gaussian noise on inputs: x' = x + σ·ε, ε ~ N(0, I), per sample.

Noise injection on the inputs as a regularizer (Bishop, *Training with Noise
is Equivalent to Tikhonov Regularization*, Neural Computation 7(1), 1995).
It works on images (N, C, H, W) and 1-D signals (N, C, L) alike. σ is in
units of the batch's values (trainlab normalizes inputs first); for uint8
images, whose full range 0–255 stands for [0, 1], the noise is 255·σ·ε,
rounded and clipped back to [0, 255]. A [low, high] pair draws σ per sample.

The kernel (:func:`gaussian_noise`, :func:`add_gaussian_noise`) is the one
implementation of input noise: the augmentation ``gaussian-noise`` wraps it
with the draw/apply contract, and the training strategy
``regularization.input_noise`` (:class:`trainlab.engine.strategies.input_noise.InputNoise`)
calls it on every training batch, whatever its rank.

Example:
    >>> import torch
    >>> from trainlab.augment.noise import GaussianNoise, add_gaussian_noise
    >>> x = torch.zeros(2, 1, 1000)
    >>> out = GaussianNoise(std=0.5)(x, torch.Generator().manual_seed(0))
    >>> round(float(out.std()), 1)
    0.5
    >>> round(float(add_gaussian_noise(torch.zeros(4000), 0.5, torch.Generator()).std()), 1)
    0.5
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from trainlab.augment._base import Augmentation, Params, check_range, uniform


def gaussian_noise(
    shape: Sequence[int],
    generator: torch.Generator | None = None,
    device: torch.device | str | None = None,
    dtype: torch.dtype | None = None,
) -> torch.Tensor:
    """Standard normal noise ε ~ N(0, I) of ``shape``.

    Drawn in float32 on the generator's device (the CPU without one), so the
    draw does not depend on where the result goes, then cast to ``device`` and
    ``dtype`` (default: the generator's device, float32).

    Example:
        >>> import torch
        >>> eps = gaussian_noise((3, 2), torch.Generator().manual_seed(0), dtype=torch.float64)
        >>> eps.shape, eps.dtype
        (torch.Size([3, 2]), torch.float64)
    """
    gdev = generator.device if generator is not None else torch.device("cpu")
    eps = torch.randn(tuple(shape), generator=generator, device=gdev)
    return eps.to(device=device if device is not None else gdev, dtype=dtype or eps.dtype)


def add_gaussian_noise(
    x: torch.Tensor,
    std: float | torch.Tensor,
    generator: torch.Generator | None = None,
    *,
    noise: torch.Tensor | None = None,
) -> torch.Tensor:
    """``x + std · ε`` (a new tensor), the kernel of input noise (Bishop, 1995).

    Args:
        x: a floating-point tensor of any shape.
        std: σ, a number or a tensor that broadcasts against ``x`` (e.g. one σ per sample).
        generator: draws ε (see :func:`gaussian_noise`) when ``noise`` is not given.
        noise: ε itself, already drawn (shape of ``x``), to replay a draw.

    Example:
        >>> import torch
        >>> x = torch.ones(2, 3)
        >>> torch.equal(add_gaussian_noise(x, 0.1, noise=torch.zeros(2, 3)), x)
        True
    """
    if noise is None:
        noise = gaussian_noise(x.shape, generator, x.device, x.dtype)
    return x + std * noise


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
        params["std"] = uniform(batch.shape[0], *self.std, generator, batch.device)
        dtype = batch.dtype if batch.is_floating_point() else torch.float32
        # (N, ...) standard normal
        params["noise"] = gaussian_noise(batch.shape, generator, batch.device, dtype)
        return params

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        floating = batch.is_floating_point()
        x = batch if floating else batch.float()
        std = params["std"].to(x.dtype).view(-1, *([1] * (x.ndim - 1)))
        if not floating:
            std = 255.0 * std
        noisy = add_gaussian_noise(x, std, noise=params["noise"].to(x.dtype))
        out = torch.where(self.mask(params, batch), noisy, x)
        if floating:
            return out
        return out.round().clamp(0, 255).to(batch.dtype)

    def extra_repr(self) -> str:
        return f"std={self.std}, p={self.p}"
