"""Shared by the transfer tests: the digits task split and a tiny recipe."""

from __future__ import annotations

from trainlab.config.recipe import Recipe

#: task A of the digits split: digits 0–4 (task B: 5–9)
TASK_A, TASK_B = [0, 1, 2, 3, 4], [5, 6, 7, 8, 9]


def tiny(**overrides) -> Recipe:
    """A small batch-normalized CNN on 600 digits; 2 epochs take about a second."""
    base = {
        "data.limit": 600,
        "model.widths": [8, 16],
        "model.dropout": 0.0,
        "train.epochs": 2,
        "schedule.name": "constant",
        "optimizer.lr": 0.01,
        "train.batch_size": 32,
        "train.progress": False,
    }
    return Recipe.load("digits-cnn").override({**base, **overrides})
