"""Audio end to end: a folder of clips → a run whose model takes waveforms → evaluate, predict,
transfer; the preview's spectrograms and WAV files; the front end's errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError, DataError
from trainlab.io.model_file import load_model
from trainlab.workflows.audio_setup import (
    build_frontend,
    frontend_features,
    frontend_from_state,
    frontend_state,
    with_sample_rate,
)
from trainlab.workflows.evaluate import evaluate_checkpoint
from trainlab.workflows.predict import predict_file
from trainlab.workflows.prepare import prepare_data, preprocess_state
from trainlab.workflows.preview import augment_preview
from trainlab.workflows.run import run_recipe

sf = pytest.importorskip("soundfile")
RATE = 8000


@pytest.fixture(scope="module")
def tones(tmp_path_factory):
    """Two classes of quarter-second clips: a low tone and a high one, in a little noise."""
    root = tmp_path_factory.mktemp("tones")
    rng = np.random.default_rng(0)
    t = np.arange(RATE // 4) / RATE
    for name, freq in (("high", 2000.0), ("low", 300.0)):
        (root / name).mkdir()
        for i in range(16):
            f = freq * rng.uniform(0.9, 1.1)
            x = 0.4 * np.sin(2 * np.pi * f * t + rng.uniform(0, 6)) + 0.02 * rng.standard_normal(
                t.size
            )
            sf.write(root / name / f"{i}.wav", x.astype(np.float32), RATE)
    return root


def _recipe(folder, **sets) -> Recipe:
    base = {
        "name": "tones",
        "data.dataset": "audio-folder",
        "data.options": {"path": str(folder), "sample_rate": RATE, "seconds": 0.25},
        "preprocess.normalize": "none",
        "preprocess.audio.n_fft": 128,
        "preprocess.audio.hop_length": 64,
        "preprocess.audio.n_mels": 16,
        "model.name": "cnn",
        "model.widths": [4, 8],
        "train.epochs": 4,
        "train.batch_size": 8,
        "optimizer.lr": 0.01,
    }
    return Recipe().override({**base, **sets})


def test_the_front_end_is_fitted_on_the_training_split_and_saved(tones):
    data = prepare_data(_recipe(tones))
    assert data.modality == "audio" and data.in_shape == (1, RATE // 4)
    assert data.model_in_shape == (1, 16, RATE // 4 // 64 + 1)
    with torch.no_grad():
        feats = data.frontend(data.train[0])
    rows = feats.transpose(0, 2).reshape(16, -1)
    assert torch.allclose(rows.mean(1), torch.zeros(16), atol=1e-3)
    state = preprocess_state(data)["audio"]
    again = frontend_from_state(state)
    assert again.fitted and torch.equal(again(data.test[0]), data.frontend(data.test[0]))


def test_a_run_trains_on_waveforms_and_its_model_file_takes_them(tones, tmp_path):
    result = run_recipe(_recipe(tones), out_dir=tmp_path)
    assert result.metrics["test_acc"] >= 0.9
    assert (result.folder / "spectrograms.png").stat().st_size > 1000
    models, meta = load_model(result.folder / "model.safetensors")
    assert meta["model"]["frontend"]["features"] == "logmel"
    data = prepare_data(_recipe(tones), fitted=meta["preprocess"])
    with torch.no_grad():
        acc = (models[0](data.test[0]).argmax(1) == data.test[1]).float().mean().item()
    assert acc == pytest.approx(result.metrics["test_acc"])
    assert evaluate_checkpoint(result.folder)["acc"] == pytest.approx(result.metrics["test_acc"])
    table = predict_file(result.folder, tones / "low")
    assert table.columns[:2] == ["file", "label"]
    assert sum(row[1] == "low" for row in table.rows) >= 14


def test_spectrogram_augmentation_runs_after_the_front_end(tones, tmp_path):
    augment = [
        {"name": "add-noise", "snr_db": [10, 30]},
        {"name": "spec-augment", "freq_width": 3, "time_width": 4, "warp": 2},
    ]
    result = run_recipe(_recipe(tones, augment=augment, **{"train.epochs": 2}), out_dir=tmp_path)
    assert 0.0 <= result.metrics["test_acc"] <= 1.0


def test_a_waveform_model_refuses_spectrogram_augmentation(tones, tmp_path):
    r = _recipe(tones, **{"model.name": "wavecnn", "augment": [{"name": "time-mask"}]})
    with pytest.raises(ConfigError, match="the model reads waveforms"):
        run_recipe(r, out_dir=tmp_path)


def test_a_waveform_model_trains_through_a_band_filter(tones, tmp_path):
    r = _recipe(
        tones,
        **{
            "model.name": "wavecnn",
            "model.widths": [4, 8],
            "preprocess.audio.filter": "highpass",
            "preprocess.audio.cutoff": 100,
            "train.epochs": 2,
        },
    )
    assert frontend_features(r) == "waveform"
    result = run_recipe(r, out_dir=tmp_path)
    _, meta = load_model(result.folder / "model.safetensors")
    assert meta["model"]["frontend"]["filter"] == "highpass"


def test_a_cutoff_above_the_nyquist_frequency_is_named(tones):
    r = _recipe(tones, **{"preprocess.audio.filter": "lowpass", "preprocess.audio.cutoff": 5000})
    with pytest.raises(ConfigError, match=r"preprocess\.audio: cutoff"):
        prepare_data(r)


def test_transfer_adopts_the_checkpoint_front_end(tones, tmp_path):
    base = run_recipe(_recipe(tones, **{"train.epochs": 2}), out_dir=tmp_path)
    r = _recipe(
        tones,
        **{
            "transfer.checkpoint": str(base.folder / "model.safetensors"),
            "transfer.strategy": "freeze-first-n",
            "transfer.stages": 1,
            "preprocess.audio.n_mels": 24,  # differs: the checkpoint's 16 are adopted
            "train.epochs": 1,
        },
    )
    with pytest.warns(UserWarning, match="audio n_mels 16 in the checkpoint, 24 in the data"):
        result = run_recipe(r, out_dir=tmp_path)
    _, meta = load_model(result.folder / "model.safetensors")
    _, source = load_model(base.folder / "model.safetensors")
    assert meta["preprocess"]["audio"]["config"]["n_mels"] == 16
    assert meta["preprocess"]["audio"]["mean"] == source["preprocess"]["audio"]["mean"]


def test_an_image_model_cannot_lend_its_preprocessing_to_audio(tones, tmp_path):
    image = run_recipe(
        Recipe.load("digits-cnn").override(
            {"data.limit": 100, "train.epochs": 1, "model.widths": [4, 8]}
        ),
        out_dir=tmp_path,
    )
    r = _recipe(tones, **{"transfer.checkpoint": str(image.folder / "model.safetensors")})
    with pytest.raises(DataError, match=r"set transfer\.preprocessing: own"):
        run_recipe(r, out_dir=tmp_path / "b")
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").iterdir())


def test_a_saved_model_refuses_clips_of_another_rate_or_length(tones, tmp_path):
    result = run_recipe(_recipe(tones, **{"train.epochs": 1}), out_dir=tmp_path)
    with pytest.raises(DataError, match="front end takes 8000 Hz"):
        evaluate_checkpoint(result.folder, overrides=["data.options.sample_rate=16000"])
    with pytest.raises(DataError, match="clips of 4000 samples, but the model takes 2000"):
        evaluate_checkpoint(result.folder, overrides=["data.options.seconds=0.5"])


def test_a_streamed_folder_trains_and_reports_the_same_way(tones, tmp_path):
    r = _recipe(tones, **{"data.stream": True, "data.workers": 0, "train.epochs": 2})
    result = run_recipe(r, out_dir=tmp_path)
    assert (result.folder / "spectrograms.png").stat().st_size > 1000
    in_memory = run_recipe(_recipe(tones, **{"train.epochs": 2}), out_dir=tmp_path / "m")
    assert result.metrics["test_acc"] == pytest.approx(in_memory.metrics["test_acc"])


def test_the_preview_writes_spectrograms_and_wav_files(tones, tmp_path):
    augment = [{"name": "gain", "gain_db": 6}, {"name": "time-mask", "max_width": 4}]
    r = _recipe(tones, augment=augment, **{"preprocess.normalize": "standard"})
    out = augment_preview(r, tmp_path / "p.png", rows=2)
    assert out.stat().st_size > 1000
    wavs = sorted(p.name for p in (tmp_path / "p-wav").iterdir())
    assert wavs == ["1-gain.wav", "1-original.wav", "2-gain.wav", "2-original.wav"]
    original, _ = sf.read(tmp_path / "p-wav" / "1-original.wav")
    louder, _ = sf.read(tmp_path / "p-wav" / "1-gain.wav")
    # the files' own units, not the normalized waveform: a source clip's peak (0.4 + noise)
    assert 0.35 < np.abs(original).max() < 0.5
    ratio = np.abs(louder).max() / np.abs(original).max()
    assert ratio == pytest.approx(10 ** (6 / 20), rel=0.02)


def test_with_sample_rate_fills_only_what_takes_it():
    specs = with_sample_rate([{"name": "background-noise", "folder": "n"}, {"name": "gain"}], 8000)
    assert specs == [
        {"name": "background-noise", "folder": "n", "sample_rate": 8000},
        {"name": "gain"},
    ]


def test_build_frontend_needs_a_sample_rate():
    from trainlab.core.errors import DataError

    with pytest.raises(DataError, match="no sample rate"):
        build_frontend(Recipe(), None, torch.zeros(2, 1, 100))
    fe = build_frontend(Recipe(), 8000, torch.randn(4, 1, 800))
    assert frontend_from_state(frontend_state(fe)).config == fe.config
