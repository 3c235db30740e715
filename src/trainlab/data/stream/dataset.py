"""A map-style torch ``Dataset`` over image files, decoded only when an example is read.

Each example is read with Pillow (``image_folder.read_image``: EXIF
orientation applied, grayscale C = 1, colour C = 3), then made model input by
an :class:`~trainlab.data.stream.transform.ImageTransform`. Nothing is random
and nothing is kept between reads, so an example is the same in any worker
process and in any epoch. The paths are held in one numpy array of fixed-width
strings, not a list of Python objects, so worker processes that read them do
not copy the list page by page (reference counts written on access).

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from PIL import Image
    >>> from trainlab.data.stream.dataset import ImageFileDataset
    >>> p = Path(tempfile.mkdtemp()) / "a.png"
    >>> Image.new("RGB", (5, 3), "white").save(p)
    >>> x, y = ImageFileDataset([p], [1])[0]
    >>> x.shape, float(x.max()), y
    ((3, 3, 5), 1.0, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from torch.utils.data import Dataset

from trainlab.core.errors import DataError
from trainlab.data.datasets.image.image_folder import FolderIndex, decode_image
from trainlab.data.stream.transform import ImageTransform


@dataclass(frozen=True)
class ReadFailure:
    """What a worker process hands back instead of an example it could not read.

    A ``DataError`` raised in a worker reaches the main process wrapped in a
    traceback of many lines; this carries its one-line message instead, for
    the main process to raise.
    """

    message: str


class ImageFileDataset(Dataset):
    """Image files and their labels; ``dataset[i]`` decodes file ``i``.

    Args:
        paths: the image files.
        labels: one int label per file.
        transform: what makes a decoded image model input (default: pixels
            scaled to [0, 1], size and channels kept).

    Raises:
        DataError: (on reading) the file is missing or cannot be decoded; the
            message is one line naming it.

    Example:
        >>> ds = ImageFileDataset(["a.png", "b.png"], [0, 1])
        >>> len(ds), ds.path(1)
        (2, 'b.png')
    """

    def __init__(
        self,
        paths: Sequence[str | Path] | np.ndarray,
        labels: Sequence[int] | np.ndarray,
        transform: ImageTransform | None = None,
    ) -> None:
        self.paths = np.asarray([str(p) for p in paths], dtype=np.str_)
        self.labels = np.asarray(labels, dtype=np.int64).reshape(-1)
        if len(self.paths) != len(self.labels):
            raise DataError(f"stream: {len(self.paths)} image files but {len(self.labels)} labels")
        self.transform = transform if transform is not None else ImageTransform()

    @classmethod
    def from_index(
        cls, index: FolderIndex, transform: ImageTransform | None = None
    ) -> ImageFileDataset:
        """Every file of an indexed image folder (``image_folder.index_image_folder``)."""
        return cls(index.paths, index.labels, transform)

    def __len__(self) -> int:
        return len(self.labels)

    def path(self, i: int) -> str:
        """The file of example ``i``."""
        return str(self.paths[i])

    def decode(self, i: int) -> np.ndarray:
        """Example ``i`` decoded and made uniform, uint8 (C, H, W), not yet scaled."""
        path = Path(self.paths[i])
        img = decode_image(path)
        try:
            return self.transform.uniform(img)
        except DataError as exc:
            raise DataError(f"{path}: {exc}") from None

    def __getitem__(self, i: int) -> tuple[np.ndarray, int]:
        """Example ``i``: model input float32 (C, H, W) and its label."""
        path = Path(self.paths[i])
        img = decode_image(path)
        try:
            return self.transform(img), int(self.labels[i])
        except DataError as exc:
            raise DataError(f"{path}: {exc}") from None
