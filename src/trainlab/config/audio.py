"""The recipe's ``preprocess.audio`` section: the front end an audio model starts with.

Band filtering, pre-emphasis and the spectrogram (power, mel, log-mel, MFCC)
with a per-frequency normalization fitted on the training split, computed on
batches on the training device as the model's first, fixed step (see
:mod:`trainlab.preprocess.audio.frontend`). ``features: auto`` gives a 2-D
model log-mel spectrograms and a 1-D model the waveform.

Example:
    >>> from trainlab.config.audio import AudioConfig
    >>> AudioConfig().features, AudioConfig(filter="bandpass", cutoff=[100, 4000]).cutoff
    ('auto', (100.0, 4000.0))
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from trainlab.config.section import Section

#: the spectrograms and the waveform a front end can give a model
AUDIO_FEATURES = ("auto", "waveform", "power", "mel", "logmel", "mfcc")


class AudioConfig(Section):
    """Band filter, pre-emphasis, spectrogram and per-frequency normalization of audio."""

    #: auto: logmel for 2-D models (cnn), the waveform for 1-D ones (cnn1d, wavecnn)
    features: Literal["auto", "waveform", "power", "mel", "logmel", "mfcc"] = "auto"
    #: a Butterworth filter before the features
    filter: Literal["none", "lowpass", "highpass", "bandpass", "bandstop"] = "none"
    #: the filter's cutoff in Hz: one frequency (low-, high-pass) or [low, high] (band)
    cutoff: float | tuple[float, float] | None = None
    order: int = Field(default=4, ge=1, le=12)
    #: filter forwards and backwards (no phase shift; the magnitude response squared)
    zero_phase: bool = True
    #: pre-emphasis coefficient a of y[t] = x[t] − a·x[t−1] (0: off; 0.97 is usual)
    pre_emphasis: float = Field(default=0.0, ge=0.0, lt=1.0)
    n_fft: int = Field(default=512, ge=16)
    hop_length: int = Field(default=160, ge=1)
    #: window length (None: n_fft)
    win_length: int | None = Field(default=None, ge=2)
    n_mels: int = Field(default=40, ge=1)
    f_min: float = Field(default=0.0, ge=0.0)
    #: highest mel frequency (None: half the sample rate)
    f_max: float | None = Field(default=None, gt=0.0)
    n_mfcc: int = Field(default=20, ge=1)
    #: log spectrograms: floor each example at its maximum minus top_db decibels
    top_db: float | None = Field(default=80.0, gt=0.0)
    #: per-frequency: standardize each frequency row with training statistics
    normalize: Literal["per-frequency", "none"] = "per-frequency"

    @field_validator("cutoff", mode="before")
    @classmethod
    def _one_or_pair(cls, value):
        if isinstance(value, list) and len(value) == 1:
            return value[0]
        return value

    @model_validator(mode="after")
    def _check(self) -> AudioConfig:
        band = self.filter in ("bandpass", "bandstop")
        if self.filter != "none" and self.cutoff is None:
            raise ValueError(f"filter {self.filter} needs a cutoff in Hz")
        if band and not isinstance(self.cutoff, tuple):
            raise ValueError(f"filter {self.filter} needs cutoff: [low, high] in Hz")
        if self.filter in ("lowpass", "highpass") and isinstance(self.cutoff, tuple):
            raise ValueError(f"filter {self.filter} needs one cutoff frequency, not a pair")
        if self.win_length is not None and self.win_length > self.n_fft:
            raise ValueError(f"win_length {self.win_length} exceeds n_fft {self.n_fft}")
        return self

    def frontend_arguments(self, sample_rate: int, features: str) -> dict:
        """The front end's constructor arguments, ``features`` resolved from ``auto``."""
        args = self.model_dump()
        args.update(sample_rate=int(sample_rate), features=features)
        if isinstance(args["cutoff"], tuple):
            args["cutoff"] = list(args["cutoff"])
        if features == "waveform":
            args["normalize"] = "none"
        return args
