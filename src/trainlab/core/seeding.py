"""Seeds: every random draw in trainlab comes from a generator seeded from these.

Example:
    >>> from trainlab.core.seeding import epoch_seed
    >>> epoch_seed(0, 1), epoch_seed(0, 1, member=1)
    (1, 10008)
"""

from __future__ import annotations


def epoch_seed(seed: int, epoch: int, member: int = 0) -> int:
    """A distinct, reproducible seed for one epoch of one ensemble member."""
    return (seed * 1_000_003 + member * 10_007 + epoch) % (2**63 - 1)
