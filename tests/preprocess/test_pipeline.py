"""The Preprocessor: numbers as before, object tables encoded first, old states still load."""

from __future__ import annotations

import json

import numpy as np
import pytest

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess.normalize import StandardNormalizer
from trainlab.preprocess.pipeline import Preprocessor

OLD_KEYS = {"pixel_scale", "normalizer", "input_dtype", "input_shape", "value_range"}


def test_a_table_of_numbers_is_unchanged() -> None:
    x = np.random.default_rng(0).normal(size=(50, 4)).astype(np.float32)
    pre = Preprocessor(normalize="standard", per="feature").fit(x)
    expected = StandardNormalizer(per="feature").fit(x).transform(x)
    np.testing.assert_array_equal(pre.transform(x), expected)  # bit-identical
    assert set(pre.state_dict()) == OLD_KEYS and pre.names_out is None
    # a state written before the table encoding existed loads and applies the same
    old = {k: v for k, v in pre.state_dict().items() if k in OLD_KEYS}
    np.testing.assert_array_equal(Preprocessor.from_state_dict(old).transform(x), expected)


def test_an_object_table_is_encoded_then_normalized() -> None:
    x = np.array([[1.0, "a"], [3.0, "b"], [None, "b"], [4.0, None]], dtype=object)
    pre = Preprocessor(per="feature", categorical="ordinal", impute="most-frequent")
    pre.fit(x, ["n", "c"])
    assert pre.input_dtype == "object" and pre.input_shape == [2] and pre.names_out == ["n", "c"]
    codes = np.array([[1.0, 0.0], [3.0, 1.0], [1.0, 1.0], [4.0, 1.0]])  # ties: the smallest
    expected = (codes - codes.mean(axis=0)) / codes.std(axis=0)
    np.testing.assert_allclose(pre.transform(x), expected, rtol=1e-6)
    state = json.loads(json.dumps(pre.state_dict()))
    assert state["tabular"]["impute"]["fill"] == [1.0, "b"]
    np.testing.assert_array_equal(
        Preprocessor.from_state_dict(state).transform(x), pre.transform(x)
    )


def test_options_and_bad_inputs() -> None:
    with pytest.raises(ConfigError, match=r"preprocess\.categorical"):
        Preprocessor(categorical="hashing")
    with pytest.raises(ConfigError, match=r"preprocess\.impute"):
        Preprocessor(impute="zero")
    pre = Preprocessor(normalize="none").fit(np.ones((3, 2), np.float32))
    # a new file with text for a model fitted on numbers only
    assert pre.transform(np.array([[1.0, 2.0]], dtype=object)).tolist() == [[1.0, 2.0]]
    with pytest.raises(DataError, match="column 1: 'x' is not a number; the model was trained"):
        pre.transform(np.array([[1.0, "x"]], dtype=object))


def test_clips_are_standardized_frame_by_frame_as_images_would_be() -> None:
    rng = np.random.default_rng(0)
    clips = rng.normal(3.0, 2.0, size=(6, 4, 2, 5, 5)).astype(np.float32)  # N, T, C, H, W
    pre = Preprocessor(pixel_scale=False, normalize="standard", per="channel", frames=True)
    pre.fit(clips)
    frames = clips.reshape(24, 2, 5, 5)  # the oracle: every frame one image
    mean = frames.mean(axis=(0, 2, 3), keepdims=True)
    std = frames.std(axis=(0, 2, 3), keepdims=True)
    np.testing.assert_allclose(
        pre.transform(clips), ((frames - mean) / std).reshape(clips.shape), rtol=1e-4, atol=1e-5
    )
    state = json.loads(json.dumps(pre.state_dict()))
    assert state["frames"] is True and state["input_shape"] == [2, 5, 5]
    np.testing.assert_array_equal(
        Preprocessor.from_state_dict(state).transform(clips), pre.transform(clips)
    )
    assert "frames" not in Preprocessor(normalize="none").fit(frames).state_dict()
    with pytest.raises(DataError, match=r"expected clips \(N, T, \.\.\.\)"):
        pre.transform(np.ones((3, 2), np.float32))
