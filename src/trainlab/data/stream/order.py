"""The order of an epoch's examples: a permutation that depends on the epoch's seed alone.

``torch.randperm(n, generator=torch.Generator().manual_seed(seed))``: a
generator of its own, seeded with the epoch's seed, so that neither the
global random state nor anything drawn before changes the order, and the
order never draws from the global generator (a model's dropout, say).

Example:
    >>> from trainlab.data.stream.order import EpochOrder
    >>> list(EpochOrder(4, shuffle=False)), len(EpochOrder(4))
    ([0, 1, 2, 3], 4)
"""

from __future__ import annotations

from collections.abc import Iterator

import torch
from torch.utils.data import Sampler


class EpochOrder(Sampler[int]):
    """The order in which an epoch reads the examples: shuffled by a seed, or 0..n−1.

    Args:
        n: the number of examples.
        shuffle: draw a permutation per epoch (else always 0..n−1).
        seed: the seed of the first epoch's permutation.

    Example:
        >>> order = EpochOrder(5, shuffle=True, seed=3)
        >>> first = list(order)
        >>> order.set_epoch(4); order.set_epoch(3)
        >>> list(order) == first, sorted(first)
        (True, [0, 1, 2, 3, 4])
    """

    def __init__(self, n: int, *, shuffle: bool = True, seed: int = 0) -> None:
        self.n = int(n)
        self.shuffle = bool(shuffle)
        self._order = torch.arange(self.n)
        self.set_epoch(seed)

    def set_epoch(self, seed: int) -> None:
        """Draw the order of the next epoch from ``seed`` alone (no effect without shuffling)."""
        if self.shuffle:
            generator = torch.Generator().manual_seed(int(seed))
            self._order = torch.randperm(self.n, generator=generator)

    def __iter__(self) -> Iterator[int]:
        return iter(self._order.tolist())

    def __len__(self) -> int:
        return self.n
