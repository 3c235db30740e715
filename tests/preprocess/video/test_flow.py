from __future__ import annotations

import itertools

import cv2
import numpy as np
import pytest

from trainlab.preprocess.video.flow import flow_to_color, optical_flow


def _direct(frames: np.ndarray, pair) -> np.ndarray:
    """The flow by OpenCV called frame by frame, in the (F, 2, H, W) layout."""
    gray = [cv2.cvtColor(np.ascontiguousarray(f), cv2.COLOR_RGB2GRAY) for f in frames]
    flows = [pair(a, b).transpose(2, 0, 1) for a, b in itertools.pairwise(gray)]
    return np.stack([*flows, flows[-1]])


def test_farneback_equals_opencv(noise_clip):
    args = (0.5, 3, 15, 3, 5, 1.2, 0)
    expected = _direct(noise_clip, lambda a, b: cv2.calcOpticalFlowFarneback(a, b, None, *args))
    got = optical_flow(noise_clip, "farneback")
    assert got.dtype == np.float32 and got.shape == (6, 2, 24, 20)
    np.testing.assert_array_equal(got, expected)
    custom = (0.5, 2, 9, 2, 7, 1.5, 0)
    expected = _direct(noise_clip, lambda a, b: cv2.calcOpticalFlowFarneback(a, b, None, *custom))
    got = optical_flow(noise_clip, levels=2, winsize=9, iterations=2, poly_n=7, poly_sigma=1.5)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("preset", ["medium", "fast", "ultrafast"])
def test_dis_equals_opencv(noise_clip, preset):
    code = getattr(cv2, f"DISOPTICAL_FLOW_PRESET_{preset.upper()}")
    dis = cv2.DISOpticalFlow_create(code)
    expected = _direct(noise_clip, lambda a, b: dis.calc(a, b, None))
    np.testing.assert_array_equal(optical_flow(noise_clip, "dis", preset=preset), expected)


@pytest.mark.parametrize("method", ["farneback", "dis"])
def test_flow_of_a_translated_texture(kit, method):
    img = kit.texture(64, 64, seed=5, block=4)
    # frame t is the texture moved 3 px right and 2 px down, t times
    clip = np.stack([np.roll(img, (2 * t, 3 * t), axis=(0, 1)) for t in range(3)])[..., None]
    flow = optical_flow(clip, method)
    inner = flow[:, :, 12:-12, 12:-12]
    assert abs(float(inner[:, 0].mean()) - 3.0) < 0.3  # dx
    assert abs(float(inner[:, 1].mean()) - 2.0) < 0.3  # dy
    np.testing.assert_array_equal(flow[2], flow[1])  # the last frame repeats


def test_rgba_gray_and_one_frame(noise_clip):
    rgba = np.concatenate([noise_clip, np.zeros_like(noise_clip[..., :1])], axis=-1)
    np.testing.assert_array_equal(optical_flow(rgba), optical_flow(noise_clip))
    gray = cv2.cvtColor(noise_clip.reshape(-1, 20, 3), cv2.COLOR_RGB2GRAY).reshape(6, 24, 20)
    np.testing.assert_array_equal(optical_flow(gray[..., None]), optical_flow(noise_clip))
    assert not optical_flow(noise_clip[:1]).any()


def test_flow_to_color():
    flow = np.zeros((2, 1, 4), np.float32)
    flow[0, 0, 0], flow[0, 0, 1], flow[1, 0, 2] = 2.0, -2.0, 1.0  # right, left, down (slow)
    rgb = flow_to_color(flow)
    assert rgb.dtype == np.uint8 and rgb.shape == (1, 4, 3)
    assert rgb[0, 0].tolist() == [255, 0, 0]  # rightwards: red, the fastest: full value
    assert rgb[0, 1].tolist() == [0, 255, 255]  # leftwards: cyan
    assert rgb[0, 2].max() == 128 and rgb[0, 2, 1] == 128  # downwards (hue 90°), half speed
    assert rgb[0, 3].tolist() == [0, 0, 0]  # still: black
    assert flow_to_color(flow, max_magnitude=4.0)[0, 0].max() == 128
    assert not flow_to_color(np.zeros((2, 3, 3))).any()


def test_bad_flow_input(noise_clip):
    with pytest.raises(ValueError, match="flow method: expected one of farneback, dis"):
        optical_flow(noise_clip, "lucas")
    with pytest.raises(ValueError, match=r"unknown parameter 'winsize'; expected preset"):
        optical_flow(noise_clip, "dis", winsize=3)
    with pytest.raises(ValueError, match="dis preset: expected one of medium, fast, ultrafast"):
        optical_flow(noise_clip, "dis", preset="slow")
    with pytest.raises(ValueError, match="expected uint8 frames"):
        optical_flow(noise_clip.astype(np.int64))
    with pytest.raises(ValueError, match="C = 1, 3 or 4"):
        optical_flow(noise_clip[..., :2])
    with pytest.raises(ValueError, match=r"expected one flow field \(2, H, W\)"):
        flow_to_color(np.zeros((3, 4, 4)))
    with pytest.raises(ValueError, match="max_magnitude"):
        flow_to_color(np.zeros((2, 4, 4)), max_magnitude=0)


def test_dis_refuses_tiny_frames():
    tiny = np.zeros((2, 11, 11, 1), np.uint8)
    with pytest.raises(ValueError, match="at least 12 pixels wide or tall, got 11x11"):
        optical_flow(tiny, "dis")
    assert optical_flow(tiny).shape == (2, 2, 11, 11)  # Farnebäck takes them
