"""Prototypical Networks (Snell et al., 2017, "Prototypical Networks for Few-shot Learning").

An embedding network ``f`` maps every example to a vector; the prototype of a
class is the mean embedding of its support examples,
``c_k = 1/|S_k| Σ_{x ∈ S_k} f(x)``, and a query is scored by its negative
squared euclidean distance to each prototype, ``logit_k = -‖f(q) - c_k‖²``.
Training minimises the cross-entropy of the query labels over episodes;
testing reports the mean accuracy over many test episodes with its 95%
interval, ``1.96 · std / √n``, as the few-shot papers report it.

Optionally the embeddings are centred by a reference mean and L2-normalised
before the distances are taken ("CL2N": Wang et al., 2019, "SimpleShot:
Revisiting Nearest-Neighbor Classification for Few-Shot Learning"), which
helps most in 1-shot episodes.

Example:
    >>> import torch
    >>> from trainlab.engine.meta.protonet import prototypes, prototype_logits
    >>> emb = torch.tensor([[0.0, 0.0], [2.0, 0.0], [0.0, 4.0], [0.0, 6.0]])
    >>> protos = prototypes(emb, torch.tensor([0, 0, 1, 1]), 2)
    >>> protos.tolist()
    [[1.0, 0.0], [0.0, 5.0]]
    >>> prototype_logits(torch.tensor([[1.0, 1.0]]), protos).tolist()
    [[-1.0, -17.0]]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from trainlab.data.episodes import Episode, EpisodeSampler
from trainlab.models import StagedModel


class StageEmbedding(nn.Module):
    """The stages of a :class:`StagedModel` (its head left out) as a flat embedding.

    Example:
        >>> import torch
        >>> from torch import nn
        >>> m = StagedModel([("s1", nn.Conv2d(1, 4, 3)), ("s2", nn.ReLU())], nn.Identity())
        >>> StageEmbedding(m)(torch.zeros(2, 1, 5, 5)).shape
        torch.Size([2, 36])
    """

    def __init__(self, model: StagedModel) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model.forward_features(x).flatten(1)


def embedding_of(model: nn.Module) -> nn.Module:
    """The embedding network of ``model``: a staged model's stages, else the module itself."""
    return StageEmbedding(model) if isinstance(model, StagedModel) else model


def prototypes(embeddings: torch.Tensor, labels: torch.Tensor, n_way: int) -> torch.Tensor:
    """``(N, D)`` mean embedding of each label 0..N-1 of ``(S, D)`` support embeddings."""
    one_hot = F.one_hot(labels, n_way).to(embeddings.dtype)  # (S, N)
    return (one_hot.T @ embeddings) / one_hot.sum(0).unsqueeze(1)


def prototype_logits(queries: torch.Tensor, protos: torch.Tensor) -> torch.Tensor:
    """``(Q, N)`` minus squared euclidean distances of queries (Q, D) to prototypes (N, D)."""
    return -(queries.unsqueeze(1) - protos.unsqueeze(0)).pow(2).sum(-1)


def cl2n(embeddings: torch.Tensor, center: torch.Tensor | None) -> torch.Tensor:
    """Embeddings minus ``center`` (when given), scaled to unit L2 norm (SimpleShot's CL2N)."""
    if center is not None:
        embeddings = embeddings - center
    return F.normalize(embeddings, dim=-1)


def episode_logits(
    embed: nn.Module,
    x: torch.Tensor,
    episode: Episode,
    *,
    center: torch.Tensor | None = None,
    normalize: bool = False,
) -> torch.Tensor:
    """``(N*Q, N)`` logits of an episode's queries, ``x`` being the pool its indices point into."""
    device = next(iter(embed.parameters()), x).device
    idx = torch.from_numpy(np.concatenate([episode.support, episode.query]))
    batch = x[idx].to(device, non_blocking=True)
    z = embed(batch)
    if normalize:
        z = cl2n(z, center)
    s = len(episode.support)
    labels = torch.from_numpy(episode.support_labels).to(z.device)
    return prototype_logits(z[s:], prototypes(z[:s], labels, len(episode.classes)))


