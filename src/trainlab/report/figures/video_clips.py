"""Video clips as rows of strips: the frames, their optical flow in colour, their motion masks.

Each clip is drawn as up to three strips of its k frames side by side: the
frames (gray or RGB), then, when the clip has them, its flow pictures and its
motion masks (white = moving). A grid holds one clip per row and one version
of it per column (the original and augmented draws, say).

Flow is drawn with the standard colour coding of OpenCV's optical-flow
tutorial (after the Middlebury flow pictures of S. Baker et al., *A Database
and Evaluation Methodology for Optical Flow*, IJCV 2011): the direction of
(dx, dy) sets the hue, the angle measured from +x towards +y with image y
pointing down (right = red, down = yellow-green, left = cyan, up = violet);
saturation is full; the speed sets the value (black = still, full
brightness at the figure's ``flow_max``). One speed scale holds for the whole
figure, so speeds compare across clips and draws; a colour wheel in the top
right corner is the legend. Only numpy and matplotlib are used.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from trainlab.report.figures.video_clips import Clip, flow_rgb, plot_video_clips
    >>> right = np.zeros((2, 1, 1), np.float32)
    >>> right[0] = 3.0  # 3 pixels a frame to the right
    >>> flow_rgb(right).reshape(3).tolist()  # red, full brightness
    [255, 0, 0]
    >>> clip = Clip(np.random.rand(4, 16, 16), flow=np.random.randn(4, 2, 16, 16))
    >>> out = plot_video_clips([[clip, clip]], Path(tempfile.mkdtemp()) / "c.png",
    ...                        columns=["original", "draw 1"], rows=["left"])
    >>> out.read_bytes()[:4] == b"\\x89PNG"
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from trainlab.core.errors import DataError
from trainlab.report.figures._base import DPI, FONT, SMALL, save

#: the percentile of the figure's moving-pixel speeds that a default ``flow_max`` is
FLOW_PERCENTILE = 99.0
#: speeds at or below this (pixels a frame) count as still when ``flow_max`` is fitted
STILL = 1e-3
#: the gap between frames of a strip, in pixels of the frames, and its colour (white)
GAP = 2
#: inches of one frame's height in a strip
FRAME_INCHES = 0.55


@dataclass(frozen=True)
class Clip:
    """One clip's pictures, k frames of H × W.

    Args:
        frames: (k, H, W) gray or (k, H, W, 3) RGB (a 4th, alpha, channel is
            dropped); shown as they are when within [0, 1], else min–max
            scaled over the clip.
        flow: optional (k, 2, H, W) optical flow (dx, dy), in pixels a frame
            (or any unit the figure's clips share).
        masks: optional (k, H, W) motion masks (0 still, 1 moving).
    """

    frames: np.ndarray
    flow: np.ndarray | None = None
    masks: np.ndarray | None = None

    def __post_init__(self) -> None:
        frames = np.asarray(self.frames, dtype=np.float32)
        if frames.ndim == 4 and frames.shape[-1] == 4:
            frames = frames[..., :3]
        if frames.ndim not in (3, 4) or (frames.ndim == 4 and frames.shape[-1] != 3):
            raise DataError(
                f"Clip: expected frames (k, H, W) or (k, H, W, 3), got shape {frames.shape}"
            )
        k, h, w = frames.shape[:3]
        object.__setattr__(self, "frames", frames)
        if self.flow is not None:
            flow = np.asarray(self.flow, dtype=np.float32)
            if flow.shape != (k, 2, h, w):
                raise DataError(
                    f"Clip: expected flow (k, 2, H, W) = {(k, 2, h, w)}, got shape {flow.shape}"
                )
            object.__setattr__(self, "flow", flow)
        if self.masks is not None:
            masks = np.asarray(self.masks, dtype=np.float32)
            if masks.shape != (k, h, w):
                raise DataError(
                    f"Clip: expected masks (k, H, W) = {(k, h, w)}, got shape {masks.shape}"
                )
            object.__setattr__(self, "masks", masks)


def hsv_to_rgb(h: np.ndarray, s: np.ndarray, v: np.ndarray) -> np.ndarray:
    """RGB in [0, 1] (…, 3) of hue ``h`` in degrees, saturation and value in [0, 1].

    The hexcone model (A. R. Smith, *Color Gamut Transform Pairs*, SIGGRAPH
    1978), as OpenCV's ``COLOR_HSV2RGB`` computes it.

    Example:
        >>> import numpy as np
        >>> from trainlab.report.figures.video_clips import hsv_to_rgb
        >>> hsv_to_rgb(np.array([0.0, 120.0, 180.0]), np.ones(3), np.ones(3)).tolist()
        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 1.0]]
    """
    h6 = np.mod(np.asarray(h, dtype=np.float64), 360.0) / 60.0
    s = np.asarray(s, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    sector = np.floor(h6)
    f = h6 - sector
    sector = sector.astype(np.int64) % 6
    p, q, t = v * (1 - s), v * (1 - s * f), v * (1 - s * (1 - f))
    # sector → (r, g, b) among v, t, p, q
    choices = {
        0: (v, t, p),
        1: (q, v, p),
        2: (p, v, t),
        3: (p, q, v),
        4: (t, p, v),
        5: (v, p, q),
    }
    out = np.zeros((*np.broadcast(h6, s, v).shape, 3))
    for k, (r, g, b) in choices.items():
        where = sector == k
        for c, part in enumerate((r, g, b)):
            out[..., c] = np.where(where, part, out[..., c])
    return out


def flow_max_of(flows: Sequence[np.ndarray]) -> float:
    """The speed shown at full brightness: the 99th percentile of the moving pixels' speeds
    (1 when nothing moves)."""
    speeds = [np.hypot(f[..., 0, :, :], f[..., 1, :, :]).ravel() for f in flows]
    moving = np.concatenate(speeds) if speeds else np.zeros(0)
    moving = moving[moving > STILL]
    return float(np.percentile(moving, FLOW_PERCENTILE)) if moving.size else 1.0


def flow_rgb(flow: np.ndarray, flow_max: float | None = None) -> np.ndarray:
    """The colour picture (H, W, 3) uint8 of one flow field (2, H, W): hue = direction,
    value = speed (255 at ``flow_max``, None: the field's largest speed), saturation full.

    Example:
        >>> import numpy as np
        >>> from trainlab.report.figures.video_clips import flow_rgb
        >>> left = np.zeros((2, 1, 1))
        >>> left[0] = -1.0
        >>> flow_rgb(left, flow_max=2.0).reshape(3).tolist()  # cyan, half brightness
        [0, 128, 128]
    """
    f = np.asarray(flow, dtype=np.float64)
    if f.ndim != 3 or f.shape[0] != 2:
        raise DataError(f"flow_rgb: expected one flow field (2, H, W), got shape {f.shape}")
    speed = np.hypot(f[0], f[1])
    top = float(speed.max()) if flow_max is None else float(flow_max)
    value = np.clip(speed / top, 0.0, 1.0) if top > 0 else np.zeros_like(speed)
    angle = np.degrees(np.arctan2(f[1], f[0]))  # from +x towards +y (down)
    rgb = hsv_to_rgb(angle, np.ones_like(speed), value)
    return np.round(rgb * 255).astype(np.uint8)


def _strip(pictures: np.ndarray) -> np.ndarray:
    """k pictures (k, H, W, 3) in [0, 1] side by side, white gaps between: (H, W', 3)."""
    k, h, w, _ = pictures.shape
    out = np.ones((h, k * w + (k - 1) * GAP, 3), dtype=np.float32)
    for i, pic in enumerate(pictures):
        out[:, i * (w + GAP) : i * (w + GAP) + w] = pic
    return out


def _frames_rgb(frames: np.ndarray) -> np.ndarray:
    lo, hi = float(frames.min()), float(frames.max())
    if lo < 0 or hi > 1:
        frames = (frames - lo) / (hi - lo) if hi > lo else np.zeros_like(frames)
    return frames if frames.ndim == 4 else np.repeat(frames[..., None], 3, axis=-1)


def _rows_of(clip: Clip, flow_max: float) -> list[tuple[str, np.ndarray]]:
    """(row name, strip) of a clip: frames, then flow and masks when it has them."""
    rows = [("frames", _strip(_frames_rgb(clip.frames)))]
    if clip.flow is not None:
        pics = np.stack([flow_rgb(f, flow_max) for f in clip.flow]).astype(np.float32) / 255
        rows.append(("flow", _strip(pics)))
    if clip.masks is not None:
        masks = np.clip(clip.masks, 0.0, 1.0)
        rows.append(("masks", _strip(np.repeat(masks[..., None], 3, axis=-1))))
    return rows


def _wheel(fig: Figure, rect: tuple[float, float, float, float], flow_max: float) -> None:
    """The legend: the colour of every direction and speed up to ``flow_max``."""
    n = 65
    y, x = np.mgrid[-1 : 1 : n * 1j, -1 : 1 : n * 1j]
    rgb = flow_rgb(np.stack([x, y]) * flow_max, flow_max).astype(np.float32) / 255
    rgb[np.hypot(x, y) > 1] = 1.0
    ax = fig.add_axes(rect)
    ax.imshow(rgb, interpolation="bilinear")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel(f"flow: 0 to {flow_max:.3g}", fontsize=SMALL - 2, labelpad=1)


def plot_video_clips(
    grid: Sequence[Sequence[Clip]],
    path: Path,
    *,
    columns: Sequence[str] = (),
    rows: Sequence[str] | None = None,
    title: str | None = None,
    flow_max: float | None = None,
    frame_inches: float = FRAME_INCHES,
) -> Path:
    """Write ``grid[r][c]`` (each a :class:`Clip`) as a PNG; returns ``path``.

    Args:
        grid: rows of clips, one per column (the same clip's versions).
        columns: the column titles (e.g. "original", "draw 1").
        rows: a label per row (e.g. the class), written left of its first strip.
        title: the figure's title.
        flow_max: the speed drawn at full brightness in every flow picture; None:
            the 99th percentile of the figure's moving-pixel speeds.
        frame_inches: the height of a strip (a frame), in inches.
    """
    if not grid or not all(grid):
        raise DataError("plot_video_clips: expected at least one clip in every row")
    flows = [clip.flow for line in grid for clip in line if clip.flow is not None]
    top = flow_max_of(flows) if flow_max is None else float(flow_max)
    cells = [[_rows_of(clip, top) for clip in line] for line in grid]
    n_cols = max(len(line) for line in grid)
    heights = [max(len(cell) for cell in line) for line in cells]
    aspect = max(cell[0][1].shape[1] / cell[0][1].shape[0] for line in cells for cell in line)
    strip_w, strip_h = frame_inches * aspect, frame_inches
    left, right, bottom, col_gap, row_gap, clip_gap = 0.95, 0.15, 0.1, 0.2, 0.06, 0.22
    top_in = 1.2 if flows else 0.7  # the title, the wheel and its label, the column titles
    width = left + right + n_cols * strip_w + (n_cols - 1) * col_gap
    if title:  # room for the title beside the colour wheel
        width = max(width, 0.075 * len(title) + 1.2)
    height = top_in + bottom + sum(heights) * (strip_h + row_gap) + (len(grid) - 1) * clip_gap
    fig = Figure(figsize=(width, height), dpi=DPI)
    y = height - top_in
    for r, line in enumerate(cells):
        for i in range(heights[r]):
            y -= strip_h
            for c, cell in enumerate(line):
                if i >= len(cell):
                    continue
                name, strip = cell[i]
                x = left + c * (strip_w + col_gap)
                ax = fig.add_axes((x / width, y / height, strip_w / width, strip_h / height))
                ax.imshow(strip, interpolation="nearest", aspect="auto")
                ax.set_xticks([])
                ax.set_yticks([])
                for spine in ax.spines.values():
                    spine.set_visible(False)
                if c == 0:
                    label = f"{rows[r]}\n{name}" if rows is not None and i == 0 else name
                    weight = "bold" if rows is not None and i == 0 else "normal"
                    ax.set_ylabel(label, fontsize=SMALL, rotation=0, ha="right", va="center")
                    ax.yaxis.label.set_fontweight(weight)
                if r == 0 and i == 0 and c < len(columns):
                    ax.set_title(columns[c], fontsize=SMALL, pad=3)
            y -= row_gap
        y -= clip_gap
    if title:
        fig.text(0.1 / width, 1 - 0.12 / height, title, fontsize=FONT, va="top", ha="left")
    if flows:
        size = 0.62
        rect = ((width - size - 0.2) / width, 1 - 0.78 / height, size / width, size / height)
        _wheel(fig, rect, top)
    return save(fig, path)
