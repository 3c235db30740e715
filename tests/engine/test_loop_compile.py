"""``compile``: the training step through ``torch.compile``, with eager's results.

The default test swaps in Dynamo's ``eager`` backend (the graph capture without
code generation, seconds): the step runs through the compiled module and the
history is eager's. The slow test compiles for real (Inductor), where fused
kernels round differently: within 1e-4 relative.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from trainlab.engine.loop import Trainer


def _fit(compile: str | None) -> Trainer:
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(96, 6, generator=g), torch.randint(0, 3, (96,), generator=g)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    t = Trainer(model, opt, epochs=3, batch_size=16, progress=False, compile=compile)
    t.fit((x, y), (x, y))
    return t


def _same(a: Trainer, b: Trainer, rel: float) -> None:
    for mine, theirs in zip(a.history.rows, b.history.rows, strict=True):
        for key in ("train_loss", "train_acc", "val_loss", "val_acc"):
            assert mine[key] == pytest.approx(theirs[key], rel=rel), key


def test_a_compiled_step_trains_through_the_compiled_module(monkeypatch) -> None:
    calls = []
    real = torch.compile

    def compile(model, mode=None):
        calls.append(mode)
        return real(model, backend="eager")

    monkeypatch.setattr(torch, "compile", compile)
    torch._dynamo.reset()
    compiled = _fit("reduce-overhead")
    assert calls == ["reduce-overhead"]
    assert compiled._net is not compiled.model  # the steps went through the compiled module
    _same(compiled, _fit(None), rel=1e-6)


@pytest.mark.slow
def test_inductor_matches_eager_within_rounding() -> None:
    torch._dynamo.reset()
    _same(_fit("default"), _fit(None), rel=1e-4)
