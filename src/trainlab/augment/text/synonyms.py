"""Synonym replacement from WordNet (English only).

EDA's first operation: Wei & Zou 2019, "EDA: Easy Data Augmentation
Techniques for Boosting Performance on Text Classification Tasks" (EMNLP),
https://arxiv.org/abs/1901.11196. A ``rate`` of the words that have
synonyms (stop words excluded, as in EDA) is replaced, each by a synonym
drawn uniformly from all its WordNet 3.0 synsets (:mod:`.wordnet`),
multi-word synonyms written with spaces; the replacement takes the word's
case. WordNet is English: a Spanish request is a ``ConfigError``.

Example:
    >>> import numpy as np
    >>> from trainlab.augment.text.synonyms import Synonym
    >>> aug = Synonym(rate=1.0)  # doctest: +SKIP
    >>> aug(["The car is fast."], np.random.default_rng(0))  # doctest: +SKIP
    ['The railway car is libertine.']
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache
from importlib import resources
from pathlib import Path

from trainlab.augment.text._base import TextAugmentation, check_rate, n_changes
from trainlab.augment.text.draws import Draws
from trainlab.augment.text.misspellings import match_case
from trainlab.augment.text.wordnet import WordNet
from trainlab.core.errors import ConfigError

#: a word: a run of letters, possibly with inner apostrophes or hyphens
WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """The built-in English stop words synonym replacement leaves alone.

    Example:
        >>> {"the", "of", "and"} <= english_stop_words(), "car" in english_stop_words()
        (True, False)
    """
    path = Path(str(resources.files("trainlab.augment.text") / "data")) / "stopwords_en.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=65536)
def _synonyms(root: Path, word: str) -> tuple[str, ...]:
    return tuple(WordNet(root).synonyms(word))


def replace_synonyms(
    text: str,
    rate: float,
    wordnet: WordNet,
    stop_words: Collection[str],
    rng: Draws,
) -> str:
    """``text`` with a ``rate`` of its words that have synonyms replaced by one.

    Example:
        >>> import numpy as np
        >>> wn, rng = WordNet(), np.random.default_rng(0)  # doctest: +SKIP
        >>> replace_synonyms("a car", 1.0, wn, {"a"}, rng)  # doctest: +SKIP
        'a elevator car'
    """
    spans = [
        (m, syn)
        for m in WORD.finditer(text)
        if len(m.group()) > 1 and m.group().lower() not in stop_words
        for syn in (_synonyms(wordnet.root, m.group().lower()),)
        if syn
    ]
    k = n_changes(len(spans), rate)
    if k == 0:
        return text
    out, last = [], 0
    for j in sorted(rng.choice(len(spans), size=k, replace=False)):
        m, syn = spans[j]
        out += [text[last : m.start()], match_case(syn[rng.integers(len(syn))], m.group())]
        last = m.end()
    return "".join(out) + text[last:]


class Synonym(TextAugmentation):
    """Replace words by WordNet synonyms (``synonym``; EDA's synonym replacement).

    Args:
        language: ``"en"`` (WordNet is English; ``"es"`` is a ``ConfigError``).
        rate: fraction of the words with synonyms that are replaced (at least one).
        stop_words: words never replaced; None: the built-in English list.
        root: the WordNet folder; None: ``$TRAINLAB_WORDNET`` or /usr/share/wordnet.
        p: probability that a text is changed.

    Example:
        >>> Synonym(language="es")
        Traceback (most recent call last):
        ...
        trainlab.core.errors.ConfigError: synonym: language 'es' has no synonym source; ...
    """

    def __init__(
        self,
        language: str = "en",
        rate: float = 0.1,
        stop_words: Collection[str] | None = None,
        root: str | Path | None = None,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        if language != "en":
            raise ConfigError(
                f"synonym: language {language!r} has no synonym source; WordNet synonyms are "
                "English only (language 'en')"
            )
        self.language = language
        self.rate = check_rate("rate", rate)
        self.stop_words = (
            english_stop_words() if stop_words is None else frozenset(w.lower() for w in stop_words)
        )
        self.wordnet = WordNet(root)

    def augment(self, text: str, rng: Draws) -> str:
        return replace_synonyms(text, self.rate, self.wordnet, self.stop_words, rng)

    def extra_repr(self) -> str:
        return f"language={self.language!r}, rate={self.rate}, p={self.p}"
