"""Affine augmentation throughput: trainlab against kornia, albumentations and torchvision.

The lecture's pipeline — rotation ±15°, translation ±10 %, scale 0.9–1.1,
shear ±10°, horizontal flip with p = 0.5 — on the same random RGB images, by

- trainlab ``RandomAffine`` on (N, C, H, W) batches: ``backend="auto"`` and forced ``"torch"``;
- kornia ``RandomAffine`` + ``RandomHorizontalFlip`` on float32 batches (its only input);
- albumentations ``Affine`` + ``HorizontalFlip`` per image, on (H, W, C) numpy arrays;
- torchvision.transforms.v2 per image on (C, H, W) tensors, when it imports.

Every peer gets its natural input format, converted outside the timed region (the
"dtype" column is what trainlab and albumentations get; kornia always gets float32).
Runs alternate between the contenders in every repeat, after a warm-up (large
fresh buffers are slow to touch the first times on a VM); the median is
reported as images per second, with the ratio ours / peer (> 1: ours faster).
Note: albumentations' ``shear=(-10, 10)`` draws an x and a y shear, the others x only.

    python bench/augment.py [--sizes 28,224] [--batch 256] [--repeats 5] [--device cpu]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Callable

import numpy as np
import torch

from trainlab.augment.image.affine import RandomAffine
from trainlab.augment.image.warp import choose_backend

LECTURE = dict(rotation=15.0, translate=0.1, scale=(0.9, 1.1), shear=10.0, hflip=0.5)


def peers(device: torch.device) -> tuple[dict[str, Callable], list[str]]:
    """Builders of peer contenders (name → make(batch) → step()), and notes on skipped ones."""
    found: dict[str, Callable] = {}
    notes: list[str] = []
    try:
        import kornia.augmentation as K

        def make_kornia(x: torch.Tensor) -> Callable[[], object]:
            aug = torch.nn.Sequential(
                K.RandomAffine(degrees=15, translate=(0.1, 0.1), scale=(0.9, 1.1), shear=10, p=1.0),
                K.RandomHorizontalFlip(p=0.5),
            ).to(device)
            xf = x.float() / 255 if x.dtype == torch.uint8 else x
            return lambda: aug(xf)

        found["kornia (batched)"] = make_kornia
    except Exception as exc:  # a peer that does not import is skipped
        notes.append(f"kornia skipped: {type(exc).__name__}: {exc}")
    if device.type == "cpu":
        try:
            import albumentations as A

            def make_albu(x: torch.Tensor) -> Callable[[], object]:
                aug = A.Compose(
                    [
                        A.Affine(
                            rotate=(-15, 15),
                            translate_percent=(-0.1, 0.1),
                            scale=(0.9, 1.1),
                            shear=(-10, 10),
                            p=1,
                        ),
                        A.HorizontalFlip(p=0.5),
                    ]
                )
                images = list(np.ascontiguousarray(x.permute(0, 2, 3, 1).numpy()))
                return lambda: [aug(image=im)["image"] for im in images]

            found["albumentations (per image)"] = make_albu
        except Exception as exc:
            notes.append(f"albumentations skipped: {type(exc).__name__}: {exc}")
    else:
        notes.append("albumentations skipped: CPU only (numpy images)")
    try:
        from torchvision.transforms import v2

        def make_tv(x: torch.Tensor) -> Callable[[], object]:
            aug = v2.Compose(
                [
                    v2.RandomAffine(degrees=15, translate=(0.1, 0.1), scale=(0.9, 1.1), shear=10),
                    v2.RandomHorizontalFlip(p=0.5),
                ]
            )
            images = list(x.unbind(0))
            return lambda: [aug(im) for im in images]

        found["torchvision v2 (per image)"] = make_tv
    except Exception as exc:
        notes.append(f"torchvision v2 skipped: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    return found, notes


def ours(backend: str, device: torch.device) -> Callable:
    def make(x: torch.Tensor) -> Callable[[], object]:
        aug = RandomAffine(**LECTURE, backend=backend)
        gen = torch.Generator(device=device if device.type == "cuda" else "cpu").manual_seed(0)
        return lambda: aug(x, gen)

    return make


def timed(step: Callable[[], object], device: torch.device, loops: int = 1) -> float:
    """Seconds per call of ``step``, averaged over ``loops`` calls."""
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(loops):
        step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / loops


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="28,224", help="square image sizes, comma separated")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--dtypes", default="uint8,float32")
    ap.add_argument("--channels", type=int, default=3)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--min-time", type=float, default=0.05, help="seconds per timing (loops)")
    ap.add_argument("--warmup", type=float, default=0.5, help="warm-up seconds per contender")
    args = ap.parse_args()
    device = torch.device(args.device)
    found, notes = peers(device)
    contenders = {
        "trainlab auto": ours("auto", device),
        "trainlab torch": ours("torch", device),
        **found,
    }
    print(
        f"device={device} torch threads={torch.get_num_threads()} batch={args.batch} "
        f"channels={args.channels} repeats={args.repeats} "
        f"(median; warm-up ≥ {args.warmup} s, each timing ≥ {args.min_time} s)"
    )
    for note in notes:
        print(f"note: {note}")
    header = f"{'size':>7} {'dtype':>7}  {'contender':<27} {'images/s':>11} {'ours/peer':>10}"
    print(header)
    print("-" * len(header))
    gen = torch.Generator().manual_seed(0)
    for size in (int(s) for s in args.sizes.split(",")):
        for dtype_name in args.dtypes.split(","):
            shape = (args.batch, args.channels, size, size)
            x = torch.randint(0, 256, shape, generator=gen, dtype=torch.uint8)
            if dtype_name == "float32":
                x = x.float() / 255
            elif dtype_name != "uint8":
                raise SystemExit(f"--dtypes: expected uint8 or float32, got {dtype_name!r}")
            x = x.to(device)
            steps = {name: make(x) for name, make in contenders.items()}
            times: dict[str, list[float]] = {name: [] for name in steps}
            loops = {}  # calls per timing, so that one timing lasts at least --min-time
            for name, step in steps.items():  # warm-up: ≥ 3 calls and ≥ --warmup seconds
                spent, calls = 0.0, 0
                while calls < 3 or spent < args.warmup:
                    last = timed(step, device)
                    spent, calls = spent + last, calls + 1
                loops[name] = max(1, math.ceil(args.min_time / max(last, 1e-6)))
            for _ in range(args.repeats):
                for name, step in steps.items():
                    times[name].append(timed(step, device, loops[name]))
            rate = {name: args.batch / statistics.median(ts) for name, ts in times.items()}
            kernel = choose_backend(x)
            for name in steps:
                label = f"{name} [{kernel}]" if name == "trainlab auto" else name
                ratio = (
                    ""
                    if name.startswith("trainlab")
                    else f"{rate['trainlab auto'] / rate[name]:.2f}x"
                )
                print(f"{size:>4}²px {dtype_name:>7}  {label:<27} {rate[name]:>11,.0f} {ratio:>10}")
    print("ours/peer = trainlab auto images/s ÷ peer images/s (> 1: trainlab faster)")


if __name__ == "__main__":
    main()
