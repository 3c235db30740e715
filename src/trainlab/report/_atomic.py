"""Write a text file atomically: a temporary file beside it, then a rename.

A reader never sees half a report, and a failure leaves any previous file intact.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from trainlab.report._atomic import write_text_atomic
    >>> p = write_text_atomic(Path(tempfile.mkdtemp()) / "a.md", "# hi\\n")
    >>> p.read_text(encoding="utf-8")
    '# hi\\n'
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def write_text_atomic(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically, creating its folder; returns ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
