"""Diagnose a training run from its learning curves.

Example:
    >>> from trainlab.engine.diagnose import diagnose
    >>> diagnose([{"epoch": 1, "train_loss": float("nan")}]).verdict
    'diverged'
"""

from trainlab.engine.diagnose.curves import VERDICTS, Diagnosis, diagnose, generalization_gap
from trainlab.engine.diagnose.probes import ActivationProbe, layer_statistics, probe_summary

__all__ = [
    "VERDICTS",
    "ActivationProbe",
    "Diagnosis",
    "diagnose",
    "generalization_gap",
    "layer_statistics",
    "probe_summary",
]
