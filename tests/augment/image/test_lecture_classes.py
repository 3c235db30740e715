"""The lecture's names: translate, rescale, flip, rotate and shear, each one transformation."""

from __future__ import annotations

import pytest
import torch

from trainlab.augment.image.affine import RandomAffine
from trainlab.augment.image.flip import RandomFlip
from trainlab.augment.image.rescale import RandomRescale
from trainlab.augment.image.rotate import RandomRotate
from trainlab.augment.image.shear import RandomShear
from trainlab.augment.image.translate import RandomTranslate
from trainlab.augment.registry import AUGMENTATIONS


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("affine", RandomAffine),
        ("random-affine", RandomAffine),
        ("translate", RandomTranslate),
        ("rescale", RandomRescale),
        ("flip", RandomFlip),
        ("rotate", RandomRotate),
        ("shear", RandomShear),
    ],
)
def test_registered_names(name, cls):
    assert AUGMENTATIONS.get(name) is cls
    x = torch.rand(4, 3, 16, 16)
    assert cls()(x, torch.Generator().manual_seed(0)).shape == x.shape


def test_lecture_names_draw_only_their_transformation():
    x = torch.rand(8, 1, 16, 16)
    gen = torch.Generator().manual_seed(0)
    rot = RandomRotate(20).sample_params(x, gen)
    assert torch.allclose(torch.linalg.det(rot["matrix"]), torch.ones(8), atol=1e-5)
    shift = RandomTranslate(0.25).sample_params(x, gen)["matrix"]
    assert torch.equal(shift[:, :2, :2], torch.eye(2).expand(8, 2, 2))
    assert shift[:, :2, 2].abs().max() <= 4
    assert RandomFlip().hflip == 0.5 and RandomRescale().scale == (0.9, 1.1)
    assert RandomRescale(scale_xy=((0.5, 1), (1, 2))).scale is None
