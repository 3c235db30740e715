"""Statistics fitted by streaming the files, and the decoded size of a folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from trainlab.core.errors import ConfigError, DataError
from trainlab.data.datasets.image.image_folder import index_image_folder, load_image_folder
from trainlab.data.stream import estimate_decoded_bytes, fit_stream_preprocessor
from trainlab.data.stream.fit import spread
from trainlab.preprocess.image.fit import make_uniform
from trainlab.preprocess.pipeline import Preprocessor


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """2 classes × 5 RGB images of mixed sizes (PNG and JPEG), one grayscale."""
    rng = np.random.default_rng(1)
    for cls in ("a", "b"):
        (tmp_path / cls).mkdir()
        for i in range(5):
            a = rng.integers(0, 256, (12 + i, 16, 3), dtype=np.uint8)
            Image.fromarray(a).save(tmp_path / cls / f"{i}.{'jpg' if i % 2 else 'png'}")
    Image.fromarray(rng.integers(0, 256, (16, 16), dtype=np.uint8)).save(tmp_path / "b" / "g.png")
    return tmp_path


@pytest.mark.parametrize(
    ("normalize", "per", "pixel_scale"),
    [
        ("standard", "channel", True),
        ("standard", "global", False),
        ("minmax", "channel", True),
        ("standard", "feature", True),
        ("none", "channel", True),
    ],
)
def test_streamed_statistics_equal_the_in_memory_fit(
    folder: Path, normalize: str, per: str, pixel_scale: bool
) -> None:
    paths = index_image_folder(path=folder).paths
    uniform = make_uniform(load_image_folder(path=folder).train.x, (16, 16), "pad", 3)
    expected = Preprocessor(pixel_scale, normalize, per).fit(uniform)
    state = torch.get_rng_state()
    fitted = fit_stream_preprocessor(
        paths,
        size=(16, 16),
        channels=3,
        pixel_scale=pixel_scale,
        normalize=normalize,
        per=per,
        workers=0,
        batch_size=3,
    )
    assert (fitted.read, fitted.total) == (11, 11)
    assert torch.equal(torch.get_rng_state(), state)  # the global generator is not drawn from
    got = fitted.preprocessor
    for name, value in expected.normalizer.stats.items():
        np.testing.assert_allclose(got.normalizer.stats[name], value, rtol=1e-12, atol=1e-14)
    assert got.input_shape == expected.input_shape and got.input_dtype == "uint8"
    np.testing.assert_allclose(got.value_range, expected.value_range, rtol=1e-12)
    np.testing.assert_allclose(got.transform(uniform), expected.transform(uniform), atol=1e-6)


def test_the_cap_reads_files_spread_over_the_list(folder: Path) -> None:
    paths = index_image_folder(path=folder).paths
    assert spread(11, 4).tolist() == [0, 3, 7, 10] and spread(5, None).tolist() == [0, 1, 2, 3, 4]
    fitted = fit_stream_preprocessor(paths, size=(16, 16), channels=3, max_images=4, workers=0)
    assert (fitted.read, fitted.total) == (4, 11)
    uniform = make_uniform(
        [load_image_folder(path=folder).train.x[i] for i in (0, 3, 7, 10)], (16, 16), "pad", 3
    )
    expected = Preprocessor().fit(uniform).normalizer.stats["mean"]
    np.testing.assert_allclose(fitted.preprocessor.normalizer.stats["mean"], expected, rtol=1e-12)
    with pytest.raises(ConfigError, match="max_images"):
        fit_stream_preprocessor(paths, max_images=0, workers=0)


def test_images_that_cannot_join_the_statistics_are_named(folder: Path) -> None:
    paths = index_image_folder(path=folder).paths
    with pytest.raises(DataError, match=r"g\.png: an image of 1 channels among images of 3"):
        fit_stream_preprocessor(paths, size=(16, 16), workers=0)  # channels not made uniform
    with pytest.raises(
        DataError, match=r"1\.jpg: an image of size 13x16 .*\(preprocess\.image\.size\)"
    ):
        fit_stream_preprocessor(paths, channels=3, per="feature", workers=0)
    (folder / "a" / "0.png").write_bytes(b"broken")
    with pytest.raises(DataError, match=r"0\.png: unreadable image") as info:
        fit_stream_preprocessor(paths, size=(16, 16), channels=3, workers=0)
    assert "\n" not in str(info.value)


def test_decoded_bytes(folder: Path) -> None:
    paths = index_image_folder(path=folder).paths
    exact = sum(im.nbytes for im in load_image_folder(path=folder).train.x)
    assert estimate_decoded_bytes(paths) == exact
    sampled = estimate_decoded_bytes(paths, sample=3)  # 3 of 11 headers, scaled up
    assert 0.5 * exact < sampled < 1.5 * exact
    assert estimate_decoded_bytes([]) == 0
    assert estimate_decoded_bytes([folder / "missing.png"]) == 0
    with pytest.raises(ConfigError, match="sample"):
        estimate_decoded_bytes(paths, sample=0)
