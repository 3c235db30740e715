"""The frame cache of ``video-folder``: each file's sampled clip kept as one ``.npy`` file.

Decoding a video is most of the cost of loading a folder of them; the clip a
file becomes (``frames`` frames sampled by time, resized, RGB or grayscale:
uint8 ``(frames, C, H, W)``) is small. With ``data.options.cache`` the
loaders (in memory, and streamed by :mod:`trainlab.data.stream.video`) keep
that clip in a folder and read it back on the next load instead of decoding
the file again.

An entry is named by the SHA-256 of what makes the clip: the file's resolved
path, its size in bytes and modification time (``st_mtime_ns``), and the
spec's ``frames``, ``size``, ``channels`` and ``on_short``. A file changed
(written again, or touched) gets a new name, so it is decoded again; the old
entry stays until the folder is cleared. A clip padded by repeating its last
frame is named ``<key>.padded.npy`` (so that its warning comes back with it),
any other ``<key>.npy``. Entries are written atomically
(:func:`trainlab.core.atomic.atomic_path`); one that cannot be read, or holds
another shape or type, is decoded again and replaced, never an error. A cache
that cannot be written (a read-only or full disk) warns once and loads
without it.

Example:
    >>> import tempfile
    >>> import numpy as np
    >>> from pathlib import Path
    >>> from trainlab.data.datasets.video.folder import VideoSpec
    >>> from trainlab.data.datasets.video.frame_cache import FrameCache
    >>> d = Path(tempfile.mkdtemp())
    >>> video = d / "a.mp4"
    >>> _ = video.write_bytes(b"stands for a video")
    >>> cache, spec = FrameCache(d / "cache"), VideoSpec(frames=2, size=(3, 3))
    >>> cache.get(video, spec) is None
    True
    >>> cache.put(video, spec, np.ones(spec.shape, np.uint8), padded=False)
    >>> clip, padded = cache.get(video, spec)
    >>> clip.shape, int(clip.sum()), padded
    ((2, 3, 3, 3), 54, False)
"""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from trainlab.core.atomic import atomic_path
from trainlab.core.cache_dir import user_cache_dir
from trainlab.core.errors import ConfigError

if TYPE_CHECKING:
    from trainlab.data.datasets.video.folder import VideoSpec

#: the folder of the user cache that ``cache: true`` means
FOLDER = "video-frames"
#: the version of how a file becomes a clip (decoding, sampling, resizing); part of every
#: key, so a change to that code makes old entries miss instead of serving stale clips
FORMAT = 1


class FrameCache:
    """A folder of sampled clips, one ``.npy`` file per video file and spec.

    Args:
        folder: where the entries are kept (created when the first one is written).

    Example:
        >>> FrameCache.from_option(False) is None, FrameCache.from_option(True).folder.name
        (True, 'video-frames')
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder).expanduser()
        self._warned = False

    @classmethod
    def from_option(cls, option: bool | str | Path | None) -> FrameCache | None:
        """The cache ``data.options.cache`` asks for: none (false), the user one (true), a folder.

        Raises:
            ConfigError: anything else (a number, an empty string).
        """
        if option is None or option is False:
            return None
        if option is True:
            return cls(user_cache_dir() / FOLDER).writable()
        if isinstance(option, str | Path) and str(option).strip():
            return cls(option).writable()
        raise ConfigError(
            f"data.options.cache: expected true, false or a folder path, got {option!r}"
        )

    def writable(self) -> FrameCache | None:
        """This cache, or None (with one warning) when its folder cannot be written."""
        import tempfile

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.folder):
                pass
        except OSError as exc:
            warnings.warn(
                f"video-folder: the frame cache {self.folder} cannot be written "
                f"({exc.strerror or exc}); loading without it",
                stacklevel=3,
            )
            return None
        return self

    def key(self, path: Path, spec: VideoSpec) -> str:
        """The entry's name (without suffix) for ``path`` as it is now, and ``spec``.

        Raises:
            OSError: ``path`` cannot be examined (``stat``).
        """
        st = Path(path).stat()
        what = [
            FORMAT,
            str(Path(path).resolve()),
            st.st_size,
            st.st_mtime_ns,
            spec.frames,
            list(spec.size),
            spec.channels,
            spec.on_short,
            spec.max_pixels,
        ]
        return hashlib.sha256(json.dumps(what).encode("utf-8")).hexdigest()

    def get(self, path: Path, spec: VideoSpec) -> tuple[np.ndarray, bool] | None:
        """The cached clip of ``path`` and whether it was padded, or ``None`` (decode it)."""
        try:
            key = self.key(path, spec)
        except OSError:
            return None  # a missing file: its decoding says so
        for name, padded in ((f"{key}.npy", False), (f"{key}.padded.npy", True)):
            entry = self.folder / name
            if not entry.is_file():
                continue
            try:
                clip = np.load(entry, allow_pickle=False)
            except (OSError, ValueError, EOFError):
                return None  # damaged: decoded again and replaced
            if isinstance(clip, np.ndarray) and clip.dtype == np.uint8 and clip.shape == spec.shape:
                return clip, padded
            return None
        return None

    def put(self, path: Path, spec: VideoSpec, clip: np.ndarray, padded: bool) -> None:
        """Keep ``clip`` (uint8 ``spec.shape``) for ``path``, replacing any entry for it."""
        try:
            key = self.key(path, spec)
            stale = self.folder / (f"{key}.npy" if padded else f"{key}.padded.npy")
            entry = self.folder / f"{key}{'.padded' if padded else ''}.npy"
            with atomic_path(entry) as tmp, open(tmp, "wb") as f:
                np.save(f, np.ascontiguousarray(clip, dtype=np.uint8), allow_pickle=False)
            stale.unlink(missing_ok=True)
        except OSError as exc:
            if not self._warned:
                warnings.warn(
                    f"video-folder: the frame cache {self.folder} cannot be written "
                    f"({exc.strerror or exc}); loading without it",
                    stacklevel=3,
                )
                self._warned = True

    def __repr__(self) -> str:
        return f"FrameCache({str(self.folder)!r})"
