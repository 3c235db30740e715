"""How much memory an image folder takes decoded, estimated from a sample of file headers.

Decoded as ``load_image_folder`` keeps them, an image of h × w pixels takes
h·w·C bytes (uint8; C = 1 for grayscale modes, 3 for any colour mode). Pillow
reads the size and mode from the header without decoding the pixels, so the
estimate opens ``sample`` files spread evenly over the list (all of them when
there are fewer) and scales their mean size by the number of files:
bytes ≈ N · mean(h·w·C). The model-ready float32 copy the in-memory path
makes is 4 bytes per value of the uniform images on top of it, so a caller
compares the estimate against a budget to choose streaming
(``trainlab.data.stream``) or the in-memory path.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from PIL import Image
    >>> from trainlab.data.stream.footprint import estimate_decoded_bytes
    >>> d = Path(tempfile.mkdtemp())
    >>> Image.new("RGB", (10, 20)).save(d / "a.jpg"); Image.new("L", (10, 10)).save(d / "b.png")
    >>> estimate_decoded_bytes([d / "a.jpg", d / "b.png"])
    700
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from trainlab.core.errors import ConfigError
from trainlab.data.stream.fit import spread

#: Pillow modes read as one channel (``image_folder.read_image``); any other is 3
_GRAY_MODES = ("L", "LA", "1", "I", "F")


def header_bytes(path: str | Path) -> int | None:
    """Decoded bytes of one image from its header, or ``None`` when Pillow cannot read it.

    Example:
        >>> header_bytes("no-such-file.png") is None
        True
    """
    from PIL import Image

    try:
        with Image.open(path) as im:
            w, h = im.size
            mode = im.mode
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    gray = mode in _GRAY_MODES or mode.startswith("I;")
    return w * h * (1 if gray else 3)


def estimate_decoded_bytes(paths: Sequence[str | Path] | np.ndarray, *, sample: int = 256) -> int:
    """Estimated bytes of the decoded uint8 images of ``paths`` (exact when ``sample`` ≥ N).

    Args:
        paths: the image files, e.g. ``index_image_folder(path=...).paths``.
        sample: the most file headers to read, spread evenly over ``paths``.
            Unreadable files in the sample are left out of the mean.

    Returns:
        ``round(N · mean bytes of the readable sampled files)``; 0 when none is readable.

    Raises:
        ConfigError: ``sample`` below 1.
    """
    if sample < 1:
        raise ConfigError(f"stream footprint: sample must be at least 1, got {sample}")
    if len(paths) == 0:
        return 0
    sizes = [header_bytes(paths[i]) for i in spread(len(paths), sample)]
    readable = [s for s in sizes if s is not None]
    if not readable:
        return 0
    return round(len(paths) * float(np.mean(readable)))
