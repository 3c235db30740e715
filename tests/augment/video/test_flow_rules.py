"""Clip augmentations and the flow and mask channels: the flow of the augmented clip is
the motion its augmented pixels show (OpenCV's optical flow as the oracle)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from trainlab.augment._base import Augmentation
from trainlab.augment.pipeline import augment_batch, build_augmentations, for_clips, raw_zero
from trainlab.augment.registry import AUGMENTATIONS
from trainlab.augment.video.channels import ClipChannels, clip_channels
from trainlab.augment.video.per_clip import PerClip
from trainlab.core.errors import ConfigError

#: one pixel channel, the flow (dx, dy), one mask channel
LAYOUT = ClipChannels(pixels=1, flow=slice(1, 3), mask=3)
SIZE, STEP = 32, 2


def gen(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def video(names, layout=LAYOUT, **args):
    specs = [{"name": n, **args} for n in ([names] if isinstance(names, str) else names)]
    return build_augmentations(specs, modality="video", channels=layout)


def constant_flow(n=3, t=4, dx=1.0, dy=0.0) -> torch.Tensor:
    """Clips of random pixels, a flow (dx, dy) everywhere and a mask of ones."""
    x = torch.rand(n, t, 4, 8, 8, generator=gen(1))
    x[:, :, 1], x[:, :, 2], x[:, :, 3] = dx, dy, 1.0
    return x


def moving_square(frames: int = 4) -> np.ndarray:
    """uint8 frames (T, H, W): a textured square moving STEP pixels a frame to the right."""
    tex = (np.random.default_rng(0).random((10, 10)) * 200 + 55).astype(np.uint8)
    out = np.zeros((frames, SIZE, SIZE), np.uint8)
    for t in range(frames):
        out[t, 11:21, 6 + STEP * t : 16 + STEP * t] = tex
    return out


def cv2_flow(frames: np.ndarray) -> np.ndarray:
    """(T, 2, H, W): DIS flow from each frame to the next (the last: from T-2 to T-1)."""
    cv2 = pytest.importorskip("cv2")
    dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)
    pairs = [(t, t + 1) for t in range(len(frames) - 1)] + [(len(frames) - 2, len(frames) - 1)]
    return np.stack([dis.calc(frames[a], frames[b], None).transpose(2, 0, 1) for a, b in pairs])


def square_clip() -> torch.Tensor:
    """A (1, T, 4, H, W) clip: the square's pixels in [0, 1], its real flow, its mask."""
    frames = moving_square()
    flow = cv2_flow(frames)
    pixels = frames[:, None].astype(np.float32) / 255.0
    mask = (frames[:, None] > 0).astype(np.float32)
    return torch.from_numpy(np.concatenate([pixels, flow, mask], axis=1))[None]


def median_motion(flow: np.ndarray, where: np.ndarray) -> np.ndarray:
    """The median (dx, dy) over the pixels ``where`` (T, H, W) of frames 1 and 2."""
    return np.median(np.stack([flow[1:3, 0][where[1:3]], flow[1:3, 1][where[1:3]]]), axis=1)


def test_a_horizontal_flip_negates_dx_and_a_vertical_one_dy():
    x = constant_flow(dx=1.0, dy=0.5)
    out = video("flip", hflip=1.0)[0](x, gen())
    assert torch.equal(out[:, :, 0], x[:, :, 0].flip(-1))  # pixels moved as images
    assert torch.equal(out[:, :, 1], torch.full_like(out[:, :, 1], -1.0))
    assert torch.equal(out[:, :, 2], x[:, :, 2]) and torch.equal(out[:, :, 3], x[:, :, 3])
    out = video("flip", hflip=0.0, vflip=1.0)[0](x, gen())
    assert torch.equal(out[:, :, 1], x[:, :, 1])
    assert torch.equal(out[:, :, 2], torch.full_like(out[:, :, 2], -0.5))


