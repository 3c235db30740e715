"""BackgroundNoise: stretches of recordings, looped, resampled, mixed at the drawn SNR."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile
import torch

from trainlab.augment.audio.background import BackgroundNoise, list_audio_files


@pytest.fixture
def noise_folder(tmp_path):
    rng = np.random.default_rng(0)
    (tmp_path / "sub").mkdir()
    soundfile.write(tmp_path / "a.wav", 0.2 * rng.standard_normal(300), 16000)  # shorter: loops
    soundfile.write(tmp_path / "sub" / "b.flac", 0.1 * rng.standard_normal(5000), 16000)
    soundfile.write(tmp_path / "c.wav", 0.3 * rng.standard_normal(4000), 8000)  # resampled
    soundfile.write(tmp_path / ".hidden.wav", np.zeros(100), 16000)
    (tmp_path / "notes.txt").write_text("not audio")
    return tmp_path


def test_lists_audio_files_only_and_reads_them_when_built(noise_folder):
    aug = BackgroundNoise(str(noise_folder))
    assert [p.name for p in aug.files] == ["a.wav", "c.wav", "b.flac"]
    assert list(aug._banks) == [torch.device("cpu")]  # read already: bad files fail early
    _, _, lengths = aug.bank(torch.device("cpu"))
    assert lengths.tolist() == [300, 8000, 5000]  # c.wav resampled 8 kHz → 16 kHz


def test_noise_is_the_files_stretch_looped_and_mixed_at_the_drawn_snr(noise_folder):
    x = torch.randn(32, 2, 1000, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    aug = BackgroundNoise(str(noise_folder), snr_db=(0.0, 20.0))
    params = aug.sample_params(x, torch.Generator().manual_seed(2))
    assert set(params["file"].tolist()) == {0, 1, 2}
    samples, starts, lengths = aug.bank(torch.device("cpu"))
    noise = aug.noise(params, 1000, x.device)
    for i in range(32):  # the oracle: np.take with wrap-around
        k, o = int(params["file"][i]), int(params["offset"][i])
        clip = samples[starts[k] : starts[k] + lengths[k]].numpy()
        np.testing.assert_array_equal(
            noise[i, 0].numpy(), np.take(clip, o + np.arange(1000), mode="wrap")
        )
    out = aug.apply(x, params)
    snr = 10 * torch.log10(x.square().mean((1, 2)) / (out - x).square().mean((1, 2)))
    torch.testing.assert_close(snr, params["snr_db"].double(), atol=1e-5, rtol=0)
    torch.testing.assert_close(out[:, 0] - x[:, 0], out[:, 1] - x[:, 1])  # same on each channel


def test_a_folder_without_audio_is_a_value_error_naming_it(tmp_path):
    (tmp_path / "readme.txt").write_text("no audio here")
    with pytest.raises(ValueError, match=f"folder: no audio files .* under {tmp_path}"):
        BackgroundNoise(str(tmp_path))
    with pytest.raises(ValueError, match="folder: expected a folder"):
        list_audio_files(tmp_path / "missing")
    with pytest.raises(ValueError, match="folder: BackgroundNoise needs a folder"):
        BackgroundNoise().sample_params(torch.zeros(2, 1, 10))
    with pytest.raises(ValueError, match="sample_rate"):
        BackgroundNoise(sample_rate=0)
