"""The fitted text preprocessing: texts → bags of words, TF-IDF or padded id sequences.

Each text is analyzed the same way in training and afterwards
(:meth:`TextPipeline.tokens`): tokenized (:func:`.tokenize.tokenize`, with its
lowercasing and character stripping), stop words removed (the list passed
through the same tokenizer options, so it matches accent-stripped text),
stemmed (:class:`.stemming.Stemmer`), then word n-grams formed. The
vocabulary (:class:`.vocabulary.Vocabulary`) and, for TF-IDF, the inverse
document frequencies are fitted on the training split only. Representations:

- ``counts``: (N, V) float32 token counts, column j = vocabulary id j + 2
  (the reserved ``<pad>`` / ``<unk>`` ids have no column; unknown tokens are
  not counted), as scikit-learn's ``CountVectorizer``;
- ``binary``: the same as 0/1 (``CountVectorizer(binary=True)``);
- ``tfidf``: counts × idf, idf = ln((1 + n) / (1 + df)) + 1, each row scaled
  to unit L2 norm, as ``TfidfVectorizer`` with its defaults (``smooth_idf``,
  no sublinear tf, ``norm="l2"``) — Salton & Buckley 1988, "Term-weighting
  approaches in automatic text retrieval";
- ``sequence``: (N, max_length) int64 vocabulary ids, the first
  ``max_length`` tokens (n-grams after the words when ``ngrams`` asks for them,
  as fastText's bag of n-grams), zero-padded at the end; unknown tokens are 1.

The state is JSON: the options, the stop-word list as applied, the vocabulary
and the idf weights.

Example:
    >>> pipe = TextPipeline(representation="counts").fit(["The cat sat.", "The cat, the hat!"])
    >>> pipe.feature_names
    ['the', 'cat', 'hat', 'sat']
    >>> pipe.transform(["the hat, the hat"]).tolist()
    [[2.0, 0.0, 2.0, 0.0]]
    >>> seq = TextPipeline(representation="sequence", max_length=4).fit(["a b b", "b c"])
    >>> seq.transform(["b a zebra"]).tolist()
    [[2, 3, 1, 0]]
    >>> TextPipeline.from_state_dict(seq.state_dict()).transform(["c"]).tolist()
    [[4, 0, 0, 0]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy import sparse

from trainlab.core.errors import ConfigError, DataError
from trainlab.core.registry import Registry
from trainlab.preprocess.text.stemming import Stemmer
from trainlab.preprocess.text.stopwords import stop_words as stop_word_list
from trainlab.preprocess.text.tokenize import check_ngram_range, ngrams, tokenize
from trainlab.preprocess.text.vocabulary import SPECIALS, Vocabulary

#: the representations (``representation=``)
REPRESENTATIONS: tuple[str, ...] = ("tfidf", "counts", "binary", "sequence")
#: the representations that are bags of words, (N, V) float32
BAGS: tuple[str, ...] = ("tfidf", "counts", "binary")


class TextPipeline:
    """Tokenization, stop words, stemming, n-grams and a vocabulary, fitted on training texts.

    Args:
        language: the language of the stop-word list and the stemmer (``en``,
            ``es``, or a name such as ``spanish``).
        lowercase: lowercase the text.
        strip_punctuation: drop punctuation (otherwise each run is a token).
        strip_digits: remove digits.
        strip_accents: drop accents and other combining marks (``ñ`` → ``n``).
        stop_words: remove the language's stop words.
        stem: stem the words (Snowball).
        ngrams: ``(n_min, n_max)`` word n-grams.
        min_count: keep tokens seen at least this many times in training.
        max_size: keep at most this many tokens (the most frequent); None: all.
        representation: ``tfidf``, ``counts``, ``binary`` or ``sequence``.
        max_length: the length of the id sequences (``sequence`` only).

    Example:
        >>> pipe = TextPipeline("es", stop_words=True, stem=True, strip_accents=True)
        >>> pipe.tokens("Las canciones de la montaña")
        ['cancion', 'montan']
    """

    def __init__(
        self,
        language: str = "en",
        lowercase: bool = True,
        strip_punctuation: bool = True,
        strip_digits: bool = False,
        strip_accents: bool = False,
        stop_words: bool = False,
        stem: bool = False,
        ngrams: tuple[int, int] = (1, 1),
        min_count: int = 1,
        max_size: int | None = None,
        representation: str = "tfidf",
        max_length: int = 200,
    ) -> None:
        self.language = language
        self.lowercase = lowercase
        self.strip_punctuation = strip_punctuation
        self.strip_digits = strip_digits
        self.strip_accents = strip_accents
        self.stop_words = stop_words
        self.stem = stem
        self.ngrams = tuple(ngrams)
        self.min_count = min_count
        self.max_size = max_size
        self.representation = representation
        self.max_length = max_length
        self._validate()
        self.stemmer = Stemmer(language) if stem else None
        self.stop_word_set = self._stop_words(stop_word_list(language)) if stop_words else None
        self._vocabulary: Vocabulary | None = None
        #: the inverse document frequency of each column (``tfidf`` only)
        self.idf: np.ndarray | None = None

    def _validate(self) -> None:
        if not isinstance(self.language, str):
            raise ConfigError(f"language: expected a language code or name, got {self.language!r}")
        for name in ("lowercase", "strip_punctuation", "strip_digits", "strip_accents"):
            _check_bool(name, getattr(self, name))
        _check_bool("stop_words", self.stop_words)
        _check_bool("stem", self.stem)
        if len(self.ngrams) != 2:
            raise ConfigError(f"ngrams: expected (n_min, n_max), got {self.ngrams!r}")
        check_ngram_range(*self.ngrams)
        if self.representation not in REPRESENTATIONS:
            raise ConfigError(
                f"representation: expected one of {', '.join(REPRESENTATIONS)}, "
                f"got {self.representation!r}"
            )
        length = self.max_length
        if isinstance(length, bool) or not isinstance(length, int) or length < 1:
            raise ConfigError(f"max_length: expected an integer >= 1, got {length!r}")
        Vocabulary.fit([], self.min_count, self.max_size)  # checks min_count and max_size

    def _stop_words(self, words: Sequence[str]) -> frozenset[str]:
        """The stop words as the tokenizer sees them (those that stay one token)."""
        kept = set()
        for word in words:
            pieces = self._tokenize(word.lower())
            if len(pieces) == 1:
                kept.add(pieces[0].lower())
        return frozenset(kept)

    def _tokenize(self, text: str) -> list[str]:
        return tokenize(
            text,
            lowercase=self.lowercase,
            strip_punctuation=self.strip_punctuation,
            strip_digits=self.strip_digits,
            strip_accents=self.strip_accents,
        )

    def words(self, text: str) -> list[str]:
        """The words of one text as the model sees them (stop words out, stems), in order,
        before n-grams: what a word2vec corpus is made of.

        Example:
            >>> TextPipeline(ngrams=(1, 2)).words("Hello, big world")
            ['hello', 'big', 'world']
        """
        words = self._tokenize(text)
        if self.stop_word_set is not None:
            stops = self.stop_word_set
            words = [w for w in words if (w if self.lowercase else w.lower()) not in stops]
        if self.stemmer is not None:
            words = self.stemmer.stem_words(words)
        return words

    def tokens(self, text: str) -> list[str]:
        """The analyzed tokens of one text: words, stop words out, stems, n-grams.

        Usable as scikit-learn's ``analyzer=`` (it is the oracle of the tests).

        Example:
            >>> TextPipeline(ngrams=(1, 2)).tokens("Hello, big world")
            ['hello', 'big', 'world', 'hello big', 'big world']
        """
        return ngrams(self.words(text), *self.ngrams)

    @property
    def fitted(self) -> bool:
        return self._vocabulary is not None

    @property
    def vocabulary(self) -> Vocabulary:
        """The fitted vocabulary (a :class:`DataError` before :meth:`fit`)."""
        if self._vocabulary is None:
            raise DataError("text pipeline: not fitted; call fit(train_texts) first")
        return self._vocabulary

    @property
    def feature_names(self) -> list[str]:
        """The bag-of-words columns: the vocabulary's learned tokens in id order."""
        return self.vocabulary.learned

    def fit(self, texts: Sequence[str]) -> TextPipeline:
        """Learn the vocabulary (and the idf weights) from the training ``texts``."""
        docs = [self.tokens(t) for t in _as_texts(texts, "fit")]
        if not docs:
            raise DataError("text pipeline fit: got no training texts (N = 0)")
        vocab = Vocabulary.fit(docs, self.min_count, self.max_size)
        if len(vocab.learned) == 0:
            raise DataError(
                f"text pipeline fit: the {len(docs)} training texts left no token seen "
                f"{self.min_count}+ times; lower min_count or keep the stop words"
            )
        self._vocabulary = vocab
        if self.representation == "tfidf":
            df = np.bincount(_counts(vocab, docs).indices, minlength=len(vocab.learned))
            self.idf = np.log((1.0 + len(docs)) / (1.0 + df)) + 1.0
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """(N, V) float32 bags of words, or (N, max_length) int64 ids (``sequence``)."""
        vocab = self.vocabulary
        docs = [self.tokens(t) for t in _as_texts(texts, "transform")]
        return _REPRESENT.get(self.representation)(self, vocab, docs)

    def fit_transform(self, texts: Sequence[str]) -> np.ndarray:
        """:meth:`fit`, then :meth:`transform` of the same texts."""
        return self.fit(texts).transform(texts)

    def config(self) -> dict[str, Any]:
        """The constructor's arguments (JSON)."""
        names = ("language", "lowercase", "strip_punctuation", "strip_digits", "strip_accents")
        names += ("stop_words", "stem", "ngrams", "min_count", "max_size", "representation")
        out = {n: getattr(self, n) for n in (*names, "max_length")}
        out["ngrams"] = list(self.ngrams)
        return out

    def state_dict(self) -> dict[str, Any]:
        """JSON: the options, the stop words as applied, the vocabulary, the idf weights."""
        stops = sorted(self.stop_word_set) if self.stop_word_set is not None else None
        return {
            "config": self.config(),
            "stop_word_list": stops,
            "vocabulary": self.vocabulary.state_dict(),
            "idf": self.idf.tolist() if self.idf is not None else None,
        }

    @classmethod
    def from_state_dict(cls, state: dict[str, Any]) -> TextPipeline:
        """Rebuild a fitted pipeline from :meth:`state_dict`'s output."""
        try:
            config = dict(state["config"])
            config["ngrams"] = tuple(config["ngrams"])
            pipe = cls(**{**config, "stop_words": False})
            vocab = Vocabulary.from_state_dict(state["vocabulary"])
            idf, stops = state.get("idf"), state.get("stop_word_list")
        except (KeyError, TypeError):
            raise ConfigError(
                "text pipeline state: expected config, vocabulary (and idf)"
            ) from None
        pipe.stop_words = bool(config.get("stop_words"))
        if pipe.stop_words:
            fresh = stops is None  # a state written by hand: the package's list
            words = stop_word_list(pipe.language) if fresh else stops
            pipe.stop_word_set = pipe._stop_words(words) if fresh else frozenset(words)
        pipe._vocabulary = vocab
        if pipe.representation == "tfidf":
            if idf is None or len(idf) != len(vocab.learned):
                raise ConfigError("text pipeline state: one idf weight per token expected")
            pipe.idf = np.asarray(idf, dtype=np.float64)
        return pipe

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"TextPipeline({args})"


