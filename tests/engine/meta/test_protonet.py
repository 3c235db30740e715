"""Prototypical Networks: logits against numpy, a training step that learns, the 95% interval."""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from trainlab.data.episodes import EpisodeSampler
from trainlab.engine.meta import (
    EpisodeEvaluation,
    embedding_of,
    evaluate_episodes,
    protonet_step,
    prototype_logits,
    prototypes,
)
from trainlab.engine.meta.protonet import episode_logits
from trainlab.models import StagedModel


def test_logits_match_numpy() -> None:
    rng = np.random.default_rng(0)
    support, labels = rng.normal(size=(12, 5)), np.repeat(np.arange(4), 3)
    queries = rng.normal(size=(7, 5))
    protos = np.stack([support[labels == k].mean(0) for k in range(4)])
    expected = -np.array([[np.sum((q - p) ** 2) for p in protos] for q in queries])
    t = torch.from_numpy
    got_protos = prototypes(t(support), t(labels), 4)
    np.testing.assert_allclose(got_protos.numpy(), protos, rtol=1e-12)
    np.testing.assert_allclose(
        prototype_logits(t(queries), got_protos).numpy(), expected, rtol=1e-12
    )


def test_episode_logits_use_the_episode_indices() -> None:
    labels = np.repeat(np.arange(3), 4)
    x = torch.randn(12, 2, dtype=torch.float64)
    e = EpisodeSampler(labels, range(3), n_way=3, k_shot=2, query=2, seed=3).episode(0)
    logits = episode_logits(nn.Identity(), x, e)
    xs, xq = x[e.support].numpy(), x[e.query].numpy()
    protos = np.stack([xs[e.support_labels == k].mean(0) for k in range(3)])
    expected = -((xq[:, None] - protos[None]) ** 2).sum(-1)
    np.testing.assert_allclose(logits.numpy(), expected, rtol=1e-12)


def test_staged_model_embeds_through_its_stages() -> None:
    m = StagedModel([("s1", nn.Linear(3, 4))], nn.Linear(4, 2))
    x = torch.randn(5, 3)
    torch.testing.assert_close(embedding_of(m)(x), m.stages(x))
    plain = nn.Linear(3, 2)
    assert embedding_of(plain) is plain


def _blobs(n_classes: int = 8, per: int = 20, dim: int = 16, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(n_classes, dim, generator=g) * 1.5
    x = centers.repeat_interleave(per, 0) + torch.randn(n_classes * per, dim, generator=g)
    return x, np.repeat(np.arange(n_classes), per)


def test_training_raises_test_accuracy_on_unseen_classes() -> None:
    torch.manual_seed(0)
    x, y = _blobs()
    # the informative directions are mixed into noisy ones; a learnt projection helps
    train = EpisodeSampler(y, range(5), n_way=3, k_shot=1, query=5, seed=0)
    test = EpisodeSampler(y, range(5, 8), n_way=3, k_shot=1, query=5, seed=1)
    noise = torch.randn(len(x), 48, generator=torch.Generator().manual_seed(1)) * 3
    xx = torch.cat([x, noise], 1)
    embed = nn.Linear(64, 16, bias=False)
    before = evaluate_episodes(embed, xx, test, 100)
    opt = torch.optim.Adam(embed.parameters(), lr=1e-2)
    for i in range(150):
        protonet_step(embed, opt, xx, train.episode(i))
    after = evaluate_episodes(embed, xx, test, 100)
    assert after.mean > before.mean + 0.1, (before.mean, after.mean)
    assert embed.training  # the mode is restored


def test_evaluation_interval_is_the_papers() -> None:
    accs = [0.2, 0.4, 0.4, 1.0, 0.6]
    r = EpisodeEvaluation.of(accs)
    assert r.episodes == 5 and math.isclose(r.mean, np.mean(accs))
    assert math.isclose(r.ci95, 1.96 * np.std(accs) / math.sqrt(5))


def test_evaluation_is_replayable_and_normalized_variant_runs() -> None:
    x, y = _blobs()
    s = EpisodeSampler(y, range(5, 8), n_way=3, k_shot=2, query=3, seed=4)
    embed = nn.Identity()
    a = evaluate_episodes(embed, x, s, 20)
    b = evaluate_episodes(embed, x, s, 20)
    assert a == b
    c = evaluate_episodes(embed, x, s, 20, normalize=True, center=x.mean(0))
    assert c.episodes == 20 and 0.0 <= c.mean <= 1.0
