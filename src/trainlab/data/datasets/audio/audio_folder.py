"""Audio files in one subfolder per class, like ``image-folder`` for sounds.

``root/<class>/**/<file>``: the sorted names of the (non-hidden) subfolders
are the classes; WAV, FLAC, OGG and MP3 files (any case of the suffix) are
read, hidden files and folders skipped. A root holding ``train/`` and
``test/`` (each with one subfolder per class) gives the data set its own test
split; every class of ``test/`` must be one of ``train/``. Every file becomes
one clip: mixed down to mono, resampled to ``sample_rate`` and cut or padded
to ``seconds`` (see :mod:`~trainlab.data.datasets.audio._clips`).
:func:`index_audio_folder` lists the same files and labels without decoding
one, for folders that do not fit in memory (``trainlab.data.stream``).

Example:
    >>> import tempfile
    >>> import numpy as np, soundfile
    >>> from trainlab.data.datasets.audio.audio_folder import load_audio_folder
    >>> root = Path(tempfile.mkdtemp())
    >>> for cls in ("no", "yes"):
    ...     (root / cls).mkdir()
    ...     soundfile.write(root / cls / "a.wav", np.zeros(800, np.float32), 8000)
    >>> b = load_audio_folder(path=root, sample_rate=8000, seconds=0.5)
    >>> b.train.x.shape, b.classes, b.train.y.tolist(), b.sample_rate
    ((2, 1, 4000), ['no', 'yes'], [0, 1], 8000)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from trainlab.core.errors import DataError
from trainlab.data._bundle import ArrayData, DataBundle
from trainlab.data.datasets._folders import labelled_files
from trainlab.data.datasets.audio._clips import (
    ClipSpec,
    Item,
    check_on_error,
    is_audio,
    load_clips,
    suffixes,
)


def list_audio(folder: Path) -> list[Path]:
    """Audio files under ``folder`` (recursively), sorted, skipping hidden files and folders.

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> for name in ("b.WAV", "a.mp3", ".c.wav", "d.txt"):
        ...     _ = (d / name).write_bytes(b"")
        >>> [p.name for p in list_audio(d)]
        ['a.mp3', 'b.WAV']
    """
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(Path(dirpath) / name for name in filenames if is_audio(name))
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


@dataclass(frozen=True, eq=False)
class AudioFolderIndex:
    """The audio files of a class-per-subfolder folder and their labels, none decoded.

    Attributes:
        root: the folder.
        items: every file with its class name and split (``train`` or ``test``).
        classes: the names of the training class folders that hold audio files, sorted.
    """

    root: Path
    items: tuple[Item, ...]
    classes: tuple[str, ...]

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

    def bundle(self, sample_rate: int | None = None) -> DataBundle:
        """An audio bundle whose ``x`` holds the file paths; ``trainlab.data.stream`` decodes them.

        Example:
            >>> import tempfile, soundfile
            >>> root = Path(tempfile.mkdtemp())
            >>> (root / "a").mkdir()
            >>> soundfile.write(root / "a" / "1.wav", np.zeros(8, np.float32), 8000)
            >>> b = index_audio_folder(path=root).bundle(8000)
            >>> b.train.x.dtype.name, b.train.x[0].endswith("1.wav"), b.classes, b.test
            ('object', True, ['a'], None)
        """
        train = self.part("train")
        assert train is not None  # an index holds training files
        return DataBundle(
            name="audio-folder",
            modality="audio",
            train=train,
            test=self.part("test"),
            classes=list(self.classes),
            source=str(self.root),
            notes=["index only: the audio files are decoded as they are streamed"],
            sample_rate=sample_rate,
        )


def index_audio_folder(*, path: str | Path) -> AudioFolderIndex:
    """The audio files of ``path`` and their class labels, found as the loader finds them.

    No file is opened: an unusable one is found when it is read. A class
    folder without audio files is left out, with a warning.

    Raises:
        DataError: no such folder, no class subfolders, no audio files, a
            ``test/`` class that ``train/`` lacks, or ``train/`` and ``test/``
            beside other folders.

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> for split, cls in [("train", "b"), ("train", "a"), ("test", "a")]:
        ...     (root / split / cls).mkdir(parents=True)
        ...     _ = (root / split / cls / "x.flac").write_bytes(b"")
        >>> ix = index_audio_folder(path=root)
        >>> ix.classes, [(i.split, i.label) for i in ix.items]
        (('a', 'b'), [('train', 'a'), ('train', 'b'), ('test', 'a')])
    """
    root = Path(path).expanduser()
    listed = labelled_files(root, "audio files", "<audio file>", list_audio, "audio-folder")
    items = [Item(*found) for found in listed]
    classes = sorted({i.label for i in items if i.split == "train"})
    if not any(i.split == "train" for i in items):
        raise DataError(f"{root}: no audio files in the class subfolders (looked for {suffixes()})")
    return AudioFolderIndex(root, tuple(items), tuple(classes or ()))


def load_audio_folder(
    *,
    path: str | Path,
    sample_rate: int = 16_000,
    seconds: float | None = 1.0,
    crop: Literal["centre", "start"] = "centre",
    mono: bool = True,
    resample: bool = True,
    on_error: Literal["fail", "skip"] = "fail",
) -> DataBundle:
    """Audio in one subfolder per class (wav, flac, ogg, mp3), as fixed-length clips.

    Args:
        path: the root folder: one subfolder per class, or ``train/`` and
            ``test/`` with one subfolder per class each.
        sample_rate: the clips' rate in Hz; other rates are resampled.
        seconds: each clip's duration (``None``: the longest file's).
        crop: cut or pad about the ``"centre"`` or from the ``"start"``.
        mono: mix the channels down to one; ``False`` keeps them (every file
            must then have as many channels as the first).
        resample: ``False`` makes a file at another rate unusable.
        on_error: ``"fail"`` on an unusable file with a ``DataError`` naming
            it, or ``"skip"`` it with a warning naming it and the reason.

    Returns:
        An audio bundle: ``x`` float32 ``(N, C, L)`` in [−1, 1] (C = 1 when
        mono), ``sample_rate`` set, the ``test/`` files as its test split.

    Raises:
        ConfigError: an option out of range.
        DataError: no such folder, no class folders, no (readable) audio, or
            an unusable file (see :func:`trainlab.core.audio_file.read_audio`).
    """
    spec = ClipSpec(sample_rate, seconds, crop, mono, resample)
    check_on_error(on_error)
    index = index_audio_folder(path=path)
    return load_clips(
        index.items, spec, dataset="audio-folder", source=str(index.root), on_error=on_error
    )
