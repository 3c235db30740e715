"""AudioFrontEnd: librosa end to end, shapes, fitted normalization, state, bad arguments."""

from __future__ import annotations

import json

import librosa
import numpy as np
import pytest
import torch

from trainlab.core.errors import DataError
from trainlab.preprocess.audio.filters import butterworth_filter, pre_emphasis
from trainlab.preprocess.audio.frontend import FEATURES, AudioFrontEnd

RATE = 16000


def _speechish(n: int = 6, c: int = 1, length: int = 8000, seed: int = 0) -> torch.Tensor:
    """Tones with per-clip pitch and loudness plus noise: rows differ in level and spread."""
    g = torch.Generator().manual_seed(seed)
    t = torch.arange(length) / RATE
    f0 = 100 + 300 * torch.rand(n, c, 1, generator=g)
    gain = 10 ** (-2 * torch.rand(n, c, 1, generator=g))
    x = sum(torch.sin(2 * torch.pi * k * f0 * t) / k for k in range(1, 6))
    x = gain * x / 3 + 0.01 * torch.randn(n, c, length, generator=g)
    return x.clamp(-1, 1).float()


def test_logmel_equals_librosa_melspectrogram_in_db():
    x = _speechish(3)
    fe = AudioFrontEnd(RATE, features="logmel", n_mels=40, normalize="none")
    out = fe(x).numpy()
    for i in range(3):
        mel = librosa.feature.melspectrogram(
            y=x[i].numpy(), sr=RATE, n_fft=512, hop_length=160, n_mels=40, power=2.0
        )
        np.testing.assert_allclose(out[i], librosa.power_to_db(mel, top_db=80.0), atol=2e-3)


def test_mfcc_equals_librosa_feature_mfcc():
    x = _speechish(2, length=4000, seed=1).double()
    fe = AudioFrontEnd(RATE, features="mfcc", n_mfcc=13, n_mels=32, n_fft=400, normalize="none")
    out = fe(x)
    assert out.dtype == torch.float64
    for i in range(2):
        ref = librosa.feature.mfcc(
            y=x[i].numpy(), sr=RATE, n_mfcc=13, n_fft=400, hop_length=160, n_mels=32
        )
        np.testing.assert_allclose(out[i].numpy(), ref, rtol=1e-7, atol=1e-6)


def test_power_and_mel_features_equal_librosa():
    x = _speechish(1, length=3000, seed=2).double()
    power = AudioFrontEnd(RATE, features="power", normalize="none")(x)[0].numpy()
    ref = np.abs(librosa.stft(x[0].numpy(), n_fft=512, hop_length=160)) ** 2
    np.testing.assert_allclose(power, ref, rtol=1e-9, atol=1e-12)
    mel = AudioFrontEnd(
        RATE, features="mel", n_mels=20, f_min=50.0, f_max=7000.0, normalize="none"
    )(x)[0].numpy()
    ref = librosa.feature.melspectrogram(
        y=x[0].numpy(), sr=RATE, n_fft=512, hop_length=160, n_mels=20, fmin=50.0, fmax=7000.0
    )
    np.testing.assert_allclose(mel, ref, rtol=1e-6, atol=1e-12)


def test_filter_and_pre_emphasis_come_first():
    x = _speechish(2, seed=3)
    fe = AudioFrontEnd(
        RATE,
        features="waveform",
        filter="bandpass",
        cutoff=(300, 3400),
        pre_emphasis=0.97,
        normalize="none",
    )
    expected = pre_emphasis(butterworth_filter(x, "bandpass", (300, 3400), RATE), 0.97)
    torch.testing.assert_close(fe(x), expected)
    spec = AudioFrontEnd(RATE, filter="highpass", cutoff=1000.0, zero_phase=False, normalize="none")
    plain = AudioFrontEnd(RATE, normalize="none")
    filtered = butterworth_filter(x, "highpass", 1000.0, RATE, zero_phase=False)
    torch.testing.assert_close(spec(x), plain(filtered))


