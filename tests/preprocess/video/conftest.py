"""Small synthetic clips for the video preprocessing tests (channels last, uint8)."""

from __future__ import annotations

import numpy as np
import pytest

#: where the planted square is at frame t: still, moving in frames 5-8 (3 px a frame), still
SQUARE, SIZE = 8, 64


def square_x(t: int) -> int:
    return 4 + 3 * min(max(t - 5, 0), 3)


def texture(h: int, w: int, seed: int = 0, block: int = 2) -> np.ndarray:
    """A random texture of ``block``-pixel cells (uint8 (h, w)), which flow can follow."""
    rng = np.random.default_rng(seed)
    cells = rng.integers(0, 256, (h // block + 1, w // block + 1), dtype=np.uint8)
    return np.ascontiguousarray(cells.repeat(block, 0).repeat(block, 1)[:h, :w])


def planted(n_frames: int = 16, channels: int = 3) -> np.ndarray:
    """A dim textured still background and a bright textured square moving only in frames 5-8."""
    bg = texture(SIZE, SIZE, seed=1) // 4
    sq = 128 + texture(SQUARE, SQUARE, seed=2, block=2) // 2
    frames = np.empty((n_frames, SIZE, SIZE, channels), np.uint8)
    for t in range(n_frames):
        img = bg.copy()
        x = square_x(t)
        img[12 : 12 + SQUARE, x : x + SQUARE] = sq
        frames[t] = img[..., None]
    return frames


def square_mask(t: int) -> np.ndarray:
    m = np.zeros((SIZE, SIZE), bool)
    m[12 : 12 + SQUARE, square_x(t) : square_x(t) + SQUARE] = True
    return m


class Kit:
    """The helpers above, for tests (a conftest is not importable under importlib mode)."""

    SQUARE, SIZE = SQUARE, SIZE
    square_x = staticmethod(square_x)
    texture = staticmethod(texture)
    planted = staticmethod(planted)
    square_mask = staticmethod(square_mask)


@pytest.fixture
def kit() -> type[Kit]:
    return Kit


@pytest.fixture
def planted_clip() -> np.ndarray:
    return planted()


@pytest.fixture
def noise_clip() -> np.ndarray:
    return np.random.default_rng(3).integers(0, 256, (6, 24, 20, 3), dtype=np.uint8)
