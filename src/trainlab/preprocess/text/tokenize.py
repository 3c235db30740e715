"""Unicode-aware word tokenization, character stripping and word n-grams.

A text becomes a list of tokens in four steps, each optional:

1. Unicode normalization: NFC (so ``e`` + a combining acute is one ``é``), or,
   with ``strip_accents``, NFKD and every combining mark dropped (``canción``
   → ``cancion``, ``ñ`` → ``n``), as scikit-learn's ``strip_accents="unicode"``.
2. ``lowercase`` (:meth:`str.lower`).
3. ``strip_digits``: every decimal digit (any script) becomes a space, so a
   number disappears and ``mp3`` reads ``mp``.
4. Splitting: a word is a run of letters and digits of any script
   (``[^\\W_]+``: ``ñ``, ``ü``, ``ß``, Greek and Cyrillic included), with
   apostrophes inside it kept (``don't``; the typographic ``’`` is read as
   ``'``). With ``strip_punctuation`` everything else is dropped; without it
   each run of other non-space characters (``,``, ``?!``, ``...``, ``_``) is a
   token of its own.

Example:
    >>> tokenize("¿Qué tal, Señor Ñandú? Don’t panic: 42!")
    ['qué', 'tal', 'señor', 'ñandú', "don't", 'panic', '42']
    >>> tokenize("¿Qué tal?", strip_accents=True, strip_punctuation=False)
    ['¿', 'que', 'tal', '?']
    >>> tokenize("Route 66 in 1926", strip_digits=True)
    ['route', 'in']
    >>> ngrams(["to", "be", "or", "not"], 1, 2)
    ['to', 'be', 'or', 'not', 'to be', 'be or', 'or not']
"""

from __future__ import annotations

import re
import unicodedata

from trainlab.core.errors import ConfigError, DataError

#: a word: letters and digits of any script, apostrophes inside it kept
_WORD = r"[^\W_]+(?:'[^\W_]+)*"
_WORDS = re.compile(_WORD)
_WORDS_AND_MARKS = re.compile(rf"{_WORD}|[^\w\s]+|_+")
_DIGITS = re.compile(r"\d")
#: apostrophe look-alikes read as ``'``
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\uff07": "'"})


def remove_accents(text: str) -> str:
    """``text`` in NFKD with every combining mark (accent, tilde, diaeresis) dropped.

    Example:
        >>> remove_accents("Pingüino añejo, café")
        'Pinguino anejo, cafe'
    """
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def tokenize(
    text: str,
    *,
    lowercase: bool = True,
    strip_punctuation: bool = True,
    strip_digits: bool = False,
    strip_accents: bool = False,
) -> list[str]:
    """The word tokens of ``text`` (see the module docstring for the steps).

    Args:
        text: the text (a ``str``; anything else is a :class:`DataError`).
        lowercase: lowercase the text first.
        strip_punctuation: drop punctuation and symbols; otherwise each run of
            them is a token.
        strip_digits: remove digits (numbers vanish, ``mp3`` → ``mp``).
        strip_accents: NFKD and drop combining marks (``é`` → ``e``, ``ñ`` → ``n``).

    Example:
        >>> tokenize("Él comió 3 PIÑAS.", strip_accents=True, strip_digits=True)
        ['el', 'comio', 'pinas']
    """
    if not isinstance(text, str):
        raise DataError(f"tokenize: expected a str, got {type(text).__name__}")
    text = remove_accents(text) if strip_accents else unicodedata.normalize("NFC", text)
    text = text.translate(_APOSTROPHES)
    if lowercase:
        text = text.lower()
    if strip_digits:
        text = _DIGITS.sub(" ", text)
    pattern = _WORDS if strip_punctuation else _WORDS_AND_MARKS
    return pattern.findall(text)


def ngrams(tokens: list[str], n_min: int = 1, n_max: int = 1) -> list[str]:
    """The word n-grams of ``tokens`` for n = ``n_min`` … ``n_max``, joined by spaces.

    Ordered by n, then by position, as scikit-learn's word n-grams.

    Example:
        >>> ngrams(["a", "rose", "is"], 2, 3)
        ['a rose', 'rose is', 'a rose is']
    """
    check_ngram_range(n_min, n_max)
    if n_min == n_max == 1:
        return list(tokens)
    out: list[str] = []
    for n in range(n_min, n_max + 1):
        out += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return out


def check_ngram_range(n_min: int, n_max: int, name: str = "ngrams") -> None:
    """Raise a :class:`ConfigError` unless ``1 <= n_min <= n_max`` (integers).

    Example:
        >>> check_ngram_range(1, 2)
    """
    ok = all(isinstance(n, int) and not isinstance(n, bool) for n in (n_min, n_max))
    if not ok or not 1 <= n_min <= n_max:
        raise ConfigError(
            f"{name}: expected integers 1 <= n_min <= n_max, got ({n_min!r}, {n_max!r})"
        )
