"""Word edits: swap adjacent words, delete words, insert words.

Three of the four operations of Wei & Zou 2019, "EDA: Easy Data
Augmentation Techniques for Boosting Performance on Text Classification
Tasks" (EMNLP), https://arxiv.org/abs/1901.11196. Words are the text's
whitespace-separated pieces (punctuation stays attached to its word) and the
result is joined with single spaces. ``rate`` is the fraction of the words
changed (rounded, at least one); a deletion always leaves one word. EDA's
random insertion draws a synonym of a word of the sentence; here the
inserted word is a word of the sentence itself, or of ``vocabulary`` when
one is given (``synonym`` covers synonyms).

Example:
    >>> import numpy as np
    >>> from trainlab.augment.text.words import WordSwap
    >>> out = WordSwap(rate=0.5)(["one two three four"], np.random.default_rng(0))[0]
    >>> sorted(out.split()) == sorted("one two three four".split()), out
    (True, 'two one four three')
"""

from __future__ import annotations

from collections.abc import Sequence

from trainlab.augment.text._base import TextAugmentation, check_rate, n_changes
from trainlab.augment.text.draws import Draws


def swap_words(text: str, rate: float, rng: Draws) -> str:
    """``text`` with ``n_changes(words, rate)`` swaps of a word and the next one.

    The swapped pairs are distinct places (so no swap undoes another), taken in
    random order.

    Example:
        >>> import numpy as np
        >>> swap_words("a b", 1.0, np.random.default_rng(0))
        'b a'
    """
    words = text.split()
    if len(words) < 2:
        return text
    k = min(n_changes(len(words), rate), len(words) - 1)
    for i in rng.choice(len(words) - 1, size=k, replace=False):
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def delete_words(text: str, rate: float, rng: Draws) -> str:
    """``text`` without ``n_changes(words, rate)`` random words (one word always stays).

    Example:
        >>> import numpy as np
        >>> delete_words("a b c d", 1.0, np.random.default_rng(0))
        'a'
    """
    words = text.split()
    k = min(n_changes(len(words), rate), len(words) - 1)
    if k <= 0:
        return text
    dropped = set(rng.choice(len(words), size=k, replace=False))
    return " ".join(w for i, w in enumerate(words) if i not in dropped)


def insert_words(text: str, rate: float, rng: Draws, vocabulary: Sequence[str] = ()) -> str:
    """``text`` with ``n_changes(words, rate)`` words inserted at random places.

    Each inserted word is drawn from ``vocabulary`` or, when it is empty, from
    the text's own words.

    Example:
        >>> import numpy as np
        >>> insert_words("a b", 1.0, np.random.default_rng(0), vocabulary=["x"])
        'a b x x'
    """
    words = text.split()
    pool = list(vocabulary) or list(words)
    if not words or not pool:
        return text
    for _ in range(n_changes(len(words), rate)):
        word = pool[int(rng.integers(len(pool)))]
        words.insert(int(rng.integers(len(words) + 1)), word)
    return " ".join(words)


class WordEdit(TextAugmentation):
    """Base class of the word edits.

    Args:
        rate: fraction of the words changed (at least one).
        p: probability that a text is changed.
    """

    def __init__(self, rate: float = 0.1, p: float = 1.0) -> None:
        super().__init__(p)
        self.rate = check_rate("rate", rate)

    def extra_repr(self) -> str:
        return f"rate={self.rate}, p={self.p}"


class WordSwap(WordEdit):
    """Swap random adjacent words (``word-swap``; EDA's random swap).

    Example:
        >>> import numpy as np
        >>> WordSwap(rate=0.5)(["a b"], np.random.default_rng(0))
        ['b a']
    """

    def augment(self, text: str, rng: Draws) -> str:
        return swap_words(text, self.rate, rng)


class WordDelete(WordEdit):
    """Delete random words (``word-delete``; EDA's random deletion).

    Example:
        >>> import numpy as np
        >>> len(WordDelete(rate=0.5)(["a b c d"], np.random.default_rng(0))[0].split())
        2
    """

    def augment(self, text: str, rng: Draws) -> str:
        return delete_words(text, self.rate, rng)


class WordInsert(WordEdit):
    """Insert random words of the text or of a vocabulary (``word-insert``; EDA's insertion).

    Args:
        rate: fraction of the words: how many words are inserted (at least one).
        vocabulary: the words to insert; empty: the text's own words.
        p: probability that a text is changed.

    Example:
        >>> import numpy as np
        >>> WordInsert(rate=0.5, vocabulary=["very"])(["a big cat"], np.random.default_rng(0))
        ['a big very cat very']
    """

    def __init__(self, rate: float = 0.1, vocabulary: Sequence[str] = (), p: float = 1.0) -> None:
        super().__init__(rate, p)
        if isinstance(vocabulary, str):
            raise ValueError("vocabulary: expected a list of words, got a single string")
        self.vocabulary = tuple(str(w) for w in vocabulary if str(w).strip())

    def augment(self, text: str, rng: Draws) -> str:
        return insert_words(text, self.rate, rng, self.vocabulary)

    def extra_repr(self) -> str:
        return f"rate={self.rate}, vocabulary={len(self.vocabulary)} words, p={self.p}"
