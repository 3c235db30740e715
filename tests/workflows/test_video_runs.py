"""Video end to end: moving digits → sampled frames with flow and masks → a saved model."""

from __future__ import annotations

import pytest

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError, DataError
from trainlab.workflows.evaluate import evaluate_checkpoint
from trainlab.workflows.prepare import prepare_data, preprocess_state
from trainlab.workflows.run import run_recipe


def _recipe(**sets) -> Recipe:
    base = {
        "name": "clips",
        "data.dataset": "moving-digits",
        "data.options": {"n": 80, "size": 48, "speed": 3},
        "preprocess.normalize": "none",
        "preprocess.video.frames": 4,
        "model.widths": [8],
        "train.epochs": 1,
        "train.batch_size": 16,
        "train.progress": False,
    }
    return Recipe().override({**base, **sets})


def test_flow_and_mask_channels_follow_the_frames_and_are_saved():
    data = prepare_data(
        _recipe(**{"preprocess.video.flow": "dis", "preprocess.video.masks": "flow"})
    )
    assert data.modality == "video" and data.in_shape == (4, 1 + 2 + 1, 48, 48)
    x = data.train[0]
    assert x.dtype.is_floating_point and float(x[:, :, 0].max()) <= 1.0  # pixels in [0, 1]
    assert set(x[:, :, 3].unique().tolist()) <= {0.0, 1.0}  # the mask channel
    state = preprocess_state(data)
    assert state["video"]["config"]["flow"] == "dis" and state["video"]["fitted_flow_scale"] > 0


def test_a_run_saves_a_model_that_scores_its_test_split_the_same(tmp_path):
    r = _recipe(
        **{
            "preprocess.video.flow": "farneback",
            "augment": [{"name": "flip"}, {"name": "frame-drop"}],
        }
    )
    result = run_recipe(r, out_dir=tmp_path)
    from trainlab.io.model_file import load_model

    _, meta = load_model(result.folder / "model.safetensors")
    assert meta["model"]["name"] == "frame-cnn" and "video" in meta["preprocess"]
    assert evaluate_checkpoint(result.folder)["acc"] == pytest.approx(result.metrics["test_acc"])


def test_more_frames_than_the_clips_hold_is_one_line_and_no_folder(tmp_path):
    with pytest.raises(DataError, match=r"preprocess\.video\.frames: 30 frames asked.*at most 20"):
        run_recipe(_recipe(**{"preprocess.video.frames": 30}), out_dir=tmp_path)
    assert not any(tmp_path.iterdir())


def test_a_signal_augmentation_on_clips_is_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"augment\[0\].*video"):
        run_recipe(_recipe(augment=[{"name": "time-shift"}]), out_dir=tmp_path)
    assert not any(tmp_path.iterdir())


def test_the_preview_draws_one_transform_per_clip(tmp_path):
    import torch

    from trainlab.workflows.preview import augmented_draws

    r = _recipe(augment=[{"name": "flip", "hflip": 1.0}])
    x, batches, modality = augmented_draws(r, rows=2, draws=1)
    assert modality == "video" and x.ndim == 5
    assert torch.equal(batches[0], x.flip(-1))  # every frame of every clip flipped
    from trainlab.workflows.preview import augment_preview

    assert augment_preview(r, tmp_path / "p.png", rows=2, draws=2).stat().st_size > 0


def test_the_run_report_shows_one_test_clip_per_class_with_its_flow_and_masks(tmp_path):
    import base64
    import re

    import matplotlib.image

    r = _recipe(**{"preprocess.video.flow": "dis", "preprocess.video.masks": "flow"})
    result = run_recipe(r, out_dir=tmp_path)
    clips = result.folder / "clips.png"
    picture = matplotlib.image.imread(clips)
    assert picture.shape[0] > 4 * 3 * 40  # 4 directions, 3 strips each
    html = (result.folder / "report.html").read_text(encoding="utf-8")
    assert "Example clips, one per class: frames, flow, masks" in html
    embedded = [base64.b64decode(s) for s in re.findall(r"data:image/png;base64,([^\"']+)", html)]
    assert clips.read_bytes() in embedded
