from __future__ import annotations

import cv2
import numpy as np
import pytest
from scipy.ndimage import binary_dilation

from trainlab.preprocess.video.flow import optical_flow
from trainlab.preprocess.video.motion import background_masks, flow_masks
from videokit import opencv_data


def test_flow_masks_are_the_magnitude_threshold():
    flow = np.random.default_rng(0).normal(0, 1.5, (3, 2, 8, 9)).astype(np.float32)
    for threshold in (0.0, 1.0, 2.5):
        expected = np.hypot(flow[:, 0], flow[:, 1]) > threshold
        got = flow_masks(flow, threshold)
        assert got.dtype == np.uint8 and got.shape == (3, 8, 9)
        np.testing.assert_array_equal(got, expected.astype(np.uint8))


def test_background_masks_equal_opencv(noise_clip):
    for history, var, shadows in [(500, 16.0, False), (5, 40.0, True)]:
        mog = cv2.createBackgroundSubtractorMOG2(history, var, shadows)
        raw = np.stack([mog.apply(f) for f in noise_clip])
        got = background_masks(noise_clip, history=history, var_threshold=var, shadows=shadows)
        assert got.dtype == np.uint8 and got.shape == (6, 24, 20)
        np.testing.assert_array_equal(got[1:], (raw[1:] == 255).astype(np.uint8))
        np.testing.assert_array_equal(got[0], got[1])  # no background model at frame 0


@pytest.mark.parametrize("method", ["farneback", "dis"])
@pytest.mark.parametrize("t", [5, 6, 7])
def test_flow_masks_cover_the_moving_square(kit, planted_clip, method, t):
    masks = flow_masks(optical_flow(planted_clip, method), threshold=1.0)
    assert masks[t][kit.square_mask(t)].mean() > 0.95  # it moves 3 px right by t+1
    near = binary_dilation(kit.square_mask(t) | kit.square_mask(t + 1), np.ones((3, 3)), 12)
    assert masks[t][~near].mean() < 0.01  # flow spreads over its window, no further
    assert masks[[0, 1, 2, 3, 4, 8, 10, 15]].sum() == 0  # the still frames


@pytest.mark.parametrize("t", [6, 7, 8])
def test_background_masks_cover_the_moved_square(kit, planted_clip, t):
    masks = background_masks(planted_clip)
    assert masks[t][kit.square_mask(t)].mean() > 0.8
    elsewhere = ~(kit.square_mask(t) | kit.square_mask(t - 1) | kit.square_mask(5))
    assert masks[t][elsewhere].mean() < 0.05
    assert masks[1:6].sum() == 0  # still before the motion


def test_bad_mask_input(noise_clip):
    with pytest.raises(ValueError, match="threshold: expected a number in"):
        flow_masks(np.zeros((1, 2, 3, 3)), threshold=-1)
    with pytest.raises(ValueError, match=r"expected a flow \(F, 2, H, W\)"):
        flow_masks(np.zeros((2, 3, 3)))
    with pytest.raises(ValueError, match="history: expected an integer >= 1"):
        background_masks(noise_clip, history=0)
    with pytest.raises(ValueError, match="var_threshold"):
        background_masks(noise_clip, var_threshold=0)
    with pytest.raises(ValueError, match="shadows: expected true or false"):
        background_masks(noise_clip, shadows="yes")


def test_pedestrians_of_vtest_move():
    cap = cv2.VideoCapture(str(opencv_data() / "vtest.avi"))
    frames = []
    while len(frames) < 12:
        ok, bgr = cap.read()
        assert ok
        frames.append(cv2.resize(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), (192, 144)))
    cap.release()
    clip = np.stack(frames)
    fg = background_masks(clip)[6:].mean()
    moving = flow_masks(optical_flow(clip, "dis"), threshold=0.5).mean()
    assert 0.002 < fg < 0.3 and 0.002 < moving < 0.3  # some people walk; the hall stays
