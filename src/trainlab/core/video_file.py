"""Reading and writing video files (MP4, AVI, WebM, MKV, MOV) with PyAV, with one-line errors.

PyAV (FFmpeg) demuxes and decodes the first video stream; every frame comes
back as uint8 ``(H, W, C)``: RGB (C = 3), or its ITU-R 601 luma (C = 1, the
weights of Pillow's and OpenCV's grayscale), optionally resized to ``size``
with OpenCV's area interpolation (the right filter for shrinking). Each
frame keeps its own timestamp (``pts · time_base``, in seconds), so a
variable frame rate is represented as it is, not as an error. The
timestamps of an AVI file with packed B-frames (DivX) come in the packets'
order, not the frames'; they are sorted, as the decoder gives the frames in
display order. A frame without a timestamp gets the previous one plus
``1/fps``.

Everything that makes a file unusable raises
:class:`~trainlab.core.errors.DataError` in one line naming the file and what
was expected: missing or empty, not a video (or no video stream), a decoding
error (naming the frame it came at; with frame threading, the frames still in
flight are not counted), a truncated file (the frames decoded end
well before the duration its header declares: more than two frames' time
and 5 % of it), no frames at all, or frames larger than ``max_pixels`` (a
guard against decompression bombs, checked before any frame is decoded).
A frame the decoder drops silently inside the file cannot be seen.

PyAV is the ``video`` extra (``pip install trainlab[video]``); it is imported
when a file is read or written, and its absence is a ``ConfigError``.

Example:
    >>> import tempfile
    >>> import numpy as np
    >>> from pathlib import Path
    >>> from trainlab.core.video_file import read_video, write_video
    >>> path = Path(tempfile.mkdtemp()) / "clip.mkv"
    >>> frames = np.zeros((5, 16, 24, 3), np.uint8)
    >>> frames[:, :, :12] = 200  # the left half grey
    >>> _ = write_video(path, frames, fps=10, codec="ffv1")
    >>> clip = read_video(path, size=(8, 12), channels=1)
    >>> clip.frames.shape, clip.times.tolist(), clip.fps
    ((5, 8, 12, 1), [0.0, 0.1, 0.2, 0.3, 0.4], 10.0)
    >>> int(clip.frames[0, 0, 0, 0]), int(clip.frames[0, 0, -1, 0])
    (200, 0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import numpy as np

from trainlab.core.atomic import atomic_path
from trainlab.core.errors import ConfigError, DataError

#: the file suffixes read as video (any case)
VIDEO_SUFFIXES: tuple[str, ...] = (".mp4", ".avi", ".webm", ".mkv", ".mov")

#: the largest frame read by default, in pixels (width times height)
MAX_PIXELS = 4096 * 4096

#: codecs :func:`write_video` writes -> the pixel format of colour frames (grayscale: see below)
CODECS: dict[str, str] = {
    "mpeg4": "yuv420p",
    "libx264": "yuv420p",
    "libvpx": "yuv420p",
    "libvpx-vp9": "yuv420p",
    "ffv1": "bgr0",  # lossless RGB
}

#: the truncation guard: frames missing at the end beyond both (frames' time, share of duration)
_MISSING_FRAMES = 2.0
_MISSING_SHARE = 0.05


@dataclass(frozen=True, eq=False)
class VideoClip:
    """The frames of a video file and when each is shown.

    Attributes:
        frames: uint8 ``(T, H, W, C)``, C = 3 (RGB) or 1 (grayscale).
        times: float64 ``(T,)``, seconds from the first frame, non-decreasing.
        fps: the stream's average frame rate (frames per second; 0.0 when unknown).
        path: the file.
    """

    frames: np.ndarray
    times: np.ndarray
    fps: float
    path: Path

    def __len__(self) -> int:
        return len(self.frames)


def _av():
    try:
        import av
    except ImportError:  # pragma: no cover - PyAV is in the video extra
        raise ConfigError(
            "reading and writing video files needs PyAV; install it with "
            "pip install 'trainlab[video]'"
        ) from None
    return av


def _reason(exc: BaseException) -> str:
    """FFmpeg's message in one line, without its error number and the file name it repeats."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = text.split("] ", 1)[-1] if text.startswith("[Errno") else text
    name = getattr(exc, "filename", None)
    return text.removesuffix(f": {name!r}") if isinstance(name, str) else text


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise DataError(f"video file {path}: not found")
    if path.stat().st_size == 0:
        raise DataError(f"video file {path}: is empty; expected MP4, AVI, WebM, MKV or MOV data")


