"""End to end on real video: opencv-doc's clips cut into a folder of three scenes.

Pedestrians in a street (``vtest.avi``), a tree in the wind (``tree.avi``) and
an animated film (``Megamind.avi``), each cut into short clips and written as
lossless files: a ``video-folder`` run with DIS flow and background masks,
in memory and streamed (the same numbers), then ``predict`` on an original file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from trainlab.config.recipe import Recipe
from trainlab.core.video_file import read_video, write_video
from trainlab.workflows.predict import predict_file
from trainlab.workflows.run import run_recipe
from videokit import opencv_data

pytest.importorskip("av")
pytest.importorskip("cv2")

SCENES = {"street": "vtest.avi", "tree": "tree.avi", "film": "Megamind.avi"}
FRAMES, PER_SCENE, SIZE = 10, 6, (48, 64)
DATA = opencv_data(*SCENES.values())
pytestmark = pytest.mark.skipif(DATA is None, reason="opencv-doc's example clips are not unpacked")


@pytest.fixture(scope="module")
def scenes(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("scenes")
    for name, file in SCENES.items():
        clip = read_video(DATA / file, size=SIZE, max_frames=FRAMES * PER_SCENE).frames
        assert len(clip) >= FRAMES * PER_SCENE, file
        for k in range(PER_SCENE):
            part = clip[k * FRAMES : (k + 1) * FRAMES]
            write_video(root / name / f"{k}.mkv", part, codec="ffv1")
    return root


def _recipe(root: Path, **sets) -> Recipe:
    base = {
        "name": "scenes",
        "seed": 0,
        "data.dataset": "video-folder",
        "data.options": {"path": str(root), "frames": FRAMES, "size": list(SIZE)},
        "split.val": 0.0,
        "split.test": 1 / 3,
        "preprocess.normalize": "standard",
        "preprocess.video": {"frames": 4, "flow": "dis", "masks": "background"},
        "model.widths": [16, 32],
        "optimizer.name": "adamw",
        "optimizer.lr": 0.003,
        "train.epochs": 10,
        "train.batch_size": 4,
        "train.progress": False,
    }
    return Recipe().override({**base, **sets})


def test_real_scenes_train_the_same_in_memory_and_streamed(scenes, tmp_path):
    memory = run_recipe(_recipe(scenes), out_dir=tmp_path / "memory")
    streamed = run_recipe(
        _recipe(scenes, **{"data.stream": True, "data.workers": 2}), out_dir=tmp_path / "stream"
    )
    assert memory.metrics["test_acc"] >= 5 / 6  # three scenes that look nothing alike (1.0 here)
    assert streamed.metrics["test_acc"] == memory.metrics["test_acc"]
    assert streamed.metrics["test_loss"] == pytest.approx(memory.metrics["test_loss"], rel=1e-5)
    report = (memory.folder / "report.html").read_text(encoding="utf-8")
    assert "clips.png" in {p.name for p in memory.folder.iterdir()} and "Example clips" in report

    table = predict_file(memory.folder, DATA / "tree.avi")  # the whole original file
    probabilities = np.array([float(c) for c in table.rows[0][2:]])
    assert table.columns[:2] == ["file", "label"] and len(table.rows) == 1
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-4)
