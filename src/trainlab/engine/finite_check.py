"""A check that the training loss stays finite, without stalling an accelerator.

Example:
    >>> import torch
    >>> from trainlab.engine.finite_check import FiniteCheck
    >>> check = FiniteCheck(torch.device("cpu"))
    >>> check.check(torch.tensor(0.5), 1) is None, check.check(torch.tensor(float("nan")), 2)
    (True, (nan, 2))
"""

from __future__ import annotations

import math

import torch


class FiniteCheck:
    """Detects a non-finite loss without stalling an accelerator.

    On the CPU every loss is checked at once. On an accelerator a reading is
    copied to pinned memory without blocking every ``every`` steps and read
    ``every`` steps later, when it has long arrived: the loop never waits.
    """

    def __init__(self, device: torch.device, every: int = 16) -> None:
        self.sync = device.type != "cuda"
        self.every = every
        self._pending: tuple[torch.Tensor, torch.cuda.Event, int] | None = None
        if not self.sync:  # two pinned buffers, used in turn: no allocation per check
            self._buffers = [torch.empty((), pin_memory=True) for _ in range(2)]
            self._events = [torch.cuda.Event() for _ in range(2)]
            self._turn = 0

    def check(self, loss: torch.Tensor, batch: int) -> tuple[float, int] | None:
        if self.sync:
            value = loss.item()
            return None if math.isfinite(value) else (value, batch)
        if batch % self.every:
            return None
        found = None
        if self._pending is not None:
            host, event, at = self._pending
            event.synchronize()
            if not math.isfinite(host.item()):
                found = (host.item(), at)
        host, event = self._buffers[self._turn], self._events[self._turn]
        self._turn = 1 - self._turn
        host.copy_(loss.detach().float(), non_blocking=True)
        event.record()
        self._pending = (host, event, batch)
        return found
