"""Text files in one subfolder per class, like ``audio-folder`` for text: each file one example.

``root/<class>/**/<file>.txt``: the sorted names of the (non-hidden)
subfolders are the classes; ``.txt`` files (any case of the suffix) are read,
hidden files and folders skipped. A root holding ``train/`` and ``test/``
(each with one subfolder per class) gives the data set its own test split;
every class of ``test/`` must be one of ``train/``. A file is read as UTF-8
(a byte-order mark accepted) and stripped of surrounding white space. A file
that is not UTF-8 (the byte offset of the first bad byte is named), cannot be
read, or is empty after stripping is unusable: ``on_error="fail"`` stops with
a ``DataError`` naming it, ``"skip"`` leaves it out with a warning
(``bundle.notes`` counts them; a class left without a file is dropped).

Example:
    >>> import tempfile
    >>> from trainlab.data.datasets.text.text_folder import load_text_folder
    >>> root = Path(tempfile.mkdtemp())
    >>> for cls, text in (("spam", "Win money now!"), ("ham", "See you at noon.")):
    ...     (root / cls).mkdir()
    ...     _ = (root / cls / "1.txt").write_text(text + "\\n", encoding="utf-8")
    >>> b = load_text_folder(path=root)
    >>> b.train.x.tolist(), b.classes, b.train.y.tolist()
    (['See you at noon.', 'Win money now!'], ['ham', 'spam'], [0, 1])
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Literal

from trainlab.core.errors import DataError
from trainlab.core.words import count
from trainlab.data._bundle import DataBundle
from trainlab.data.datasets._folders import class_folders, split_layout
from trainlab.data.datasets.text._texts import (
    TextItem,
    check_on_error,
    read_text,
    text_bundle,
    unusable,
)

#: the suffixes read as text (compared in lower case)
TEXT_SUFFIXES: tuple[str, ...] = (".txt",)


def list_texts(folder: Path) -> list[Path]:
    """The ``.txt`` files under ``folder`` (recursively), sorted, skipping hidden ones.

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> for name in ("b.TXT", "a.txt", ".c.txt", "d.md"):
        ...     _ = (d / name).write_text("x")
        >>> [p.name for p in list_texts(d)]
        ['a.txt', 'b.TXT']
    """
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(
            Path(dirpath) / name
            for name in filenames
            if not name.startswith(".") and name.lower().endswith(TEXT_SUFFIXES)
        )
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def _files(split: str, folder: Path) -> list[tuple[Path, str]]:
    """(file, class name) of the class folders of one split; a folder without files warned of."""
    files = []
    for class_dir in class_folders(folder, "text files", "<file>.txt"):
        found = list_texts(class_dir)
        if not found:
            why = "; it is not a class" if split == "train" else ""
            warnings.warn(
                f"text-folder: class folder {class_dir} holds no .txt file{why}",
                stacklevel=4,
            )
        files.extend((f, class_dir.name) for f in found)
    return files


def _read(files: list[tuple[Path, str]], split: str, on_error: str) -> tuple[list[TextItem], int]:
    """The usable files as items, and how many were skipped."""
    items, skipped = [], 0
    for path, label in files:
        try:
            text = read_text(path).strip()
            if not text:
                raise DataError(f"{path}: empty text (only white space)")
        except DataError as exc:
            unusable("text-folder", str(exc), on_error)
            skipped += 1
            continue
        items.append(TextItem(text, label, split, str(path)))
    return items, skipped


def load_text_folder(*, path: str | Path, on_error: Literal["fail", "skip"] = "fail") -> DataBundle:
    """Text files in one subfolder per class (txt, UTF-8), each file one example.

    Args:
        path: the root folder: one subfolder per class, or ``train/`` and
            ``test/`` with one subfolder per class each.
        on_error: ``"fail"`` on an unusable file (not UTF-8, unreadable, empty)
            with a ``DataError`` naming it, or ``"skip"`` it with a warning.

    Returns:
        A text bundle: ``x`` the files' texts (object array of ``str``),
        stripped; the ``test/`` files as its test split.

    Raises:
        ConfigError: ``on_error`` is neither ``"fail"`` nor ``"skip"``.
        DataError: no such folder, no class folders, no (usable) text file, an
            unusable file, a ``test/`` class that ``train/`` lacks, or
            ``train/`` and ``test/`` beside other folders.
    """
    check_on_error(on_error)
    root = Path(path).expanduser()
    items, skipped, listed = [], 0, set()
    for split, folder in split_layout(root, "text files", "<file>.txt"):
        files = _files(split, folder)
        listed |= {label for _, label in files if split == "train"}
        got, n = _read(files, split, on_error)
        items += got
        skipped += n
    if not any(i.split == "train" for i in items):
        what = "usable " if skipped else ""
        raise DataError(f"{root}: no {what}.txt files in the class subfolders")
    notes = [f"skipped {count(skipped, 'unusable text file')}"] if skipped else []
    for label in sorted(listed - {i.label for i in items if i.split == "train"}):
        warnings.warn(
            f"text-folder: class {label!r} has no usable text file; it is not a class",
            stacklevel=2,
        )
        notes.append(f"class {label!r} dropped: no usable text file")
    return text_bundle(items, dataset="text-folder", source=str(root), notes=notes)
