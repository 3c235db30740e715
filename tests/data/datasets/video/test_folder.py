"""The video folder: classes, uniform sampling by time, padding, bad files, train/ and test/."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from trainlab.core.errors import ConfigError, DataError
from trainlab.core.video_file import write_video
from trainlab.data.datasets import load_dataset
from trainlab.data.datasets.video.folder import load_video_folder, uniform_indices

pytest.importorskip("av")
pytest.importorskip("cv2")


def _numbered(t: int, h: int = 16, w: int = 16) -> np.ndarray:
    """Frames whose every pixel is 8 times the frame's index (ffv1 keeps them exact)."""
    return np.repeat((np.arange(t, dtype=np.uint8) * 8)[:, None, None, None], h * w * 3).reshape(
        t, h, w, 3
    )


def _tree(root: Path, lengths: dict[str, list[int]]) -> Path:
    for cls, ts in lengths.items():
        for k, t in enumerate(ts):
            write_video(root / cls / f"clip{k}.mkv", _numbered(t), fps=25, codec="ffv1")
    return root


def test_two_classes_three_clips_sampled_uniformly(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"b": [20, 25, 30], "a": [12, 16, 31]})
    b = load_dataset("video-folder", {"path": str(root), "frames": 8, "size": [8, 8]})
    assert b.train.x.shape == (6, 8, 3, 8, 8) and b.train.x.dtype == np.uint8
    assert b.classes == ["a", "b"] and b.train.y.tolist() == [0, 0, 0, 1, 1, 1]
    assert b.modality == "video" and b.test is None
    got = b.train.x[:, :, 0, 0, 0].astype(int) // 8  # the sampled frames' indices
    for row, t in zip(got, [12, 16, 31, 20, 25, 30], strict=True):
        np.testing.assert_array_equal(row, np.round(np.linspace(0, t - 1, 8)))
        assert len(np.unique(row)) == 8


def test_grayscale_and_size(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"a": [10], "b": [10]})
    b = load_video_folder(path=root, frames=4, size=(6, 10), channels=1)
    assert b.train.x.shape == (2, 4, 1, 6, 10)


def test_sampling_is_by_time_for_a_variable_rate(tmp_path: Path) -> None:
    times = [0.0, 0.04, 0.08, 0.12, 0.16, 0.2, 0.24, 0.9, 0.94]
    write_video(tmp_path / "a" / "v.mkv", _numbered(9), fps=25, codec="ffv1", times=times)
    b = load_video_folder(path=tmp_path, frames=3, size=(4, 4))
    want = uniform_indices(np.array(times), 3)
    assert want.tolist() == [0, 6, 8]  # 0.47 s is nearest 0.24 s; by count it would be frame 4
    np.testing.assert_array_equal(b.train.x[0, :, 0, 0, 0] // 8, want)


def test_a_short_clip_is_padded_with_its_last_frame_or_fails(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"a": [3, 12], "b": [12]})
    with pytest.warns(UserWarning, match=r"clip0\.mkv holds fewer than 6 frames"):
        b = load_video_folder(path=root, frames=6, size=(4, 4))
    np.testing.assert_array_equal(b.train.x[0, :, 0, 0, 0] // 8, [0, 1, 2, 2, 2, 2])
    assert any("padded" in n for n in b.notes)
    with pytest.raises(DataError, match=r"clip0\.mkv: holds 3 frames, fewer than frames=6"):
        load_video_folder(path=root, frames=6, size=(4, 4), on_short="fail")


def test_bad_files_fail_or_are_skipped(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"a": [8, 8], "b": [8]})
    (root / "b" / "junk.mp4").write_bytes(b"not a video at all" * 50)
    (root / "b" / "notes.txt").write_text("ignored")
    (root / "b" / ".hidden.mp4").write_bytes(b"ignored too")
    with pytest.raises(DataError, match=r"junk\.mp4: not readable as video"):
        load_video_folder(path=root, frames=4, size=(4, 4))
    with pytest.warns(UserWarning, match=r"skipped video file .*junk\.mp4: not readable"):
        b = load_video_folder(path=root, frames=4, size=(4, 4), on_error="skip")
    assert b.train.y.tolist() == [0, 0, 1] and "skipped 1 unusable video file" in b.notes


def test_a_huge_resolution_fails_or_is_skipped(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"a": [4], "b": [4]})
    write_video(root / "b" / "big.mkv", _numbered(4, 40, 40), codec="ffv1")
    with pytest.raises(DataError, match=r"big\.mkv: 40x40 frames .* max_pixels=1,000"):
        load_video_folder(path=root, frames=4, size=(4, 4), max_pixels=1000)
    with pytest.warns(UserWarning, match="max_pixels"):
        b = load_video_folder(path=root, frames=4, size=(4, 4), max_pixels=1000, on_error="skip")
    assert len(b.train) == 2


def test_the_train_test_layout(tmp_path: Path) -> None:
    _tree(tmp_path / "train", {"a": [8, 8], "b": [8]})
    _tree(tmp_path / "test", {"b": [8]})
    b = load_video_folder(path=tmp_path, frames=4, size=(4, 4))
    assert b.classes == ["a", "b"] and b.train.y.tolist() == [0, 0, 1]
    assert b.test is not None and b.test.y.tolist() == [1] and b.test.x.shape == (1, 4, 3, 4, 4)
    _tree(tmp_path / "test", {"c": [8]})
    with pytest.raises(DataError, match="class 'c' of the test split is not a class of train/"):
        load_video_folder(path=tmp_path, frames=4, size=(4, 4))


def test_folders_without_videos(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such folder"):
        load_video_folder(path=tmp_path / "none")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x")
    with warnings.catch_warnings(), pytest.raises(DataError, match="no video files"):
        warnings.simplefilter("ignore")
        load_video_folder(path=tmp_path)


def test_options_are_checked(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"a": [4]})
    with pytest.raises(ConfigError, match="frames"):
        load_video_folder(path=root, frames=0)
    with pytest.raises(ConfigError, match="on_short"):
        load_dataset("video-folder", {"path": str(root), "on_short": "trim"})
    with pytest.raises(ConfigError, match="on_error"):
        load_dataset("video-folder", {"path": str(root), "on_error": "ignore"})


def test_the_index_lists_the_files_the_loader_reads_in_its_order(tmp_path: Path) -> None:
    from trainlab.data.datasets.video.folder import index_video_folder

    _tree(tmp_path / "train", {"b": [8, 9], "a": [10]})
    _tree(tmp_path / "test", {"a": [11]})
    ix = index_video_folder(path=tmp_path)
    assert ix.classes == ("a", "b") and len(ix) == 4
    assert [(i.split, i.label, i.path.name) for i in ix.items] == [
        ("train", "a", "clip0.mkv"),
        ("train", "b", "clip0.mkv"),
        ("train", "b", "clip1.mkv"),
        ("test", "a", "clip0.mkv"),
    ]
    b = load_video_folder(path=tmp_path, frames=4, size=(4, 4))
    bundle = ix.bundle()
    assert bundle.train.y.tolist() == b.train.y.tolist() and bundle.test.y.tolist() == [0]
    lengths = [int(x[-1, 0, 0, 0]) // 8 + 1 for x in b.train.x]  # the last frame's index + 1
    assert lengths == [10, 8, 9]  # the index's order
