"""Audio files to fixed-length clips: the reading shared by the folder and manifest loaders.

A file is read with :func:`trainlab.core.audio_file.read_audio` (every way it
can be unusable is a one-line ``DataError`` naming it), mixed down to mono
(the mean of its channels) unless told otherwise, resampled to the wanted
rate (polyphase, the overshoot clipped to [−1, 1]) and cropped or zero-padded
to ``round(seconds · sample_rate)`` samples: ``crop="centre"`` keeps the
middle of a long clip and centres a short one in zeros, ``"start"`` keeps the
beginning and pads at the end. Files are decoded by a few threads
(libsndfile and the resampling release the GIL), and their results are taken
in file order, so errors, warnings and the arrays do not depend on timing.

Example:
    >>> import numpy as np
    >>> from trainlab.data.datasets.audio._clips import fit_length
    >>> fit_length(np.arange(1, 6, dtype=np.float32)[None], 3, "centre").tolist()
    [[2.0, 3.0, 4.0]]
    >>> fit_length(np.ones((1, 2), np.float32), 4, "start").tolist()
    [[1.0, 1.0, 0.0, 0.0]]
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from trainlab.core.audio_file import AUDIO_SUFFIXES, read_audio, resample
from trainlab.core.errors import ConfigError, DataError
from trainlab.core.words import count
from trainlab.data._bundle import ArrayData, DataBundle

#: where a clip is cut or padded to its length
CROPS: tuple[str, ...] = ("centre", "start")
#: what an unreadable file does: stop the load, or be left out with a warning
ON_ERROR: tuple[str, ...] = ("fail", "skip")
#: the splits an item may belong to
SPLITS: tuple[str, ...] = ("train", "test")


def is_audio(name: str) -> bool:
    """Whether a file name is read as audio: a suffix of ``AUDIO_SUFFIXES`` (any case), not hidden.

    Example:
        >>> is_audio("a.WAV"), is_audio(".a.wav"), is_audio("a.txt")
        (True, False, False)
    """
    return not name.startswith(".") and name.lower().endswith(AUDIO_SUFFIXES)


def suffixes() -> str:
    """The audio suffixes as a message lists them: ``wav, flac, ogg, mp3``."""
    return ", ".join(s.lstrip(".") for s in AUDIO_SUFFIXES)


@dataclass(frozen=True)
class ClipSpec:
    """How one audio file becomes one clip (C, L) float32; the options are checked here.

    Args:
        sample_rate: the clips' rate in Hz.
        seconds: the clips' duration (``None``: the longest file's).
        crop: ``"centre"`` or ``"start"`` (see the module's notes).
        mono: mix the channels down to one; else every file must have as many
            channels as the first.
        resample: resample a file at another rate (``False``: such a file is
            an error, or skipped).

    Raises:
        ConfigError: a value out of range, naming its ``data.options`` entry.

    Example:
        >>> ClipSpec(sample_rate=8000, seconds=0.5).length
        4000
        >>> ClipSpec(crop="end")
        Traceback (most recent call last):
        ...
        trainlab.core.errors.ConfigError: data.options.crop: expected 'centre' or 'start', got 'end'
    """

    sample_rate: int = 16_000
    seconds: float | None = 1.0
    crop: str = "centre"
    mono: bool = True
    resample: bool = True

    def __post_init__(self) -> None:
        rate = self.sample_rate
        if isinstance(rate, bool) or not isinstance(rate, (int, np.integer)) or rate < 1:
            raise ConfigError(
                f"data.options.sample_rate: expected a positive whole number of Hz, got {rate!r}"
            )
        s = self.seconds
        number = isinstance(s, (int, float, np.number)) and not isinstance(s, bool)
        if s is not None and (not number or not np.isfinite(s) or s <= 0):
            raise ConfigError(
                f"data.options.seconds: expected a positive duration or None, got {s!r}"
            )
        if s is not None and round(s * rate) < 1:
            raise ConfigError(f"data.options.seconds: {s} s at {rate} Hz is less than one sample")
        if self.crop not in CROPS:
            raise ConfigError(f"data.options.crop: expected 'centre' or 'start', got {self.crop!r}")

    @property
    def length(self) -> int | None:
        """Samples per clip (``None``: the longest file's)."""
        return None if self.seconds is None else round(self.seconds * self.sample_rate)


def check_on_error(on_error: str) -> None:
    """``ConfigError`` unless ``on_error`` is ``"fail"`` or ``"skip"``."""
    if on_error not in ON_ERROR:
        raise ConfigError(f"data.options.on_error: expected 'fail' or 'skip', got {on_error!r}")


def fit_length(x: np.ndarray, length: int, crop: str) -> np.ndarray:
    """``x`` (C, L) cut or zero-padded to ``length`` samples, about its centre or from its start."""
    n = x.shape[-1]
    if n == length:
        return x
    if n > length:
        start = (n - length) // 2 if crop == "centre" else 0
        return np.ascontiguousarray(x[..., start : start + length])
    out = np.zeros((*x.shape[:-1], length), dtype=np.float32)
    start = (length - n) // 2 if crop == "centre" else 0
    out[..., start : start + n] = x
    return out


@dataclass(frozen=True)
class Clip:
    """One decoded file: its samples (C, L) at the wanted rate, and what the file was."""

    samples: np.ndarray
    rate: int
    channels: int


def decode_clip(path: str | Path, spec: ClipSpec) -> Clip:
    """One file as the clip ``spec`` describes; ``DataError`` (one line, naming it) if unusable.

    Example:
        >>> import tempfile, soundfile
        >>> p = Path(tempfile.mkdtemp()) / "a.wav"
        >>> soundfile.write(p, np.zeros((800, 2), np.float32), 8000)
        >>> c = decode_clip(p, ClipSpec(sample_rate=16000, seconds=0.25))
        >>> c.samples.shape, c.rate, c.channels
        ((1, 4000), 8000, 2)
    """
    x, rate = read_audio(path, mono=False)
    channels = int(x.shape[0])
    if rate != spec.sample_rate and not spec.resample:
        raise DataError(
            f"audio file {path}: sample rate {rate} Hz; expected {spec.sample_rate} Hz "
            "(or set data.options.resample: true)"
        )
    if spec.mono and channels > 1:
        x = x.mean(axis=0, keepdims=True)
    if rate != spec.sample_rate:
        x = np.clip(resample(x, rate, spec.sample_rate), -1.0, 1.0)
    if spec.length is not None:
        x = fit_length(x, spec.length, spec.crop)
    return Clip(np.ascontiguousarray(x, dtype=np.float32), int(rate), channels)


def _decode_or_error(path: Path, spec: ClipSpec) -> Clip | DataError:
    try:
        return decode_clip(path, spec)
    except DataError as exc:
        return exc


def decode_all(paths: Sequence[Path], spec: ClipSpec) -> list[Clip | DataError]:
    """Every file decoded (or its ``DataError``), in order, by a few threads."""
    workers = max(1, min(4, os.cpu_count() or 1, len(paths)))
    if workers == 1:
        return [_decode_or_error(p, spec) for p in paths]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda p: _decode_or_error(p, spec), paths))


