"""The recipe's ``preprocess.text`` section: from raw text to a model's inputs.

Tokenization (Unicode words, lowercased), character stripping (punctuation,
digits, accents), stop words, stemming (Snowball), n-grams and a vocabulary
fitted on the training split, then a representation: a bag of words (counts,
binary or TF-IDF) for an MLP, or padded token id sequences for the text
models (``embedding-bag``, ``text-cnn``, ``gru``).

Example:
    >>> from trainlab.config.text import TextConfig
    >>> TextConfig().representation, TextConfig(language="es", stem=True).language
    ('tfidf', 'es')
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from trainlab.config.section import Section


class TextConfig(Section):
    """Tokenizer, stripping, stop words, stemming, vocabulary and representation of text."""

    #: the language of stop words and stemming: en, es (or another the stemmer knows)
    language: str = "en"
    lowercase: bool = True
    strip_punctuation: bool = True
    strip_digits: bool = False
    #: á → a, ñ → n (after lowercasing)
    strip_accents: bool = False
    #: drop the language's stop words
    stop_words: bool = False
    #: reduce words to their Snowball stems
    stem: bool = False
    #: the n-gram range [min, max] of a bag of words
    ngrams: tuple[int, int] = (1, 1)
    #: words seen fewer times in the training split are unknown
    min_count: int = Field(default=1, ge=1)
    #: the vocabulary's largest size (None: every word kept)
    max_size: int | None = Field(default=None, ge=1)
    #: a bag of words (tfidf, counts, binary) or token id sequences (sequence)
    representation: Literal["tfidf", "counts", "binary", "sequence"] = "tfidf"
    #: sequence: tokens kept per text (longer texts are cut, shorter ones padded)
    max_length: int = Field(default=200, ge=1)

    @model_validator(mode="after")
    def _check(self) -> TextConfig:
        lo, hi = self.ngrams
        if not 1 <= lo <= hi:
            raise ValueError(f"ngrams: expected [min, max] with 1 ≤ min ≤ max, got {[lo, hi]}")
        if self.representation == "sequence" and self.ngrams != (1, 1):
            raise ValueError("ngrams: sequences are of single words; use ngrams: [1, 1]")
        return self
