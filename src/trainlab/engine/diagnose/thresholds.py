"""The thresholds of the learning-curve rules (see :mod:`trainlab.engine.diagnose.curves`).

The thresholds on a difference of scores (``DEGRADED``, the diagnosis's
``gap_threshold``, ``GAP_Z``) hold for accuracy and for R² alike (see
:mod:`trainlab.engine.diagnose.score`); the levels of a score have a
regression counterpart of their own (``LOW_TRAIN_R2``, ``FITTED_TRAIN_R2``,
``CHANCE_R2``).

Example:
    >>> from trainlab.engine.diagnose.thresholds import LOW_TRAIN_ACC, MIN_GL
    >>> LOW_TRAIN_ACC, MIN_GL
    (0.8, 0.02)
"""

from __future__ import annotations

#: diverged: the final training loss is above this multiple of the first epoch's
DIVERGE_FACTOR = 1.5
#: diverged: the final training loss is above this multiple of its best ...
BLOWUP_FACTOR = 2.0
#: ... and has lost more than this fraction of the progress from the first epoch to the best
LOST_PROGRESS = 0.5
#: unstable: an epoch-to-epoch change of the training loss larger than this fraction is a jump ...
JUMP = 0.10
#: ... when it is also larger than this fraction of the range the training loss covered
JUMP_OF_RANGE = 0.05
#: unstable: at least this many sign changes between consecutive jumps ...
MIN_SWINGS = 2
#: ... and in at least this fraction of the places where the direction can change
SWING_FRACTION = 0.25
#: unstable: accuracy (or R²) ends more than this (absolute) below its best
DEGRADED = 0.05
#: overfitting: the final generalization loss GL = val_loss / best_val_loss − 1 exceeds this
MIN_GL = 0.02
#: overfitting / still improving: a change must exceed this many standard deviations of the noise
NOISE_Z = 3.0
#: the noise is estimated on at least this many of the last epochs
NOISE_WINDOW = 8
#: overfitting: the final weights' gap must exceed gap_threshold by this many standard errors
#: of their validation accuracy, √(p(1 − p)/n): on wine's 36 validation examples one example
#: is 2.8 points, so a 6-point gap there is noise, not overfitting
GAP_Z = 2.0
#: underfitting: final training accuracy below this cannot fit the training data
LOW_TRAIN_ACC = 0.80
#: underfitting, regression: a final training R² below this cannot fit the training data. A
#: straight line (least squares) explains 52% of the variance of diabetes' targets on its own
#: training data; a network that explains less than half of its training targets' variance
#: fits them worse than a linear model would, so its capacity, training or regularization is
#: holding it back
LOW_TRAIN_R2 = 0.5
#: underfitting: a final training loss above this multiple of the first epoch's has stalled
STALLED = 0.90
#: underfitting: a loss still falling by this fraction per epoch at the end is still improving
STILL_IMPROVING = 0.01
#: a model that fits at least this fraction of its training data is not called underfitting
#: for merely still improving; the good-fit message says more epochs may help
FITTED_TRAIN_ACC = 0.98
#: ... and a regression that explains this share of its training targets' variance (an RMSE
#: under a third, √0.1, of their standard deviation) is not called underfitting either
FITTED_TRAIN_R2 = 0.9
#: budget: a run of fewer optimizer steps than this is too short to judge. 50 is five times
#: the 10-step memory, 1 / (1 − β₁), of Adam's first moment and of SGD's momentum 0.9, and
#: the onecycle schedule spends its first quarter warming up; below it the weights are still
#: near their initialization and the curves say more about the start than about the recipe
MIN_STEPS = 50
#: budget: final accuracies at most this far (absolute) above the chance level (always
#: predicting the most frequent class) are chance level. The held-out splits of the shipped
#: recipes have a few hundred examples, where a guessing model's accuracy (p = 0.1) scatters
#: with a standard error of √(p(1 − p)/n) ≈ 1.7 points at n = 300: 5 points is 3 of them
CHANCE_MARGIN = 0.05
#: budget, regression: final R² at most this on every split is no better than always
#: predicting the mean of the targets, whose R² is 0
CHANCE_R2 = 0.0
