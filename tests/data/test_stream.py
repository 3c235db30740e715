"""Streaming batches from image files: epoch order, coverage, normalization, errors."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from trainlab.core.errors import ConfigError, DataError
from trainlab.data.datasets.image.image_folder import index_image_folder, load_image_folder
from trainlab.data.stream import (
    EpochOrder,
    ImageFileDataset,
    ImageTransform,
    StreamSource,
    standard_preprocessor,
)
from trainlab.preprocess.image.fit import make_uniform
from trainlab.preprocess.pipeline import Preprocessor


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """3 classes × 4 images around 16×16: RGB JPEG and PNG, grayscale PNG, mixed sizes."""
    rng = np.random.default_rng(0)
    for k, cls in enumerate(["ant", "bee", "cat"]):
        (tmp_path / cls).mkdir()
        for i in range(4):
            h, w = 16 + (i % 2) * 4, 16 + k * 2
            if i == 3:
                a = rng.integers(0, 256, (h, w), dtype=np.uint8)
                Image.fromarray(a).save(tmp_path / cls / f"{i}.png")
            else:
                a = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
                ext = "jpg" if i == 0 else "png"
                Image.fromarray(a).save(tmp_path / cls / f"{i}.{ext}")
    return tmp_path


def dataset(root: Path, pre: Preprocessor | None = None) -> ImageFileDataset:
    transform = ImageTransform(size=(16, 16), fit="crop", channels=3, preprocessor=pre)
    return ImageFileDataset.from_index(index_image_folder(path=root), transform)


def in_memory(root: Path) -> np.ndarray:
    """The in-memory path's uniform images: load_image_folder, then make_uniform."""
    return make_uniform(load_image_folder(path=root).train.x, (16, 16), "crop", 3)


def epoch(src: StreamSource, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    src.set_epoch(seed)
    return [(b["x"].numpy().copy(), b["y"].numpy().copy()) for b in src]


def test_set_epoch_order_depends_on_the_seed_only(folder: Path) -> None:
    src = StreamSource(dataset(folder), batch_size=5, workers=0)
    first, other, again = epoch(src, 3), epoch(src, 4), epoch(src, 3)
    for (x1, y1), (x2, y2) in zip(first, again, strict=True):
        assert np.array_equal(x1, x2) and np.array_equal(y1, y2)
    assert not all(np.array_equal(a[1], b[1]) for a, b in zip(first, other, strict=True))
    fresh = StreamSource(dataset(folder), batch_size=5, workers=0)  # a new source, same seed
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(first, epoch(fresh, 3), strict=True))
    order = EpochOrder(12, shuffle=True)
    order.set_epoch(3)
    expected = torch.randperm(12, generator=torch.Generator().manual_seed(3)).tolist()
    assert list(order) == expected


def test_one_epoch_reads_every_example_once(folder: Path) -> None:
    ds = dataset(folder)
    src = StreamSource(ds, batch_size=5, workers=0)
    assert src.num_examples == 12 and len(src) == 3 and src.drop_last is False
    state = torch.get_rng_state()
    batches = epoch(src, 0)
    assert torch.equal(torch.get_rng_state(), state)  # the global generator is not drawn from
    assert [len(y) for _, y in batches] == [5, 5, 2]
    x = np.concatenate([b[0] for b in batches])
    y = np.concatenate([b[1] for b in batches])
    assert x.dtype == np.float32 and x.shape == (12, 3, 16, 16) and y.dtype == np.int64
    reference = np.stack([ds[i][0] for i in range(12)])
    matched = sorted(int(np.flatnonzero((reference == xi).all(axis=(1, 2, 3)))[0]) for xi in x)
    assert matched == list(range(12))  # each image once
    assert np.bincount(y).tolist() == [4, 4, 4]
    ordered = StreamSource(ds, batch_size=5, workers=0, shuffle=False)
    assert np.array_equal(np.concatenate([b[0] for b in epoch(ordered, 9)]), reference)


def test_workers_do_not_change_the_batches_and_errors_name_the_file(folder: Path) -> None:
    ds = dataset(folder)
    local = epoch(StreamSource(ds, batch_size=5, workers=0), 11)
    with StreamSource(ds, batch_size=5, workers=2) as src:
        assert src.workers == 2
        remote = epoch(src, 11)
        assert len(remote) == len(local)
        for (x1, y1), (x2, y2) in zip(local, remote, strict=True):
            assert np.array_equal(x1, x2) and np.array_equal(y1, y2)
        bad = folder / "bee" / "2.png"
        bad.write_bytes(b"\x89PNG\r\n\x1a\n not an image")
        with pytest.raises(DataError) as info:
            epoch(src, 11)  # decoded in a worker process
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{bad}: unreadable image")


