"""Prototypical Networks on unseen Fashion-MNIST classes: trainlab against a hand-written loop.

Both meta-train on 5-way episodes of classes 0–4 (T-shirt/top … Coat), 5
support images a class in training, 15 queries, for ``--episodes`` episodes
with Adam (lr 1e-3, halved after each third), and both are tested on the same
``--test-episodes`` 5-way K-shot episodes of classes 5–9 (Sandal … Ankle
boot), never seen in training (trainlab's seeded test episodes, handed to the
peer as index arrays). The hand-written peer is what a careful user
writes from the paper (Snell et al., 2017) in plain PyTorch: numpy episodes,
a Conv-4 embedding (four blocks of 3×3 convolution, 64 channels, batch norm,
ReLU, 2×2 max-pooling but for the last block: 28×28 → 3×3×64 = 576-d),
squared euclidean distances, cross-entropy on the queries. trainlab runs
``trainlab run fashion-mnist-protonet`` (its CNN's four 64-channel stages, the
same shape). Also printed: nearest-prototype classification of the raw pixels
on the same episodes (the plain reference). Accuracies are means over the
test episodes with their 95% interval (1.96 · std / √n); ``--seeds`` seeds.

    python bench/protonets.py [--episodes 800] [--test-episodes 600] [--shots 1 5] [--seeds 0]
"""

from __future__ import annotations

import argparse
import math
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from trainlab.config.recipe import Recipe
from trainlab.core.errors import DataError
from trainlab.workflows.meta_run import check_meta, train_meta


def conv4(width: int = 64) -> nn.Sequential:
    layers: list[nn.Module] = []
    channels = 1
    for block in range(4):
        layers += [nn.Conv2d(channels, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU()]
        if block < 3:
            layers.append(nn.MaxPool2d(2))
        channels = width
    return nn.Sequential(*layers, nn.Flatten())


def episode(rng, by_class, classes, shot, query):
    chosen = rng.choice(classes, size=5, replace=False)
    picks = [rng.choice(by_class[c], size=shot + query, replace=False) for c in chosen]
    support = np.concatenate([p[:shot] for p in picks])
    queries = np.concatenate([p[shot:] for p in picks])
    return support, queries


def logits(embed, x, support, queries, shot):
    z = embed(x[torch.from_numpy(np.concatenate([support, queries]))])
    protos = z[: len(support)].view(5, shot, -1).mean(1)
    return -torch.cdist(z[len(support) :], protos).pow(2)


def hand_written(x, y, test_x, test_episodes, shot, args, seed):
    """The peer: the paper's loop in plain PyTorch, tested on the given (support, query)
    index pairs; (accuracies, training seconds)."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    embed = conv4()
    opt = torch.optim.Adam(embed.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, math.ceil(args.episodes / 3), 0.5)
    by_class = {c: np.flatnonzero(y == c) for c in range(5)}
    target = torch.arange(5).repeat_interleave(15)
    start = time.perf_counter()
    for _ in range(args.episodes):
        s, q = episode(rng, by_class, np.arange(5), 5, 15)
        loss = F.cross_entropy(logits(embed, x, s, q, 5), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    seconds = time.perf_counter() - start
    embed.eval()
    accs = []
    with torch.no_grad():
        for s, q in test_episodes:
            accs.append(
                float((logits(embed, test_x, s, q, shot).argmax(1) == target).float().mean())
            )
    return np.array(accs), seconds


def shown(a) -> str:
    a = np.asarray(a)
    return f"{100 * a.mean():5.1f}% ± {100 * 1.96 * a.std() / math.sqrt(len(a)):.1f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--episodes", type=int, default=800)
    ap.add_argument("--test-episodes", type=int, default=600)
    ap.add_argument("--shots", type=int, nargs="+", default=[1, 5])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    for shot in args.shots:
        for seed in args.seeds:
            recipe = Recipe.load("fashion-mnist-protonet").override(
                {
                    "seed": seed,
                    "meta.k_shot": shot,
                    "meta.episodes": args.episodes,
                    "meta.test_episodes": args.test_episodes,
                    "train.progress": False,
                }
            )
            try:
                plan = check_meta(recipe)
            except DataError as e:
                print(f"skipped: {e}")
                sys.exit(0)
            ours = train_meta(recipe, plan)
            pool_train, pool_test = plan.data.train, plan.data.test
            same = [pool_test.sampler.episode(i) for i in range(args.test_episodes)]
            peer, peer_s = hand_written(
                pool_train.x,
                pool_train.y.numpy(),
                pool_test.x,
                [(e.support, e.query) for e in same],
                shot,
                args,
                seed,
            )
            m = ours.metrics
            ours_acc = np.array(ours.test.accuracies)
            print(
                f"5-way {shot}-shot, seed {seed}: pixel prototypes "
                f"{100 * m['input_acc']:5.1f}% ± {100 * m['input_acc_ci95']:.1f}"
                f" | hand-written ProtoNet {shown(peer)} in {peer_s:.0f} s"
                f" | trainlab {shown(ours_acc)} in {m['seconds']:.0f} s"
                f" | time ratio trainlab / hand-written {m['seconds'] / peer_s:.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