@dataclass(frozen=True)
class Item:
    """One file to read: where it is, its class name, its split, and what names it in messages."""

    path: Path
    label: str
    split: str = "train"
    where: str = ""


def _skip(dataset: str, message: str, on_error: str) -> None:
    if on_error == "fail":
        raise DataError(message)
    warnings.warn(f"{dataset}: skipped {message}", stacklevel=5)


def _kept_clips(
    items: Sequence[Item], spec: ClipSpec, dataset: str, on_error: str
) -> tuple[list[tuple[Item, Clip]], int]:
    """The items whose files are usable, with their clips, and how many were skipped."""
    kept: list[tuple[Item, Clip]] = []
    skipped = 0
    first: tuple[Item, Clip] | None = None
    for item, got in zip(items, decode_all([i.path for i in items], spec), strict=True):
        if isinstance(got, DataError):
            message = f"{item.where}: {got}" if item.where else str(got)
        elif not spec.mono and first is not None and got.channels != first[1].channels:
            message = (
                f"audio file {item.path}: {count(got.channels, 'channel')}; expected "
                f"{first[1].channels} as in {first[0].path} (or set data.options.mono: true)"
            )
        else:
            first = first or (item, got)
            kept.append((item, got))
            continue
        _skip(dataset, message, on_error)
        skipped += 1
    return kept, skipped


