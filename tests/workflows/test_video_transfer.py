"""A 2-D image checkpoint initializes a frame CNN through the transfer strategies.

The image model's stages run on every frame; its normalization, compared with
one frame of the clips, is adopted frame by frame (or kept, or refused).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import DataError
from trainlab.io.model_file import load_model
from trainlab.workflows.prepare import prepare_data
from trainlab.workflows.run import run_recipe

SMALL = {"model.widths": [8, 16], "train.epochs": 1, "train.progress": False}


@pytest.fixture(scope="module")
def image_checkpoint(tmp_path_factory):
    """A cnn trained one epoch on 200 MNIST digits (standardized per channel)."""
    r = Recipe.load("digits-cnn").override(
        {**SMALL, "data.options": {"source": "mnist"}, "data.limit": 200, "model.batch_norm": False}
    )
    return run_recipe(r, out_dir=tmp_path_factory.mktemp("image")).folder


def _clips(checkpoint, **sets) -> Recipe:
    base = {
        **SMALL,
        "name": "clips",
        "data.dataset": "moving-digits",
        "data.options": {"n": 40, "size": 32, "frames": 8, "moving": 2, "speed": 1},
        "task.targets": ["digit"],
        "preprocess.normalize": "none",
        "preprocess.video": {"frames": 3, "flow": "none"},
        "model.name": "frame-cnn",
        "model.batch_norm": False,
        "transfer.checkpoint": str(checkpoint),
    }
    return Recipe().override({**base, **sets})


def test_adopting_standardizes_every_frame_with_the_image_model_s_statistics(image_checkpoint):
    from trainlab.workflows.transfer_setup import Transfer

    r = _clips(image_checkpoint)
    own = prepare_data(r)
    with pytest.warns(UserWarning, match=r"frame shape 1×32×32 in the data.*adopting"):
        adopted = Transfer.from_recipe(r).adapt_data(r, own)
    _, meta = load_model(image_checkpoint / "model.safetensors")
    stats = meta["preprocess"]["pipeline"]["normalizer"]["stats"]
    mean, scale = float(np.ravel(stats["mean"])[0]), float(np.ravel(stats["scale"])[0])
    expected = (own.train[0] - mean) / scale  # the oracle: the image model's z-score, per frame
    assert torch.allclose(adopted.train[0], expected, atol=1e-5)
    assert adopted.in_shape == own.in_shape == (3, 1, 32, 32)
    note = adopted.summary["notes"][-1]
    assert (
        "adopted" in note
        and "still differing: input shape 1×28×28 in the checkpoint, frame shape 1×32×32" in note
    )


def test_a_run_copies_the_stages_and_keeps_the_frame_model_s_state(image_checkpoint, tmp_path):
    r = _clips(image_checkpoint, **{"transfer.strategy": "freeze-first-n", "transfer.stages": 1})
    with pytest.warns(UserWarning, match="adopting"):
        result = run_recipe(r, out_dir=tmp_path)
    ck = load_model(image_checkpoint / "model.safetensors")[0][0].state_dict()
    models, meta = load_model(result.folder / "model.safetensors")
    got = models[0].state_dict()
    conv = [k for k in ck if k.startswith("stages.stage1") and k.endswith("weight")]
    assert conv and all(torch.equal(got[k], ck[k]) for k in conv)  # frozen: the same filters
    assert meta["model"]["name"] == "frame-cnn" and meta["preprocess"]["pipeline"]["frames"]
    assert meta["transfer"]["copied"] == ["stage1"]


def test_the_checkpoint_s_architecture_becomes_a_frame_cnn_on_clips(image_checkpoint, tmp_path):
    r = _clips(
        image_checkpoint,
        **{"model.name": "cnn3d", "transfer.architecture": "checkpoint"},  # the recipe's ignored
    )
    with pytest.warns(UserWarning, match="adopting"):
        result = run_recipe(r, out_dir=tmp_path)
    _, meta = load_model(result.folder / "model.safetensors")
    assert meta["model"]["name"] == "frame-cnn" and meta["model"]["widths"] == [8, 16]


def test_flow_channels_cannot_adopt_a_one_channel_image_model(image_checkpoint, tmp_path):
    r = _clips(image_checkpoint, **{"preprocess.video.flow": "dis"})
    with pytest.raises(DataError, match=r"images of 1 channel.*the frames have 3"):
        run_recipe(r, out_dir=tmp_path)
    assert not any(tmp_path.iterdir())


def test_own_keeps_the_frames_as_they_are(image_checkpoint):
    from trainlab.workflows.transfer_setup import Transfer

    r = _clips(image_checkpoint, **{"transfer.preprocessing": "own"})
    own = prepare_data(r)
    with pytest.warns(UserWarning, match="keeping the data's own"):
        assert Transfer.from_recipe(r).adapt_data(r, own) is own


def test_adopting_a_video_model_s_preprocessing_keeps_the_recipe_s_frames(tmp_path):
    clips = {
        **SMALL,
        "name": "clips",
        "data.dataset": "moving-digits",
        "data.options": {"n": 40, "size": 32, "frames": 8, "moving": 2, "speed": 1},
        "preprocess.normalize": "standard",
        "preprocess.video": {"frames": 3, "flow": "farneback"},
        "model.name": "frame-cnn",
    }
    source = run_recipe(Recipe().override(clips), out_dir=tmp_path).folder
    r = Recipe().override(
        {
            **clips,
            "preprocess.normalize": "minmax",
            "preprocess.video": {"frames": 5, "sampling": "motion", "flow": "farneback"},
            "transfer.checkpoint": str(source),
        }
    )
    from trainlab.workflows.transfer_setup import Transfer

    with pytest.warns(UserWarning, match="normalization standard .* minmax .* adopting"):
        adopted = Transfer.from_recipe(r).adapt_data(r, prepare_data(r))
    _, meta = load_model(source / "model.safetensors")
    assert adopted.in_shape[0] == 5 and adopted.video.sampling == "motion"  # the recipe's
    assert adopted.video.fitted_flow_scale == meta["preprocess"]["video"]["fitted_flow_scale"]
    assert adopted.preprocessor.state_dict()["normalizer"]["name"] == "standard"


def test_per_feature_statistics_of_another_image_size_are_one_line(tmp_path):
    r = Recipe.load("digits-cnn").override(
        {**SMALL, "data.limit": 100, "preprocess.per": "feature", "split.stratify": False}
    )
    source = run_recipe(r, out_dir=tmp_path / "image").folder  # MNIST digits: 28×28
    clips = _clips(source, **{"model.batch_norm": True})
    with pytest.raises(
        DataError, match=r"per feature\) is for images of 1×28×28; the frames are 1×32×32"
    ):
        run_recipe(clips, out_dir=tmp_path / "runs")
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())
