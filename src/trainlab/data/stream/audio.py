"""Audio folders larger than memory: clips decoded from their files as they are streamed.

The audio counterpart of :class:`~trainlab.data.stream.dataset.ImageFileDataset`:
paths and labels in memory, each file decoded by a worker process when its
batch is read — mixed down, resampled and cut or padded exactly as the
in-memory ``audio-folder`` loader does it (``audio._clips.decode_clip``), then
normalized by the preprocessor fitted on the training split. It plugs into
:class:`~trainlab.data.stream.StreamSource` unchanged (it has the same
``decode`` / ``transform.normalize`` / ``labels`` / ``path`` surface), so the
batches are ``{"x": float32 (B, C, L), "y": int64 (B,)}``.

The preprocessor is fitted (:func:`fit_stream_audio`) on at most
``max_clips`` training clips spread evenly over the files, held in memory
together (1,024 one-second 16 kHz clips: 64 MiB); with fewer training files
it is the in-memory path's fit exactly. The clips it read come back too, to
fit a model's audio front end on. :func:`estimate_audio_bytes` gives the size
the in-memory path would hold, to choose streaming above a memory budget.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np, soundfile
    >>> from trainlab.data.datasets.audio._clips import ClipSpec
    >>> from trainlab.data.stream import StreamSource
    >>> from trainlab.data.stream.audio import AudioFileDataset, AudioTransform
    >>> d = Path(tempfile.mkdtemp())
    >>> for i in range(3):
    ...     soundfile.write(d / f"{i}.wav", np.full(100, 0.1 * i, np.float32), 8000)
    >>> ds = AudioFileDataset(sorted(d.iterdir()), [0, 1, 0],
    ...                       AudioTransform(ClipSpec(sample_rate=8000, seconds=0.02)))
    >>> src = StreamSource(ds, batch_size=2, workers=0, shuffle=False)
    >>> [tuple(b["x"].shape) for b in src]
    [(2, 1, 160), (1, 1, 160)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from torch.utils.data import Dataset

from trainlab.core.audio_file import audio_info
from trainlab.core.errors import ConfigError, DataError
from trainlab.core.words import count
from trainlab.data.datasets.audio._clips import Clip, ClipSpec, decode_all, decode_clip
from trainlab.data.datasets.audio.audio_folder import AudioFolderIndex
from trainlab.data.stream.fit import chosen_files, spread
from trainlab.preprocess.pipeline import Preprocessor

#: bytes of one sample of a clip as the loaders keep it (float32)
SAMPLE_BYTES = 4


@dataclass(frozen=True)
class AudioTransform:
    """A decoded file to model input: the clip ``spec`` (a fixed length), then the preprocessor.

    Args:
        spec: the clips' rate, duration, crop and mono mix-down; ``seconds`` is required.
        channels: the channels every clip must have (1 when ``spec.mono``).
        preprocessor: a fitted preprocessor (``None``: the samples as they are).

    Raises:
        ConfigError: no clip duration, a channel count below 1 (or above 1 with
            ``mono``), or an unfitted preprocessor.

    Example:
        >>> t = AudioTransform(ClipSpec(sample_rate=8000, seconds=0.5))
        >>> t.shape, t(np.ones((1, 4000), np.float32)).dtype.name
        ((1, 4000), 'float32')
    """

    spec: ClipSpec
    channels: int = 1
    preprocessor: Preprocessor | None = None

    def __post_init__(self) -> None:
        if self.spec.length is None:
            raise ConfigError(
                "data.options.seconds: a streamed audio folder needs a clip duration, got None"
            )
        if self.channels < 1 or (self.spec.mono and self.channels != 1):
            raise ConfigError(
                f"stream channels: expected 1 for mono clips or at least 1, got {self.channels}"
            )
        pre = self.preprocessor
        if pre is not None and not pre.normalizer.fitted:
            raise ConfigError("stream preprocessor: not fitted; fit it on the training clips first")

    @property
    def shape(self) -> tuple[int, int]:
        """(channels, samples) of every clip."""
        assert self.spec.length is not None
        return self.channels, self.spec.length

    def check(self, clip: Clip, path: str) -> np.ndarray:
        """The clip's samples, or a ``DataError`` naming ``path`` when its channels differ."""
        if clip.samples.shape[0] != self.channels:
            raise DataError(
                f"audio file {path}: {count(clip.channels, 'channel')}; expected "
                f"{self.channels} (or set data.options.mono: true)"
            )
        return clip.samples

    def normalize(self, x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Model input for a clip (C, L): float32, written to ``out`` (a slot of a batch)."""
        if out is None:
            out = np.empty(x.shape, dtype=np.float32)
        pre = self.preprocessor
        out[...] = x if pre is None else pre.transform(x[None])[0]
        return out

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.normalize(x)


class AudioFileDataset(Dataset):
    """Audio files and their labels; ``dataset[i]`` decodes file ``i`` into a clip.

    Args:
        paths: the audio files.
        labels: one int label per file.
        transform: the clips and their normalization (default: 16 kHz, 1 s, mono).

    Raises:
        DataError: (on reading) the file is unusable; the message is one line naming it.

    Example:
        >>> ds = AudioFileDataset(["a.wav", "b.flac"], [0, 1])
        >>> len(ds), ds.path(1), ds.transform.shape
        (2, 'b.flac', (1, 16000))
    """

    def __init__(
        self,
        paths: Sequence[str | Path] | np.ndarray,
        labels: Sequence[int] | np.ndarray,
        transform: AudioTransform | None = None,
    ) -> None:
        self.paths = np.asarray([str(p) for p in paths], dtype=np.str_)
        self.labels = np.asarray(labels, dtype=np.int64).reshape(-1)
        if len(self.paths) != len(self.labels):
            raise DataError(f"stream: {len(self.paths)} audio files but {len(self.labels)} labels")
        self.transform = transform if transform is not None else AudioTransform(ClipSpec())

    @classmethod
    def from_index(
        cls, index: AudioFolderIndex, transform: AudioTransform | None = None, split: str = "train"
    ) -> AudioFileDataset:
        """The files of one split of an indexed audio folder (``index_audio_folder``)."""
        part = index.part(split)
        if part is None:
            raise DataError(f"{index.root}: no audio files in the {split} split")
        return cls(part.x, part.y, transform)

    def __len__(self) -> int:
        return len(self.labels)

    def path(self, i: int) -> str:
        """The file of example ``i``."""
        return str(self.paths[i])

    def decode(self, i: int) -> np.ndarray:
        """Example ``i`` as a clip (C, L) float32, not yet normalized."""
        clip = decode_clip(self.path(i), self.transform.spec)
        return self.transform.check(clip, self.path(i))

    def __getitem__(self, i: int) -> tuple[np.ndarray, int]:
        """Example ``i``: model input float32 (C, L) and its label."""
        return self.transform(self.decode(i)), int(self.labels[i])


def clip_channels(paths: Sequence[str | Path] | np.ndarray, spec: ClipSpec) -> int:
    """The channels of the clips: 1 when mono, else the first file's (from its header)."""
    if spec.mono or len(paths) == 0:
        return 1
    return audio_info(paths[0])[1]


@dataclass(frozen=True)
class AudioStreamFit:
    """A preprocessor fitted on training clips, the clips it read, and how many files there were.

    Attributes:
        preprocessor: the fitted normalization.
        clips: the clips read, float32 (n, C, L), for a front end's own fit.
        total: files given (``len(clips)`` of them were read).
    """

    preprocessor: Preprocessor
    clips: np.ndarray
    total: int


def fit_stream_audio(
    paths: Sequence[str | Path] | np.ndarray,
    spec: ClipSpec,
    *,
    channels: int = 1,
    normalize: str = "standard",
    per: str = "channel",
    max_clips: int | None = 1024,
    pixel_scale: bool = True,
) -> AudioStreamFit:
    """Fit the in-memory path's preprocessor on (at most ``max_clips``) training audio files.

    Raises:
        ConfigError: no files, or a cap below 1.
        DataError: a file is unusable (named), or its channels differ from ``channels``.

    Example:
        >>> fit_stream_audio([], ClipSpec())
        Traceback (most recent call last):
        ...
        trainlab.core.errors.ConfigError: stream statistics: expected training files, got none
    """
    index = chosen_files(len(paths), max_clips, "max_clips")
    transform = AudioTransform(spec, channels)
    chosen = [str(paths[i]) for i in index]
    clips = np.empty((len(chosen), *transform.shape), dtype=np.float32)
    for j, (path, got) in enumerate(zip(chosen, decode_all(chosen, spec), strict=True)):
        if isinstance(got, DataError):
            raise got
        clips[j] = transform.check(got, path)
    # pixel_scale only acts on uint8 inputs (clips are float): kept as the recipe says, so that
    # the saved preprocessing is the in-memory path's
    pre = Preprocessor(pixel_scale=pixel_scale, normalize=normalize, per=per).fit(clips)
    return AudioStreamFit(pre, clips, len(paths))


def estimate_audio_bytes(
    paths: Sequence[str | Path] | np.ndarray, spec: ClipSpec, *, sample: int = 256
) -> int:
    """Bytes of the float32 clips the in-memory loader would hold for ``paths``.

    With a clip duration it is N · C · L · 4 (C from the first header unless
    mono); without one, the durations of up to ``sample`` headers spread over
    the files estimate the longest clip. Unreadable headers are left out.

    Example:
        >>> estimate_audio_bytes(["a.wav"] * 10, ClipSpec(sample_rate=16000, seconds=1.0))
        640000
    """
    if sample < 1:
        raise ConfigError(f"stream footprint: sample must be at least 1, got {sample}")
    if len(paths) == 0:
        return 0
    length = spec.length
    channels = 1
    if length is None or not spec.mono:
        infos = []
        for i in spread(len(paths), sample):
            try:
                infos.append(audio_info(paths[i]))
            except DataError:
                continue
        if not infos:
            return 0
        channels = 1 if spec.mono else infos[0][1]
        if length is None:
            length = max(round(frames * spec.sample_rate / rate) for rate, _, frames in infos)
    return int(len(paths) * channels * length * SAMPLE_BYTES)
