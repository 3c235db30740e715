"""Tracking: a run's parameters and curves in TensorBoard and MLflow (``track`` in a recipe).

:data:`TRACKERS` maps each ``track`` key to its tracker; :func:`open_trackers`
opens those a recipe turns on (failing in one line when a package is missing
or a destination cannot be written, before anything trains).

Example:
    >>> from trainlab.io.tracking import TRACKERS
    >>> sorted(TRACKERS)
    ['mlflow', 'tensorboard']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from trainlab.io.tracking.base import Tracker, flatten, numeric
from trainlab.io.tracking.mlflow import MlflowTracker
from trainlab.io.tracking.tensorboard import TensorBoardTracker

#: track key → (its destination, the run's name, the experiment) → a tracker
TRACKERS: dict[str, Callable[[str, str, str], Tracker]] = {
    "tensorboard": lambda where, run, experiment: TensorBoardTracker(where, run),
    "mlflow": lambda where, run, experiment: MlflowTracker(where, experiment, run),
}


def open_trackers(track: Any, run: str, params: dict[str, Any]) -> list[Tracker]:
    """The trackers ``track`` (a :class:`~trainlab.config.track.TrackConfig`) turns on,
    each started with ``params`` (flattened)."""
    opened: list[Tracker] = []
    for key, make in TRACKERS.items():
        where = getattr(track, key)
        if where is not None:
            tracker = make(where, run, track.experiment)
            tracker.log_params(flatten(params))
            opened.append(tracker)
    return opened


def prepare_stores(tracks: Iterable[Any]) -> None:
    """Set up, once and in this process, every MLflow store and experiment that these
    ``track`` sections name: the trials of a study that then run at once in other
    processes only write to them (two processes setting up one SQLite store collide)."""
    seen: set[tuple[str, str]] = set()
    for track in tracks:
        key = (track.mlflow, track.experiment)
        if track.mlflow is not None and key not in seen:
            seen.add(key)
            MlflowTracker.prepare(*key)


__all__ = [
    "TRACKERS",
    "MlflowTracker",
    "TensorBoardTracker",
    "Tracker",
    "flatten",
    "numeric",
    "open_trackers",
    "prepare_stores",
]