def test_normalization_matches_the_in_memory_path(folder: Path) -> None:
    uniform = in_memory(folder)
    pre = Preprocessor(normalize="standard", per="channel").fit(uniform)
    expected = pre.transform(uniform)
    ds = dataset(folder, pre)
    got = np.stack([ds[i][0] for i in range(len(ds))])
    assert np.array_equal(got, expected)  # the same preprocessor gives the same bits
    src = StreamSource(ds, batch_size=4, workers=0, shuffle=False)
    assert np.array_equal(torch.cat([b["x"] for b in src]).numpy(), expected)
    numpy_only = ImageTransform(size=(16, 16), fit="crop", channels=3, preprocessor=pre)
    object.__setattr__(numpy_only, "_lut", None)  # as without OpenCV
    assert np.array_equal(numpy_only(load_image_folder(path=folder).train.x[0]), expected[0])
    copy = pickle.loads(pickle.dumps(ds))  # as a spawned or forkserver worker gets it
    assert np.array_equal(copy[7][0], expected[7])
    # given statistics: (x / 255 - mean) / std, per channel
    mean, std = [0.4, 0.5, 0.6], [0.2, 0.25, 0.3]
    given = dataset(folder, standard_preprocessor(mean, std))
    by_hand = (uniform / 255.0 - np.reshape(mean, (3, 1, 1))) / np.reshape(std, (3, 1, 1))
    np.testing.assert_allclose(given[5][0], by_hand[5], rtol=0, atol=1e-6)


@pytest.mark.parametrize(("normalize", "per"), [("minmax", "global"), ("standard", "feature")])
def test_other_normalizers_match_too(folder: Path, normalize: str, per: str) -> None:
    uniform = in_memory(folder)
    pre = Preprocessor(normalize=normalize, per=per).fit(uniform)
    ds = dataset(folder, pre)
    assert np.array_equal(np.stack([ds[i][0] for i in range(len(ds))]), pre.transform(uniform))


def test_unreadable_and_mismatched_images_are_one_line_data_errors(folder: Path) -> None:
    missing = folder / "ant" / "gone.png"
    ds = ImageFileDataset([folder / "ant" / "1.png", missing], [0, 0])
    with pytest.raises(DataError, match=r"gone\.png: unreadable image") as info:
        list(StreamSource(ds, batch_size=2, workers=0))
    assert "\n" not in str(info.value)
    sizes = ImageFileDataset([folder / "ant" / "0.jpg", folder / "ant" / "1.png"], [0, 0])
    with pytest.raises(DataError, match=r"1\.png: image of shape .*preprocess\.image\.size"):
        list(StreamSource(sizes, batch_size=2, workers=0, shuffle=False))
    pre = standard_preprocessor([0.5, 0.5], [0.2, 0.2])  # fitted on 2 channels
    two = ImageFileDataset([folder / "ant" / "0.jpg"], [0], ImageTransform(preprocessor=pre))
    with pytest.raises(DataError, match=r"0\.jpg: .*3 channels.*fitted on 2"):
        list(StreamSource(two, batch_size=1, workers=0))


def test_bad_settings_are_config_errors(folder: Path) -> None:
    ds = dataset(folder)
    for kwargs, match in [
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": 2, "workers": -1}, "workers"),
        ({"batch_size": 2, "prefetch": 0}, "prefetch"),
    ]:
        with pytest.raises(ConfigError, match=match):
            StreamSource(ds, **kwargs)
    with pytest.raises(ConfigError, match="size"):
        ImageTransform(size=(0, 4))
    with pytest.raises(ConfigError, match="fit"):
        ImageTransform(fit="stretch")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="channels"):
        ImageTransform(channels=5)
    with pytest.raises(ConfigError, match="not fitted"):
        ImageTransform(preprocessor=Preprocessor())
    with pytest.raises(ConfigError, match="positive stds"):
        standard_preprocessor([0.5], [0.0])
    with pytest.raises(DataError, match="2 image files but 1 labels"):
        ImageFileDataset(["a.png", "b.png"], [0])


def test_memory_is_pinned_only_for_cuda(folder: Path) -> None:
    src = StreamSource(dataset(folder), batch_size=4, workers=0, device="cpu")
    assert src.pin_memory is False
    cuda = StreamSource(dataset(folder), batch_size=4, workers=0, device="cuda")
    assert cuda.pin_memory is torch.cuda.is_available()
