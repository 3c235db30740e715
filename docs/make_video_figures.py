"""The docs' picture of real video preprocessing: docs/video-flow.png from opencv-doc's vtest.avi.

The pedestrians of ``vtest.avi`` (768×576, 795 frames; Debian's ``opencv-doc``
package, unpacked: ``$TRAINLAB_OPENCV_DATA``) read at half size, a few frames
sampled uniformly after the background model's first ``--warmup`` frames, and for
each its DIS optical flow to the next frame and its MOG2 background-subtraction
mask, all by trainlab's own kernels (``preprocess/video/flow.py``,
``motion.py``, ``sampling.py``) and drawn by ``report/figures/video_clips.py``.

    python docs/make_video_figures.py [--data DIR] [--out docs/video-flow.png]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from trainlab.core.video_file import read_video
from trainlab.preprocess.video.flow import optical_flow
from trainlab.preprocess.video.motion import background_masks
from trainlab.preprocess.video.sampling import uniform_indices
from trainlab.report.figures.video_clips import Clip, plot_video_clips

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = "/usr/share/doc/opencv-doc/examples/data"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=os.environ.get("TRAINLAB_OPENCV_DATA") or DEFAULT_DATA)
    p.add_argument("--out", type=Path, default=HERE / "video-flow.png")
    p.add_argument("--read", type=int, default=240, help="frames read from the clip's start")
    p.add_argument("--warmup", type=int, default=60, help="frames before the first one shown")
    p.add_argument("--frames", type=int, default=4, help="frames shown")
    args = p.parse_args(argv)
    path = Path(args.data) / "vtest.avi"
    if not path.is_file():
        print(f"make_video_figures: no {path}; unpack opencv-doc, set --data", file=sys.stderr)
        return 2
    clip = read_video(path, size=(288, 384), max_frames=args.read)
    frames = clip.frames  # (F, H, W, 3) uint8, RGB
    flow = optical_flow(frames, "dis")  # (F, 2, H, W), pixels a frame
    masks = background_masks(frames)  # MOG2 fed every frame in order
    idx = args.warmup + uniform_indices(len(frames) - args.warmup, args.frames)
    seconds = ", ".join(f"{clip.times[i]:.1f}" for i in idx)
    picture = Clip(frames[idx] / 255.0, flow=flow[idx], masks=masks[idx])
    plot_video_clips(
        [[picture]],
        args.out,
        rows=["vtest.avi"],
        title=(
            f"vtest.avi at {frames.shape[2]}x{frames.shape[1]}, frames at {seconds} s: "
            "the frames, DIS flow, MOG2 masks"
        ),
        frame_inches=1.9,
    )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
