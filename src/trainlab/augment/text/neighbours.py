"""Word replacement by a word's nearest neighbours in a vector space learnt from a corpus.

The shared base of ``word-embedding`` (:mod:`.embedding_neighbours`, word2vec
vectors) and ``word-tfidf`` (:mod:`.tfidf_neighbours`, a word's TF-IDF weights
over the documents). A fitted :class:`NeighbourReplace` holds one row per
word (lowercase), L2-normalized; a word's neighbours are the ``k`` other
words, stop words excepted, with the highest cosine similarity that is
positive and at least ``min_similarity``, computed the first time the word is met (a batch's new
words in one matrix product) and kept.

:meth:`NeighbourReplace.augment` replaces ``n_changes(eligible, rate)`` of a
text's eligible words (letters only, two or more, not a stop word of
``language``, with at least one neighbour), each by one of its neighbours
drawn with probability proportional to the similarity, in the word's case
(``Cat`` → ``Dog``, ``CAT`` → ``DOG``); the rest of the text, spacing and
punctuation included, is kept. Words are looked up lowercase. Stop words:
for English the built-in list that ``synonym`` leaves alone, for Spanish the
``stop-words`` package's.

Example:
    >>> import numpy as np
    >>> from trainlab.augment.text.neighbours import NeighbourReplace
    >>> class Planted(NeighbourReplace):  # a fixed space: cat ~ dog, car apart
    ...     def fit(self, texts):
    ...         m = np.array([[1, 0], [0.9, 0.1], [0, 1]], "float32")
    ...         return self.set_space(["cat", "dog", "car"], m)
    >>> aug = Planted(rate=1.0).fit([])
    >>> [(w, round(s, 3)) for w, s in aug.neighbours("Cat")]  # car: similarity 0, left out
    [('dog', 0.994)]
    >>> aug(["The CAT sat."], np.random.default_rng(0))
    ['The DOG sat.']
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Iterable, Sequence
from functools import cache
from typing import Any

import numpy as np
import torch

from trainlab.augment.text._base import (
    TextAugmentation,
    TextParams,
    check_language,
    check_rate,
    check_texts,
    n_changes,
)
from trainlab.augment.text.draws import Draws
from trainlab.augment.text.misspellings import match_case
from trainlab.augment.text.synonyms import WORD, english_stop_words
from trainlab.core.errors import ConfigError

#: a word's table row: the neighbours (lowercase, nearest first), their similarities, and
#: the running sums of those (what a draw bisects)
Row = tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...]]

#: the words whose neighbours are computed together (fixed blocks of the space)
ROWS = 256


def check_integer(name: str, value: Any, low: int) -> int:
    """``value`` if it is an integer ``>= low``; ``ValueError`` naming ``name`` otherwise.

    Example:
        >>> check_integer("k", 10, 1)
        10
        >>> check_integer("k", 0, 1)
        Traceback (most recent call last):
        ...
        ValueError: k: expected an integer >= 1, got 0
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name}: expected an integer >= {low}, got {value!r}")
    return int(value)


@cache
def default_stop_words(language: str) -> frozenset[str]:
    """The words never replaced in ``language``: English the built-in list, Spanish the
    ``stop-words`` package's.

    Example:
        >>> "the" in default_stop_words("en"), "pero" in default_stop_words("es")
        (True, True)
    """
    if check_language(language) == "en":
        return english_stop_words()
    try:
        import stop_words
    except ImportError:  # pragma: no cover - stop-words is in the text extra
        raise ConfigError(
            "Spanish stop words need the stop-words package; "
            "install it with pip install 'trainlab[text]'"
        ) from None
    return frozenset(w.strip().lower() for w in stop_words.get_stop_words("spanish") if w.strip())


def tokenize_words(text: str) -> list[str]:
    """The lowercase words of ``text`` (the ``WORD`` runs of letters), as the spaces are fitted.

    Example:
        >>> tokenize_words("Don't panic: 42 towels!")
        ["don't", 'panic', 'towels']
    """
    return WORD.findall(text.lower())


