"""Few-shot episodes: N-way K-shot tasks drawn from disjoint class splits.

Meta-learning trains and tests on *episodes* (Vinyals et al., 2016, "Matching
Networks for One Shot Learning"): N classes are drawn from a split, then K
support and Q query examples of each; the classes are relabelled 0..N-1 in the
order drawn. The train, validation and test splits hold disjoint classes, so a
test episode asks about classes never seen in training (Snell et al., 2017,
"Prototypical Networks for Few-shot Learning").

Episode ``i`` is drawn from its own generator, seeded by a SplitMix64 mix of
the sampler's seed and ``i`` (Steele et al., 2014, "Fast splittable
pseudorandom number generators"), so it is the same whatever was drawn before:
episodes are seeded and replayable, one at a time or in any order.

Example:
    >>> import numpy as np
    >>> from trainlab.data.episodes import ClassSplit, EpisodeSampler
    >>> split = ClassSplit(train=(0, 1, 2), test=(3, 4))
    >>> labels = np.repeat(np.arange(5), 10)
    >>> s = EpisodeSampler(labels, split.test, n_way=2, k_shot=1, query=3, seed=0)
    >>> e = s.episode(7)
    >>> e.support.shape, e.query.shape, e.support_labels.tolist()
    ((2,), (6,), [0, 1])
    >>> sorted(e.classes), bool((labels[e.support] == np.array(e.classes)).all())
    ([3, 4], True)
    >>> bool((s.episode(7).query == e.query).all())
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from trainlab.core.errors import DataError

_MASK = (1 << 64) - 1


def splitmix64(x: int) -> int:
    """One SplitMix64 step: a well-mixed 64-bit value from ``x`` (Steele et al., 2014).

    Example:
        >>> hex(splitmix64(0))
        '0xe220a8397b1dcdaf'
    """
    z = (x + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def episode_seed(seed: int, i: int) -> int:
    """The seed of episode ``i`` of a sampler seeded ``seed``: SplitMix64 of both."""
    return splitmix64(splitmix64(seed & _MASK) ^ (i & _MASK))


@dataclass(frozen=True)
class ClassSplit:
    """Disjoint lists of classes for meta-training, validation and testing.

    Attributes:
        train: the classes episodes are trained on.
        val: the classes for model selection (may be empty).
        test: the classes of the final estimate (may be empty).

    Raises:
        DataError: a class is listed twice, or in two splits.

    Example:
        >>> try:
        ...     ClassSplit(train=(0, 1), test=(1, 2))
        ... except ValueError as e:
        ...     print(e)
        class split: class 1 is in both train and test; the splits must be disjoint
    """

    train: tuple[int, ...]
    val: tuple[int, ...] = ()
    test: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        parts = {
            name: tuple(int(c) for c in getattr(self, name)) for name in ("train", "val", "test")
        }
        for name, classes in parts.items():
            object.__setattr__(self, name, classes)
            seen: set[int] = set()
            for c in classes:
                if c in seen:
                    raise DataError(f"class split: class {c} is listed twice in {name}")
                seen.add(c)
        names = list(parts)
        for a_i, a in enumerate(names):
            for b in names[a_i + 1 :]:
                both = sorted(set(parts[a]) & set(parts[b]))
                if both:
                    listed = ", ".join(map(str, both))
                    word = "class" if len(both) == 1 else "classes"
                    verb = "is" if len(both) == 1 else "are"
                    raise DataError(
                        f"class split: {word} {listed} {verb} in both {a} and {b}; "
                        "the splits must be disjoint"
                    )


@dataclass(frozen=True)
class Episode:
    """One N-way K-shot task: indices into the labelled pool, labels relabelled 0..N-1.

    Attributes:
        index: which episode of its sampler this is.
        classes: the original class of each new label (``classes[j]`` is label ``j``).
        support: ``(N*K,)`` indices, class-major (the K examples of label 0 first).
        support_labels: ``(N*K,)`` labels in 0..N-1.
        query: ``(N*Q,)`` indices, class-major, disjoint from the support.
        query_labels: ``(N*Q,)`` labels in 0..N-1.
    """

    index: int
    classes: tuple[int, ...]
    support: np.ndarray
    support_labels: np.ndarray
    query: np.ndarray
    query_labels: np.ndarray


class EpisodeSampler:
    """Draws seeded, replayable N-way K-shot episodes from the classes of one split.

    Args:
        labels: ``(M,)`` integer class of every example of the pool.
        classes: the classes episodes are drawn from (one split of a :class:`ClassSplit`).
        n_way: classes per episode (N).
        k_shot: support examples per class (K).
        query: query examples per class (Q).
        seed: the sampler's seed; episode ``i`` depends only on it and ``i``.

    Raises:
        DataError: N is larger than the number of classes, a class is absent from
            ``labels``, or a class holds fewer than K + Q examples.

    Example:
        >>> import numpy as np
        >>> try:
        ...     EpisodeSampler(np.repeat([0, 1], [9, 3]), (0, 1), n_way=2, k_shot=1, query=5)
        ... except ValueError as e:
        ...     print(e)
        episodes: class 1 has 3 examples, fewer than k_shot + query = 1 + 5 = 6
    """

    def __init__(
        self,
        labels: np.ndarray | Sequence[int],
        classes: Sequence[int],
        *,
        n_way: int,
        k_shot: int,
        query: int,
        seed: int = 0,
    ) -> None:
        labels = np.asarray(labels)
        if labels.ndim != 1 or labels.dtype.kind not in "iu":
            raise DataError(
                f"episodes: expected a 1-D array of integer labels, got {labels.dtype} "
                f"of shape {labels.shape}"
            )
        classes = tuple(int(c) for c in classes)
        for name, value, least in (("n_way", n_way, 1), ("k_shot", k_shot, 1), ("query", query, 0)):
            if int(value) != value or value < least:
                raise DataError(f"episodes: {name} must be an integer >= {least}, got {value}")
        if len(set(classes)) != len(classes):
            raise DataError(f"episodes: a class is listed twice in {list(classes)}")
        if n_way > len(classes):
            raise DataError(
                f"episodes: n_way = {n_way} is larger than the {len(classes)} classes of the "
                f"split ({', '.join(map(str, classes))})"
            )
        order = np.argsort(labels, kind="stable")
        sorted_labels = labels[order]
        self._pools: list[np.ndarray] = []
        need = k_shot + query
        for c in classes:
            lo, hi = np.searchsorted(sorted_labels, [c, c + 1])
            pool = order[lo:hi].astype(np.int64)
            if len(pool) < need:
                raise DataError(
                    f"episodes: class {c} has {len(pool)} examples, fewer than "
                    f"k_shot + query = {k_shot} + {query} = {need}"
                )
            self._pools.append(pool)
        self.classes = classes
        self.n_way, self.k_shot, self.query, self.seed = int(n_way), int(k_shot), int(query), seed

    def episode(self, i: int) -> Episode:
        """Episode ``i``: the same arrays every time, whatever was drawn before."""
        rng = np.random.default_rng(episode_seed(self.seed, int(i)))
        n, k, q = self.n_way, self.k_shot, self.query
        chosen = rng.choice(len(self.classes), size=n, replace=False)
        support, query = [], []
        for j in chosen:
            pool = self._pools[j]
            picked = pool[rng.choice(len(pool), size=k + q, replace=False)]
            support.append(picked[:k])
            query.append(picked[k:])
        return Episode(
            index=int(i),
            classes=tuple(self.classes[j] for j in chosen),
            support=np.concatenate(support),
            support_labels=np.repeat(np.arange(n, dtype=np.int64), k),
            query=np.concatenate(query),
            query_labels=np.repeat(np.arange(n, dtype=np.int64), q),
        )

    def episodes(self, start: int, count: int) -> list[Episode]:
        """Episodes ``start``, ``start + 1``, …, ``start + count - 1``."""
        return [self.episode(i) for i in range(start, start + count)]
