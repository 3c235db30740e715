"""Images in one subfolder per class, the layout of torchvision's ``ImageFolder``.

``root/<class>/**/<image>``: the sorted names of the (non-hidden) subfolders
are the classes. Images are read with Pillow and kept as uint8 ``(C, H, W)``
arrays, C = 1 for grayscale and 3 for colour; EXIF orientation is applied.
Images of mixed sizes stay a list and are made uniform by
``preprocess.image`` (pad, crop or squish), so the loader never resamples.
:func:`index_image_folder` lists the same files and labels without decoding
one, for data sets that do not fit in memory (``trainlab.data.stream``).

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from PIL import Image
    >>> from trainlab.data.datasets import load_dataset
    >>> root = Path(tempfile.mkdtemp())
    >>> for cls in ("cat", "dog"):
    ...     (root / cls).mkdir()
    ...     Image.new("RGB", (5, 4), "red").save(root / cls / "a.png")
    >>> b = load_dataset("image-folder", {"path": str(root)})
    >>> b.train.x.shape, b.classes, b.train.y.tolist()
    ((2, 3, 4, 5), ['cat', 'dog'], [0, 1])
"""

from __future__ import annotations

import os
import struct
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from trainlab.core.errors import ConfigError, DataError
from trainlab.data._bundle import ArrayData, DataBundle
from trainlab.data.datasets._folders import class_folders

#: file name extensions read as images (case-insensitive)
EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")


def _hidden(name: str) -> bool:
    return name.startswith(".")


