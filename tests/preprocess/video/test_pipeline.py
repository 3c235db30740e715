from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from trainlab.preprocess.video.flow import optical_flow
from trainlab.preprocess.video.motion import background_masks, flow_masks
from trainlab.preprocess.video.pipeline import VideoPipeline
from trainlab.preprocess.video.sampling import motion_indices, uniform_indices


@pytest.fixture
def clips() -> np.ndarray:
    """Three clips (N, F, C, H, W) of moving noise (a rolled texture plus some flicker)."""
    rng = np.random.default_rng(7)
    base = rng.integers(0, 256, (3, 1, 3, 20, 24), dtype=np.uint8).repeat(2, -1)[..., :24]
    out = np.stack([np.roll(base[:, 0], t, axis=-1) for t in range(9)], axis=1)
    out[:, 4] = rng.integers(0, 256, out[:, 4].shape, dtype=np.uint8)  # one cut
    return np.ascontiguousarray(out)


def _hwc(clip: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(clip.transpose(0, 2, 3, 1))


@pytest.mark.parametrize(
    ("flow", "masks"), list(itertools.product(["none", "farneback", "dis"], ["none", "flow"]))
)
def test_shapes_and_channels(clips, flow, masks):
    pipe = VideoPipeline(frames=4, flow=flow, masks=masks, flow_scale=2.0)
    out = pipe.transform(clips)
    assert out.dtype == np.float32
    assert out.shape == (3, 4, pipe.channels_out(3), 20, 24)
    assert pipe.channels_out(3) == 3 + 2 * (flow != "none") + (masks != "none")


def test_channels_are_pixels_flow_and_masks_at_the_sampled_frames(clips):
    pipe = VideoPipeline(frames=3, flow="dis", masks="background", flow_scale=4.0)
    out = pipe.transform(clips)
    idx = uniform_indices(9, 3)
    for n, clip in enumerate(clips):
        np.testing.assert_array_equal(out[n, :, :3], clip[idx].astype(np.float32) / 255)
        flow = optical_flow(_hwc(clip), "dis")  # the FULL clip, then the sampled frames
        np.testing.assert_allclose(out[n, :, 3:5], flow[idx] / 4.0, rtol=1e-6)
        np.testing.assert_array_equal(out[n, :, 5], background_masks(_hwc(clip))[idx])
    assert set(np.unique(out[:, :, 5])) <= {0.0, 1.0}


def test_motion_sampling_and_flow_masks(clips, kit):
    planted = kit.planted(16).transpose(0, 3, 1, 2)[None]  # (1, 16, 3, 64, 64)
    for motion in ("difference", "flow"):
        pipe = VideoPipeline(frames=3, sampling="motion", motion=motion, masks="flow")
        out = pipe.transform(planted)
        np.testing.assert_array_equal(out[0, :, :3], planted[0, [5, 6, 7]] / np.float32(255))
        expected = flow_masks(optical_flow(kit.planted(16))[[5, 6, 7]], 1.0)
        np.testing.assert_array_equal(out[0, :, 3], expected)
    pipe = VideoPipeline(frames=2, sampling="motion", flow="farneback", flow_scale=1.0)
    idx = motion_indices(_hwc(clips[0]), 2)
    np.testing.assert_array_equal(
        pipe.transform(clips[:1])[0, :, :3], clips[0, idx] / np.float32(255)
    )


def test_fitted_flow_scale_is_the_99th_percentile(clips):
    pipe = VideoPipeline(frames=4, flow="farneback")
    assert not pipe.fitted
    with pytest.raises(ValueError, match=r"not fitted; call fit\(train_clips\) first"):
        pipe.transform(clips)
    idx = uniform_indices(9, 4)
    flows = np.stack([optical_flow(_hwc(c))[idx] for c in clips])
    expected = float(np.percentile(np.abs(flows), 99))
    assert pipe.fit(clips) is pipe and pipe.fitted
    assert pipe.fitted_flow_scale == pytest.approx(expected, rel=1e-6)
    out = pipe.transform(clips)
    np.testing.assert_allclose(out[:, :, 3:], flows / expected, rtol=1e-6)
    again = VideoPipeline(frames=4, flow="farneback")
    np.testing.assert_array_equal(again.fit_transform(clips), out)
    still = np.zeros((1, 5, 1, 12, 8), np.uint8)
    assert VideoPipeline(frames=2, flow="dis").fit(still).fitted_flow_scale == 1.0


def test_state_round_trip(clips):
    pipe = VideoPipeline(
        frames=3, sampling="motion", motion="flow", flow="dis", masks="flow", mask_threshold=0.5
    ).fit(clips)
    state = json.loads(json.dumps(pipe.state_dict()))
    again = VideoPipeline.from_state_dict(state)
    assert again.config() == pipe.config() and again.fitted_flow_scale == pipe.fitted_flow_scale
    np.testing.assert_array_equal(again.transform(clips), pipe.transform(clips))
    with pytest.raises(ValueError, match="video pipeline state: expected config"):
        VideoPipeline.from_state_dict({"frames": 3})
    with pytest.raises(ValueError, match="unknown option 'colour'"):
        VideoPipeline.from_state_dict({"config": {"colour": 1}})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sampling": "random"}, "sampling: expected one of uniform, motion, got 'random'"),
        ({"motion": "energy"}, "motion: expected one of difference, flow, got 'energy'"),
        ({"flow": "tvl1"}, "flow: expected one of none, farneback, dis, got 'tvl1'"),
        ({"masks": "gmm"}, "masks: expected one of none, flow, background, got 'gmm'"),
        ({"frames": 0}, "frames: expected an integer >= 1"),
        ({"mask_threshold": -1.0}, "mask_threshold: expected a number in"),
        ({"flow_scale": 0.0}, "flow_scale: expected a number in"),
    ],
)
def test_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        VideoPipeline(**kwargs)


def test_bad_clips(clips):
    with pytest.raises(ValueError, match=r"frames: asked for frames=10 per clip.*F=9"):
        VideoPipeline(frames=10).transform(clips)
    with pytest.raises(ValueError, match="expected uint8 clips"):
        VideoPipeline(frames=2).transform(clips.astype(np.float32))
    with pytest.raises(ValueError, match=r"expected clips \(N, F, C, H, W\)"):
        VideoPipeline(frames=2).transform(clips[0])
    with pytest.raises(ValueError, match=r"got no clips \(N = 0\)"):
        VideoPipeline(frames=2).fit(clips[:0])
    assert VideoPipeline(frames=2).transform(clips[:0]).shape == (0, 2, 3, 20, 24)


def test_the_option_lists_match_the_kernels():
    from trainlab.preprocess.video.flow import FLOW_METHODS
    from trainlab.preprocess.video.pipeline import FLOWS, MOTION, SAMPLING
    from trainlab.preprocess.video.sampling import MOTION_METHODS, SAMPLERS

    assert tuple(SAMPLERS) == SAMPLING and MOTION == MOTION_METHODS
    assert ("none", *FLOW_METHODS) == FLOWS
