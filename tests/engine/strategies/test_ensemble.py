import torch

from trainlab.engine.strategies.ensemble import average_probabilities


def test_average_is_mean_of_softmax():
    a, b = torch.randn(5, 3), torch.randn(5, 3)
    expected = (a.softmax(1) + b.softmax(1)) / 2
    assert torch.allclose(average_probabilities([a, b]), expected)


def test_average_is_float32_for_low_precision_logits():
    a = torch.randn(4, 2).bfloat16()
    assert average_probabilities([a]).dtype == torch.float32