def list_images(folder: Path) -> list[Path]:
    """Image files under ``folder`` (recursively), sorted, skipping hidden files and folders."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not _hidden(d))
        for name in sorted(filenames):
            if not _hidden(name) and name.lower().endswith(EXTENSIONS):
                found.append(Path(dirpath) / name)
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def _to_uint8(a: np.ndarray, mode: str) -> np.ndarray:
    """Deep grayscale to 0..255: 16-bit by 1/257, float in [0, 1] by 255, 0..255 as is."""
    a = np.asarray(a, dtype=np.float64)
    lo, hi = (float(a.min()), float(a.max())) if a.size else (0.0, 0.0)
    if mode.startswith("I;16"):
        a = a / 257.0
    elif mode == "F" and lo >= 0.0 and hi <= 1.0:
        a = a * 255.0
    elif lo < 0.0 or hi > 255.0:
        if lo < 0.0 or hi > 65535.0:
            raise ValueError(f"{mode} values in [{lo}, {hi}] fit no 8- or 16-bit range")
        a = a / 257.0
    return np.clip(np.rint(a), 0, 255).astype(np.uint8)


def read_image(path: Path) -> np.ndarray:
    """One image as uint8 ``(C, H, W)``: C = 1 for grayscale, 3 for anything in colour.

    Palette, RGBA, CMYK and other colour modes become RGB; LA and bilevel
    become L; 16-bit grayscale is scaled to 0..255.

    Raises:
        OSError, ValueError, ...: whatever Pillow raises for an unreadable file.

    Example:
        >>> import tempfile
        >>> from PIL import Image
        >>> p = Path(tempfile.mkdtemp()) / "g.png"
        >>> Image.new("LA", (3, 2)).save(p)
        >>> read_image(p).shape
        (1, 2, 3)
    """
    from PIL import Image, ImageOps

    with Image.open(path) as im:
        im.load()
        im = ImageOps.exif_transpose(im)
        mode = im.mode
        if mode == "L":
            a = np.asarray(im, dtype=np.uint8)
        elif mode in ("LA", "1"):
            a = np.asarray(im.convert("L"), dtype=np.uint8)
        elif mode.startswith("I") or mode == "F":
            a = _to_uint8(np.asarray(im), mode)
        elif mode == "RGB":
            a = np.asarray(im, dtype=np.uint8)
        else:  # P, PA, RGBA, RGBX, CMYK, YCbCr, LAB, HSV, ...
            a = np.asarray(im.convert("RGB"), dtype=np.uint8)
    if a.ndim == 2:
        return np.ascontiguousarray(a[None])  # (1, H, W)
    return np.ascontiguousarray(a.transpose(2, 0, 1))  # (H, W, 3) -> (3, H, W)


def _read_errors() -> tuple[type[BaseException], ...]:
    """What Pillow raises for a corrupt, truncated or unsupported file."""
    from PIL import Image

    return (
        OSError,
        ValueError,
        SyntaxError,
        EOFError,
        struct.error,
        zlib.error,
        IndexError,
        Image.DecompressionBombError,
    )


def decode_image(path: Path) -> np.ndarray:
    """:func:`read_image`, with any failure to decode a one-line ``DataError`` naming the file.

    Example:
        >>> import tempfile
        >>> bad = Path(tempfile.mkdtemp()) / "bad.png"
        >>> _ = bad.write_bytes(b"not a png")
        >>> try:
        ...     decode_image(bad)
        ... except DataError as e:
        ...     print(str(e).split(" (")[0].endswith("bad.png: unreadable image"))
        True
    """
    try:
        return read_image(path)
    except _read_errors() as exc:
        raise DataError(f"{path}: unreadable image ({_reason(exc)})") from None


def _reason(exc: BaseException) -> str:
    return " ".join(f"{exc.__class__.__name__}: {exc}".split())  # one line


@dataclass(frozen=True, eq=False)
class FolderIndex:
    """The image files of a class-per-subfolder folder and their labels, none decoded.

    Attributes:
        root: the folder.
        paths: every image file, class by class, in the loader's order.
        labels: ``(N,)`` int64, the index of each file's class in ``classes``.
        classes: the names of the class subfolders that hold image files, sorted.
    """

    root: Path
    paths: tuple[Path, ...]
    labels: np.ndarray
    classes: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.paths)

    def bundle(self) -> DataBundle:
        """An image bundle whose ``x`` is an object array of the file paths (as ``str``).

        ``select_classes``, ``limit_bundle`` and ``split_bundle`` work on it as
        on decoded images (they only index ``x``); ``trainlab.data.stream``
        decodes the files of each part as it is read.

        Example:
            >>> import tempfile
            >>> from PIL import Image
            >>> root = Path(tempfile.mkdtemp())
            >>> (root / "a").mkdir()
            >>> Image.new("L", (2, 2)).save(root / "a" / "1.png")
            >>> b = index_image_folder(path=root).bundle()
            >>> b.train.x.dtype.name, b.train.x[0].endswith("1.png"), b.classes
            ('object', True, ['a'])
        """
        x = np.empty(len(self.paths), dtype=object)
        x[:] = [str(p) for p in self.paths]
        return DataBundle(
            name="image-folder",
            modality="image",
            train=ArrayData(x, self.labels),
            classes=list(self.classes),
            source=str(self.root),
            notes=["index only: the images are decoded as they are streamed"],
        )


def index_image_folder(*, path: str | Path) -> FolderIndex:
    """The image files of ``path`` and their class labels, found as the loader finds them.

    No image is opened, so an unreadable file is found only when it is read
    (``trainlab.data.stream`` then fails with a ``DataError`` naming it), and a
    class folder is dropped (with a warning) only when it holds no image file
    at all; :func:`load_image_folder` also drops one whose every image is
    unreadable.

    Args:
        path: the root folder; each non-hidden subfolder is a class.

    Returns:
        A :class:`FolderIndex`.

    Raises:
        DataError: no such folder, no class subfolders, or no image files.

    Example:
        >>> import tempfile
        >>> from PIL import Image
        >>> root = Path(tempfile.mkdtemp())
        >>> for cls in ("b", "a"):
        ...     (root / cls).mkdir()
        ...     Image.new("RGB", (3, 3)).save(root / cls / "x.jpg")
        >>> ix = index_image_folder(path=root)
        >>> ix.classes, ix.labels.tolist(), [p.parent.name for p in ix.paths]
        (('a', 'b'), [0, 1], ['a', 'b'])
    """
    root = Path(path).expanduser()
    paths: list[Path] = []
    labels: list[int] = []
    classes: list[str] = []
    for class_dir in class_folders(root, "images", "<image>"):
        files = list_images(class_dir)
        if not files:
            warnings.warn(
                f"image-folder: class folder {class_dir} holds no image file; it is not a class",
                stacklevel=2,
            )
            continue
        paths.extend(files)
        labels.extend([len(classes)] * len(files))
        classes.append(class_dir.name)
    if not paths:
        raise DataError(f"{root}: no image files in the class subfolders (looked for {_exts()})")
    return FolderIndex(root, tuple(paths), np.asarray(labels, dtype=np.int64), tuple(classes))


def _exts() -> str:
    return ", ".join(e.lstrip(".") for e in EXTENSIONS)


def load_image_folder(
    *, path: str | Path, on_error: Literal["skip", "fail"] = "skip"
) -> DataBundle:
    """Images in one subfolder per class (png, jpg, bmp, gif, webp, tiff), read with Pillow.

    Args:
        path: the root folder; each non-hidden subfolder is a class.
        on_error: ``"skip"`` an unreadable image with a warning naming it, or
            ``"fail"`` with a ``DataError`` naming it.

    Returns:
        An image bundle without a test split: ``x`` a uint8 ``(N, C, H, W)``
        array when every image has one shape, else a list of ``(C, H, W)``
        arrays. A class folder left without images is dropped, with a warning.

    Raises:
        DataError: no such folder, no class subfolders, or no images.

    Example:
        >>> import tempfile
        >>> from PIL import Image
        >>> root = Path(tempfile.mkdtemp())
        >>> (root / "a").mkdir(); (root / "b").mkdir()
        >>> Image.new("L", (4, 4)).save(root / "a" / "1.png")
        >>> Image.new("RGB", (6, 3)).save(root / "b" / "2.jpg")
        >>> b = load_image_folder(path=root)
        >>> [im.shape for im in b.train.x]
        [(1, 4, 4), (3, 3, 6)]
    """
    if on_error not in ("skip", "fail"):
        raise ConfigError(f"data.options.on_error: expected 'skip' or 'fail', got {on_error!r}")
    root = Path(path).expanduser()
    images: list[np.ndarray] = []
    labels: list[int] = []
    classes: list[str] = []
    notes: list[str] = []
    skipped = 0
    for class_dir in class_folders(root, "images", "<image>"):
        kept, unreadable = _read_class(class_dir, on_error)
        skipped += unreadable
        if not kept:
            warnings.warn(
                f"image-folder: class folder {class_dir} holds no readable image; "
                "it is not a class",
                stacklevel=2,
            )
            notes.append(f"class folder {class_dir.name!r} dropped: no readable image")
            continue
        images.extend(kept)
        labels.extend([len(classes)] * len(kept))
        classes.append(class_dir.name)
    if not images:
        raise DataError(
            f"{root}: no readable images in the class subfolders (looked for {_exts()})"
        )
    if skipped:
        notes.append(f"skipped {skipped} unreadable image{'s' if skipped > 1 else ''}")
    shapes = {im.shape for im in images}
    x: np.ndarray | list = np.stack(images) if len(shapes) == 1 else images
    return DataBundle(
        name="image-folder",
        modality="image",
        train=ArrayData(x, np.asarray(labels, dtype=np.int64)),
        classes=classes,
        source=str(root),
        notes=notes,
    )


def _read_class(class_dir: Path, on_error: str) -> tuple[list[np.ndarray], int]:
    """The readable images of one class folder, and how many were skipped as unreadable.

    With ``on_error="fail"`` an unreadable image is a ``DataError``; with ``"skip"``
    a warning (attributed to the caller of :func:`load_image_folder`).
    """
    kept = []
    skipped = 0
    for file in list_images(class_dir):
        try:
            kept.append(read_image(file))
        except _read_errors() as exc:
            reason = _reason(exc)
            if on_error == "fail":
                raise DataError(f"{file}: unreadable image ({reason})") from None
            warnings.warn(f"image-folder: skipped unreadable image {file} ({reason})", stacklevel=3)
            skipped += 1
    return kept, skipped
