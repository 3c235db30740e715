"""Video data prepared for a run: the numeric preprocessing acts frame by frame."""

from __future__ import annotations

import torch

from trainlab.config.recipe import Recipe
from trainlab.workflows.prepare import prepare_data, preprocess_state

CLIPS = {
    "data.dataset": "moving-digits",
    "split.stratify": False,
    "data.options": {"n": 24, "size": 32, "frames": 8, "moving": 2, "speed": 1},
    "preprocess.video": {"frames": 3, "flow": "farneback"},
}


def test_standardizing_uses_every_training_frame_per_channel():
    raw = prepare_data(Recipe().override({**CLIPS, "preprocess.normalize": "none"}))
    std = prepare_data(Recipe().override({**CLIPS, "preprocess.normalize": "standard"}))
    x = raw.train[0]  # (N, 3, C=3: pixels and flow, H, W)
    mean = x.mean(dim=(0, 1, 3, 4), keepdim=True)
    scale = x.std(dim=(0, 1, 3, 4), unbiased=False, keepdim=True)
    assert torch.allclose(std.train[0], (x - mean) / scale, atol=1e-4)
    assert torch.allclose(std.test[0], (raw.test[0] - mean) / scale, atol=1e-4)  # train's stats
    state = preprocess_state(std)["pipeline"]
    assert state["frames"] and state["input_shape"] == [3, 32, 32]


def test_a_saved_state_reproduces_the_inputs():
    r = Recipe().override({**CLIPS, "preprocess.normalize": "minmax"})
    data = prepare_data(r)
    again = prepare_data(r, fitted=preprocess_state(data))
    assert torch.equal(again.test[0], data.test[0])
