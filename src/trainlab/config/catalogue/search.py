"""Find a strategy by any of its names, in Spanish or English, with or without accents."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from trainlab.config.catalogue._row import SECTIONS, Row, Section
from trainlab.config.catalogue.rows import ROWS
from trainlab.core.errors import ConfigError


def fold(text: str) -> str:
    """``text`` as search compares it: lower case, no accents, letters and digits only.

    Example:
        >>> fold("Deserción (Dropout)"), fold("norma ℓ₁"), fold("auto-supervisado")
        ('desercion dropout', 'norma l1', 'auto supervisado')
    """
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def section(key: str) -> Section:
    """The lecture part named ``key``; ``ConfigError`` if there is none.

    Example:
        >>> section("regularizacion").spanish
        'Regularización'
    """
    for s in SECTIONS:
        if s.key == key:
            return s
    known = ", ".join(s.key for s in SECTIONS)
    raise ConfigError(f"unknown lecture section {key!r}; expected one of: {known}")


def _texts(row: Row) -> tuple[list[str], list[str]]:
    """The row's own terms, and every other text search looks at, folded."""
    part = section(row.section)
    other = [*row.words, *row.keys, *row.sets, *row.symbols, row.topic, part.spanish, part.english]
    other += [row.command or "", row.study or "", row.variant or "", str(row.paper or "")]
    return [fold(row.spanish), fold(row.english)], [fold(t) for t in other if t]


#: the rank of a match that starts inside a word (``_rank``)
_INSIDE = 4


def _rank(row: Row, query: str) -> int | None:
    """How closely ``row`` matches ``query``: 0 (its own term) to 5 (inside a word); None."""
    compact = query.replace(" ", "")
    tests = (
        lambda t: t == query,
        lambda t: f" {query}" in f" {t}",
        lambda t: compact in t.replace(" ", ""),
    )
    own, other = _texts(row)
    for level, test in enumerate(tests):
        for group, texts in enumerate((own, other)):
            if any(test(t) for t in texts):
                return 2 * level + group
    return None


def find(word: str, rows: Sequence[Row] = ROWS) -> list[Row]:
    """The rows that match ``word`` in Spanish or English, closest first.

    Args:
        word: a term, a synonym, a recipe key, a code name or an author, in
            either language; case and accents do not matter.
        rows: the table to search (default: :data:`ROWS`).

    Raises:
        ConfigError: when ``word`` has no letter or digit.

    Example:
        >>> [row.variant for row in find("ruido") if row.section == "regularizacion"]
        ['input-noise', 'label-flip', 'weight-noise']
    """
    query = fold(word)
    if not query:
        raise ConfigError(f"search word {word!r}: expected letters or digits, e.g. dropout")
    ranked = sorted((r, i) for i, row in enumerate(rows) if (r := _rank(row, query)) is not None)
    if ranked and ranked[0][0] < _INSIDE:  # matches at a word's start: drop those inside words
        ranked = [(r, i) for r, i in ranked if r < _INSIDE]
    return [rows[i] for _, i in ranked]
