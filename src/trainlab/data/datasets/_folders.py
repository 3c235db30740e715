"""Folders of examples, one subfolder per class: finding the classes, and a train/test layout.

Shared by the image, audio and text folder loaders; ``files`` and ``example``
word the messages for each (``"images"``, ``"<image>"``).

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
