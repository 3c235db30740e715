"""Background noise from recordings, mixed in at a target signal-to-noise ratio.

The audio files under ``folder`` (WAV, FLAC, OGG, MP3, in sub-folders too;
hidden files skipped) are listed and read when the augmentation is built (so
an unusable recording stops a run before it trains), once, with
:func:`trainlab.core.audio_file.read_audio` (mixed down to mono, resampled to
``sample_rate``) into one bank of samples. Per sample a file is drawn
uniformly, then a start offset uniformly within it; the clip's L samples are
read from there, wrapping around to the file's start (so files shorter than
the clip loop), and mixed in at an SNR drawn from ``snr_db``
(:func:`~trainlab.augment.audio._common.mix_at_snr`), the same noise on every
channel. Mixing recorded noise into speech: Ko et al., *A study on data
augmentation of reverberant speech for robust speech recognition*, ICASSP
2017; the MUSAN corpus (Snyder et al., 2015) is the usual source.

Example:
    >>> import tempfile, numpy as np, soundfile, torch
    >>> from trainlab.augment.audio.background import BackgroundNoise
    >>> folder = tempfile.mkdtemp()
    >>> rng = np.random.default_rng(0)
    >>> soundfile.write(f"{folder}/hum.wav", 0.1 * rng.standard_normal(800), 8000)
    >>> aug = BackgroundNoise(folder, snr_db=10.0, sample_rate=8000)
    >>> x = torch.randn(2, 1, 1000)
    >>> out = aug(x, torch.Generator().manual_seed(0))
    >>> snr = 10 * torch.log10(x.square().mean((1, 2)) / (out - x).square().mean((1, 2)))
    >>> [round(float(s), 3) for s in snr]
    [10.0, 10.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import torch

from trainlab.augment._base import Params, check_range, uniform
from trainlab.augment.audio._common import (
    WaveformAugmentation,
    mix_at_snr,
    restore,
    working_copy,
)
from trainlab.core.audio_file import AUDIO_SUFFIXES, read_audio


def list_audio_files(folder: str | Path) -> list[Path]:
    """The audio files under ``folder``, sorted; ``ValueError`` naming it when there are none.

    Example:
        >>> import tempfile
        >>> list_audio_files(tempfile.mkdtemp())  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: folder: no audio files (.wav, .flac, .ogg, .mp3) under ...
    """
    root = Path(folder)
    if not root.is_dir():
        raise ValueError(f"folder: expected a folder of audio files, got {str(folder)!r}")
    files = [
        path
        for path in root.rglob("*")
        if path.is_file()
        and path.suffix.lower() in AUDIO_SUFFIXES
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    ]
    if not files:
        raise ValueError(f"folder: no audio files ({', '.join(AUDIO_SUFFIXES)}) under {root}")
    return sorted(files)


class BackgroundNoise(WaveformAugmentation):
    """Mix in a random stretch of a random recording from ``folder`` at an SNR drawn per sample.

    Args:
        folder: a folder of noise recordings (required; the default "" builds an
            augmentation that refuses to run).
        snr_db: [low, high] range of the signal-to-noise ratio in dB, or one value.
        sample_rate: the batch's sample rate in Hz; recordings are resampled to it.
        p: probability that a sample gets noise.

    Example:
        >>> import tempfile, numpy as np, soundfile, torch
        >>> from trainlab.augment.audio.background import BackgroundNoise
        >>> folder = tempfile.mkdtemp()
        >>> soundfile.write(f"{folder}/a.flac", np.zeros(300), 16000)
        >>> soundfile.write(f"{folder}/b.wav", 0.5 * np.ones(500), 16000)
        >>> aug = BackgroundNoise(folder)
        >>> params = aug.sample_params(torch.randn(4, 1, 100), torch.Generator().manual_seed(0))
        >>> sorted(params), [p.name for p in aug.files]
        (['apply', 'file', 'offset', 'snr_db'], ['a.flac', 'b.wav'])
    """

    def __init__(
        self,
        folder: str = "",
        snr_db: float | Sequence[float] = (5.0, 20.0),
        sample_rate: int = 16000,
        p: float = 1.0,
    ) -> None:
        super().__init__(p)
        self.snr_db = check_range("snr_db", snr_db)
        if isinstance(sample_rate, bool) or not isinstance(sample_rate, int) or sample_rate < 1:
            raise ValueError(
                f"sample_rate: expected a positive whole number of Hz, got {sample_rate!r}"
            )
        self.sample_rate = sample_rate
        self.folder = str(folder)
        self.files = list_audio_files(self.folder) if self.folder else []
        self._banks: dict[torch.device, tuple[torch.Tensor, torch.Tensor, torch.Tensor]] = {}
        if self.files:  # read now: an unusable recording is an error before any training
            self.bank(torch.device("cpu"))

    def bank(self, device: torch.device) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(samples, starts, lengths) of every recording, on ``device`` (read when built)."""
        if not self.files:
            raise ValueError(
                f"folder: {type(self).__name__} needs a folder of noise recordings, got none"
            )
        if not self._banks:
            clips = [
                torch.from_numpy(read_audio(f, sample_rate=self.sample_rate)[0][0])
                for f in self.files
            ]
            lengths = torch.tensor([len(clip) for clip in clips])
            starts = torch.cumsum(lengths, 0) - lengths
            self._banks[torch.device("cpu")] = (torch.cat(clips), starts, lengths)
        if device not in self._banks:
            self._banks[device] = tuple(t.to(device) for t in self._banks[torch.device("cpu")])
        return self._banks[device]

    def sample_params(
        self, batch: torch.Tensor, generator: torch.Generator | None = None
    ) -> Params:
        params = super().sample_params(batch, generator)
        n = batch.shape[0]
        _, _, lengths = self.bank(batch.device)
        params["snr_db"] = uniform(n, *self.snr_db, generator, batch.device)
        count = len(self.files)
        file = uniform(n, 0.0, count, generator, batch.device).long().clamp(max=count - 1)
        offset = uniform(n, 0.0, 1.0, generator, batch.device).double() * lengths[file]
        params["file"] = file  # (N,) index into self.files
        params["offset"] = torch.minimum(offset.long(), lengths[file] - 1)  # (N,) samples
        return params

    def noise(self, params: Params, length: int, device: torch.device) -> torch.Tensor:
        """(N, 1, L) the drawn stretches of the recordings, looped where a file is short."""
        samples, starts, lengths = self.bank(device)
        file, offset = params["file"].to(device), params["offset"].to(device)
        t = torch.arange(length, device=device).view(1, length)
        index = starts[file].view(-1, 1) + (offset.view(-1, 1) + t) % lengths[file].view(-1, 1)
        return samples[index].unsqueeze(1)

    def apply(self, batch: torch.Tensor, params: Params) -> torch.Tensor:
        self.check_batch(batch)
        x = working_copy(batch)
        noise = self.noise(params, batch.shape[-1], batch.device).to(x.dtype)
        noisy = mix_at_snr(x, noise, params["snr_db"])
        return restore(torch.where(self.mask(params, batch), noisy, x), batch)

    def extra_repr(self) -> str:
        return (
            f"folder={self.folder!r}, snr_db={self.snr_db}, "
            f"sample_rate={self.sample_rate}, p={self.p}"
        )
