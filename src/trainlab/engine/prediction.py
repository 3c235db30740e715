"""Prediction: logits in batches, and the averaged probabilities of ensembles,
Monte-Carlo dropout passes and test-time views, in one place.

The averaged prediction of M members, T Monte-Carlo dropout passes each
(Gal & Ghahramani, 2016; :mod:`trainlab.engine.strategies.mc_dropout`) and V
test-time views of every input (Krizhevsky et al., 2012; the views are
:func:`trainlab.augment.tta.tta_views`) is

    p(y | x) = 1 / (M·V·T) Σ_m Σ_v Σ_t softmax(f_m(view_v(x); mask_t))

the mean of :func:`trainlab.engine.strategies.ensemble.average_probabilities`.
Without dropout passes a model predicts in eval mode, deterministically.

Example:
    >>> import torch
    >>> from torch import nn
    >>> from trainlab.engine.prediction import ensemble_probabilities, probabilities_metrics
    >>> models = [nn.Linear(4, 3), nn.Linear(4, 3)]
    >>> x, y = torch.randn(10, 4), torch.randint(0, 3, (10,))
    >>> probs = ensemble_probabilities(models, x, torch.device("cpu"))
    >>> probs.shape, sorted(probabilities_metrics(probs, y))
    (torch.Size([10, 3]), ['acc', 'loss'])
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from trainlab.augment.tta import tta_views
from trainlab.engine.batch import concat, map_tensors
from trainlab.engine.strategies.ensemble import average_probabilities
from trainlab.engine.strategies.mc_dropout import mc_dropout as mc_dropout_mode

if TYPE_CHECKING:
    from trainlab.engine.tasks import Task


@contextlib.contextmanager
def eval_mode(model: nn.Module) -> Iterator[nn.Module]:
    """``model`` in eval mode within the block; its training flag restored on exit."""
    was_training = model.training
    model.eval()
    try:
        yield model
    finally:
        model.train(was_training)


@torch.no_grad()
def _forward(
    model: nn.Module, x: torch.Tensor, device: torch.device, batch_size: int, amp: bool
) -> torch.Tensor:
    """Float32 outputs of ``model`` (in whatever mode it is) for ``x``, ``batch_size`` at a
    time: a tensor, or ``{task: tensor}`` for a multitask model."""
    out = []
    ctx = torch.autocast("cuda", dtype=torch.bfloat16) if amp else contextlib.nullcontext()
    with ctx:
        for i in range(0, len(x), batch_size):
            out.append(map_tensors(model(x[i : i + batch_size].to(device)), lambda t: t.float()))
    if not out:
        return torch.zeros(0, 0)
    return concat(out)


def predict_logits(
    model: nn.Module,
    x: torch.Tensor,
    device: torch.device,
    batch_size: int = 1024,
    amp: bool = False,
    mc_dropout: bool = False,
) -> torch.Tensor:
    """Float32 logits of ``model`` for every example of ``x``, on ``device``.

    Args:
        model: a classifier, already on ``device``.
        x: the inputs (any device); moved to ``device`` a batch at a time.
        device: where the model runs.
        batch_size: examples per forward pass.
        amp: bfloat16 autocast (CUDA).
        mc_dropout: one Monte-Carlo dropout pass (dropout on, the rest in eval mode);
            otherwise the model predicts in eval mode.

    Example:
        >>> import torch
        >>> from torch import nn
        >>> predict_logits(nn.Linear(4, 2), torch.randn(5, 4), torch.device("cpu"), 2).shape
        torch.Size([5, 2])
    """
    mode = mc_dropout_mode if mc_dropout else eval_mode
    with mode(model):
        return _forward(model, x, device, batch_size, amp)


def ensemble_probabilities(
    models: Sequence[nn.Module],
    x: torch.Tensor,
    device: torch.device,
    *,
    batch_size: int = 1024,
    mc_dropout: int = 0,
    amp: bool = False,
    flip: bool = False,
    shift: int = 0,
) -> torch.Tensor:
    """Averaged class probabilities (N, classes) of ``models`` on ``x``.

    Args:
        models: the ensemble's members (one model is an ensemble of one).
        x: the inputs.
        device: where the models run.
        batch_size: examples per forward pass.
        mc_dropout: T > 0: each model contributes T passes with dropout on, drawn
            from torch's generator of ``device`` (seed it for a repeatable estimate).
        amp: bfloat16 autocast (CUDA).
        flip: add the horizontal mirror of images as a test-time view.
        shift: add copies shifted by ±``shift`` along each spatial axis as test-time views.

    Returns:
        The mean softmax over members × views × passes, in that order of evaluation.

    Example:
        >>> import torch
        >>> from torch import nn
        >>> m = nn.Sequential(nn.Flatten(), nn.Linear(16, 3))
        >>> p = ensemble_probabilities([m], torch.randn(2, 1, 4, 4), torch.device("cpu"), flip=True)
        >>> torch.allclose(p.sum(1), torch.ones(2))
        True
    """
    views = tta_views(x, flip=flip, shift=shift) if flip or shift else [x]
    passes = mc_dropout if mc_dropout > 0 else 1
    logits = []
    for model in models:
        for view in views:
            for _ in range(passes):
                logits.append(
                    predict_logits(model, view, device, batch_size, amp, mc_dropout=mc_dropout > 0)
                )
    return average_probabilities(logits)


def _mean(preds: list[Any]) -> Any:
    """The mean of predictions: tensors, or mappings of tensors (multitask)."""
    if isinstance(preds[0], dict):
        return {k: _mean([p[k] for p in preds]) for k in preds[0]}
    return torch.stack([p.float() for p in preds]).mean(0)


def ensemble_predictions(
    models: Sequence[nn.Module],
    x: torch.Tensor,
    device: torch.device,
    task: Task,
    *,
    batch_size: int = 1024,
    mc_dropout: int = 0,
    amp: bool = False,
    flip: bool = False,
    shift: int = 0,
) -> Any:
    """The task's averaged prediction over members × views × passes (see the module's notes).

    ``x`` is a tensor, or a stream of batches (``set_epoch`` and iteration over
    ``{"x": …}`` mappings) predicted batch by batch. Classification averages the
    softmax probabilities
    (:func:`ensemble_probabilities`); regression averages the predicted values
    in the target's units; multitask learning does either per task.

    Example:
        >>> import torch
        >>> from torch import nn
        >>> from trainlab.engine.tasks import Regression
        >>> task = Regression().fit(torch.tensor([0.0, 2.0]))  # μ = 1, σ = 1
        >>> m = nn.Linear(3, 1)
        >>> with torch.no_grad():
        ...     _ = m.weight.zero_(), m.bias.fill_(0.5)
        >>> ensemble_predictions([m, m], torch.zeros(2, 3), torch.device("cpu"), task).tolist()
        [1.5, 1.5]
    """
    if not isinstance(x, torch.Tensor):  # a stream of batches: predict batch by batch
        x = x.in_order() if hasattr(x, "in_order") else x
        x.set_epoch(0)
        return concat(
            [
                ensemble_predictions(
                    models,
                    b["x"],
                    device,
                    task,
                    batch_size=batch_size,
                    mc_dropout=mc_dropout,
                    amp=amp,
                    flip=flip,
                    shift=shift,
                )
                for b in x
            ]
        )
    if task.kind == "classification":
        return ensemble_probabilities(
            models,
            x,
            device,
            batch_size=batch_size,
            mc_dropout=mc_dropout,
            amp=amp,
            flip=flip,
            shift=shift,
        )
    views = tta_views(x, flip=flip, shift=shift) if flip or shift else [x]
    passes = mc_dropout if mc_dropout > 0 else 1
    task = task.to(device)
    preds = []
    for model in models:
        for view in views:
            for _ in range(passes):
                out = predict_logits(
                    model, view, device, batch_size, amp, mc_dropout=mc_dropout > 0
                )
                preds.append(task.predict(out))
    return _mean(preds)


def probabilities_metrics(probs: torch.Tensor, y: torch.Tensor) -> dict[str, float]:
    """Negative log-likelihood and accuracy of predicted probabilities ``probs`` (N, classes).

    Example:
        >>> import torch
        >>> probabilities_metrics(torch.tensor([[0.5, 0.5], [0.0, 1.0]]), torch.tensor([0, 1]))
        {'loss': 0.3465735912322998, 'acc': 1.0}
    """
    y = y.to(probs.device)
    nll = -torch.log(probs.gather(1, y[:, None]).clamp_min(1e-12)).mean()
    return {"loss": nll.item(), "acc": (probs.argmax(1) == y).float().mean().item()}
