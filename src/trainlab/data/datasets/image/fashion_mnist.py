"""Fashion-MNIST: 70,000 grayscale 28×28 images of clothing in 10 classes.

Xiao, Rasul & Vollgraf (2017), "Fashion-MNIST: a Novel Image Dataset for
Benchmarking Machine Learning Algorithms", arXiv:1708.07747. 60,000 training
and 10,000 test images, 6,000 / 1,000 per class, in LeCun's IDX format
(http://yann.lecun.com/exdb/mnist/, "file formats"): a 4-byte magic number
``0x00 0x00 <type> <ndim>``, ``ndim`` big-endian uint32 dimensions, then the
values in row-major order.

The main target is ``class``; the extra target ``group`` (for multitask
learning) is the coarse kind of garment: ``tops`` (T-shirt/top, Pullover,
Dress, Coat, Shirt), ``bottoms`` (Trouser), ``footwear`` (Sandal, Sneaker,
Ankle boot) and ``bags`` (Bag).

The files are looked for, in order, in the ``root`` option,
``$TRAINLAB_FASHION_MNIST``, ``$XDG_CACHE_HOME/trainlab/fashion-mnist`` and
``/usr/share/datasets/fashion-mnist`` (Debian package ``dataset-fashion-mnist``),
gzipped or not. Checksums are SHA-256 values of the *decompressed* files, since
Debian recompressed the upstream ``.gz`` files. A load checks each file's size
and header; ``verify=True`` also checks the hash, and a download always does.

Example:
    >>> import gzip, struct, tempfile, numpy as np
    >>> from pathlib import Path
    >>> from trainlab.data.datasets.image.fashion_mnist import read_idx
    >>> p = Path(tempfile.mkdtemp()) / "tiny-idx2-ubyte.gz"
    >>> _ = p.write_bytes(gzip.compress(b"\\0\\0\\x08\\x02" + struct.pack(">2I", 2, 3) + bytes(6)))
    >>> read_idx(p).shape
    (2, 3)
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import shutil
import struct
import zlib
from dataclasses import dataclass
from math import prod
from pathlib import Path

import numpy as np

from trainlab.core.atomic import atomic_path
from trainlab.core.cache_dir import user_cache_dir
from trainlab.core.errors import DataError
from trainlab.data._bundle import ArrayData, DataBundle, Target

log = logging.getLogger(__name__)

#: upstream mirror of the four gzipped IDX files
URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
#: environment variable naming a folder that holds the IDX files
ENV_VAR = "TRAINLAB_FASHION_MNIST"
#: where Debian's ``dataset-fashion-mnist`` package installs the files
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
APT_PACKAGE = "dataset-fashion-mnist"

CLASSES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]

#: coarse groups of the classes (the extra target ``group``)
GROUPS = ("tops", "bottoms", "footwear", "bags")
#: class index → group index
GROUP_OF = np.array([0, 1, 0, 0, 0, 2, 0, 2, 3, 2], dtype=np.int64)

CLASS = Target("class", "classification", tuple(CLASSES))
GROUP = Target("group", "classification", GROUPS)


def group_labels(labels: np.ndarray) -> np.ndarray:
    """The coarse group (index into :data:`GROUPS`) of each class label.

    Example:
        >>> [GROUPS[g] for g in group_labels(np.array([0, 1, 7, 8]))]
        ['tops', 'bottoms', 'footwear', 'bags']
    """
    return GROUP_OF[np.asarray(labels, dtype=np.int64)]


#: IDX type byte → numpy dtype (big-endian where it matters)
_IDX_DTYPES: dict[int, str] = {
    0x08: "u1",
    0x09: "i1",
    0x0B: ">i2",
    0x0C: ">i4",
    0x0D: ">f4",
    0x0E: ">f8",
}


@dataclass(frozen=True)
class IdxSpec:
    """One Fashion-MNIST file: its name (without ``.gz``), shape and decompressed SHA-256."""

    name: str
    shape: tuple[int, ...]
    sha256: str

    @property
    def header(self) -> bytes:
        """The exact IDX header of the file (uint8 values)."""
        return bytes([0, 0, 0x08, len(self.shape)]) + struct.pack(
            f">{len(self.shape)}I", *self.shape
        )

    @property
    def size(self) -> int:
        """Decompressed size in bytes."""
        return len(self.header) + prod(self.shape)


FILES: dict[str, IdxSpec] = {
    "train_images": IdxSpec(
        "train-images-idx3-ubyte",
        (60000, 28, 28),
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    ),
    "train_labels": IdxSpec(
        "train-labels-idx1-ubyte",
        (60000,),
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    ),
    "test_images": IdxSpec(
        "t10k-images-idx3-ubyte",
        (10000, 28, 28),
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    ),
    "test_labels": IdxSpec(
        "t10k-labels-idx1-ubyte",
        (10000,),
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    ),
}


# -- IDX format ---------------------------------------------------------------
def read_bytes(path: Path) -> bytes:
    """The content of ``path``, decompressed when it is gzipped (by its magic bytes)."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            gzipped = f.read(2) == b"\x1f\x8b"
        if not gzipped:
            return path.read_bytes()
        with gzip.open(path, "rb") as f:
            return f.read()
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise DataError(f"{path}: corrupt or truncated gzip file ({exc})") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None


