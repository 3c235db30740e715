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


class PeerLost(TrainlabError):
    """Another process of a DDP run stopped (it died, or failed), so this one cannot go on."""


class TrainingDiverged(TrainlabError):
    """The loss became NaN or infinite; the last good checkpoint is kept.

    Args:
        message: the one line shown to the user.
        epoch: the epoch it diverged in (1-based; None: not known).
        batch: the batch of that epoch (1-based; None when found at the epoch's end).
        value: the loss it became (NaN or ±infinity; None: not known).

    Example:
        >>> e = TrainingDiverged("the training loss became nan", epoch=3, batch=7,
        ...                      value=float("nan"))
        >>> e.epoch, e.batch, str(e.value)
        (3, 7, 'nan')
        >>> import pickle
        >>> pickle.loads(pickle.dumps(e)).batch  # crosses process boundaries whole
        7
    """

    def __init__(
        self,
        message: str,
        *,
        epoch: int | None = None,
        batch: int | None = None,
        value: float | None = None,
    ) -> None:
        super().__init__(message)
        self.epoch = epoch
        self.batch = batch
        self.value = value

    def __reduce__(self) -> tuple:
        return _diverged, (str(self), self.epoch, self.batch, self.value)


def _diverged(
    message: str, epoch: int | None, batch: int | None, value: float | None
) -> TrainingDiverged:
    """Rebuild a pickled :class:`TrainingDiverged` with its attributes."""
    return TrainingDiverged(message, epoch=epoch, batch=batch, value=value)