@pytest.mark.parametrize("name", ["rotate", "affine"])
def test_a_rotation_turns_the_flow_as_opencv_sees_the_rotated_square_move(name):
    x = square_clip()
    out = video(name, rotation=[90.0, 90.0])[0](x, gen())[0].numpy()
    rotated = (out[:, 0] * 255.0).round().astype(np.uint8)
    # the pixels turned counter-clockwise (a positive angle): the square now moves up
    assert np.array_equal(rotated, np.rot90(moving_square(), 1, axes=(1, 2)))
    seen = median_motion(cv2_flow(rotated), rotated > 0)  # the oracle: the real motion
    ours = median_motion(out[:, 1:3], rotated > 0)
    assert np.allclose(seen, [0.0, -STEP], atol=0.1)
    assert np.allclose(ours, seen, atol=0.1)
    before = median_motion(x[0, :, 1:3].numpy(), moving_square() > 0)
    assert np.allclose(before, [STEP, 0.0], atol=0.1)  # it moved right before


def test_a_small_rotation_turns_every_vector_by_its_angle():
    x = constant_flow(dx=1.0, dy=0.0)
    aug = video("rotate", rotation=[30.0, 30.0], padding="border")[0]
    out = aug(x, gen())
    angle = np.deg2rad(30.0)  # counter-clockwise with y down: (cos, −sin)
    assert torch.allclose(out[:, :, 1], torch.tensor(np.cos(angle)).float(), atol=1e-5)
    assert torch.allclose(out[:, :, 2], torch.tensor(-np.sin(angle)).float(), atol=1e-5)


def test_a_translation_leaves_the_vectors_alone():
    x = constant_flow(dx=1.0, dy=-1.0)
    out = video("translate", translate=0.25, padding="border")[0](x, gen())
    assert torch.allclose(out[:, :, 1:3], x[:, :, 1:3])


def test_a_crop_scales_the_flow_by_its_zoom():
    x = constant_flow(dx=1.0, dy=1.0)
    aug = video("random-resized-crop", scale=[0.25, 0.25], ratio=[1.0, 1.0])[0]
    params = aug.sample_params(x, gen())
    zoom_x, zoom_y = 8 / params["box"][:, 3].float(), 8 / params["box"][:, 2].float()
    out = aug.apply(x, params)
    assert torch.allclose(out[:, :, 1], zoom_x.view(-1, 1, 1, 1).expand_as(out[:, :, 1]))
    assert torch.allclose(out[:, :, 2], zoom_y.view(-1, 1, 1, 1).expand_as(out[:, :, 2]))
    assert bool((zoom_x == 2.0).all())


def test_reverse_negates_the_flow_and_clip_speed_scales_it():
    x = constant_flow(dx=1.0, dy=-0.5)
    out = video("reverse", p=1.0)[0](x, gen())
    assert torch.equal(out[:, :, 0], x[:, :, 0].flip(1))
    assert torch.equal(out[:, :, 1:3], -x[:, :, 1:3]) and torch.equal(out[:, :, 3], x[:, :, 3])
    out = video("clip-speed", factor=2.0)[0](x, gen())
    assert torch.allclose(out[:, :, 1:3], 2.0 * x[:, :, 1:3])
    assert torch.equal(out[:, :, 3], x[:, :, 3])


@pytest.mark.parametrize("name", ["temporal-jitter", "frame-drop"])
def test_jitter_and_dropping_keep_each_shown_frames_flow(name):
    x = constant_flow()
    x[:, :, 1] = torch.arange(4.0).view(1, 4, 1, 1)  # each frame's own dx
    aug = video(name, **({"max_shift": 2} if name == "temporal-jitter" else {"rate": 0.5}))[0]
    out = aug(x, gen(2))
    shown = out[:, :, 1, 0, 0].long()  # frame t shows input frame shown[:, t]
    assert torch.equal(out[:, :, 0], torch.stack([x[i, shown[i], 0] for i in range(3)]))