def normalize_rows(matrix: Any) -> Any:
    """``matrix`` (dense or scipy sparse) with each row scaled to unit L2 norm (zero rows stay).

    Example:
        >>> normalize_rows(np.array([[3.0, 4.0], [0.0, 0.0]])).tolist()
        [[0.6, 0.8], [0.0, 0.0]]
    """
    if isinstance(matrix, np.ndarray):
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms > 0, norms, 1).astype(matrix.dtype)
    from sklearn.preprocessing import normalize

    return normalize(matrix.tocsr(), norm="l2", axis=1, copy=True)


class NeighbourReplace(TextAugmentation):
    """Base class: replace words by neighbours drawn in proportion to their similarity.

    Subclasses implement :meth:`fit` (a corpus → :meth:`set_space`).

    Args:
        language: ``"en"`` or ``"es"``: whose stop words are left alone.
        rate: fraction of the eligible words replaced (at least one).
        k: the neighbours of a word considered (the most similar).
        min_similarity: the smallest cosine similarity of a neighbour, in [0, 1]
            (a neighbour's similarity is also always positive).
        stop_words: words never replaced; None: those of ``language``.
        p: probability that a text is changed.
    """

    #: the registry name, for messages
    name = "neighbours"
    #: how to fit it, for the message of an unfitted one
    how_to_fit = "call fit(texts)"

    def __init__(
        self,
        language: str = "en",
        rate: float = 0.1,
        k: int = 10,
        min_similarity: float = 0.0,
        stop_words: Collection[str] | None = None,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        self.language = check_language(language)
        self.rate = check_rate("rate", rate)
        self.k = check_integer("k", k, 1)
        self.min_similarity = check_rate("min_similarity", min_similarity)
        if isinstance(stop_words, str):
            raise ValueError("stop_words: expected a list of words, got a single string")
        self.stop_words = (
            default_stop_words(self.language)
            if stop_words is None
            else frozenset(w.lower() for w in stop_words)
        )
        self._words: list[str] = []
        self._index: dict[str, int] = {}
        self._matrix: Any = None
        self._transposed: Any = None  # the matrix's transpose, ready for products
        self._stop_columns = np.zeros(0, dtype=np.int64)  # the stop words' rows
        self._table: dict[str, Row] = {}

    # -- fitting --------------------------------------------------------------------
    def fit(self, texts: Sequence[str]) -> NeighbourReplace:
        """Learn the word space from ``texts`` (the training texts); returns ``self``.

        No texts at all leaves it unfitted (the arguments checked before the data are read).
        """
        raise NotImplementedError

    @property
    def fitted(self) -> bool:
        """Whether the word space is there (fitted, or given at construction)."""
        return self._matrix is not None

    def set_space(self, words: Sequence[str], matrix: Any) -> NeighbourReplace:
        """Use ``matrix`` (one row per word of ``words``; dense or scipy sparse) as the space.

        Words are lowercased; a word seen again (another case) keeps its first row, and
        an entry that is not a word (a number, punctuation) is left out, so it is never
        put in a text. Rows are L2-normalized here. Returns ``self``.
        """
        if len(words) != matrix.shape[0]:
            raise ValueError(
                f"{self.name}: {len(words)} words for a matrix of {matrix.shape[0]} rows"
            )
        index: dict[str, int] = {}
        for i, word in enumerate(words):
            low = str(word).lower()
            if WORD.fullmatch(low):
                index.setdefault(low, i)
        keep = np.fromiter(index.values(), dtype=np.int64, count=len(index))
        if len(keep) < len(words):
            matrix = matrix[keep]
        if isinstance(matrix, np.ndarray):
            matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        self._words = list(index)
        self._index = {w: i for i, w in enumerate(self._words)}
        self._matrix = normalize_rows(matrix)
        self._transposed = (
            self._matrix.T if isinstance(matrix, np.ndarray) else self._matrix.T.tocsr()
        )
        self._stop_columns = np.array(
            [i for i, w in enumerate(self._words) if w in self.stop_words], dtype=np.int64
        )
        self._table = {}
        return self

    @property
    def vocabulary(self) -> list[str]:
        """The words of the space (lowercase), in row order."""
        return list(self._words)

    # -- the neighbour table ----------------------------------------------------------
    def _check_fitted(self) -> None:
        if not self.fitted:
            raise ValueError(
                f"{self.name}: not fitted; {self.how_to_fit} before augmenting "
                "(a run fits it on the training texts)"
            )

    def _compute(self, rows: np.ndarray) -> None:
        """The table rows of the words at ``rows`` (one fixed block of the space)."""
        n = len(self._words)
        kk = min(self.k, n - 1)
        sims = self._matrix[rows] @ self._transposed
        sims = np.asarray(sims.toarray() if hasattr(sims, "toarray") else sims)
        sims[np.arange(len(rows)), rows] = -np.inf  # never the word itself
        sims[:, self._stop_columns] = -np.inf  # nor a stop word
        if kk <= 0:
            top = np.zeros((len(rows), 0), dtype=np.int64)
            values = np.zeros((len(rows), 0), dtype=sims.dtype)
        else:  # torch's top-k selection: about 10x NumPy's argpartition here
            best = torch.from_numpy(sims).topk(kk, dim=1)
            values, top = best.values.numpy(), best.indices.numpy()
        order = np.lexsort((top, -values), axis=-1)  # nearest first, ties by row
        top = np.take_along_axis(top, order, axis=1)
        values = np.take_along_axis(values, order, axis=1)
        for row, ids, sim in zip(rows.tolist(), top, values, strict=True):
            keep = (sim > 0) & (sim >= self.min_similarity)
            ids, sim = ids[keep].tolist(), sim[keep].astype(np.float64)
            self._table[self._words[row]] = (
                tuple(self._words[i] for i in ids),
                tuple(sim.tolist()),
                tuple(np.cumsum(sim).tolist()),
            )

    def _ensure(self, words: Iterable[str]) -> None:
        """Compute the fixed blocks of the space that hold ``words`` not yet in the table.

        A row's similarities come from one matrix product with its whole block, always
        the same rows, so their last bits never depend on which words a batch asked for
        first (a product's rounding can depend on how many rows it holds).
        """
        n = len(self._words)
        blocks = {
            self._index[w] // ROWS for w in words if w in self._index and w not in self._table
        }
        for b in sorted(blocks):
            self._compute(np.arange(b * ROWS, min((b + 1) * ROWS, n), dtype=np.int64))

    def neighbours(self, word: str) -> list[tuple[str, float]]:
        """``word``'s neighbours (lowercase) and cosine similarities, the nearest first.

        Empty for a word outside the space or with no neighbour above ``min_similarity``.
        """
        self._check_fitted()
        word = word.lower()
        self._ensure([word])
        candidates, sims, _ = self._table.get(word, ((), (), ()))
        return list(zip(candidates, sims, strict=True))

    # -- the augmentation -------------------------------------------------------------
    def apply(self, texts: Sequence[str], params: TextParams) -> list[str]:
        texts = check_texts(texts, type(self).__name__)
        self.check_params(texts, params)
        chosen = [t for t, flag in zip(texts, params["apply"], strict=True) if flag]
        if chosen:  # the batch's new words in one product (the draws do not depend on it)
            self._check_fitted()
            stop = self.stop_words
            self._ensure(w for t in chosen for w in tokenize_words(t) if w not in stop)
        return super().apply(texts, params)

    def augment(self, text: str, rng: Draws) -> str:
        self._check_fitted()
        stop, index, table = self.stop_words, self._index, self._table
        matches = [
            (m, low)
            for m in WORD.finditer(text)
            if len(m.group()) > 1
            for low in (m.group().lower(),)
            if low not in stop and low in index
        ]
        if any(low not in table for _, low in matches):
            self._ensure(low for _, low in matches)
        spans = [(m, table[low]) for m, low in matches if table[low][0]]
        count = n_changes(len(spans), self.rate)
        if count == 0:
            return text
        out, last = [], 0
        for j in sorted(rng.choice(len(spans), size=count, replace=False)):
            m, (candidates, _, cumulative) = spans[j]
            pick = bisect_right(cumulative, rng.random() * cumulative[-1])
            word = candidates[min(pick, len(candidates) - 1)]
            out += [text[last : m.start()], match_case(word, m.group())]
            last = m.end()
        return "".join(out) + text[last:]

    def extra_repr(self) -> str:
        space = f"{len(self._words)} words" if self.fitted else "not fitted"
        return (
            f"language={self.language!r}, rate={self.rate}, k={self.k}, "
            f"min_similarity={self.min_similarity}, {space}, p={self.p}"
        )
