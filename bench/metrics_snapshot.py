"""Every built-in recipe at a short budget: its final metrics without timings, as JSON.

A refactor that must not change results runs this before and after and compares:

    python bench/metrics_snapshot.py > before.json      # on the old commit
    python bench/metrics_snapshot.py > after.json       # on the new one
    python bench/metrics_snapshot.py --compare before.json after.json

Besides the built-in recipes it runs two combinations that exercise the
augmentation pipeline (affine + mixup) and the regularization strategies
(input, label and weight noise, L1, L2, label smoothing, an ensemble with
Monte-Carlo dropout). About 2 minutes on 2 CPU cores.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import warnings

TIMINGS = {"seconds", "wall_seconds"}
COMBINATIONS = {
    "digits-cnn+aug": (
        "digits-cnn",
        {
            "augment": [
                {"name": "affine", "rotation": 10, "translate": 0.1},
                {"name": "mixup", "alpha": 0.2},
            ]
        },
    ),
    "digits-mlp+reg": (
        "digits-mlp",
        {
            "regularization.input_noise": 0.1,
            "regularization.label_flip": 0.05,
            "regularization.weight_noise": 0.01,
            "regularization.l1": 1e-5,
            "regularization.l2": 1e-4,
            "regularization.label_smoothing": 0.1,
            "ensemble.members": 2,
            "ensemble.mc_dropout": 3,
            "model.dropout": 0.2,
        },
    ),
}


def snapshot() -> dict[str, dict]:
    from trainlab.config.recipe import Recipe
    from trainlab.config.recipes import builtin_recipes
    from trainlab.workflows.run import run_recipe

    warnings.simplefilter("ignore")
    # the tabular starters need the user's file: they are not runs of their own
    runs = [(n, n, {}) for n in builtin_recipes() if not n.startswith("tabular-")]
    runs += [(key, base, over) for key, (base, over) in COMBINATIONS.items()]
    out = {}
    for key, name, over in runs:
        settings = {"train.epochs": 2, "train.progress": False, **over}
        if name.startswith(("digits", "fashion")):
            settings["data.limit"] = 1200
        result = run_recipe(Recipe.load(name).override(settings), out_dir=tempfile.mkdtemp())
        out[key] = {k: v for k, v in result.metrics.items() if k not in TIMINGS}
        print(f"{key}: test_acc {out[key].get('test_acc')}", file=sys.stderr)
    return out


def compare(before: dict, after: dict) -> int:
    differ = [k for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]
    for key in differ:
        old, new = before.get(key, {}), after.get(key, {})
        changed = [m for m in sorted(set(old) | set(new)) if old.get(m) != new.get(m)]
        print(f"{key}: differs in {', '.join(changed)}")
    print(f"{len(before) - len(differ)} of {len(before)} identical")
    return 1 if differ else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        with open(args.compare[0]) as a, open(args.compare[1]) as b:
            sys.exit(compare(json.load(a), json.load(b)))
    json.dump(snapshot(), sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
