"""The text augmentation contract: draw parameters, then apply them, on lists of strings.

Text augmentations work on Python strings, before tokenization, so they are
plain classes rather than ``nn.Module``\\ s; the contract mirrors
``trainlab.augment._base``. ``sample_params(texts, generator)`` draws, per
sample, whether it is changed (``"apply"``, (N,) bool) and a seed
(``"seed"``, (N,) uint64); ``apply(texts, params)`` is a pure function of
the texts and those parameters, where sample ``i`` draws only from
``TextDraws(seed[i])`` (:mod:`.draws`, a SplitMix64 stream with NumPy's
draw signatures). So a draw replays, a sample's output
does not depend on the other samples, ``p=0`` is the identity, and the
input list is never changed.

Subclasses implement :meth:`TextAugmentation.augment` (one text, its own
generator); those that work on a whole batch at once (back-translation)
override :meth:`TextAugmentation.apply`.

Example:
    >>> import numpy as np
    >>> from trainlab.augment.text._base import TextAugmentation
    >>> class Shout(TextAugmentation):
    ...     def augment(self, text, rng):
    ...         return text.upper()
    >>> texts = ["a cat", "a dog"]
    >>> aug = Shout(p=0.5)
    >>> params = aug.sample_params(texts, np.random.default_rng(0))
    >>> aug.apply(texts, params) == aug.apply(texts, params)  # replayable
    True
    >>> Shout(p=0.0)(texts), Shout()(texts)
    (['a cat', 'a dog'], ['A CAT', 'A DOG'])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from trainlab.augment._base import check_choice, check_probability
from trainlab.augment.text.draws import TextDraws

#: (N,) "apply" bool and (N,) "seed" uint64, and whatever a subclass adds
TextParams = dict[str, np.ndarray]

#: the languages the text augmentations know (ISO 639-1)
LANGUAGES = ("en", "es")


def check_rate(name: str, value: float) -> float:
    """``value`` if it lies in [0, 1]; ``ValueError`` naming ``name`` otherwise.

    Example:
        >>> check_rate("rate", 0.1)
        0.1
    """
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name}: expected a fraction in [0, 1], got {value}")
    return value


def check_language(value: str, choices: tuple[str, ...] = LANGUAGES) -> str:
    """``value`` if it is one of ``choices``; ``ValueError`` listing them otherwise.

    Example:
        >>> check_language("es")
        'es'
    """
    return check_choice("language", value, choices)


def n_changes(n: int, rate: float) -> int:
    """How many of ``n`` eligible items a ``rate`` changes: round(rate·n), at least one.

    0 when there is nothing eligible or ``rate`` is 0; never more than ``n``.

    Example:
        >>> n_changes(100, 0.05), n_changes(7, 0.05), n_changes(0, 0.5), n_changes(9, 0.0)
        (5, 1, 0, 0)
    """
    if n <= 0 or rate <= 0.0:
        return 0
    return min(n, max(1, math.floor(rate * n + 0.5)))


def check_texts(texts: Any, owner: str) -> list[str]:
    """``texts`` as a list of str; ``ValueError`` for a bare string or a non-str item.

    Example:
        >>> check_texts(("a", "b"), "Shout")
        ['a', 'b']
    """
    if isinstance(texts, (str, bytes)) or not isinstance(texts, Sequence):
        raise ValueError(f"{owner}: expected a list of str, got {type(texts).__name__}")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise ValueError(f"{owner}: text {i} is {type(text).__name__}, expected str")
    return list(texts)


class TextAugmentation:
    """Base class of augmentations on lists of strings.

    Args:
        p: probability that a text of the batch is changed.
    """

    def __init__(self, p: float = 1.0) -> None:
        self.p = check_probability("p", p)

    # -- the contract -------------------------------------------------------------
    def sample_params(self, texts: Sequence[str], generator: np.random.Generator) -> TextParams:
        """Every random choice for ``texts``: ``apply`` (N,) bool and ``seed`` (N,) uint64."""
        n = len(check_texts(texts, type(self).__name__))
        apply = generator.random(n) < self.p
        seed = generator.integers(0, 2**64, size=n, dtype=np.uint64)
        return {"apply": apply, "seed": seed}

    def apply(self, texts: Sequence[str], params: TextParams) -> list[str]:
        """The augmented texts (a new list): text ``i`` uses only ``TextDraws(seed[i])``."""
        texts = check_texts(texts, type(self).__name__)
        self.check_params(texts, params)
        return [
            self.augment(text, TextDraws(int(seed))) if flag else text
            for text, flag, seed in zip(texts, params["apply"], params["seed"], strict=True)
        ]

    def augment(self, text: str, rng: TextDraws) -> str:
        """One text, changed with draws from ``rng`` only (``random``, ``integers``, ``choice``)."""
        raise NotImplementedError

    def __call__(
        self, texts: Sequence[str], generator: np.random.Generator | None = None
    ) -> list[str]:
        generator = np.random.default_rng() if generator is None else generator
        return self.apply(texts, self.sample_params(texts, generator))

    # -- helpers ------------------------------------------------------------------
    def check_params(self, texts: list[str], params: TextParams) -> None:
        """``ValueError`` unless ``params`` holds ``apply`` and ``seed`` for every text."""
        for key in ("apply", "seed"):
            if key not in params or len(params[key]) != len(texts):
                raise ValueError(
                    f"{type(self).__name__}: params[{key!r}] must hold one value per text "
                    f"({len(texts)})"
                )

    def extra_repr(self) -> str:
        """The constructor's arguments, for ``repr``."""
        return f"p={self.p}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"