def _check_options(size: tuple[int, int] | None, channels: int, max_frames: int | None) -> None:
    if size is not None and (
        len(size) != 2 or any(not isinstance(s, int | np.integer) or s < 1 for s in size)
    ):
        raise ConfigError(f"video size: expected (height, width) of positive integers, got {size}")
    if channels not in (1, 3):
        raise ConfigError(f"video channels: expected 1 (grayscale) or 3 (RGB), got {channels}")
    if max_frames is not None and max_frames < 1:
        raise ConfigError(f"video max_frames: expected a positive integer, got {max_frames}")


def _pixels_guard(path: Path, width: int, height: int, max_pixels: int) -> None:
    if width * height > max_pixels:
        raise DataError(
            f"video file {path}: {width}x{height} frames ({width * height:,} pixels) exceed "
            f"max_pixels={max_pixels:,}; pass a larger max_pixels (data.options.max_pixels) "
            "to read it"
        )


def _frame_array(frame, channels: int, size: tuple[int, int] | None) -> np.ndarray:
    """One decoded frame as uint8 ``(H, W, C)``, converted and resized."""
    import cv2

    rgb = frame.to_ndarray(format="rgb24")
    if size is not None and rgb.shape[:2] != tuple(size):
        rgb = cv2.resize(rgb, (int(size[1]), int(size[0])), interpolation=cv2.INTER_AREA)
    if channels == 1:
        return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)[:, :, None]
    return rgb


def _declared_seconds(container, stream) -> float | None:
    """The duration the file's header declares for the stream (None: it declares none)."""
    if stream.duration is not None and stream.time_base is not None and stream.duration > 0:
        return float(stream.duration * stream.time_base)
    if container.duration is not None and container.duration > 0:
        return container.duration / 1_000_000
    return None


def _times(stamps: list[float | None], fps: float) -> np.ndarray:
    """Timestamps in seconds from the first: missing ones filled, packet-ordered ones sorted."""
    step = 1.0 / fps if fps > 0 else 0.0
    out = np.empty(len(stamps), dtype=np.float64)
    prev = None
    for i, t in enumerate(stamps):
        t = (prev + step if prev is not None else 0.0) if t is None else t
        out[i] = t
        prev = t
    out = np.sort(out)
    return out - out[0]


def read_video(
    path: str | Path,
    *,
    size: tuple[int, int] | None = None,
    channels: int = 3,
    max_frames: int | None = None,
    max_pixels: int = MAX_PIXELS,
) -> VideoClip:
    """The frames of the first video stream of ``path`` and their timestamps.

    Args:
        path: a video file (any container and codec FFmpeg reads).
        size: ``(height, width)`` to resize every frame to (area interpolation);
            ``None`` keeps the file's size (every frame must then have it).
        channels: 3 for RGB, 1 for grayscale.
        max_frames: stop after this many frames (``None``: read them all; the
            truncation check needs the whole file).
        max_pixels: the largest frame accepted, width times height.

    Returns:
        A :class:`VideoClip`.

    Raises:
        ConfigError: PyAV is missing, or an option is out of range.
        DataError: the file is missing, empty, not a video, holds no video
            stream or no frames, fails to decode, is truncated, or has frames
            above ``max_pixels`` (see the module's notes).
    """
    av = _av()
    path = Path(path)
    _check_options(size, channels, max_frames)
    _check_file(path)
    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError, IndexError, UnicodeDecodeError) as exc:  # damaged headers
        raise DataError(
            f"video file {path}: not readable as video (not a video file, or a corrupt "
            f"header: {_reason(exc)})"
        ) from None
    with container:
        if not container.streams.video:
            kinds = sorted({s.type for s in container.streams}) or ["none"]
            raise DataError(
                f"video file {path}: holds no video stream (streams: {', '.join(kinds)}); "
                "expected one"
            )
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        width, height = stream.codec_context.width, stream.codec_context.height
        _pixels_guard(path, width, height, max_pixels)
        rate = stream.average_rate or stream.guessed_rate
        fps = float(rate) if rate else 0.0
        frames, stamps = _decode(container, stream, path, channels, size, max_frames, max_pixels)
        if not frames:
            raise DataError(f"video file {path}: holds no frames; expected at least one")
        times = _times(stamps, fps)
        if max_frames is None or len(frames) < max_frames:
            _check_complete(path, times, fps, _declared_seconds(container, stream))
    return VideoClip(np.stack(frames), times, fps, path)


