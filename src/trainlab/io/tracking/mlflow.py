"""MLflow: a run's recipe as parameters, its history as step-wise metrics.

With ``sqlite:///mlflow.db`` the runs live in a local SQLite backend store, the
way MLflow's users run it (``mlflow ui --backend-store-uri sqlite:///mlflow.db``).
A client (:class:`mlflow.MlflowClient`) is used, never MLflow's global active
run, so several runs in one process do not meet.

Example:
    >>> from trainlab.io.tracking.mlflow import MAX_PARAM
    >>> MAX_PARAM
    6000
"""

from __future__ import annotations

import logging
from typing import Any

from trainlab.core.errors import ConfigError
from trainlab.io.tracking.base import Tracker, need

#: MLflow keeps parameter values of at most this many characters
MAX_PARAM = 6000


class MlflowTracker(Tracker):
    """One MLflow run of ``experiment`` at ``uri``.

    Raises:
        ConfigError: mlflow is not installed, or the tracking URI cannot be used.
    """

    def __init__(self, uri: str, experiment: str, run: str) -> None:
        self.client, exp = self.prepare(uri, experiment)
        try:
            self.run_id = self.client.create_run(exp, run_name=run).info.run_id
        except Exception as exc:  # MLflow raises many kinds: a locked store, a server down, …
            raise _unusable(uri, exc) from None
        self.uri = uri

    @staticmethod
    def prepare(uri: str, experiment: str) -> tuple[Any, str]:
        """A client of the store at ``uri`` (set up if new) and the experiment's id (created
        if new). A study calls it once before its trials start, so that processes writing
        at once never set up one SQLite store together.

        Raises:
            ConfigError: mlflow is not installed, or the store cannot be used.
        """
        mlflow = need("mlflow", "mlflow")
        for name in ("mlflow", "alembic"):  # their set-up of a new store, line by line
            logging.getLogger(name).setLevel(logging.WARNING)
        try:
            client = mlflow.MlflowClient(tracking_uri=uri)
            found = client.get_experiment_by_name(experiment)
            return client, found.experiment_id if found else client.create_experiment(experiment)
        except Exception as exc:  # MLflow raises many kinds: a bad URI, a locked store, …
            raise _unusable(uri, exc) from None

    def log_params(self, params: dict[str, Any]) -> None:
        from mlflow.entities import Param

        items = [Param(k, str(v)[:MAX_PARAM]) for k, v in params.items()]
        for i in range(0, len(items), 100):  # MLflow takes at most 100 a batch
            self.client.log_batch(self.run_id, params=items[i : i + 100])

    def log_metrics(self, step: int, metrics: dict[str, float]) -> None:
        import time

        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        items = [Metric(k, v, now, step) for k, v in metrics.items() if k != "epoch"]
        if items:
            self.client.log_batch(self.run_id, metrics=items)

    def close(self, final: dict[str, float]) -> None:
        import time

        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        items = [Metric(f"final_{k}", v, now, 0) for k, v in final.items()]
        if items:
            self.client.log_batch(self.run_id, metrics=items)
        self.client.set_terminated(self.run_id, "FINISHED" if final else "FAILED")


def _unusable(uri: str, exc: Exception) -> ConfigError:
    """One line: the URI and the first line of what MLflow said."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ConfigError(f"track.mlflow: cannot use {uri!r}: {first}")
