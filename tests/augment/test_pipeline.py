"""Augmentations in recipes: validation, training-batch application, soft targets."""

import numpy as np
import pytest
import torch

from trainlab.augment._base import Augmentation
from trainlab.augment.pipeline import augment_batch, build_augmentation, build_augmentations
from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError
from trainlab.engine.augment import Augment
from trainlab.workflows.run import run_recipe


def test_unknown_name_and_argument_are_named():
    with pytest.raises(ConfigError, match="unknown augmentation 'twirl'"):
        build_augmentation({"name": "twirl"})
    with pytest.raises(ConfigError, match=r"augment\.rotaton: unknown argument of 'affine'"):
        build_augmentation({"name": "affine", "rotaton": 10})
    with pytest.raises(ConfigError, match="p"):
        build_augmentation({"name": "affine", "p": 1.5})


def test_rank_must_fit_the_data():
    with pytest.raises(ConfigError, match="works on images"):
        build_augmentations([{"name": "affine", "rotation": 5}], modality="signal")
    with pytest.raises(ConfigError, match="tabular"):
        build_augmentations([{"name": "affine", "rotation": 5}], modality="tabular")


def test_recipe_requires_a_name():
    with pytest.raises(ConfigError, match="needs a name"):
        Recipe.from_dict({"augment": [{"rotation": 5}]})


class _Trainer:
    device = torch.device("cpu")
    member = 0


def test_callback_is_seeded_per_epoch_and_mixes_labels():
    augs = build_augmentations(
        [{"name": "affine", "rotation": 20}, {"name": "mixup", "alpha": 0.4}], modality="image"
    )
    cb = Augment(augs, num_classes=3, seed=0)
    x, y = torch.randn(8, 1, 12, 12), torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
    cb.on_epoch_start(_Trainer, 1)
    x1, y1 = cb.on_train_batch(_Trainer, {"x": x, "y": y}).values()
    cb.on_epoch_start(_Trainer, 1)
    x2, y2 = cb.on_train_batch(_Trainer, {"x": x, "y": y}).values()
    assert torch.equal(x1, x2) and torch.equal(y1, y2)  # same epoch, same draws
    assert y1.shape == (8, 3) and torch.allclose(y1.sum(1), torch.ones(8))
    cb.on_epoch_start(_Trainer, 2)
    x3, _ = cb.on_train_batch(_Trainer, {"x": x, "y": y}).values()
    assert not torch.equal(x1, x3)


def test_training_with_augmentation_and_tta_runs_and_resumes_identically(tiny_digits, tmp_path):
    r = tiny_digits.override(
        {
            "augment": [
                {"name": "affine", "rotation": 10, "translate": 0.1},
                {"name": "cutmix", "p": 0.5},
            ],
            "test_time": {"flip": False, "shift": 1},
        }
    )
    a = run_recipe(r, out_dir=tmp_path)
    b = run_recipe(r, out_dir=tmp_path)
    assert a.metrics["test_acc"] == b.metrics["test_acc"]
    assert a.metrics["test_acc"] > 0.2
    # only the first epoch is compared (constant schedule: the same with more epochs)
    plain = run_recipe(r.override({"augment": [], "train.epochs": 1}), out_dir=tmp_path)
    assert plain.history.rows[0]["train_loss"] != a.history.rows[0]["train_loss"]


def test_every_registered_augmentation_is_an_augmentation():
    from trainlab.augment.registry import AUGMENTATIONS

    build_augmentation({"name": "affine"})  # imports every module
    assert len(AUGMENTATIONS) >= 10
    for name, cls in AUGMENTATIONS.items():
        assert issubclass(cls, Augmentation), name


