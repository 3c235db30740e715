"""Word replacement by bag-of-words neighbours: words that occur in the same documents.

A TF-IDF term-document matrix (Salton & Buckley 1988, "Term-weighting
approaches in automatic text retrieval", Information Processing &
Management 24(5); scikit-learn's ``TfidfVectorizer``, each document's row
L2-normalized) gives each word a vector: its weights over the training
documents. Two words are similar (cosine of those vectors, each
L2-normalized) when they occur in the same documents, with similar weight:
bag-of-words similarity, the "bag of words" of the lecture's replacements
"from a language model or a bag of words". A word's own IDF scales its whole
vector and so cancels in the cosine; the IDF weights act through the
documents' norms (a document of rare words weighs each of its words less).

As augmentation: Xie, Dai, Hovy, Luong & Le 2020, "Unsupervised Data
Augmentation for Consistency Training" (NeurIPS), replace words by TF-IDF
(theirs: words of low TF-IDF by words drawn from the vocabulary; here: any
eligible word by its co-occurrence neighbours, drawn in proportion to the
similarity, :mod:`.neighbours`). The words kept are the ``max_words`` most
frequent of those seen ``min_count`` times or more (lowercase ``WORD`` runs).

Example:
    >>> import numpy as np
    >>> from trainlab.augment.text.tfidf_neighbours import WordTfidfReplace
    >>> corpus = ["salt and pepper", "pepper and salt", "the cat and the dog", "dog and cat"]
    >>> aug = WordTfidfReplace(min_count=1, k=1).fit(corpus)
    >>> [aug.neighbours(w)[0][0] for w in ("salt", "cat")]
    ['pepper', 'dog']
    >>> aug(["Salt, please."], np.random.default_rng(0))
    ['Pepper, please.']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence

from trainlab.augment.text.neighbours import NeighbourReplace, check_integer, tokenize_words
from trainlab.core.errors import DataError


def frequent_words(texts: Sequence[str], min_count: int, max_words: int) -> list[str]:
    """The ``max_words`` most frequent lowercase words seen ``min_count`` times or more
    (ties: alphabetical), the most frequent first.

    Example:
        >>> frequent_words(["b a b", "c a b"], min_count=2, max_words=5)
        ['b', 'a']
    """
    counts = Counter(w for t in texts for w in tokenize_words(t))
    kept = sorted((-n, w) for w, n in counts.items() if n >= min_count)
    return [w for _, w in kept[:max_words]]


class WordTfidfReplace(NeighbourReplace):
    """Replace words by words of the same documents (``word-tfidf``; TF-IDF similarity).

    Args:
        language: ``"en"`` or ``"es"``: whose stop words are left alone.
        rate: fraction of the eligible words replaced (at least one).
        k: the most similar words of a word considered.
        min_similarity: the smallest cosine similarity of a neighbour, in [0, 1].
        min_count: words seen fewer times in the training texts are left out.
        max_words: the most frequent words kept.
        stop_words: words never replaced; None: those of ``language``.
        p: probability that a text is changed.

    Example:
        >>> WordTfidfReplace(min_count=3).fit(["one text"])
        Traceback (most recent call last):
        ...
        trainlab.core.errors.DataError: word-tfidf: no word occurs min_count=3 times or more \
in the 1 training texts
    """

    name = "word-tfidf"

    def __init__(
        self,
        language: str = "en",
        rate: float = 0.1,
        k: int = 10,
        min_similarity: float = 0.0,
        min_count: int = 2,
        max_words: int = 20_000,
        stop_words: Collection[str] | None = None,
        p: float = 1.0,
    ) -> None:
        super().__init__(language, rate, k, min_similarity, stop_words, p)
        self.min_count = check_integer("min_count", min_count, 1)
        self.max_words = check_integer("max_words", max_words, 1)

    def fit(self, texts: Sequence[str]) -> WordTfidfReplace:
        """The TF-IDF word vectors of ``texts`` (each text a document); returns ``self``.

        No texts at all (a check of the arguments before the data): it stays unfitted.

        Raises:
            DataError: no word occurs ``min_count`` times or more in the texts.
        """
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = [str(t) for t in texts]
        if not texts:
            return self
        words = frequent_words(texts, self.min_count, self.max_words)
        if not words:
            raise DataError(
                f"{self.name}: no word occurs min_count={self.min_count} times or more in the "
                f"{len(texts)} training texts"
            )
        vectorizer = TfidfVectorizer(analyzer=tokenize_words, vocabulary=words)
        documents = vectorizer.fit_transform(texts)  # (documents, words), rows L2-normalized
        return self.set_space(list(vectorizer.get_feature_names_out()), documents.T.tocsr())

    def extra_repr(self) -> str:
        return f"min_count={self.min_count}, max_words={self.max_words}, {super().extra_repr()}"
