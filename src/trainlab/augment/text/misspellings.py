"""Misspellings: words replaced by a common misspelling of them, from a list.

A list is a UTF-8 TSV file of ``correct<TAB>misspelled`` lines (a word may
have several misspellings, one a line; blank lines and lines starting with
``#`` are skipped). Built-in lists ship for English (frequent misspellings
as collected in Wikipedia's list of common misspellings) and Spanish
(b/v, h, g/j, ll/y, c/s/z and accent errors); ``path`` uses a user's list
instead. Words are matched case-insensitively and the misspelling takes the
word's case (``Believe`` → ``Beleive``); spacing and punctuation are kept.

Example:
    >>> import numpy as np
    >>> from trainlab.augment.text.misspellings import Misspell
    >>> Misspell(rate=1.0)(["I believe you, really."], np.random.default_rng(0))
    ['I beleive you, realy.']
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from trainlab.augment.text._base import TextAugmentation, check_language, check_rate, n_changes
from trainlab.augment.text.draws import Draws
from trainlab.core.errors import DataError

#: a word: a run of letters, digits or underscores (Unicode-aware)
WORD = re.compile(r"\w+")


def builtin_list(language: str) -> Path:
    """The built-in misspelling list of ``language`` ("en" or "es").

    Example:
        >>> builtin_list("es").name
        'misspellings_es.tsv'
    """
    check_language(language)
    return Path(str(resources.files("trainlab.augment.text") / "data")) / (
        f"misspellings_{language}.tsv"
    )


def _parse_line(line: str, where: str) -> tuple[str, str] | None:
    """(correct, misspelled) of one line; None for a blank line or a comment."""
    line = line.rstrip("\r\n")
    if not line.strip() or line.lstrip().startswith("#"):
        return None
    parts = line.split("\t")
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        raise DataError(f"{where}: expected correct<TAB>misspelled, got {line!r}")
    return parts[0].strip().lower(), parts[1].strip().lower()


@lru_cache(maxsize=16)
def read_misspellings(path: str | Path) -> dict[str, tuple[str, ...]]:
    """Each correct word (lowercase) of the TSV list ``path`` → its misspellings.

    Example:
        >>> table = read_misspellings(builtin_list("en"))
        >>> table["separate"]
        ('seperate',)
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"{path}: no such misspelling list") from None
    except UnicodeDecodeError as e:
        raise DataError(f"{path}: not UTF-8 (byte {e.start}); expected a UTF-8 TSV") from None
    table: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        pair = _parse_line(line, f"{path}:{number}")
        if pair is not None and pair[1] not in table.setdefault(pair[0], []):
            table[pair[0]].append(pair[1])
    if not table:
        raise DataError(f"{path}: no correct<TAB>misspelled lines")
    return {word: tuple(wrong) for word, wrong in table.items()}


def match_case(word: str, model: str) -> str:
    """``word`` (lowercase) in the case of ``model``: UPPER, Title or as it is.

    Example:
        >>> match_case("teh", "THE"), match_case("teh", "The"), match_case("teh", "the")
        ('TEH', 'Teh', 'teh')
    """
    if len(model) > 1 and model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def misspell(text: str, rate: float, table: dict[str, tuple[str, ...]], rng: Draws) -> str:
    """``text`` with a ``rate`` of its listed words replaced by a misspelling.

    Example:
        >>> import numpy as np
        >>> misspell("The end", 1.0, {"the": ("teh",)}, np.random.default_rng(0))
        'Teh end'
    """
    spans = [m for m in WORD.finditer(text) if m.group().lower() in table]
    k = n_changes(len(spans), rate)
    if k == 0:
        return text
    chosen = sorted(rng.choice(len(spans), size=k, replace=False))
    out, last = [], 0
    for j in chosen:
        m = spans[j]
        wrong = table[m.group().lower()]
        out += [text[last : m.start()], match_case(wrong[rng.integers(len(wrong))], m.group())]
        last = m.end()
    return "".join(out) + text[last:]


class Misspell(TextAugmentation):
    """Replace words by common misspellings (``misspell``).

    Args:
        language: ``"en"`` or ``"es"``, the built-in list used when ``path`` is None.
        path: a user's TSV list (``correct<TAB>misspelled`` lines) used instead.
        rate: fraction of the listed words of a text changed (at least one).
        p: probability that a text is changed.

    Example:
        >>> import numpy as np
        >>> Misspell(language="es", rate=1.0)(["También ayer."], np.random.default_rng(0))
        ['Tambien aller.']
    """

    def __init__(
        self,
        language: str = "en",
        path: str | Path | None = None,
        rate: float = 0.1,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        self.language = check_language(language)
        self.path = None if path is None else Path(path)
        self.rate = check_rate("rate", rate)
        self.table = read_misspellings(self.list_path)  # a bad list fails here, not in a worker

    @property
    def list_path(self) -> Path:
        """The list in use: ``path``, else the language's built-in one."""
        return self.path if self.path is not None else builtin_list(self.language)

    def augment(self, text: str, rng: Draws) -> str:
        return misspell(text, self.rate, self.table, rng)

    def extra_repr(self) -> str:
        return f"language={self.language!r}, path={self.path}, rate={self.rate}, p={self.p}"
