"""Reading audio files (WAV, FLAC, OGG, MP3) into float arrays, with one-line errors.

soundfile (libsndfile) decodes the file; the samples come back as float32 in
[-1, 1], shape (channels, samples). Optionally mixed down to mono (the mean
of the channels) and resampled to a target rate with a polyphase filter
(:func:`scipy.signal.resample_poly`, the ratio reduced to lowest terms).
Everything that makes a file unusable — empty, not audio, a corrupt header,
no samples, NaN or infinite samples, samples beyond full scale, a rate that
may not be changed — raises :class:`~trainlab.core.errors.DataError` naming
the file and what was expected.

Example:
    >>> import numpy as np
    >>> from trainlab.core.audio_file import resample
    >>> resample(np.ones((1, 441), dtype=np.float32), 44100, 16000).shape
    (1, 160)
"""

from __future__ import annotations

from math import gcd
from pathlib import Path

import numpy as np

from trainlab.core.errors import DataError

#: the file suffixes read as audio
AUDIO_SUFFIXES: tuple[str, ...] = (".wav", ".flac", ".ogg", ".mp3")


def _soundfile():
    try:
        import soundfile
    except ImportError:  # pragma: no cover - soundfile is in the audio extra
        raise DataError(
            "reading audio files needs soundfile; install it with pip install 'trainlab[audio]'"
        ) from None
    return soundfile


def resample(x: np.ndarray, rate_from: int, rate_to: int) -> np.ndarray:
    """``x`` (..., samples) from ``rate_from`` to ``rate_to`` Hz (polyphase, float32)."""
    if rate_from == rate_to:
        return np.asarray(x, dtype=np.float32)
    from scipy.signal import resample_poly

    g = gcd(int(rate_from), int(rate_to))
    out = resample_poly(x, int(rate_to) // g, int(rate_from) // g, axis=-1)
    return np.asarray(out, dtype=np.float32)


def audio_info(path: str | Path) -> tuple[int, int, int]:
    """(sample rate, channels, frames) of an audio file, from its header only."""
    path = Path(path)
    _check_file(path)
    sf = _soundfile()
    try:
        info = sf.info(str(path))
    except Exception as exc:  # libsndfile raises its own error types
        raise DataError(_unreadable(path, exc)) from None
    return int(info.samplerate), int(info.channels), int(info.frames)


def read_audio(
    path: str | Path,
    *,
    sample_rate: int | None = None,
    mono: bool = True,
    resample_ok: bool = True,
) -> tuple[np.ndarray, int]:
    """The samples of ``path`` as float32 (channels, samples) and their rate.

    Args:
        path: a WAV, FLAC, OGG or MP3 file.
        sample_rate: the rate wanted (None: the file's own).
        mono: mix the channels down to one (their mean).
        resample_ok: resample a file at another rate (False: that is an error).

    Raises:
        DataError: the file is empty, not audio, corrupt, holds no samples,
            holds NaN or infinite samples or samples beyond ±1, or has another
            rate while ``resample_ok`` is False.
    """
    path = Path(path)
    _check_file(path)
    sf = _soundfile()
    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except Exception as exc:  # libsndfile raises its own error types
        raise DataError(_unreadable(path, exc)) from None
    if data.size == 0:
        raise DataError(f"audio file {path}: holds no samples; expected at least one")
    x = np.ascontiguousarray(data.T)  # (channels, samples)
    if not np.isfinite(x).all():
        raise DataError(f"audio file {path}: holds NaN or infinite samples")
    peak = float(np.abs(x).max())
    if peak > 1.0 + 1e-6:
        raise DataError(
            f"audio file {path}: samples reach {peak:.3g}, beyond full scale; "
            "expected samples within [-1, 1]"
        )
    if mono and x.shape[0] > 1:
        x = x.mean(axis=0, keepdims=True)
    if sample_rate is not None and rate != sample_rate:
        if not resample_ok:
            raise DataError(f"audio file {path}: sample rate {rate} Hz; expected {sample_rate} Hz")
        x = np.clip(resample(x, rate, sample_rate), -1.0, 1.0)
        rate = sample_rate
    return x.astype(np.float32, copy=False), int(rate)


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise DataError(f"audio file {path}: not found")
    if path.stat().st_size == 0:
        raise DataError(f"audio file {path}: is empty; expected WAV, FLAC, OGG or MP3 data")


def _unreadable(path: Path, exc: Exception) -> str:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    reason = reason.split("': ", 1)[-1] if reason.startswith("Error opening") else reason
    return (
        f"audio file {path}: not readable as WAV, FLAC, OGG or MP3 "
        f"(corrupt header or not audio: {reason})"
    )
