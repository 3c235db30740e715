"""Keyboard errors: letters replaced by a neighbouring key of a real layout.

The neighbours come from the keys' geometry: each row is laid out at its
real stagger (in key widths, as on an ANSI / ISO board: the letter rows start
0.5, 0.75 and 1.25 keys right of the digit row), and two keys are neighbours
when they touch: next to each other in a row, or in the row above or below
at most 0.75 key widths apart. Only letter neighbours are used, so a typo
stays a word. ``qwerty-en`` is the US layout; ``qwerty-es`` the Spanish one
(ñ right of l, ç at the end of the home row), whose dead key ´ (right of ñ)
types á é í ó ú: a vowel may come out accented (the dead key hit by
mistake) and an accented vowel plain (the dead key missed).

Example:
    >>> from trainlab.augment.text.keyboard import neighbours
    >>> sorted(neighbours("qwerty-en")["g"])
    ['b', 'f', 'h', 't', 'v', 'y']
    >>> sorted(neighbours("qwerty-es")["ñ"])
    ['l', 'p']
"""

from __future__ import annotations

from functools import cache

from trainlab.augment._base import check_choice
from trainlab.augment.text._base import TextAugmentation, check_rate, n_changes
from trainlab.augment.text.characters import like_case
from trainlab.augment.text.draws import Draws

#: the rows of each layout, top to bottom, and each row's offset in key widths
LAYOUTS: dict[str, tuple[tuple[str, float], ...]] = {
    "qwerty-en": (
        ("`1234567890-=", 0.0),
        ("qwertyuiop[]\\", 1.5),
        ("asdfghjkl;'", 1.75),
        ("zxcvbnm,./", 2.25),
    ),
    "qwerty-es": (
        ("º1234567890'¡", 0.0),
        ("qwertyuiop`+", 1.5),
        ("asdfghjklñ´ç", 1.75),
        ("<zxcvbnm,.-", 1.25),
    ),
}
#: the letters a layout types (neighbours outside them are not used)
LETTERS: dict[str, str] = {
    "qwerty-en": "abcdefghijklmnopqrstuvwxyz",
    "qwerty-es": "abcdefghijklmnopqrstuvwxyzñç",
}
#: what the Spanish dead key ´ makes of each vowel
ACUTE = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú"}
PLAIN = {v: k for k, v in ACUTE.items()}
#: the layouts with a dead acute key
DEAD_ACUTE = ("qwerty-es",)


@cache
def neighbours(layout: str) -> dict[str, tuple[str, ...]]:
    """Each letter key of ``layout`` → the letter keys that touch it.

    Example:
        >>> neighbours("qwerty-en")["q"]
        ('w', 'a')
    """
    check_choice("layout", layout, tuple(LAYOUTS))
    keys = [(c, row, offset + col) for row, (chars, offset) in enumerate(LAYOUTS[layout])
            for col, c in enumerate(chars)]  # fmt: skip
    letters = LETTERS[layout]
    out: dict[str, tuple[str, ...]] = {}
    for c, row, x in keys:
        if c not in letters:
            continue
        out[c] = tuple(
            d
            for d, r, y in keys
            if d in letters
            and d != c
            and ((r == row and abs(y - x) == 1.0) or (abs(r - row) == 1 and abs(y - x) <= 0.75))
        )
    return out


@cache
def typos(layout: str) -> dict[str, tuple[str, ...]]:
    """Each lowercase letter ``layout`` types → the letters a slip of the finger gives.

    The key's neighbours, and on layouts with a dead acute key, the accented
    vowel for a plain one, and for an accented vowel the plain one and its
    neighbours.

    Example:
        >>> typos("qwerty-es")["a"]
        ('q', 'w', 's', 'z', 'á')
        >>> typos("qwerty-es")["á"]
        ('a', 'q', 'w', 's', 'z')
    """
    table = dict(neighbours(layout))
    if layout in DEAD_ACUTE:
        for plain, accented in ACUTE.items():
            table[accented] = (plain, *table[plain])
            table[plain] = (*table[plain], accented)
    return {c: choices for c, choices in table.items() if choices}  # ç touches no letter


def keyboard_typos(text: str, rate: float, layout: str, rng: Draws) -> str:
    """``text`` with a ``rate`` of its typeable letters replaced by a typo.

    Example:
        >>> import numpy as np
        >>> out = keyboard_typos("hello", 1.0, "qwerty-en", np.random.default_rng(0))
        >>> all(b in neighbours("qwerty-en")[a] for a, b in zip("hello", out))
        True
    """
    table = typos(layout)
    chars = list(text)
    eligible = [i for i, c in enumerate(chars) if c.lower() in table]  # "İ".lower() is 2 long
    k = n_changes(len(eligible), rate)
    for j in rng.choice(len(eligible), size=k, replace=False) if k else ():
        i = eligible[j]
        choices = table[chars[i].lower()]
        chars[i] = like_case(choices[rng.integers(len(choices))], chars[i])
    return "".join(chars)


class Keyboard(TextAugmentation):
    """Replace letters by keyboard typos of a real layout (``keyboard``).

    Args:
        layout: ``"qwerty-en"`` (US) or ``"qwerty-es"`` (Spanish, with ñ and the dead key ´).
        rate: fraction of the typeable letters changed (at least one).
        p: probability that a text is changed.

    Example:
        >>> import numpy as np
        >>> aug = Keyboard(layout="qwerty-es", rate=0.3)
        >>> aug(["mañana"], np.random.default_rng(1))[0] != "mañana"
        True
    """

    def __init__(self, layout: str = "qwerty-en", rate: float = 0.05, p: float = 1.0) -> None:
        super().__init__(p)
        self.layout = check_choice("layout", layout, tuple(LAYOUTS))
        self.rate = check_rate("rate", rate)

    def augment(self, text: str, rng: Draws) -> str:
        return keyboard_typos(text, self.rate, self.layout, rng)

    def extra_repr(self) -> str:
        return f"layout={self.layout!r}, rate={self.rate}, p={self.p}"
