"""The video augmentation preview: clips split back into frames, flow in pixels and masks;
each draw's flow and mask rows are the ones the model is fed."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import ConfigError
from trainlab.workflows import preview_video
from trainlab.workflows.prepare import prepare_data
from trainlab.workflows.preview_video import clip_pictures, clips_caption

pytest.importorskip("cv2")


def _recipe(**sets) -> Recipe:
    base = {
        "name": "clips",
        "data.dataset": "moving-digits",
        "data.options": {"n": 40, "size": 40, "speed": 2},
        "preprocess.normalize": "none",
        "preprocess.video.frames": 4,
        "preprocess.video.sampling": "motion",
        "preprocess.video.flow": "dis",
        "preprocess.video.masks": "flow",
        "augment": [{"name": "flip", "hflip": 1.0}],
        "train.progress": False,
    }
    return Recipe().override({**base, **sets})


@pytest.fixture(scope="module")
def data():
    return prepare_data(_recipe())


def test_the_flow_comes_back_in_pixels_and_the_masks_are_its_threshold(data):
    pipe = data.video
    assert pipe.scale is not None and pipe.scale != 1.0
    clips = [clip_pictures(x, pipe) for x in data.train[0][:8]]
    assert clips[0].frames.shape == (4, 40, 40) and clips[0].flow.shape == (4, 2, 40, 40)
    assert np.array_equal(clips[0].frames, data.train[0][0, :, 0].numpy())
    # the pipeline's masks mark flow faster than mask_threshold pixels a frame: the
    # unscaled flow must say the same of (nearly) every pixel
    speeds = np.concatenate([np.hypot(c.flow[:, 0], c.flow[:, 1]).ravel() for c in clips])
    masks = np.concatenate([c.masks.ravel() for c in clips])
    assert masks.any() and (~masks.astype(bool)).any()
    agree = np.mean((speeds > pipe.mask_threshold) == masks.astype(bool))
    assert agree > 0.999


def test_without_flow_or_masks_a_clip_is_frames_only():
    class Pipe:
        flow, masks, scale = "none", "none", None

    clip = clip_pictures(torch.rand(3, 3, 8, 8), Pipe())
    assert clip.frames.shape == (3, 8, 8, 3) and clip.flow is None and clip.masks is None
    assert clips_caption(Pipe()) == "Example clips, one per class: frames"
    Pipe.masks = "background"
    assert clips_caption(Pipe()) == "Example clips, one per class: frames, masks"
    with pytest.raises(ConfigError, match="cannot hold"):
        clip_pictures(torch.rand(3, 1, 8, 8), type("P", (), {"flow": "dis", "masks": "flow"})())


def test_each_draw_shows_its_own_flow_and_masks(data, monkeypatch, tmp_path):
    seen = {}

    def capture(grid, path, **kw):
        seen.update(grid=grid, **kw)
        path.write_bytes(b"png")
        return path

    monkeypatch.setattr(preview_video, "plot_video_clips", capture)
    out = preview_video.video_preview(_recipe(), data, tmp_path / "p.png", rows=3, draws=2)
    assert out.read_bytes() == b"png"
    grid = seen["grid"]
    assert len(grid) == 3 and all(len(line) == 3 for line in grid)
    assert seen["columns"] == ["original", "draw 1", "draw 2"]
    assert sorted(seen["rows"]) == sorted(set(seen["rows"]))  # one clip per class first
    for original, *draws in grid:
        for d in draws:  # a flip moves the flow and mask channels with the pixels
            assert np.array_equal(d.frames, original.frames[..., ::-1])
            assert np.array_equal(d.masks, original.masks[..., ::-1])
            # and turns the motion: dx points the other way, dy is kept
            flipped = original.flow[..., ::-1]
            assert np.array_equal(d.flow[:, 0], -flipped[:, 0])
            assert np.array_equal(d.flow[:, 1], flipped[:, 1])
    assert any((np.abs(d.flow[:, 0]) > 0.5).any() for line in grid for d in line[1:])


def test_the_preview_png_has_flow_and_mask_rows(cli, tmp_path):
    from trainlab.report.figures._base import DPI
    from trainlab.report.figures.video_clips import FRAME_INCHES

    sizes = {}
    for masks in ("flow", "none"):
        out = tmp_path / f"{masks}.png"
        code, _, err = cli(
            "augment-preview",
            "--set", "data.dataset=moving-digits",
            "--set", "data.options={n: 40, size: 40, speed: 2}",
            "--set", "preprocess.normalize=none",
            "--set", "preprocess.video.frames=4",
            "--set", "preprocess.video.flow=dis",
            "--set", f"preprocess.video.masks={masks}",
            "--set", "augment=[{name: affine, rotation: 10}]",
            "--rows", "2",
            "--out", str(out),
        )  # fmt: skip
        assert code == 0, err
        import matplotlib.image

        sizes[masks] = matplotlib.image.imread(out).shape[0]
    # a mask strip more per clip, 2 clips
    assert sizes["flow"] - sizes["none"] >= 2 * FRAME_INCHES * DPI - 2


def test_the_pictures_of_a_standardized_clip_show_its_raw_flow_and_masks():
    from trainlab.config.recipe import Recipe
    from trainlab.workflows.prepare import prepare_data

    base = {
        "data.dataset": "moving-digits",
        "data.options": {"n": 8, "size": 32, "frames": 8, "moving": 2, "speed": 1},
        "split.stratify": False,
        "preprocess.video": {"frames": 3, "flow": "farneback", "masks": "flow"},
    }
    raw = prepare_data(Recipe().override({**base, "preprocess.normalize": "none"}))
    std = prepare_data(Recipe().override({**base, "preprocess.normalize": "standard"}))
    a = clip_pictures(raw.train[0][0], raw.video, raw.preprocessor)
    b = clip_pictures(std.train[0][0], std.video, std.preprocessor)
    assert set(np.unique(b.masks).round(4).tolist()) <= {0.0, 1.0}
    np.testing.assert_allclose(b.flow, a.flow, atol=1e-4)
    np.testing.assert_allclose(b.frames, a.frames, atol=1e-5)


def test_with_standard_normalization_a_flipped_draw_negates_the_raw_dx():
    from trainlab.augment.pipeline import raw_zero
    from trainlab.workflows.assemble import clip_layout
    from trainlab.workflows.preview import augmented_draws

    data = prepare_data(_recipe(**{"preprocess.normalize": "standard"}))
    x, (draw,), _ = augmented_draws(_recipe(), rows=2, draws=1, data=data)
    layout = clip_layout(data)
    offset = raw_zero(data.preprocessor, data.in_shape)
    gain = torch.tensor(layout.flow_gain).view(1, 1, 2, 1, 1)
    raw, flipped = ((v - offset)[:, :, layout.flow] / gain for v in (x, draw))
    assert float(raw[:, :, 0].abs().max()) > 0.5  # motion to turn
    assert torch.allclose(flipped[:, :, 0], -raw[:, :, 0].flip(-1), atol=1e-5)
    assert torch.allclose(flipped[:, :, 1], raw[:, :, 1].flip(-1), atol=1e-5)


def test_a_warp_that_would_mirror_the_flow_is_one_line_and_no_file(cli, tmp_path):
    out = tmp_path / "p.png"
    code, _, err = cli(
        "augment-preview",
        "--set", "data.dataset=moving-digits",
        "--set", "data.options={n: 40, size: 40, speed: 2}",
        "--set", "preprocess.video.frames=4",
        "--set", "preprocess.video.flow=dis",
        "--set", "augment=[{name: affine, rotation: 10, padding: reflection}]",
        "--out", str(out),
    )  # fmt: skip
    assert code == 2 and "augment[0] (affine): padding 'reflection'" in err
    assert len(err.strip().splitlines()) == 1 and not out.exists()
