"""The clips' channel layout, measured on the pipeline's settings and the fitted preprocessor."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.augment.video.channels import ClipChannels, clip_channels
from trainlab.core.errors import ConfigError
from trainlab.preprocess.pipeline import Preprocessor


def pipe(flow: str = "dis", masks: str = "flow"):
    return type("Pipe", (), {"flow": flow, "masks": masks})()


def clips(n: int = 4) -> np.ndarray:
    rng = np.random.default_rng(0)
    x = rng.random((n, 3, 6, 8, 8)).astype(np.float32)  # RGB, dx, dy, mask
    x[:, :, 3] *= 4.0  # dx spread wider than dy
    return x


def test_no_layout_without_flow_or_masks():
    assert clip_channels(pipe("none", "none"), None, (3, 3, 8, 8)) is None


def test_the_layout_follows_the_pipeline():
    assert clip_channels(pipe("dis", "none"), None, (3, 5, 8, 8)) == ClipChannels(3, slice(3, 5))
    assert clip_channels(pipe("none", "background"), None, (3, 2, 8, 8)) == ClipChannels(1, None, 1)
    with pytest.raises(ConfigError, match="cannot hold"):
        clip_channels(pipe(), None, (3, 3, 8, 8))


def test_the_gains_are_one_over_the_normalizations_scales():
    x = clips()
    pre = Preprocessor(normalize="standard", frames=True).fit(x)
    layout = clip_channels(pipe(), pre, x.shape[1:])
    assert layout.channels == 6 and layout.extra == [3, 4, 5]
    expected = [1.0 / x[:, :, c].std() for c in (3, 4)]
    assert np.allclose(layout.flow_gain, expected, rtol=1e-3)


def test_a_normalization_per_position_is_refused():
    x = clips()
    pre = Preprocessor(normalize="standard", per="feature", frames=True).fit(x)
    with pytest.raises(ConfigError, match=r"^preprocess.per: .*per: channel"):
        clip_channels(pipe(), pre, x.shape[1:])