def parse_idx(data: bytes, name: str = "IDX data") -> np.ndarray:
    """Decode the bytes of an IDX file into an array with native byte order.

    Args:
        data: the decompressed file content.
        name: the file, for error messages.

    Returns:
        An array of the header's shape and type.

    Raises:
        DataError: bad magic number, truncated header or data, or trailing bytes.

    Example:
        >>> parse_idx(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9])).tolist()
        [7, 8, 9]
    """
    if len(data) < 4:
        raise DataError(f"{name}: not an IDX file ({len(data)} bytes, no header)")
    code, ndim = data[2], data[3]
    if data[0] != 0 or data[1] != 0 or code not in _IDX_DTYPES or ndim == 0:
        raise DataError(
            f"{name}: not an IDX file (magic number 0x{data[:4].hex()}, "
            "expected 0x0000<type><ndim> with type 08, 09, 0b, 0c, 0d or 0e)"
        )
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DataError(
            f"{name}: truncated IDX header ({len(data)} bytes, {ndim} dimensions need {header})"
        )
    dims = struct.unpack(f">{ndim}I", data[4:header])
    dtype = np.dtype(_IDX_DTYPES[code])
    count = prod(dims)
    expected, actual = count * dtype.itemsize, len(data) - header
    if actual < expected:
        raise DataError(
            f"{name}: truncated IDX file: shape {tuple(dims)} needs {expected} data bytes, "
            f"found {actual}"
        )
    if actual > expected:
        raise DataError(
            f"{name}: {actual - expected} unexpected bytes after the {expected} data bytes "
            f"of shape {tuple(dims)}"
        )
    arr = np.frombuffer(data, dtype=dtype, count=count, offset=header).reshape(dims)
    return arr.astype(dtype.newbyteorder("="), copy=True)


def read_idx(path: str | Path) -> np.ndarray:
    """Read an IDX file (gzipped or not) into an array; ``DataError`` names a bad file."""
    path = Path(path)
    return parse_idx(read_bytes(path), str(path))


# -- verification -------------------------------------------------------------
def _spec_for(path: Path) -> IdxSpec:
    base = path.name.removesuffix(".gz")
    for spec in FILES.values():
        if spec.name == base:
            return spec
    names = ", ".join(s.name for s in FILES.values())
    raise DataError(f"{path}: not a Fashion-MNIST file name (expected one of: {names})")


def check_file(path: str | Path, *, spec: IdxSpec | None = None, full: bool = True) -> bytes:
    """Check a Fashion-MNIST file and return its decompressed bytes.

    The cheap check compares the size and the header with the expected ones;
    ``full=True`` also compares the SHA-256 of the decompressed bytes.

    Args:
        path: the file, gzipped or not.
        spec: which file it should be; by default inferred from the file name.
        full: also verify the SHA-256 (about 0.2 s for the training images).

    Raises:
        DataError: naming the file, when it is unreadable or does not match.

    Example:
        >>> from trainlab.data.datasets.image.fashion_mnist import DEBIAN_DIR
        >>> p = DEBIAN_DIR / "t10k-labels-idx1-ubyte.gz"
        >>> len(check_file(p)) if p.exists() else 10008
        10008
    """
    path = Path(path)
    spec = spec or _spec_for(path)
    data = read_bytes(path)
    if len(data) != spec.size:
        raise DataError(
            f"{path}: {len(data)} bytes after decompression, expected {spec.size} for "
            f"Fashion-MNIST's {spec.name} (truncated or not Fashion-MNIST)"
        )
    if data[: len(spec.header)] != spec.header:
        raise DataError(
            f"{path}: the IDX header does not match Fashion-MNIST's {spec.name} "
            f"(uint8, shape {spec.shape})"
        )
    if full:
        digest = hashlib.sha256(data).hexdigest()
        if digest != spec.sha256:
            raise DataError(
                f"{path}: SHA-256 of the decompressed data is {digest}, expected "
                f"{spec.sha256} for Fashion-MNIST's {spec.name}; the file is corrupt, "
                "delete it and install or download it again"
            )
    return data


