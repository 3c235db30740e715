"""Regularization strategies of the lecture: penalties, noise, early stopping, ensembles."""

from trainlab.engine.strategies.early_stopping import EarlyStopping
from trainlab.engine.strategies.ensemble import average_probabilities
from trainlab.engine.strategies.label_smoothing import LabelSmoothing
from trainlab.engine.strategies.mc_dropout import mc_dropout
from trainlab.engine.strategies.noise import InputNoise, LabelFlip, WeightNoise, flip_labels
from trainlab.engine.strategies.penalties import Penalty, penalty

__all__ = [
    "EarlyStopping",
    "InputNoise",
    "LabelFlip",
    "LabelSmoothing",
    "Penalty",
    "WeightNoise",
    "average_probabilities",
    "flip_labels",
    "mc_dropout",
    "penalty",
]
