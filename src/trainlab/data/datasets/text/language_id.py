"""Language identification: English or Spanish, from the fortune files of both languages.

Every entry of every category (see :mod:`~trainlab.data.datasets.text.fortunes`
for how entries are read and cleaned), but the English ``translate-me``
collection (Latin, French and German sayings), is a candidate; an entry found
in both languages is dropped. ``per_language`` entries of each language are
drawn without replacement with a fixed seed (:data:`SEED`), so the data set is
the same on every load, and kept in file order: the English ones first.

Example:
    >>> from trainlab.data.datasets.text.language_id import SEED, sample_entries
    >>> sample_entries(["a", "b", "c", "d"], 2, SEED) == sample_entries(list("abcd"), 2, SEED)
    True
"""

from __future__ import annotations

import numpy as np

from trainlab.core.errors import ConfigError
from trainlab.core.words import count
from trainlab.data._bundle import DataBundle
from trainlab.data.datasets.text._texts import TextItem, text_bundle
from trainlab.data.datasets.text.fortunes import (
    LANGUAGES,
    check_max_chars,
    fortune_files,
    fortunes_folder,
    read_fortunes,
)

#: the seed of the draw: one data set for everyone
SEED = 13
#: categories left out, by language: their entries are in other languages
FOREIGN: dict[str, tuple[str, ...]] = {"en": ("translate-me",), "es": ()}


def sample_entries(entries: list[str], k: int, seed: int) -> list[str]:
    """``k`` of ``entries`` drawn without replacement (seeded), in their original order.

    Example:
        >>> sample_entries(["a", "b", "c"], 3, 0)
        ['a', 'b', 'c']
    """
    picked = np.random.default_rng(seed).choice(len(entries), size=k, replace=False)
    return [entries[i] for i in np.sort(picked)]


def _entries(language: str, max_chars: int | None) -> tuple[list[str], str]:
    """Every usable entry of one language, in category and file order; and its folder."""
    folder = fortunes_folder(language)
    names = [n for n in fortune_files(folder) if n not in FOREIGN[language]]
    entries, _ = read_fortunes(folder, names, max_chars)
    return [e for name in names for e in entries[name]], str(folder)


def load_language_id(*, per_language: int = 2000, max_chars: int | None = 300) -> DataBundle:
    """Language identification: English or Spanish, 2 × 2,000 fortune entries (seeded draw).

    Args:
        per_language: entries drawn from each language.
        max_chars: longer entries are left out before the draw (``None``: none is).

    Returns:
        A text bundle of ``2 · per_language`` entries, classes ``["en", "es"]``,
        no test split.

    Raises:
        ConfigError: ``per_language`` not positive, or above the entries a
            language has; ``max_chars`` not positive.
        DataError: the fortune files of a language are missing (saying how to
            install them), or one is not UTF-8.

    Example:
        >>> import os, tempfile
        >>> from pathlib import Path
        >>> from unittest import mock
        >>> d = Path(tempfile.mkdtemp())
        >>> (d / "es").mkdir()
        >>> _ = (d / "wisdom").write_text("Know thyself.\\n%\\nCarpe diem.\\n%\\nLess is more.\\n")
        >>> _ = (d / "es" / "vida.fortunes").write_text("Vive y deja vivir.\\n%\\nPoco a poco.\\n")
        >>> with mock.patch.dict(os.environ, {"TRAINLAB_FORTUNES": str(d)}):
        ...     b = load_language_id(per_language=2)
        >>> b.classes, b.train.y.tolist(), b.train.x[2:].tolist()
        (['en', 'es'], [0, 0, 1, 1], ['Vive y deja vivir.', 'Poco a poco.'])
    """
    if isinstance(per_language, bool) or not isinstance(per_language, int) or per_language < 1:
        raise ConfigError(
            f"data.options.per_language: expected a positive whole number, got {per_language!r}"
        )
    check_max_chars(max_chars)
    found = {lang: _entries(lang, max_chars) for lang in ("en", "es")}
    both = set(found["en"][0]) & set(found["es"][0])
    items, folders = [], []
    for k, (lang, (entries, folder)) in enumerate(found.items()):
        entries = [e for e in entries if e not in both]
        if per_language > len(entries):
            shorter = f" of at most {max_chars} characters" if max_chars is not None else ""
            raise ConfigError(
                f"data.options.per_language: {per_language} is more than the "
                f"{len(entries)} {LANGUAGES[lang].name} entries{shorter}; expected at most "
                f"{len(entries)}"
            )
        items += [TextItem(e, lang) for e in sample_entries(entries, per_language, SEED + k)]
        folders.append(folder)
    notes = [f"{per_language} entries per language drawn with seed {SEED} (en) and {SEED + 1} (es)"]
    if both:
        notes.append(f"dropped {count(len(both), 'entry', 'entries')} found in both languages")
    return text_bundle(
        items,
        dataset="language-id",
        source=" and ".join(folders),
        notes=notes,
        classes=["en", "es"],
    )