# -- finding and downloading --------------------------------------------------
def find_file(folder: Path, spec: IdxSpec) -> Path | None:
    """``folder/<name>`` or ``folder/<name>.gz``, whichever exists first."""
    for candidate in (folder / spec.name, folder / f"{spec.name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def search_dirs(root: str | Path | None = None) -> list[Path]:
    """The folders searched, in order: ``root``, the environment variable, cache, Debian."""
    dirs = [] if root is None else [Path(root).expanduser()]
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        dirs.append(Path(env).expanduser())
    dirs.extend([user_cache_dir() / "fashion-mnist", DEBIAN_DIR])
    return dirs


def find_fashion_mnist(root: str | Path | None = None) -> Path | None:
    """The first searched folder that holds all four files, or ``None``."""
    for folder in search_dirs(root):
        if all(find_file(folder, spec) for spec in FILES.values()):
            return folder
    return None


def download_dir(root: str | Path | None = None) -> Path:
    """Where a download goes: ``root``, else ``$TRAINLAB_FASHION_MNIST``, else the cache."""
    return search_dirs(root)[0]


def _missing_message(root: str | Path | None) -> str:
    looked = []
    for folder in search_dirs(root):
        found = sum(find_file(folder, spec) is not None for spec in FILES.values())
        looked.append(f"{folder} ({found} of 4 files)" if found else str(folder))
    if not os.environ.get(ENV_VAR, "").strip():
        looked.insert(1 if root is not None else 0, f"${ENV_VAR} (not set)")
    return (
        f"fashion-mnist: the IDX files were not found (looked in: {', '.join(looked)}); "
        f"install them with `apt-get install {APT_PACKAGE}`, or set {ENV_VAR} to a folder "
        "holding train-images-idx3-ubyte.gz and the three other files, or download them "
        "with `--set data.options.download=true`"
    )


def download_fashion_mnist(dest: Path, *, base_url: str = URL, timeout: float = 60.0) -> Path:
    """Download the four gzipped IDX files into ``dest`` and verify their SHA-256.

    Each file is written to a temporary file in ``dest``, verified, then renamed,
    so an interrupted or corrupt download never leaves a file under the final
    name. Files already present and valid are kept; invalid ones are removed.

    Args:
        dest: the folder to download into (created if needed).
        base_url: the mirror; any URL ``urllib`` opens (``file://`` too).
        timeout: seconds to wait for the server.

    Returns:
        ``dest``.

    Raises:
        DataError: the server could not be reached or a file failed verification.

    Example:
        >>> download_fashion_mnist(Path("~/.cache/trainlab/fashion-mnist"))  # doctest: +SKIP
    """
    import urllib.error
    import urllib.request

    dest = Path(dest).expanduser()
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"fashion-mnist: cannot create {dest} ({exc.strerror or exc})") from None
    for spec in FILES.values():
        existing = find_file(dest, spec)
        if existing is not None:
            try:
                check_file(existing, spec=spec, full=True)
                continue
            except DataError:
                log.warning("removing invalid %s", existing)
                existing.unlink()
        final = dest / f"{spec.name}.gz"
        url = f"{base_url.rstrip('/')}/{spec.name}.gz"
        with atomic_path(final, ".part") as tmp:
            log.info("downloading %s", url)
            try:
                with urllib.request.urlopen(url, timeout=timeout) as resp, open(tmp, "wb") as f:
                    shutil.copyfileobj(resp, f, 1 << 20)
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", None) or exc
                raise DataError(f"fashion-mnist: cannot download {url} ({reason})") from None
            try:
                check_file(tmp, spec=spec, full=True)
            except DataError as exc:
                raise DataError(f"fashion-mnist: the download of {url} is invalid: {exc}") from None
    return dest


# -- the loader ---------------------------------------------------------------
def load_fashion_mnist(
    *, root: str | Path | None = None, download: bool = False, verify: bool = False
) -> DataBundle:
    """Fashion-MNIST: 60,000 + 10,000 clothing images, 28×28 grayscale, 10 classes (IDX files).

    Args:
        root: a folder holding the four IDX files, searched first.
        download: fetch the files from the upstream mirror when none are found.
        verify: check the SHA-256 of every file (a cheap size and header check
            is always done).

    Returns:
        An image bundle, ``x`` uint8 ``(N, 1, 28, 28)``, with its own test split;
        main target ``class``, extra target ``group``.

    Raises:
        DataError: the files are missing (the message says how to get them),
            unreadable or do not match.

    Example:
        >>> b = load_fashion_mnist()  # doctest: +SKIP
        >>> b.train.x.shape, b.test.x.shape  # doctest: +SKIP
        ((60000, 1, 28, 28), (10000, 1, 28, 28))
    """
    folder = find_fashion_mnist(root)
    if folder is None:
        if not download:
            raise DataError(_missing_message(root))
        folder = download_fashion_mnist(download_dir(root), base_url=URL)
        verify = False  # every file was just verified
    arrays = {}
    for key, spec in FILES.items():
        path = find_file(folder, spec)
        assert path is not None
        arrays[key] = parse_idx(check_file(path, spec=spec, full=verify), str(path))
    parts = {
        part: ArrayData(
            arrays[f"{part}_images"][:, None],
            arrays[f"{part}_labels"],
            {GROUP.name: group_labels(arrays[f"{part}_labels"])},
        )
        for part in ("train", "test")
    }
    return DataBundle(
        name="fashion-mnist",
        modality="image",
        train=parts["train"],
        test=parts["test"],
        classes=list(CLASSES),
        source=str(folder),
        target=CLASS,
        extra_targets=[GROUP],
    )
