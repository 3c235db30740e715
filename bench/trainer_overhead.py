"""Trainer overhead: trainlab's loop against a plain hand-written PyTorch loop.

Both train the same model, from the same initial weights, on the same data,
with the same optimizer, schedule, batch order and per-epoch validation; the
only difference is the loop. Runs alternate (ours, peer, ours, …) so that
drift in machine speed hits both, and the median time of each is compared.

Three tasks, each against the loop a careful user would write for it:

- ``classification`` (default): the default recipe's CNN on digits;
  cross-entropy, running loss and accuracy, validation loss and accuracy;
- ``regression``: an MLP on scikit-learn's diabetes data, standardized
  targets, MSE, running loss and RMSE, validation RMSE, MAE and R²;
- ``multitask``: the CNN with two heads (hard sharing) on digits, the digit
  and its parity, the sum of the two cross-entropies, each task's running and
  validation loss and accuracy.

With ``--compile MODE`` trainlab's step is compiled (``train.compile``:
``default``, or ``reduce-overhead`` for CUDA graphs) and still raced against
the eager hand-written loop; for the classification loop the two final
validation losses are printed side by side (the compiled step's kernels round
differently, so they agree to a tolerance, not bit for bit).

    python bench/trainer_overhead.py [--task classification] [--recipe digits-cnn]
        [--epochs 2] [--repeats 5] [--device cpu] [--compile off]
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
            val_loss = F.cross_entropy(out, vy).item()
            (out.argmax(1) == vy).float().mean().item()
        loss_sum.item()
        correct.item()
    return val_loss


def hand_loop_regression(model, opt, sched, train, val, epochs, batch_size, seed, device):
    """The same loop for a standardized regression target (MSE), as a user writes it."""
    x, y = train[0].to(device), train[1].to(device)
    vx, vy = val[0].to(device), val[1].to(device)
    mean, std = y.mean(), y.std(unbiased=False)
    for epoch in range(1, epochs + 1):
        s = epoch_seed(seed, epoch)
        torch.default_generator.manual_seed(s)
        perm = torch.randperm(len(y), generator=torch.Generator().manual_seed(s)).to(device)
        model.train()
        loss_sum = torch.zeros((), device=device)
        sse = torch.zeros((), device=device)
        for i in range(0, len(y), batch_size):
            idx = perm[i : i + batch_size]
            xb, yb = x[idx], y[idx]
            out = model(xb).reshape(-1)
            loss = F.mse_loss(out, (yb - mean) / std)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.detach() * len(yb)
            sse += ((out.detach() * std + mean - yb) ** 2).sum()
        model.eval()
        with torch.no_grad():
            pred = model(vx).reshape(-1) * std + mean
            err = pred - vy
            (err**2).mean().sqrt().item(), err.abs().mean().item()
            (1 - (err**2).sum() / ((vy - vy.mean()) ** 2).sum()).item()
        loss_sum.item()
        sse.item()


def hand_loop_multitask(model, opt, sched, train, val, epochs, batch_size, seed, device):
    """The same loop for two classification heads (a mapping of outputs), summed losses."""
    x = train[0].to(device)
    y = {k: v.to(device) for k, v in train[1].items()}
    vx = val[0].to(device)
    vy = {k: v.to(device) for k, v in val[1].items()}
    n = len(x)
    for epoch in range(1, epochs + 1):
        s = epoch_seed(seed, epoch)
        torch.default_generator.manual_seed(s)
        perm = torch.randperm(n, generator=torch.Generator().manual_seed(s)).to(device)
        model.train()
        sums = {k: torch.zeros((), device=device) for k in y}
        correct = {k: torch.zeros((), device=device, dtype=torch.long) for k in y}
        total = torch.zeros((), device=device)
        for i in range(0, n, batch_size):
            idx = perm[i : i + batch_size]
            xb = x[idx]
            out = model(xb)
            losses = {k: F.cross_entropy(out[k], y[k][idx]) for k in y}
            loss = sum(losses.values())
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            total += loss.detach() * len(idx)
            for k in y:
                sums[k] += losses[k].detach() * len(idx)
                correct[k] += (out[k].detach().argmax(1) == y[k][idx]).sum()
        model.eval()
        with torch.no_grad():
            out = model(vx)
            for k in vy:
                F.cross_entropy(out[k], vy[k]).item()
                (out[k].argmax(1) == vy[k]).float().mean().item()
        total.item()
        [v.item() for v in sums.values()], [v.item() for v in correct.values()]


#: task → (recipe, overrides, the hand-written loop)
TASKS = {
    "classification": ("digits-cnn", {}, hand_loop),
    "regression": (
        "wine-mlp",
        {"data.dataset": "diabetes", "model.widths": [64, 64], "train.batch_size": 32},
        hand_loop_regression,
    ),
    "multitask": ("digits-cnn", {"task.targets": ["digit", "parity"]}, hand_loop_multitask),
}


def setup(recipe, data, device):
    from trainlab.workflows.assemble import build_run_model

    torch.manual_seed(0)
    model = build_run_model(recipe, data)
    apply_init(model, recipe.init.scheme, recipe.init.std)
    model.to(device)
    opt = build_optimizer(model.parameters(), recipe.optimizer)
    steps = math.ceil(data.sizes["train"] / recipe.train.batch_size)
    sched = build_scheduler(opt, recipe.schedule, steps_per_epoch=steps, epochs=recipe.train.epochs)
    return model, opt, sched


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--task", choices=sorted(TASKS), default="classification")
    ap.add_argument("--recipe", default=None, help="another recipe for the task's loop")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--device", default="cpu")
    ap.add_argument(
        "--compile", default="off", choices=["off", "default", "reduce-overhead", "max-autotune"]
    )
    args = ap.parse_args()
    device = torch.device(args.device)
    name, overrides, loop = TASKS[args.task]
    name = args.recipe or name
    recipe = Recipe.load(name).override({**overrides, "train.epochs": args.epochs})
    data = prepare_data(recipe)
    bs = recipe.train.batch_size
    from trainlab.workflows.task_setup import build_task

    last: dict[str, float | None] = {}

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
            task=build_task(recipe, data),
            compile=None if args.compile == "off" else args.compile,
        )
        start = time.perf_counter()
        t.fit(data.train, data.val)
        if device.type == "cuda":
            torch.cuda.synchronize()
        last["ours"] = t.history.rows[-1].get("val_loss")
        return time.perf_counter() - start

    def peer() -> float:
        model, opt, sched = setup(recipe, data, device)
        start = time.perf_counter()
        last["peer"] = loop(
            model, opt, sched, data.train, data.val, args.epochs, bs, recipe.seed, device
        )
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
        f"device={device} threads={torch.get_num_threads()} task={args.task} recipe={name} "
        f"epochs={args.epochs} train={data.sizes['train']} batch={bs} repeats={args.repeats} "
        f"compile={args.compile}"
    )
    print(f"hand-written loop : {mp:8.3f} s (median; runs {', '.join(f'{t:.2f}' for t in t_peer)})")
    print(f"trainlab Trainer  : {mo:8.3f} s (median; runs {', '.join(f'{t:.2f}' for t in t_ours)})")
    print(f"ratio trainlab / hand-written = {mo / mp:.3f}  (overhead {100 * (mo / mp - 1):+.1f}%)")
    if last.get("peer") is not None and last.get("ours") is not None:
        gap = abs(last["ours"] - last["peer"]) / abs(last["peer"])
        print(
            f"final val_loss: trainlab {last['ours']:.6f}, hand-written {last['peer']:.6f} "
            f"(relative difference {gap:.2e})"
        )


if __name__ == "__main__":
    main()
