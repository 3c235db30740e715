"""The training loop's progress bar: tqdm, touched at most twice a second.

Example:
    >>> from trainlab.engine.progress_bar import NoBar, progress_bar
    >>> isinstance(progress_bar(10, enabled=False, desc="train"), NoBar)
    True
"""

from __future__ import annotations

import sys
import time
from typing import Any


class NoBar:
    """No bar: every call does nothing (no terminal, or progress switched off)."""

    def update(self, n: int) -> None: ...
    def set_postfix(self, **kw: Any) -> None: ...
    def should_refresh(self) -> bool:
        return False

    def close(self) -> None: ...


class Bar:
    """tqdm, touched at most twice a second: steps are counted here and handed over in
    bulk, so the bar costs the loop one clock read per step (no monitor thread either)."""

    def __init__(self, total: int, desc: str) -> None:
        from tqdm import tqdm

        tqdm.monitor_interval = 0
        self._bar = tqdm(
            total=total,
            desc=desc or "train",
            unit="step",
            leave=False,
            dynamic_ncols=True,
            mininterval=0.5,
        )
        self._last = time.monotonic()
        self._pending = 0

    def update(self, n: int) -> None:
        self._pending += n

    def should_refresh(self) -> bool:
        now = time.monotonic()
        if now - self._last > 0.5:
            self._last = now
            return True
        return False

    def set_postfix(self, **kw: Any) -> None:
        self._bar.set_postfix(kw, refresh=False)
        self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._bar.update(self._pending)
            self._pending = 0

    def close(self) -> None:
        self._flush()
        self._bar.close()


def progress_bar(total: int, enabled: bool, desc: str) -> Bar | NoBar:
    """A bar of ``total`` steps on a terminal when ``enabled``, else :class:`NoBar`."""
    if not enabled or not sys.stderr.isatty():
        return NoBar()
    return Bar(total, desc)
