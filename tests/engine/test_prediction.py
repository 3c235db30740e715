import torch
from torch import nn

from trainlab.augment.tta import tta_probabilities
from trainlab.engine.prediction import (
    ensemble_probabilities,
    predict_logits,
    probabilities_metrics,
)

CPU = torch.device("cpu")


def test_mc_dropout_is_stochastic_and_plain_eval_is_not():
    torch.manual_seed(0)
    m = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 3))
    m.eval()
    x = torch.randn(16, 8)
    dev = torch.device("cpu")
    p1 = ensemble_probabilities([m], x, dev)
    p2 = ensemble_probabilities([m], x, dev)
    assert torch.equal(p1, p2)
    q1 = ensemble_probabilities([m], x, dev, mc_dropout=1)
    q2 = ensemble_probabilities([m], x, dev, mc_dropout=1)
    assert not torch.equal(q1, q2)
    assert not any(mod.training for mod in m.modules())  # eval mode restored
    many = ensemble_probabilities([m], x, dev, mc_dropout=200)
    assert (many - p1).abs().mean() < 0.1  # MC average approaches the deterministic net


def test_metrics():
    probs = torch.tensor([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    y = torch.tensor([0, 1, 1])
    m = probabilities_metrics(probs, y)
    assert abs(m["acc"] - 2 / 3) < 1e-6
    expected = -(torch.log(torch.tensor([0.9, 0.8, 0.4]))).mean().item()
    assert abs(m["loss"] - expected) < 1e-6


def test_logits_in_eval_mode_and_in_batches_restore_the_training_flag():
    torch.manual_seed(0)
    m = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 2)).train()
    x = torch.randn(10, 4)
    out = predict_logits(m, x, CPU, batch_size=3)
    assert m.training and out.dtype == torch.float32
    with torch.no_grad():  # batches of 3 may round differently from one of 10 (BLAS kernels)
        assert torch.allclose(out, m.eval()(x), rtol=1e-6, atol=1e-6)
    assert predict_logits(m, x[:0], CPU).shape == (0, 0)


def test_ensemble_of_members_is_the_mean_of_their_probabilities():
    torch.manual_seed(0)
    a, b = nn.Linear(5, 3), nn.Linear(5, 3)
    x = torch.randn(7, 5)
    with torch.no_grad():
        expected = (a(x).softmax(1) + b(x).softmax(1)) / 2
    assert torch.allclose(ensemble_probabilities([a, b], x, CPU), expected, atol=1e-7)


def test_test_time_views_agree_with_the_tta_kernel():
    torch.manual_seed(0)
    m = nn.Sequential(nn.Conv2d(1, 3, 3, padding=1), nn.Flatten(), nn.Linear(3 * 6 * 6, 4)).eval()
    x = torch.randn(5, 1, 6, 6)
    got = ensemble_probabilities([m], x, CPU, flip=True, shift=1)
    with torch.no_grad():
        expected = tta_probabilities(m, x, flip=True, shift=1)
    assert torch.allclose(got, expected, atol=1e-6)
    assert not torch.allclose(got, ensemble_probabilities([m], x, CPU), atol=1e-4)
