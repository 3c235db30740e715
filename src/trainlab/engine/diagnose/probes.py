"""Activation and gradient statistics per layer, at initialization and during training.

The lecture's weight-initialization slides say that N(0, 0.01) works in small
networks but that in deep ones the activations tend to 0, and that N(0, 1)
saturates the neurons so that the gradients become 0. Glorot & Bengio (2010)
diagnosed exactly this by watching, layer by layer, the distribution of the
activations and of the back-propagated gradients; their normalized
initialization keeps both roughly constant across layers for symmetric
activations (tanh), and He et al. (2015) double the variance for ReLU, which
zeroes half of its inputs. This module measures the same quantities on a fixed
probe batch:

- ``act_mean``, ``act_std``: moments of a layer's output activations;
- ``dead``: fraction of units (features, or channels of a convolution) that
  never activate: output ≤ 0 for every example (and position) of the batch
  after a ReLU-like activation, exactly 0 everywhere after any other;
- ``saturated``: fraction of activation values in the flat tails, |a| > 0.99
  after tanh, a < 0.01 or a > 0.99 after the logistic sigmoid (0 otherwise);
- ``grad_norm``: ‖∂L/∂W‖₂ of the layer's Linear/Conv weight W, with L the
  task's loss of the probe batch (by default the mean cross-entropy; a task's
  ``loss``, e.g. a regression's or a multitask run's, may be given instead);
- ``weight_std``: standard deviation of W.

References:
    X. Glorot and Y. Bengio. Understanding the difficulty of training deep
    feedforward neural networks. AISTATS 2010.

    K. He, X. Zhang, S. Ren and J. Sun. Delving deep into rectifiers:
    surpassing human-level performance on ImageNet classification. ICCV 2015.

Example:
    >>> import torch
    >>> from trainlab.engine.diagnose.probes import layer_statistics
    >>> from trainlab.models import MLP
    >>> _ = torch.manual_seed(0)
    >>> model = MLP((8,), 3, widths=[16, 16], activation="tanh")
    >>> stats = layer_statistics(model, torch.randn(32, 8), torch.randint(0, 3, (32,)))
    >>> [s["name"] for s in stats]
    ['stage1.2', 'stage2.1', 'head']
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch
import torch.nn.functional as F
from torch import nn

from trainlab.engine.callbacks import Callback

if TYPE_CHECKING:
    from trainlab.engine.loop import Trainer

#: the activation modules probed by default
ACTIVATIONS: tuple[type[nn.Module], ...] = (
    nn.ReLU,
    nn.LeakyReLU,
    nn.ELU,
    nn.GELU,
    nn.SiLU,
    nn.Tanh,
    nn.Sigmoid,
)
#: activations whose "dead" units are those with output ≤ 0 everywhere
RELU_LIKE: tuple[type[nn.Module], ...] = (
    nn.ReLU,
    nn.ReLU6,
    nn.LeakyReLU,
    nn.ELU,
    nn.GELU,
    nn.SiLU,
)
#: the layers whose weight gives ``grad_norm`` and ``weight_std``
WEIGHT_LAYERS: tuple[type[nn.Module], ...] = (
    nn.Linear,
    nn.Conv1d,
    nn.Conv2d,
    nn.Conv3d,
    nn.ConvTranspose1d,
    nn.ConvTranspose2d,
    nn.ConvTranspose3d,
)
#: statistics recorded for each probed layer, besides its name
STAT_KEYS = ("act_mean", "act_std", "dead", "saturated", "grad_norm", "weight_std")

#: a loss of the model's outputs against the targets: (outputs, targets) → scalar tensor;
#: outputs and targets are tensors, or mappings {target name: tensor} for multitask learning
Loss = Callable[[Any, Any], torch.Tensor]


def cross_entropy(outputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The default probe loss: the mean cross-entropy of logits (in float32) and class labels.

    Example:
        >>> round(cross_entropy(torch.zeros(2, 4), torch.tensor([0, 3])).item(), 4)  # log 4
        1.3863
    """
    return F.cross_entropy(outputs.float(), targets)


def to_device(targets: Any, device: torch.device) -> Any:
    """Targets (a tensor, or a mapping of tensors) on ``device``.

    Example:
        >>> to_device({"digit": torch.zeros(2)}, torch.device("cpu"))["digit"].device.type
        'cpu'
    """
    if isinstance(targets, Mapping):
        return {k: v.to(device) for k, v in targets.items()}
    return targets.to(device)


