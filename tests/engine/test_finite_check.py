"""The loss check: every non-finite loss is caught on the CPU, with its batch."""

from __future__ import annotations

import math

import pytest
import torch

from trainlab.engine.finite_check import FiniteCheck


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_a_non_finite_loss_is_caught_with_its_batch(bad) -> None:
    check = FiniteCheck(torch.device("cpu"))
    assert check.check(torch.tensor(1.25), 1) is None
    value, batch = check.check(torch.tensor(bad), 7)
    assert batch == 7 and (math.isnan(value) if math.isnan(bad) else value == bad)