@pytest.mark.parametrize(
    "name, args",
    [("color-jitter", {"brightness": 0.8, "contrast": 0.8}), ("gaussian-noise", {"std": 0.5})],
)
def test_colour_and_noise_touch_the_pixels_only(name, args):
    x = constant_flow(dx=0.3, dy=-0.7)
    out = video(name, **args)[0](x, gen())
    assert not torch.equal(out[:, :, 0], x[:, :, 0])
    assert torch.equal(out[:, :, 1:], x[:, :, 1:])
    # and the pixels change exactly as the image augmentation changes pixel-only clips
    alone = PerClip(AUGMENTATIONS.get(name)(**args))(x[:, :, :1].contiguous(), gen())
    assert torch.equal(out[:, :, :1], alone)


def test_erasing_erases_the_motion_and_the_mask_in_its_box():
    x = constant_flow(dx=1.0, dy=1.0)
    out = video("cutout", size=0.5, value=0.25)[0](x, gen())
    erased = out[:, :, 0] == 0.25
    assert erased.any()
    for c in (1, 2, 3):
        assert bool((out[:, :, c][erased] == 0).all()) and bool((out[:, :, c][~erased] == 1).all())


def test_with_standard_normalization_the_raw_flow_turns_right():
    from trainlab.preprocess.pipeline import Preprocessor

    raw = constant_flow(n=4).numpy()
    raw[:, :, 1] = np.random.default_rng(0).normal(1.0, 3.0, raw[:, :, 1].shape)  # dx: wide
    raw[:, :, 2] = np.random.default_rng(1).normal(0.0, 0.2, raw[:, :, 2].shape)  # dy: narrow
    pre = Preprocessor(normalize="standard", frames=True).fit(raw)
    pipe = type("Pipe", (), {"flow": "dis", "masks": "flow"})()
    layout = clip_channels(pipe, pre, raw.shape[1:])
    assert layout.flow_gain[0] < layout.flow_gain[1]  # dx is divided by a larger σ
    x = torch.from_numpy(pre.transform(raw))
    offset = raw_zero(pre, raw.shape[1:])
    augs = video("rotate", layout=layout, rotation=[90.0, 90.0])
    out, _ = augment_batch(augs, x, None, gen(), offset=offset)
    back = (out - offset) / torch.tensor([1.0, *layout.flow_gain, 1.0]).view(1, 1, 4, 1, 1)
    # undo the mean too: raw = (normalized − raw_zero) / gain
    inner = (slice(None), slice(None), slice(None), slice(2, 6), slice(2, 6))
    r = torch.from_numpy(raw)
    turned = torch.rot90(r, 1, dims=(3, 4))
    assert torch.allclose(back[inner][:, :, 1], turned[inner][:, :, 2], atol=1e-4)  # dx' = dy
    assert torch.allclose(back[inner][:, :, 2], -turned[inner][:, :, 1], atol=1e-4)  # dy' = −dx
    # brightness still leaves the (normalized) flow and mask as they were
    bright = video("color-jitter", layout=layout, brightness=0.9)
    out, _ = augment_batch(bright, x, None, gen(), offset=offset)
    assert torch.allclose(out[:, :, 1:], x[:, :, 1:], atol=1e-6)


def test_an_augmentation_that_cannot_keep_the_flow_right_is_refused_in_one_line():
    with pytest.raises(ConfigError, match=r"^augment\[1\] \(affine\): padding 'reflection'"):
        specs = [{"name": "flip"}, {"name": "affine", "rotation": 10, "padding": "reflection"}]
        build_augmentations(specs, modality="video", channels=LAYOUT)

    class Blur(Augmentation):
        def apply(self, batch, params):
            return batch

    with pytest.raises(ConfigError, match="Blur: does not know the clips' flow") as err:
        for_clips([Blur()], LAYOUT)
    assert "\n" not in str(err.value)
    assert type(for_clips([Blur()])[0]) is PerClip  # without a layout: pixels, as before


def test_without_a_layout_the_clips_are_augmented_as_before():
    x = constant_flow()
    for name in ("flip", "rotate", "color-jitter", "reverse", "clip-speed"):
        plain = build_augmentations([{"name": name}], modality="video")[0]
        layout = video(name, layout=None)[0]
        assert torch.equal(plain(x, gen(3)), layout(x, gen(3)))
        assert torch.equal(for_clips([plain])[0](x, gen(3)), plain(x, gen(3)))