def _check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ConfigError(f"{name}: expected true or false, got {value!r}")


def _as_texts(texts: Any, where: str) -> list[str]:
    """``texts`` as a list of str; a lone str or a non-str item is a DataError."""
    if isinstance(texts, str):
        raise DataError(f"text pipeline {where}: expected a sequence of texts, got one str")
    out = list(np.asarray(texts, dtype=object).ravel()) if isinstance(texts, np.ndarray) else texts
    out = list(out)
    for i, text in enumerate(out):
        if not isinstance(text, str):
            raise DataError(
                f"text pipeline {where}: text {i} is a {type(text).__name__}, expected a str"
            )
    return out


def _counts(vocab: Vocabulary, docs: list[list[str]]) -> sparse.csr_matrix:
    """(N, V) sparse float64 counts of the learned tokens (unknown tokens are not counted)."""
    offset = len(SPECIALS)
    cols = [np.asarray(vocab.encode(d), dtype=np.int64) - offset for d in docs]
    rows = [np.full(len(c), i, dtype=np.int64) for i, c in enumerate(cols)]
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    known = c >= 0
    shape = (len(docs), len(vocab.learned))
    ones = np.ones(int(known.sum()))
    return sparse.csr_matrix((ones, (r[known], c[known])), shape=shape)  # duplicates are summed


