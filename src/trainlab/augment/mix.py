"""Label-mixing augmentations: mixup and cutmix.

Each sample i is mixed with a partner perm[i] (a random permutation of the
batch) with a weight λ_i drawn per sample from Beta(α, α):

- **mixup** (Zhang et al., *mixup: Beyond Empirical Risk Minimization*,
  ICLR 2018): x'_i = λ_i·x_i + (1 − λ_i)·x_perm[i];
- **cutmix** (Yun et al., *CutMix: Regularization Strategy to Train Strong
  Classifiers with Localizable Features*, ICCV 2019): a box of area about
  (1 − λ_i)·H·W, centred on a uniform pixel and clipped at the borders
  (the reference code's ``rand_bbox``), is pasted from x_perm[i]; λ_i is then
  corrected to the exact fraction of x_i's pixels kept.

The targets (one-hot or soft, (N, classes)) mix the same way:
y'_i = λ_i·y_i + (1 − λ_i)·y_perm[i]. Samples that are not selected
(``apply`` False) keep λ = 1 and are left alone.

Reproducibility: torch's Beta and Gamma samplers take no generator, so λ is
drawn with numpy (``np.random.default_rng(seed).beta``), where the seed is
itself drawn from the torch generator; the same generator state gives the
same λ on every device (and one host round trip per batch on an accelerator).

Example:
    >>> import torch
    >>> from trainlab.augment.mix import Mixup
    >>> x, y = torch.rand(8, 3, 4, 4), torch.eye(4)[torch.arange(8) % 4]
    >>> aug = Mixup(alpha=0.4)
    >>> params = aug.sample_params(x, torch.Generator().manual_seed(0))
    >>> x2, y2 = aug.apply(x, params), aug.apply_targets(y, params)
    >>> torch.allclose(y2.sum(dim=1), torch.ones(8))
    True
"""

from __future__ import annotations

import numpy as np
import torch

from trainlab.augment._base import Augmentation, Params
from trainlab.augment.image.erase import box_mask


def _check_alpha(alpha: float) -> float:
    alpha = float(alpha)
    if not alpha > 0.0 or alpha == float("inf"):
        raise ValueError(f"alpha: expected a positive Beta concentration, got {alpha}")
    return alpha


def beta(
    n: int, alpha: float, generator: torch.Generator | None, device: torch.device
) -> torch.Tensor:
    """``n`` float32 draws from Beta(α, α), seeded from ``generator``, returned on ``device``.

    Example:
        >>> import torch
        >>> a = beta(3, 1.0, torch.Generator().manual_seed(0), torch.device("cpu"))
        >>> b = beta(3, 1.0, torch.Generator().manual_seed(0), torch.device("cpu"))
        >>> torch.equal(a, b), bool(((a >= 0) & (a <= 1)).all())
        (True, True)
    """
    gdev = generator.device if generator is not None else torch.device("cpu")
    seed = int(torch.randint(2**31, (1,), generator=generator, device=gdev).item())
    lam = np.random.default_rng(seed).beta(alpha, alpha, size=n)
    return torch.as_tensor(lam, dtype=torch.float32).to(device)


def _permutation(n: int, generator: torch.Generator | None, device: torch.device) -> torch.Tensor:
    gdev = generator.device if generator is not None else torch.device("cpu")
    return torch.randperm(n, generator=generator, device=gdev).to(device)


def mix_targets(targets: torch.Tensor, params: Params) -> torch.Tensor:
    """y' = λ·y + (1 − λ)·y[perm] for soft targets (N, classes); λ = 1 leaves y alone."""
    if not isinstance(targets, torch.Tensor) or targets.ndim != 2:
        shape = tuple(targets.shape) if isinstance(targets, torch.Tensor) else type(targets)
        raise ValueError(f"targets: expected soft targets (N, classes), got {shape}")
    if not targets.is_floating_point():
        raise ValueError(f"targets: expected a float tensor, got {targets.dtype}")
    lam = params["lam"].to(device=targets.device, dtype=targets.dtype).view(-1, 1)
    perm = params["perm"].to(targets.device)
    mixed = lam * targets + (1.0 - lam) * targets[perm]
    return torch.where(params["apply"].to(targets.device).view(-1, 1), mixed, targets)


