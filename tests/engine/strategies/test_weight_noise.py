import pytest
import torch
from torch import nn

from trainlab.core.errors import ConfigError
from trainlab.engine.strategies.weight_noise import WeightNoise


def test_weight_noise_perturbs_forward_then_restores():
    torch.manual_seed(0)
    m = nn.Linear(5, 3)
    before = m.weight.detach().clone()

    class T:
        model = m
        generator = torch.Generator().manual_seed(0)

    cb = WeightNoise(0.1)
    cb.on_fit_start(T)
    cb.on_before_forward(T)
    noisy = m.weight.detach().clone()
    assert not torch.allclose(noisy, before)
    assert abs((noisy - before).std().item() - 0.1) < 0.05
    cb.on_after_backward(T)
    assert torch.allclose(m.weight, before, atol=1e-7)


def test_noise_comes_from_the_trainers_generator_and_spares_biases():
    m = nn.Linear(4, 2)
    bias = m.bias.detach().clone()

    def noise_of(seed):
        class T:
            model = m
            generator = torch.Generator().manual_seed(seed)

        cb = WeightNoise(0.5)
        cb.on_fit_start(T)
        clean = m.weight.detach().clone()
        before = torch.get_rng_state()
        cb.on_before_forward(T)
        assert torch.equal(torch.get_rng_state(), before)
        assert torch.equal(m.bias, bias)
        delta = m.weight.detach() - clean
        cb.on_after_backward(T)
        return delta

    assert torch.equal(noise_of(3), noise_of(3)) and not torch.equal(noise_of(3), noise_of(4))


def test_rejects_a_negative_std():
    with pytest.raises(ConfigError, match="standard deviation"):
        WeightNoise(-1.0)
