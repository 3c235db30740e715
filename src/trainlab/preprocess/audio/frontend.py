"""The audio front end: the fitted, saved preprocessing an audio model starts with.

Waveforms (N, C, L) go through, in order,

1. an optional Butterworth band filter (``filter``: lowpass, highpass,
   bandpass, bandstop; zero-phase by default), by FFT;
2. optional pre-emphasis y[t] = x[t] − a·x[t−1] (``pre_emphasis`` = a > 0);
3. the features: the (filtered) ``waveform`` itself, the STFT ``power``
   spectrogram, its ``mel`` spectrogram (Slaney filterbank), the ``logmel``
   (dB, ``top_db`` below each clip's maximum), or the ``mfcc`` of the log-mel;
4. a normalization fitted on the training waveforms by :meth:`AudioFrontEnd.fit`:
   ``"per-frequency"`` subtracts the mean and divides by the standard deviation
   of each frequency row (mel band, FFT bin or MFCC coefficient) over the
   training examples, channels and frames, as speech recognizers normalize
   their features (global cepstral mean and variance normalization); for
   ``features="waveform"`` it is one global mean and deviation over all
   samples. A row that is constant in training keeps σ = 1. ``"none"`` skips it.

The statistics are buffers (``mean``, ``std`` and the ``count`` of values
they were fitted on), always registered, so the front end's ``state_dict``
travels in a model's checkpoint and loads into a front end built from the
same :attr:`~AudioFrontEnd.config`. The window, filterbank and DCT are
non-persistent buffers: they follow the module to its device and are
rebuilt from the config. There are no trainable parameters.

An input of rank 4 while the features are spectrograms is taken to be this
front end's output already (an augmentation may compute and mask the
spectrograms before the model) and passes through unchanged.

Example:
    >>> import torch
    >>> from trainlab.preprocess.audio.frontend import AudioFrontEnd
    >>> x = torch.randn(8, 1, 16000, generator=torch.Generator().manual_seed(0))
    >>> fe = AudioFrontEnd(16000, features="logmel", n_mels=40).fit(x)
    >>> fe.out_shape((1, 16000)), tuple(fe(x).shape)
    ((1, 40, 101), (8, 1, 40, 101))
    >>> fe2 = AudioFrontEnd.from_config(fe.config)
    >>> _ = fe2.load_state_dict(fe.state_dict())
    >>> fe2.fitted, torch.equal(fe2(x), fe(x))
    (True, True)
"""

from __future__ import annotations

import contextlib
import inspect
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch import nn

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.audio._checks import (
    as_float_tensor,
    check_choice,
    check_float,
    check_int,
)
from trainlab.preprocess.audio.db import power_to_db
from trainlab.preprocess.audio.filters import (
    FILTER_KINDS,
    BandFilter,
    PreEmphasis,
    butterworth_sos,
)
from trainlab.preprocess.audio.mel import check_mel_args, mel_centres, mel_filterbank
from trainlab.preprocess.audio.mfcc import dct_matrix, mfcc
from trainlab.preprocess.audio.stft import check_stft_args, n_frames, stft_power

if TYPE_CHECKING:
    from typing_extensions import Self

FEATURES: tuple[str, ...] = ("waveform", "power", "mel", "logmel", "mfcc")
FILTERS: tuple[str, ...] = ("none", *FILTER_KINDS)
NORMALIZATIONS: tuple[str, ...] = ("per-frequency", "none")

_EPS64 = float(np.finfo(np.float64).eps)


def _check_config(c: dict[str, Any]) -> dict[str, Any]:
    """The front end's arguments checked and made JSON-ready: the one place they are validated."""
    c = dict(c)
    c["sample_rate"] = check_int("sample_rate", c["sample_rate"], low=1)
    c["features"] = check_choice("features", c["features"], FEATURES)
    c["filter"] = check_choice("filter", c["filter"], FILTERS)
    c["order"] = check_int("order", c["order"], low=1)
    if not isinstance(c["zero_phase"], bool):
        raise ConfigError(f"zero_phase: expected true or false, got {c['zero_phase']!r}")
    if c["filter"] == "none":
        c["cutoff"] = None  # unused; a recipe may keep one while switching the filter off
    else:
        butterworth_sos(c["filter"], c["cutoff"], c["sample_rate"], c["order"])
        cut = c["cutoff"]
        c["cutoff"] = float(cut) if c["filter"] in ("lowpass", "highpass") else [*map(float, cut)]
    c["pre_emphasis"] = check_float("pre_emphasis", c["pre_emphasis"], low=0.0, high=1.0)
    c["n_fft"], c["hop_length"], _ = check_stft_args(c["n_fft"], c["hop_length"], c["win_length"])
    if c["win_length"] is not None:
        c["win_length"] = int(c["win_length"])
    _, c["n_mels"], c["f_min"], _ = check_mel_args(
        c["sample_rate"], c["n_mels"], c["f_min"], c["f_max"]
    )
    if c["f_max"] is not None:
        c["f_max"] = float(c["f_max"])
    c["n_mfcc"] = check_int("n_mfcc", c["n_mfcc"], low=1)
    if c["features"] == "mfcc" and c["n_mfcc"] > c["n_mels"]:
        raise ConfigError(f"n_mfcc: expected at most n_mels = {c['n_mels']}, got {c['n_mfcc']}")
    if c["top_db"] is not None:
        c["top_db"] = check_float("top_db", c["top_db"], low=0.0)
    c["normalize"] = check_choice("normalize", c["normalize"], NORMALIZATIONS)
    return c


