"""The frame cache: read back instead of decoding, equal arrays, changed files and bad entries."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import pytest

from trainlab.core.errors import ConfigError
from trainlab.core.video_file import write_video
from trainlab.data.datasets.video import folder as folder_module
from trainlab.data.datasets.video.folder import VideoSpec, load_video_folder
from trainlab.data.datasets.video.frame_cache import FrameCache

pytest.importorskip("av")
pytest.importorskip("cv2")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    for cls, lengths in (("a", [9, 12]), ("b", [3, 10])):  # b/clip0 is short: padded
        for k, t in enumerate(lengths):
            frames = rng.integers(0, 256, (t, 12, 12, 3), dtype=np.uint8)
            write_video(tmp_path / "v" / cls / f"clip{k}.mkv", frames, codec="ffv1")
    return tmp_path / "v"


class _Spy:
    """``read_video`` counting its calls."""

    def __init__(self, monkeypatch) -> None:
        self.calls: list[Path] = []
        real = folder_module.read_video

        def spy(path, **kw):
            self.calls.append(Path(path))
            return real(path, **kw)

        monkeypatch.setattr(folder_module, "read_video", spy)


def _load(root: Path, cache):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        b = load_video_folder(path=root, frames=5, size=(8, 8), cache=cache)
    return b, [str(w.message) for w in record]


def test_the_second_load_reads_the_cache_not_the_files(root, tmp_path, monkeypatch):
    spy = _Spy(monkeypatch)
    plain, plain_warnings = _load(root, False)
    assert len(spy.calls) == 4
    first, _ = _load(root, tmp_path / "cache")
    assert len(spy.calls) == 8 and len(list((tmp_path / "cache").glob("*.npy"))) == 4
    second, second_warnings = _load(root, str(tmp_path / "cache"))
    assert len(spy.calls) == 8  # nothing decoded
    for b in (first, second):
        np.testing.assert_array_equal(b.train.x, plain.train.x)
        assert b.train.y.tolist() == plain.train.y.tolist() and b.notes == plain.notes
    assert second_warnings == plain_warnings  # the padded clip still says so
    assert any("padded" in n for n in second.notes)


def test_a_touched_file_is_decoded_again(root, tmp_path, monkeypatch):
    _load(root, tmp_path / "cache")
    spy = _Spy(monkeypatch)
    changed = root / "a" / "clip1.mkv"
    st = changed.stat()
    os.utime(changed, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    _load(root, tmp_path / "cache")
    assert spy.calls == [changed]


def test_a_damaged_or_wrong_entry_is_decoded_again_and_replaced(root, tmp_path, monkeypatch):
    cache = FrameCache(tmp_path / "cache")
    plain, _ = _load(root, False)
    _load(root, cache.folder)
    spec = VideoSpec(frames=5, size=(8, 8))
    damaged, wrong = root / "a" / "clip0.mkv", root / "a" / "clip1.mkv"
    (cache.folder / f"{cache.key(damaged, spec)}.npy").write_bytes(b"\x93NUMPY garbage")
    np.save(cache.folder / f"{cache.key(wrong, spec)}.npy", np.zeros((2, 3, 8, 8), np.uint8))
    spy = _Spy(monkeypatch)
    healed, _ = _load(root, cache.folder)
    assert sorted(spy.calls) == [damaged, wrong]
    np.testing.assert_array_equal(healed.train.x, plain.train.x)
    again, _ = _load(root, cache.folder)
    assert len(spy.calls) == 2  # replaced: read back now
    np.testing.assert_array_equal(again.train.x, plain.train.x)


def test_another_spec_is_another_entry(root, tmp_path, monkeypatch):
    _load(root, tmp_path / "cache")
    spy = _Spy(monkeypatch)
    with pytest.warns(UserWarning, match="fewer than 5 frames"):
        b = load_video_folder(
            path=root, frames=5, size=(8, 8), channels=1, cache=tmp_path / "cache"
        )
    assert len(spy.calls) == 4 and b.train.x.shape == (4, 5, 1, 8, 8)


def test_true_is_the_user_cache_and_other_values_are_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert FrameCache.from_option(True).folder == tmp_path / "trainlab" / "video-frames"
    assert FrameCache.from_option(False) is None
    for bad in (3, ""):
        with pytest.raises(ConfigError, match=r"data\.options\.cache: expected true, false"):
            FrameCache.from_option(bad)


def test_a_cache_that_cannot_be_written_warns_once_and_loads(root, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    plain, _ = _load(root, False)
    b, messages = _load(root, blocker / "cache")
    np.testing.assert_array_equal(b.train.x, plain.train.x)
    assert sum("cannot be written" in m for m in messages) == 1


def test_a_cached_clip_does_not_pass_a_smaller_pixel_limit(root, tmp_path):
    from trainlab.core.errors import DataError

    cache = tmp_path / "cache"
    load_video_folder(path=root, frames=4, size=(8, 8), cache=cache)
    with pytest.raises(DataError, match=r"exceed max_pixels=100"):
        load_video_folder(path=root, frames=4, size=(8, 8), cache=cache, max_pixels=100)


def test_an_unwritable_cache_is_dropped_once_when_it_is_asked_for(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    with pytest.warns(UserWarning, match="cannot be written") as record:
        assert FrameCache.from_option(str(blocker / "cache")) is None
    assert len(record) == 1
