"""word2vec word embeddings (CBOW and skip-gram) trained with gensim, evaluated, stored, reused.

:func:`train_word2vec` trains gensim's ``Word2Vec`` on tokenized sentences with
a :class:`Word2VecConfig`; ``architecture="cbow"`` predicts a word from the mean
of its context, ``"skip-gram"`` (gensim's ``sg=1``) each context word from the
word, both with negative sampling. Training runs in one worker thread, so the
same seed and corpus give the same vectors on every run (gensim's several
workers interleave their updates in a timing-dependent order).

:func:`nearest_neighbours` tabulates cosine neighbours, :func:`evaluate_vectors`
scores the vectors on WordSim353, SimLex-999 and the Google analogy questions
(gensim's copies), :func:`write_vectors` / :func:`read_vectors` store them in
the word2vec text format, and :func:`embedding_matrix` lays them out in a
:class:`~trainlab.preprocess.text.vocabulary.Vocabulary`'s id order to
initialize a model's embedding.

References: T. Mikolov, K. Chen, G. Corrado, J. Dean, "Efficient Estimation of
Word Representations in Vector Space", 2013, https://arxiv.org/abs/1301.3781;
T. Mikolov et al., "Distributed Representations of Words and Phrases and their
Compositionality", NeurIPS 2013 (negative sampling).

Example:
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["cat", "dog", "car"], np.array([[1, 0], [0.9, 0.1], [0, 1]], "float32"))
    >>> [w for w, _ in nearest_neighbours(kv, ["cat"], k=1)["cat"]]
    ['dog']
    >>> embedding_matrix(kv, ["<pad>", "<unk>", "dog"], 2)[[0, 2]].tolist()
    [[0.0, 0.0], [0.8999999761581421, 0.10000000149011612]]
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from trainlab.core.atomic import atomic_path
from trainlab.core.errors import ConfigError, DataError

#: the architectures, as gensim's ``sg`` flag
ARCHITECTURES: dict[str, int] = {"cbow": 0, "skip-gram": 1}

#: the word-similarity sets of gensim's test data evaluated by :func:`evaluate_vectors`
SIMILARITY_SETS: dict[str, str] = {"wordsim353": "wordsim353.tsv", "simlex999": "simlex999.txt"}

#: the analogy questions of gensim's test data (Mikolov et al. 2013)
ANALOGY_SET = "questions-words.txt"


def _gensim() -> Any:
    try:
        import gensim
        import gensim.models
        import gensim.test.utils  # the evaluation sets' paths
    except ImportError:  # pragma: no cover - gensim is in the text extra
        raise ConfigError(
            "word2vec needs gensim; install it with pip install 'trainlab[text]'"
        ) from None
    return gensim


@dataclass(frozen=True)
class Word2VecConfig:
    """The settings of a word2vec run (gensim's names).

    Args:
        architecture: ``"cbow"`` or ``"skip-gram"``.
        vector_size: the dimension of the vectors.
        window: the largest distance between a word and a context word.
        min_count: words seen fewer times are dropped before training.
        epochs: passes over the corpus.
        negative: noise words drawn per positive example (negative sampling).
        seed: seeds the initial vectors and the sampling (one worker: reproducible).

    Example:
        >>> Word2VecConfig(architecture="cbow", vector_size=50).window
        5
        >>> Word2VecConfig(window=0)
        Traceback (most recent call last):
        ...
        ValueError: word2vec.window: expected an integer >= 1, got 0
    """

    architecture: Literal["cbow", "skip-gram"] = "skip-gram"
    vector_size: int = 100
    window: int = 5
    min_count: int = 2
    epochs: int = 5
    negative: int = 5
    seed: int = 0

    def __post_init__(self) -> None:
        if self.architecture not in ARCHITECTURES:
            raise ValueError(
                f"word2vec.architecture: expected one of {sorted(ARCHITECTURES)}, "
                f"got {self.architecture!r}"
            )
        minima = {"vector_size": 1, "window": 1, "min_count": 1, "epochs": 1, "negative": 1}
        for name, low in {**minima, "seed": 0}.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValueError(f"word2vec.{name}: expected an integer >= {low}, got {value!r}")


def train_word2vec(sentences: Iterable[list[str]], config: Word2VecConfig) -> Any:
    """Train word2vec on tokenized sentences; returns gensim ``KeyedVectors``.

    A one-shot iterator (a generator) is read into a list first, since gensim
    passes over the corpus once to count words and ``epochs`` times to train;
    give a re-iterable corpus (a list, or a class with ``__iter__``) to stream.
    One worker thread: the same seed and corpus give identical vectors.

    Raises:
        DataError: no word occurs ``config.min_count`` times or more.

    Example (training is shown in the tests; a corpus too small is refused):
        >>> train_word2vec([["only", "once"]], Word2VecConfig(min_count=2))
        Traceback (most recent call last):
        ...
        trainlab.core.errors.DataError: word2vec corpus: no word occurs min_count=2 times or more \
(an empty corpus, or too small a one)
    """
    word2vec = _gensim().models.Word2Vec
    if iter(sentences) is sentences:
        sentences = list(sentences)
    model = word2vec(
        vector_size=config.vector_size,
        window=config.window,
        min_count=config.min_count,
        sg=ARCHITECTURES[config.architecture],
        hs=0,
        negative=config.negative,
        seed=config.seed,
        workers=1,
    )
    model.build_vocab(sentences)
    if len(model.wv) == 0:
        raise DataError(
            f"word2vec corpus: no word occurs min_count={config.min_count} times or more "
            f"(an empty corpus, or too small a one)"
        )
    model.train(sentences, total_examples=model.corpus_count, epochs=config.epochs)
    return model.wv


def nearest_neighbours(
    vectors: Any, words: list[str], k: int = 5
) -> dict[str, list[tuple[str, float]]]:
    """The ``k`` nearest words of each word by cosine similarity, the nearest first.

    Words the vectors do not hold are left out of the result (test ``word in result``),
    so a table can be printed for whichever of a list of probe words a corpus knows.

    Example:
        >>> import numpy as np
        >>> from gensim.models import KeyedVectors
        >>> kv = KeyedVectors(2)
        >>> kv.add_vectors(["a", "b", "c"], np.array([[1, 0], [1, 1], [0, 1]], "float32"))
        >>> {w: [n for n, _ in ns] for w, ns in nearest_neighbours(kv, ["a", "zz"], k=2).items()}
        {'a': ['b', 'c']}
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ConfigError(f"nearest_neighbours.k: expected an integer >= 1, got {k!r}")
    return {
        word: [(other, float(sim)) for other, sim in vectors.most_similar(word, topn=k)]
        for word in words
        if word in vectors.key_to_index
    }


def _similarity(vectors: Any, path: str, restrict_vocab: int) -> tuple[float, float]:
    with warnings.catch_warnings():  # scipy warns on a constant or tiny input: NaN below
        warnings.simplefilter("ignore")
        try:
            _, spearman, oov_percent = vectors.evaluate_word_pairs(
                path, restrict_vocab=restrict_vocab
            )
        except ValueError:  # gensim: every pair out of vocabulary
            return math.nan, 1.0
    rho = float(spearman[0])
    return (rho if math.isfinite(rho) else math.nan), float(oov_percent) / 100.0


def _analogies(vectors: Any, path: str, restrict_vocab: int) -> tuple[float, float]:
    _, sections = vectors.evaluate_word_analogies(path, restrict_vocab=restrict_vocab)
    total = sections[-1]  # gensim's "Total accuracy" section
    answered = len(total["correct"]) + len(total["incorrect"])
    with open(path, encoding="utf-8") as f:
        asked = sum(1 for line in f if line.strip() and not line.startswith(":"))
    accuracy = len(total["correct"]) / answered if answered else math.nan
    return accuracy, 1.0 - answered / asked


def evaluate_vectors(vectors: Any, restrict_vocab: int = 30_000) -> dict[str, float]:
    """Word-similarity correlations and analogy accuracy and each set's share out of vocabulary.

    ``<set>_spearman`` is the Spearman correlation between human similarity
    judgements and cosine similarities on WordSim353 (Finkelstein et al. 2002)
    and SimLex-999 (Hill et al. 2015), ``analogy_accuracy`` the share of Google
    analogy questions ("a is to b as c is to ?", Mikolov et al. 2013) whose
    answer is the nearest word to b - a + c. Each is computed on the pairs or
    questions whose words are all among the ``restrict_vocab`` most frequent
    words; ``<set>_oov`` is the share left out (0 to 1). Words are compared
    case-insensitively. A score is NaN when no pair or question is covered.

    Small corpora give noisy scores: a corpus of a few thousand sentences covers
    only a small share of the sets (see the ``_oov`` values), the covered words
    are seen a few times each, and the scores change by several points from
    one seed or corpus sample to another; compare vectors on the same corpus
    over seeds, not against published numbers from billions of words.

    Example:
        >>> import numpy as np
        >>> from gensim.models import KeyedVectors
        >>> kv = KeyedVectors(2)
        >>> kv.add_vectors(["tiger", "cat", "car"], np.array([[1, 0], [1, 0.2], [0, 1]], "float32"))
        >>> scores = evaluate_vectors(kv)
        >>> sorted(scores), scores["wordsim353_oov"] > 0.99
        (['analogy_accuracy', 'analogy_oov', 'simlex999_oov', 'simlex999_spearman', \
'wordsim353_oov', 'wordsim353_spearman'], True)
    """
    datapath = _gensim().test.utils.datapath
    scores: dict[str, float] = {}
    for name, filename in SIMILARITY_SETS.items():
        rho, oov = _similarity(vectors, datapath(filename), restrict_vocab)
        scores[f"{name}_spearman"], scores[f"{name}_oov"] = rho, oov
    scores["analogy_accuracy"], scores["analogy_oov"] = _analogies(
        vectors, datapath(ANALOGY_SET), restrict_vocab
    )
    return scores


def write_vectors(vectors: Any, path: str | Path) -> Path:
    """Write the vectors in the word2vec text format (``count dim``, then ``word v1 v2 …`` lines).

    The file is written atomically: a reader never sees half of it.

    Example:
        >>> import tempfile, numpy as np
        >>> from gensim.models import KeyedVectors
        >>> kv = KeyedVectors(2)
        >>> kv.add_vectors(["hola"], np.array([[0.5, -1]], "float32"))
        >>> path = write_vectors(kv, Path(tempfile.mkdtemp()) / "v.txt")
        >>> path.read_text(encoding="utf-8").splitlines()[0], read_vectors(path)["hola"].tolist()
        ('1 2', [0.5, -1.0])
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        vectors.save_word2vec_format(str(tmp), binary=False)
    return path


def read_vectors(path: str | Path) -> Any:
    """Read vectors in the word2vec text format (as :func:`write_vectors` writes); ``KeyedVectors``.

    Raises:
        DataError: the file is missing or is not word2vec text (one line naming it).

    Example:
        >>> import tempfile
        >>> bad = Path(tempfile.mkdtemp()) / "bad.txt"
        >>> _ = bad.write_text("not vectors\\n", encoding="utf-8")
        >>> read_vectors(bad)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        trainlab.core.errors.DataError: ...bad.txt: not a word2vec text file (...)
    """
    keyed_vectors = _gensim().models.KeyedVectors
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such word-vector file")
    try:
        return keyed_vectors.load_word2vec_format(str(path), binary=False)
    except (ValueError, UnicodeDecodeError, IndexError, EOFError) as e:
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise DataError(f"{path}: not a word2vec text file ({reason})") from None


def embedding_matrix(
    vectors: Any, vocabulary_tokens: list[str], dim: int | None = None, seed: int = 0
) -> np.ndarray:
    """A ``(len(vocabulary_tokens), dim)`` float32 matrix to initialize an embedding.

    Row ``i`` is the vector of ``vocabulary_tokens[i]`` (a
    :class:`~trainlab.preprocess.text.vocabulary.Vocabulary`'s ``tokens``, in id
    order), looked up exactly as written (tokenize the word2vec corpus as the
    model's text). Row 0, the padding id, is zeros. A token the vectors lack
    (``<unk>`` among them) gets a normal random row with the standard deviation
    of the known vectors' entries, drawn from ``numpy.random.default_rng(seed)``
    in row order, so the same inputs give the same matrix.

    Example:
        >>> import numpy as np
        >>> from gensim.models import KeyedVectors
        >>> kv = KeyedVectors(3)
        >>> kv.add_vectors(["sol"], np.ones((1, 3), "float32"))
        >>> m = embedding_matrix(kv, ["<pad>", "<unk>", "sol", "luna"])
        >>> m.shape, m.dtype, m[2].tolist(), bool(np.all(m[0] == 0))
        ((4, 3), dtype('float32'), [1.0, 1.0, 1.0], True)
    """
    dim = vectors.vector_size if dim is None else dim
    if dim != vectors.vector_size:
        raise ConfigError(
            f"embedding_matrix.dim: the vectors have {vectors.vector_size} dimensions, got {dim}"
        )
    known = np.asarray(vectors.vectors, dtype=np.float64)
    scale = float(known.std()) if known.size else 0.0
    scale = scale if scale > 0 else 1.0 / math.sqrt(dim)
    rng = np.random.default_rng(seed)
    matrix = np.zeros((len(vocabulary_tokens), dim), dtype=np.float32)
    for i, token in enumerate(vocabulary_tokens):
        if i == 0:
            continue
        if token in vectors.key_to_index:
            matrix[i] = vectors[token]
        else:
            matrix[i] = rng.normal(0.0, scale, dim)
    return matrix
