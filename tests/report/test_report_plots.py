"""PNG figures of trainlab.report.figures: learning curves and confusion matrices."""

from __future__ import annotations

import math
import os
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from trainlab.data.datasets.image.fashion_mnist import CLASSES
from trainlab.report.figures import plot_confusion_matrix, plot_learning_curves
from trainlab.report.figures._base import DPI

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FASHION = CLASSES  # long, real class names


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk, after checking the signature."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def history(n: int = 12, *, val: bool = True, acc: bool = True, lr: bool = True) -> list[dict]:
    rows = []
    for e in range(1, n + 1):
        row: dict = {"epoch": e, "train_loss": 0.1 + 2 * math.exp(-0.4 * e), "seconds": 2.0}
        if acc:
            row["train_acc"] = 1 - 0.5 * math.exp(-0.4 * e)
        if val:
            row["val_loss"] = 0.15 + 2 * math.exp(-0.4 * e) + 0.01 * max(0, e - 7)
            if acc:
                row["val_acc"] = 0.97 - 0.5 * math.exp(-0.4 * e)
        if lr:
            row["lr"] = 1e-3 * 0.5 ** (e // 4)
        rows.append(row)
    return rows


def no_temp_files(folder: Path) -> bool:
    return not any(p.name.endswith(".tmp") for p in folder.iterdir())


# ---------------------------------------------------------------------------- learning curves


def test_learning_curves_png(tmp_path):
    out = plot_learning_curves(history(), tmp_path / "lc.png", title="run", mark_epoch=7)
    assert out == tmp_path / "lc.png"
    width, height = png_size(out)
    assert width == pytest.approx(10 * DPI, abs=2)
    assert height > 400
    assert out.stat().st_size > 20_000
    assert no_temp_files(tmp_path)


def test_learning_curves_without_validation_keys(tmp_path):
    out = plot_learning_curves(history(val=False), tmp_path / "noval.png", mark_epoch=3)
    png_size(out)
    assert out.stat().st_size > 10_000


@pytest.mark.parametrize(
    "rows",
    [
        history(val=False, acc=False, lr=False),
        history(1),
        history(1, val=False, acc=False, lr=False),
        [{"epoch": 1, "train_loss": 0.5, "val_loss": float("nan"), "val_acc": float("nan")}],
        [
            {"epoch": 1, "train_loss": 2.3, "train_acc": 12.0, "val_acc": 11.0},  # percent
            {"epoch": 2, "train_loss": float("nan"), "train_acc": 10.0},
            {"epoch": 3, "train_loss": float("inf"), "note": "diverged"},
        ],
        [],
    ],
    ids=["train-loss-only", "one-epoch", "one-epoch-bare", "nan-validation", "diverged", "empty"],
)
def test_learning_curves_edge_cases(tmp_path, rows):
    out = plot_learning_curves(rows, tmp_path / "edge.png", mark_epoch=99)
    png_size(out)
    assert out.stat().st_size > 5_000


def test_learning_curves_create_folders_and_replace(tmp_path):
    target = tmp_path / "a" / "b" / "lc.png"
    plot_learning_curves(history(3), target)
    first = target.read_bytes()
    plot_learning_curves(history(20), target)
    assert target.read_bytes() != first
    assert no_temp_files(target.parent)


def test_plots_in_threads(tmp_path):
    def work(i: int) -> Path:
        if i % 2:
            return plot_confusion_matrix(np.eye(3) * 10, ["a", "b", "c"], tmp_path / f"{i}.png")
        return plot_learning_curves(history(5 + i), tmp_path / f"{i}.png")

    with ThreadPoolExecutor(max_workers=4) as pool:
        paths = list(pool.map(work, range(4)))
    for p in paths:
        png_size(p)


def test_pyplot_is_never_imported():
    code = (
        "import sys, trainlab.report as p, pathlib, tempfile\n"
        "d = pathlib.Path(tempfile.mkdtemp())\n"
        "p.plot_learning_curves([{'epoch': 1, 'train_loss': 1.0}], d / 'x.png')\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------------------- confusion matrix


def fashion_cm() -> np.ndarray:
    rng = np.random.default_rng(0)
    cm = rng.integers(0, 40, size=(10, 10)) * (rng.random((10, 10)) < 0.3)
    np.fill_diagonal(cm, rng.integers(800, 990, size=10))
    return cm


@pytest.mark.parametrize("normalize", [True, False])
def test_confusion_matrix_png(tmp_path, normalize):
    out = plot_confusion_matrix(
        fashion_cm(), FASHION, tmp_path / "cm.png", title="Fashion-MNIST", normalize=normalize
    )
    width, height = png_size(out)
    assert width > 600 and height > 600
    assert out.stat().st_size > 30_000
    assert no_temp_files(tmp_path)


def test_confusion_matrix_grows_with_classes(tmp_path):
    small = png_size(plot_confusion_matrix(np.eye(2) * 5, ["a", "b"], tmp_path / "s.png"))
    big = png_size(plot_confusion_matrix(fashion_cm(), FASHION, tmp_path / "b.png"))
    assert big[0] > small[0] and big[1] > small[1]


def test_confusion_matrix_empty_rows_and_many_classes(tmp_path):
    cm = np.zeros((3, 3), dtype=int)
    cm[0, 0] = 4
    png_size(plot_confusion_matrix(cm, ["x", "y", "z"], tmp_path / "zero.png"))
    k = 40
    many = np.eye(k, dtype=int) * 20 + 1
    png_size(plot_confusion_matrix(many, [f"class {i}" for i in range(k)], tmp_path / "many.png"))


def test_confusion_matrix_rejects_bad_shapes(tmp_path):
    with pytest.raises(ValueError, match="square"):
        plot_confusion_matrix(np.ones((2, 3)), ["a", "b"], tmp_path / "x.png")
    with pytest.raises(ValueError, match="classes"):
        plot_confusion_matrix(np.ones((3, 3)), ["a", "b"], tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


def test_learning_rate_strip_draws_a_transfer_s_stage_rates(tmp_path):
    h = [
        {
            "epoch": e,
            "train_loss": 1 / e,
            "lr": 0.01,
            "lr_head": 0.01,
            "frozen": 1,
            "lr_stage1": 0.0 if e < 3 else 0.005,
        }
        for e in (1, 2, 3, 4)
    ]
    without = plot_learning_curves(
        [{k: r[k] for k in ("epoch", "train_loss", "lr")} for r in h], tmp_path / "a.png"
    )
    with_stages = plot_learning_curves(h, tmp_path / "b.png")
    assert with_stages.read_bytes() != without.read_bytes()  # the stage line and legend drawn
