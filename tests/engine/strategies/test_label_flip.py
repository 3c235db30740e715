import pytest
import torch

from trainlab.core.errors import ConfigError
from trainlab.engine.strategies.label_flip import LabelFlip, flip_labels


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


def test_callback_flips_targets_only_from_the_trainers_generator():
    class T:
        generator = torch.Generator().manual_seed(0)

    x, y = torch.randn(1000, 2), torch.zeros(1000, dtype=torch.long)
    before = torch.get_rng_state()
    nx, ny = LabelFlip(0.5, num_classes=4).on_train_batch(T, {"x": x, "y": y}).values()
    assert torch.equal(torch.get_rng_state(), before)
    assert nx is x and 0.4 < (ny != y).float().mean().item() < 0.6
    expected = flip_labels(y, 0.5, 4, torch.Generator().manual_seed(0))
    assert torch.equal(ny, expected)


@pytest.mark.parametrize(("p", "k", "match"), [(1.0, 3, "probability"), (0.1, 1, "2 classes")])
def test_rejects_bad_arguments(p, k, match):
    with pytest.raises(ConfigError, match=match):
        LabelFlip(p, k)
