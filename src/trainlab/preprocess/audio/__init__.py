"""Audio preprocessing on batched waveforms (N, C, L), on their device.

Kernels, each a function with a thin module where it has a use as a layer:

- ``filters``: Butterworth low-, high-, band-pass and band-stop filters by FFT
  (zero-phase or causal) and pre-emphasis (:class:`BandFilter`, :class:`PreEmphasis`);
- ``stft``: the STFT power spectrogram (N, C, F, T);
- ``mel``: the Slaney mel filterbank;
- ``db``: power to decibels, clipped per example;
- ``mfcc``: the DCT-II of a log-mel spectrogram;

and ``frontend``: :class:`AudioFrontEnd`, all of them in order with a
per-frequency normalization fitted on the training split.

Example:
    >>> import torch
    >>> from trainlab.preprocess.audio import AudioFrontEnd, mel_filterbank, power_to_db, stft_power
    >>> x = torch.randn(2, 1, 4000, generator=torch.Generator().manual_seed(0))
    >>> logmel = power_to_db(mel_filterbank(16000, 512, n_mels=40) @ stft_power(x))
    >>> fe = AudioFrontEnd(16000, normalize="none")
    >>> torch.allclose(fe(x), logmel, atol=1e-4)
    True
"""

from trainlab.preprocess.audio.db import power_to_db
from trainlab.preprocess.audio.filters import (
    FILTER_KINDS,
    BandFilter,
    PreEmphasis,
    butterworth_filter,
    butterworth_sos,
    pre_emphasis,
    sos_filter,
)
from trainlab.preprocess.audio.frontend import FEATURES, FILTERS, NORMALIZATIONS, AudioFrontEnd
from trainlab.preprocess.audio.mel import mel_centres, mel_filterbank
from trainlab.preprocess.audio.mfcc import dct_matrix, mfcc
from trainlab.preprocess.audio.stft import n_frames, stft_power

__all__ = [
    "FEATURES",
    "FILTERS",
    "FILTER_KINDS",
    "NORMALIZATIONS",
    "AudioFrontEnd",
    "BandFilter",
    "PreEmphasis",
    "butterworth_filter",
    "butterworth_sos",
    "dct_matrix",
    "mel_centres",
    "mel_filterbank",
    "mfcc",
    "n_frames",
    "power_to_db",
    "pre_emphasis",
    "sos_filter",
    "stft_power",
]
