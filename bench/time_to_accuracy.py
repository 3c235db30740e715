"""Time to accuracy: how long a recipe takes to reach its test accuracy, over seeds.

In the spirit of airbench's CIFAR-10 speed runs (Jordan, 2024): a fixed
recipe, timed from the first training step to the last, on seeds the recipe
was not tuned on, with a warm-up run first (CUDA context, cuDNN autotuning, a
compiled step's compilation) that is not counted. For each seed it prints the
test accuracy, the training time (the epochs' own seconds, validation
included) and the run's wall time (final evaluation included). At the end it
prints the mean accuracy with its 95% interval, and whether the mean reaches
``--target``.

    python bench/time_to_accuracy.py --recipe fashion-mnist-speedrun --device cuda \
        [--seeds 0,1,2] [--target 0.94] [--compile reduce-overhead] [--set KEY=VALUE ...]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile

import torch

from trainlab.config.recipe import Recipe, parse_assignments
from trainlab.workflows.run import run_recipe


def _run(recipe: Recipe, out: str) -> tuple[float, float, float]:
    """(test accuracy, training seconds, wall seconds) of one run."""
    result = run_recipe(recipe, out_dir=out)
    seconds = sum(row.get("seconds", 0.0) for row in result.history.rows)
    return float(result.metrics["test_acc"]), seconds, float(result.metrics["wall_seconds"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--recipe", default="fashion-mnist-speedrun")
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--seeds", default="1,2,3", help="seeds to time (the recipe is tuned on 0)")
    ap.add_argument("--target", type=float, default=0.94)
    ap.add_argument(
        "--compile", default="off", choices=["off", "default", "reduce-overhead", "max-autotune"]
    )
    ap.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE")
    args = ap.parse_args()
    sets = {
        "train.device": args.device,
        "train.compile": args.compile,
        "train.progress": False,
        **parse_assignments(args.sets),
    }
    recipe = Recipe.load(args.recipe).override(sets)
    seeds = [int(s) for s in args.seeds.split(",")]
    name = torch.cuda.get_device_name() if args.device == "cuda" else f"{args.device}"
    print(
        f"recipe={recipe.name} device={name} compile={args.compile} epochs={recipe.train.epochs} "
        f"batch={recipe.train.batch_size} threads={torch.get_num_threads()} seeds={seeds}"
    )
    with tempfile.TemporaryDirectory() as out:
        _run(recipe.override({"train.epochs": 1, "seed": seeds[0]}), out)  # warm-up
        rows = []
        for seed in seeds:
            acc, train_s, wall_s = _run(recipe.override({"seed": seed}), out)
            rows.append((acc, train_s, wall_s))
            print(
                f"seed {seed}: test_acc {acc:.4f}  training {train_s:7.2f} s  wall {wall_s:.2f} s"
            )
    accs = [r[0] for r in rows]
    mean = statistics.fmean(accs)
    half = 1.96 * statistics.stdev(accs) / len(accs) ** 0.5 if len(accs) > 1 else float("nan")
    train_mean = statistics.fmean(r[1] for r in rows)
    reached = "reached" if mean >= args.target else "not reached"
    print(
        f"mean test_acc {mean:.4f} ± {half:.4f} (95%), target {args.target:.2f} {reached}; "
        f"mean training time {train_mean:.2f} s"
    )


if __name__ == "__main__":
    main()
