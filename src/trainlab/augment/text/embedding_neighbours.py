"""Word replacement by word2vec neighbours: a word becomes a word of similar use.

Word2vec (Mikolov, Chen, Corrado & Dean 2013, "Efficient Estimation of Word
Representations in Vector Space", https://arxiv.org/abs/1301.3781) places
words that occur in similar contexts close together; replacing a word by one
of its nearest neighbours keeps much of a sentence's sense. As augmentation:
Wang & Yang 2015, "That's So Annoying!!!: A Lexical and Frame-Semantic
Embedding Based Data Augmentation Approach to Automatic Categorization of
Annoying Behaviors using #petpeeve Tweets" (EMNLP), and nlpaug's
``WordEmbsAug``. Neighbours can be words of opposite sense (``good`` and
``bad`` share contexts): the label is assumed to survive a few of them.

The vectors are a word2vec file (text or binary, as ``trainlab word2vec``
writes, or that command's folder) given as ``vectors``, read at construction
(:meth:`~WordEmbeddingReplace.fit` then keeps them); or, without one,
:meth:`~WordEmbeddingReplace.fit` trains gensim's word2vec on the training
texts (lowercase ``WORD`` runs, one worker thread and ``seed``: the same
texts give the same vectors). Neighbours are those of gensim's
``KeyedVectors.most_similar`` (cosine), drawn in proportion to the
similarity (:mod:`.neighbours`).

Example:
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> from trainlab.augment.text.embedding_neighbours import WordEmbeddingReplace
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["cat", "dog", "car"], np.array([[1, 0], [0.9, 0.2], [0, 1]], "float32"))
    >>> aug = WordEmbeddingReplace(vectors=kv, rate=1.0)
    >>> aug(["My Cat sleeps."], np.random.default_rng(0))
    ['My Dog sleeps.']
    >>> WordEmbeddingReplace(vectors="no/such/vectors.txt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    trainlab.core.errors.ConfigError: vectors: no such file or folder ...
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from trainlab.augment.text.neighbours import NeighbourReplace, check_integer, tokenize_words
from trainlab.core.errors import ConfigError, DataError

#: the architectures, as gensim's ``sg`` flag
ARCHITECTURES: dict[str, int] = {"cbow": 0, "skip-gram": 1}

#: the file a ``trainlab word2vec`` folder holds its vectors in
VECTORS_FILE = "vectors.txt"


def _gensim_models() -> Any:
    try:
        import gensim.models
    except ImportError:  # pragma: no cover - gensim is in the text extra
        raise ConfigError(
            "word-embedding needs gensim; install it with pip install 'trainlab[text]'"
        ) from None
    return gensim.models


def load_word_vectors(path: str | Path) -> Any:
    """gensim ``KeyedVectors`` from a word2vec text or binary file, or a ``trainlab word2vec``
    folder (its ``vectors.txt``).

    Raises:
        ConfigError: naming the path, when it is missing or holds no word vectors.

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> _ = (d / VECTORS_FILE).write_text("1 2\\nsol 0.5 1.0\\n", encoding="utf-8")
        >>> load_word_vectors(d)["sol"].tolist()
        [0.5, 1.0]
    """
    keyed_vectors = _gensim_models().KeyedVectors
    where = Path(path)
    file = where / VECTORS_FILE if where.is_dir() else where
    if not file.is_file():
        raise ConfigError(
            f"vectors: no such file or folder {str(path)!r}; expected a word2vec "
            f"text or binary file, or a folder of trainlab word2vec (with {VECTORS_FILE})"
        )
    reasons = []
    for binary in (False, True):
        try:
            vectors = keyed_vectors.load_word2vec_format(str(file), binary=binary)
        except (ValueError, UnicodeDecodeError, IndexError, EOFError, OSError) as e:
            reasons.append(str(e).splitlines()[0] if str(e) else type(e).__name__)
            continue
        if len(vectors) > 0:
            return vectors
        reasons.append("no words")
    raise ConfigError(
        f"vectors: {str(file)!r} is not a word2vec text or binary file ({reasons[0]})"
    )


class WordEmbeddingReplace(NeighbourReplace):
    """Replace words by word2vec neighbours (``word-embedding``; Wang & Yang 2015).

    Args:
        language: ``"en"`` or ``"es"``: whose stop words are left alone.
        rate: fraction of the eligible words replaced (at least one).
        k: the nearest neighbours of a word considered.
        min_similarity: the smallest cosine similarity of a neighbour, in [0, 1].
        vectors: a word2vec file (text or binary) or ``trainlab word2vec`` folder, or
            gensim ``KeyedVectors``; None: :meth:`fit` trains vectors on the texts.
        architecture: ``"skip-gram"`` or ``"cbow"`` (training only, as the rest below).
        vector_size: the dimension of the trained vectors.
        window: the largest distance between a word and a context word.
        epochs: passes over the texts.
        min_count: words seen fewer times get no vector (and are never replaced).
        seed: seeds the training (one worker thread: reproducible).
        stop_words: words never replaced; None: those of ``language``.
        p: probability that a text is changed.

    Example:
        >>> WordEmbeddingReplace()(["a text"])
        Traceback (most recent call last):
        ...
        ValueError: word-embedding: not fitted; call fit(texts) or give vectors before \
