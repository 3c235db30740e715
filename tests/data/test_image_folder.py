"""The image-folder loader: classes from subfolders, Pillow modes to (C, H, W) uint8, bad files."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from trainlab.config.recipe import SplitConfig
from trainlab.core.errors import ConfigError, DataError
from trainlab.data.classes import select_classes
from trainlab.data.datasets import load_dataset
from trainlab.data.datasets.image.image_folder import index_image_folder, read_image
from trainlab.data.split import limit_bundle, split_bundle


def rgb(w: int, h: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def gray(w: int, h: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (h, w), dtype=np.uint8)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """cat: 2 RGB + 1 grayscale + 1 corrupt; dog: RGBA, palette, LA, 16-bit; noise to ignore."""
    root = tmp_path / "pets"
    (root / "cat").mkdir(parents=True)
    (root / "dog" / "nested").mkdir(parents=True)
    Image.fromarray(rgb(8, 6, 0)).save(root / "cat" / "a.png")
    Image.fromarray(rgb(5, 5, 1)).save(root / "cat" / "b.BMP")
    Image.fromarray(gray(7, 4, 2)).save(root / "cat" / "c.png")
    (root / "cat" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n this is not a png")
    rgba = np.dstack([rgb(4, 3, 3), np.full((3, 4), 128, np.uint8)])
    Image.fromarray(rgba, "RGBA").save(root / "dog" / "d.png")
    Image.fromarray(rgb(6, 6, 4)).convert("P").save(root / "dog" / "e.gif")
    Image.fromarray(np.dstack([gray(3, 2, 5), gray(3, 2, 6)]), "LA").save(root / "dog" / "f.png")
    deep = (np.arange(12, dtype=np.uint16).reshape(3, 4) * 5000).astype(np.uint16)
    Image.fromarray(deep).save(root / "dog" / "nested" / "g.tif")
    # ignored: hidden files and folders, other extensions, loose files at the top
    Image.fromarray(rgb(2, 2, 7)).save(root / "dog" / ".hidden.png")
    (root / ".thumbs").mkdir()
    Image.fromarray(rgb(2, 2, 8)).save(root / ".thumbs" / "x.png")
    (root / "dog" / "notes.txt").write_text("not an image")
    Image.fromarray(rgb(2, 2, 9)).save(root / "loose.png")
    return root


def test_mixed_sizes_and_modes(folder: Path) -> None:
    with pytest.warns(UserWarning, match=r"skipped unreadable image .*broken\.png"):
        b = load_dataset("image-folder", {"path": str(folder)})
    assert b.name == "image-folder" and b.modality == "image" and b.test is None
    assert b.classes == ["cat", "dog"]
    assert b.train.y.tolist() == [0, 0, 0, 1, 1, 1, 1]
    x = b.train.x
    assert isinstance(x, list) and all(im.dtype == np.uint8 for im in x)
    shapes = [im.shape for im in x]
    assert shapes == [(3, 6, 8), (3, 5, 5), (1, 4, 7), (3, 3, 4), (3, 6, 6), (1, 2, 3), (1, 3, 4)]
    # pixel values survive the (H, W, C) -> (C, H, W) move exactly
    np.testing.assert_array_equal(x[0], rgb(8, 6, 0).transpose(2, 0, 1))
    np.testing.assert_array_equal(x[1], rgb(5, 5, 1).transpose(2, 0, 1))
    np.testing.assert_array_equal(x[2][0], gray(7, 4, 2))
    np.testing.assert_array_equal(x[3], rgb(4, 3, 3).transpose(2, 0, 1))  # alpha dropped
    palette = np.asarray(Image.open(folder / "dog" / "e.gif").convert("RGB"))
    np.testing.assert_array_equal(x[4], palette.transpose(2, 0, 1))
    np.testing.assert_array_equal(x[5][0], gray(3, 2, 5))  # LA -> L
    deep = np.arange(12).reshape(3, 4) * 5000
    np.testing.assert_array_equal(x[6][0], np.rint(deep / 257))  # 16-bit -> 8-bit
    assert any("skipped 1 unreadable image" in n for n in b.notes)


def test_fail_mode_names_the_file(folder: Path) -> None:
    with pytest.raises(DataError, match=r"broken\.png: unreadable image"):
        load_dataset("image-folder", {"path": str(folder), "on_error": "fail"})
    with pytest.raises(ConfigError, match=r"data\.options\.on_error"):
        load_dataset("image-folder", {"path": str(folder), "on_error": "ignore"})


def test_truncated_image_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    Image.fromarray(rgb(20, 20, 0)).save(tmp_path / "a" / "good.jpg", quality=95)
    Image.fromarray(rgb(20, 20, 1)).save(tmp_path / "a" / "cut.png")
    data = (tmp_path / "a" / "cut.png").read_bytes()
    (tmp_path / "a" / "cut.png").write_bytes(data[: len(data) // 2])
    with pytest.warns(UserWarning, match=r"cut\.png"):
        b = load_dataset("image-folder", {"path": str(tmp_path)})
    assert len(b.train) == 1


def test_uniform_images_are_stacked(tmp_path: Path) -> None:
    for k, cls in enumerate(["b", "a", "c"]):
        (tmp_path / cls).mkdir()
        for i in range(2):
            Image.fromarray(gray(5, 4, 10 * k + i)).save(tmp_path / cls / f"{i}.png")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b = load_dataset("image-folder", {"path": str(tmp_path)})
    assert b.classes == ["a", "b", "c"]
    assert isinstance(b.train.x, np.ndarray)
    assert b.train.x.shape == (6, 1, 4, 5) and b.train.x.dtype == np.uint8
    assert b.train.y.tolist() == [0, 0, 1, 1, 2, 2]
    np.testing.assert_array_equal(b.train.x[0, 0], gray(5, 4, 10))  # class "a" came second


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    Image.fromarray(rgb(6, 2, 0)).save(tmp_path / "a" / "r.png", exif=exif)
    assert read_image(tmp_path / "a" / "r.png").shape == (3, 6, 2)


def test_empty_class_folder_is_dropped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    Image.fromarray(gray(3, 3, 0)).save(tmp_path / "b" / "x.png")
    with pytest.warns(UserWarning, match="holds no readable image"):
        b = load_dataset("image-folder", {"path": str(tmp_path)})
    assert b.classes == ["b"] and b.train.y.tolist() == [0]


def test_missing_or_empty_folders(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such folder"):
        load_dataset("image-folder", {"path": str(tmp_path / "absent")})
    Image.fromarray(gray(3, 3, 0)).save(tmp_path / "top.png")
    (tmp_path / ".hidden").mkdir()
    with pytest.raises(DataError, match="no class subfolders"):
        load_dataset("image-folder", {"path": str(tmp_path)})
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "readme.txt").write_text("x")
    with pytest.warns(UserWarning), pytest.raises(DataError, match="no readable images"):
        load_dataset("image-folder", {"path": str(tmp_path)})
    with pytest.raises(ConfigError, match="needs option 'path'"):
        load_dataset("image-folder", {})


# -- the index, for streaming -----------------------------------------------------------------
def test_the_index_lists_the_loaders_files_without_decoding(folder: Path) -> None:
    ix = index_image_folder(path=folder)
    assert ix.classes == ("cat", "dog") and ix.root == folder
    names = [p.relative_to(folder).as_posix() for p in ix.paths]
    assert names == [
        "cat/a.png",
        "cat/b.BMP",
        "cat/broken.png",
        "cat/c.png",
        "dog/d.png",
        "dog/e.gif",
        "dog/f.png",
        "dog/nested/g.tif",
    ]  # the corrupt file too: nothing is opened
    assert ix.labels.dtype == np.int64 and ix.labels.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    readable = [p for p in ix.paths if p.name != "broken.png"]
    with pytest.warns(UserWarning):
        loaded = load_dataset("image-folder", {"path": str(folder)})
    assert [read_image(p).shape for p in readable] == [im.shape for im in loaded.train.x]


def test_the_index_bundle_splits_limits_and_selects_like_images(tmp_path: Path) -> None:
    for k, cls in enumerate(["a", "b", "c"]):
        (tmp_path / cls).mkdir()
        for i in range(10):
            Image.fromarray(gray(3, 3, 10 * k + i)).save(tmp_path / cls / f"{i}.png")
    (tmp_path / "empty").mkdir()
    with pytest.warns(UserWarning, match="holds no image file"):
        b = index_image_folder(path=tmp_path).bundle()
    assert b.classes == ["a", "b", "c"] and b.modality == "image" and len(b.train) == 30
    splits = split_bundle(b, SplitConfig(val=0.2, test=0.2), seed=0)
    assert (len(splits.train), len(splits.val), len(splits.test)) == (18, 6, 6)
    for part in (splits.train, splits.val, splits.test):
        assert [Path(p).parent.name for p in part.x] == [b.classes[y] for y in part.y]
    assert len(limit_bundle(b, 9, seed=0).train) == 9
    picked = select_classes(b, ["c", "a"])
    assert picked.train.y.tolist() == [1] * 10 + [0] * 10
    assert all(Path(p).parent.name == "c" for p in picked.train.x[picked.train.y == 0])


def test_the_index_refuses_what_the_loader_refuses(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such folder"):
        index_image_folder(path=tmp_path / "absent")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "readme.txt").write_text("x")
    with pytest.warns(UserWarning), pytest.raises(DataError, match="no image files"):
        index_image_folder(path=tmp_path)
