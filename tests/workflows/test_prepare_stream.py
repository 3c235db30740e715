"""An image folder streamed from its files trains and scores as the same folder in memory."""

import numpy as np
import pytest
from PIL import Image
from sklearn.datasets import load_digits

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError
from trainlab.workflows.prepare import prepare_data
from trainlab.workflows.prepare_stream import streams
from trainlab.workflows.run import run_recipe


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("stream") / "digits"
    d = load_digits()
    for i, (img, y) in enumerate(zip(d.images[:240], d.target[:240], strict=True)):
        (root / str(y)).mkdir(parents=True, exist_ok=True)
        pixels = (img * 16).clip(0, 255).astype(np.uint8)
        Image.fromarray(pixels).resize((12, 12)).save(root / str(y) / f"{i}.png")
    return root


def _recipe(folder, **sets):
    return Recipe.load("digits-cnn").override(
        {
            "data.dataset": "image-folder",
            "data.options": {"path": str(folder)},
            "data.workers": 0,
            "train.epochs": 2,
            "train.progress": False,
            "model.widths": [8, 16],
            **sets,
        }
    )


def test_streamed_run_equals_the_in_memory_run(folder, tmp_path):
    memory = run_recipe(_recipe(folder, **{"data.stream": False}), out_dir=tmp_path / "m")
    stream = run_recipe(_recipe(folder, **{"data.stream": True}), out_dir=tmp_path / "s")
    keys = [k for k in memory.metrics if k.startswith(("train_", "val_", "test_"))]
    assert keys and all(memory.metrics[k] == stream.metrics[k] for k in keys)
    assert stream.data.streamed and not memory.data.streamed


def test_auto_streams_above_the_memory_budget(folder):
    assert not streams(_recipe(folder))  # 240 small images: far below 4 GiB
    tiny = _recipe(folder, **{"data.memory_budget": 1e-6})
    assert streams(tiny)
    data = prepare_data(tiny)
    assert data.streamed and data.sizes["train"] + data.sizes["val"] + data.sizes["test"] == 240
    assert data.in_shape == (1, 12, 12)
    data.close()


def test_streaming_other_data_is_refused():
    with pytest.raises(ConfigError, match=r"data\.stream: only an image-folder"):
        streams(Recipe.load("wine-mlp").override({"data.stream": True}))
