"""What a diagnosis may know besides the history: the recipe, the final weights, the budget.

A run reports two training accuracies, and they differ:

- the **running training accuracy** (``train_acc_running``; the history's
  per-epoch ``train_acc`` column): the fraction of training examples the model
  got right *while it trained* in that epoch, with dropout, noise and
  augmentation on, batch normalization using batch statistics, and the
  weights changing from one batch to the next;
- the **training accuracy of the final weights** (``train_acc``; the
  ``train_acc`` of ``metrics.json``): the trained model, in evaluation mode,
  scored on the training split after training, like the validation and test
  accuracies.

Early in training the two can be far apart (batch normalization's running
statistics lag behind, the weights moved during the epoch), so a diagnosis
names the one it uses, and the generalization gap (``metrics["gap"]``) is the
final weights' training accuracy minus their test (or validation) accuracy.
The same holds for the score of a regression (R², with RMSE beside it: see
:mod:`~trainlab.engine.diagnose.score`). :class:`FinalScores` carries the final
weights' scores (:class:`FinalAccuracies` is its name for classification),
:class:`RecipeFacts` the recipe's settings the remedies read (the engine
takes no recipe), :class:`Budget` the optimizer steps and the chance level.

Example:
    >>> from trainlab.engine.diagnose.facts import Budget, FinalAccuracies, RecipeFacts
    >>> Budget(epochs=2, examples=350, batch_size=64).steps
    12
    >>> FinalAccuracies(train=0.75, val=0.5).gap
    0.25
    >>> RecipeFacts(dropout=0.1).regularized
    True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from trainlab.engine.diagnose.score import MainMetric


def _fraction(name: str, value: float | None) -> None:
    if value is not None and not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise ValueError(f"{name}: expected an accuracy in [0, 1] or None, got {value}")


def _score(name: str, value: float | None, regression: bool) -> None:
    if value is None:
        return
    if not regression:
        _fraction(name, value)
    elif not (math.isfinite(value) and value <= 1.0):
        raise ValueError(f"{name}: expected an R² ≤ 1 or None, got {value}")


@dataclass(frozen=True)
class FinalScores:
    """The final weights' scores, in evaluation mode (None: split absent).

    The score is the accuracy for a classification metric and R² for a
    regression one (see :mod:`~trainlab.engine.diagnose.score`); a regression's
    main metric itself (RMSE) comes beside it, for the sentences.

    Args:
        train: the score on the training split (``metrics["train_acc"]``, or
            ``train_r2``).
        val: on the validation split.
        test: on the test split.
        val_examples: the validation split's size (None: unknown), for the
            sampling noise of ``val``.
        metric: the task's main metric (``acc``, ``rmse``, ``digit_acc``).
        train_value: the main metric on the training split when it is not the
            score (``metrics["train_rmse"]``); None for classification.
        val_value: on the validation split.
        test_value: on the test split.

    Example:
        >>> FinalScores(train=0.9, test=0.8).best
        0.9
        >>> round(FinalScores(val=0.9, val_examples=100).val_se, 3)
        0.03
        >>> r = FinalScores(train=0.7, val=0.5, val_examples=50, metric="rmse", val_value=55.2)
        >>> round(r.gap, 3), round(r.val_se, 3)
        (0.2, 0.1)
    """

    train: float | None = None
    val: float | None = None
    test: float | None = None
    val_examples: int | None = None
    metric: str = "acc"
    train_value: float | None = None
    val_value: float | None = None
    test_value: float | None = None

    def __post_init__(self) -> None:
        regression = self.main.regression
        for name in ("train", "val", "test"):
            _score(name, getattr(self, name), regression)
            value = getattr(self, f"{name}_value")
            if value is not None and not math.isfinite(value):
                raise ValueError(f"{name}_value: expected a finite number or None, got {value}")
        if self.val_examples is not None and self.val_examples < 1:
            raise ValueError(
                f"val_examples: expected an integer >= 1 or None, got {self.val_examples}"
            )

    @property
    def main(self) -> MainMetric:
        """The main metric, parsed (what it measures, its target, its score)."""
        return MainMetric(self.metric)

    @property
    def val_se(self) -> float:
        """The standard error of ``val`` (0 when unknown): the binomial √(p(1 − p)/n) of an
        accuracy; for R², (1 − R²)·√(2/n), the standard error of a mean squared error,
        MSE·√(2/n) for normal errors, in units of the targets' variance."""
        if self.val is None or self.val_examples is None:
            return 0.0
        if self.main.regression:
            return (1.0 - self.val) * math.sqrt(2.0 / self.val_examples)
        return math.sqrt(self.val * (1.0 - self.val) / self.val_examples)

    @property
    def gap(self) -> float | None:
        """Training minus validation score (None when either is unknown)."""
        if self.train is None or self.val is None:
            return None
        return self.train - self.val

    @property
    def best(self) -> float | None:
        """The highest of the known scores (None when none is known)."""
        known = [a for a in (self.train, self.val, self.test) if a is not None]
        return max(known) if known else None


