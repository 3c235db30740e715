"""Video folders larger than memory: clips decoded from their files as they are streamed.

The video counterpart of :class:`~trainlab.data.stream.audio.AudioFileDataset`:
paths and labels in memory, each file decoded by a worker process when its
batch is read — its frames sampled by time and resized exactly as the
in-memory ``video-folder`` loader does it
(:func:`~trainlab.data.datasets.video.folder.decode_clip`, with the same frame
cache), then made model input by the fitted
:class:`~trainlab.preprocess.video.pipeline.VideoPipeline` applied to that one
clip: float32 ``(k, C', H, W)``. The pipeline changes the clip's shape, so
it runs in ``decode``; ``transform.normalize`` only writes the result into its
slot of the batch (video inputs have no numeric normalization of their own).
It plugs into :class:`~trainlab.data.stream.StreamSource` unchanged, so the
batches are ``{"x": float32 (B, k, C', H, W), "y": int64 (B,)}``.

The pipeline is fitted (:func:`fit_stream_video`) on at most ``max_clips``
training clips spread evenly over the files (:func:`~trainlab.data.stream.fit.spread`),
held in memory together (256 clips of 32 RGB frames of 64 × 64: 96 MiB);
with no more training files than that it is the in-memory path's fit exactly.
Only a flow scale is fitted: without flow channels (or with ``flow_scale``
set) nothing is decoded. :func:`estimate_video_bytes` gives the size the
in-memory path would hold, to choose streaming above a memory budget.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from trainlab.core.video_file import write_video
    >>> from trainlab.data.datasets.video.folder import VideoSpec
    >>> from trainlab.data.stream import StreamSource
    >>> from trainlab.data.stream.video import VideoFileDataset, VideoTransform
    >>> from trainlab.preprocess.video.pipeline import VideoPipeline
    >>> d = Path(tempfile.mkdtemp())
    >>> paths = [write_video(d / f"{i}.mkv", np.full((6, 8, 8, 3), 40 * i, np.uint8),
    ...                      codec="ffv1") for i in range(3)]
    >>> t = VideoTransform(VideoSpec(frames=6, size=(8, 8)), VideoPipeline(frames=2))
    >>> src = StreamSource(VideoFileDataset(paths, [0, 1, 0], t), batch_size=2, workers=0,
    ...                    shuffle=False)
    >>> [tuple(b["x"].shape) for b in src], t.shape
    ([(2, 2, 3, 8, 8), (1, 2, 3, 8, 8)], (2, 3, 8, 8))
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from trainlab.core.errors import ConfigError, DataError
from trainlab.data.datasets.video.folder import VideoFolderIndex, VideoSpec, decode_clip
from trainlab.data.datasets.video.frame_cache import FrameCache
from trainlab.data.stream.dataset import ReadFailure
from trainlab.data.stream.fit import chosen_files, spread
from trainlab.preprocess.pipeline import Preprocessor
from trainlab.preprocess.video.pipeline import VideoPipeline

#: bytes of one value of the model inputs (float32)
INPUT_BYTES = 4
#: the most training clips :func:`fit_stream_video` reads by default
FIT_CLIPS = 256


@dataclass(frozen=True)
class VideoTransform:
    """A video file to model input: the clip ``spec`` (with the frame cache), then the pipeline.

    Args:
        spec: the frames, size, channels and short-clip rule of every clip.
        pipeline: a fitted video pipeline (``None``: the clip's pixels scaled to [0, 1]).
        cache: the frame cache (``None``: every read decodes the file).
        preprocessor: the fitted numeric preprocessing of the frames
            (``Preprocessor(frames=True)``) applied after the pipeline; ``None``: none.

    Raises:
        ConfigError: a pipeline asking for more frames than the clips have, or not fitted.

    Example:
        >>> t = VideoTransform(VideoSpec(frames=8, size=(4, 4)), VideoPipeline(frames=3))
        >>> t.shape, t(np.zeros((8, 3, 4, 4), np.uint8)).shape
        ((3, 3, 4, 4), (3, 3, 4, 4))
    """

    spec: VideoSpec
    pipeline: VideoPipeline | None = None
    cache: FrameCache | None = field(default=None, compare=False)
    preprocessor: Preprocessor | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        pipe = self.pipeline
        if pipe is not None:
            pipe.check_frames(self.spec.frames)

    @property
    def shape(self) -> tuple[int, int, int, int]:
        """(k, C', H, W) of every model input."""
        f, c, h, w = self.spec.shape
        if self.pipeline is None:
            return f, c, h, w
        return self.pipeline.frames, self.pipeline.channels_out(c), h, w

    def clip(self, path: str | Path) -> np.ndarray:
        """The file's clip as the in-memory loader makes it: uint8 ``spec.shape``."""
        return decode_clip(path, self.spec, self.cache)[0]

    def __call__(self, clip: np.ndarray) -> np.ndarray:
        """A clip uint8 (F, C, H, W) as model input, float32 (k, C', H, W)."""
        if self.pipeline is None:
            return clip.astype(np.float32) / np.float32(255)
        if not self.pipeline.fitted:
            raise ConfigError("stream video pipeline: not fitted; fit it on the training clips")
        x = self.pipeline.transform(clip[None])
        return (x if self.preprocessor is None else self.preprocessor.transform(x))[0]

    def normalize(self, x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Model input ``x`` (made by :meth:`__call__`) written to ``out`` (a batch slot)."""
        if out is None:
            return np.array(x, dtype=np.float32)
        out[...] = x
        return out


class VideoFileDataset(Dataset):
    """Video files and their labels; ``dataset[i]`` decodes file ``i`` into model input.

    Args:
        paths: the video files.
        labels: one int label per file.
        transform: the clips and the pipeline (default: 32 frames of 64 × 64 RGB, no pipeline).

    Raises:
        DataError: (on reading) the file is unusable; the message is one line naming it.

    Example:
        >>> ds = VideoFileDataset(["a.mp4", "b.webm"], [0, 1])
        >>> len(ds), ds.path(1), ds.transform.shape
        (2, 'b.webm', (32, 3, 64, 64))
    """

    def __init__(
        self,
        paths: Sequence[str | Path] | np.ndarray,
        labels: Sequence[int] | np.ndarray,
        transform: VideoTransform | None = None,
    ) -> None:
        self.paths = np.asarray([str(p) for p in paths], dtype=np.str_)
        self.labels = np.asarray(labels, dtype=np.int64).reshape(-1)
        if len(self.paths) != len(self.labels):
            raise DataError(f"stream: {len(self.paths)} video files but {len(self.labels)} labels")
        self.transform = transform if transform is not None else VideoTransform(VideoSpec())

    @classmethod
    def from_index(
        cls,
        index: VideoFolderIndex,
        transform: VideoTransform | None = None,
        split: str = "train",
    ) -> VideoFileDataset:
        """The files of one split of an indexed video folder (``index_video_folder``)."""
        part = index.part(split)
        if part is None:
            raise DataError(f"{index.root}: no video files in the {split} split")
        return cls(part.x, part.y, transform)

    def __len__(self) -> int:
        return len(self.labels)

    def path(self, i: int) -> str:
        """The file of example ``i``."""
        return str(self.paths[i])

    def clip(self, i: int) -> np.ndarray:
        """Example ``i``'s clip, uint8 (F, C, H, W), before the pipeline."""
        return self.transform.clip(self.path(i))

    def decode(self, i: int) -> np.ndarray:
        """Example ``i`` as model input, float32 (k, C', H, W) (see the module's notes)."""
        return self.transform(self.clip(i))

    def __getitem__(self, i: int) -> tuple[np.ndarray, int]:
        """Example ``i``: model input float32 (k, C', H, W) and its label."""
        return self.decode(i), int(self.labels[i])


class _Clips(Dataset):
    """The uint8 clips of a dataset, or a ``ReadFailure``, for the fit."""

    def __init__(self, dataset: VideoFileDataset) -> None:
        self.dataset = dataset

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, i: int) -> np.ndarray | ReadFailure:
        try:
            return self.dataset.clip(i)
        except DataError as exc:
            return ReadFailure(str(exc))


def _as_list(items: list) -> list:
    return items


@dataclass(frozen=True)
class VideoStreamFit:
    """A video pipeline fitted on training clips, and how many files it read.

    Attributes:
        pipeline: the fitted pipeline (the one given, fitted in place).
        read: files decoded for the fit (0 when nothing was to be fitted).
        total: files given.
        inputs: the pipeline's output on the clips read, float32 (read, k, C', H, W),
            for fitting the frames' normalization; None when nothing was read.
    """

    pipeline: VideoPipeline
    read: int
    total: int
    inputs: np.ndarray | None = None


def fit_stream_video(
    paths: Sequence[str | Path] | np.ndarray,
    spec: VideoSpec,
    pipeline: VideoPipeline,
    *,
    cache: FrameCache | None = None,
    max_clips: int | None = FIT_CLIPS,
    workers: int = 2,
    inputs: bool = False,
) -> VideoStreamFit:
    """Fit ``pipeline`` on (at most ``max_clips``) training video files, as the in-memory path does.

    The clips are decoded by ``workers`` processes (0 in a daemonic process)
    and stacked in file order, so the fit does not depend on their number.
    ``inputs``: read the clips (and keep the pipeline's output on them) even
    when the pipeline has nothing to fit, to fit a normalization on.

    Raises:
        ConfigError: no files, a cap below 1, or more frames asked than the clips have.
        DataError: a chosen file is unusable (named).

    Example:
        >>> fit_stream_video([], VideoSpec(), VideoPipeline())
        Traceback (most recent call last):
        ...
        trainlab.core.errors.ConfigError: stream statistics: expected training files, got none
    """
    index = chosen_files(len(paths), max_clips, "max_clips")
    VideoTransform(spec, pipeline)  # checks the frames asked
    to_fit = pipeline.flow != "none" and pipeline.flow_scale is None
    if not to_fit and not inputs:
        return VideoStreamFit(pipeline, 0, len(paths))  # nothing to fit
    chosen = VideoFileDataset(
        np.asarray([str(p) for p in paths])[index],
        np.zeros(len(index), dtype=np.int64),
        VideoTransform(spec, cache=cache),
    )
    loader = DataLoader(
        _Clips(chosen),
        batch_size=4,
        num_workers=0 if multiprocessing.current_process().daemon else workers,
        collate_fn=_as_list,
        generator=torch.Generator(),  # the loader draws a seed: not from the global generator
    )
    clips = np.empty((len(index), *spec.shape), dtype=np.uint8)
    j = 0
    for batch in loader:
        for got in batch:
            if isinstance(got, ReadFailure):
                raise DataError(got.message)
            clips[j] = got
            j += 1
    if not inputs:
        pipeline.fit(clips)
        return VideoStreamFit(pipeline, len(index), len(paths))
    out = pipeline.fit_transform(clips) if to_fit else pipeline.transform(clips)
    return VideoStreamFit(pipeline, len(index), len(paths), out)


def video_frames(path: str | Path) -> tuple[int, int, int] | None:
    """(frames, height, width) of a file's first video stream from its header, no frame
    decoded (frames from the stream's count, else its duration times its rate); ``None``
    when it cannot be read or says nothing of them.

    Example:
        >>> video_frames("no-such-file.mp4") is None
        True
    """
    try:
        import av
    except ImportError:  # pragma: no cover - PyAV is in the video extra
        return None
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                return None
            stream = container.streams.video[0]
            h, w = stream.codec_context.height, stream.codec_context.width
            n = stream.frames or 0
            rate = stream.average_rate or stream.guessed_rate
            if not n and rate and stream.duration and stream.time_base:
                n = round(float(stream.duration * stream.time_base * rate))
            if not n and rate and container.duration:
                n = round(container.duration / 1_000_000 * float(rate))
    except (OSError, ValueError, IndexError, UnicodeDecodeError, av.FFmpegError):
        return None
    return (int(n), int(h), int(w)) if n and h and w else None


def estimate_video_bytes(
    paths: Sequence[str | Path] | np.ndarray,
    spec: VideoSpec,
    inputs: tuple[int, ...] | None = None,
    *,
    sample: int = 64,
) -> int:
    """Bytes the in-memory ``video-folder`` path would hold for ``paths``.

    It holds N uint8 clips of ``spec.shape`` (F · C · H · W bytes each) and
    their model inputs, float32 of shape ``inputs`` (k, C', H, W) (the clip's
    own shape when ``None``); while it loads, one whole file decoded at
    ``spec.size`` besides: the longest of up to ``sample`` file headers
    spread over the files (T · C · H · W, from the container's metadata,
    nothing decoded). Unreadable headers are left out.

    Example:
        >>> estimate_video_bytes(["a.mp4"] * 10, VideoSpec(frames=8, size=(4, 4)), (2, 5, 4, 4))
        10240
    """
    if sample < 1:
        raise ConfigError(f"stream footprint: sample must be at least 1, got {sample}")
    if len(paths) == 0:
        return 0
    clip = int(np.prod(spec.shape))
    held = int(np.prod(inputs if inputs is not None else spec.shape)) * INPUT_BYTES
    infos = [video_frames(paths[i]) for i in spread(len(paths), sample)]
    longest = max((t for t, _, _ in filter(None, infos)), default=0)
    decoding = longest * spec.channels * spec.size[0] * spec.size[1]
    return len(paths) * (clip + held) + decoding
