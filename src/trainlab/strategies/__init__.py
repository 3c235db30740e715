"""Regularization strategies of the lecture: penalties, noise, early stopping, ensembles."""

from trainlab.strategies import early_stopping as _es  # noqa: F401 - registers
from trainlab.strategies import noise as _noise  # noqa: F401 - registers
from trainlab.strategies import penalties as _penalties  # noqa: F401 - registers
from trainlab.strategies.early_stopping import EarlyStopping
from trainlab.strategies.ensemble import average_probabilities, ensemble_probabilities
from trainlab.strategies.noise import InputNoise, LabelFlip, WeightNoise, flip_labels
from trainlab.strategies.penalties import Penalty, penalty

__all__ = [
    "EarlyStopping",
    "InputNoise",
    "LabelFlip",
    "Penalty",
    "WeightNoise",
    "average_probabilities",
    "ensemble_probabilities",
    "flip_labels",
    "penalty",
]
