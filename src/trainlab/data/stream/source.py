"""Batches streamed from files by a ``torch.utils.data.DataLoader`` with worker processes.

For data sets larger than memory: worker processes decode and preprocess the
examples of the coming batches while the model trains on the current one
(``prefetch`` batches ahead per worker), and only those batches are held in
memory. The in-memory index batching of the engine stays the fast path for
data that fits.

The order of an epoch is a permutation drawn by ``torch.randperm`` from a
``torch.Generator`` seeded with the epoch's seed (``set_epoch``), in the main
process; the loader returns batches in that order whatever the number of
workers, and reading an example is deterministic, so the batches of an epoch
depend only on the seed. A file that cannot be read stops the epoch with a
one-line ``DataError`` naming it, raised in the main process.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from PIL import Image
    >>> from trainlab.data.stream import ImageFileDataset, StreamSource
    >>> d = Path(tempfile.mkdtemp())
    >>> for i in range(5):
    ...     Image.new("L", (4, 4), 50 * i).save(d / f"{i}.png")
    >>> src = StreamSource(ImageFileDataset(sorted(d.iterdir()), [0, 1, 0, 1, 0]),
    ...                    batch_size=2, workers=0)
    >>> src.set_epoch(7)
    >>> [tuple(b["x"].shape) for b in src], len(src), src.num_examples
    ([(2, 1, 4, 4), (2, 1, 4, 4), (1, 1, 4, 4)], 3, 5)
"""

from __future__ import annotations

import math
import multiprocessing
import warnings
from collections.abc import Iterator, Sequence

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, get_worker_info

from trainlab.core.errors import ConfigError, DataError
from trainlab.data.stream.dataset import ImageFileDataset, ReadFailure
from trainlab.data.stream.order import EpochOrder

Batch = dict[str, torch.Tensor]


class _Guarded(Dataset):
    """Example ``i`` as (uniform uint8 image, label, i), or a ``ReadFailure`` with the error.

    The images are normalized by :meth:`collate`, straight into the batch.
    """

    def __init__(self, dataset: ImageFileDataset) -> None:
        self.dataset = dataset

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, i: int) -> tuple[np.ndarray, int, int] | ReadFailure:
        try:
            return self.dataset.decode(i), int(self.dataset.labels[i]), i
        except DataError as exc:
            return ReadFailure(str(exc))

    def collate(self, items: list) -> Batch | ReadFailure:
        """Normalize examples into ``{"x": float32 (B, C, H, W), "y": int64 (B,)}``."""
        for item in items:
            if isinstance(item, ReadFailure):
                return item
        shape = items[0][0].shape
        x = _batch_tensor((len(items), *shape))
        slots = x.numpy()
        for j, (img, _, i) in enumerate(items):
            if img.shape != shape:
                return ReadFailure(
                    f"{self.dataset.path(i)}: image of shape {img.shape} in a batch of "
                    f"{shape} images ({self.dataset.path(items[0][2])}); set one size and "
                    "channel count (preprocess.image.size, preprocess.image.channels)"
                )
            try:
                self.dataset.transform.normalize(img, out=slots[j])
            except DataError as exc:
                return ReadFailure(f"{self.dataset.path(i)}: {exc}")
        y = torch.from_numpy(np.array([item[1] for item in items], dtype=np.int64))
        return {"x": x, "y": y}


def _batch_tensor(shape: tuple[int, ...]) -> torch.Tensor:
    """An empty float32 batch; in a worker process in shared memory, as ``default_collate``
    makes it, so that handing the batch to the main process copies nothing."""
    if get_worker_info() is None:
        return torch.empty(shape, dtype=torch.float32)
    storage = torch.empty(0)._typed_storage()._new_shared(math.prod(shape))
    return torch.empty(0).new(storage).resize_(*shape)


