"""Pixel scaling, pad / crop / squish, channel conversion, against Pillow."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from PIL import Image

from trainlab.core.errors import ConfigError, DataError
from trainlab.preprocess import convert_channels, fit_image, make_uniform, scale_pixels


def _rgb(h: int, w: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(3, h, w), dtype=np.uint8)


# -- scale_pixels --------------------------------------------------------------
def test_scale_pixels_uint8() -> None:
    x = np.arange(256, dtype=np.uint8).reshape(1, 16, 16)
    out = scale_pixels(x)
    assert out.dtype == np.float32 and out.shape == x.shape
    assert out.min() == 0.0 and out.max() == 1.0
    np.testing.assert_allclose(out.ravel(), np.arange(256) / 255.0, rtol=1e-6)


def test_scale_pixels_float_unchanged() -> None:
    x = np.linspace(-2.0, 3.0, 10, dtype=np.float32)
    assert scale_pixels(x) is x
    y = scale_pixels(x.astype(np.float64))
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y, x)
    with pytest.raises(DataError, match="uint8"):
        scale_pixels(np.arange(3, dtype=np.int64))


# -- fit_image -----------------------------------------------------------------
@pytest.mark.parametrize("fit", ["pad", "crop", "squish"])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_output_shape_and_dtype(fit: str, dtype: type) -> None:
    img = _rgb(20, 40).astype(dtype)
    for size in [(32, 32), (10, 50), (64, 16)]:
        out = fit_image(img, size, fit=fit)
        assert out.shape == (3, *size)
        assert out.dtype == (np.uint8 if dtype is np.uint8 else np.float32)


def test_pad_letterboxes_wide_image() -> None:
    img = np.full((3, 20, 40), 200, dtype=np.uint8)
    out = fit_image(img, (32, 32), fit="pad")
    # scale 0.8 → 16×32, padded with 8 zero rows on top and 8 at the bottom
    np.testing.assert_array_equal(out[:, :8], 0)
    np.testing.assert_array_equal(out[:, 24:], 0)
    np.testing.assert_array_equal(out[:, 8:24], 200)


def test_pad_tall_image_pads_columns() -> None:
    img = np.ones((1, 40, 20), dtype=np.float32)
    out = fit_image(img, (32, 32), fit="pad")
    np.testing.assert_array_equal(out[:, :, :8], 0)
    np.testing.assert_array_equal(out[:, :, 24:], 0)
    np.testing.assert_allclose(out[:, :, 8:24], 1.0, rtol=1e-6)


def test_pad_content_matches_pillow_resize() -> None:
    img = _rgb(20, 40)
    out = fit_image(img, (32, 32), fit="pad")
    ref = Image.fromarray(img.transpose(1, 2, 0)).resize((32, 16), Image.Resampling.BILINEAR)
    np.testing.assert_array_equal(out[:, 8:24], np.asarray(ref).transpose(2, 0, 1))


def test_crop_keeps_the_centre() -> None:
    img = np.zeros((1, 20, 40), dtype=np.uint8)
    img[:, :, 10:30] = 255  # the central half of the columns
    out = fit_image(img, (32, 32), fit="crop")
    # scale 1.6 → 32×64, then columns 16..48 (the original 10..30) are kept
    np.testing.assert_array_equal(out[:, :, 1:31], 255)
    assert out[:, :, [0, 31]].min() > 128  # only the edge columns blend with the outside


def test_crop_matches_pillow_resize_then_centre_crop() -> None:
    img = _rgb(20, 40, seed=3)
    out = fit_image(img, (32, 32), fit="crop")
    big = Image.fromarray(img.transpose(1, 2, 0)).resize((64, 32), Image.Resampling.BILINEAR)
    ref = np.asarray(big).transpose(2, 0, 1)[:, :, 16:48]
    np.testing.assert_array_equal(out, ref)


@pytest.mark.parametrize("size", [(32, 32), (10, 15), (7, 90)])
def test_squish_equals_pillow_resize(size: tuple[int, int]) -> None:
    img = _rgb(20, 40, seed=4)
    out = fit_image(img, size, fit="squish")
    ref = Image.fromarray(img.transpose(1, 2, 0)).resize(size[::-1], Image.Resampling.BILINEAR)
    np.testing.assert_array_equal(out, np.asarray(ref).transpose(2, 0, 1))


def test_squish_float_equals_pillow_mode_f() -> None:
    img = np.random.default_rng(5).random((2, 20, 40)).astype(np.float32)
    out = fit_image(img, (13, 17), fit="squish")
    for c in range(2):
        ref = Image.fromarray(img[c]).resize((17, 13), Image.Resampling.BILINEAR)
        np.testing.assert_allclose(out[c], np.asarray(ref), rtol=1e-6)


def test_same_size_is_unchanged() -> None:
    img = _rgb(32, 32)
    for fit in ("pad", "crop", "squish"):
        np.testing.assert_array_equal(fit_image(img, (32, 32), fit=fit), img)


def test_fit_image_errors() -> None:
    with pytest.raises(ConfigError, match="fit"):
        fit_image(_rgb(4, 4), (8, 8), fit="stretch")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="size"):
        fit_image(_rgb(4, 4), (0, 8))
    with pytest.raises(DataError, match="image"):
        fit_image(np.zeros((1, 1, 4, 4), np.uint8), (8, 8))


# -- convert_channels ------------------------------------------------------------
def test_rgb_to_gray_matches_pillow() -> None:
    img = _rgb(30, 40, seed=6)
    ours = convert_channels(img, 1)
    ref = np.asarray(Image.fromarray(img.transpose(1, 2, 0)).convert("L"))
    assert ours.shape == (1, 30, 40) and ours.dtype == np.uint8
    assert np.abs(ours[0].astype(int) - ref.astype(int)).max() <= 1


def test_rgb_to_gray_float_uses_luma_weights() -> None:
    img = np.random.default_rng(7).random((3, 5, 5)).astype(np.float32)
    out = convert_channels(img, 1)
    expected = 0.299 * img[0] + 0.587 * img[1] + 0.114 * img[2]
    np.testing.assert_allclose(out[0], expected, rtol=1e-6)


def test_gray_to_rgb_and_alpha() -> None:
    gray = _rgb(5, 6)[:1]
    rgb = convert_channels(gray, 3)
    assert rgb.shape == (3, 5, 6)
    for c in range(3):
        np.testing.assert_array_equal(rgb[c], gray[0])
    rgba = np.concatenate([_rgb(5, 6), np.full((1, 5, 6), 7, np.uint8)])
    np.testing.assert_array_equal(convert_channels(rgba, 3), rgba[:3])
    ref = np.asarray(Image.fromarray(np.ascontiguousarray(rgba.transpose(1, 2, 0))).convert("RGB"))
    np.testing.assert_array_equal(convert_channels(rgba, 3), ref.transpose(2, 0, 1))
    assert convert_channels(gray, 1) is gray
    with pytest.raises(ConfigError):
        convert_channels(gray, 5)


# -- make_uniform ----------------------------------------------------------------
def test_make_uniform_mixed_sizes_and_channels() -> None:
    imgs = [_rgb(20, 40), _rgb(30, 30)[:1], _rgb(40, 20), _rgb(24, 36)]
    with pytest.warns(UserWarning, match=r"27x33.*preprocess\.image\.size"):
        out = make_uniform(imgs, size=None, fit="pad", channels=None)
    # median height of 20, 30, 40, 24 is (24 + 30) / 2 = 27; of widths 40, 30, 20, 36: 33
    assert out.shape == (4, 3, 27, 33)
    assert out.dtype == np.uint8
    # the grayscale image was repeated to RGB
    np.testing.assert_array_equal(out[1, 0], out[1, 1])


def test_make_uniform_explicit_size_no_warning() -> None:
    imgs = [_rgb(20, 40), _rgb(30, 30)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = make_uniform(imgs, size=(16, 16), fit="squish", channels=1)
    assert out.shape == (2, 1, 16, 16)
    ref = convert_channels(_rgb(20, 40), 1)
    np.testing.assert_array_equal(out[0], fit_image(ref, (16, 16), "squish"))


def test_make_uniform_same_sizes_stack() -> None:
    imgs = [_rgb(8, 8, seed=i) for i in range(3)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = make_uniform(imgs, None, "pad", None)
    np.testing.assert_array_equal(out, np.stack(imgs))


def test_make_uniform_stacked_unchanged_without_copy() -> None:
    batch = np.zeros((5, 1, 8, 8), np.float32)
    assert make_uniform(batch, None, "pad", None) is batch
    assert make_uniform(batch, (8, 8), "crop", 1) is batch
    out = make_uniform(batch, (4, 4), "squish", 3)
    assert out.shape == (5, 3, 4, 4) and out.dtype == np.float32


def test_make_uniform_errors() -> None:
    with pytest.raises(DataError, match="no images"):
        make_uniform([], (8, 8), "pad", None)
    with pytest.raises(DataError, match="mix"):
        make_uniform([_rgb(4, 4), np.zeros((3, 4, 4), np.float32)], None, "pad", None)
    with pytest.raises(DataError, match="batch"):
        make_uniform(np.zeros((4, 4, 4)), None, "pad", None)
