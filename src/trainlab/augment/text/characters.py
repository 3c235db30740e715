"""Character edits: random insertion, substitution, deletion and swap of letters.

The lecture's character-level noise (as in nlpaug's ``RandomCharAug``). Only
letters are edited (``str.isalpha``): spaces, digits and punctuation are left
alone, so word boundaries survive. ``rate`` is the fraction of the eligible
letters changed (rounded, at least one when there is any); new letters come
from the language's alphabet (Spanish adds ñ, á, é, í, ó, ú, ü) in the case
of the letter they replace or follow.

Example:
    >>> import numpy as np
    >>> from trainlab.augment.text.characters import CharSwap
    >>> out = CharSwap(rate=0.2)(["the quick brown fox"], np.random.default_rng(0))[0]
    >>> sorted(out) == sorted("the quick brown fox"), out != "the quick brown fox"
    (True, True)
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise

from trainlab.augment.text._base import TextAugmentation, check_language, check_rate, n_changes
from trainlab.augment.text.draws import Draws

#: the lowercase letters a language writes (new letters are drawn from these)
ALPHABETS: dict[str, str] = {
    "en": "abcdefghijklmnopqrstuvwxyz",
    "es": "abcdefghijklmnopqrstuvwxyzñáéíóúü",
}


def letter_positions(text: str) -> list[int]:
    """Indices of the letters of ``text``.

    Example:
        >>> letter_positions("a b, ñ!")
        [0, 2, 5]
    """
    return [i for i, c in enumerate(text) if c.isalpha()]


def like_case(letter: str, model: str) -> str:
    """``letter`` in the case of ``model``.

    Example:
        >>> like_case("ñ", "A"), like_case("x", "b")
        ('Ñ', 'x')
    """
    return letter.upper() if model.isupper() else letter


def _pick(positions: list[int], rate: float, rng: Draws) -> list[int]:
    """``n_changes`` of ``positions``, drawn without replacement, in increasing order."""
    k = n_changes(len(positions), rate)
    if k == 0:
        return []
    return sorted(positions[i] for i in rng.choice(len(positions), size=k, replace=False))


def insert_chars(text: str, rate: float, alphabet: str, rng: Draws) -> str:
    """``text`` with a random letter inserted after a ``rate`` of its letters.

    Example:
        >>> import numpy as np
        >>> out = insert_chars("abc", 1.0, "x", np.random.default_rng(0))
        >>> out
        'axbxcx'
    """
    out, last = [], 0
    for i in _pick(letter_positions(text), rate, rng):
        out += [text[last : i + 1], like_case(alphabet[rng.integers(len(alphabet))], text[i])]
        last = i + 1
    return "".join(out) + text[last:]


def substitute_chars(text: str, rate: float, alphabet: str, rng: Draws) -> str:
    """``text`` with a ``rate`` of its letters replaced by another letter of ``alphabet``.

    Example:
        >>> import numpy as np
        >>> substitute_chars("Ab-c", 1.0, "ab", np.random.default_rng(0))
        'Ba-a'
    """
    chars = list(text)
    others = _others(alphabet)
    for i in _pick(letter_positions(text), rate, rng):
        choices = others.get(chars[i].lower(), alphabet)
        chars[i] = like_case(choices[rng.integers(len(choices))], chars[i])
    return "".join(chars)


@lru_cache(maxsize=16)
def _others(alphabet: str) -> dict[str, str]:
    """Each letter of ``alphabet`` → the other letters (a lone letter → itself)."""
    return {a: alphabet.replace(a, "") or a for a in alphabet}


def delete_chars(text: str, rate: float, rng: Draws) -> str:
    """``text`` without a ``rate`` of its letters.

    Example:
        >>> import numpy as np
        >>> delete_chars("ab, cd", 1.0, np.random.default_rng(0))
        ', '
    """
    out, last = [], 0
    for i in _pick(letter_positions(text), rate, rng):
        out.append(text[last:i])
        last = i + 1
    return "".join(out) + text[last:]


def swap_chars(text: str, rate: float, rng: Draws) -> str:
    """``text`` with a ``rate`` of its letters swapped with the letter after them.

    Only pairs of letters inside a word are swapped, so the letters of each
    word keep their multiset.

    Example:
        >>> import numpy as np
        >>> swap_chars("ab cd", 1.0, np.random.default_rng(0))
        'ba dc'
    """
    chars = list(text)
    letters = letter_positions(text)
    pairs = [a for a, b in pairwise(letters) if b == a + 1]
    taken: set[int] = set()
    for i in _pick(pairs, rate, rng):
        if i in taken or i + 1 in taken:  # keep swaps apart so each one shows
            continue
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
        taken.update((i, i + 1))
    return "".join(chars)


class CharacterEdit(TextAugmentation):
    """Base class of the letter edits.

    Args:
        rate: fraction of the eligible letters changed (at least one).
        language: ``"en"`` or ``"es"``, the alphabet new letters come from.
        p: probability that a text is changed.
    """

    def __init__(self, rate: float = 0.05, language: str = "en", p: float = 1.0) -> None:
        super().__init__(p)
        self.rate = check_rate("rate", rate)
        self.language = check_language(language)

    @property
    def alphabet(self) -> str:
        """The lowercase letters new letters are drawn from."""
        return ALPHABETS[self.language]

    def extra_repr(self) -> str:
        return f"rate={self.rate}, language={self.language!r}, p={self.p}"


class CharInsert(CharacterEdit):
    """Insert random letters (``char-insert``).

    Example:
        >>> import numpy as np
        >>> len(CharInsert(rate=0.5)(["abcd"], np.random.default_rng(0))[0])
        6
    """

    def augment(self, text: str, rng: Draws) -> str:
        return insert_chars(text, self.rate, self.alphabet, rng)


class CharSubstitute(CharacterEdit):
    """Replace random letters by other letters (``char-substitute``).

    Example:
        >>> import numpy as np
        >>> out = CharSubstitute(rate=0.5)(["abcd"], np.random.default_rng(0))[0]
        >>> sum(a != b for a, b in zip(out, "abcd"))
        2
    """

    def augment(self, text: str, rng: Draws) -> str:
        return substitute_chars(text, self.rate, self.alphabet, rng)


class CharDelete(CharacterEdit):
    """Delete random letters (``char-delete``).

    Example:
        >>> import numpy as np
        >>> len(CharDelete(rate=0.5)(["abcd"], np.random.default_rng(0))[0])
        2
    """

    def augment(self, text: str, rng: Draws) -> str:
        return delete_chars(text, self.rate, rng)


class CharSwap(CharacterEdit):
    """Swap random letters with their neighbour in the word (``char-swap``).

    Example:
        >>> import numpy as np
        >>> CharSwap(rate=1.0)(["ab"], np.random.default_rng(0))
        ['ba']
    """

    def augment(self, text: str, rng: Draws) -> str:
        return swap_chars(text, self.rate, rng)
