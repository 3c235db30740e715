"""An audio folder streamed from its files: the splits and inputs of the same folder in memory."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from trainlab.config.recipe import Recipe
from trainlab.workflows.prepare import prepare_data
from trainlab.workflows.prepare_stream import streams

sf = pytest.importorskip("soundfile")
RATE = 8000


@pytest.fixture
def folder(tmp_path):
    rng = np.random.default_rng(1)
    root = tmp_path / "words"
    for split, n in (("train", 12), ("test", 4)):
        for cls in ("no", "yes"):
            (root / split / cls).mkdir(parents=True)
            for i in range(n):
                x = (0.3 * rng.standard_normal(int(rng.integers(200, 600)))).clip(-1, 1)
                sf.write(root / split / cls / f"{i}.wav", x, RATE, subtype="FLOAT")
    return root


def _recipe(folder, **sets):
    return Recipe.load("digits-cnn").override(
        {
            "data.dataset": "audio-folder",
            "data.options": {"path": str(folder), "sample_rate": RATE, "seconds": 0.05},
            "data.workers": 0,
            **sets,
        }
    )


def _inputs(part):
    x, y = part
    if isinstance(x, torch.Tensor):
        return x.numpy(), y.numpy()
    return torch.cat([b["x"] for b in x.in_order()]).numpy(), y.numpy()


def test_streamed_splits_equal_the_in_memory_ones(folder):
    memory = prepare_data(_recipe(folder, **{"data.stream": False}))
    stream = prepare_data(_recipe(folder, **{"data.stream": True}))
    assert stream.streamed and not memory.streamed and stream.modality == "audio"
    assert stream.in_shape == memory.in_shape == (1, 400)
    assert stream.sizes == memory.sizes and stream.sizes["test"] == 8  # test/ is the test split
    assert stream.summary["sample_rate"] == RATE
    for name in ("train", "val", "test"):
        (xm, ym), (xs, ys) = _inputs(getattr(memory, name)), _inputs(getattr(stream, name))
        np.testing.assert_array_equal(ym, ys)
        np.testing.assert_allclose(xm, xs, atol=1e-6)
    stream.close()


def test_auto_streams_above_the_memory_budget(folder):
    assert not streams(_recipe(folder))  # 32 short clips: far below 4 GiB
    assert streams(_recipe(folder, **{"data.memory_budget": 1e-6}))


def test_skip_is_not_honoured_while_streaming(folder):
    recipe = _recipe(folder, **{"data.stream": True})
    recipe = recipe.override({"data.options.on_error": "skip"})
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        prepare_data(recipe).close()
    assert any("does not apply to a streamed audio folder" in str(w.message) for w in record)
