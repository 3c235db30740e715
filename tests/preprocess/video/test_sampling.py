from __future__ import annotations

import math

import numpy as np
import pytest

from trainlab.preprocess.video.sampling import (
    motion_indices,
    motion_scores,
    top_indices,
    uniform_indices,
)


@pytest.mark.parametrize(("n", "k"), [(20, 8), (16, 16), (7, 3), (100, 1), (9, 4), (1, 1)])
def test_uniform_indices_are_the_segment_centres(n, k):
    seg = n / k
    expected = [math.floor(seg * i + seg / 2) for i in range(k)]  # TSN's test-time offsets
    got = uniform_indices(n, k)
    assert got.dtype == np.int64 and got.tolist() == expected
    assert len(set(got.tolist())) == k and got.min() >= 0 and got.max() < n


def test_uniform_indices_k_above_frames_names_both():
    with pytest.raises(ValueError, match=r"k=9.*n_frames=8"):
        uniform_indices(8, 9)
    with pytest.raises(ValueError, match="k: expected an integer >= 1"):
        uniform_indices(8, 0)


def test_difference_scores_match_the_formula(noise_clip):
    gray = (noise_clip @ np.array([0.299, 0.587, 0.114])).round()  # cvtColor's luma
    pairs = np.abs(np.diff(gray, axis=0)).mean(axis=(1, 2))
    got = motion_scores(noise_clip)
    assert got.dtype == np.float32 and got.shape == (6,)
    np.testing.assert_allclose(got[:-1], pairs, atol=0.02)  # cvtColor's fixed-point rounding
    assert got[-1] == got[-2]


def test_flow_scores_are_the_mean_flow_magnitude(noise_clip):
    from trainlab.preprocess.video.flow import optical_flow

    flow = optical_flow(noise_clip, "dis")
    mag = np.hypot(flow[:, 0], flow[:, 1]).mean(axis=(1, 2))
    np.testing.assert_allclose(motion_scores(noise_clip, "flow", flow=flow), mag, rtol=1e-5)
    np.testing.assert_allclose(motion_scores(noise_clip, "flow", flow_method="dis"), mag, rtol=1e-5)


@pytest.mark.parametrize("method", ["difference", "flow"])
def test_motion_sampling_finds_the_planted_motion(planted_clip, method):
    scores = motion_scores(planted_clip, method)
    moving = scores[[5, 6, 7]]
    assert moving.min() > 10 * max(np.delete(scores, [5, 6, 7]).max(), 1e-3)
    assert motion_indices(planted_clip, 3, method).tolist() == [5, 6, 7]
    assert motion_indices(planted_clip, 2, method, min_gap=1).tolist() == [5, 7]
    # the still frames tie at ~0: the earliest come next (difference: exactly 0)
    if method == "difference":
        assert motion_indices(planted_clip, 5).tolist() == [0, 1, 5, 6, 7]


def test_top_indices_ties_and_gaps():
    s = np.array([3, 3, 3, 1, 3], np.float32)
    assert top_indices(s, 2).tolist() == [0, 1]
    assert top_indices(s, 3, min_gap=1).tolist() == [0, 2, 4]
    assert top_indices(s, 2, min_gap=3).tolist() == [0, 4]
    with pytest.raises(ValueError, match=r"min_gap.*k=3.*min_gap=3.*only 2"):
        top_indices(s, 3, min_gap=3)


def test_one_frame_clip_and_bad_input(kit):
    one = kit.planted(1)
    assert motion_scores(one).tolist() == [0.0]
    assert motion_indices(one, 1).tolist() == [0]
    with pytest.raises(ValueError, match=r"k=2.*n_frames=1"):
        motion_indices(one, 2)
    with pytest.raises(ValueError, match="motion method: expected one of difference, flow"):
        motion_scores(one, "magic")
    with pytest.raises(ValueError, match="expected uint8 frames"):
        motion_scores(one.astype(np.float32))
    with pytest.raises(ValueError, match=r"expected frames \(F, H, W, C\)"):
        motion_scores(one[0])
    with pytest.raises(ValueError, match="expected a flow of shape"):
        motion_scores(kit.planted(4), "flow", flow=np.zeros((3, 2, 32, 32)))
