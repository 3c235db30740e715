"""scikit-learn's iris as a user's CSV file of flower measurements (the issue's new user)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SPECIES = ["setosa", "versicolor", "virginica"]
COLUMNS = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
#: a few epochs on one thread: seconds per model
FAST = {"train.epochs": 4, "train.progress": False, "train.threads": 1}


def write_flowers(path: Path, *, columns: list[str] | None = None, rows: slice = slice(None)):
    """Four measurements and the species, by name; ``columns`` chooses and orders them."""
    from sklearn.datasets import load_iris

    ds = load_iris()
    table = {c: ds.data[:, i] for i, c in enumerate(COLUMNS)}
    table["species"] = np.array([SPECIES[k] for k in ds.target])
    columns = columns or [*COLUMNS, "species"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for i in range(len(ds.target))[rows]:
            writer.writerow([table[c][i] for c in columns])
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file with a header, as mappings."""
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
