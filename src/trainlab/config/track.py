"""The recipe's ``track`` section: a run's parameters and curves in the tools users already use.

Both are off by default and need their package (``pip install 'trainlab[track]'``):

- ``tensorboard``: a log folder; each run writes its per-epoch history as
  scalars (``train/loss``, ``val/acc``, …) into ``FOLDER/RUN``, and its final
  metrics and recipe as hyperparameters;
- ``mlflow``: a tracking URI, e.g. ``sqlite:///mlflow.db`` (the local SQLite
  backend store MLflow's users run) or a folder; each run becomes an MLflow
  run of ``experiment``, the recipe flattened into its parameters
  (``optimizer.lr``), the history into step-wise metrics, the final metrics
  last.

Example:
    >>> from trainlab.config.track import TrackConfig
    >>> TrackConfig().enabled, TrackConfig(mlflow="sqlite:///mlflow.db").enabled
    (False, True)
"""

from __future__ import annotations

from pydantic import Field

from trainlab.config.section import Section


class TrackConfig(Section):
    """Optional logging of each run to TensorBoard and MLflow."""

    #: a TensorBoard log folder (None: off)
    tensorboard: str | None = None
    #: an MLflow tracking URI: sqlite:///mlflow.db, a folder, http://host:5000 (None: off)
    mlflow: str | None = None
    #: the MLflow experiment the runs go into
    experiment: str = Field(default="trainlab", min_length=1)

    @property
    def enabled(self) -> bool:
        return self.tensorboard is not None or self.mlflow is not None
