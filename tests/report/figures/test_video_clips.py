"""Clip strips: the flow colours against OpenCV's HSV→RGB, the rows a clip gets, bad shapes."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from trainlab.core.errors import DataError
from trainlab.report.figures.video_clips import (
    Clip,
    flow_max_of,
    flow_rgb,
    hsv_to_rgb,
    plot_video_clips,
)

cv2 = pytest.importorskip("cv2")


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_hsv_to_rgb_is_opencvs_on_every_8_bit_hue():
    h, s, v = np.meshgrid(np.arange(180), [0, 77, 128, 255], [0, 64, 200, 255], indexing="ij")
    hsv = np.stack([h, s, v], axis=-1).astype(np.uint8).reshape(1, -1, 3)
    want = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)[0].astype(int)
    ours = hsv_to_rgb(2.0 * hsv[0, :, 0], hsv[0, :, 1] / 255, hsv[0, :, 2] / 255)
    got = np.round(ours * 255).astype(int)
    assert np.abs(got - want).max() <= 1


def _opencv_tutorial_colors(flow: np.ndarray, flow_max: float) -> np.ndarray:
    """The flow picture of OpenCV's optical-flow tutorial, with a fixed speed scale."""
    mag, ang = cv2.cartToPolar(flow[0], flow[1])
    hsv = np.zeros((*mag.shape, 3), np.uint8)
    hsv[..., 0] = np.round(ang * 180 / np.pi / 2).astype(int) % 180
    hsv[..., 1] = 255
    hsv[..., 2] = np.clip(np.round(mag / flow_max * 255), 0, 255)
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)


def test_flow_colours_are_the_opencv_tutorials_on_a_known_field():
    # every direction OpenCV's 8-bit hue can name exactly (2 degrees apart), at 3 speeds
    angles = np.radians(np.arange(0, 360, 2, dtype=np.float64))
    speeds = np.array([1.0, 2.0, 4.0])[:, None]
    flow = np.stack([speeds * np.cos(angles), speeds * np.sin(angles)]).astype(np.float32)
    want = _opencv_tutorial_colors(flow, flow_max=4.0).astype(int)
    got = flow_rgb(flow, flow_max=4.0).astype(int)
    assert got.shape == (3, 180, 3) and got.dtype == np.int64
    assert np.abs(got - want).max() <= 1


@pytest.mark.parametrize(
    ("dx", "dy", "rgb"),
    [
        (1.0, 0.0, (255, 0, 0)),  # right: red
        (0.0, 1.0, (128, 255, 0)),  # down (image y): hue 90 degrees
        (-1.0, 0.0, (0, 255, 255)),  # left: cyan
        (0.0, -1.0, (128, 0, 255)),  # up: violet
    ],
)
def test_pure_motions_have_their_hue(dx, dy, rgb):
    flow = np.zeros((2, 3, 3), np.float32)
    flow[0], flow[1] = dx, dy
    assert flow_rgb(flow)[1, 1].tolist() == list(rgb)
    want = _opencv_tutorial_colors(flow, 1.0)[1, 1].astype(int)
    assert np.abs(want - np.array(rgb)).max() <= 1


def test_speed_sets_the_brightness_and_still_is_black():
    flow = np.zeros((2, 1, 3), np.float32)
    flow[0, 0] = [0.0, 1.0, 5.0]  # still, a quarter of flow_max, beyond it
    got = flow_rgb(flow, flow_max=4.0)[0]
    assert got.tolist() == [[0, 0, 0], [64, 0, 0], [255, 0, 0]]


def test_a_random_field_agrees_with_trainlabs_opencv_picture():
    from trainlab.preprocess.video.flow import flow_to_color

    flow = np.random.default_rng(0).normal(size=(2, 20, 20)).astype(np.float32)
    ours, theirs = flow_rgb(flow).astype(int), flow_to_color(flow).astype(int)
    # OpenCV's 8-bit hue has 2-degree steps: at most 2/60 of the value apart
    assert np.abs(ours - theirs).max() <= 9
    assert np.mean(np.abs(ours - theirs)) < 2


def test_the_figure_speed_scale_ignores_still_pixels():
    flow = np.zeros((4, 2, 10, 10), np.float32)
    flow[:, 0, :2] = 3.0  # a fifth of the pixels move 3 pixels a frame
    assert flow_max_of([flow]) == pytest.approx(3.0)
    assert flow_max_of([np.zeros_like(flow)]) == 1.0


def _clip(k=4, flow=True, masks=True, rgb=False):
    rng = np.random.default_rng(1)
    frames = rng.random((k, 12, 16, 3) if rgb else (k, 12, 16))
    return Clip(
        frames,
        flow=rng.normal(size=(k, 2, 12, 16)) if flow else None,
        masks=(rng.random((k, 12, 16)) > 0.5) if masks else None,
    )


def test_flow_and_mask_rows_make_the_figure_taller(tmp_path):
    bare = plot_video_clips([[_clip(flow=False, masks=False)] * 2], tmp_path / "a.png")
    full = plot_video_clips([[_clip()] * 2], tmp_path / "b.png", rows=["left"], title="t")
    (wa, ha), (wb, hb) = _png_size(bare), _png_size(full)
    assert wa == wb and hb > ha + 100  # two more strips, and room for the colour wheel
    rgb = plot_video_clips([[_clip(rgb=True)], [_clip(k=4)]], tmp_path / "c.png")
    assert _png_size(rgb)[1] > hb  # two clips, three strips each


def test_the_strips_show_the_pixels(tmp_path):
    import matplotlib.image

    frames = np.zeros((3, 20, 20))
    frames[:, 5:15, 5:15] = 1.0  # a white square on black
    path = plot_video_clips([[Clip(frames)]], tmp_path / "s.png")
    img = matplotlib.image.imread(path)[..., :3]
    white = (img > 0.95).all(-1)
    black = (img < 0.05).all(-1)
    # the black frames and the white squares are both there (the page is white too)
    assert black.sum() > 3 * 200 and white.sum() > 3 * 50


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ({"frames": np.zeros((4, 8))}, r"frames \(k, H, W\)"),
        ({"frames": np.zeros((4, 8, 8)), "flow": np.zeros((4, 8, 8))}, r"flow \(k, 2, H, W\)"),
        ({"frames": np.zeros((4, 8, 8)), "masks": np.zeros((3, 8, 8))}, r"masks \(k, H, W\)"),
    ],
)
def test_bad_shapes_are_one_line(args, match):
    with pytest.raises(DataError, match=match):
        Clip(**args)


def test_an_empty_grid_is_refused(tmp_path):
    with pytest.raises(DataError, match="at least one clip"):
        plot_video_clips([], tmp_path / "e.png")
    assert not any(tmp_path.iterdir())
