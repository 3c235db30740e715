import torch
from torch import nn

from trainlab.engine.strategies.noise import (
    InputNoise,
    WeightNoise,
    add_gaussian_noise,
    flip_labels,
)


def test_gaussian_noise_statistics():
    g = torch.Generator().manual_seed(0)
    x = torch.zeros(200_000)
    out = add_gaussian_noise(x, 0.5, generator=g)
    assert abs(out.std().item() - 0.5) < 0.01 and abs(out.mean().item()) < 0.01
    assert torch.equal(x, torch.zeros(200_000))  # not in place


def test_label_flip_rate_and_never_same_class():
    g = torch.Generator().manual_seed(0)
    y = torch.randint(0, 5, (50_000,), generator=g)
    out = flip_labels(y, 0.3, num_classes=5, generator=g)
    changed = out != y
    assert abs(changed.float().mean().item() - 0.3) < 0.01
    assert out.min() >= 0 and out.max() < 5
    # flipped labels are spread over the other classes
    counts = torch.bincount(out[changed & (y == 0)], minlength=5)
    assert counts[0] == 0 and (counts[1:] > 0).all()


def test_label_flip_zero_is_identity():
    y = torch.arange(10) % 3
    assert torch.equal(flip_labels(y, 0.0, 3), y)


def test_input_noise_callback_changes_inputs_only():
    x, y = torch.zeros(4, 3), torch.tensor([0, 1, 2, 0])
    nx, ny = InputNoise(1.0).on_train_batch(None, x, y)
    assert not torch.equal(nx, x) and torch.equal(ny, y)


def test_weight_noise_perturbs_forward_then_restores():
    torch.manual_seed(0)
    m = nn.Linear(5, 3)
    before = m.weight.detach().clone()

    class T:
        model = m

    cb = WeightNoise(0.1)
    cb.on_fit_start(T)
    cb.on_before_forward(T)
    noisy = m.weight.detach().clone()
    assert not torch.allclose(noisy, before)
    assert abs((noisy - before).std().item() - 0.1) < 0.05
    cb.on_after_backward(T)
    assert torch.allclose(m.weight, before, atol=1e-7)
