"""Video files in one subfolder per class, like ``image-folder`` for clips.

``root/<class>/**/<file>``: the sorted names of the (non-hidden) subfolders
are the classes; MP4, AVI, WebM, MKV and MOV files (any case of the suffix)
are read with PyAV (:func:`trainlab.core.video_file.read_video`), hidden
files and folders skipped. A root holding ``train/`` and ``test/`` (each
with one subfolder per class) gives the data set its own test split; every
class of ``test/`` must be one of ``train/``. Every file becomes one clip of
``frames`` frames, each resized to ``size`` as it is decoded (area
interpolation) and converted to RGB or grayscale: the frames are sampled
uniformly over the clip's time (the frame nearest to each of ``frames``
evenly spaced times from the first frame to the last, so a variable frame
rate is sampled by time, not by count); a clip with fewer frames keeps them
all and repeats its last one (``on_short="pad"``, with a warning) or is an
error (``"fail"``).

:func:`index_video_folder` lists the files, their classes and splits without
opening one; the in-memory loader reads the files of that index, in its
order, and so does the streamed one (``trainlab.data.stream.video``), each
file through :func:`decode_clip`. With ``cache``, each file's sampled clip is
kept as a ``.npy`` file and read back on the next load
(:mod:`~trainlab.data.datasets.video.frame_cache`).

Example:
    >>> import tempfile
    >>> import numpy as np
    >>> from pathlib import Path
    >>> from trainlab.core.video_file import write_video
    >>> from trainlab.data.datasets import load_dataset
    >>> root = Path(tempfile.mkdtemp())
    >>> for cls in ("still", "flash"):
    ...     _ = write_video(root / cls / "a.mkv", np.zeros((6, 8, 8, 3), np.uint8), codec="ffv1")
    >>> b = load_dataset("video-folder", {"path": str(root), "frames": 4, "size": [4, 4]})
    >>> b.train.x.shape, b.modality, b.classes, b.train.y.tolist()
    ((2, 4, 3, 4, 4), 'video', ['flash', 'still'], [0, 1])
"""

from __future__ import annotations

import inspect
import os
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from trainlab.core.errors import ConfigError, DataError
from trainlab.core.video_file import MAX_PIXELS, VIDEO_SUFFIXES, read_video
from trainlab.core.words import count
from trainlab.data._bundle import ArrayData, DataBundle
from trainlab.data.datasets._folders import labelled_files
from trainlab.data.datasets.video.frame_cache import FrameCache


def is_video(name: str) -> bool:
    """Whether a file name is read as video: a suffix of ``VIDEO_SUFFIXES`` (any case), not hidden.

    Example:
        >>> is_video("a.MP4"), is_video(".a.mkv"), is_video("a.gif")
        (True, False, False)
    """
    return not name.startswith(".") and name.lower().endswith(VIDEO_SUFFIXES)


