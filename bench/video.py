"""Video throughput: clip augmentation against kornia's VideoSequential, frame sampling, flow.

Three pieces of work, each timed as the median of ``--repeats`` runs after a
warm-up, contenders alternating:

- **clip augmentation**: the lecture's affine pipeline (rotation ±15°,
  translation ±10 %, scale 0.9–1.1, shear ±10°, horizontal flip p = 0.5) with
  one draw per clip on the same float32 batch (N, T, C, H, W): trainlab's
  image augmentation, which a video recipe wraps in ``PerClip``, against
  kornia's ``VideoSequential(..., data_format="BTCHW", same_on_frame=True)``;
  clips per second and the ratio ours / kornia (> 1: ours faster);
- **frame sampling**: uniform and motion-based (frame difference, flow
  magnitude) selection of 8 of a clip's frames, milliseconds per clip; no peer
  library samples frames by motion;
- **optical flow**: ``preprocess.video.flow.optical_flow`` (Farnebäck, DIS)
  against the same OpenCV calls in a bare loop over the frame pairs: the
  overhead of ours;
- **loading a folder of videos**: ``video-folder`` (``--files`` H.264 files
  of 60 frames, 16 kept at 64×64) against a bare PyAV loop that decodes and
  resizes the same frames, and the same load from a warm frame cache
  (``data.options.cache``).

The clips are the moving digits (20 frames; RGB copies for the augmentation).

    python bench/video.py [--clips 32] [--size 64] [--repeats 5] [--device cpu] [--files 64]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from itertools import pairwise

import numpy as np
import torch

from timing import alternating_medians
from trainlab.augment.pipeline import augment_batch, build_augmentations
from trainlab.data.datasets.video.moving_digits import load_moving_digits
from trainlab.preprocess.video.flow import optical_flow
from trainlab.preprocess.video.sampling import motion_indices, uniform_indices

LECTURE = {"rotation": 15.0, "translate": 0.1, "scale": [0.9, 1.1], "shear": 10.0, "hflip": 0.5}


def clip_augmentation(clips: torch.Tensor, repeats: int) -> list[str]:
    """trainlab's per-clip affine against kornia's VideoSequential, on the same batch."""
    augs = build_augmentations([{"name": "affine", **LECTURE}], modality="video")
    gen = torch.Generator(device=clips.device).manual_seed(0)
    steps: dict[str, Callable[[], object]] = {
        "trainlab": lambda: augment_batch(augs, clips, None, gen)[0]
    }
    notes = []
    try:
        import kornia.augmentation as K

        video = K.VideoSequential(
            K.RandomAffine(degrees=15, translate=(0.1, 0.1), scale=(0.9, 1.1), shear=10, p=1.0),
            K.RandomHorizontalFlip(p=0.5),
            data_format="BTCHW",
            same_on_frame=True,
        ).to(clips.device)
        steps["kornia"] = lambda: video(clips)
    except Exception as exc:  # a peer that does not import is skipped
        notes.append(f"kornia skipped: {type(exc).__name__}: {exc}")
    seconds = alternating_medians(steps, repeats)
    n = len(clips)
    lines = [f"{name:<10} {n / s:>10,.0f} clips/s" for name, s in seconds.items()]
    if "kornia" in seconds:
        lines.append(f"ratio trainlab / kornia: {seconds['kornia'] / seconds['trainlab']:.1f}x")
    return lines + notes


def sampling(frames: list[np.ndarray], repeats: int, k: int = 8) -> list[str]:
    """Milliseconds per clip for each way of choosing ``k`` frames."""
    steps = {
        "uniform": lambda: [uniform_indices(len(f), k) for f in frames],
        "motion (difference)": lambda: [motion_indices(f, k, "difference") for f in frames],
        "motion (flow)": lambda: [motion_indices(f, k, "flow") for f in frames],
    }
    seconds = alternating_medians(steps, repeats)
    return [f"{name:<20} {1000 * s / len(frames):>8.3f} ms a clip" for name, s in seconds.items()]


def bare_flow(frames: np.ndarray, method: str) -> np.ndarray:
    """The same flow with OpenCV called in a plain loop (the peer)."""
    import cv2

    gray = frames[..., 0] if frames.shape[-1] == 1 else frames.mean(-1).astype(np.uint8)
    dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM) if method == "dis" else None
    out = []
    for a, b in pairwise(gray):
        if dis is not None:
            out.append(dis.calc(a, b, None))
        else:
            out.append(cv2.calcOpticalFlowFarneback(a, b, None, 0.5, 3, 15, 3, 5, 1.2, 0))
    return np.stack(out)


def flow(frames: list[np.ndarray], repeats: int) -> list[str]:
    """Our optical flow against the bare OpenCV loop, milliseconds per clip."""
    lines = []
    for method in ("farneback", "dis"):
        seconds = alternating_medians(
            {
                "trainlab": lambda m=method: [optical_flow(f, m) for f in frames],
                "opencv loop": lambda m=method: [bare_flow(f, m) for f in frames],
            },
            repeats,
        )
        ours, peer = (1000 * seconds[k] / len(frames) for k in ("trainlab", "opencv loop"))
        lines.append(
            f"{method:<10} trainlab {ours:7.2f} ms a clip, OpenCV loop {peer:7.2f} ms, "
            f"overhead {100 * (ours / peer - 1):+.1f}%"
        )
    return lines


def bare_pyav(paths: list, frames: int, size: int) -> np.ndarray:
    """The peer: every file decoded with PyAV, ``frames`` evenly spaced frames area-resized."""
    import av
    import cv2

    clips = []
    for path in paths:
        with av.open(str(path)) as container:
            decoded = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
        pick = np.linspace(0, len(decoded) - 1, frames).round().astype(int)
        clips.append(
            [cv2.resize(decoded[i], (size, size), interpolation=cv2.INTER_AREA) for i in pick]
        )
    return np.asarray(clips)


def folder_loading(files: int, repeats: int) -> list[str]:
    """video-folder without and with a warm frame cache, against a bare PyAV loop."""
    import tempfile
    from pathlib import Path

    from trainlab.core.video_file import write_video
    from trainlab.data.datasets.video.folder import list_videos, load_video_folder

    root = Path(tempfile.mkdtemp())
    rng = np.random.default_rng(0)
    for i in range(files):
        clip = rng.integers(0, 255, (60, 96, 96, 3), dtype=np.uint8)
        write_video(root / "videos" / f"c{i % 2}" / f"{i}.mp4", clip, codec="libx264")
    paths = list_videos(root / "videos")
    options = {"path": root / "videos", "frames": 16, "size": (64, 64)}
    cache = root / "cache"
    load_video_folder(**options, cache=str(cache))  # fills the cache
    seconds = alternating_medians(
        {
            "PyAV loop": lambda: bare_pyav(paths, 16, 64),
            "video-folder": lambda: load_video_folder(**options),
            "video-folder, cached": lambda: load_video_folder(**options, cache=str(cache)),
        },
        repeats,
    )
    peer = seconds["PyAV loop"]
    return [
        f"{name:<22} {files / s:>9,.0f} files/s  ({peer / s:.2f}x the PyAV loop)"
        for name, s in seconds.items()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=32)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--files", type=int, default=64)
    args = parser.parse_args()
    start = time.perf_counter()
    bundle = load_moving_digits(n=args.clips, size=args.size)
    x = bundle.train.x  # (N, F, 1, H, W) uint8
    rgb = torch.from_numpy(x).float().div(255).repeat(1, 1, 3, 1, 1)[:, :8].contiguous()
    rgb = rgb.to(args.device)
    print(
        f"{args.clips} moving-digit clips, {args.size}x{args.size}; augmentation on "
        f"{tuple(rgb.shape)} float32 on {args.device}; median of {args.repeats}"
    )
    print("clip augmentation (affine + flip, one draw per clip)")
    for line in clip_augmentation(rgb, args.repeats):
        print("  " + line)
    frames = [np.ascontiguousarray(np.moveaxis(c, 1, -1)) for c in x]  # (F, H, W, 1)
    print(f"frame sampling (8 of {x.shape[1]} frames)")
    for line in sampling(frames, args.repeats):
        print("  " + line)
    print(f"optical flow ({x.shape[1]} frames)")
    for line in flow(frames, args.repeats):
        print("  " + line)
    print(f"loading a folder of {args.files} H.264 files (60 frames, 96x96; 16 kept at 64x64)")
    for line in folder_loading(args.files, args.repeats):
        print("  " + line)
    print(f"total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
