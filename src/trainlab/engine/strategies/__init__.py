"""The lecture's regularization strategies, one file each.

Callbacks of the training loop: :class:`EarlyStopping`, :class:`InputNoise`,
:class:`LabelFlip`, :class:`Penalty` (L1 / L2), :class:`WeightNoise`. A loss:
:class:`LabelSmoothing`. Prediction-side: :func:`average_probabilities`
(ensembles) and :func:`mc_dropout` (Monte-Carlo dropout), run by
:mod:`trainlab.engine.prediction`.
"""

from trainlab.engine.strategies.early_stopping import EarlyStopping
from trainlab.engine.strategies.ensemble import average_probabilities
from trainlab.engine.strategies.input_noise import InputNoise
from trainlab.engine.strategies.label_flip import LabelFlip, flip_labels
from trainlab.engine.strategies.label_smoothing import LabelSmoothing
from trainlab.engine.strategies.mc_dropout import mc_dropout
from trainlab.engine.strategies.penalties import Penalty, penalty
from trainlab.engine.strategies.weight_noise import WeightNoise

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