class StreamSource:
    """Mapping batches ``{"x", "y"}`` read from files by a DataLoader with worker processes.

    Args:
        dataset: the examples (an :class:`~trainlab.data.stream.ImageFileDataset`).
        batch_size: examples per batch; the last batch of an epoch may be smaller.
        workers: worker processes decoding examples (0: in this process). In a
            daemonic process, which may not start any, 0 with a warning.
        shuffle: a new order each epoch (``set_epoch``); else the file order.
        device: where the batches go; memory is pinned only for CUDA.
        seed: the order of the epochs read before any ``set_epoch``.
        prefetch: batches each worker prepares ahead.

    Raises:
        ConfigError: a batch size or prefetch below 1, or negative workers.

    Example:
        >>> src = StreamSource(ImageFileDataset(["a.png"] * 10, [0] * 10), batch_size=4,
        ...                    workers=0)
        >>> len(src), src.batch_size, src.workers, src.pin_memory
        (3, 4, 0, False)
    """

    def __init__(
        self,
        dataset: ImageFileDataset,
        *,
        batch_size: int,
        workers: int = 2,
        shuffle: bool = True,
        device: str | torch.device = "cpu",
        seed: int = 0,
        prefetch: int = 2,
    ) -> None:
        if batch_size < 1:
            raise ConfigError(f"stream batch_size: expected at least 1, got {batch_size}")
        if workers < 0:
            raise ConfigError(f"stream workers: expected 0 or more, got {workers}")
        if prefetch < 1:
            raise ConfigError(f"stream prefetch: expected at least 1, got {prefetch}")
        if workers and multiprocessing.current_process().daemon:
            warnings.warn(
                "stream: a daemonic process cannot start worker processes; "
                "reading in this process (workers=0)",
                stacklevel=2,
            )
            workers = 0
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.workers = int(workers)
        self.shuffle = bool(shuffle)
        self.device = torch.device(device)
        self.prefetch = int(prefetch)
        self.drop_last = False
        self._order = EpochOrder(len(dataset), shuffle=shuffle, seed=seed)
        self._generator = torch.Generator().manual_seed(int(seed))  # not the global RNG
        self._loader: DataLoader | None = None
        self._ordered: StreamSource | None = None

    @property
    def num_examples(self) -> int:
        """Examples per epoch."""
        return len(self.dataset)

    @property
    def pin_memory(self) -> bool:
        """Whether batches are put in page-locked memory (CUDA only)."""
        return self.device.type == "cuda" and torch.cuda.is_available()

    def __len__(self) -> int:
        """Batches per epoch."""
        return math.ceil(self.num_examples / self.batch_size)

    def set_epoch(self, seed: int) -> None:
        """Make the order of the next epoch depend on ``seed`` only."""
        self._order.set_epoch(seed)
        self._generator.manual_seed(int(seed))

    def __iter__(self) -> Iterator[Batch]:
        for batch in self._get_loader():
            if isinstance(batch, ReadFailure):
                raise DataError(batch.message)
            yield batch

    def in_order(self) -> StreamSource:
        """This source read in file order (for predictions paired with the labels); itself
        when it does not shuffle."""
        if not self.shuffle:
            return self
        if self._ordered is None:
            self._ordered = StreamSource(
                self.dataset,
                batch_size=self.batch_size,
                workers=self.workers,
                shuffle=False,
                device=self.device,
                prefetch=self.prefetch,
            )
        return self._ordered

    def examples(self, indices: Sequence[int]) -> torch.Tensor:
        """The model inputs of the examples ``indices``, read in this process (a few rows,
        for a preview), exactly as a batch would hold them.

        Raises:
            DataError: one of the files cannot be read (named).
        """
        guarded = _Guarded(self.dataset)
        batch = guarded.collate([guarded[int(i)] for i in indices])
        if isinstance(batch, ReadFailure):
            raise DataError(batch.message)
        return batch["x"]

    def close(self) -> None:
        """Stop the worker processes (a later epoch starts new ones)."""
        self._loader = None
        if self._ordered is not None:
            self._ordered.close()

    def __enter__(self) -> StreamSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _get_loader(self) -> DataLoader:
        if self._loader is None:
            guarded = _Guarded(self.dataset)
            self._loader = DataLoader(
                guarded,
                batch_size=self.batch_size,
                sampler=self._order,
                num_workers=self.workers,
                collate_fn=guarded.collate,
                pin_memory=self.pin_memory,
                drop_last=False,
                persistent_workers=self.workers > 0,
                prefetch_factor=self.prefetch if self.workers > 0 else None,
                generator=self._generator,
            )
        return self._loader

    def __repr__(self) -> str:
        return (
            f"StreamSource({self.num_examples} examples, batch_size={self.batch_size}, "
            f"workers={self.workers}, shuffle={self.shuffle})"
        )