def test_padding_and_erasing_mean_raw_zero_after_normalization():
    from trainlab.augment.pipeline import augment_batch, raw_zero
    from trainlab.preprocess.pipeline import Preprocessor

    raw = np.zeros((6, 1, 8, 8), dtype=np.uint8)
    raw[:, :, 2:6, 2:6] = 200
    pre = Preprocessor(normalize="standard", per="channel").fit(raw)
    x = torch.from_numpy(pre.transform(raw))
    zero = raw_zero(pre, (1, 8, 8))
    assert torch.allclose(zero, x[:, :, :1, :1].mean(), atol=1e-6)  # raw black, normalized
    shift = build_augmentation({"name": "affine", "translate": [0.5, 0.5], "p": 1.0})
    out, _ = augment_batch([shift], x, None, torch.Generator().manual_seed(0), offset=zero)
    # what comes in from outside the image is black, as on raw pixels, not the mean (0)
    background = out[out < zero.max() + 1e-4]
    assert background.numel() > 0 and torch.allclose(
        background, zero.flatten()[0].expand_as(background), atol=1e-5
    )
    assert not torch.isclose(out, torch.zeros(())).any()


def test_audio_waveform_augmentations_come_before_spectrogram_ones():
    from trainlab.augment.pipeline import stages

    augs = build_augmentations(
        [{"name": "time-shift"}, {"name": "cutout"}, {"name": "gaussian-noise"}], modality="audio"
    )
    assert stages(augs) == ["waveform", "spectrogram", "spectrogram"]
    with pytest.raises(ConfigError, match="list the waveform augmentations first"):
        build_augmentations([{"name": "cutout"}, {"name": "time-shift"}], modality="audio")
    with pytest.raises(ConfigError, match="the model reads waveforms"):
        build_augmentations([{"name": "cutout"}], modality="audio", spectrograms=False)


def test_the_front_end_runs_once_before_the_first_spectrogram_augmentation():
    from trainlab.augment.pipeline import augment_batch

    calls = []

    def frontend(x):
        calls.append(tuple(x.shape))
        return x.unsqueeze(2).expand(-1, -1, 4, -1).clone()  # (N, C, 4, L)

    augs = build_augmentations(
        [{"name": "time-shift", "p": 0.0}, {"name": "cutout", "p": 0.0}], modality="audio"
    )
    x = torch.randn(2, 1, 8)
    out, _ = augment_batch(augs, x, None, torch.Generator().manual_seed(0), frontend=frontend)
    assert calls == [(2, 1, 8)] and out.shape == (2, 1, 4, 8)
    assert torch.equal(out[:, :, 0], x)


def test_video_runs_image_augmentations_per_clip_and_keeps_the_video_ones():
    from trainlab.augment.pipeline import check_modality, for_clips
    from trainlab.augment.video import PerClip, Reverse

    specs = [{"name": "affine", "rotation": 20}, {"name": "reverse"}, {"name": "mixup"}]
    augs = build_augmentations(specs, modality="video")
    assert [type(a) for a in augs] == [PerClip, Reverse, PerClip]
    assert type(augs[0].aug).__name__ == "RandomAffine" and augs[2].mixes_labels
    assert for_clips(augs) == augs  # wrapped once
    built = build_augmentations(specs)  # before the data: names and arguments only
    check_modality(built, [s["name"] for s in specs], "video")
    assert [type(a) for a in for_clips(built)] == [PerClip, Reverse, PerClip]
    x = torch.rand(8, 4, 1, 12, 12)
    y = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
    out, soft = augment_batch(augs, x, y, torch.Generator().manual_seed(0), num_classes=3)
    assert out.shape == x.shape and soft.shape == (8, 3)
    assert torch.allclose(soft.sum(1), torch.ones(8))


def test_video_modality_errors_name_what_fits():
    with pytest.raises(
        ConfigError,
        match=r"'time-shift' works on 1-D signals, but the data are "
        r"video \(clips take video augmentations and image ones\)",
    ):
        build_augmentations([{"name": "time-shift"}], modality="video")
    with pytest.raises(
        ConfigError, match="'frame-drop' works on video clips, but the data are image"
    ):
        build_augmentations([{"name": "frame-drop"}], modality="image")
