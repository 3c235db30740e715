"""The meta-learners: MAML's test-time adaptation against plain SGD, the baseline's head
against scikit-learn, CL2N's centre, and the registry."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from sklearn.linear_model import LogisticRegression
from torch import nn

from trainlab.data.episodes import EpisodeSampler
from trainlab.engine.meta.finetune import finetune_logits
from trainlab.engine.meta.learners import LEARNERS, Finetune, Maml, ProtoNet, build_learner
from trainlab.models import StagedModel


def _blobs(n_classes=4, per=12, dim=6, seed=0, spread=3.0):
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(n_classes, dim, generator=g) * spread
    x = centers.repeat_interleave(per, 0) + torch.randn(n_classes * per, dim, generator=g)
    return x, np.repeat(np.arange(n_classes), per)


def test_maml_adaptation_is_plain_sgd_on_the_support_set() -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.Tanh(), nn.Linear(8, 3))
    model.eval()  # as the evaluation calls it: batch norm still takes the batch's statistics
    x, y = _blobs(3)
    e = EpisodeSampler(y, range(3), n_way=3, k_shot=2, query=4, seed=1).episode(0)
    learner = Maml(inner_lr=0.3, test_inner_steps=4)
    got = learner.episode_accuracy(model, x, e)
    # the oracle: a copy of the model, four steps of torch.optim.SGD on the support loss,
    # batch norm on batch statistics (MAML's reference code does so at test time too)
    twin = copy.deepcopy(model).train()
    opt = torch.optim.SGD(twin.parameters(), lr=0.3)
    xs, ys = x[e.support], torch.from_numpy(e.support_labels)
    for _ in range(4):
        opt.zero_grad()
        nn.functional.cross_entropy(twin(xs), ys).backward()
        opt.step()
    with torch.no_grad():
        pred = twin(x[e.query]).argmax(1).numpy()
    assert got == pytest.approx(float((pred == e.query_labels).mean()))


def test_maml_evaluation_leaves_the_model_as_it_was() -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))
    before = copy.deepcopy(model.state_dict())
    x, y = _blobs(3)
    e = EpisodeSampler(y, range(3), n_way=3, k_shot=2, query=4).episode(0)
    model.train()  # batch norm in training mode updates its buffers, but on copies
    Maml(test_inner_steps=2).episode_accuracy(model, x, e)
    for k, v in model.state_dict().items():
        torch.testing.assert_close(v, before[k], msg=k)


def test_maml_training_lowers_the_query_loss() -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))
    x, y = _blobs(6, spread=2.0)
    sampler = EpisodeSampler(y, range(6), n_way=3, k_shot=2, query=4, seed=0)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    learner = Maml(first_order=True, inner_lr=0.1)
    losses = [learner.train_step(model, opt, x, sampler.episodes(4 * i, 4))[0] for i in range(40)]
    assert np.mean(losses[-5:]) < np.mean(losses[:5])


def test_the_baseline_head_predicts_as_logistic_regression() -> None:
    x, y = _blobs(4, per=10)
    support, queries = x[::2], x[1::2]
    ys = torch.from_numpy(y[::2])
    logits = finetune_logits(support, ys, queries, 4, steps=300, lr=0.05)
    oracle = LogisticRegression(C=100.0, max_iter=2000).fit(support.numpy(), y[::2])
    agree = (logits.argmax(1).numpy() == oracle.predict(queries.numpy())).mean()
    assert agree >= 0.95


def test_finetune_scores_an_episode_with_the_stages() -> None:
    x, y = _blobs(4)
    model = StagedModel([("s", nn.Identity())], nn.Linear(6, 9))
    e = EpisodeSampler(y, range(4), n_way=4, k_shot=3, query=5).episode(2)
    assert Finetune(steps=200, lr=0.05).episode_accuracy(model, x, e) >= 0.9
    with pytest.raises(TypeError, match="training classes"):
        Finetune().train_step(model, None, x, [e])


def test_cl2n_centres_by_the_training_pool_s_mean_embedding() -> None:
    x, y = _blobs(4)
    learner = ProtoNet(cl2n=True)
    learner.prepare(nn.Identity(), x)
    torch.testing.assert_close(learner.center, x.mean(0))
    e = EpisodeSampler(y, range(4), n_way=4, k_shot=1, query=5).episode(0)
    assert 0.0 <= learner.episode_accuracy(nn.Identity(), x, e) <= 1.0
    plain = ProtoNet()
    plain.prepare(nn.Identity(), x)
    assert plain.center is None


def test_the_registry_builds_every_method_with_the_options_it_takes() -> None:
    assert set(LEARNERS) == {"protonet", "maml", "fomaml", "finetune"}
    options = {"inner_lr": 0.2, "cl2n": True, "finetune_steps": 7, "n_way": 5}
    assert build_learner("protonet", **options).cl2n is True
    assert build_learner("fomaml", **options).first_order is True
    assert build_learner("maml", **options).inner_lr == 0.2
    assert build_learner("finetune", **options).steps == 7
    with pytest.raises(KeyError, match="reptile"):
        build_learner("reptile")