augmenting (a run fits it on the training texts)
    """

    name = "word-embedding"
    how_to_fit = "call fit(texts) or give vectors"

    def __init__(
        self,
        language: str = "en",
        rate: float = 0.1,
        k: int = 10,
        min_similarity: float = 0.0,
        vectors: str | Path | Any | None = None,
        architecture: str = "skip-gram",
        vector_size: int = 100,
        window: int = 5,
        epochs: int = 5,
        min_count: int = 2,
        seed: int = 0,
        stop_words: Collection[str] | None = None,
        p: float = 1.0,
    ) -> None:
        super().__init__(language, rate, k, min_similarity, stop_words, p)
        if architecture not in ARCHITECTURES:
            raise ValueError(
                f"architecture: expected one of {sorted(ARCHITECTURES)}, got {architecture!r}"
            )
        self.architecture = architecture
        self.vector_size = check_integer("vector_size", vector_size, 1)
        self.window = check_integer("window", window, 1)
        self.epochs = check_integer("epochs", epochs, 1)
        self.min_count = check_integer("min_count", min_count, 1)
        self.seed = check_integer("seed", seed, 0)
        self.vectors: str | None = None  # where the vectors came from, for repr
        if vectors is None:
            return
        if isinstance(vectors, (str, Path)):
            self.vectors = str(vectors)
            vectors = load_word_vectors(vectors)
        elif not hasattr(vectors, "index_to_key") or not hasattr(vectors, "vectors"):
            raise ValueError(
                "vectors: expected a word2vec file or folder, or gensim KeyedVectors, "
                f"got {type(vectors).__name__}"
            )
        else:
            self.vectors = f"<{type(vectors).__name__}>"
        self.set_space(list(vectors.index_to_key), np.asarray(vectors.vectors))

    def fit(self, texts: Sequence[str]) -> WordEmbeddingReplace:
        """Train word2vec on ``texts`` (the training texts); returns ``self``.

        Given ``vectors``, it keeps them: they are the space, and ``texts`` are not read.
        No texts at all (a check of the arguments before the data): it stays unfitted.

        Raises:
            DataError: no word occurs ``min_count`` times or more in the texts.
        """
        if self.vectors is not None or len(texts) == 0:
            return self
        sentences = [words for t in texts if (words := tokenize_words(str(t)))]
        model = _gensim_models().Word2Vec(
            vector_size=self.vector_size,
            window=self.window,
            min_count=self.min_count,
            sg=ARCHITECTURES[self.architecture],
            hs=0,
            negative=5,
            seed=self.seed,
            workers=1,
        )
        model.build_vocab(sentences)
        if len(model.wv) == 0:
            raise DataError(
                f"{self.name}: no word occurs min_count={self.min_count} times or more in the "
                f"{len(texts)} training texts; lower min_count or give vectors"
            )
        model.train(sentences, total_examples=model.corpus_count, epochs=self.epochs)
        return self.set_space(list(model.wv.index_to_key), model.wv.vectors)

    def extra_repr(self) -> str:
        source = f"vectors={self.vectors!r}" if self.vectors else f"{self.architecture!r}"
        return f"{source}, {super().extra_repr()}"
