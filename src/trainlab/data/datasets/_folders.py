"""Folders of examples, one subfolder per class: finding the classes, and a train/test layout.

Shared by the image, audio, text and video folder loaders; ``files`` and
``example`` word the messages for each (``"images"``, ``"<image>"``).

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from trainlab.data.datasets._folders import class_folders, split_layout
    >>> root = Path(tempfile.mkdtemp())
    >>> for name in ("b", "a", ".hidden"):
    ...     (root / name).mkdir()
    >>> [p.name for p in class_folders(root, "images", "<image>")]
    ['a', 'b']
    >>> [split for split, _ in split_layout(root, "images", "<image>")]
    ['train']
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

from trainlab.core.errors import DataError


def class_folders(root: Path, files: str, example: str) -> list[Path]:
    """The non-hidden subfolders of ``root``, sorted by name; ``DataError`` when there are none.

    Args:
        root: the folder.
        files: what a class folder holds, for messages ("images", "audio files").
        example: one such file in a path, for messages ("<image>", "<file>.txt").
    """
    if not root.is_dir():
        what = "not a folder" if root.exists() else "no such folder"
        raise DataError(f"{root}: {what} (expected one subfolder of {files} per class)")
    folders = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.name,
    )
    if not folders:
        raise DataError(f"{root}: no class subfolders (expected {root}/<class>/{example})")
    return folders


def split_layout(root: Path, files: str, example: str) -> list[tuple[str, Path]]:
    """``[("train", root)]``, or the ``train/`` and ``test/`` folders of a split layout."""
    names = {p.name for p in class_folders(root, files, example)}
    if "train" not in names and "test" not in names:
        return [("train", root)]
    others = sorted(names - {"train", "test"})
    if others:
        raise DataError(
            f"{root}: holds train/ or test/ beside other folders ({', '.join(others)}); expected "
            "train/ and test/ with one subfolder per class each, or one subfolder per class"
        )
    if "train" not in names:
        raise DataError(f"{root}: holds test/ but no train/ (expected {root}/train/<class>/...)")
    return [(split, root / split) for split in ("train", "test") if split in names]


def labelled_files(
    root: Path, files: str, example: str, listed: Callable[[Path], list[Path]], loader: str
) -> list[tuple[Path, str, str]]:
    """Every file ``listed`` finds in the class folders of ``root``: ``(path, class, split)``.

    The layout is :func:`split_layout`'s; a ``test/`` class must be one of
    ``train/``'s (those with files); a class folder without files is left out,
    with a warning naming ``loader``.

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> for split, cls in [("train", "b"), ("train", "a"), ("test", "a")]:
        ...     (root / split / cls).mkdir(parents=True)
        ...     _ = (root / split / cls / "x.bin").write_bytes(b"")
        >>> [(c, s) for _, c, s in labelled_files(root, "files", "<file>",
        ...                                       lambda d: sorted(d.iterdir()), "demo")]
        [('a', 'train'), ('b', 'train'), ('a', 'test')]
    """
    found: list[tuple[Path, str, str]] = []
    classes: list[str] | None = None
    for split, folder in split_layout(root, files, example):
        for class_dir in class_folders(folder, files, example):
            if classes is not None and class_dir.name not in classes:
                raise DataError(
                    f"{class_dir}: class {class_dir.name!r} of the test split is not a class "
                    f"of train/ (expected one of: {', '.join(classes)})"
                )
            paths = listed(class_dir)
            if not paths:
                why = "; it is not a class" if split == "train" else ""
                warnings.warn(
                    f"{loader}: class folder {class_dir} holds no {files[:-1]}{why}",
                    stacklevel=4,
                )
            found.extend((f, class_dir.name, split) for f in paths)
        if split == "train":
            classes = sorted({label for _, label, _ in found})
    return found