@pytest.mark.parametrize("features", FEATURES)
@pytest.mark.parametrize(("channels", "length"), [(1, 16000), (2, 3999), (1, 100)])
def test_out_shape_matches_forward(features, channels, length):
    fe = AudioFrontEnd(RATE, features=features, n_mels=24, n_mfcc=12, normalize="none")
    out = fe(torch.zeros(3, channels, length))
    assert tuple(out.shape) == (3, *fe.out_shape((channels, length)))
    rows = {"waveform": 0, "power": 257, "mel": 24, "logmel": 24, "mfcc": 12}[features]
    assert fe.n_rows == rows and len(fe.frequencies()) == rows


@pytest.mark.parametrize("features", FEATURES)
def test_fit_standardizes_each_row_on_the_training_data(features):
    x = _speechish(10, c=2, length=4000, seed=4)
    fe = AudioFrontEnd(RATE, features=features, n_mels=32, n_mfcc=16)
    assert not fe.fitted and float(fe.mean.abs().sum()) == 0 and bool((fe.std == 1).all())
    assert fe.fit(x, batch_size=3) is fe and fe.fitted
    y = fe(x).double()
    values = y.reshape(1, -1) if features == "waveform" else y.transpose(0, -2).flatten(1)
    assert fe.mean.shape == fe.std.shape == (values.shape[0],)
    assert int(fe.count) == values.shape[1]
    torch.testing.assert_close(
        values.mean(1), torch.zeros(len(values), dtype=torch.float64), atol=1e-4, rtol=0
    )
    torch.testing.assert_close(
        values.std(1, correction=0), torch.ones(len(values), dtype=torch.float64), atol=1e-4, rtol=0
    )


def test_fit_batches_agree_and_constant_rows_keep_unit_std():
    x = _speechish(7, seed=5)
    one = AudioFrontEnd(RATE).fit(x, batch_size=256)
    many = AudioFrontEnd(RATE).fit(x, batch_size=2)
    torch.testing.assert_close(one.mean, many.mean)
    torch.testing.assert_close(one.std, many.std)
    silent = AudioFrontEnd(RATE).fit(torch.zeros(3, 1, 1600))
    assert bool((silent.std == 1).all()) and bool((silent.mean == -100).all())


def test_rank_four_input_passes_through():
    x = _speechish(2, seed=6)
    fe = AudioFrontEnd(RATE, features="mfcc").fit(x)
    spec = fe(x)
    assert fe(spec) is spec
    with pytest.raises(DataError, match="rows do not match"):
        fe(torch.zeros(2, 1, 40, 51))
    with pytest.raises(DataError, match=r"expected waveforms \(N, C, L\)"):
        AudioFrontEnd(RATE, features="waveform")(torch.zeros(2, 1, 40, 51))
    with pytest.raises(DataError, match=r"expected waveforms \(N, C, L\)"):
        fe(torch.zeros(2, 1000))


def test_state_dict_round_trip_through_the_config():
    x = _speechish(4, seed=7)
    fe = AudioFrontEnd(
        RATE,
        features="logmel",
        filter="bandstop",
        cutoff=(50, 60),
        pre_emphasis=0.9,
        n_mels=30,
        top_db=None,
    ).fit(x)
    config = json.loads(json.dumps(fe.config))
    assert config["cutoff"] == [50.0, 60.0] and config["filter"] == "bandstop"
    assert set(fe.state_dict()) == {"mean", "std", "count"}
    assert list(fe.parameters()) == []
    restored = AudioFrontEnd.from_config(config)
    assert not restored.fitted
    restored.load_state_dict(fe.state_dict())
    assert restored.fitted and restored.config == fe.config
    torch.testing.assert_close(restored(x), fe(x))
    # an unfitted front end's state loads too (the buffers always exist)
    AudioFrontEnd.from_config(config).load_state_dict(AudioFrontEnd(**config).state_dict())