def _decode(container, stream, path, channels, size, max_frames, max_pixels):
    """The converted frames and their timestamps (seconds or None), with one-line errors."""
    av = _av()
    frames: list[np.ndarray] = []
    stamps: list[float | None] = []
    first: tuple[int, int] | None = None
    try:
        for frame in container.decode(stream):
            _pixels_guard(path, frame.width, frame.height, max_pixels)
            shape = (frame.height, frame.width)
            first = first or shape
            if size is None and shape != first:
                raise DataError(
                    f"video file {path}: frame {len(frames)} is {shape[1]}x{shape[0]}, the "
                    f"first {first[1]}x{first[0]}; pass a size to resize every frame to one"
                )
            frames.append(_frame_array(frame, channels, size))
            tb = frame.time_base or stream.time_base
            stamps.append(float(frame.pts * tb) if frame.pts is not None and tb else None)
            if max_frames is not None and len(frames) >= max_frames:
                break
    except (av.FFmpegError, UnicodeDecodeError) as exc:
        raise DataError(
            f"video file {path}: corrupt or truncated: decoding failed at frame {len(frames)}, "
            f"after {len(frames)} good frames ({_reason(exc)})"
        ) from None
    return frames, stamps


def _check_complete(path: Path, times: np.ndarray, fps: float, declared: float | None) -> None:
    """``DataError`` when the frames end well before the duration the header declares."""
    if declared is None or fps <= 0:
        return
    end = float(times[-1]) + 1.0 / fps
    if declared - end > max(_MISSING_FRAMES / fps, _MISSING_SHARE * declared):
        raise DataError(
            f"video file {path}: corrupt or truncated: its {len(times)} decodable frames end at "
            f"{end:.2f} s of the {declared:.2f} s its header declares"
        )


def write_video(
    path: str | Path,
    frames: np.ndarray,
    *,
    fps: float | Fraction = 25,
    codec: str = "mpeg4",
    times: Sequence[float] | None = None,
) -> Path:
    """Write uint8 ``(T, H, W, C)`` frames (C = 3 RGB or 1 grayscale) as a video, atomically.

    The container follows the suffix of ``path`` (``.mp4``, ``.avi``, ``.mkv``,
    ``.webm``, ``.mov``). ``ffv1`` is lossless; the others store 4:2:0 colour
    and need an even width and height.

    Args:
        path: the file to write (replaced only once complete).
        frames: uint8 ``(T, H, W, C)``.
        fps: the stream's frame rate.
        codec: one of :data:`CODECS`.
        times: each frame's timestamp in seconds (a variable frame rate),
            rounded to ticks of ``1/fps``; ``None``: frame ``i`` at ``i/fps``.

    Returns:
        ``path``.

    Raises:
        ConfigError: PyAV is missing, an unknown codec, frames of another
            shape or type, odd sizes for a 4:2:0 codec, or times that do not
            increase tick by tick.
    """
    av = _av()
    path = Path(path)
    frames = np.asarray(frames)
    if frames.dtype != np.uint8 or frames.ndim != 4 or frames.shape[-1] not in (1, 3):
        raise ConfigError(
            f"write_video: expected uint8 frames (T, H, W, 1 or 3), got {frames.dtype} "
            f"{frames.shape}"
        )
    if codec not in CODECS:
        raise ConfigError(f"write_video: unknown codec {codec!r}; expected one of {list(CODECS)}")
    _, height, width, c = frames.shape
    pix_fmt = CODECS[codec]
    if pix_fmt == "yuv420p" and (height % 2 or width % 2):
        raise ConfigError(
            f"write_video: {codec} needs an even width and height, got {width}x{height}"
        )
    if codec == "ffv1" and c == 1:
        pix_fmt = "gray"
    rate = Fraction(fps).limit_denominator(1_000_000)
    ticks = _ticks(times, len(frames), rate)
    with atomic_path(path, suffix=path.suffix) as tmp, av.open(str(tmp), "w") as container:
        stream = container.add_stream(codec, rate=rate)
        stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
        stream.codec_context.thread_count = 1  # the same bytes every time
        for frame, tick in zip(frames, ticks, strict=True):
            if c == 1:
                vf = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame[:, :, 0]), "gray")
            else:
                vf = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame), "rgb24")
            vf.pts, vf.time_base = tick, 1 / rate
            container.mux(stream.encode(vf))
        container.mux(stream.encode())
    return path


def _ticks(times: Sequence[float] | None, n: int, rate: Fraction) -> list[int]:
    if times is None:
        return list(range(n))
    ticks = [round(float(t) * rate) for t in times]
    if len(ticks) != n or any(b <= a for a, b in pairwise(ticks)):
        raise ConfigError(
            f"write_video: expected {n} times increasing by at least 1/fps, got {list(times)}"
        )
    return ticks
