"""Train, or resume, the members of a run's ensemble (one member without ``ensemble``).

Member ``k`` trains with seed ``recipe.seed + k`` (Lakshminarayanan et al.,
2017: members that differ only in their initialization and batch order). In a
run folder, the trainer's whole state is written after every epoch
(``state.safetensors``) and each finished member is kept
(``member-<k>.safetensors``), so a run interrupted at any moment continues
exactly where it stopped and ends with the same weights. In a DDP run
(:mod:`trainlab.engine.distributed`) rank 0 alone writes those files and
reads them back on a resume, and sends what it read to the other ranks, so
the run folder needs to be on rank 0's machine only.

Example:
    >>> from trainlab.workflows.members import MemberInfo
    >>> info = MemberInfo(history=[{"epoch": 1, "val_loss": 0.5}], best_epoch=1)
    >>> MemberInfo.from_dict(info.to_dict()) == info
    True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from trainlab.config.recipe import Recipe
from trainlab.engine.callbacks import Callback
from trainlab.engine.distributed import Distributed, on_main
from trainlab.engine.loop import Trainer
from trainlab.engine.strategies.early_stopping import EarlyStopping
from trainlab.io.checkpoint import flatten_state, load_checkpoint, save_checkpoint, unflatten_state
from trainlab.models import StagedModel
from trainlab.workflows.assemble import MemberModel, build_member_model, make_trainer
from trainlab.workflows.prepare import PreparedData
from trainlab.workflows.text_setup import training_split
from trainlab.workflows.transfer_setup import Transfer

#: the resumable state of the member in training, in a run folder
STATE_FILE = "state.safetensors"


@dataclass(frozen=True)
class MemberInfo:
    """What one member's training left besides its weights.

    Attributes:
        history: one row per epoch (``epoch``, losses, accuracies, ``seconds``, …).
        best_epoch: the epoch early stopping kept (None without early stopping).
        stopped_epoch: the epoch early stopping stopped at (None: it ran every epoch).
        transfer: what its transfer copied and froze (the checkpoint's ``transfer``), or None.
        task_state: the trained task's tensors as lists (standardization, learned
            uncertainty weights), or None when the task holds none.
    """

    history: list[dict[str, Any]]
    best_epoch: int | None = None
    stopped_epoch: int | None = None
    transfer: dict[str, Any] | None = None
    task_state: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON kept in a finished member's file (``transfer`` only when there is one)."""
        out: dict[str, Any] = {
            "history": self.history,
            "best_epoch": self.best_epoch,
            "stopped_epoch": self.stopped_epoch,
        }
        if self.transfer is not None:
            out["transfer"] = self.transfer
        if self.task_state:
            out["task_state"] = self.task_state
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> MemberInfo:
        """Read back :meth:`to_dict` (``transfer`` is absent without transfer)."""
        return cls(
            d["history"],
            d["best_epoch"],
            d["stopped_epoch"],
            d.get("transfer"),
            d.get("task_state"),
        )


@dataclass(frozen=True)
class TrainedMembers:
    """The trained members of a run, in evaluation mode, and their training records."""

    models: list[StagedModel]
    infos: list[MemberInfo]

    @property
    def first(self) -> MemberInfo:
        """Member 0's record: the one whose curves a run reports and diagnoses."""
        return self.infos[0]


class _SaveState(Callback):
    """Writes the resumable state of the current member after every epoch (in a DDP
    run, on rank 0; every rank has it, so that every rank's state lists it)."""

    def __init__(self, path: Path, member: int) -> None:
        self.path, self.member = path, member

    def on_epoch_end(self, trainer: Trainer, epoch: int, logs: dict[str, float]) -> None:
        if not _writes(trainer.distributed):
            return
        tensors, skeleton = flatten_state(trainer.state_dict())
        save_checkpoint(
            self.path, tensors, {"kind": "state", "member": self.member, "state": skeleton}
        )


