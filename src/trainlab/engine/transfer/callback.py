"""The training-loop side of a transfer: freezing on schedule, and learning rates in the history.

Example:
    >>> import torch
    >>> from trainlab.models import MLP
    >>> from trainlab.engine.loop import Trainer
    >>> from trainlab.engine.transfer.callback import TransferCallback
    >>> from trainlab.engine.transfer.plans import TransferPlan
    >>> model = MLP((4,), 2, widths=[8, 8])
    >>> plan = TransferPlan("freeze-first-n", ["stage1"], ["stage1"])
    >>> before = model.stages.stage1[1].weight.clone()
    >>> opt = torch.optim.SGD(model.parameters(), lr=0.1)
    >>> x, y = torch.randn(32, 4), torch.randint(0, 2, (32,))
    >>> t = Trainer(model, opt, epochs=2, callbacks=[TransferCallback(plan)], progress=False)
    >>> rows = t.fit((x, y)).rows
    >>> torch.equal(before, model.stages.stage1[1].weight), rows[0]["frozen"]
    (True, 1)
"""

from __future__ import annotations

from trainlab.engine.callbacks import Callback
from trainlab.engine.transfer.plans import TransferPlan


class TransferCallback(Callback):
    """Applies ``plan``'s frozen stages every epoch and logs ``lr_<group>`` and ``frozen``.

    A frozen stage logs a learning rate of 0: it got no update that epoch.
    Put it first among the callbacks, so that strategies reading
    ``requires_grad`` at the start of training see the frozen stages.
    """

    def __init__(self, plan: TransferPlan) -> None:
        self.plan = plan

    def on_fit_start(self, trainer) -> None:
        trainer.model.set_frozen(self.plan.frozen_at(trainer.epoch + 1))

    def on_epoch_start(self, trainer, epoch: int) -> None:
        trainer.model.set_frozen(self.plan.frozen_at(epoch))

    def on_epoch_end(self, trainer, epoch: int, logs: dict[str, float]) -> None:
        frozen = set(trainer.model.frozen_stages)
        logs["frozen"] = len(frozen)
        for group in trainer.optimizer.param_groups:
            name = group.get("name")
            if name is not None:
                logs[f"lr_{name}"] = 0.0 if name in frozen else float(group["lr"])
