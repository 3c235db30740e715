"""Diagnose a training run from its learning curves.

``curves`` gives the verdict (``diagnose``) by the rules of ``rules`` and
``fit_rules``, on the numbers of ``statistics``, with the thresholds of
``thresholds``, in the task's main metric (``score``: accuracy, or R² beside
RMSE for a regression); every sentence it shows is in ``messages`` (worded by
``wording``; the remedies per verdict in ``remedies``, worded for the recipe
that ran); ``facts`` holds what a diagnosis may know besides the history (the
final weights' scores, the recipe's settings, the budget) and names the two
training accuracies;
``budget`` warns about a run too small to judge; ``probes`` measures
activations and gradients per layer and ``findings`` reads them.

Example:
    >>> from trainlab.engine.diagnose import diagnose
    >>> diagnose([{"epoch": 1, "train_loss": float("nan")}]).verdict
    'diverged'
"""

from trainlab.engine.diagnose.curves import diagnose
from trainlab.engine.diagnose.diagnosis import VERDICTS, Diagnosis
from trainlab.engine.diagnose.facts import Budget, FinalAccuracies, FinalScores, RecipeFacts
from trainlab.engine.diagnose.findings import probe_summary
from trainlab.engine.diagnose.probes import ActivationProbe, layer_statistics
from trainlab.engine.diagnose.score import MainMetric
from trainlab.engine.diagnose.statistics import generalization_gap

__all__ = [
    "VERDICTS",
    "ActivationProbe",
    "Budget",
    "Diagnosis",
    "FinalAccuracies",
    "FinalScores",
    "MainMetric",
    "RecipeFacts",
    "diagnose",
    "generalization_gap",
    "layer_statistics",
    "probe_summary",
]
