"""The lecture's matrices: their entries, OpenCV's rotation convention, the closed form."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from trainlab.augment.image.matrices import (
    affine_matrix,
    compose,
    flip_matrix,
    rotation_matrix,
    scale_matrix,
    shear_matrix,
    translation_matrix,
)

cv2 = pytest.importorskip("cv2")


def test_lecture_matrices():
    t = torch.tensor([0.4])
    assert torch.allclose(
        rotation_matrix(t)[0],
        torch.tensor(
            [[math.cos(0.4), math.sin(0.4), 0.0], [-math.sin(0.4), math.cos(0.4), 0.0], [0, 0, 1]]
        ),
    )
    assert torch.equal(shear_matrix(0.5, 0.0)[0], torch.tensor([[1, 0.5, 0], [0, 1, 0], [0, 0, 1]]))
    assert torch.equal(scale_matrix(2.0, 3.0)[0], torch.diag(torch.tensor([2.0, 3.0, 1.0])))
    # about the centre: the centre is a fixed point
    centre = torch.tensor([(31 - 1) / 2, (21 - 1) / 2, 1.0])
    for m in (rotation_matrix(t, size=(21, 31)), shear_matrix(0.3, 0.2, size=(21, 31))):
        assert torch.allclose(m[0] @ centre, centre, atol=1e-5)


def test_positive_rotation_matches_opencv_get_rotation_matrix_2d():
    size = (20, 30)
    ours = rotation_matrix(math.radians(25), size=size)[0, :2]
    ref = cv2.getRotationMatrix2D(((30 - 1) / 2, (20 - 1) / 2), 25, 1.0)
    assert np.allclose(ours.numpy(), ref, atol=1e-5)


def test_closed_form_matrix_equals_the_composition_of_the_kernels():
    n, size = 6, (24, 32)
    g = torch.Generator().manual_seed(7)
    angle, tx, ty, shx, shy = (torch.rand(n, generator=g) * 20 - 10 for _ in range(5))
    sx, sy = 0.8 + 0.4 * torch.rand(2, n, generator=g)
    hflip, vflip = torch.rand(2, n, generator=g) < 0.5
    apply = torch.tensor([True, True, False, True, True, False])
    closed = affine_matrix(angle, tx, ty, sx, sy, shx, shy, hflip, vflip, apply, size)
    kernels = compose(
        translation_matrix(tx, ty),
        rotation_matrix(torch.deg2rad(angle), size=size),
        shear_matrix(torch.tan(torch.deg2rad(shx)), torch.tan(torch.deg2rad(shy)), size=size),
        scale_matrix(sx, sy, size=size),
        flip_matrix(hflip, vflip, size=size),
    )
    assert torch.allclose(closed[apply], kernels[apply], atol=1e-4)
    assert torch.equal(closed[~apply], torch.eye(3).expand(2, 3, 3))
