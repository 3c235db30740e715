"""Transfer strategies by name: which stages are frozen, when, and at which learning rate.

- ``head-only``: every stage copied and frozen; only the new last layer trains
  (off-the-shelf features, Razavian et al., 2014).
- ``freeze-first-n``: the first ``transfer.freeze`` stages (default: every
  copied one) frozen, the rest fine-tuned (Yosinski et al., 2014's AnB).
- ``fine-tune-all``: copied stages are the starting point; everything trains
  (Yosinski et al.'s AnB+).
- ``differential-lr``: everything trains, each stage at its own learning rate,
  lower towards the input (Howard & Ruder, 2018; Singh et al., 2018): a list
  ``transfer.lrs`` or a geometric ``transfer.lr_decay`` from the head down
  (default 0.5).
- ``gradual-unfreeze``: copied stages start frozen and one more, from the top,
  is unfrozen every ``transfer.unfreeze_every`` epochs (Howard & Ruder, 2018).

``lrs`` and ``lr_decay`` apply to any strategy. The head always trains at
``optimizer.lr``.

Example:
    >>> from trainlab.config.recipe import TransferConfig
    >>> from trainlab.engine.transfer.plans import build_plan
    >>> cfg = TransferConfig(checkpoint="m.safetensors", strategy="gradual-unfreeze")
    >>> plan = build_plan(cfg, ["stage1", "stage2", "stage3"], copied=3, base_lr=0.01)
    >>> plan.frozen_at(1), plan.frozen_at(2), plan.frozen_at(4)
    (['stage1', 'stage2', 'stage3'], ['stage1', 'stage2'], [])
    >>> cfg = TransferConfig(checkpoint="m.safetensors", strategy="differential-lr")
    >>> build_plan(cfg, ["stage1", "stage2"], copied=2, base_lr=0.01).lrs
    {'stage1': 0.0025, 'stage2': 0.005}
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trainlab.config.recipe import TransferConfig
from trainlab.core.errors import ConfigError
from trainlab.core.registry import Registry

#: transfer strategies: name → builder(config, stage names, copied, base lr) → plan
TRANSFERS: Registry = Registry("transfer strategy")


@dataclass(frozen=True)
class TransferPlan:
    """What a transfer strategy decided.

    Attributes:
        strategy: its registered name.
        copied: stages copied from the checkpoint, input side first.
        frozen: stages frozen from the first epoch.
        lrs: learning rate of each stage (the head's is the optimizer's).
        unfreeze_every: gradual unfreezing period in epochs (0: the frozen set never changes).
    """

    strategy: str
    copied: list[str]
    frozen: list[str]
    lrs: dict[str, float] = field(default_factory=dict)
    unfreeze_every: int = 0

    def frozen_at(self, epoch: int) -> list[str]:
        """The stages frozen during epoch ``epoch`` (1-based)."""
        if not self.unfreeze_every:
            return list(self.frozen)
        thawed = max(0, epoch - 1) // self.unfreeze_every
        return list(self.frozen[: max(0, len(self.frozen) - thawed)])


def _lrs(cfg: TransferConfig, stages: list[str], base_lr: float, decay: float | None) -> dict:
    if cfg.lrs is not None:
        if len(cfg.lrs) != len(stages):
            raise ConfigError(
                f"transfer.lrs: expected one learning rate per stage ({len(stages)}: "
                f"{', '.join(stages)}), got {len(cfg.lrs)}"
            )
        return {s: float(lr) for s, lr in zip(stages, cfg.lrs, strict=True)}
    decay = cfg.lr_decay if cfg.lr_decay is not None else decay
    if decay is None:
        return {s: base_lr for s in stages}
    depth = len(stages)
    return {s: base_lr * decay ** (depth - i) for i, s in enumerate(stages)}


def _no_freeze_key(cfg: TransferConfig) -> None:
    if cfg.freeze is not None:
        raise ConfigError(f"transfer.freeze applies to strategy freeze-first-n, not {cfg.strategy}")


@TRANSFERS.register("head-only", aliases=("last-layer",))
def _head_only(cfg: TransferConfig, stages: list[str], copied: int, base_lr: float) -> TransferPlan:
    """Copy and freeze every stage; train the last layer only."""
    _no_freeze_key(cfg)
    if copied != len(stages):
        raise ConfigError(
            f"transfer.strategy head-only trains the last layer on every copied stage: "
            f"transfer.stages must be {len(stages)} (or unset), got {copied}"
        )
    return TransferPlan("head-only", stages, list(stages), _lrs(cfg, stages, base_lr, None))


@TRANSFERS.register("freeze-first-n", aliases=("freeze",))
def _freeze_first_n(
    cfg: TransferConfig, stages: list[str], copied: int, base_lr: float
) -> TransferPlan:
    """Freeze the first ``transfer.freeze`` stages (default: the copied ones); train the rest."""
    n = copied if cfg.freeze is None else cfg.freeze
    if n > copied:
        raise ConfigError(
            f"transfer.freeze is {n}, but only {copied} stage{'s are' if copied > 1 else ' is'} "
            "copied (transfer.stages): a frozen stage must come from the checkpoint"
        )
    return TransferPlan(
        "freeze-first-n", stages[:copied], stages[:n], _lrs(cfg, stages, base_lr, None)
    )


@TRANSFERS.register("fine-tune-all", aliases=("fine-tune",))
def _fine_tune_all(
    cfg: TransferConfig, stages: list[str], copied: int, base_lr: float
) -> TransferPlan:
    """Start from the copied stages; train everything."""
    _no_freeze_key(cfg)
    return TransferPlan("fine-tune-all", stages[:copied], [], _lrs(cfg, stages, base_lr, None))


@TRANSFERS.register("differential-lr", aliases=("discriminative-lr",))
def _differential(
    cfg: TransferConfig, stages: list[str], copied: int, base_lr: float
) -> TransferPlan:
    """Train everything, each stage at its own rate (default: halved per stage below the head)."""
    _no_freeze_key(cfg)
    return TransferPlan("differential-lr", stages[:copied], [], _lrs(cfg, stages, base_lr, 0.5))


@TRANSFERS.register("gradual-unfreeze")
def _gradual(cfg: TransferConfig, stages: list[str], copied: int, base_lr: float) -> TransferPlan:
    """Copied stages start frozen; one more, from the top, thaws every ``unfreeze_every`` epochs."""
    _no_freeze_key(cfg)
    return TransferPlan(
        "gradual-unfreeze",
        stages[:copied],
        stages[:copied],
        _lrs(cfg, stages, base_lr, None),
        unfreeze_every=cfg.unfreeze_every,
    )


def build_plan(
    cfg: TransferConfig, stages: list[str], *, copied: int, base_lr: float
) -> TransferPlan:
    """The plan of strategy ``cfg.strategy`` for a model with ``stages``."""
    try:
        builder = TRANSFERS.get(cfg.strategy)
    except ConfigError as exc:
        raise ConfigError(f"transfer.strategy: {exc}") from None
    return builder(cfg, list(stages), copied, base_lr)
