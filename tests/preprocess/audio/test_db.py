"""power_to_db against librosa.power_to_db, clip by clip."""

from __future__ import annotations

import librosa
import numpy as np
import pytest
import torch

from trainlab.core.errors import ConfigError
from trainlab.preprocess.audio.db import power_to_db


def _powers(*shape: int, seed: int = 0) -> np.ndarray:
    """Powers over 16 decades, so that top_db clips; each clip with its own level."""
    rng = np.random.default_rng(seed)
    levels = 10.0 ** rng.uniform(-4, 2, size=(shape[0],) + (1,) * (len(shape) - 1))
    return levels * 10.0 ** rng.uniform(-14, 0, size=shape)


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"top_db": 40.0},
        {"top_db": None},
        {"ref": 1e-3, "amin": 1e-6, "top_db": 60.0},
        {"top_db": 0.0},
    ],
)
def test_each_clip_of_a_batch_equals_librosa(kw):
    S = _powers(5, 2, 40, 30)
    out = power_to_db(torch.from_numpy(S), **kw).numpy()
    assert out.shape == S.shape
    for i in range(S.shape[0]):
        np.testing.assert_allclose(out[i], librosa.power_to_db(S[i], **kw), rtol=1e-12, atol=1e-9)


def test_batches_agree_with_single_clips_and_rank_two_is_one_clip():
    S = torch.from_numpy(_powers(4, 1, 20, 10, seed=1))
    batch = power_to_db(S, top_db=30.0)
    for i in range(4):
        torch.testing.assert_close(batch[i : i + 1], power_to_db(S[i : i + 1], top_db=30.0))
        torch.testing.assert_close(batch[i, 0], power_to_db(S[i, 0], top_db=30.0))
    np.testing.assert_allclose(
        power_to_db(S[2, 0], top_db=30.0).numpy(), librosa.power_to_db(S[2, 0].numpy(), top_db=30.0)
    )


def test_float32_keeps_dtype():
    S = torch.from_numpy(_powers(2, 1, 8, 8, seed=2)).float()
    out = power_to_db(S)
    assert out.dtype == torch.float32
    ref = np.stack([librosa.power_to_db(s) for s in S.numpy()])
    np.testing.assert_allclose(out.numpy(), ref, atol=1e-4)


@pytest.mark.parametrize(
    ("kw", "name"),
    [({"ref": 0.0}, "ref"), ({"amin": 0.0}, "amin"), ({"top_db": -1.0}, "top_db")],
)
def test_bad_arguments_name_themselves(kw, name):
    with pytest.raises(ConfigError, match=rf"^{name}: expected"):
        power_to_db(torch.ones(1, 2, 2), **kw)