def list_videos(folder: Path) -> list[Path]:
    """Video files under ``folder`` (recursively), sorted, skipping hidden files and folders."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath) / name for name in filenames if is_video(name))
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def uniform_indices(times: np.ndarray, frames: int) -> np.ndarray:
    """The frames nearest to ``frames`` evenly spaced times from the first frame's to the last's.

    With at least ``frames`` frames at a constant rate, they are distinct.

    Example:
        >>> uniform_indices(np.arange(10) / 25, 4).tolist()
        [0, 3, 6, 9]
        >>> uniform_indices(np.array([0.0, 0.1, 0.2, 1.0]), 3).tolist()  # by time
        [0, 2, 3]
    """
    times = np.asarray(times, dtype=np.float64)
    if len(times) == 1:
        return np.zeros(frames, dtype=np.int64)
    wanted = np.linspace(times[0], times[-1], frames)
    right = np.clip(np.searchsorted(times, wanted), 1, len(times) - 1)
    left = right - 1
    nearer_left = np.abs(wanted - times[left]) <= np.abs(times[right] - wanted)
    return np.where(nearer_left, left, right).astype(np.int64)


@dataclass(frozen=True)
class VideoItem:
    """One video file of a folder: its path, its class name, and its split (train or test)."""

    path: Path
    label: str
    split: str


@dataclass(frozen=True)
class VideoFolderIndex:
    """The video files of a class-per-subfolder folder and their labels, none decoded.

    The in-memory loader and the streamed one (``trainlab.data.stream.video``)
    both read the files of this index, in its order.

    Attributes:
        root: the folder.
        items: every file with its class name and split, in the loaders' order.
        classes: the names of the training class folders that hold video files, sorted.
        notes: what was done to the files (see :meth:`without`).
    """

    root: Path
    items: tuple[VideoItem, ...]
    classes: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.items)

    def part(self, split: str) -> ArrayData | None:
        """The files of one split: ``x`` an object array of paths (``str``), ``y`` their labels."""
        chosen = [i for i in self.items if i.split == split]
        if not chosen:
            return None
        x = np.empty(len(chosen), dtype=object)
        x[:] = [str(i.path) for i in chosen]
        index = {c: k for k, c in enumerate(self.classes)}
        return ArrayData(x, np.asarray([index[i.label] for i in chosen], dtype=np.int64))

    def bundle(self) -> DataBundle:
        """A video bundle whose ``x`` holds the file paths; ``trainlab.data.stream`` decodes them.

        Example:
            >>> import tempfile
            >>> root = Path(tempfile.mkdtemp())
            >>> (root / "a").mkdir()
            >>> _ = (root / "a" / "1.mp4").write_bytes(b"")
            >>> b = index_video_folder(path=root).bundle()
            >>> b.train.x.dtype.name, b.train.x[0].endswith("1.mp4"), b.classes, b.modality
            ('object', True, ['a'], 'video')
        """
        train = self.part("train")
        assert train is not None  # an index holds training files
        return DataBundle(
            name="video-folder",
            modality="video",
            train=train,
            test=self.part("test"),
            classes=list(self.classes),
            source=str(self.root),
            notes=["index only: the video files are decoded as they are streamed", *self.notes],
        )

    def without(self, paths: set[Path]) -> VideoFolderIndex:
        """This index less the unusable files ``paths`` (the classes kept, a note added)."""
        items = tuple(i for i in self.items if i.path not in paths)
        n = len(self.items) - len(items)
        if not n:
            return self
        note = f"skipped {n} unusable video file{'s' if n > 1 else ''}"
        return VideoFolderIndex(self.root, items, self.classes, (*self.notes, note))


def index_video_folder(*, path: str | Path) -> VideoFolderIndex:
    """The video files of ``path`` and their class labels, found as the loader finds them.

    No file is opened. A class
    folder without video files is left out, with a warning.

    Raises:
        DataError: no such folder, no class subfolders, no video files, a
            ``test/`` class that ``train/`` lacks, or ``train/`` and ``test/``
            beside other folders.

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> for split, cls in [("train", "b"), ("train", "a"), ("test", "a")]:
        ...     (root / split / cls).mkdir(parents=True)
        ...     _ = (root / split / cls / "x.webm").write_bytes(b"")
        >>> ix = index_video_folder(path=root)
        >>> ix.classes, [(i.split, i.label) for i in ix.items]
        (('a', 'b'), [('train', 'a'), ('train', 'b'), ('test', 'a')])
    """
    root = Path(path).expanduser()
    listed = labelled_files(root, "video files", "<video file>", list_videos, "video-folder")
    items = [VideoItem(*found) for found in listed]
    classes = sorted({i.label for i in items if i.split == "train"})
    if not items:
        found = ", ".join(s.lstrip(".") for s in VIDEO_SUFFIXES)
        raise DataError(f"{root}: no video files in the class subfolders (looked for {found})")
    return VideoFolderIndex(root, tuple(items), tuple(classes or ()))


@dataclass(frozen=True)
class VideoSpec:
    """How a file becomes a clip: ``frames`` frames sampled by time, each resized to ``size``.

    Attributes:
        frames: frames per clip.
        size: ``(height, width)`` of every frame.
        channels: 3 for RGB, 1 for grayscale.
        on_short: a clip with fewer frames: ``"pad"`` (repeat its last frame) or ``"fail"``.
        max_pixels: the largest frame accepted (width times height).

    Example:
        >>> VideoSpec(frames=4, size=(8, 8)).shape
        (4, 3, 8, 8)
    """

    frames: int = 32
    size: tuple[int, int] = (64, 64)
    channels: int = 3
    on_short: str = "pad"
    max_pixels: int = MAX_PIXELS

    def __post_init__(self) -> None:
        object.__setattr__(self, "size", tuple(int(s) for s in self.size))

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> VideoSpec:
        """The spec that ``video-folder``'s ``data.options`` ask for (its defaults for the
        rest), checked as the loader checks them.

        Raises:
            ConfigError: an option out of range or of the wrong type.

        Example:
            >>> VideoSpec.from_options({"frames": 8, "size": [32, 48]}).shape
            (8, 3, 32, 48)
        """
        defaults = inspect.signature(load_video_folder).parameters
        o = {k: options.get(k, defaults[k].default) for k in defaults if k != "path"}
        try:
            frames, channels, max_pixels = (
                int(o["frames"]),
                int(o["channels"]),
                int(o["max_pixels"]),
            )
            size = tuple(int(s) for s in o["size"])
        except (TypeError, ValueError):
            raise ConfigError(
                "data.options: frames, channels and max_pixels must be integers and size "
                f"[height, width] for dataset 'video-folder', got frames={o['frames']!r}, "
                f"channels={o['channels']!r}, max_pixels={o['max_pixels']!r}, size={o['size']!r}"
            ) from None
        check_options(frames, size, o["on_short"], o["on_error"])
        if channels not in (1, 3):
            raise ConfigError(f"data.options.channels: expected 1 or 3, got {channels}")
        return cls(frames, size, channels, o["on_short"], max_pixels)

    @property
    def shape(self) -> tuple[int, int, int, int]:
        """``(frames, channels, height, width)`` of every clip."""
        return (self.frames, self.channels, *self.size)


def decode_clip(
    path: str | Path, spec: VideoSpec, cache: FrameCache | None = None
) -> tuple[np.ndarray, bool]:
    """One file as uint8 ``(frames, C, H, W)`` (``spec.shape``), and whether it was padded.

    With a ``cache``, a clip decoded before from the same file (unchanged) and
    spec is read back from it instead, and a decoded one is kept there.

    Raises:
        DataError: the file is unusable (see :func:`~trainlab.core.video_file.read_video`),
            or shorter than ``spec.frames`` with ``on_short="fail"``.

    Example:
        >>> import tempfile
        >>> from trainlab.core.video_file import write_video
        >>> p = write_video(Path(tempfile.mkdtemp()) / "a.mkv", np.zeros((3, 8, 8, 3), np.uint8),
        ...                 codec="ffv1")
        >>> clip, padded = decode_clip(p, VideoSpec(frames=5, size=(4, 4)))
        >>> clip.shape, padded
        ((5, 3, 4, 4), True)
    """
    path = Path(path)
    if cache is not None:
        hit = cache.get(path, spec)
        if hit is not None:
            return hit
    clip = read_video(path, size=spec.size, channels=spec.channels, max_pixels=spec.max_pixels)
    padded = len(clip) < spec.frames
    if padded:
        if spec.on_short == "fail":
            raise DataError(
                f"video file {path}: holds {len(clip)} frames, fewer than frames={spec.frames}; "
                "expected at least that many (or set data.options.on_short=pad)"
            )
        index = np.minimum(np.arange(spec.frames), len(clip) - 1)  # repeat the last frame
    else:
        index = uniform_indices(clip.times, spec.frames)
    out = np.ascontiguousarray(clip.frames[index].transpose(0, 3, 1, 2))
    if cache is not None:
        cache.put(path, spec, out, padded)
    return out, padded


def check_options(frames: int, size: tuple[int, int], on_short: str, on_error: str) -> None:
    """``ConfigError`` naming the first option of ``video-folder`` out of range."""
    if frames < 1:
        raise ConfigError(f"data.options.frames: expected an integer >= 1, got {frames}")
    if on_short not in ("pad", "fail"):
        raise ConfigError(f"data.options.on_short: expected 'pad' or 'fail', got {on_short!r}")
    if on_error not in ("fail", "skip"):
        raise ConfigError(f"data.options.on_error: expected 'fail' or 'skip', got {on_error!r}")
    if len(size) != 2 or min(size) < 1:
        raise ConfigError(f"data.options.size: expected [height, width] >= 1, got {list(size)}")


def decode_items(
    index: VideoFolderIndex, spec: VideoSpec, cache: FrameCache | None, on_error: str
) -> Iterator[tuple[VideoItem, np.ndarray | None, bool]]:
    """Every file of ``index`` decoded (:func:`decode_clip`): ``(item, clip, padded)``.

    An unusable file raises its ``DataError`` (``on_error="fail"``), or is named
    in a warning and given as ``(item, None, False)`` (``"skip"``).
    """
    for item in index.items:
        try:
            clip, padded = decode_clip(item.path, spec, cache)
        except DataError as exc:
            if on_error == "fail":
                raise
            warnings.warn(f"video-folder: skipped {exc}", stacklevel=3)
            yield item, None, False
            continue
        yield item, clip, padded


def _clips_by_split(
    index: VideoFolderIndex, spec: VideoSpec, cache: FrameCache | None, on_error: str
) -> tuple[dict[str, tuple[list[np.ndarray], list[int]]], int, int]:
    """The usable clips and labels of each split, and how many were padded and skipped."""
    label = {c: k for k, c in enumerate(index.classes)}
    parts: dict[str, tuple[list[np.ndarray], list[int]]] = {"train": ([], []), "test": ([], [])}
    padded, skipped = 0, 0
    for item, x, short in decode_items(index, spec, cache, on_error):
        if x is None:
            skipped += 1
            continue
        if short:
            warnings.warn(
                f"video-folder: {item.path} holds fewer than {spec.frames} frames; its last "
                "frame is repeated",
                stacklevel=3,
            )
            padded += 1
        parts[item.split][0].append(x)
        parts[item.split][1].append(label[item.label])
    return parts, padded, skipped


def load_video_folder(
    *,
    path: str | Path,
    frames: int = 32,
    size: tuple[int, int] = (64, 64),
    channels: Literal[1, 3] = 3,
    on_short: Literal["pad", "fail"] = "pad",
    on_error: Literal["fail", "skip"] = "fail",
    max_pixels: int = MAX_PIXELS,
    cache: bool | str = False,
) -> DataBundle:
    """Video in one subfolder per class (mp4, avi, webm, mkv, mov), as clips of equal length.

    Args:
        path: the root folder: one subfolder per class, or ``train/`` and
            ``test/`` with one subfolder per class each.
        frames: frames per clip, sampled uniformly over each clip's time.
        size: ``(height, width)`` every frame is resized to.
        channels: 3 for RGB, 1 for grayscale.
        on_short: a clip with fewer frames: ``"pad"`` it by repeating its
            last frame (with a warning), or ``"fail"`` with a ``DataError``.
        on_error: an unusable file: ``"fail"`` with a ``DataError`` naming
            it, or ``"skip"`` it with a warning naming it and the reason.
        max_pixels: the largest frame accepted (width times height).
        cache: keep each file's sampled clip as a ``.npy`` file and read it
            back on the next load (:mod:`~trainlab.data.datasets.video.frame_cache`):
            ``False`` (no cache), ``True`` (the user cache folder's
            ``video-frames``) or a folder.

    Returns:
        A video bundle: ``x`` uint8 ``(N, frames, channels, H, W)``, the
        ``test/`` files as its test split.

    Raises:
        ConfigError: an option out of range.
        DataError: no such folder, no class folders, no (usable) video, a
            ``test/`` class ``train/`` lacks, or an unusable file (see
            :func:`trainlab.core.video_file.read_video`).
    """
    spec = VideoSpec.from_options(
        {
            "frames": frames,
            "size": size,
            "channels": channels,
            "on_short": on_short,
            "on_error": on_error,
            "max_pixels": max_pixels,
        }
    )
    index = index_video_folder(path=path)
    parts, padded, skipped = _clips_by_split(index, spec, FrameCache.from_option(cache), on_error)
    if not parts["train"][0]:
        raise DataError(f"{index.root}: no usable video files in train ({skipped} skipped)")
    notes = [f"{frames} frames per clip, sampled uniformly by time, {size[0]}x{size[1]}"]
    if padded:
        notes.append(f"{count(padded, 'clip')} padded by repeating the last frame")
    if skipped:
        notes.append(f"skipped {count(skipped, 'unusable video file')}")
    data = {
        split: ArrayData(np.stack(xs), np.asarray(ys, dtype=np.int64))
        for split, (xs, ys) in parts.items()
        if xs
    }
    return DataBundle(
        name="video-folder",
        modality="video",
        train=data["train"],
        test=data.get("test"),
        classes=list(index.classes),
        source=str(index.root),
        notes=notes,
    )
