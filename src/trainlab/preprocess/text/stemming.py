"""Snowball stemming (Porter 2001) in English, Spanish and every language it has.

A thin wrapper over the ``snowballstemmer`` package: the stems are its own,
word for word; a word already stemmed once is looked up in a small cache
(corpora repeat their words). The stemmer expects lowercase words, as the
tokenizer gives by default.

Reference: M. F. Porter, "Snowball: A language for stemming algorithms", 2001,
https://snowballstem.org/texts/introduction.html

Example:
    >>> Stemmer("en").stem_words(["running", "cats", "easily"])
    ['run', 'cat', 'easili']
    >>> Stemmer("spanish")("corriendo")
    'corr'
"""

from __future__ import annotations

from trainlab.core.errors import ConfigError
from trainlab.preprocess.text._language import resolve_language

#: stems kept per stemmer before the cache starts over
_CACHE_SIZE = 200_000


def _package():
    try:
        import snowballstemmer as package
    except ImportError:  # pragma: no cover - snowballstemmer is in the text extra
        raise ConfigError(
            "stemming needs snowballstemmer; install it with pip install 'trainlab[text]'"
        ) from None
    return package


def stemmer_languages() -> list[str]:
    """The languages snowballstemmer has a stemmer for (English names).

    Example:
        >>> {"english", "spanish", "porter"} <= set(stemmer_languages())
        True
    """
    return sorted(_package().algorithms())


class Stemmer:
    """The Snowball stemmer of one language.

    Args:
        language: a code (``en``, ``es``) or a snowball algorithm name
            (``english``, ``spanish``, ``porter`` for the original Porter
            stemmer, …); none of them: a :class:`ConfigError` listing them.

    Example:
        >>> s = Stemmer("es")
        >>> s.language, s.stem_words(["canciones", "cantaba"])
        ('spanish', ['cancion', 'cant'])
    """

    def __init__(self, language: str = "english") -> None:
        self.language = resolve_language(language, stemmer_languages(), "stemmer")
        self._stemmer = _package().stemmer(self.language)
        self._cache: dict[str, str] = {}

    def stem(self, word: str) -> str:
        """The stem of one word.

        Example:
            >>> Stemmer("en").stem("generously")
            'generous'
        """
        stem = self._cache.get(word)
        if stem is None:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            stem = self._cache[word] = self._stemmer.stemWord(word)
        return stem

    def stem_words(self, words: list[str]) -> list[str]:
        """The stems of ``words``, in order.

        Example:
            >>> Stemmer("en").stem_words(["connection", "connected"])
            ['connect', 'connect']
        """
        return [self.stem(w) for w in words]

    def __call__(self, word: str) -> str:
        return self.stem(word)

    def __repr__(self) -> str:
        return f"Stemmer({self.language!r})"