#: the final weights' accuracies: :class:`FinalScores` of a classification (its default metric)
FinalAccuracies = FinalScores


@dataclass(frozen=True)
class RecipeFacts:
    """The settings of the recipe that ran, as the remedies read them.

    Every field defaults to "off" (and the recipe defaults for the numbers),
    so a test names only what it needs.

    Args:
        batch_norm: ``model.batch_norm``.
        dropout: ``model.dropout``.
        init: ``init.scheme``, by its canonical name (``he-normal``, ``normal``, …).
        init_std: ``init.std``, shown for ``init.scheme: normal``.
        activation: ``model.activation``.
        widths: ``model.widths``.
        lr: ``optimizer.lr``.
        weight_decay: ``optimizer.weight_decay`` (decoupled L2 decay).
        epochs: ``train.epochs``.
        batch_size: ``train.batch_size``.
        clip_grad_norm: ``train.clip_grad_norm`` (0: off).
        normalize: ``preprocess.normalize``, by its canonical name (``per-frequency``:
            an audio front end standardizes the spectrogram).
        l1: ``regularization.l1``.
        l2: ``regularization.l2``.
        input_noise: ``regularization.input_noise``.
        label_smoothing: ``regularization.label_smoothing``.
        label_flip: ``regularization.label_flip``.
        weight_noise: ``regularization.weight_noise``.
        augment: the names of the recipe's augmentations.
        early_stopping: ``early_stopping.enabled``.
        ensemble: ``ensemble.members``.

    Example:
        >>> RecipeFacts(batch_norm=True, init="he-normal").batch_norm
        True
    """

    batch_norm: bool = False
    dropout: float = 0.0
    init: str = "default"
    init_std: float = 0.1
    activation: str = "relu"
    widths: tuple[int, ...] = ()
    lr: float = 1e-3
    weight_decay: float = 0.0
    epochs: int = 10
    batch_size: int = 128
    clip_grad_norm: float = 0.0
    normalize: str = "standard"
    l1: float = 0.0
    l2: float = 0.0
    input_noise: float = 0.0
    label_smoothing: float = 0.0
    label_flip: float = 0.0
    weight_noise: float = 0.0
    augment: tuple[str, ...] = ()
    early_stopping: bool = False
    ensemble: int = 1

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.batch_size < 1 or self.ensemble < 1:
            raise ValueError(
                "epochs, batch_size and ensemble: expected integers >= 1, got "
                f"{self.epochs}, {self.batch_size}, {self.ensemble}"
            )
        if not (math.isfinite(self.lr) and self.lr > 0):
            raise ValueError(f"lr: expected a number > 0, got {self.lr}")

    @property
    def regularized(self) -> bool:
        """Whether any penalty, noise or dropout is on."""
        return any(v > 0 for _, v in self.regularizers())

    def regularizers(self) -> tuple[tuple[str, float], ...]:
        """Each regularizer's recipe key and value, off ones included, in a fixed order."""
        return (
            ("model.dropout", self.dropout),
            ("regularization.l2", self.l2),
            ("optimizer.weight_decay", self.weight_decay),
            ("regularization.l1", self.l1),
            ("regularization.input_noise", self.input_noise),
            ("regularization.label_smoothing", self.label_smoothing),
            ("regularization.label_flip", self.label_flip),
            ("regularization.weight_noise", self.weight_noise),
        )


@dataclass(frozen=True)
class Budget:
    """How much training a run had, and what guessing would score.

    Args:
        epochs: the epochs run (member 0's).
        examples: training examples per epoch.
        batch_size: examples per optimizer step.
        classes: the number of classes (None: not a classification).
        majority: the most frequent class's share of the training labels
            (None: unknown; then the chance level is ``1 / classes``).

    Example:
        >>> b = Budget(epochs=1, examples=350, batch_size=64, classes=10, majority=0.103)
        >>> b.steps_per_epoch, b.steps, b.chance
        (6, 6, 0.103)
    """

    epochs: int
    examples: int
    batch_size: int
    classes: int | None = None
    majority: float | None = None

    def __post_init__(self) -> None:
        if self.epochs < 0 or self.examples < 0 or self.batch_size < 1:
            raise ValueError(
                "epochs, examples and batch_size: expected integers >= 0, >= 0 and >= 1, got "
                f"{self.epochs}, {self.examples}, {self.batch_size}"
            )
        if self.classes is not None and self.classes < 1:
            raise ValueError(f"classes: expected an integer >= 1 or None, got {self.classes}")
        _fraction("majority", self.majority)

    @property
    def steps_per_epoch(self) -> int:
        """Optimizer steps per epoch: one per batch, the last one possibly short."""
        return math.ceil(self.examples / self.batch_size)

    @property
    def steps(self) -> int:
        """Optimizer steps of the whole run (epochs × batches per epoch)."""
        return self.epochs * self.steps_per_epoch

    @property
    def chance(self) -> float | None:
        """The accuracy of always predicting the most frequent class (None: unknown)."""
        if self.classes is None or self.classes < 2:
            return None
        return max(1.0 / self.classes, self.majority or 0.0)
