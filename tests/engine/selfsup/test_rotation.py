import numpy as np
import torch

from trainlab.engine.selfsup.rotation import rotations, turns


def test_each_label_is_that_many_quarter_turns_as_numpy_turns_them():
    x = torch.randn(3, 2, 5, 5)
    turned, labels = rotations(x)
    assert turned.shape == (12, 2, 5, 5)
    assert labels.tolist() == [0] * 3 + [1] * 3 + [2] * 3 + [3] * 3
    for i in range(12):
        want = np.rot90(x[i % 3].numpy(), k=int(labels[i]), axes=(1, 2))
        np.testing.assert_array_equal(turned[i].numpy(), want)


def test_a_spectrogram_that_is_not_square_is_shown_upright_and_half_turned():
    x = torch.randn(2, 1, 4, 9)
    assert turns(tuple(x.shape)) == 2
    turned, labels = rotations(x)
    assert turned.shape == (4, 1, 4, 9) and labels.tolist() == [0, 0, 1, 1]
    np.testing.assert_array_equal(turned[3].numpy(), x[1].numpy()[:, ::-1, ::-1])
