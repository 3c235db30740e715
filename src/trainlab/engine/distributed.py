"""Data-parallel training over several processes: PyTorch's DistributedDataParallel.

A run started by ``torchrun`` (or ``trainlab run --nproc N``, which starts
it) finds its rank in the environment ``torchrun`` sets (``RANK``,
``WORLD_SIZE``, ``LOCAL_RANK``, ``MASTER_ADDR``, ``MASTER_PORT``), and
:func:`from_env` joins the process group: gloo on the CPU, NCCL on CUDA
(Li et al., *PyTorch Distributed: Experiences on Accelerating Data Parallel
Training*, VLDB 2020). Then every rank

- draws the same shuffle and takes its share of each **global** batch
  (:meth:`Distributed.shard`: every ``world``-th example), so the batch a
  step averages over is the recipe's ``train.batch_size`` whatever the
  number of processes;
- scales its loss by ``world · n_local / n_global`` (:meth:`Distributed.loss_weight`):
  DDP averages the ranks' gradients, and the scaled average is the gradient
  of the global batch's mean loss even when the shares differ by one;
- draws its own dropout masks and strategy noise (its rank mixes into the seeds);
- scores its share of the validation split; the outputs are gathered, so
  every rank sees the same validation metrics and takes the same
  early-stopping decision. Training metrics are the ranks' means weighted
  by their examples (exact for the loss and accuracy).

Only rank 0 writes files (see :mod:`trainlab.workflows.run`). Batch
normalization keeps per-rank batch statistics, as DDP does by default; the
running statistics are rank 0's, broadcast at every forward pass.

Example:
    >>> from trainlab.engine.distributed import Distributed, from_env
    >>> from_env({}) is None  # not started by torchrun
    True
    >>> d = Distributed(rank=1, world=2, local_rank=1)
    >>> import torch
    >>> d.shard(torch.arange(5)).tolist(), d.loss_weight(2, 5)
    ([1, 3], 0.8)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import torch
import torch.distributed as dist

from trainlab.core.errors import ConfigError, PeerLost

T = TypeVar("T")

#: how long a rank waits for the others at a collective before giving up
TIMEOUT = timedelta(minutes=30)


@dataclass(frozen=True)
class Distributed:
    """This process's place among the run's processes.

    Attributes:
        rank: this process's global rank (0 writes the run folder).
        world: the number of processes.
        local_rank: its rank on this machine (which GPU it takes).
    """

    rank: int
    world: int
    local_rank: int = 0

    @property
    def is_main(self) -> bool:
        """Whether this process writes the run's files (rank 0)."""
        return self.rank == 0

    def device(self, device: torch.device) -> torch.device:
        """This rank's device: its own GPU (``cuda:LOCAL_RANK``) on CUDA, else ``device``."""
        if device.type == "cuda":
            return torch.device("cuda", self.local_rank)
        return device

    def shard(self, index: torch.Tensor) -> torch.Tensor:
        """This rank's share of a global batch's ``index``: every ``world``-th example."""
        return index[self.rank :: self.world]

    def share(self, n: int) -> int:
        """How many of a global batch of ``n`` examples this rank takes."""
        return len(range(self.rank, n, self.world))

    def loss_weight(self, n_local: int, n_global: int) -> float:
        """The factor on this rank's mean loss that makes DDP's averaged gradient the
        gradient of the global batch's mean loss."""
        return self.world * n_local / n_global

    def rows(self, n: int) -> slice:
        """This rank's contiguous block of ``n`` rows (for scoring a split)."""
        return slice(self.rank * n // self.world, (self.rank + 1) * n // self.world)

    # -- collectives -----------------------------------------------------------
    def weighted_mean(self, values: Mapping[str, float], weight: float) -> dict[str, float]:
        """The ranks' ``values``, averaged with their ``weight`` (examples seen)."""
        keys = sorted(values)
        t = torch.tensor([weight, *(values[k] * weight for k in keys)], dtype=torch.float64)
        dist.all_reduce(t)
        total = float(t[0]) or 1.0
        return {k: float(v) / total for k, v in zip(keys, t[1:], strict=True)}

    def gather_rows(self, out: Any, n: int) -> Any:
        """Every rank's block of ``n`` rows of ``out`` (a tensor, or a dict of tensors),
        concatenated in rank order (see :meth:`rows`)."""
        if isinstance(out, dict):
            return {k: self.gather_rows(v, n) for k, v in out.items()}
        sizes = [(r + 1) * n // self.world - r * n // self.world for r in range(self.world)]
        padded = torch.zeros((max(sizes), *out.shape[1:]), dtype=out.dtype, device=out.device)
        padded[: out.shape[0]] = out
        parts = [torch.empty_like(padded) for _ in range(self.world)]
        dist.all_gather(parts, padded)
        return torch.cat([p[:s] for p, s in zip(parts, sizes, strict=True)])

    def broadcast(self, value: T) -> T:
        """Rank 0's ``value`` (any picklable object), on every rank."""
        box = [value]
        dist.broadcast_object_list(box, src=0)
        return box[0]

    def from_main(self, make: Callable[[], T]) -> T:
        """``make()`` called on rank 0 alone (a file read), its result sent to every rank."""
        return self.broadcast(make() if self.is_main else None)

    def barrier(self) -> None:
        """Wait for every rank."""
        dist.barrier()


def on_main(read: Callable[[], T], group: Distributed | None) -> T:
    """``read()`` here, or, in a DDP run, on rank 0 alone and sent to every rank (a file
    that only rank 0 may read; a rank 0 that fails there fails alone, and the others
    follow it)."""
    return read() if group is None else group.from_main(read)


#: how a rank's message starts when it stops because another rank did
PEER_LOST = "another process of the run stopped"


def peer_lost(exc: BaseException) -> PeerLost | None:
    """A :class:`~trainlab.core.errors.PeerLost` for a collective that failed because a
    peer went away (gloo's or NCCL's connection error), else None."""
    text = str(exc)
    if isinstance(exc, dist.DistError) or "gloo" in text or "Connection closed" in text:
        first = text.splitlines()[0] if text else exc.__class__.__name__
        return PeerLost(f"{PEER_LOST} ({first[:120]})")
    return None


_CURRENT: Distributed | None = None


def current() -> Distributed | None:
    """The process group this process joined (:func:`from_env`), or None."""
    return _CURRENT


def from_env(env: Mapping[str, str] | None = None) -> Distributed | None:
    """Join the process group ``torchrun`` described in ``env`` (default: ``os.environ``).

    None when the process was not started by ``torchrun`` (no ``WORLD_SIZE``) or
    is alone (``WORLD_SIZE=1``). Joining twice returns the same group.
    """
    global _CURRENT
    env = os.environ if env is None else env
    if "WORLD_SIZE" not in env:
        return None
    try:
        world, rank = int(env["WORLD_SIZE"]), int(env["RANK"])
        local = int(env.get("LOCAL_RANK", "0"))
    except (KeyError, ValueError):
        raise ConfigError(
            "WORLD_SIZE is set but RANK is not an integer: start the run with "
            "torchrun or trainlab run --nproc N"
        ) from None
    if world <= 1:
        return None
    if _CURRENT is not None:
        return _CURRENT
    if not dist.is_initialized():
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        if backend == "nccl":
            torch.cuda.set_device(local)
        dist.init_process_group(backend, timeout=TIMEOUT)
    _CURRENT = Distributed(rank=rank, world=world, local_rank=local)
    return _CURRENT


def close() -> None:
    """Leave the process group (at the end of a run)."""
    global _CURRENT
    if dist.is_initialized():
        dist.destroy_process_group()
    _CURRENT = None
