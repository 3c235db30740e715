"""Where the tests find opencv-doc's real example clips (vtest.avi, tree.avi, Megamind.avi).

``make data`` unpacks them from Debian's ``opencv-doc`` package into
``.venv/opencv-data`` (without installing it); ``$TRAINLAB_OPENCV_DATA`` or an
installed ``opencv-doc`` serve too. A test that needs them skips without.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: the folders searched, first hit wins
FOLDERS = (
    os.environ.get("TRAINLAB_OPENCV_DATA", ""),
    str(ROOT / ".venv" / "opencv-data"),
    "/usr/share/doc/opencv-doc/examples/data",
)


def opencv_data(*names: str) -> Path | None:
    """The first folder holding every clip of ``names`` (default ``vtest.avi``), or None."""
    names = names or ("vtest.avi",)
    for folder in FOLDERS:
        if folder and all((Path(folder) / n).is_file() for n in names):
            return Path(folder)
    return None
