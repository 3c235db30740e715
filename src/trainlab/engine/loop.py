"""The training loop.

A thin, fast loop over batches that are mappings (:mod:`trainlab.engine.batch`:
``{"x": inputs, "y": targets, ...}``). In-memory data are index slices of
tensors already on the training device (no per-example collation); a
streaming source (:mod:`trainlab.data.stream`) yields its own batches, shuffled
by the epoch's seed. What the targets are, the loss and the metrics come from
the task (:mod:`trainlab.engine.tasks`; default: classification). Randomness is
re-seeded from ``(seed, epoch)`` at every epoch so a resumed run replays the
same shuffles, dropout masks and strategy draws, and strategies plug in as
callbacks, called in the order they are given.

The trainer owns the randomness of training. At the start of epoch e of
ensemble member m it seeds, from :func:`trainlab.core.seeding.epoch_seed`:

- the shuffle generator (CPU) and torch's global generators (dropout masks)
  with ``epoch_seed(seed, e, m)``;
- :attr:`Trainer.generator`, on the training device (CUDA) or the CPU, with
  ``epoch_seed(seed + STRATEGY_STREAM, e, m)``: the draws of the strategies
  (input noise, label flips, weight noise), made in callback order.

Under DistributedDataParallel (``distributed``, see
:mod:`trainlab.engine.distributed`) every rank draws the same shuffle and takes
its share of each global batch; rank r > 0 adds ``r · RANK_STREAM`` to the
seeds of the dropout masks and the strategies' draws, so rank 0 draws what a
single process would.

Example:
    >>> import torch
    >>> from torch import nn
    >>> from trainlab.engine.loop import Trainer
    >>> x, y = torch.randn(64, 4), torch.randint(0, 2, (64,))
    >>> model = nn.Linear(4, 2)
    >>> opt = torch.optim.SGD(model.parameters(), lr=0.1)
    >>> t = Trainer(model, opt, epochs=2, batch_size=16, progress=False)
    >>> len(t.fit((x, y), (x, y)))
    2
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import torch
from torch import nn

from trainlab.core.errors import TrainingDiverged
from trainlab.core.seeding import epoch_seed
from trainlab.engine.batch import Batch, as_batch, batch_size, concat, take, to_device
from trainlab.engine.callbacks import (
    HOOKS,
    Callback,
    check_names,
    load_states,
    overrides,
    states_by_name,
)
from trainlab.engine.distributed import Distributed
from trainlab.engine.finite_check import FiniteCheck
from trainlab.engine.history import History
from trainlab.engine.prediction import predict_logits
from trainlab.engine.progress_bar import Bar, NoBar, progress_bar
from trainlab.engine.tasks import Classification, Task

Tensors = tuple[torch.Tensor, torch.Tensor]
#: the training loss: (outputs, targets) → a scalar; e.g. label smoothing's cross-entropy
Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
#: what ``fit`` and ``evaluate`` take: an ``(x, y)`` pair or a mapping batch of every
#: example (in memory), or a streaming source of batches (``set_epoch`` and iteration)
Data = Any


def _is_stream(data: Data) -> bool:
    return hasattr(data, "set_epoch") and not isinstance(data, (tuple, dict))


def _stream_of(data: Data) -> Data:
    """The batch source of ``data`` (a source, or a ``(source, targets)`` pair), else None."""
    if _is_stream(data):
        return data
    if isinstance(data, tuple) and data and _is_stream(data[0]):
        return data[0]
    return None


#: offset of the strategies' seed stream from the shuffles' (the augmentations' is 7919)
STRATEGY_STREAM = 104_729
#: offset of rank r's dropout and strategy seeds, times r, under DDP
RANK_STREAM = 1_299_709


def resolve_device(name: str = "auto") -> torch.device:
    """``auto`` → cuda, then mps, then cpu."""
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    return torch.device(name)


def seed_torch(seed: int, device: torch.device | None = None) -> None:
    """Seed PyTorch's global generators for ``device``.

    Cheaper than ``torch.manual_seed`` on a CPU-only run, which also queues
    (with a captured stack trace) a seeding of every lazily initialized backend.
    """
    torch.default_generator.manual_seed(seed)
    if device is not None and device.type == "cuda":
        torch.cuda.manual_seed_all(seed)
    elif device is not None and device.type == "mps":
        torch.mps.manual_seed(seed)


def steps_per_epoch(n: int, size: int, world: int = 1) -> int:
    """Optimizer steps of an in-memory epoch of ``n`` examples in batches of ``size``
    split over ``world`` processes (what a schedule must count; see :func:`_batch_ends`).

    Example:
        >>> steps_per_epoch(129, 128), steps_per_epoch(130, 128), steps_per_epoch(131, 128, 2)
        (1, 2, 1)
    """
    return len(_batch_ends(n, size, 2 * world))


def _batch_ends(n: int, size: int, least: int = 2) -> list[int]:
    """Where each training batch of an epoch of ``n`` examples ends.

    Batches of ``size``, the last one smaller; fewer than ``least`` examples left
    over join the batch before it, since batch normalization cannot train on one
    example (on one per process, under DDP: ``least`` is twice the processes).

    Example:
        >>> _batch_ends(10, 4), _batch_ends(9, 4), _batch_ends(1, 4), _batch_ends(11, 4, 4)
        ([4, 8, 10], [4, 9], [1], [4, 11])
    """
    ends = [*range(size, n, size), n]
    if len(ends) > 1 and ends[-1] - ends[-2] < least:
        ends.pop(-2)
    return ends


class Trainer:
    """Fits a model with mini-batch gradient descent.

    Args:
        model: any module mapping a batch's inputs to the task's outputs.
        optimizer: the optimizer over the model's parameters.
        scheduler: an optional per-step learning-rate scheduler.
        epochs: number of epochs.
        batch_size: training batch size.
        eval_batch_size: batch size for validation and prediction.
        task: the task (default: classification); its loss trains, its metrics
            fill the history (``train_<metric>``, ``val_<metric>``). Moved to
            ``device``; its parameters (uncertainty weights) belong in ``optimizer``.
        loss: replaces the task's training loss (e.g.
            :class:`~trainlab.engine.strategies.label_smoothing.LabelSmoothing`);
            validation is always scored by the task's own metrics.
        callbacks: strategies plugged into the loop; at every event they are
            called in this order, and their names must be distinct.
        device: where training runs; tensors are moved there once.
        amp: bfloat16 autocast (CUDA only).
        clip_grad_norm: clip the gradient norm to this value (0: off).
        seed: base seed of shuffles and per-epoch randomness.
        member: ensemble member index (mixes into the per-epoch seed).
        progress: show a progress bar with the live loss and the task's metric.
        desc: progress-bar label.
        distributed: this process's rank among a DDP run's processes (None: alone);
            see :mod:`trainlab.engine.distributed`.
        compile: a ``torch.compile`` mode for the training forward and backward pass
            (``default``, ``reduce-overhead``: CUDA graphs, ``max-autotune``), or None:
            eager. Evaluation stays eager.

    Attributes:
        generator: the generator the callbacks draw from, re-seeded every epoch
            (on the training device for CUDA, else on the CPU).
    """

    def __init__(
        self,
        model: nn.Module,
        optimizer: torch.optim.Optimizer,
        scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
        *,
        epochs: int = 10,
        batch_size: int = 128,
        eval_batch_size: int = 1024,
        task: Task | None = None,
        loss: Loss | None = None,
        callbacks: Sequence[Callback] = (),
        device: torch.device | str = "cpu",
        amp: bool = False,
        clip_grad_norm: float = 0.0,
        seed: int = 0,
        member: int = 0,
        progress: bool = True,
        desc: str = "",
        distributed: Distributed | None = None,
        compile: str | None = None,
    ) -> None:
        self.compile = compile
        self.distributed = distributed
        self.device = torch.device(device)
        self.model = model.to(self.device)
        self.optimizer = optimizer
        self.scheduler = scheduler
        self.epochs = epochs
        self.batch_size = batch_size
        self.eval_batch_size = eval_batch_size
        self.task: Task = (task if task is not None else Classification(None)).to(self.device)
        self.loss: Loss | None = loss
        self.callbacks = list(callbacks)
        check_names(self.callbacks)
        self.amp = amp and self.device.type == "cuda"
        self.clip_grad_norm = clip_grad_norm
        self.seed = seed
        self.member = member
        self.progress = progress
        self.desc = desc
        self.history = History()
        self.epoch = 0  # epochs completed
        self.step = 0  # optimizer steps taken
        self.should_stop = False
        gen_device = self.device if self.device.type == "cuda" else torch.device("cpu")
        self.generator = torch.Generator(device=gen_device)
        self.generator.manual_seed(self._strategy_seed(0))
        self._shuffle = torch.Generator()
        self._net: nn.Module = self.model  # what the steps call: the model, or its DDP wrapper
        self._trainable: tuple[bool, ...] = ()
        self._weight = 1.0  # this rank's loss factor for the current batch (DDP)
        self._hooks = {h: [cb for cb in self.callbacks if overrides(cb, h)] for h in HOOKS}

    # -- state ---------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """Everything needed to resume after the last completed epoch.

        ``callbacks`` maps each callback's name to its state.
        """
        return {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict() if self.scheduler else None,
            "callbacks": states_by_name(self.callbacks),
            "task": self.task.state_dict(),
            "history": self.history.rows,
            "epoch": self.epoch,
            "step": self.step,
            "should_stop": self.should_stop,
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore :meth:`state_dict`; ``CheckpointError`` when its callbacks are not these."""
        load_states(self.callbacks, state["callbacks"])
        self.model.load_state_dict(state["model"])
        if state.get("task"):
            self.task.load_state_dict(state["task"])
        self.optimizer.load_state_dict(state["optimizer"])
        if self.scheduler is not None and state.get("scheduler") is not None:
            self.scheduler.load_state_dict(state["scheduler"])
        self.history = History(state["history"])
        self.epoch = int(state["epoch"])
        self.step = int(state["step"])
        self.should_stop = bool(state.get("should_stop", False))

    # -- helpers ---------------------------------------------------------------
    def _call(self, hook: str, *args: Any) -> None:
        for cb in self._hooks[hook]:
            getattr(cb, hook)(self, *args)

    def _autocast(self) -> contextlib.AbstractContextManager:
        if self.amp:
            return torch.autocast("cuda", dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def _to_device(self, data: Data) -> Data:
        if data is None:
            return None
        stream = _stream_of(data)
        if stream is not None:
            return stream
        return to_device(as_batch(data), self.device)

    @property
    def _rank_offset(self) -> int:
        return self.distributed.rank * RANK_STREAM if self.distributed is not None else 0

    def _strategy_seed(self, epoch: int) -> int:
        return epoch_seed(self.seed + STRATEGY_STREAM + self._rank_offset, epoch, self.member)

    def _seed_epoch(self, epoch: int) -> None:
        """Seed every generator of training for ``epoch`` (see the module's notes)."""
        seed = epoch_seed(self.seed, epoch, self.member)
        seed_torch(epoch_seed(self.seed + self._rank_offset, epoch, self.member), self.device)
        self._shuffle.manual_seed(seed)
        self.generator.manual_seed(self._strategy_seed(epoch))

    def _wrap(self) -> None:
        """Under DDP, (re)wrap the model when the set of trainable parameters changed
        (a transfer that thaws layers): DDP's reducer knows only those it was built with."""
        if self.distributed is None:
            if self.compile and self._net is self.model:
                self._net = self._compiled(self.model)
            return
        trainable = tuple(p.requires_grad for p in self.model.parameters())
        if trainable == self._trainable:
            return
        from torch.nn.parallel import DistributedDataParallel

        ids = [self.device.index] if self.device.type == "cuda" else None
        self._net = self._compiled(DistributedDataParallel(self.model, device_ids=ids))
        self._trainable = trainable

    def _compiled(self, net: nn.Module) -> nn.Module:
        """``net`` compiled in :attr:`compile`'s mode (itself when eager)."""
        return torch.compile(net, mode=self.compile) if self.compile else net

    def _share(self, index: torch.Tensor) -> torch.Tensor:
        """This rank's share of a global batch's ``index`` (all of it alone); sets the
        rank's loss factor for the step."""
        if self.distributed is None:
            return index
        n = len(index)
        self._weight = self.distributed.loss_weight(self.distributed.share(n), n)
        return self.distributed.shard(index)

    def _batches(self, data: Data, epoch: int) -> Iterator[Batch]:
        """The epoch's training batches: index slices of a shuffle, or the stream's own."""
        if _is_stream(data):
            data.set_epoch(epoch_seed(self.seed, epoch, self.member))
            for batch in data:
                batch = to_device(as_batch(batch), self.device)
                if self.distributed is not None:
                    index = torch.arange(batch_size(batch), device=self.device)
                    batch = take(batch, self._share(index))
                yield batch
            return
        perm = torch.randperm(batch_size(data), generator=self._shuffle).to(self.device)
        start = 0
        for end in _batch_ends(len(perm), self.batch_size, 2 * self._world):
            yield take(data, self._share(perm[start:end]))
            start = end

    @property
    def _world(self) -> int:
        return self.distributed.world if self.distributed is not None else 1

    def _steps_per_epoch(self, data: Data) -> int:
        if _is_stream(data):
            return len(data)
        return len(_batch_ends(batch_size(data), self.batch_size, 2 * self._world))

    # -- fitting -------------------------------------------------------------
    def fit(self, train: Tensors, val: Tensors | None = None) -> History:
        """Train from the current epoch up to ``epochs``; returns the history."""
        train = self._to_device(train)
        val = self._to_device(val)
        steps_per_epoch = self._steps_per_epoch(train)
        self._call("on_fit_start")
        bar = progress_bar(self.epochs * steps_per_epoch, self.progress, self.desc)
        bar.update(self.epoch * steps_per_epoch)
        finite = FiniteCheck(self.device)
        try:
            while self.epoch < self.epochs and not self.should_stop:
                epoch = self.epoch + 1
                start = time.perf_counter()
                row = self._train_epoch(epoch, train, bar, finite)
                if val is not None and (_is_stream(val) or batch_size(val) > 0):
                    row.update({f"val_{k}": v for k, v in self.evaluate(val).items()})
                row["lr"] = self.optimizer.param_groups[0]["lr"]
                row["seconds"] = time.perf_counter() - start
                self.epoch = epoch
                self.history.append(row)
                self._call("on_epoch_end", epoch, self.history.rows[-1])
                watch = f"val_{self.task.primary}"
                bar.set_postfix(
                    epoch=epoch,
                    loss=f"{row['train_loss']:.4f}",
                    **({watch: f"{row[watch]:.3f}"} if watch in row else {}),
                )
        finally:
            bar.close()
        self._call("on_fit_end")
        return self.history

    def _train_epoch(
        self, epoch: int, data: Data, bar: Bar | NoBar, finite: FiniteCheck
    ) -> dict[str, float]:
        """One epoch of updates; its history row so far (epoch, the task's train metrics)."""
        self._seed_epoch(epoch)
        self._call("on_epoch_start", epoch)
        self._wrap()
        self.model.train()
        running = self.task.running()
        seen = 0
        for i, batch in enumerate(self._batches(data, epoch)):
            for cb in self._hooks["on_train_batch"]:
                batch = cb.on_train_batch(self, batch)
            out, loss = self._step(epoch, i + 1, batch, finite)
            running.update(out, batch["y"], loss, batch_size(batch))
            seen += batch_size(batch)
            bar.update(1)
            if bar.should_refresh():
                bar.set_postfix(epoch=epoch, **running.postfix())
        metrics = running.result()
        if self.distributed is not None:  # every rank's, weighted by its examples
            metrics = self.distributed.weighted_mean(metrics, seen)
        train_loss = metrics["loss"]
        if not math.isfinite(train_loss):
            raise TrainingDiverged(
                f"the training loss became {train_loss} in epoch {epoch}; "
                "lower optimizer.lr, or set train.clip_grad_norm",
                epoch=epoch,
                value=train_loss,
            )
        return {"epoch": epoch, **{f"train_{k}": v for k, v in metrics.items()}}

    def _step(
        self, epoch: int, index: int, batch: Batch, finite: FiniteCheck
    ) -> tuple[Any, torch.Tensor]:
        """One optimizer step on ``batch`` (the ``index``-th of the epoch); its outputs and loss."""
        self._call("on_before_forward")
        with self._autocast():
            out = self._net(batch["x"])
            y = batch["y"]
            loss = self.loss(out, y) if self.loss is not None else self.task.loss(out, y)
        for cb in self._hooks["on_loss"]:
            loss = cb.on_loss(self, loss)
        bad = finite.check(loss, index)
        if bad is not None:
            value, at = bad
            raise TrainingDiverged(
                f"the training loss became {value} at epoch {epoch}, "
                f"batch {at}; lower optimizer.lr, or set train.clip_grad_norm",
                epoch=epoch,
                batch=at,
                value=value,
            )
        self.optimizer.zero_grad(set_to_none=True)
        (loss * self._weight if self.distributed is not None else loss).backward()
        self._call("on_after_backward")
        if self.clip_grad_norm > 0:
            nn.utils.clip_grad_norm_(self.model.parameters(), self.clip_grad_norm)
        self.optimizer.step()
        if self.scheduler is not None:
            self.scheduler.step()
        self._call("on_batch_end", self.step)
        self.step += 1
        return out, loss

    # -- inference -------------------------------------------------------------
    def predict_logits(self, x: torch.Tensor) -> Any:
        """The model's outputs for every example of ``x``, in eval mode."""
        return predict_logits(self.model, x, self.device, self.eval_batch_size, self.amp)

    def outputs(self, data: Data) -> tuple[Any, Any]:
        """The model's outputs (eval mode) and the targets of every example of ``data``."""
        stream = _stream_of(data)
        if stream is None:
            batch = as_batch(data)
            if self.distributed is None:
                return self.predict_logits(batch["x"]), batch["y"]
            n = batch_size(batch)  # each rank scores its block; all of them are gathered
            block = torch.arange(n, device=self.device)[self.distributed.rows(n)]
            out = self.predict_logits(take(batch, block)["x"])
            return self.distributed.gather_rows(out, n), batch["y"]
        outs, ys = [], []
        stream = stream.in_order() if hasattr(stream, "in_order") else stream
        stream.set_epoch(0)
        for batch in stream:
            outs.append(self.predict_logits(batch["x"]))
            ys.append(batch["y"])
        return concat(outs), concat(ys)

    def evaluate(self, data: Data) -> dict[str, float]:
        """The task's metrics on ``data`` (for classification: plain cross-entropy, accuracy)."""
        out, y = self.outputs(data)
        y = to_device({"y": y}, out.device if isinstance(out, torch.Tensor) else self.device)["y"]
        return self.task.evaluate(out, y)