def examples(targets: Any) -> int:
    """The number of examples of targets (a tensor, or a mapping of tensors of one length)."""
    if isinstance(targets, Mapping):
        sizes = {len(v) for v in targets.values()}
        if len(sizes) != 1:
            raise ValueError(f"targets: expected one length for every target, got {sorted(sizes)}")
        return sizes.pop()
    return len(targets)


@dataclass
class _Probe:
    """One probed layer: its output module, its weight layer, its activation kind."""

    name: str
    module: nn.Module
    weight_layer: nn.Module | None
    kind: str  # "relu", "tanh", "sigmoid" or "other"


def _kind(module: nn.Module | None) -> str:
    if isinstance(module, nn.Tanh):
        return "tanh"
    if isinstance(module, nn.Sigmoid):
        return "sigmoid"
    if isinstance(module, RELU_LIKE):
        return "relu"
    return "other"


def _last(module: nn.Module, types: tuple[type[nn.Module], ...]) -> nn.Module | None:
    """The last submodule of ``module`` (itself included) that is one of ``types``."""
    found = None
    for m in module.modules():
        if isinstance(m, types):
            found = m
    return found


def _activation_probes(prefix: str, container: nn.Module) -> Iterator[_Probe]:
    """Each activation of ``container``, paired with the nearest preceding weight layer."""
    weight_layer: nn.Module | None = None
    for path, m in container.named_modules():
        if isinstance(m, WEIGHT_LAYERS):
            weight_layer = m
        elif isinstance(m, ACTIVATIONS):
            name = ".".join(p for p in (prefix, path) if p)
            yield _Probe(name or type(m).__name__.lower(), m, weight_layer, _kind(m))


def default_probes(model: nn.Module) -> list[_Probe]:
    """The layers :func:`layer_statistics` probes when none are given.

    Every activation inside ``model.stages`` (or inside the whole model when it
    has no stages), named ``"<stage>.<index>"``, then the logits as ``"head"``;
    a multitask model's heads (a mapping of modules, one per task) each as
    ``"head.<task>"``.
    """
    probes: list[_Probe] = []
    stages = getattr(model, "stages", None)
    if isinstance(stages, nn.Module):
        for stage_name, stage in stages.named_children():
            probes.extend(_activation_probes(stage_name, stage))
    else:
        probes.extend(_activation_probes("", model))
    head = getattr(model, "head", None)
    head = head if isinstance(head, nn.Module) else model
    if isinstance(head, nn.ModuleDict):
        for task, h in head.items():
            probes.append(_Probe(f"head.{task}", h, _last(h, WEIGHT_LAYERS), "other"))
    else:
        probes.append(_Probe("head", head, _last(head, WEIGHT_LAYERS), "other"))
    return probes


def _user_probes(layers: Sequence[tuple[str, nn.Module]]) -> list[_Probe]:
    """Probes for explicit ``(name, module)`` pairs: a module's last weight and activation."""
    return [
        _Probe(name, m, _last(m, WEIGHT_LAYERS), _kind(_last(m, ACTIVATIONS + RELU_LIKE)))
        for name, m in layers
    ]


def _activation_stats(out: torch.Tensor, kind: str) -> torch.Tensor:
    """(act_mean, act_std, dead, saturated) of one output, as a float32 tensor of 4."""
    a = out.detach().float()
    if a.dim() == 0:
        a = a.reshape(1, 1)
    elif a.dim() == 1:  # (N,): one unit
        a = a.unsqueeze(1)
    # units along axis 1 (features or channels), every example and position per unit
    units = a.transpose(0, 1).reshape(a.shape[1], -1)  # (C, N·positions)
    active = units > 0 if kind == "relu" else units != 0
    dead = 1.0 - active.any(dim=1).float().mean()
    if kind == "tanh":
        saturated = (a.abs() > 0.99).float().mean()
    elif kind == "sigmoid":
        saturated = ((a < 0.01) | (a > 0.99)).float().mean()
    else:
        saturated = torch.zeros((), device=a.device)
    std = a.std() if a.numel() > 1 else torch.zeros((), device=a.device)
    return torch.stack([a.mean(), std, dead, saturated])


