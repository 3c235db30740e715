"""Small audio files written with soundfile for the audio loaders' tests."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

soundfile = pytest.importorskip("soundfile")

#: soundfile's subtype for each suffix the loaders read
SUBTYPES = {".wav": "PCM_16", ".flac": "PCM_16", ".ogg": "VORBIS", ".mp3": "MPEG_LAYER_III"}


def tone(rate: int, seconds: float, freq: float = 440.0, amp: float = 0.5, channels: int = 1):
    """A sine (samples, channels) float32, channel k at amplitude amp / (k + 1)."""
    t = np.arange(round(rate * seconds)) / rate
    wave = amp * np.sin(2 * np.pi * freq * t)
    return np.stack([wave / (k + 1) for k in range(channels)], axis=1).astype(np.float32)


def write(path: Path, x: np.ndarray, rate: int, subtype: str | None = None) -> Path:
    """Write ``x`` (samples[, channels]) to ``path`` (folders made), in the suffix's format."""
    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(path, x, rate, subtype=subtype or SUBTYPES[path.suffix.lower()])
    return path


def corrupt_header(path: Path) -> Path:
    """A WAV whose RIFF/WAVE header is garbled (its samples left as they were)."""
    write(path, tone(8000, 0.1), 8000)
    data = bytearray(path.read_bytes())
    data[8:16] = b"XXXXXXXX"  # "WAVEfmt " → garbage
    path.write_bytes(bytes(data))
    return path


@pytest.fixture
def audio():
    """The helpers, as one fixture: ``audio.write``, ``audio.tone``, ``audio.corrupt_header``."""

    return SimpleNamespace(write=write, tone=tone, corrupt_header=corrupt_header, subtypes=SUBTYPES)
