"""The random draws of one text: a SplitMix64 stream from the text's own seed.

A text augmentation draws a handful of numbers per text (which letters or
words, which replacement), and each text must draw from its own seed so that
a draw replays whatever batch the text is in. Creating a NumPy generator per
text costs more than the edit itself (about 7 µs), and each scalar draw from
it about 1 µs; :class:`TextDraws` is SplitMix64 (Steele, Lea & Flood 2014,
"Fast Splittable Pseudorandom Number Generators", OOPSLA), the generator
that seeds Java's ``SplittableRandom`` and NumPy's own seed sequences: a
64-bit state, an add and two multiply-xorshifts per number, in plain Python
integers. It offers the three draws the augmentations use, with NumPy's
signatures: ``random()``, ``integers(low, high)`` and ``choice(n, size,
replace=False)`` (a list, in draw order).

:func:`mix` hashes several integers into one seed (the key of a text in an
epoch: seed, epoch, member, augmentation, index).

Example:
    >>> from trainlab.augment.text.draws import TextDraws, mix
    >>> d = TextDraws(42)
    >>> a = [d.integers(10), d.choice(100, size=3, replace=False), round(d.random(), 6)]
    >>> d = TextDraws(42)
    >>> a == [d.integers(10), d.choice(100, size=3, replace=False), round(d.random(), 6)]
    True
    >>> mix(1, 2) == mix(1, 2) != mix(2, 1)
    True
"""

from __future__ import annotations

from typing import Any

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_UNIT = 2.0**-53


def _finalize(z: int) -> int:
    z = ((z ^ (z >> 30)) * _M1) & MASK
    z = ((z ^ (z >> 27)) * _M2) & MASK
    return z ^ (z >> 31)


def mix(*values: int) -> int:
    """One 64-bit seed from ``values`` (order matters), each folded in by SplitMix64."""
    h = 0
    for v in values:
        h = _finalize(((h ^ (int(v) & MASK)) + GOLDEN) & MASK)
    return h


class TextDraws:
    """A SplitMix64 stream with NumPy's draw signatures (the ones text augmentations use).

    Args:
        seed: any integer (taken modulo 2⁶⁴).
    """

    __slots__ = ("state",)

    def __init__(self, seed: int) -> None:
        self.state = int(seed) & MASK

    def next64(self) -> int:
        """The next 64-bit number."""
        self.state = (self.state + GOLDEN) & MASK
        return _finalize(self.state)

    def random(self) -> float:
        """A float uniform in [0, 1)."""
        return (self.next64() >> 11) * _UNIT

    def integers(self, low: int, high: int | None = None) -> int:
        """An integer uniform in [low, high) (one argument: [0, low))."""
        if high is None:
            low, high = 0, low
        span = int(high) - int(low)
        if span <= 0:
            raise ValueError(f"integers: high must exceed low, got [{low}, {high})")
        return int(low) + (self.next64() * span >> 64)  # Lemire's multiply, no modulo

    def choice(self, n: int, size: int, replace: bool = False) -> list[int]:
        """``size`` distinct integers of [0, n) (a partial Fisher–Yates shuffle), in draw order.

        Only ``replace=False`` is offered: every augmentation picks distinct places.
        """
        if replace:
            raise ValueError("choice: only replace=False is offered")
        if not 0 <= size <= n:
            raise ValueError(f"choice: cannot take {size} of {n} without replacement")
        swapped: dict[int, int] = {}  # the shuffled part of range(n), sparse
        out = []
        for i in range(size):
            j = i + (self.next64() * (n - i) >> 64)
            out.append(swapped.get(j, j))
            swapped[j] = swapped.get(i, i)
        return out


#: what a text edit draws from: a :class:`TextDraws`, or a NumPy ``Generator`` (same calls)
Draws = Any
