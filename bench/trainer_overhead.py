"""Trainer overhead: trainlab's loop against a plain hand-written PyTorch loop.

Both train the same model (the default recipe's CNN), from the same initial
weights, on the same digits data, with the same optimizer, one-cycle schedule,
batch order and per-epoch validation; the only difference is the loop. Runs
alternate (ours, peer, ours, …) so that drift in machine speed hits both, and
the median time of each is compared.

    python bench/trainer_overhead.py [--epochs 2] [--repeats 5] [--device cpu]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import torch
import torch.nn.functional as F

from trainlab.config.recipe import Recipe
from trainlab.engine.loop import Trainer, epoch_seed
from trainlab.engine.optim import build_optimizer, build_scheduler
from trainlab.models import build_model
from trainlab.models.init import apply_init
from trainlab.workflows.prepare import prepare_data


def hand_loop(model, opt, sched, train, val, epochs, batch_size, seed, device, frozen=()):
    """What a careful PyTorch user writes by hand, with the same work per epoch.

    ``frozen``: modules kept in eval mode while training (a transfer's frozen stages).
    """
    x, y = train[0].to(device), train[1].to(device)
    vx, vy = val[0].to(device), val[1].to(device)
    for epoch in range(1, epochs + 1):
        s = epoch_seed(seed, epoch)
        torch.default_generator.manual_seed(s)  # what the Trainer does (cheaper than manual_seed)
        perm = torch.randperm(len(y), generator=torch.Generator().manual_seed(s)).to(device)
        model.train()
        for module in frozen:  # keep their batch-norm statistics
            module.eval()
        loss_sum = torch.zeros((), device=device)
        correct = torch.zeros((), device=device, dtype=torch.long)
        for i in range(0, len(y), batch_size):
            idx = perm[i : i + batch_size]
            xb, yb = x[idx], y[idx]
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.detach() * len(yb)
            correct += (logits.detach().argmax(1) == yb).sum()
        model.eval()
        with torch.no_grad():
            out = torch.cat([model(vx[i : i + 1024]) for i in range(0, len(vy), 1024)])
            F.cross_entropy(out, vy).item()
            (out.argmax(1) == vy).float().mean().item()
        loss_sum.item()
        correct.item()


def setup(recipe, data, device):
    torch.manual_seed(0)
    model = build_model(recipe.model, data.in_shape, len(data.classes))
    apply_init(model, recipe.init.scheme, recipe.init.std)
    model.to(device)
    opt = build_optimizer(model.parameters(), recipe.optimizer)
    steps = math.ceil(data.sizes["train"] / recipe.train.batch_size)
    sched = build_scheduler(opt, recipe.schedule, steps_per_epoch=steps, epochs=recipe.train.epochs)
    return model, opt, sched


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--recipe", default="digits-cnn")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()
    device = torch.device(args.device)
    recipe = Recipe.load(args.recipe).override({"train.epochs": args.epochs})
    data = prepare_data(recipe)
    bs = recipe.train.batch_size

    def ours() -> float:
        model, opt, sched = setup(recipe, data, device)
        t = Trainer(
            model,
            opt,
            sched,
            epochs=args.epochs,
            batch_size=bs,
            device=device,
            progress=False,
            seed=recipe.seed,
        )
        start = time.perf_counter()
        t.fit(data.train, data.val)
        if device.type == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter() - start

    def peer() -> float:
        model, opt, sched = setup(recipe, data, device)
        start = time.perf_counter()
        hand_loop(model, opt, sched, data.train, data.val, args.epochs, bs, recipe.seed, device)
        if device.type == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter() - start

    ours(), peer()  # warm-up
    t_ours, t_peer = [], []
    for _ in range(args.repeats):
        t_ours.append(ours())
        t_peer.append(peer())
    mo, mp = statistics.median(t_ours), statistics.median(t_peer)
    print(
        f"device={device} threads={torch.get_num_threads()} recipe={args.recipe} "
        f"epochs={args.epochs} train={data.sizes['train']} batch={bs} repeats={args.repeats}"
    )
    print(f"hand-written loop : {mp:8.3f} s (median; runs {', '.join(f'{t:.2f}' for t in t_peer)})")
    print(f"trainlab Trainer  : {mo:8.3f} s (median; runs {', '.join(f'{t:.2f}' for t in t_ours)})")
    print(f"ratio trainlab / hand-written = {mo / mp:.3f}  (overhead {100 * (mo / mp - 1):+.1f}%)")


if __name__ == "__main__":
    main()
