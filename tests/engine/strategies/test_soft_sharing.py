import math

import pytest
import torch

from trainlab.config.recipe import ModelConfig
from trainlab.core.errors import ConfigError
from trainlab.engine.callbacks import Callback, overrides
from trainlab.engine.strategies.soft_sharing import SoftSharing
from trainlab.models import build_multitask_model, soft_sharing_penalty

OUTPUTS = {"digit": 10, "parity": 2}


def _trainer(sharing="soft", batch_norm=False):
    torch.manual_seed(0)
    cfg = ModelConfig(name="mlp", widths=[5, 4], batch_norm=batch_norm)

    class T:
        model = build_multitask_model(cfg, (3,), OUTPUTS, sharing=sharing)

    return T


def test_callback_adds_lambda_times_the_penalty():
    t = _trainer()  # without batch norm: Linear biases, drawn per copy
    for include_bias in (False, True):
        cb = SoftSharing(0.25, include_bias=include_bias)
        cb.on_fit_start(t)
        loss = torch.tensor(1.5)
        want = 1.5 + 0.25 * soft_sharing_penalty(t.model, include_bias=include_bias)
        assert torch.allclose(cb.on_loss(t, loss), want)
    assert soft_sharing_penalty(t.model, include_bias=True) > soft_sharing_penalty(t.model)


def test_callback_gradient_is_lambda_times_twice_the_difference():
    t = _trainer()
    cb = SoftSharing(0.5)
    cb.on_fit_start(t)
    cb.on_loss(t, torch.zeros(())).backward()
    copies = t.model.stage("stage2").copies
    wa, wb = copies["digit"][0].weight, copies["parity"][0].weight
    # d/dθ_a λ ‖θ_a − θ_b‖² = 2 λ (θ_a − θ_b)
    assert torch.allclose(wa.grad, 2 * 0.5 * (wa - wb))
    assert torch.allclose(wb.grad, -wa.grad)
    assert copies["digit"][0].bias.grad is None


def test_a_thawed_stage_is_tied_again():
    t = _trainer()
    cb = SoftSharing(1.0)
    t.model.set_frozen(["stage1", "stage2"])
    cb.on_fit_start(t)
    assert cb.on_loss(t, torch.zeros(())).item() == 0.0
    t.model.set_frozen([])
    assert cb.on_loss(t, torch.zeros(())).item() == pytest.approx(
        soft_sharing_penalty(t.model).item()
    )


def test_lambda_zero_leaves_the_loss_as_it_is():
    t = _trainer()
    cb = SoftSharing(0.0)
    cb.on_fit_start(t)
    loss = torch.tensor(0.75)
    assert cb.on_loss(t, loss) is loss


def test_name_state_and_hooks():
    cb = SoftSharing(0.1)
    assert cb.name == "soft-sharing" and cb.state_dict() == {}
    assert overrides(cb, "on_loss") and overrides(cb, "on_fit_start")
    assert not overrides(cb, "on_train_batch") and isinstance(cb, Callback)


@pytest.mark.parametrize("lam", [-1.0, math.inf, math.nan, "0.1", True])
def test_rejects_a_bad_lambda(lam):
    with pytest.raises(ConfigError, match="soft sharing: expected λ ≥ 0"):
        SoftSharing(lam)


def test_a_hard_sharing_model_is_refused_at_the_start():
    with pytest.raises(ConfigError, match="expected a model built with sharing: soft"):
        SoftSharing(0.1).on_fit_start(_trainer("hard"))
