"""The augmentation contract: draw parameters, then apply them.

``sample_params(batch, generator)`` draws every random choice for a batch,
one per sample, and ``apply(batch, params)`` is a pure function of the batch
and those parameters. Keeping them apart makes a draw replayable and testable
(kornia's and torchvision v2's best idea): the same ``params`` give the same
output, ``p=0`` is the identity, and dtype, device and shape are kept; the
input is never changed in place.

Augmentations that mix examples (mixup, cutmix) also mix the labels:
they set ``mixes_labels`` and implement ``apply_targets`` on one-hot
(or already soft) targets of shape (N, classes).

Example:
    >>> import torch
    >>> from trainlab.augment._base import Augmentation
    >>> class Negate(Augmentation):
    ...     def apply(self, batch, params):
    ...         return torch.where(self.mask(params, batch), -batch, batch)
    >>> x = torch.ones(4, 1, 2, 2)
    >>> aug = Negate(p=0.5)
    >>> params = aug.sample_params(x, torch.Generator().manual_seed(0))
    >>> torch.equal(aug.apply(x, params), aug.apply(x, params))  # replayable
    True
    >>> torch.equal(Negate(p=0.0)(x), x)
    True
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

Params = dict[str, torch.Tensor]


def check_probability(name: str, value: float) -> float:
    """``value`` if it lies in [0, 1]; ``ValueError`` naming ``name`` otherwise."""
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name}: expected a probability in [0, 1], got {value}")
    return value


def check_choice(name: str, value: str, choices: tuple[str, ...]) -> str:
    """``value`` if it is one of ``choices``; ``ValueError`` naming ``name`` and listing them."""
    if value not in choices:
        raise ValueError(
            f"{name}: expected one of {', '.join(repr(c) for c in choices)}, got {value!r}"
        )
    return value


def check_range(name: str, value: Any, *, low: float | None = None, symmetric: bool = False):
    """A (lo, hi) pair from a number (±value if ``symmetric``) or a pair, at least ``low``."""
    if isinstance(value, (int, float)):
        pair = (-float(value), float(value)) if symmetric else (float(value), float(value))
    else:
        try:
            lo, hi = (float(v) for v in value)
        except (TypeError, ValueError):
            raise ValueError(
                f"{name}: expected a number or a [low, high] pair, got {value!r}"
            ) from None
        pair = (lo, hi)
    if pair[0] > pair[1]:
        raise ValueError(f"{name}: low must not exceed high, got {list(pair)}")
    if low is not None and pair[0] < low:
        raise ValueError(f"{name}: expected values ≥ {low}, got {list(pair)}")
    return pair


def uniform(
    n: int, lo: float, hi: float, generator: torch.Generator | None, device: torch.device
) -> torch.Tensor:
    """``n`` draws from U[lo, hi], made on the generator's device, returned on ``device``."""
    gdev = generator.device if generator is not None else torch.device("cpu")
    u = torch.rand(n, generator=generator, device=gdev)
    return (lo + (hi - lo) * u).to(device)


def bernoulli(
    n: int, p: float, generator: torch.Generator | None, device: torch.device
) -> torch.Tensor:
    """``n`` booleans, each True with probability ``p``."""
    gdev = generator.device if generator is not None else torch.device("cpu")
    return (torch.rand(n, generator=generator, device=gdev) < p).to(device)


class Augmentation(nn.Module):
    """Base class of batch augmentations.

    Args:
        p: probability that a sample of the batch is transformed.
    """

    #: the batch ranks an augmentation accepts: 4 for images (N, C, H, W), 3 for signals (N, C, L)
    ranks: tuple[int, ...] = (4,)
    #: whether ``apply_targets`` mixes labels (mixup, cutmix)
    mixes_labels: bool = False

    def __init__(self, p: float = 1.0) -> None:
        super().__init__()
        self.p = check_probability("p", p)

    # -- the contract -------------------------------------------------------------
    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        """Every random choice for ``batch``; at least ``apply``, (N,) bool on its device."""
        self.check_batch(batch)
        return {"apply": bernoulli(batch.shape[0], self.p, generator, batch.device)}

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        """The transformed batch (a new tensor; same dtype, device and shape)."""
        raise NotImplementedError

    def apply_targets(self, targets: torch.Tensor, params: Params) -> torch.Tensor:
        """Mixed soft targets (N, classes); the identity unless ``mixes_labels``."""
        return targets

    def forward(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> torch.Tensor:
        return self.apply(batch, self.sample_params(batch, generator))

    # -- helpers ------------------------------------------------------------------
    def check_batch(self, batch: torch.Tensor) -> None:
        """``ValueError`` unless ``batch`` is a tensor of an accepted rank."""
        if not isinstance(batch, torch.Tensor):
            raise ValueError(
                f"{type(self).__name__}: expected a tensor, got {type(batch).__name__}"
            )
        if batch.ndim not in self.ranks:
            shapes = " or ".join({4: "(N, C, H, W)", 3: "(N, C, L)"}[r] for r in self.ranks)
            raise ValueError(
                f"{type(self).__name__}: expected a batch {shapes}, got shape {tuple(batch.shape)}"
            )

    @staticmethod
    def mask(params: Params, batch: torch.Tensor) -> torch.Tensor:
        """``params["apply"]`` shaped to broadcast over ``batch``."""
        return params["apply"].view(-1, *([1] * (batch.ndim - 1)))

    def extra_repr(self) -> str:
        return f"p={self.p}"
