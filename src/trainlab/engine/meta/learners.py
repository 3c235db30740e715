"""The meta-learners a recipe names (``meta.method``), one class each, in :data:`LEARNERS`.

A learner trains a model on a list of episodes (:meth:`MetaLearner.train_step`)
and scores it on one episode (:meth:`MetaLearner.episode_accuracy`):

- :class:`ProtoNet`: nearest prototype in the model's embedding (Snell et al., 2017);
- :class:`Maml`: the whole model adapted to the support set by a few gradient
  steps, second or first order (Finn et al., 2017); batch norm on each batch's
  own statistics at test time, as in the paper's code (transductive);
- :class:`Finetune`: no episodic training (the model is trained on the training
  classes first); a new linear head fitted to each support set (Chen et al., 2019).

Example:
    >>> import numpy as np, torch
    >>> from torch import nn
    >>> from trainlab.data.episodes import EpisodeSampler
    >>> from trainlab.engine.meta.learners import build_learner
    >>> x = torch.cat([torch.zeros(10, 2), torch.ones(10, 2)])
    >>> sampler = EpisodeSampler(np.repeat([0, 1], 10), (0, 1), n_way=2, k_shot=1, query=3)
    >>> learner = build_learner("protonet")
    >>> learner.episode_accuracy(nn.Identity(), x, sampler.episode(0))
    1.0
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.func import functional_call

from trainlab.data.episodes import Episode
from trainlab.engine.meta.finetune import finetune_logits
from trainlab.engine.meta.maml import maml_step, parameters_of
from trainlab.engine.meta.protonet import embedding_of, episode_logits, protonet_step


def _support_query(x: torch.Tensor, e: Episode, device: torch.device) -> tuple[torch.Tensor, ...]:
    xs = x[torch.from_numpy(e.support)].to(device)
    xq = x[torch.from_numpy(e.query)].to(device)
    ys = torch.from_numpy(e.support_labels).to(device)
    yq = torch.from_numpy(e.query_labels).to(device)
    return xs, ys, xq, yq


def _device(model: nn.Module) -> torch.device:
    return next(iter(model.parameters()), torch.zeros(())).device


def _accuracy(logits: torch.Tensor, target: torch.Tensor) -> float:
    return float((logits.argmax(1) == target).float().mean())


@contextlib.contextmanager
def _batch_statistics(model: nn.Module) -> Iterator[None]:
    """Batch norm normalises by the batch's own statistics inside the block, as MAML's
    reference code does at test time too (the inner loop adapts to a few examples whose
    statistics the running averages of meta-training do not describe); dropout stays off."""
    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    modes = [m.training for m in norms]
    for m in norms:
        m.train()
    try:
        yield
    finally:
        for m, mode in zip(norms, modes, strict=True):
            m.train(mode)


class MetaLearner:
    """What a meta-learning method does with a model and episodes."""

    #: trains on episodes (False: the model is trained on the training classes beforehand)
    episodic: bool = True

    def train_step(
        self, model: nn.Module, optimizer: torch.optim.Optimizer, x: torch.Tensor, episodes
    ) -> tuple[float, float]:
        """One optimizer step on ``episodes``; their mean query loss and accuracy."""
        raise NotImplementedError

    def prepare(self, model: nn.Module, train_x: torch.Tensor) -> None:
        """Called before an evaluation, with the training pool (e.g. CL2N's centre)."""

    def episode_accuracy(self, model: nn.Module, x: torch.Tensor, episode: Episode) -> float:
        """The query accuracy of the model on one episode (eval mode is the caller's)."""
        raise NotImplementedError


@dataclass
class ProtoNet(MetaLearner):
    """Prototypical Networks (Snell et al., 2017), optionally with SimpleShot's CL2N."""

    cl2n: bool = False
    center: torch.Tensor | None = None

    def train_step(self, model, optimizer, x, episodes):
        steps = [protonet_step(embedding_of(model), optimizer, x, e) for e in episodes]
        return float(np.mean([s.loss for s in steps])), float(np.mean([s.accuracy for s in steps]))

    @torch.no_grad()
    def prepare(self, model, train_x):
        if not self.cl2n:
            return
        embed, device = embedding_of(model), _device(model)
        idx = torch.randperm(len(train_x), generator=torch.Generator().manual_seed(0))[:2000]
        z = torch.cat(
            [embed(train_x[idx[i : i + 500]].to(device)) for i in range(0, len(idx), 500)]
        )
        self.center = z.mean(0)

    @torch.no_grad()
    def episode_accuracy(self, model, x, episode):
        logits = episode_logits(
            embedding_of(model), x, episode, center=self.center, normalize=self.cl2n
        )
        target = torch.from_numpy(episode.query_labels).to(logits.device)
        return _accuracy(logits, target)


@dataclass
class Maml(MetaLearner):
    """MAML (Finn et al., 2017): second order, or first order (``first_order``)."""

    first_order: bool = False
    inner_lr: float = 0.4
    inner_steps: int = 1
    test_inner_steps: int = 3

    def train_step(self, model, optimizer, x, episodes):
        device = _device(model)
        tasks = [_support_query(x, e, device) for e in episodes]
        step = maml_step(
            model,
            optimizer,
            tasks,
            F.cross_entropy,
            inner_lr=self.inner_lr,
            steps=self.inner_steps,
            first_order=self.first_order,
        )
        return step.loss, float("nan")  # (the adapted queries' accuracy is not kept)

    def episode_accuracy(self, model, x, episode):
        with _batch_statistics(model):
            return self._adapted_accuracy(model, x, episode)

    def _adapted_accuracy(self, model, x, episode):
        xs, ys, xq, yq = _support_query(x, episode, _device(model))
        # the module's own buffers stay as they are: each episode works on copies
        buffers = {n: b.clone() for n, b in model.named_buffers()}
        params = parameters_of(model)

        def loss(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
            return F.cross_entropy(out, y)

        def call(p: dict[str, torch.Tensor], inputs: torch.Tensor) -> torch.Tensor:
            return functional_call(model, {**p, **buffers}, (inputs,))

        with torch.enable_grad():
            fast = params
            for _ in range(self.test_inner_steps):
                out = call(fast, xs)
                grads = torch.autograd.grad(loss(out, ys), list(fast.values()), allow_unused=True)
                fast = {
                    n: p if g is None else (p - self.inner_lr * g).detach().requires_grad_()
                    for (n, p), g in zip(fast.items(), grads, strict=True)
                }
        with torch.no_grad():
            return _accuracy(call(fast, xq), yq)


@dataclass
class Finetune(MetaLearner):
    """The baseline of Chen et al. (2019): frozen features, a new linear head per episode."""

    steps: int = 100
    lr: float = 0.01
    episodic = False

    def train_step(self, model, optimizer, x, episodes):
        raise TypeError("finetune trains the model on the training classes, not on episodes")

    @torch.no_grad()
    def episode_accuracy(self, model, x, episode):
        xs, ys, xq, yq = _support_query(x, episode, _device(model))
        embed = embedding_of(model)
        logits = finetune_logits(
            embed(xs), ys, embed(xq), len(episode.classes), steps=self.steps, lr=self.lr
        )
        return _accuracy(logits, yq)


#: meta.method → a factory taking the options it uses (others are ignored)
LEARNERS: dict[str, Callable[..., MetaLearner]] = {
    "protonet": lambda cl2n=False, **_: ProtoNet(cl2n=cl2n),
    "maml": lambda inner_lr=0.4, inner_steps=1, test_inner_steps=3, **_: Maml(
        False, inner_lr, inner_steps, test_inner_steps
    ),
    "fomaml": lambda inner_lr=0.4, inner_steps=1, test_inner_steps=3, **_: Maml(
        True, inner_lr, inner_steps, test_inner_steps
    ),
    "finetune": lambda finetune_steps=100, finetune_lr=0.01, **_: Finetune(
        finetune_steps, finetune_lr
    ),
}


def build_learner(method: str, **options) -> MetaLearner:
    """The learner of ``method`` (a key of :data:`LEARNERS`) with the options it takes."""
    if method not in LEARNERS:
        raise KeyError(
            f"unknown meta-learning method {method!r}; expected one of {sorted(LEARNERS)}"
        )
    return LEARNERS[method](**options)
