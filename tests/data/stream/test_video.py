"""Streamed video files: the clips of the in-memory loader, its pipeline, one-line errors."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from trainlab.core.errors import ConfigError, DataError
from trainlab.core.video_file import write_video
from trainlab.data.datasets.video import folder as folder_module
from trainlab.data.datasets.video.folder import VideoSpec, index_video_folder, load_video_folder
from trainlab.data.datasets.video.frame_cache import FrameCache
from trainlab.data.stream import StreamSource
from trainlab.data.stream.video import (
    VideoFileDataset,
    VideoTransform,
    estimate_video_bytes,
    fit_stream_video,
    video_frames,
)
from trainlab.preprocess.video.pipeline import VideoPipeline

pytest.importorskip("av")
pytest.importorskip("cv2")
SPEC = VideoSpec(frames=6, size=(16, 16))


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """a: 3 clips, b: 3 (one of 4 frames: padded), random frames of 20 x 24."""
    rng = np.random.default_rng(3)
    base = tmp_path_factory.mktemp("v") / "root"
    for cls, lengths in (("a", [8, 10, 12]), ("b", [4, 9, 14])):
        for k, t in enumerate(lengths):
            frames = rng.integers(0, 256, (t, 20, 24, 3), dtype=np.uint8)
            write_video(base / cls / f"{k}.mkv", frames, codec="ffv1")
    return base


def _memory(root: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the padded clip
        return load_video_folder(path=root, frames=SPEC.frames, size=SPEC.size)


def test_the_stream_decodes_the_clips_of_the_in_memory_loader(root):
    memory = _memory(root)
    ds = VideoFileDataset.from_index(index_video_folder(path=root), VideoTransform(SPEC))
    assert len(ds) == 6 and ds.labels.tolist() == memory.train.y.tolist()
    np.testing.assert_array_equal(np.stack([ds.clip(i) for i in range(6)]), memory.train.x)


@pytest.mark.parametrize("workers", [0, 1])
def test_batches_are_the_pipeline_of_the_in_memory_clips(root, workers):
    memory = _memory(root)
    reference = VideoPipeline(frames=3, sampling="motion", flow="farneback", masks="background")
    want = reference.fit_transform(memory.train.x)
    ix = index_video_folder(path=root)
    pipe = VideoPipeline(frames=3, sampling="motion", flow="farneback", masks="background")
    fitted = fit_stream_video([str(i.path) for i in ix.items], SPEC, pipe, workers=workers)
    assert fitted.read == fitted.total == 6 and pipe.scale == reference.scale
    ds = VideoFileDataset.from_index(ix, VideoTransform(SPEC, pipe))
    with StreamSource(ds, batch_size=4, workers=workers, shuffle=False) as src:
        got = np.concatenate([b["x"].numpy() for b in src])
    assert got.shape == (6, 3, 6, 16, 16) == (6, *ds.transform.shape)
    np.testing.assert_array_equal(got, want)


def test_the_fit_reads_at_most_the_cap_and_nothing_without_flow(root):
    paths = [str(i.path) for i in index_video_folder(path=root).items]
    capped = fit_stream_video(paths, SPEC, VideoPipeline(frames=2, flow="dis"), max_clips=2)
    assert (capped.read, capped.total) == (2, 6) and capped.pipeline.scale > 0
    memory = _memory(root)
    spread_fit = VideoPipeline(frames=2, flow="dis").fit(memory.train.x[[0, 5]])
    assert capped.pipeline.scale == spread_fit.scale  # the first and the last file
    assert fit_stream_video(paths, SPEC, VideoPipeline(frames=2)).read == 0
    with pytest.raises(DataError, match="7 frames asked, but the clips have 6"):
        fit_stream_video(paths, SPEC, VideoPipeline(frames=7))
    with pytest.raises(ConfigError, match="max_clips must be at least 1"):
        fit_stream_video(paths, SPEC, VideoPipeline(flow="dis"), max_clips=0)


def test_the_dataset_reads_the_frame_cache(root, tmp_path, monkeypatch):
    cache = FrameCache(tmp_path / "cache")
    transform = VideoTransform(SPEC, VideoPipeline(frames=3), cache)
    ds = VideoFileDataset.from_index(index_video_folder(path=root), transform)
    clips = np.stack([ds.clip(i) for i in range(len(ds))])
    first = [ds.decode(i) for i in range(len(ds))]
    calls = []
    monkeypatch.setattr(folder_module, "read_video", lambda *a, **k: calls.append(a))
    again = [ds.decode(i) for i in range(len(ds))]
    assert not calls and all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cached = load_video_folder(path=root, frames=6, size=(16, 16), cache=str(cache.folder))
    assert not calls  # the in-memory loader reads the entries the stream wrote
    np.testing.assert_array_equal(cached.train.x, clips)


def test_an_unusable_file_stops_the_epoch_in_one_line(root, tmp_path):
    bad = tmp_path / "bad.webm"
    bad.write_bytes(b"\x1aE\xdf\xa3 truncated header")
    ds = VideoFileDataset([root / "a" / "0.mkv", bad], [0, 1], VideoTransform(SPEC))
    src = StreamSource(ds, batch_size=2, workers=1, shuffle=False)
    with pytest.raises(DataError, match=r"bad\.webm: ") as info:
        list(src)
    assert "\n" not in str(info.value)
    src.close()
    short = VideoFileDataset(
        [root / "b" / "0.mkv"], [0], VideoTransform(VideoSpec(6, (16, 16), on_short="fail"))
    )
    with pytest.raises(DataError, match=r"0\.mkv: holds 4 frames, fewer than frames=6"):
        short.decode(0)


def test_the_in_memory_size_comes_from_the_options_and_the_headers(root):
    paths = [i.path for i in index_video_folder(path=root).items]
    assert video_frames(paths[-1]) == (14, 20, 24)
    got = estimate_video_bytes(paths, SPEC, (3, 6, 16, 16))
    clips, inputs, decoding = 6 * 6 * 3 * 16 * 16, 6 * 3 * 6 * 16 * 16 * 4, 14 * 3 * 16 * 16
    assert got == clips + inputs + decoding
    assert estimate_video_bytes([], SPEC) == 0
