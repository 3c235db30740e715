"""Two topics of short texts as a user's CSV file, and a recipe that learns them in seconds."""

from __future__ import annotations

import random
from pathlib import Path

from trainlab.config.recipe import Recipe

SPORT = ["the", "team", "won", "the", "match", "with", "a", "late", "goal", "and", "the",
         "fans", "cheered", "the", "players"]  # fmt: skip
FOOD = ["she", "baked", "bread", "with", "butter", "and", "garlic", "then", "served", "soup",
        "and", "a", "fresh", "salad"]  # fmt: skip


def write_topics(path: Path, *, n: int = 80, words: int = 6, mislabel_every: int = 0) -> Path:
    """``n`` texts of ``words`` words each, sport and food by turns (``text,label``);
    with ``mislabel_every`` k, every k-th text carries the other topic's label."""
    rng = random.Random(0)
    rows = ["text,label"]
    for i in range(n):
        sport = bool(i % 2)
        wrong = bool(mislabel_every) and i % mislabel_every == 0
        text = " ".join(rng.sample(SPORT if sport else FOOD, words))
        rows.append(f"{text},{'sport' if sport != wrong else 'food'}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def topics_recipe(path: Path, **sets) -> Recipe:
    """A small MLP on the topics file's TF-IDF bags; ``sets`` override any key."""
    base = {
        "name": "topics",
        "data.dataset": "text-csv",
        "data.options": {"path": str(path)},
        "preprocess.normalize": "none",
        "model.widths": [16],
        "train.epochs": 8,
        "train.batch_size": 16,
        "optimizer.lr": 0.01,
    }
    return Recipe().override({**base, **sets})
