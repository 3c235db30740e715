"""Files to clips: length fitting, option checks, mix-down, and resampling against oracles."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import resample_poly

from trainlab.core.errors import ConfigError, DataError
from trainlab.data.datasets.audio._clips import ClipSpec, Item, decode_clip, fit_length, load_clips


@pytest.mark.parametrize(
    "n, length, crop, expected",
    [
        (5, 3, "centre", [2, 3, 4]),
        (6, 3, "centre", [2, 3, 4]),  # (6 - 3) // 2 = 1 sample dropped before
        (5, 3, "start", [1, 2, 3]),
        (2, 5, "centre", [0, 1, 2, 0, 0]),  # (5 - 2) // 2 = 1 zero before
        (2, 4, "start", [1, 2, 0, 0]),
        (3, 3, "centre", [1, 2, 3]),
    ],
)
def test_fit_length_cuts_and_pads(n, length, crop, expected):
    x = np.arange(1, n + 1, dtype=np.float32)[None].repeat(2, axis=0)
    out = fit_length(x, length, crop)
    assert out.shape == (2, length) and out.dtype == np.float32
    assert out[0].tolist() == expected and out[1].tolist() == expected


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"sample_rate": 0}, "data.options.sample_rate: .* got 0"),
        ({"sample_rate": 16000.5}, "data.options.sample_rate"),
        ({"sample_rate": True}, "data.options.sample_rate"),
        ({"seconds": -1.0}, "data.options.seconds: .* got -1.0"),
        ({"seconds": float("nan")}, "data.options.seconds"),
        ({"seconds": "1"}, "data.options.seconds"),
        ({"seconds": 1e-6}, "less than one sample"),
        ({"crop": "middle"}, "data.options.crop: expected 'centre' or 'start', got 'middle'"),
    ],
)
def test_bad_options_are_one_line_config_errors(kwargs, match):
    with pytest.raises(ConfigError, match=match) as info:
        ClipSpec(**kwargs)
    assert "\n" not in str(info.value)


def test_resampling_matches_the_analytic_sine_and_scipy(tmp_path, audio):
    src = audio.write(tmp_path / "a.wav", audio.tone(44100, 0.5, freq=440.0), 44100, "FLOAT")
    clip = decode_clip(src, ClipSpec(sample_rate=16000, seconds=0.5, crop="start"))
    assert clip.rate == 44100 and clip.samples.shape == (1, 8000)
    t = np.arange(8000) / 16000
    inner = slice(200, -200)  # the polyphase filter's edge transients left out
    expected = 0.5 * np.sin(2 * np.pi * 440.0 * t)
    np.testing.assert_allclose(clip.samples[0, inner], expected[inner], atol=2e-3)
    oracle = resample_poly(audio.tone(44100, 0.5)[:, 0].astype(np.float64), 160, 441)
    np.testing.assert_allclose(clip.samples[0], oracle, atol=1e-5)


def test_resampling_agrees_with_librosa(tmp_path, audio):
    librosa = pytest.importorskip("librosa")
    x = audio.tone(22050, 0.4, freq=1000.0)[:, 0]
    src = audio.write(tmp_path / "a.flac", x, 22050, "PCM_24")
    clip = decode_clip(src, ClipSpec(sample_rate=16000, seconds=0.4, crop="start"))
    ref = librosa.resample(x, orig_sr=22050, target_sr=16000, res_type="soxr_hq")
    inner = slice(300, -300)
    np.testing.assert_allclose(clip.samples[0, inner], ref[inner], atol=2e-3)


def test_stereo_is_mixed_down_to_the_mean_of_its_channels(tmp_path, audio):
    x = np.stack([np.full(800, 0.5), np.full(800, -0.1)], axis=1).astype(np.float32)
    src = audio.write(tmp_path / "s.wav", x, 8000, "FLOAT")
    mono = decode_clip(src, ClipSpec(sample_rate=8000, seconds=0.1))
    kept = decode_clip(src, ClipSpec(sample_rate=8000, seconds=0.1, mono=False))
    assert mono.channels == 2 and mono.samples.shape == (1, 800)
    np.testing.assert_allclose(mono.samples, 0.2, atol=1e-6)
    assert kept.samples.shape == (2, 800) and kept.samples[1, 0] == pytest.approx(-0.1)


def test_another_rate_without_resampling_is_an_error_naming_the_file(tmp_path, audio):
    src = audio.write(tmp_path / "r.wav", audio.tone(8000, 0.1), 8000)
    with pytest.raises(DataError, match=r"r\.wav: sample rate 8000 Hz; expected 16000 Hz"):
        decode_clip(src, ClipSpec(sample_rate=16000, resample=False))


def test_resampled_overshoot_stays_within_full_scale(tmp_path, audio):
    square = np.sign(np.sin(2 * np.pi * 300 * np.arange(4410) / 44100)).astype(np.float32)
    src = audio.write(tmp_path / "sq.wav", square, 44100, "FLOAT")
    clip = decode_clip(src, ClipSpec(sample_rate=16000, seconds=0.1))
    assert np.abs(clip.samples).max() <= 1.0


def test_load_clips_keeps_the_order_and_splits(tmp_path, audio):
    items = []
    for k, (label, split) in enumerate([("b", "train"), ("a", "train"), ("b", "test")]):
        x = np.full(80, 0.1 * (k + 1), np.float32)
        items.append(Item(audio.write(tmp_path / f"{k}.wav", x, 8000, "FLOAT"), label, split))
    b = load_clips(items, ClipSpec(8000, 0.01), dataset="toy", source="here")
    assert b.classes == ["a", "b"] and b.train.y.tolist() == [1, 0] and b.test.y.tolist() == [1]
    np.testing.assert_allclose(b.train.x[:, 0, 0], [0.1, 0.2], atol=1e-6)
    np.testing.assert_allclose(b.test.x[0, 0], 0.3, atol=1e-6)
