"""A study's progress: a bar on a terminal, one line per finished trial elsewhere.

In a log file, a pipe or a batch job a progress bar is noise (carriage
returns, or nothing at all), so without a terminal the study writes one line
to stderr per finished trial, flushed at once (here folded in two)::

    study lecture: 7/30 done  dropout seed 1  test_acc 0.9464  12.3 s
      elapsed 1 min 30 s, about 5 min left

The estimate is the mean time of the trials finished so far in this run,
times the trials left, over the workers running them.

Example:
    >>> from trainlab.workflows.study.progress import human_duration
    >>> human_duration(12.34, precise=True), human_duration(90), human_duration(3900)
    ('12.3 s', '1 min 30 s', '1 h 5 min')
    >>> human_duration(323, about=True)
    '5 min'
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from typing import Any, Literal, TextIO

#: ``bar``: a tqdm bar; ``lines``: a line per finished trial; ``off``: nothing
ProgressMode = Literal["bar", "lines", "off"]


def human_duration(seconds: float, *, precise: bool = False, about: bool = False) -> str:
    """A duration in words: ``"45 s"``, ``"1 min 30 s"``, ``"1 h 5 min"``.

    Args:
        seconds: the duration.
        precise: tenths of a second below a minute (``"12.3 s"``).
        about: whole minutes from a minute up (``"5 min"``), for an estimate; below a
            minute, seconds rounded up (never ``"0 s"`` left).
    """
    if precise and seconds < 59.95:
        return f"{seconds:.1f} s"
    total = math.ceil(seconds) if about and seconds < 60 else round(seconds)
    if total < 60:
        return f"{total} s"
    if total < 3600:
        minutes, rest = divmod(total, 60)
        if about:
            return f"{round(total / 60)} min"
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, rest = divmod(round(total / 60), 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def resolve_mode(progress: bool | str, stream: TextIO | None = None) -> ProgressMode:
    """``True`` → a bar on a terminal, lines otherwise; ``False`` → off; or the mode named."""
    if progress is True:
        stream = stream if stream is not None else sys.stderr
        return "bar" if stream.isatty() else "lines"
    if progress is False:
        return "off"
    if progress not in ("bar", "lines", "off"):
        raise ValueError(f"progress must be True, False, 'bar', 'lines' or 'off'; got {progress!r}")
    return progress  # type: ignore[return-value]


def _outcome(result: dict[str, Any], metric: str) -> tuple[str, float | None]:
    """What a trial's result says in the line, and its seconds (None: not known)."""
    if result.get("error"):
        return "failed", None
    metrics = result["metrics"]
    seconds = metrics.get("seconds")
    seconds = float(seconds) if isinstance(seconds, int | float) else None
    if "diverged" in result:
        return f"diverged at epoch {result['diverged']['epoch']}", seconds
    value = metrics.get(metric)
    shown = f"{value:.4f}" if isinstance(value, int | float) else "nan"
    return f"{metric} {shown}", seconds


class TrialLines:
    """One line per finished trial, to ``stream`` (stderr), flushed.

    Args:
        study: the study's name.
        total: the trials of the study.
        finished: those already finished before this run.
        workers: trials run at once.
        metric: the study's metric.
        stream: where the lines go (None: stderr).
        clock: seconds since some moment (``time.monotonic``).
    """

    def __init__(
        self,
        study: str,
        total: int,
        finished: int,
        workers: int,
        metric: str,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.study, self.total, self.finished = study, total, finished
        self.workers, self.metric = max(1, workers), metric
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.started = clock()
        self.seconds: list[float] = []

    def line(self, variant: str, seed: int, result: dict[str, Any]) -> str:
        """Count the finished trial and say it."""
        self.finished += 1
        said, seconds = _outcome(result, self.metric)
        parts = [f"study {self.study}: {self.finished}/{self.total} done", f"{variant} seed {seed}"]
        parts.append(said)
        if seconds is not None:
            self.seconds.append(seconds)
            parts.append(human_duration(seconds, precise=True))
        parts.append(f"elapsed {human_duration(self.clock() - self.started)}{self._left()}")
        return "  ".join(parts)

    def _left(self) -> str:
        left = self.total - self.finished
        if left <= 0 or not self.seconds:
            return ""
        estimate = sum(self.seconds) / len(self.seconds) * left / self.workers
        if not math.isfinite(estimate):
            return ""
        return f", about {human_duration(estimate, about=True)} left"

    def update(self, variant: str, seed: int, result: dict[str, Any]) -> None:
        self.stream.write(self.line(variant, seed, result) + "\n")
        self.stream.flush()

    def close(self) -> None:
        """Nothing to close: every line is written and flushed."""


class TrialBar:
    """A tqdm bar over trials, on stderr (a terminal)."""

    def __init__(self, total: int, finished: int) -> None:
        from tqdm.auto import tqdm

        self.bar = tqdm(
            total=total,
            initial=finished,
            unit="trial",
            desc="study",
            dynamic_ncols=True,
            file=sys.stderr,
        )

    def update(self, variant: str, seed: int, result: dict[str, Any]) -> None:
        self.bar.set_postfix_str(f"{variant} seed {seed}", refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


class NoProgress:
    """Says nothing (``--quiet``)."""

    def update(self, variant: str, seed: int, result: dict[str, Any]) -> None: ...

    def close(self) -> None: ...
