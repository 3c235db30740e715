"""Topic classification from the fortune files: each category file is a class.

The fortune files of BSD and Debian (packages ``fortunes``, English, and
``fortunes-es``, Spanish) are plain text: entries separated by lines holding
only ``%``. Every file of the folder is one category, named after the file
without ``.fortunes`` (``amistad.fortunes`` → ``amistad``,
``varios.fortunes-pre`` → ``varios-pre``); the ``.dat`` index files, the
``.u8`` links, hidden files and subfolders (the offensive ``off/``
collections among them) are not read. Old entries underline or embolden
with backspaces (``_\\bW``); they are applied as a terminal would, and the
other control characters (bells, escapes) dropped. An entry is stripped;
empty ones are dropped, and so are those longer than ``max_chars``, an entry
repeated in one category (but its first) and an entry found in several
categories (its label is ambiguous). Classes with fewer than
``min_class_size`` entries left are dropped; ``bundle.notes`` says what was.

The folder is ``$TRAINLAB_FORTUNES`` when set, else the first of
:data:`FORTUNE_DIRS` that holds the language's files: the English files at
its top, the Spanish ones in its ``es/`` subfolder.

Example:
    >>> from trainlab.data.datasets.text.fortunes import split_fortunes
    >>> split_fortunes("Carpe diem.\\n%\\n\\n%\\nTempus\\n  fugit.\\n%\\n")
    ['Carpe diem.', 'Tempus\\n  fugit.']
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from trainlab.core.errors import ConfigError, DataError
from trainlab.core.words import count
from trainlab.data._bundle import DataBundle
from trainlab.data.datasets.text._texts import TextItem, read_text, text_bundle

#: where the fortune files are looked for, in order, after ``$TRAINLAB_FORTUNES``
FORTUNE_DIRS: tuple[str, ...] = (
    "/usr/share/games/fortunes",
    "/usr/share/fortunes",
    "/usr/share/games/fortune",
    "/usr/share/fortune",
    "/usr/local/share/games/fortunes",
    "/opt/homebrew/share/games/fortunes",
)


@dataclass(frozen=True)
class FortuneLanguage:
    """Where one language's fortune files are, below a fortunes folder, and what installs them."""

    name: str
    subfolder: str
    package: str


#: the languages: "en" at the top of a fortunes folder, "es" in its es/ subfolder
LANGUAGES: dict[str, FortuneLanguage] = {
    "en": FortuneLanguage("English", "", "fortunes"),
    "es": FortuneLanguage("Spanish", "es", "fortunes-es"),
}

_NOT_DATA = (".dat", ".u8")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _language(language: str) -> FortuneLanguage:
    if language not in LANGUAGES:
        raise ConfigError(f"data.options.language: expected 'en' or 'es', got {language!r}")
    return LANGUAGES[language]


def fortune_files(folder: Path) -> dict[str, Path]:
    """The category files of ``folder`` by category name, sorted; no ``.dat``, ``.u8``, subfolder.

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> for name in ("b", "b.dat", "a.fortunes", "a.fortunes.u8", ".x"):
        ...     _ = (d / name).write_text("x")
        >>> (d / "off").mkdir()
        >>> {k: p.name for k, p in fortune_files(d).items()}
        {'a': 'a.fortunes', 'b': 'b'}
    """
    if not folder.is_dir():
        return {}
    found = {}
    for p in sorted(folder.iterdir(), key=lambda p: p.name):
        if p.name.startswith(".") or p.name.endswith(_NOT_DATA) or not p.is_file():
            continue
        found[p.name.replace(".fortunes", "")] = p
    return found


def fortunes_folder(language: str = "en") -> Path:
    """The folder of ``language``'s fortune files (see the module's notes for where it looks).

    Raises:
        DataError: none found; the message says how to install them.

    Example:
        >>> import tempfile
        >>> from unittest import mock
        >>> d = Path(tempfile.mkdtemp())
        >>> (d / "es").mkdir()
        >>> _ = (d / "es" / "vida.fortunes").write_text("La vida es sueño.\\n%\\n")
        >>> with mock.patch.dict(os.environ, {"TRAINLAB_FORTUNES": str(d)}):
        ...     fortunes_folder("es") == d / "es"
        True
    """
    lang = _language(language)
    custom = os.environ.get("TRAINLAB_FORTUNES")
    roots = [Path(custom).expanduser()] if custom else [Path(d) for d in FORTUNE_DIRS]
    for root in roots:
        folder = root / lang.subfolder if lang.subfolder else root
        if fortune_files(folder):
            return folder
    sub = f"{lang.subfolder}/ of " if lang.subfolder else ""
    where = f"$TRAINLAB_FORTUNES ({custom})" if custom else ", ".join(FORTUNE_DIRS)
    raise DataError(
        f"fortunes: no {lang.name} fortune files in {sub}{where}; "
        f"install them with apt-get install {lang.package} (or set TRAINLAB_FORTUNES to a "
        "folder of fortune files)"
    )


def clean_fortune(text: str) -> str:
    """``text`` with its backspaces applied (each erases the character before it on its line)
    and the other control characters but newlines and tabs dropped.

    Example:
        >>> clean_fortune("the *____\\b\\b\\b\\bonly* one\\x07, _\\bI")
        'the *only* one, I'
    """
    if "\b" in text:
        out: list[str] = []
        for ch in text:
            if ch != "\b":
                out.append(ch)
            elif out and out[-1] != "\n":
                out.pop()
        text = "".join(out)
    return _CONTROL.sub("", text)


def split_fortunes(text: str) -> list[str]:
    """The entries of a fortune file: split on lines holding only ``%``, stripped, none empty."""
    entries, lines = [], []
    for line in text.split("\n"):
        if line.rstrip() == "%":
            entries.append("\n".join(lines).strip())
            lines = []
        else:
            lines.append(line)
    entries.append("\n".join(lines).strip())
    return [e for e in entries if e]


