"""The M5-style waveform CNN: shapes, stages, the receptive field of its stem, rebuilding."""

import pytest
import torch

from trainlab.config.recipe import ModelConfig
from trainlab.core.errors import ConfigError
from trainlab.models import build_model, model_from_config
from trainlab.models.wave_cnn import POOL, STEM_STRIDE, WaveCNN


def test_one_second_at_16_khz_is_shortened_to_a_few_frames():
    m = WaveCNN((1, 16000), 10, widths=[8, 16, 16, 32])
    feats = m.forward_features(torch.zeros(3, 1, 16000))
    assert feats.shape == (3, 32, 16000 // STEM_STRIDE // POOL**4)
    assert m(torch.zeros(3, 1, 16000)).shape == (3, 10)


def test_stem_is_a_wide_strided_convolution():
    stem = WaveCNN((1, 800), 2, widths=[4, 8]).stages.stage1[0]
    assert (stem.kernel_size, stem.stride) == ((80,), (4,))


def test_short_inputs_skip_pooling_instead_of_failing():
    m = WaveCNN((1, 64), 3, widths=[4, 4, 4, 4])
    assert m(torch.zeros(2, 1, 64)).shape == (2, 3)


def test_registered_and_rebuilt_from_its_config():
    cfg = ModelConfig(name="wavecnn", widths=[4, 8], dropout=0.1)
    m = build_model(cfg, (1, 4000), 5)
    again = model_from_config(m.config)
    assert list(again.state_dict()) == list(m.state_dict())
    assert m.stage_names == ["stage1", "stage2"]


def test_images_are_refused_with_one_line():
    with pytest.raises(ConfigError, match=r"wavecnn expects \(C, L\) waveforms"):
        WaveCNN((1, 28, 28), 10)