def test_frequencies_are_the_rows_in_hz():
    power = AudioFrontEnd(RATE, features="power")
    np.testing.assert_allclose(power.frequencies(), librosa.fft_frequencies(sr=RATE, n_fft=512))
    mel = AudioFrontEnd(RATE, features="logmel", n_mels=40)
    np.testing.assert_allclose(mel.frequencies(), librosa.mel_frequencies(42, fmax=8000)[1:-1])
    assert AudioFrontEnd(RATE, features="mfcc").frequencies().tolist() == list(range(20))


@pytest.mark.parametrize(
    ("kw", "name"),
    [
        ({"sample_rate": 0}, "sample_rate"),
        ({"features": "spectrogram"}, "features"),
        ({"filter": "notch"}, "filter"),
        ({"filter": "lowpass"}, "cutoff"),
        ({"filter": "lowpass", "cutoff": 8000.0}, "cutoff"),
        ({"filter": "bandpass", "cutoff": 300.0}, "cutoff"),
        ({"filter": "highpass", "cutoff": 100.0, "order": 0}, "order"),
        ({"zero_phase": "yes"}, "zero_phase"),
        ({"pre_emphasis": 1.5}, "pre_emphasis"),
        ({"n_fft": 1}, "n_fft"),
        ({"hop_length": 0}, "hop_length"),
        ({"win_length": 1024}, "win_length"),
        ({"n_mels": 0}, "n_mels"),
        ({"f_min": -5.0}, "f_min"),
        ({"f_max": 9000.0}, "f_max"),
        ({"f_min": 4000.0, "f_max": 3000.0}, "f_max"),
        ({"features": "mfcc", "n_mfcc": 41}, "n_mfcc"),
        ({"top_db": -1.0}, "top_db"),
        ({"normalize": "global"}, "normalize"),
    ],
)
def test_bad_arguments_raise_one_line_naming_them(kw, name):
    args = {"sample_rate": RATE, **kw}
    with pytest.raises(ValueError, match=rf"^{name}: expected") as info:
        AudioFrontEnd(**args)
    assert "\n" not in str(info.value)


def test_bad_config_and_fit_input():
    with pytest.raises(ValueError, match=r"unknown key.*n_mel\b"):
        AudioFrontEnd.from_config({"sample_rate": RATE, "n_mel": 40})
    with pytest.raises(ValueError, match="sample_rate"):
        AudioFrontEnd.from_config({"features": "mfcc"})
    fe = AudioFrontEnd(RATE)
    with pytest.raises(DataError, match="no waveforms"):
        fe.fit(torch.zeros(0, 1, 1000))
    with pytest.raises(ValueError, match=r"^batch_size: expected"):
        fe.fit(torch.zeros(2, 1, 1000), batch_size=0)
    assert AudioFrontEnd(RATE, filter="none", cutoff=123.0).config["cutoff"] is None


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_agrees_with_cpu():
    x = _speechish(4, seed=8)
    fe = AudioFrontEnd(RATE, filter="bandpass", cutoff=(100, 4000), pre_emphasis=0.97).fit(x)
    gpu = AudioFrontEnd.from_config(fe.config).cuda()
    gpu.load_state_dict(fe.state_dict())
    out = gpu(x.cuda())
    assert out.device.type == "cuda"
    torch.testing.assert_close(out.cpu(), fe(x), atol=1e-3, rtol=1e-4)
    gpu.fit(x.cuda())
    torch.testing.assert_close(gpu.mean.cpu(), fe.mean, atol=1e-3, rtol=1e-4)


def test_autocast_does_not_lower_the_features_precision():
    x = _speechish(2, seed=9)
    fe = AudioFrontEnd(RATE, features="mfcc").fit(x)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = fe(x)
    assert out.dtype == torch.float32
    torch.testing.assert_close(out, fe(x))