def layer_statistics(
    model: nn.Module,
    x: torch.Tensor,
    y: Any,
    *,
    layers: list[tuple[str, nn.Module]] | None = None,
    loss: Loss | None = None,
) -> list[dict]:
    """Activation and gradient statistics of each layer on one batch.

    One forward and one backward pass of the loss of ``(x, y)`` (by default the
    mean cross-entropy) run in eval mode (dropout off, batch norm on its running statistics) with
    gradients enabled. The model's mode is restored and the parameters' ``.grad``
    are left untouched (gradients are taken with :func:`torch.autograd.grad`),
    so probing in the middle of training changes nothing.

    Args:
        model: a model mapping ``x`` to outputs (a tensor, or {target: tensor}),
            usually a ``StagedModel``.
        x: a probe batch; moved to the model's device.
        y: its targets: integer class labels by default, or what ``loss`` takes
            (a mapping {target name: tensor} for multitask learning).
        layers: ``(name, module)`` pairs to probe; each module's output is
            measured and its last Linear/Conv gives ``grad_norm`` and
            ``weight_std``. By default every activation of ``model.stages``
            (``"stage3.2"``: child 2 of stage ``stage3``), paired with the
            nearest preceding Linear/Conv of its stage, then the logits
            (``"head"``, with the head's last Linear).
        loss: ``(outputs, targets) → scalar``, whose gradient gives ``grad_norm``,
            e.g. a task's ``loss``; None: :func:`cross_entropy`.

    Returns:
        One dict per probed layer, in forward order: ``name`` and the floats
        ``act_mean``, ``act_std``, ``dead``, ``saturated``, ``grad_norm`` and
        ``weight_std`` (the last two None when the layer has no weight; a
        layer whose output was not computed is left out).

    Example:
        >>> import torch
        >>> from torch import nn
        >>> from trainlab.engine.diagnose.probes import layer_statistics
        >>> net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2))
        >>> with torch.no_grad():
        ...     _ = net[0].weight.fill_(1.0)
        ...     _ = net[0].bias.copy_(torch.tensor([0.0, -10.0, -10.0]))
        >>> stats = layer_statistics(net, torch.ones(4, 2), torch.zeros(4, dtype=torch.long))
        >>> [(s["name"], round(s["dead"], 3)) for s in stats]
        [('1', 0.667), ('head', 0.0)]
    """
    probes = default_probes(model) if layers is None else _user_probes(layers)
    param = next(model.parameters(), None)
    device = param.device if param is not None else x.device
    weights = _probe_weights(probes)
    lossfn = cross_entropy if loss is None else loss
    outputs, grads = _hooked_pass(
        model, probes, weights, x.to(device), to_device(y, device), lossfn
    )
    return _statistics_rows(probes, outputs, weights, grads, device)


def _probe_weights(probes: Sequence[_Probe]) -> list[nn.Parameter]:
    """The distinct weights of the probes' weight layers, in probe order."""
    weights: list[nn.Parameter] = []
    for p in probes:
        w = getattr(p.weight_layer, "weight", None)
        if isinstance(w, torch.Tensor) and all(w is not v for v in weights):
            weights.append(w)
    return weights


def _hooked_pass(
    model: nn.Module,
    probes: Sequence[_Probe],
    weights: list[nn.Parameter],
    x: torch.Tensor,
    y: Any,
    lossfn: Loss,
) -> tuple[dict[int, torch.Tensor], Sequence[torch.Tensor | None]]:
    """One eval-mode forward and backward: activation statistics per probe, weight gradients.

    Frozen weights get ``requires_grad`` for the pass only; hooks, gradient flags and
    every module's training mode are restored, and no ``.grad`` is written.
    """
    outputs: dict[int, torch.Tensor] = {}  # probe index → (act_mean, act_std, dead, saturated)

    def make_hook(i: int, kind: str) -> Callable[..., None]:
        def hook(module: nn.Module, inputs: Any, output: Any) -> None:
            if isinstance(output, torch.Tensor) and i not in outputs:
                outputs[i] = _activation_stats(output, kind)

        return hook

    frozen = [w for w in weights if not w.requires_grad]
    modes = [(m, m.training) for m in model.modules()]  # kept per module (e.g. frozen BN)
    handles = []
    try:
        for i, p in enumerate(probes):
            handles.append(p.module.register_forward_hook(make_hook(i, p.kind)))
        for w in frozen:
            w.requires_grad_(True)
        model.eval()
        with torch.enable_grad():
            loss = lossfn(model(x), y)
            grads = torch.autograd.grad(loss, weights, allow_unused=True) if weights else ()
    finally:
        for h in handles:
            h.remove()
        for w in frozen:
            w.requires_grad_(False)
        for m, training in modes:
            m.training = training
    return outputs, grads