class Mixup(Augmentation):
    """Convex combinations of sample pairs and of their labels, λ ~ Beta(α, α) per sample.

    Args:
        alpha: the Beta concentration α > 0 (small α: λ near 0 or 1, little mixing).
        p: probability that a sample is mixed.

    Example:
        >>> import torch
        >>> from trainlab.augment.mix import Mixup
        >>> x = torch.rand(4, 1, 40)
        >>> params = Mixup(alpha=0.2, p=0.0).sample_params(x)
        >>> params["lam"].tolist()
        [1.0, 1.0, 1.0, 1.0]
    """

    ranks = (3, 4)
    mixes_labels = True

    def __init__(self, alpha: float = 0.2, p: float = 1.0) -> None:
        super().__init__(p)
        self.alpha = _check_alpha(alpha)

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        params = super().sample_params(batch, generator)
        n = batch.shape[0]
        lam = beta(n, self.alpha, generator, batch.device)
        params["lam"] = torch.where(params["apply"], lam, 1.0)  # (N,) float32
        params["perm"] = _permutation(n, generator, batch.device)  # (N,) long
        return params

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        floating = batch.is_floating_point()
        x = batch if batch.dtype in (torch.float32, torch.float64) else batch.float()
        lam = params["lam"].to(x.dtype).view(-1, *([1] * (x.ndim - 1)))
        mixed = lam * x + (1.0 - lam) * x[params["perm"]]
        out = torch.where(self.mask(params, batch), mixed, x)
        if floating:
            return out.to(batch.dtype)
        return out.round().clamp(0, 255).to(batch.dtype)

    def apply_targets(self, targets: torch.Tensor, params: Params) -> torch.Tensor:
        return mix_targets(targets, params)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}, p={self.p}"


class CutMix(Augmentation):
    """Paste a box from a partner sample; labels mix by the exact pasted area.

    Args:
        alpha: the Beta concentration α > 0 of the kept fraction λ before correction.
        p: probability that a sample is mixed.

    Example:
        >>> import torch
        >>> from trainlab.augment.mix import CutMix
        >>> x = torch.rand(4, 3, 10, 10)
        >>> params = CutMix().sample_params(x, torch.Generator().manual_seed(0))
        >>> top, left, h, w = params["box"][0].tolist()
        >>> round(float(params["lam"][0]), 6) == round(1 - h * w / 100, 6)
        True
    """

    ranks = (4,)
    mixes_labels = True

    def __init__(self, alpha: float = 1.0, p: float = 1.0) -> None:
        super().__init__(p)
        self.alpha = _check_alpha(alpha)

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        params = super().sample_params(batch, generator)
        n, _, h, w = batch.shape
        device = batch.device
        lam = beta(n, self.alpha, generator, device).double()
        params["perm"] = _permutation(n, generator, device)
        gdev = generator.device if generator is not None else torch.device("cpu")
        u = torch.rand(n, 2, generator=generator, device=gdev).double().to(device)
        cut = torch.sqrt(1.0 - lam)
        cut_h, cut_w = torch.floor(h * cut), torch.floor(w * cut)
        cy = torch.floor(u[:, 0] * h).clamp(max=h - 1)
        cx = torch.floor(u[:, 1] * w).clamp(max=w - 1)
        half_h = torch.div(cut_h, 2, rounding_mode="floor")
        half_w = torch.div(cut_w, 2, rounding_mode="floor")
        top, bottom = (cy - half_h).clamp(0, h), (cy + half_h).clamp(0, h)
        left, right = (cx - half_w).clamp(0, w), (cx + half_w).clamp(0, w)
        box = torch.stack([top, left, bottom - top, right - left], dim=1).long()
        box = torch.where(params["apply"].view(-1, 1), box, 0)  # no box: λ = 1
        params["box"] = box  # (N, 4) top, left, height, width
        pasted = box[:, 2] * box[:, 3]
        params["lam"] = (h * w - pasted).to(torch.float32) / (h * w)  # the exact kept fraction
        return params

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        region = box_mask(params["box"], *batch.shape[-2:]) & self.mask(params, batch)
        return torch.where(region, batch[params["perm"]], batch)

    def apply_targets(self, targets: torch.Tensor, params: Params) -> torch.Tensor:
        return mix_targets(targets, params)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}, p={self.p}"