def member_file(folder: Path, member: int) -> Path:
    """Where a run folder keeps finished member ``member`` until the run is complete."""
    return folder / f"member-{member}.safetensors"


def _member_info(trainer: Trainer, transfer: dict[str, Any] | None) -> MemberInfo:
    es = next((cb for cb in trainer.callbacks if isinstance(cb, EarlyStopping)), None)
    return MemberInfo(
        history=trainer.history.rows,
        best_epoch=es.best_epoch if es else None,
        stopped_epoch=es.stopped_epoch if es else None,
        transfer=transfer,
        task_state={k: v.tolist() for k, v in trainer.task.state_dict().items()} or None,
    )


def _train_one(
    trainer: Trainer,
    data: PreparedData,
    folder: Path | None,
    member: int,
    transfer: dict[str, Any] | None,
) -> MemberInfo:
    """Fit member ``member`` (from its saved state, if a run folder has one)."""
    state = on_main(lambda: _saved_state(folder, member), trainer.distributed)
    if state is not None:
        trainer.load_state_dict(state)
    trainer.fit(training_split(data), data.val)
    info = _member_info(trainer, transfer)
    if folder is not None and _writes(trainer.distributed):
        save_checkpoint(
            member_file(folder, member),
            dict(trainer.model.state_dict()),
            {"kind": "member", "member": member, "info": info.to_dict()},
        )
    return info


def _saved_state(folder: Path | None, member: int) -> dict[str, Any] | None:
    """The resumable state of member ``member`` kept in ``folder``, or None."""
    path = folder / STATE_FILE if folder is not None else None
    if path is None or not path.exists():
        return None
    tensors, meta = load_checkpoint(path)
    return unflatten_state(meta["state"], tensors) if meta.get("member") == member else None


def _saved_member(path: Path | None) -> tuple[dict[str, torch.Tensor], MemberInfo] | None:
    """A finished member's weights and record, if ``path`` holds one."""
    if path is None or not path.exists():
        return None
    tensors, meta = load_checkpoint(path)
    return tensors, MemberInfo.from_dict(meta["info"])


def _writes(distributed: Distributed | None) -> bool:
    """Whether this process writes the run folder (alone, or rank 0 of a DDP run)."""
    return distributed is None or distributed.is_main


def train_members(
    recipe: Recipe,
    data: PreparedData,
    transfer: Transfer | None,
    device: torch.device,
    folder: Path | None = None,
    *,
    extra_callbacks: Callable[[int], list[Callback]] | None = None,
    first: MemberModel | None = None,
) -> TrainedMembers:
    """Train (or, in a run folder, resume) every ensemble member.

    Args:
        recipe: the run's recipe.
        data: its prepared data (adapted to ``transfer``'s checkpoint).
        transfer: the recipe's resolved transfer, or None.
        device: where to train.
        folder: the run's partial folder, for resumable state (None: nothing is written).
        extra_callbacks: ``extra_callbacks(member)`` adds callbacks to a member's
            training (e.g. activation probes).
        first: member 0's model, when the caller built it already (to check it early).
    """
    models: list[StagedModel] = []
    infos: list[MemberInfo] = []
    for member in range(recipe.ensemble.members):
        if member == 0 and first is not None:
            built = first
        else:
            built = build_member_model(recipe, data, transfer, member)
        probes = list(extra_callbacks(member)) if extra_callbacks is not None else []
        save = _SaveState(folder / STATE_FILE, member) if folder is not None else None
        trainer = make_trainer(recipe, data, built, device, probes, save)
        done = member_file(folder, member) if folder is not None else None
        saved = on_main(lambda: _saved_member(done), trainer.distributed)  # noqa: B023
        if saved is not None:
            trainer.model.load_state_dict(saved[0])
            info = saved[1]
        else:
            transfer_info = built.transfer.info if built.transfer is not None else None
            info = _train_one(trainer, data, folder, member, transfer_info)
        trainer.model.eval()
        models.append(trainer.model)
        infos.append(info)
    return TrainedMembers(models, infos)
