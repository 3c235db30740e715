"""User-facing errors.

Every mistake a user can make (a recipe key, a value, a data file, a
checkpoint) raises a subclass of :class:`TrainlabError`. The command line
prints its message as one line and exits with status 2; Python callers can
catch it, or catch ``ValueError`` since the input errors derive from it.

Example:
    >>> from trainlab.core.errors import ConfigError
    >>> try:
    ...     raise ConfigError("model.dropout: expected a number in [0, 1), got 1.5")
    ... except ValueError as e:
    ...     print(e)
    model.dropout: expected a number in [0, 1), got 1.5
"""

from __future__ import annotations


class TrainlabError(Exception):
    """Base class of the errors the command line reports in one line (exit 2)."""


class ConfigError(TrainlabError, ValueError):
    """A recipe, study or command-line value is unknown, ill-typed or out of range."""


class DataError(TrainlabError, ValueError):
    """A data file or data set is missing, unreadable or malformed."""


class CheckpointError(TrainlabError, ValueError):
    """A checkpoint is missing, truncated, foreign or does not fit the model."""


class TrainingDiverged(TrainlabError):
    """The loss became NaN or infinite; the last good checkpoint is kept."""
