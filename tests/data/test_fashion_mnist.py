"""Fashion-MNIST: the IDX parser, the search path, checksums and the download code."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np
import pytest

from trainlab.core.errors import DataError
from trainlab.data.datasets import load_dataset
from trainlab.data.datasets.image import fashion_mnist as fm

DEBIAN = Path("/usr/share/datasets/fashion-mnist")
needs_data = pytest.mark.skipif(
    fm.find_fashion_mnist(DEBIAN) is None,
    reason="Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)",
)


def idx_bytes(a: np.ndarray, code: int) -> bytes:
    return bytes([0, 0, code, a.ndim]) + struct.pack(f">{a.ndim}I", *a.shape) + a.tobytes()


@pytest.fixture
def nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No Fashion-MNIST in any searched folder."""
    monkeypatch.delenv(fm.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(fm, "DEBIAN_DIR", tmp_path / "debian")
    return tmp_path


def mirror(folder: Path, modified: str | None = None) -> Path:
    """``folder`` with links to the Debian files, ``modified`` replaced by a one-label change."""
    folder.mkdir(parents=True, exist_ok=True)
    for spec in fm.FILES.values():
        target = folder / f"{spec.name}.gz"
        if spec.name == modified:
            data = bytearray(gzip.decompress((DEBIAN / target.name).read_bytes()))
            data[-1] = (data[-1] + 1) % 10  # same size and header, one label changed
            target.write_bytes(gzip.compress(bytes(data)))
        else:
            target.symlink_to(DEBIAN / target.name)
    return folder


# -- the IDX format --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dtype", "code"), [("u1", 0x08), ("i1", 0x09), (">i2", 0x0B), (">i4", 0x0C), (">f4", 0x0D)]
)
@pytest.mark.parametrize("compress", [False, True])
def test_idx_round_trip(tmp_path: Path, dtype: str, code: int, compress: bool) -> None:
    a = (np.arange(24).reshape(2, 3, 4) * 3 - (0 if dtype == "u1" else 20)).astype(dtype)
    data = idx_bytes(a, code)
    path = tmp_path / ("x-idx3.gz" if compress else "x-idx3")
    path.write_bytes(gzip.compress(data) if compress else data)
    out = fm.read_idx(path)
    assert out.shape == (2, 3, 4) and out.dtype.isnative
    np.testing.assert_array_equal(out, a)
    out[0, 0, 0] = 1  # writable


def test_idx_bad_magic_number(tmp_path: Path) -> None:
    path = tmp_path / "bad-idx1-ubyte"
    path.write_bytes(b"\x08\x01\x00\x00" + struct.pack(">I", 2) + b"\x01\x02")
    with pytest.raises(
        DataError, match=r"bad-idx1-ubyte: not an IDX file \(magic number 0x08010000"
    ):
        fm.read_idx(path)
    path.write_bytes(b"\x00\x00\x07\x01" + struct.pack(">I", 2) + b"\x01\x02")  # unknown type
    with pytest.raises(DataError, match="not an IDX file"):
        fm.read_idx(path)


def test_idx_truncated_and_trailing_bytes(tmp_path: Path) -> None:
    data = idx_bytes(np.zeros((10, 5), np.uint8), 0x08)
    path = tmp_path / "t-idx2-ubyte.gz"
    path.write_bytes(gzip.compress(data[:-7]))
    with pytest.raises(
        DataError, match=r"t-idx2-ubyte\.gz: truncated IDX file.*needs 50 .*found 43"
    ):
        fm.read_idx(path)
    path.write_bytes(gzip.compress(data[:9]))
    with pytest.raises(DataError, match="truncated IDX header"):
        fm.read_idx(path)
    path.write_bytes(gzip.compress(data + b"xx"))
    with pytest.raises(DataError, match="2 unexpected bytes"):
        fm.read_idx(path)
    # a cut gzip stream
    path.write_bytes(gzip.compress(data)[:-12])
    with pytest.raises(DataError, match=r"t-idx2-ubyte\.gz: corrupt or truncated gzip"):
        fm.read_idx(path)


# -- the real data ---------------------------------------------------------------------------
@needs_data
def test_loads_the_installed_files() -> None:
    b = load_dataset("fashion-mnist", {"root": str(DEBIAN), "verify": True})
    assert b.name == "fashion-mnist" and b.modality == "image"
    assert b.train.x.shape == (60000, 1, 28, 28) and b.test.x.shape == (10000, 1, 28, 28)
    assert b.train.x.dtype == np.uint8
    assert np.bincount(b.train.y).tolist() == [6000] * 10
    assert np.bincount(b.test.y).tolist() == [1000] * 10
    assert b.classes[0] == "T-shirt/top" and b.classes[9] == "Ankle boot"
    assert b.train.y[0] == 9  # the first training image is an ankle boot
    # the published mean pixel intensity of the training images is 0.2860
    assert abs(b.train.x.mean() / 255 - 0.2860) < 5e-4


