"""Streamed audio files: the clips of the in-memory loader, its normalization, one-line errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from trainlab.core.errors import ConfigError, DataError
from trainlab.data.datasets.audio._clips import ClipSpec
from trainlab.data.datasets.audio.audio_folder import index_audio_folder, load_audio_folder
from trainlab.data.stream import StreamSource
from trainlab.data.stream.audio import (
    AudioFileDataset,
    AudioTransform,
    estimate_audio_bytes,
    fit_stream_audio,
)
from trainlab.preprocess.pipeline import Preprocessor

sf = pytest.importorskip("soundfile")
RATE = 8000
SPEC = ClipSpec(sample_rate=RATE, seconds=0.05)


def _write(path: Path, x: np.ndarray, rate: int = RATE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, x, rate, subtype="FLOAT")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """a: 4 mono clips of several lengths; b: 3, one stereo, one at 16 kHz."""
    rng = np.random.default_rng(0)
    root = tmp_path / "r"
    for i, n in enumerate([300, 400, 500, 100]):
        _write(root / "a" / f"{i}.wav", (0.3 * rng.standard_normal(n)).clip(-1, 1))
    _write(root / "b" / "0.wav", (0.2 * rng.standard_normal((400, 2))).clip(-1, 1))
    _write(root / "b" / "1.wav", (0.2 * rng.standard_normal(800)).clip(-1, 1), 16000)
    _write(root / "b" / "2.wav", np.full(400, 0.25))
    return root


def test_the_stream_decodes_the_clips_of_the_in_memory_loader(folder):
    memory = load_audio_folder(path=folder, sample_rate=RATE, seconds=0.05)
    ds = AudioFileDataset.from_index(index_audio_folder(path=folder), AudioTransform(SPEC))
    assert len(ds) == 7 and ds.labels.tolist() == memory.train.y.tolist()
    clips = np.stack([ds.decode(i) for i in range(len(ds))])
    np.testing.assert_array_equal(clips, memory.train.x)


@pytest.mark.parametrize("workers", [0, 1])
def test_batches_match_the_in_memory_normalization(folder, workers):
    memory = load_audio_folder(path=folder, sample_rate=RATE, seconds=0.05)
    reference = Preprocessor(pixel_scale=False).fit(memory.train.x)
    ix = index_audio_folder(path=folder)
    paths = [str(i.path) for i in ix.items]
    fitted = fit_stream_audio(paths, SPEC)
    assert fitted.total == 7 and fitted.clips.shape == (7, 1, 400)
    pre = fitted.preprocessor
    assert pre.state_dict()["normalizer"] == reference.state_dict()["normalizer"]
    ds = AudioFileDataset.from_index(ix, AudioTransform(SPEC, preprocessor=pre))
    src = StreamSource(ds, batch_size=3, workers=workers, shuffle=False)
    x = torch.cat([b["x"] for b in src]).numpy()
    np.testing.assert_allclose(x, reference.transform(memory.train.x), atol=1e-6)
    src.close()


def test_the_fit_reads_at_most_max_clips_spread_over_the_files(folder):
    paths = [str(i.path) for i in index_audio_folder(path=folder).items]
    fitted = fit_stream_audio(paths, SPEC, max_clips=2)
    assert fitted.clips.shape == (2, 1, 400) and fitted.total == 7
    np.testing.assert_allclose(fitted.clips[1, 0, 100:300], 0.25)  # the last file: b/2.wav
    with pytest.raises(ConfigError, match="max_clips must be at least 1"):
        fit_stream_audio(paths, SPEC, max_clips=0)


def test_an_unusable_file_stops_the_epoch_naming_it(folder):
    (folder / "b" / "3.wav").write_text("not audio")
    ds = AudioFileDataset.from_index(index_audio_folder(path=folder), AudioTransform(SPEC))
    src = StreamSource(ds, batch_size=4, workers=0, shuffle=False)
    with pytest.raises(DataError, match=r"3\.wav: not readable as WAV") as info:
        list(src)
    assert "\n" not in str(info.value)
    paths = [str(i.path) for i in index_audio_folder(path=folder).items]
    with pytest.raises(DataError, match=r"3\.wav: not readable"):
        fit_stream_audio(paths, SPEC)


def test_kept_channels_must_agree(folder):
    spec = ClipSpec(sample_rate=RATE, seconds=0.05, mono=False)
    ds = AudioFileDataset.from_index(index_audio_folder(path=folder), AudioTransform(spec, 2))
    assert ds.decode(4).shape == (2, 400)  # b/0.wav is the stereo one
    with pytest.raises(DataError, match=r"0\.wav: 1 channel; expected 2"):
        ds.decode(0)


def test_a_stream_needs_a_duration_and_fitted_statistics():
    with pytest.raises(ConfigError, match=r"data\.options\.seconds: a streamed audio folder"):
        AudioTransform(ClipSpec(seconds=None))
    with pytest.raises(ConfigError, match="not fitted"):
        AudioTransform(SPEC, preprocessor=Preprocessor())
    with pytest.raises(ConfigError, match="expected 1 for mono"):
        AudioTransform(SPEC, channels=2)


def test_the_footprint_is_exact_with_a_duration_and_from_headers_without(folder):
    paths = [str(i.path) for i in index_audio_folder(path=folder).items]
    assert estimate_audio_bytes(paths, SPEC) == 7 * 400 * 4
    longest = estimate_audio_bytes(paths, ClipSpec(sample_rate=RATE, seconds=None))
    assert longest == 7 * 500 * 4  # a/2.wav: 500 samples
    stereo = estimate_audio_bytes(paths[4:], ClipSpec(sample_rate=RATE, seconds=0.05, mono=False))
    assert stereo == 3 * 2 * 400 * 4  # the first file's channels