def _statistics_rows(
    probes: Sequence[_Probe],
    outputs: dict[int, torch.Tensor],
    weights: list[nn.Parameter],
    grads: Sequence[torch.Tensor | None],
    device: torch.device,
) -> list[dict]:
    """One dict per probe whose output was computed, read back in one transfer."""
    with torch.no_grad():
        grad_norm = {
            id(w): (g.float().norm() if g is not None else torch.zeros((), device=w.device))
            for w, g in zip(weights, grads, strict=True)
        }
        weight_std = {id(w): w.detach().float().std() for w in weights}
        rows: list[torch.Tensor] = []
        kept: list[tuple[_Probe, bool]] = []
        nan = torch.full((), math.nan, device=device)
        for i, p in enumerate(probes):
            if i not in outputs:
                continue
            w = getattr(p.weight_layer, "weight", None)
            has_w = isinstance(w, torch.Tensor) and id(w) in grad_norm
            extra = [grad_norm[id(w)], weight_std[id(w)]] if has_w else [nan, nan]
            rows.append(torch.cat([outputs[i].to(device), torch.stack(extra).to(device)]))
            kept.append((p, has_w))
        values = torch.stack(rows).cpu().tolist() if rows else []  # one transfer
    stats = []
    for (p, has_w), row in zip(kept, values, strict=True):
        entry: dict[str, Any] = {"name": p.name}
        for key, v in zip(STAT_KEYS, row, strict=True):
            entry[key] = float(v)
        if not has_w:
            entry["grad_norm"] = entry["weight_std"] = None
        stats.append(entry)
    return stats


class ActivationProbe(Callback):
    """Records :func:`layer_statistics` of a fixed probe batch during training.

    At the start of a fit with nothing recorded yet, the statistics at
    initialization are recorded as epoch ``trainer.epoch`` (0 on a fresh run; a
    resumed run whose records were restored records nothing then), and then at
    the end of every ``every``-th epoch. The probe runs in eval mode and leaves
    gradients, modes and random streams alone, so training is unchanged.

    Args:
        x: the probe batch, e.g. 256 training examples; moved lazily to
            ``trainer.device``.
        y: its targets: integer class labels by default, or what ``loss`` takes
            (a mapping {target name: tensor} for multitask learning).
        every: record every this many epochs.
        loss: ``(outputs, targets) → scalar`` for the gradients, e.g. the task's
            ``loss``; None: the mean cross-entropy.

    Attributes:
        records: ``[{"epoch": int, "layers": [layer statistics, ...]}, ...]``.

    Example:
        >>> import torch
        >>> from trainlab.engine.diagnose.probes import ActivationProbe
        >>> from trainlab.models import MLP
        >>> from trainlab.engine.loop import Trainer
        >>> x, y = torch.randn(64, 4), torch.randint(0, 2, (64,))
        >>> model = MLP((4,), 2, widths=[8])
        >>> probe = ActivationProbe(x[:32], y[:32])
        >>> opt = torch.optim.SGD(model.parameters(), lr=0.1)
        >>> _ = Trainer(model, opt, epochs=2, callbacks=[probe], progress=False).fit((x, y))
        >>> [r["epoch"] for r in probe.records]
        [0, 1, 2]
    """

    def __init__(
        self, x: torch.Tensor, y: Any, every: int = 1, *, loss: Loss | None = None
    ) -> None:
        if every < 1:
            raise ValueError(f"ActivationProbe: every must be a positive integer, got {every}")
        n = examples(y)
        if len(x) != n:
            raise ValueError(
                f"ActivationProbe: x and y must have as many examples, got {len(x)} and {n}"
            )
        self.x = x
        self.y = y
        self.every = int(every)
        self.loss = loss
        self.records: list[dict[str, Any]] = []
        self._on: tuple[torch.device, torch.Tensor, Any] | None = None

    def _batch(self, device: torch.device) -> tuple[torch.Tensor, Any]:
        if self._on is None or self._on[0] != device:
            self._on = (device, self.x.to(device), to_device(self.y, device))
        return self._on[1], self._on[2]

    def record(self, trainer: Trainer, epoch: int) -> None:
        """Append the statistics of ``trainer.model`` now, labelled ``epoch``."""
        x, y = self._batch(trainer.device)
        layers = layer_statistics(trainer.model, x, y, loss=self.loss)
        self.records.append({"epoch": int(epoch), "layers": layers})

    def on_fit_start(self, trainer: Trainer) -> None:
        if not self.records:
            self.record(trainer, trainer.epoch)

    def on_epoch_end(self, trainer: Trainer, epoch: int, logs: dict[str, float]) -> None:
        if epoch % self.every == 0:
            self.record(trainer, epoch)

    def state_dict(self) -> dict[str, Any]:
        return {"records": json.loads(json.dumps(self.records))}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.records = json.loads(json.dumps(list(state.get("records", []))))

    def to_json(self, indent: int | None = None) -> str:
        """The records as a JSON string."""
        return json.dumps(self.records, indent=indent)