@needs_data
def test_the_coarse_group_is_an_extra_target() -> None:
    b = load_dataset("fashion-mnist", {"root": str(DEBIAN)})
    assert [t.name for t in b.targets] == ["class", "group"]
    assert b.target is not None and b.target.classes == tuple(b.classes)
    assert b.extra_targets[0].classes == ("tops", "bottoms", "footwear", "bags")
    groups = {
        "tops": ["T-shirt/top", "Pullover", "Dress", "Coat", "Shirt"],
        "bottoms": ["Trouser"],
        "footwear": ["Sandal", "Sneaker", "Ankle boot"],
        "bags": ["Bag"],
    }
    for part in (b.train, b.test):
        assert part.extra["group"].dtype == np.int64
        names = np.array(b.extra_targets[0].classes)[part.extra["group"]]
        for group, members in groups.items():
            assert set(np.array(b.classes)[part.y[names == group]]) == set(members)
    assert np.bincount(b.train.extra["group"]).tolist() == [30000, 6000, 18000, 6000]


@needs_data
def test_search_order(tmp_path: Path, nowhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_dir = mirror(tmp_path / "env")
    root_dir = mirror(tmp_path / "root")
    monkeypatch.setenv(fm.ENV_VAR, str(env_dir))
    assert load_dataset("fashion-mnist", {}).source == str(env_dir)
    assert load_dataset("fashion-mnist", {"root": str(root_dir)}).source == str(root_dir)
    # a root without the files falls through to the next place
    assert load_dataset("fashion-mnist", {"root": str(tmp_path)}).source == str(env_dir)


@needs_data
def test_checksum_rejects_a_modified_file(tmp_path: Path, nowhere: Path) -> None:
    folder = mirror(tmp_path / "mod", modified="t10k-labels-idx1-ubyte")
    # the cheap default check (size and header) cannot see a changed label ...
    b = load_dataset("fashion-mnist", {"root": str(folder)})
    assert b.test.y[-1] != fm.read_idx(DEBIAN / "t10k-labels-idx1-ubyte.gz")[-1]
    # ... the hash can
    bad = folder / "t10k-labels-idx1-ubyte.gz"
    with pytest.raises(DataError, match=r"t10k-labels-idx1-ubyte\.gz: SHA-256"):
        fm.check_file(bad)
    with pytest.raises(DataError, match=r"t10k-labels-idx1-ubyte\.gz: SHA-256"):
        load_dataset("fashion-mnist", {"root": str(folder), "verify": True})


def test_cheap_check_rejects_wrong_size_and_header(tmp_path: Path) -> None:
    path = tmp_path / "train-labels-idx1-ubyte"
    path.write_bytes(idx_bytes(np.zeros(59999, np.uint8), 0x08))
    with pytest.raises(DataError, match="60007 bytes after decompression, expected 60008"):
        fm.check_file(path, full=False)
    path.write_bytes(idx_bytes(np.zeros(30000, np.uint16), 0x0B))  # right size, wrong type
    with pytest.raises(DataError, match="IDX header does not match"):
        fm.check_file(path, full=False)


def test_absent_data_says_how_to_get_it(nowhere: Path) -> None:
    with pytest.raises(DataError) as exc:
        load_dataset("fashion-mnist", {})
    msg = str(exc.value)
    assert "\n" not in msg
    assert "apt-get install dataset-fashion-mnist" in msg
    assert "TRAINLAB_FASHION_MNIST" in msg and "data.options.download=true" in msg
    assert str(nowhere / "cache" / "trainlab" / "fashion-mnist") in msg
    assert str(nowhere / "debian") in msg


# -- downloading (from a file:// mirror) -----------------------------------------------------
@needs_data
def test_download_verifies_and_renames(tmp_path: Path, nowhere: Path) -> None:
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "train-labels-idx1-ubyte").write_bytes(b"garbage")  # an invalid file is replaced
    out = fm.download_fashion_mnist(dest, base_url=mirror(tmp_path / "m").as_uri())
    assert out == dest
    assert sorted(p.name for p in dest.iterdir()) == sorted(
        f"{s.name}.gz" for s in fm.FILES.values()
    )
    for spec in fm.FILES.values():
        fm.check_file(dest / f"{spec.name}.gz", full=True)


@needs_data
def test_download_option_fetches_into_the_cache(
    tmp_path: Path, nowhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fm, "URL", mirror(tmp_path / "m").as_uri() + "/")
    b = load_dataset("fashion-mnist", {"download": True})
    cache = nowhere / "cache" / "trainlab" / "fashion-mnist"
    assert b.source == str(cache) and len(b.test) == 10000
    assert (cache / "t10k-images-idx3-ubyte.gz").is_file()


@needs_data
def test_download_removes_a_bad_file(tmp_path: Path) -> None:
    source = mirror(tmp_path / "m", modified="t10k-labels-idx1-ubyte")
    dest = tmp_path / "dest"
    with pytest.raises(DataError, match=r"download of .*t10k-labels-idx1-ubyte\.gz is invalid"):
        fm.download_fashion_mnist(dest, base_url=source.as_uri())
    names = sorted(p.name for p in dest.iterdir())
    assert "t10k-labels-idx1-ubyte.gz" not in names
    assert not [n for n in names if n.startswith(".")]  # no temporary file left


def test_download_reports_an_unreachable_mirror(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"cannot download .*train-images-idx3-ubyte\.gz"):
        fm.download_fashion_mnist(tmp_path / "d", base_url=(tmp_path / "none").as_uri())
    assert list((tmp_path / "d").iterdir()) == []
