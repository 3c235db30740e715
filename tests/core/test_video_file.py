"""Reading and writing video files: round trips, conversions against OpenCV, every bad input."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from trainlab.core.errors import ConfigError, DataError
from trainlab.core.video_file import read_video, write_video
from videokit import opencv_data

av = pytest.importorskip("av")
cv2 = pytest.importorskip("cv2")


def _frames(t: int = 16, h: int = 32, w: int = 32, seed: int = 0) -> np.ndarray:
    """Smooth moving colour gradients (lossy codecs keep them close), uint8 (T, H, W, 3)."""
    yy, xx = np.mgrid[0:h, 0:w]
    out = np.empty((t, h, w, 3), np.uint8)
    for i in range(t):
        out[i, :, :, 0] = xx * 200 // max(w - 1, 1) + 3 * i + seed
        out[i, :, :, 1] = yy * 255 // max(h - 1, 1)
        out[i, :, :, 2] = 128
    return out


@pytest.mark.parametrize(
    ("name", "codec"),
    [
        ("a.avi", "mpeg4"),
        ("a.mp4", "libx264"),
        ("a.mkv", "ffv1"),
        ("a.webm", "libvpx-vp9"),
        ("a.mov", "mpeg4"),
    ],
)
def test_round_trip_count_size_times_fps(tmp_path: Path, name: str, codec: str) -> None:
    frames = _frames()
    path = write_video(tmp_path / name, frames, fps=25, codec=codec)
    clip = read_video(path)
    assert clip.frames.shape == (16, 32, 32, 3) and clip.frames.dtype == np.uint8
    assert clip.times.dtype == np.float64
    np.testing.assert_allclose(clip.times, np.arange(16) / 25, atol=1e-6)
    assert clip.fps == 25.0 and clip.path == path and len(clip) == 16
    error = np.abs(clip.frames.astype(int) - frames).mean(axis=(1, 2, 3))
    assert error.max() < 12  # lossy codecs at 32x32, with 4:2:0 colour
    if codec == "ffv1":
        np.testing.assert_array_equal(clip.frames, frames)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary file left


def test_grayscale_is_opencv_luma_of_the_rgb_frames(tmp_path: Path) -> None:
    path = write_video(tmp_path / "c.mkv", _frames(), codec="ffv1")
    rgb = read_video(path).frames
    gray = read_video(path, channels=1).frames
    assert gray.shape == (16, 32, 32, 1)
    want = np.stack([cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in rgb])[..., None]
    np.testing.assert_array_equal(gray, want)


def test_resize_matches_cv2_inter_area(tmp_path: Path) -> None:
    frames = _frames(t=4, h=40, w=60)
    path = write_video(tmp_path / "c.mkv", frames, codec="ffv1")
    clip = read_video(path, size=(15, 20))
    assert clip.frames.shape == (4, 15, 20, 3)
    want = np.stack([cv2.resize(f, (20, 15), interpolation=cv2.INTER_AREA) for f in frames])
    np.testing.assert_array_equal(clip.frames, want)
    gray = read_video(path, size=(15, 20), channels=1).frames
    np.testing.assert_array_equal(
        gray[..., 0], np.stack([cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in want])
    )


def test_grayscale_frames_are_written_and_read(tmp_path: Path) -> None:
    frames = _frames(t=3)[..., :1]
    path = write_video(tmp_path / "g.mkv", frames, codec="ffv1", fps=5)
    clip = read_video(path, channels=1)
    np.testing.assert_array_equal(clip.frames, frames)
    assert clip.fps == 5.0


def test_max_frames_stops_early(tmp_path: Path) -> None:
    path = write_video(tmp_path / "c.mkv", _frames(), codec="ffv1")
    clip = read_video(path, max_frames=5)
    assert len(clip) == 5 and clip.times[-1] == pytest.approx(4 / 25)


def test_variable_frame_rate_is_read_with_its_times(tmp_path: Path) -> None:
    times = [0.0, 0.04, 0.2, 0.24, 0.52, 0.56]
    path = write_video(tmp_path / "v.mkv", _frames(t=6), codec="ffv1", times=times)
    clip = read_video(path)
    np.testing.assert_allclose(clip.times, times, atol=1e-6)
    assert len(clip) == 6


def test_garbage_bytes_are_not_a_video(tmp_path: Path) -> None:
    path = tmp_path / "junk.mp4"
    path.write_bytes(os.urandom(4000))
    with pytest.raises(DataError, match=r"junk\.mp4: not readable as video") as e:
        read_video(path)
    assert "\n" not in str(e.value)


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not found"):
        read_video(tmp_path / "none.mp4")
    (tmp_path / "e.mp4").write_bytes(b"")
    with pytest.raises(DataError, match=r"e\.mp4: is empty"):
        read_video(tmp_path / "e.mp4")


def test_a_file_without_video_stream(tmp_path: Path) -> None:
    soundfile = pytest.importorskip("soundfile")
    path = tmp_path / "sound.mkv"
    soundfile.write(path, np.zeros(800, np.float32), 8000, format="WAV")
    with pytest.raises(DataError, match=r"sound\.mkv: holds no video stream \(streams: audio\)"):
        read_video(path)


@pytest.mark.parametrize(("name", "codec"), [("t.mkv", "ffv1"), ("t.avi", "mpeg4")])
def test_a_file_cut_to_half_is_truncated(tmp_path: Path, name: str, codec: str) -> None:
    full = write_video(tmp_path / ("full" + Path(name).suffix), _frames(t=32), codec=codec)
    data = full.read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: len(data) // 2])
    what = "corrupt or truncated" if codec == "ffv1" else "not readable as video"  # AVI: header
    with pytest.raises(DataError, match=rf"{name.replace('.', '[.]')}: {what}"):
        read_video(path)


def test_an_mp4_cut_to_half_is_not_readable(tmp_path: Path) -> None:
    full = write_video(tmp_path / "full.mp4", _frames(t=32), codec="libx264")
    data = full.read_bytes()
    path = tmp_path / "t.mp4"
    path.write_bytes(data[: len(data) // 2])  # the moov index is written at the end
    with pytest.raises(DataError, match=r"t\.mp4: not readable as video"):
        read_video(path)


def _damaged(tmp_path: Path, name: str, codec: str, at: float) -> Path:
    """A 32-frame clip, 64 zero and 64 random bytes written over it at ``at`` of its size."""
    full = write_video(tmp_path / ("full" + Path(name).suffix), _frames(t=32), codec=codec)
    data = bytearray(full.read_bytes())
    k = int(at * len(data))
    data[k : k + 128] = bytes(64) + np.random.default_rng(0).bytes(64)
    (tmp_path / name).write_bytes(bytes(data))
    return tmp_path / name


def test_a_decoding_error_names_the_frame(tmp_path: Path) -> None:
    path = _damaged(tmp_path, "bad.avi", "mpeg4", 0.9)
    with pytest.raises(
        DataError, match=r"bad\.avi: corrupt .*: decoding failed at frame [1-9]\d*,"
    ):
        read_video(path)


def test_damage_that_loses_the_end_of_the_stream(tmp_path: Path) -> None:
    path = _damaged(tmp_path, "bad.mkv", "libx264", 0.7)
    with pytest.raises(
        DataError, match=r"bad\.mkv: corrupt or truncated: its \d+ decodable frames"
    ):
        read_video(path)


def test_a_damaged_mp4_header_is_one_line(tmp_path: Path) -> None:
    full = write_video(tmp_path / "full.mp4", _frames(t=32), codec="libx264")
    data = bytearray(full.read_bytes())
    n = len(data)  # the moov index (and its metadata) is at the end
    data[2 * n // 3 : 2 * n // 3 + 500] = np.random.default_rng(0).bytes(500)
    (tmp_path / "bad.mp4").write_bytes(bytes(data))
    with pytest.raises(DataError, match=r"bad\.mp4: (not readable as video|holds no video)") as e:
        read_video(tmp_path / "bad.mp4")
    assert "\n" not in str(e.value)


def test_zero_frames(tmp_path: Path) -> None:
    path = tmp_path / "zero.avi"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=25)
        stream.width = stream.height = 32
        stream.pix_fmt = "yuv420p"
        container.start_encoding()
        container.mux(stream.encode())
    with pytest.raises(DataError, match=r"zero\.avi: holds no frames"):
        read_video(path)


def test_a_resolution_above_max_pixels(tmp_path: Path) -> None:
    path = write_video(tmp_path / "big.mkv", _frames(t=2, h=40, w=60), codec="ffv1")
    with pytest.raises(DataError, match=r"big\.mkv: 60x40 frames \(2,400 pixels\).*max_pixels"):
        read_video(path, max_pixels=1000)
    assert len(read_video(path, max_pixels=2400)) == 2


def test_bad_options_and_bad_frames_to_write(tmp_path: Path) -> None:
    path = write_video(tmp_path / "c.mkv", _frames(t=2), codec="ffv1")
    with pytest.raises(ConfigError, match="channels"):
        read_video(path, channels=2)
    with pytest.raises(ConfigError, match="size"):
        read_video(path, size=(0, 4))
    with pytest.raises(ConfigError, match="codec"):
        write_video(tmp_path / "x.mkv", _frames(t=2), codec="h265")
    with pytest.raises(ConfigError, match="even"):
        write_video(tmp_path / "x.mp4", _frames(t=2, h=31), codec="libx264")
    with pytest.raises(ConfigError, match="uint8"):
        write_video(tmp_path / "x.mkv", _frames(t=2).astype(np.float32), codec="ffv1")
    with pytest.raises(ConfigError, match="times"):
        write_video(tmp_path / "x.mkv", _frames(t=2), codec="ffv1", times=[0.0, 0.0])
    assert not (tmp_path / "x.mkv").exists() and not (tmp_path / "x.mp4").exists()


def test_real_clip_vtest() -> None:
    folder = opencv_data()
    if folder is None:
        pytest.skip("opencv-doc's example clips are not unpacked")
    clip = read_video(folder / "vtest.avi", max_frames=20, size=(144, 192))
    assert clip.frames.shape == (20, 144, 192, 3) and clip.fps == 10.0
    np.testing.assert_allclose(clip.times, np.arange(20) / 10)
    cap = cv2.VideoCapture(str(folder / "vtest.avi"))
    ok, bgr = cap.read()
    assert ok
    want = cv2.resize(bgr[:, :, ::-1], (192, 144), interpolation=cv2.INTER_AREA)
    assert np.abs(clip.frames[0].astype(int) - want).mean() < 2.0  # the same decoder


def test_real_clip_megamind_bugy_reads_whole() -> None:
    """The clip OpenCV's tests call buggy decodes in full; its packet-order stamps are sorted."""
    folder = opencv_data()
    if folder is None or not (folder / "Megamind_bugy.avi").is_file():
        pytest.skip("opencv-doc's example clips are not unpacked")
    clip = read_video(folder / "Megamind_bugy.avi", size=(66, 90))
    assert clip.frames.shape == (270, 66, 90, 3) and clip.fps == 30.0
    assert np.all(np.diff(clip.times) > 0)
    np.testing.assert_allclose(clip.times, np.arange(270) / 30, atol=1e-9)