def _bag_counts(pipe: TextPipeline, vocab: Vocabulary, docs: list[list[str]]) -> np.ndarray:
    return _counts(vocab, docs).astype(np.float32).toarray()


def _bag_binary(pipe: TextPipeline, vocab: Vocabulary, docs: list[list[str]]) -> np.ndarray:
    counts = _counts(vocab, docs)
    counts.data[:] = 1.0
    return counts.astype(np.float32).toarray()


def _bag_tfidf(pipe: TextPipeline, vocab: Vocabulary, docs: list[list[str]]) -> np.ndarray:
    weighted = _counts(vocab, docs).multiply(pipe.idf[None, :]).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    scale = sparse.diags(1.0 / np.where(norms > 0, norms, 1.0))
    return (scale @ weighted).astype(np.float32).toarray()


def _sequence(pipe: TextPipeline, vocab: Vocabulary, docs: list[list[str]]) -> np.ndarray:
    out = np.zeros((len(docs), pipe.max_length), dtype=np.int64)
    for i, doc in enumerate(docs):
        ids = vocab.encode(doc[: pipe.max_length])
        out[i, : len(ids)] = ids
    return out


_REPRESENT: Registry[Callable[[TextPipeline, Vocabulary, list[list[str]]], np.ndarray]] = Registry(
    "text representation",
    {"tfidf": _bag_tfidf, "counts": _bag_counts, "binary": _bag_binary, "sequence": _sequence},
)