def _full_precision(device: torch.device) -> contextlib.AbstractContextManager:
    """Autocast switched off: the features are computed in the input's float dtype."""
    if device.type in ("cuda", "cpu"):
        return torch.autocast(device.type, enabled=False)
    return contextlib.nullcontext()


def _merge_moments(
    a: tuple[int, torch.Tensor, torch.Tensor], b: tuple[int, torch.Tensor, torch.Tensor]
) -> tuple[int, torch.Tensor, torch.Tensor]:
    """Count, mean and sum of squared deviations of two parts combined (Chan et al., 1979)."""
    (na, ma, m2a), (nb, mb, m2b) = a, b
    n = na + nb
    delta = mb - ma
    return n, ma + delta * (nb / n), m2a + m2b + delta.square() * (na * nb / n)


class AudioFrontEnd(nn.Module):
    """Band filter, pre-emphasis, spectrogram features and fitted normalization (see the module).

    Args:
        sample_rate: samples per second of the input waveforms.
        features: ``waveform``, ``power``, ``mel``, ``logmel`` or ``mfcc``.
        filter: ``none`` or a Butterworth kind (``lowpass``, ``highpass``, ``bandpass``,
            ``bandstop``).
        cutoff: the filter's cutoff in Hz; a (low, high) pair for the band kinds
            (ignored when ``filter="none"``).
        order: the filter's order.
        zero_phase: filter forwards and backwards (|H|², no phase shift).
        pre_emphasis: the pre-emphasis coefficient in [0, 1]; 0 switches it off.
        n_fft: the STFT's FFT length.
        hop_length: samples between frames (160 = 10 ms at 16 kHz).
        win_length: the Hann window's length (default n_fft).
        n_mels: mel bands.
        f_min: the lowest mel band edge (Hz).
        f_max: the highest mel band edge (Hz; default sample_rate / 2).
        n_mfcc: MFCCs kept (at most n_mels).
        top_db: the dynamic range of the log-mel per clip (None: not clipped).
        normalize: ``per-frequency`` (fitted by :meth:`fit`) or ``none``.

    Example:
        >>> import torch
        >>> from trainlab.preprocess.audio.frontend import AudioFrontEnd
        >>> fe = AudioFrontEnd(8000, features="mfcc", n_mels=32, n_mfcc=13, hop_length=80)
        >>> fe.out_shape((1, 8000)), fe.fitted
        ((1, 13, 101), False)
    """

    def __init__(
        self,
        sample_rate: int,
        features: str = "logmel",
        filter: str = "none",
        cutoff: float | tuple[float, float] | None = None,
        order: int = 4,
        zero_phase: bool = True,
        pre_emphasis: float = 0.0,
        n_fft: int = 512,
        hop_length: int = 160,
        win_length: int | None = None,
        n_mels: int = 40,
        f_min: float = 0.0,
        f_max: float | None = None,
        n_mfcc: int = 20,
        top_db: float | None = 80.0,
        normalize: str = "per-frequency",
    ) -> None:
        super().__init__()
        c = _check_config(
            {
                "sample_rate": sample_rate,
                "features": features,
                "filter": filter,
                "cutoff": cutoff,
                "order": order,
                "zero_phase": zero_phase,
                "pre_emphasis": pre_emphasis,
                "n_fft": n_fft,
                "hop_length": hop_length,
                "win_length": win_length,
                "n_mels": n_mels,
                "f_min": f_min,
                "f_max": f_max,
                "n_mfcc": n_mfcc,
                "top_db": top_db,
                "normalize": normalize,
            }
        )
        self._config = c
        self.sample_rate, self.features, self.normalize = (
            c["sample_rate"],
            c["features"],
            c["normalize"],
        )
        self.band = (
            None
            if c["filter"] == "none"
            else BandFilter(c["filter"], c["cutoff"], c["sample_rate"], c["order"], c["zero_phase"])
        )
        self.emphasis = PreEmphasis(c["pre_emphasis"]) if c["pre_emphasis"] > 0 else None
        self._register_kernels(c)
        rows = 1 if self.features == "waveform" else self.n_rows
        self.register_buffer("mean", torch.zeros(rows))
        self.register_buffer("std", torch.ones(rows))
        self.register_buffer("count", torch.zeros((), dtype=torch.int64))

    def _register_kernels(self, c: dict[str, Any]) -> None:
        """The window, mel filterbank and DCT matrix as non-persistent buffers (or None).

        Kept in float64 and cast to the input's dtype when used, so that a
        float64 input is computed in full precision.
        """
        f64 = torch.float64
        spectral = self.features != "waveform"
        win = c["win_length"] or c["n_fft"]
        window = torch.hann_window(win, periodic=True, dtype=f64) if spectral else None
        self.register_buffer("window", window, persistent=False)
        fb = None
        if self.features in ("mel", "logmel", "mfcc"):
            fb = mel_filterbank(
                c["sample_rate"], c["n_fft"], c["n_mels"], c["f_min"], c["f_max"], dtype=f64
            )
        self.register_buffer("mel_fb", fb, persistent=False)
        dct = dct_matrix(c["n_mfcc"], c["n_mels"], dtype=f64) if self.features == "mfcc" else None
        self.register_buffer("dct", dct, persistent=False)

    # -- description -------------------------------------------------------
    @property
    def config(self) -> dict[str, Any]:
        """Every constructor argument (JSON-ready); :meth:`from_config` rebuilds the module."""
        return {k: list(v) if isinstance(v, list) else v for k, v in self._config.items()}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> AudioFrontEnd:
        """A front end (unfitted) from :attr:`config`; unknown keys raise ConfigError naming them.

        Example:
            >>> from trainlab.preprocess.audio.frontend import AudioFrontEnd
            >>> AudioFrontEnd.from_config({"sample_rate": 16000, "n_mels": 64}).n_rows
            64
        """
        if not isinstance(config, dict) or "sample_rate" not in config:
            raise ConfigError(
                f"audio front end config: expected a mapping with sample_rate, got {config!r}"
            )
        unknown = sorted(set(config) - set(_ARGS))
        if unknown:
            raise ConfigError(
                f"audio front end config: unknown key(s) {', '.join(unknown)}; "
                f"expected some of {', '.join(_ARGS)}"
            )
        return cls(**config)

    @property
    def n_rows(self) -> int:
        """Frequency rows F of the features (FFT bins, mel bands or MFCCs; 0 for waveforms)."""
        c = self._config
        return {
            "waveform": 0,
            "power": c["n_fft"] // 2 + 1,
            "mel": c["n_mels"],
            "logmel": c["n_mels"],
            "mfcc": c["n_mfcc"],
        }[self.features]

    @property
    def fitted(self) -> bool:
        """Whether the normalization is fitted (always True with ``normalize="none"``)."""
        return self.normalize == "none" or int(self.count) > 0

    def out_shape(self, in_shape: tuple[int, ...]) -> tuple[int, ...]:
        """The shape of one example (C, L) after the front end: (C, L) or (C, F, T).

        Example:
            >>> from trainlab.preprocess.audio.frontend import AudioFrontEnd
            >>> AudioFrontEnd(16000, features="power").out_shape((2, 8000))
            (2, 257, 51)
        """
        if len(in_shape) != 2:
            raise DataError(f"out_shape: expected one example's shape (C, L), got {in_shape}")
        channels, length = (int(s) for s in in_shape)
        if self.features == "waveform":
            return channels, length
        c = self._config
        return channels, self.n_rows, n_frames(length, c["n_fft"], c["hop_length"])

    def frequencies(self) -> np.ndarray:
        """The value of each output row, for the axes of plots.

        Hz of the FFT bins (``power``) or of the mel band centres (``mel``,
        ``logmel``); the coefficient index 0..n_mfcc−1 for ``mfcc`` (not Hz);
        empty for ``waveform``.

        Example:
            >>> from trainlab.preprocess.audio.frontend import AudioFrontEnd
            >>> AudioFrontEnd(16000, features="power", n_fft=8).frequencies().tolist()
            [0.0, 2000.0, 4000.0, 6000.0, 8000.0]
        """
        c = self._config
        if self.features == "waveform":
            return np.zeros(0)
        if self.features == "power":
            return np.linspace(0.0, c["sample_rate"] / 2, self.n_rows)
        if self.features == "mfcc":
            return np.arange(self.n_rows, dtype=np.float64)
        return mel_centres(c["sample_rate"], c["n_mels"], c["f_min"], c["f_max"])

    # -- computing ---------------------------------------------------------
    def _check_waveforms(self, x: Any, what: str) -> torch.Tensor:
        x = as_float_tensor(x, f"AudioFrontEnd.{what}")
        if x.ndim != 3:
            raise DataError(
                f"AudioFrontEnd.{what}: expected waveforms (N, C, L), got shape {tuple(x.shape)}"
            )
        return x

    def features_of(self, x: torch.Tensor) -> torch.Tensor:
        """The features of waveforms (N, C, L) before the normalization (for plots and :meth:`fit`).

        Example:
            >>> import torch
            >>> from trainlab.preprocess.audio.frontend import AudioFrontEnd
            >>> fe = AudioFrontEnd(16000, features="logmel", top_db=80.0)
            >>> S = fe.features_of(torch.zeros(1, 1, 1600))  # silence: amin = -100 dB
            >>> S.shape, float(S.max())
            (torch.Size([1, 1, 40, 11]), -100.0)
        """
        x = self._check_waveforms(x, "features_of")
        with _full_precision(x.device):
            return self._features(x)

    def _features(self, x: torch.Tensor) -> torch.Tensor:
        if self.band is not None:
            x = self.band(x)
        if self.emphasis is not None:
            x = self.emphasis(x)
        if self.features == "waveform":
            return x
        c = self._config
        S = stft_power(x, c["n_fft"], c["hop_length"], c["win_length"], window=self.window)
        if self.features == "power":
            return S
        S = torch.matmul(self.mel_fb.to(S.dtype), S)
        if self.features == "mel":
            return S
        S = power_to_db(S, top_db=c["top_db"])
        return S if self.features == "logmel" else mfcc(S, dct=self.dct)

    def _standardize(self, y: torch.Tensor) -> torch.Tensor:
        if self.normalize == "none":
            return y
        shape = (-1,) if self.features == "waveform" else (-1, 1)
        mean = self.mean.to(y.dtype).view(shape)
        return (y - mean) / self.std.to(y.dtype).view(shape)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Waveforms (N, C, L) → normalized features; this front end's features pass through."""
        if x.ndim == 4 and self.features != "waveform":
            if x.shape[-2] != self.n_rows:
                raise DataError(
                    f"AudioFrontEnd: spectrograms with {x.shape[-2]} rows do not match the "
                    f"front end's {self.n_rows} ({self.features}); expected (N, C, "
                    f"{self.n_rows}, T) or waveforms (N, C, L)"
                )
            return x
        return self._standardize(self.features_of(x))

    @torch.no_grad()
    def fit(self, x: torch.Tensor | np.ndarray, batch_size: int = 256) -> Self:
        """Fit the normalization on training waveforms (N, C, L), in batches, without gradients.

        The statistics are accumulated in float64 on the front end's device
        (batches are moved there), merged batch by batch.

        Args:
            x: the training split's waveforms.
            batch_size: waveforms per batch (>= 1).

        Returns:
            ``self``, fitted (unchanged with ``normalize="none"``).
        """
        batch_size = check_int("batch_size", batch_size, low=1)
        x = self._check_waveforms(x, "fit")
        if x.shape[0] == 0:
            raise DataError("AudioFrontEnd.fit: got no waveforms (N = 0)")
        if self.normalize == "none":
            return self
        device, moments = self.mean.device, None
        for start in range(0, x.shape[0], batch_size):
            y = self.features_of(x[start : start + batch_size].to(device)).to(torch.float64)
            rows = y.reshape(1, -1) if self.features == "waveform" else y.transpose(0, -2)
            rows = rows.reshape(rows.shape[0], -1)  # (F, values)
            mean = rows.mean(dim=1)
            part = (rows.shape[1], mean, (rows - mean[:, None]).square().sum(dim=1))
            moments = part if moments is None else _merge_moments(moments, part)
        n, mean, m2 = moments
        var = m2 / n
        constant = var <= n * _EPS64 * var + (n * mean * _EPS64) ** 2
        self.mean.copy_(mean)
        self.std.copy_(torch.where(constant, torch.ones_like(var), var.sqrt()))
        self.count.fill_(n)
        return self

    def extra_repr(self) -> str:
        c = self._config
        parts = [f"sample_rate={c['sample_rate']}", f"features={c['features']!r}"]
        if c["filter"] != "none":
            parts.append(f"filter={c['filter']!r}, cutoff={c['cutoff']}")
        if c["pre_emphasis"]:
            parts.append(f"pre_emphasis={c['pre_emphasis']}")
        if self.features != "waveform":
            parts.append(f"rows={self.n_rows}")
        parts.append(f"normalize={c['normalize']!r}{'' if self.fitted else ', unfitted'}")
        return ", ".join(parts)


#: the constructor's argument names, in order (the keys of ``config``)
_ARGS: tuple[str, ...] = tuple(inspect.signature(AudioFrontEnd.__init__).parameters)[1:]