def _stack(clips: Sequence[Clip], length: int, crop: str) -> np.ndarray:
    """The clips as one float32 (N, C, length) array, filled in place."""
    channels = clips[0].samples.shape[0] if clips else 1
    x = np.zeros((len(clips), channels, length), dtype=np.float32)
    for i, clip in enumerate(clips):
        x[i] = fit_length(clip.samples, length, crop)
    return x


def _notes(clips: Sequence[Clip], spec: ClipSpec, length: int, skipped: int) -> list[str]:
    resampled = sum(c.rate != spec.sample_rate for c in clips)
    mixed = sum(c.channels > 1 for c in clips) if spec.mono else 0
    where = "about their centre" if spec.crop == "centre" else "from their start"
    notes = [
        f"clips of {length / spec.sample_rate:.4g} s ({length} samples at {spec.sample_rate} Hz), "
        f"cut or zero-padded {where}"
    ]
    if resampled:
        notes.append(f"resampled {count(resampled, 'file')} to {spec.sample_rate} Hz")
    if mixed:
        notes.append(f"mixed {count(mixed, 'multi-channel file')} down to mono")
    if skipped:
        notes.append(f"skipped {count(skipped, 'unreadable audio file')}")
    return notes


def load_clips(
    items: Sequence[Item],
    spec: ClipSpec,
    *,
    dataset: str,
    source: str,
    on_error: str = "fail",
    notes: Sequence[str] = (),
) -> DataBundle:
    """An audio bundle from files and their class names: ``x`` float32 (N, C, L), ``sample_rate``.

    The classes are the sorted names of the labels that keep at least one
    usable file (a label left without one is dropped, with a warning); items of
    split ``"test"`` make the bundle's own test split.

    Raises:
        DataError: a file is unusable (``on_error="fail"``), or none is usable.

    Example:
        >>> import tempfile, soundfile
        >>> d = Path(tempfile.mkdtemp())
        >>> soundfile.write(d / "a.wav", np.full(400, 0.5, np.float32), 8000)
        >>> b = load_clips([Item(d / "a.wav", "yes")], ClipSpec(8000, 0.1), dataset="toy",
        ...                source=str(d))
        >>> b.train.x.shape, b.classes, b.sample_rate, b.test is None
        ((1, 1, 800), ['yes'], 8000, True)
    """
    check_on_error(on_error)
    kept, skipped = _kept_clips(items, spec, dataset, on_error)
    if not kept:
        raise DataError(f"{source}: no readable audio files (looked for {suffixes()})")
    dropped = sorted({i.label for i in items} - {i.label for i, _ in kept})
    for label in dropped:
        warnings.warn(
            f"{dataset}: class {label!r} has no readable audio file; it is not a class",
            stacklevel=3,
        )
    classes = sorted({i.label for i, _ in kept})
    index = {label: k for k, label in enumerate(classes)}
    length = spec.length or max(c.samples.shape[-1] for _, c in kept)
    parts = {}
    for split in SPLITS:
        chosen = [(i, c) for i, c in kept if i.split == split]
        if not chosen and not any(i.split == split for i in items):
            continue
        if not chosen:
            raise DataError(f"{source}: no readable audio files in the {split} split")
        labels = np.asarray([index[i.label] for i, _ in chosen], dtype=np.int64)
        parts[split] = ArrayData(_stack([c for _, c in chosen], length, spec.crop), labels)
    if "train" not in parts:
        raise DataError(f"{source}: no audio files in the train split")
    return DataBundle(
        name=dataset,
        modality="audio",
        train=parts["train"],
        test=parts.get("test"),
        classes=classes,
        source=source,
        notes=[
            *notes,
            *_notes([c for _, c in kept], spec, length, skipped),
            *(f"class {label!r} dropped: no readable audio file" for label in dropped),
        ],
        sample_rate=spec.sample_rate,
    )
