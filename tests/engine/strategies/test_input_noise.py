import torch

from trainlab.augment.noise import GaussianNoise, add_gaussian_noise
from trainlab.core.errors import ConfigError
from trainlab.engine.strategies.input_noise import InputNoise


class _T:
    """What the callback needs of a trainer: the generator it owns."""

    def __init__(self, seed=0):
        self.generator = torch.Generator().manual_seed(seed)


def test_gaussian_noise_statistics():
    g = torch.Generator().manual_seed(0)
    x = torch.zeros(200_000)
    out = add_gaussian_noise(x, 0.5, generator=g)
    assert abs(out.std().item() - 0.5) < 0.01 and abs(out.mean().item()) < 0.01
    assert torch.equal(x, torch.zeros(200_000))  # not in place


def test_input_noise_callback_changes_inputs_only():
    x, y = torch.zeros(4, 3), torch.tensor([0, 1, 2, 0])
    nx, ny = InputNoise(1.0).on_train_batch(_T(), {"x": x, "y": y}).values()
    assert not torch.equal(nx, x) and torch.equal(ny, y)


def test_draws_from_the_trainers_generator_only():
    x, y = torch.zeros(8, 5), torch.zeros(8, dtype=torch.long)
    before = torch.get_rng_state()
    a, _ = InputNoise(0.3).on_train_batch(_T(seed=4), {"x": x, "y": y}).values()
    assert torch.equal(torch.get_rng_state(), before)  # the global generator is untouched
    b, _ = InputNoise(0.3).on_train_batch(_T(seed=4), {"x": x, "y": y}).values()
    c, _ = InputNoise(0.3).on_train_batch(_T(seed=5), {"x": x, "y": y}).values()
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_one_kernel_with_the_gaussian_noise_augmentation():
    """The augmentation and the strategy both add σ·ε through ``add_gaussian_noise``."""
    x = torch.randn(6, 2, 10)
    aug = GaussianNoise(std=0.2)
    params = aug.sample_params(x, torch.Generator().manual_seed(1))
    assert torch.equal(aug.apply(x, params), add_gaussian_noise(x, 0.2, noise=params["noise"]))
    strategy = InputNoise(0.2).on_train_batch(_T(seed=1), {"x": x, "y": torch.zeros(6)})["x"]
    eps = torch.randn(x.shape, generator=torch.Generator().manual_seed(1))
    assert torch.equal(strategy, x + 0.2 * eps)


def test_rejects_a_negative_std():
    for bad in (-0.1, float("nan"), "0.1"):
        try:
            InputNoise(bad)
        except ConfigError as exc:
            assert "standard deviation" in str(exc)
        else:
            raise AssertionError(f"accepted {bad!r}")
