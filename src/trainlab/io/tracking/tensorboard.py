"""TensorBoard: a run's history as scalars, its recipe and final metrics as hyperparameters.

History keys ``train_loss``, ``val_acc`` become tags ``train/loss``, ``val/acc``
(TensorBoard groups a tag's charts by the part before the slash), written by
PyTorch's own :class:`torch.utils.tensorboard.SummaryWriter` into
``FOLDER/RUN``.

Example:
    >>> from trainlab.io.tracking.tensorboard import tag
    >>> tag("val_acc"), tag("lr"), tag("digit_train_acc")
    ('val/acc', 'lr', 'digit_train/acc')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trainlab.core.errors import ConfigError
from trainlab.io.tracking.base import Tracker, need


def tag(key: str) -> str:
    """``val_acc`` → ``val/acc``: the split before the metric, as TensorBoard groups them."""
    head, _, tail = key.rpartition("_")
    return f"{head}/{tail}" if head else key


class TensorBoardTracker(Tracker):
    """Scalars into ``folder/run`` with PyTorch's SummaryWriter.

    Raises:
        ConfigError: tensorboard is not installed, or the folder cannot be written.
    """

    def __init__(self, folder: str, run: str) -> None:
        writer = need("torch.utils.tensorboard", "tensorboard").SummaryWriter
        path = Path(folder) / run
        try:
            path.mkdir(parents=True, exist_ok=True)
            self.writer = writer(log_dir=str(path))
        except OSError as exc:
            raise ConfigError(
                f"track.tensorboard: cannot write the log folder {path}: {exc.strerror}"
            ) from None
        self.path = path
        self.params: dict[str, Any] = {}

    def log_params(self, params: dict[str, Any]) -> None:
        self.params = dict(params)

    def log_metrics(self, step: int, metrics: dict[str, float]) -> None:
        for key, value in metrics.items():
            if key != "epoch":
                self.writer.add_scalar(tag(key), value, global_step=step)
        self.writer.flush()

    def close(self, final: dict[str, float]) -> None:
        if final:
            self.writer.add_hparams(
                self.params, {f"final/{k}": v for k, v in final.items()}, run_name="."
            )
        self.writer.close()
