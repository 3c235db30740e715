"""DDP on this machine: trainlab's DDP trainer against a hand-written DDP loop.

Each of N gloo (CPU) processes of one thread runs both, alternately, on the
same data, from the same initial weights, with the same optimizer, schedule
and global batch split across the ranks, validating every epoch: trainlab's
``Trainer`` with ``distributed`` (what ``trainlab run --nproc N`` runs), and
the loop a careful PyTorch user writes, where every rank takes its strided
share of each shuffled global batch, scores the whole validation split and
reduces its running loss and accuracy with ``all_reduce`` every epoch. The
median times are compared. One process with N threads training the same
model with trainlab's ``Trainer`` is timed afterwards, for scale.

    python bench/ddp.py [--recipe digits-cnn] [--epochs 2] [--nproc 2] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import tempfile
import time
from pathlib import Path

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

from trainlab.config.recipe import Recipe
from trainlab.engine.distributed import Distributed
from trainlab.engine.loop import Trainer, epoch_seed, steps_per_epoch
from trainlab.engine.optim import build_optimizer, build_scheduler
from trainlab.workflows.assemble import build_member_model
from trainlab.workflows.prepare import prepare_data


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup(recipe: Recipe, data, world: int):
    """The model (same initial weights every time), optimizer and schedule."""
    model = build_member_model(recipe, data, None, 0).model
    opt = build_optimizer(model.parameters(), recipe.optimizer)
    steps = steps_per_epoch(data.sizes["train"], recipe.train.batch_size, world)
    sched = build_scheduler(opt, recipe.schedule, steps_per_epoch=steps, epochs=recipe.train.epochs)
    return model, opt, sched, steps


def hand_loop(recipe: Recipe, data, rank: int, world: int) -> float:
    """The hand-written DDP loop; its seconds."""
    model, opt, sched, steps = _setup(recipe, data, world)
    bs = recipe.train.batch_size
    start = time.perf_counter()
    net = DistributedDataParallel(model)
    x, y = data.train
    vx, vy = data.val
    for epoch in range(1, recipe.train.epochs + 1):
        perm = torch.randperm(len(y), generator=torch.Generator().manual_seed(epoch_seed(0, epoch)))
        net.train()
        stats = torch.zeros(3, dtype=torch.float64)  # loss sum, correct, seen
        for i in range(steps):
            idx = perm[i * bs : (i + 1) * bs if i < steps - 1 else len(y)][rank::world]
            logits = net(x[idx])
            loss = F.cross_entropy(logits, y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            stats[0] += loss.item() * len(idx)
            stats[1] += (logits.argmax(1) == y[idx]).sum().item()
            stats[2] += len(idx)
        dist.all_reduce(stats)
        model.eval()
        with torch.no_grad():
            out = torch.cat([model(vx[j : j + 1024]) for j in range(0, len(vy), 1024)])
            F.cross_entropy(out, vy).item()
            (out.argmax(1) == vy).float().mean().item()
    return time.perf_counter() - start


def trainlab_loop(recipe: Recipe, data, distributed: Distributed | None, world: int) -> float:
    """trainlab's Trainer (with ``distributed``, as ``--nproc`` runs it); its seconds."""
    model, opt, sched, _ = _setup(recipe, data, world)
    trainer = Trainer(
        model,
        opt,
        sched,
        epochs=recipe.train.epochs,
        batch_size=recipe.train.batch_size,
        progress=False,
        seed=recipe.seed,
        distributed=distributed,
    )
    start = time.perf_counter()
    trainer.fit(data.train, data.val)
    return time.perf_counter() - start


def rank_main(rank: int, world: int, port: int, name: str, epochs: int, repeats: int, out: str):
    """One rank: both loops, alternately, ``repeats`` times after a warm-up of each."""
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=world)
    recipe = Recipe.load(name).override({"train.epochs": epochs})
    data = prepare_data(recipe)
    group = Distributed(rank=rank, world=world, local_rank=rank)
    ours, hand = [], []
    for i in range(repeats + 1):
        t_ours = trainlab_loop(recipe, data, group, world)
        t_hand = hand_loop(recipe, data, rank, world)
        if i:  # the first pair warms up
            ours.append(t_ours)
            hand.append(t_hand)
    if rank == 0:
        Path(out).write_text(f"{','.join(map(str, ours))}\n{','.join(map(str, hand))}\n")
    dist.destroy_process_group()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--recipe", default="digits-cnn")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--nproc", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "times.txt")
        mp.start_processes(
            rank_main,
            args=(args.nproc, _free_port(), args.recipe, args.epochs, args.repeats, out),
            nprocs=args.nproc,
            start_method="spawn",
        )
        lines = Path(out).read_text().splitlines()
    ours, hand = ([float(t) for t in line.split(",")] for line in lines)
    torch.set_num_threads(args.nproc)
    recipe = Recipe.load(args.recipe).override({"train.epochs": args.epochs})
    data = prepare_data(recipe)
    trainlab_loop(recipe, data, None, 1)  # warm-up
    alone = statistics.median(trainlab_loop(recipe, data, None, 1) for _ in range(args.repeats))
    mo, mh = statistics.median(ours), statistics.median(hand)
    print(
        f"recipe={args.recipe} epochs={args.epochs} train={data.sizes['train']} "
        f"batch={recipe.train.batch_size} nproc={args.nproc} (1 thread each) repeats={args.repeats}"
    )
    print(
        f"hand-written DDP loop : {mh:7.2f} s (median; runs {', '.join(f'{t:.2f}' for t in hand)})"
    )
    print(
        f"trainlab DDP Trainer  : {mo:7.2f} s (median; runs {', '.join(f'{t:.2f}' for t in ours)})"
    )
    print(f"one process, {args.nproc} threads: {alone:7.2f} s (trainlab Trainer)")
    print(f"ratio trainlab / hand-written DDP = {mo / mh:.3f}")
    print(f"ratio DDP on {args.nproc} processes / one process = {mo / alone:.3f}")


if __name__ == "__main__":
    main()
