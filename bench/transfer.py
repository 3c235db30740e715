"""Transfer overhead: trainlab's frozen fine-tuning against the same thing written by hand.

A base CNN is trained on digits 0–4; then both loops fine-tune it on digits
5–9 with its first ``--freeze`` stages frozen (no gradient, batch norm in eval
mode) and per-stage learning rates (head lr, stage k below it lr·0.5ᵏ), from
the same initial weights, data, batch order and schedule. trainlab does it
with ``transfer: {strategy: freeze-first-n, lr_decay: 0.5}``; the peer is what
a careful PyTorch user writes: ``requires_grad_(False)``, ``.eval()`` on the
frozen stages after every ``model.train()``, and parameter groups by hand.
Runs alternate; medians are compared. The same run also times fine-tuning
every stage, to show what freezing saves.

    python bench/transfer.py [--epochs 2] [--repeats 5] [--freeze 2] [--device cpu]
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time

import torch

from trainer_overhead import hand_loop  # the same loop, with frozen stages kept in eval
from trainlab.config.recipe import Recipe
from trainlab.engine.loop import Trainer
from trainlab.engine.optim import build_optimizer, build_scheduler
from trainlab.workflows.assemble import build_member_model, make_trainer
from trainlab.workflows.run import prepare_run_data, run_recipe
from trainlab.workflows.transfer_setup import Transfer


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--recipe", default="digits-cnn")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--freeze", type=int, default=2)
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()
    device = torch.device(args.device)
    quick = {"train.epochs": args.epochs, "train.progress": False, "train.device": args.device}
    base_recipe = Recipe.load(args.recipe).override({**quick, "data.classes": [0, 1, 2, 3, 4]})
    base = run_recipe(base_recipe, out_dir=tempfile.mkdtemp()).folder / "model.safetensors"
    recipe = Recipe.load(args.recipe).override(
        {
            **quick,
            "data.classes": [5, 6, 7, 8, 9],
            "transfer.checkpoint": str(base),
            "transfer.strategy": "freeze-first-n",
            "transfer.freeze": args.freeze,
            "transfer.lr_decay": 0.5,
        }
    )
    transfer = Transfer.from_recipe(recipe)
    data = prepare_run_data(recipe, transfer)
    bs = recipe.train.batch_size
    steps = math.ceil(data.sizes["train"] / bs)

    def trainer_of(r: Recipe, t: Transfer | None) -> Trainer:
        return make_trainer(r, data, build_member_model(r, data, t, 0), device)

    def ours(r: Recipe = recipe, t: Transfer | None = transfer) -> tuple[float, dict]:
        trainer = trainer_of(r, t)
        start_state = {k: v.clone() for k, v in trainer.model.state_dict().items()}
        start = time.perf_counter()
        trainer.fit(data.train, data.val)
        if device.type == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter() - start, start_state

    def peer(start_state: dict) -> float:
        trainer = trainer_of(recipe, transfer)  # the same architecture
        model = trainer.model
        model.load_state_dict(start_state)
        model.set_frozen([])  # undo the trainer's set-up: the peer does it all by hand
        names = model.stage_names
        frozen = [model.stage(n) for n in names[: args.freeze]]
        for stage in frozen:
            stage.requires_grad_(False)
        lr = recipe.optimizer.lr
        groups = [{"params": list(model.head.parameters()), "lr": lr}] + [
            {"params": list(model.stage(n).parameters()), "lr": lr * 0.5 ** (len(names) - i)}
            for i, n in enumerate(names)
        ]
        opt = build_optimizer(groups, recipe.optimizer)
        sched = build_scheduler(opt, recipe.schedule, steps_per_epoch=steps, epochs=args.epochs)
        start = time.perf_counter()
        hand_loop(
            model, opt, sched, data.train, data.val, args.epochs, bs, recipe.seed, device, frozen
        )
        if device.type == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter() - start

    everything = recipe.override({"transfer.strategy": "fine-tune-all", "transfer.freeze": None})
    everything_transfer = Transfer.from_recipe(everything)
    _, state = ours()
    peer(state)  # warm-up
    t_ours, t_peer, t_all = [], [], []
    for _ in range(args.repeats):
        t, state = ours()
        t_ours.append(t)
        t_peer.append(peer(state))
        t_all.append(ours(everything, everything_transfer)[0])
    mo, mp, ma = (statistics.median(t) for t in (t_ours, t_peer, t_all))
    print(
        f"device={device} threads={torch.get_num_threads()} recipe={args.recipe} "
        f"epochs={args.epochs} train={data.sizes['train']} batch={bs} "
        f"frozen stages={args.freeze} repeats={args.repeats}"
    )
    print(f"hand-written frozen fine-tuning : {mp:7.3f} s (median)")
    print(f"trainlab freeze-first-n         : {mo:7.3f} s (median)")
    print(f"trainlab fine-tune-all          : {ma:7.3f} s (median)")
    print(f"ratio trainlab / hand-written = {mo / mp:.3f}  (overhead {100 * (mo / mp - 1):+.1f}%)")
    print(f"freezing {args.freeze} stages saves {100 * (1 - mo / ma):.0f}% of fine-tuning time")


if __name__ == "__main__":
    main()
