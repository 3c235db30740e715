import math

import pytest
import torch

from trainlab.config.recipe import OptimizerConfig, ScheduleConfig
from trainlab.core.errors import ConfigError
from trainlab.engine.optim import build_optimizer, build_scheduler


def _lrs(name, steps_per_epoch=10, epochs=5, **kw):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = build_optimizer([p], OptimizerConfig(name="sgd", lr=1.0))
    sched = build_scheduler(
        opt, ScheduleConfig(name=name, **kw), steps_per_epoch=steps_per_epoch, epochs=epochs
    )
    out = []
    for _ in range(steps_per_epoch * epochs):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return out


def test_constant():
    assert set(_lrs("constant")) == {1.0}


def test_step_schedule_per_epoch():
    lrs = _lrs("step", step_size=2, gamma=0.5)
    assert lrs[0] == 1.0 and lrs[19] == 1.0 and lrs[20] == 0.5 and lrs[40] == 0.25


def test_cosine_matches_formula():
    lrs = _lrs("cosine", min_lr_ratio=0.1)
    total = 50
    for step in (0, 13, 25, 49):
        expect = 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * step / total))
        assert lrs[step] == pytest.approx(expect)


def test_onecycle_rises_then_falls():
    lrs = _lrs("onecycle", pct_start=0.3)
    peak = max(range(len(lrs)), key=lrs.__getitem__)
    assert lrs[0] == pytest.approx(1 / 25)
    assert 12 <= peak <= 16 and lrs[peak] == pytest.approx(1.0, rel=1e-3)
    assert lrs[-1] < 5e-3  # one step before the end of the cosine decay to lr/1e4


def test_optimizers_by_name():
    p = [torch.nn.Parameter(torch.zeros(1))]
    assert isinstance(build_optimizer(p, OptimizerConfig(name="adamw")), torch.optim.AdamW)
    sgd = build_optimizer(p, OptimizerConfig(name="sgd", nesterov=True, momentum=0.9))
    assert sgd.param_groups[0]["nesterov"] is True
    with pytest.raises(ConfigError, match="unknown optimizer"):
        build_optimizer(p, OptimizerConfig(name="lion"))
