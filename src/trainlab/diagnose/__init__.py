"""Diagnose a training run from its learning curves.

Example:
    >>> from trainlab.diagnose import diagnose
    >>> diagnose([{"epoch": 1, "train_loss": float("nan")}]).verdict
    'diverged'
"""

from trainlab.diagnose.curves import VERDICTS, Diagnosis, diagnose, generalization_gap
from trainlab.diagnose.probes import ActivationProbe, layer_statistics, probe_summary

__all__ = [
    "VERDICTS",
    "ActivationProbe",
    "Diagnosis",
    "diagnose",
    "generalization_gap",
    "layer_statistics",
    "probe_summary",
]
