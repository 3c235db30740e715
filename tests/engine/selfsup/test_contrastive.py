import math

import pytest
import torch

from trainlab.engine.selfsup.contrastive import ProjectionHead, nt_xent


def _paper(z1, z2, tau):
    """NT-Xent as Chen et al. (2020) write it: a double loop over the 2B views."""
    z = torch.cat([z1, z2]).double()
    z = z / z.norm(dim=1, keepdim=True)
    n, b = len(z), len(z1)
    total = 0.0
    for i in range(n):
        j = (i + b) % n
        den = sum(math.exp(float(z[i] @ z[k]) / tau) for k in range(n) if k != i)
        total += -math.log(math.exp(float(z[i] @ z[j]) / tau) / den)
    return total / n


@pytest.mark.parametrize("tau", [0.1, 0.5, 1.0])
def test_nt_xent_is_the_papers_formula(tau):
    g = torch.Generator().manual_seed(0)
    z1, z2 = torch.randn(6, 5, generator=g), torch.randn(6, 5, generator=g)
    assert float(nt_xent(z1, z2, tau)) == pytest.approx(_paper(z1, z2, tau), rel=1e-5)


def test_twins_closer_than_strangers_give_a_lower_loss():
    z = torch.randn(8, 16, generator=torch.Generator().manual_seed(1))
    near = z + 0.01 * torch.randn(8, 16, generator=torch.Generator().manual_seed(2))
    far = torch.randn(8, 16, generator=torch.Generator().manual_seed(3))
    assert float(nt_xent(z, near)) < float(nt_xent(z, far))


def test_the_projection_head_maps_features_to_its_output_size():
    assert ProjectionHead(10, hidden=7, out=3)(torch.zeros(4, 10)).shape == (4, 3)