def _choose(files: dict[str, Path], categories: list[str] | None, folder: Path) -> dict:
    if categories is None:
        return files
    unknown = [c for c in categories if c not in files]
    if unknown:
        raise ConfigError(
            f"data.options.categories: no category {unknown[0]!r} in {folder}; expected some of: "
            f"{', '.join(files)}"
        )
    if not categories:
        raise ConfigError("data.options.categories: expected at least one category, got []")
    return {c: files[c] for c in sorted(set(categories))}


def read_fortunes(
    folder: Path, categories: list[str] | None = None, max_chars: int | None = None
) -> tuple[dict[str, list[str]], list[str]]:
    """Each category's entries (file order), cleaned, deduplicated; and notes on what was dropped.

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> _ = (d / "a").write_text("one\\n%\\ntwo\\n%\\none\\n%\\nshared\\n")
        >>> _ = (d / "b").write_text("shared\\n%\\nthree, which is long\\n")
        >>> entries, notes = read_fortunes(d, max_chars=10)
        >>> entries
        {'a': ['one', 'two'], 'b': []}
        >>> print("\\n".join(notes))
        dropped 1 entry longer than 10 characters
        dropped 1 repeated entry within a category
        dropped 1 entry found in several categories (2 copies)
    """
    chosen = _choose(fortune_files(folder), categories, folder)
    entries = {name: split_fortunes(clean_fortune(read_text(p))) for name, p in chosen.items()}
    notes = []
    if max_chars is not None:
        long = sum(len(e) > max_chars for es in entries.values() for e in es)
        entries = {n: [e for e in es if len(e) <= max_chars] for n, es in entries.items()}
        if long:
            notes.append(
                f"dropped {count(long, 'entry', 'entries')} longer than {max_chars} characters"
            )
    repeats = 0
    for name, es in entries.items():
        unique = list(dict.fromkeys(es))
        repeats += len(es) - len(unique)
        entries[name] = unique
    if repeats:
        notes.append(
            f"dropped {count(repeats, 'repeated entry', 'repeated entries')} within a category"
        )
    where = Counter(e for es in entries.values() for e in es)
    shared = {e for e, n in where.items() if n > 1}
    if shared:
        copies = sum(where[e] for e in shared)
        entries = {n: [e for e in es if e not in shared] for n, es in entries.items()}
        notes.append(
            f"dropped {count(len(shared), 'entry', 'entries')} found in several categories "
            f"({copies} copies)"
        )
    return entries, notes


def check_max_chars(max_chars: int | None) -> None:
    """``ConfigError`` unless ``max_chars`` is ``None`` or a positive whole number."""
    if max_chars is None:
        return
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1:
        raise ConfigError(
            f"data.options.max_chars: expected a positive whole number or None, got {max_chars!r}"
        )


def load_fortunes(
    *,
    language: Literal["en", "es"] = "en",
    min_class_size: int = 100,
    categories: list[str] | None = None,
    max_chars: int | None = 1000,
) -> DataBundle:
    """Fortunes: topic of a fortune-file entry, English (fortunes) or Spanish (fortunes-es).

    Args:
        language: ``"en"`` (Debian's ``fortunes``: 43 categories, about
            15,000 entries) or ``"es"`` (``fortunes-es``: 24 categories,
            about 10,800 entries).
        min_class_size: classes with fewer entries (after the drops) are dropped.
        categories: the categories to read (file names without
            ``.fortunes``); default all of them.
        max_chars: entries longer than this are dropped (``None``: none is).

    Returns:
        A text bundle: ``x`` the entries (object array of ``str``), one class
        per category, sorted by name, the entries in file order; no test split.

    Raises:
        ConfigError: an option out of range, an unknown category.
        DataError: no fortune files (saying how to install them), a file that
            is not UTF-8, no class with ``min_class_size`` entries.

    Example:
        >>> import tempfile
        >>> from unittest import mock
        >>> d = Path(tempfile.mkdtemp())
        >>> _ = (d / "cats").write_text("Meow.\\n%\\nPurr.\\n%\\n")
        >>> _ = (d / "dogs").write_text("Woof.\\n%\\n")
        >>> with mock.patch.dict(os.environ, {"TRAINLAB_FORTUNES": str(d)}):
        ...     b = load_fortunes(min_class_size=2)
        >>> b.train.x.tolist(), b.classes, b.notes
        (['Meow.', 'Purr.'], ['cats'], ['dropped 1 class with fewer than 2 entries: dogs (1)'])
    """
    _language(language)
    check_max_chars(max_chars)
    if (
        isinstance(min_class_size, bool)
        or not isinstance(min_class_size, int)
        or min_class_size < 1
    ):
        raise ConfigError(
            f"data.options.min_class_size: expected a positive whole number, got {min_class_size!r}"
        )
    folder = fortunes_folder(language)
    entries, notes = read_fortunes(folder, categories, max_chars)
    small = {n: len(es) for n, es in entries.items() if len(es) < min_class_size}
    if small:
        listed = ", ".join(f"{n} ({k})" for n, k in small.items())
        notes.append(
            f"dropped {count(len(small), 'class', 'classes')} with fewer than {min_class_size} "
            f"entries: {listed}"
        )
    kept = [n for n in entries if n not in small]
    if not kept:
        raise DataError(
            f"fortunes: no category of {folder} has {min_class_size} entries (the largest has "
            f"{max(map(len, entries.values()), default=0)}); lower data.options.min_class_size"
        )
    items = [TextItem(e, n) for n in kept for e in entries[n]]
    return text_bundle(items, dataset="fortunes", source=str(folder), notes=notes)