@dataclass(frozen=True)
class StepResult:
    """The query loss and accuracy of one training episode."""

    loss: float
    accuracy: float


def protonet_step(
    embed: nn.Module,
    optimizer: torch.optim.Optimizer,
    x: torch.Tensor,
    episode: Episode,
    *,
    augment: Callable[[torch.Tensor], torch.Tensor] | None = None,
) -> StepResult:
    """One training step of a Prototypical Network on one episode (cross-entropy on the queries).

    Args:
        embed: the embedding network (put in training mode here).
        optimizer: over ``embed``'s parameters.
        x: the pool of examples the episode's indices point into.
        episode: the task.
        augment: applied to the episode's examples (support and query) before embedding.
    """
    embed.train()
    source = x
    if augment is not None:
        idx = np.concatenate([episode.support, episode.query])
        source = augment(x[torch.from_numpy(idx)])
        n = len(episode.support)
        episode = Episode(
            episode.index,
            episode.classes,
            np.arange(n),
            episode.support_labels,
            np.arange(n, len(idx)),
            episode.query_labels,
        )
    logits = episode_logits(embed, source, episode)
    target = torch.from_numpy(episode.query_labels).to(logits.device)
    loss = F.cross_entropy(logits, target)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    accuracy = (logits.argmax(1) == target).float().mean()
    return StepResult(float(loss.detach()), float(accuracy))


@dataclass(frozen=True)
class EpisodeEvaluation:
    """Accuracy over test episodes.

    Attributes:
        mean: the mean query accuracy.
        ci95: half-width of its 95% interval, ``1.96 · std / √n`` (population std).
        accuracies: the accuracy of each episode, in episode order.
    """

    mean: float
    ci95: float
    accuracies: tuple[float, ...]

    @property
    def episodes(self) -> int:
        return len(self.accuracies)

    @staticmethod
    def of(accuracies: Sequence[float]) -> EpisodeEvaluation:
        """The evaluation of these per-episode accuracies.

        Example:
            >>> r = EpisodeEvaluation.of([0.5, 0.7, 0.6, 0.6])
            >>> round(r.mean, 3), round(r.ci95, 4), r.episodes
            (0.6, 0.0693, 4)
        """
        a = np.asarray(accuracies, dtype=np.float64)
        ci = 1.96 * a.std() / math.sqrt(len(a)) if len(a) else float("nan")
        return EpisodeEvaluation(float(a.mean()), float(ci), tuple(float(v) for v in a))


@torch.no_grad()
def evaluate_episodes(
    embed: nn.Module,
    x: torch.Tensor,
    sampler: EpisodeSampler,
    episodes: int,
    *,
    start: int = 0,
    center: torch.Tensor | None = None,
    normalize: bool = False,
) -> EpisodeEvaluation:
    """Mean query accuracy of nearest-prototype classification over ``episodes`` test episodes.

    Args:
        embed: the embedding network (evaluated in eval mode; its mode is restored).
        x: the pool of examples the sampler's indices point into.
        sampler: draws the test episodes ``start .. start + episodes - 1``.
        episodes: how many.
        center: the mean embedding subtracted under ``normalize`` (e.g. of the
            training classes); None: no centring.
        normalize: L2-normalise the (centred) embeddings first (SimpleShot's CL2N).
    """
    was_training = embed.training
    embed.eval()
    try:
        accs = []
        for i in range(start, start + episodes):
            e = sampler.episode(i)
            logits = episode_logits(embed, x, e, center=center, normalize=normalize)
            target = torch.from_numpy(e.query_labels).to(logits.device)
            accs.append(float((logits.argmax(1) == target).float().mean()))
    finally:
        embed.train(was_training)
    return EpisodeEvaluation.of(accs)
