"""A video folder streamed from its files: the splits and inputs of the same folder in memory."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import DataError
from trainlab.core.video_file import write_video
from trainlab.workflows.prepare import prepare_data, preprocess_state
from trainlab.workflows.prepare_stream import streams

pytest.importorskip("av")
pytest.importorskip("cv2")


def _moving(t: int, dx: int, seed: int) -> np.ndarray:
    """A bright square moving ``dx`` pixels a frame over noise, (t, 16, 16, 3) uint8."""
    rng = np.random.default_rng(seed)
    frames = rng.integers(0, 40, (t, 16, 16, 3), dtype=np.uint8)
    for i in range(t):
        x = 2 + (i * dx) % 10
        frames[i, 5:10, x : x + 5] = 220
    return frames


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("clips") / "moves"
    for split, n in (("train", 6), ("test", 2)):
        for cls, dx in (("left", -1), ("right", 1)):
            for i in range(n):
                t = 7 + (i % 3)
                path = root / split / cls / f"{i}.mkv"
                write_video(path, _moving(t, dx, seed=i + 10 * (dx > 0)), codec="ffv1")
    return root


def _recipe(folder: Path, **sets) -> Recipe:
    return Recipe().override(
        {
            "name": "stream-clips",
            "data.dataset": "video-folder",
            "data.options": {"path": str(folder), "frames": 6, "size": [16, 16]},
            "data.workers": 0,
            "split.val": 0.25,
            "split.stratify": False,
            "preprocess.normalize": "none",
            "preprocess.video.frames": 3,
            "preprocess.video.flow": "dis",
            "preprocess.video.masks": "flow",
            "model.widths": [4],
            "train.epochs": 1,
            "train.batch_size": 4,
            "train.progress": False,
            **sets,
        }
    )


def _inputs(part):
    x, y = part
    if isinstance(x, torch.Tensor):
        return x.numpy(), y.numpy()
    return torch.cat([b["x"] for b in x.in_order()]).numpy(), y.numpy()


def test_streamed_splits_equal_the_in_memory_ones(folder):
    memory = prepare_data(_recipe(folder, **{"data.stream": False}))
    stream = prepare_data(_recipe(folder, **{"data.stream": True}))
    assert stream.streamed and not memory.streamed and stream.modality == "video"
    assert stream.in_shape == memory.in_shape == (3, 3 + 2 + 1, 16, 16)
    assert stream.sizes == memory.sizes and stream.sizes["test"] == 4  # test/ is the test split
    assert stream.video.scale == memory.video.scale > 0  # every training clip fitted
    for name in ("train", "val", "test"):
        (xm, ym), (xs, ys) = _inputs(getattr(memory, name)), _inputs(getattr(stream, name))
        np.testing.assert_array_equal(ym, ys)
        np.testing.assert_array_equal(xm, xs)
    sm, ss = memory.summary, stream.summary
    assert [k for k in ss if k != "feature_names"] == [k for k in sm if k != "feature_names"]
    assert {k: ss[k] for k in ("clip_frames", "sampling", "input_shape")} == {
        k: sm[k] for k in ("clip_frames", "sampling", "input_shape")
    }
    assert preprocess_state(stream) == preprocess_state(memory)  # the checkpoint's state
    stream.close()


def test_the_batches_do_not_depend_on_the_workers(folder):
    got = []
    for workers in (0, 2):
        data = prepare_data(_recipe(folder, **{"data.stream": True, "data.workers": workers}))
        source = data.train[0]
        source.set_epoch(5)
        got.append([(b["x"].clone(), b["y"].clone()) for b in source])
        data.close()
    assert len(got[0]) == len(got[1]) > 1
    for (x0, y0), (x2, y2) in zip(*got, strict=True):
        assert torch.equal(x0, x2) and torch.equal(y0, y2)


def test_auto_streams_above_the_memory_budget(folder):
    assert not streams(_recipe(folder))  # 16 tiny clips: far below 4 GiB
    assert streams(_recipe(folder, **{"data.memory_budget": 1e-6}))


def test_a_streamed_run_saves_a_model_that_evaluates_the_same(folder, tmp_path):
    from trainlab.io.model_file import load_model
    from trainlab.workflows.evaluate import evaluate_checkpoint
    from trainlab.workflows.run import run_recipe

    result = run_recipe(_recipe(folder, **{"data.stream": True}), out_dir=tmp_path)
    _, meta = load_model(result.folder / "model.safetensors")
    assert meta["preprocess"]["video"]["fitted_flow_scale"] > 0
    assert evaluate_checkpoint(result.folder)["acc"] == pytest.approx(result.metrics["test_acc"])


def _with_junk(folder: Path, tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "junk"
    shutil.copytree(folder, root)
    (root / "train" / "left" / "bad.mp4").write_bytes(b"not a video at all" * 40)
    return root


def test_an_unusable_file_is_one_line_naming_it(folder, tmp_path):
    root = _with_junk(folder, tmp_path)
    with pytest.raises(DataError, match=r"bad\.mp4: not readable as video") as info:
        prepare_data(_recipe(root, **{"data.stream": True}))  # the fit reads it
    assert "\n" not in str(info.value)
    # without flow too: the fit reads the training clips for the frames' value range
    with pytest.raises(DataError, match=r"bad\.mp4: not readable as video") as info:
        prepare_data(_recipe(root, **{"data.stream": True, "preprocess.video.flow": "none"}))
    assert "\n" not in str(info.value)


def test_skip_leaves_out_the_same_files_as_in_memory(folder, tmp_path):
    root = _with_junk(folder, tmp_path)
    whole = sorted((root / "test").rglob("*.*"))[0]  # a test file, damaged past its header
    cut = root / "test" / whole.parent.name / f"cut{whole.suffix}"
    cut.write_bytes(whole.read_bytes()[: int(0.6 * whole.stat().st_size)])
    recipe = _recipe(root, **{"data.stream": True, "data.options.on_error": "skip"})
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        data = prepare_data(recipe)
    assert any(
        "skipped video file" in str(w.message) and "bad.mp4" in str(w.message) for w in record
    )
    assert any("cut" in str(w.message) for w in record)
    assert "skipped 2 unusable video files" in data.summary["notes"]
    memory = prepare_data(recipe.override({"data.stream": False}))
    assert data.sizes == memory.sizes  # the same files left out as in memory
    np.testing.assert_array_equal(_inputs(data.train)[0], _inputs(memory.train)[0])
    data.close()


def test_the_cli_stops_with_status_2_and_one_line(folder, tmp_path, capsys):
    from trainlab.cli import main

    root = _with_junk(folder, tmp_path)
    out = tmp_path / "runs"
    args = ["run", "--set", "data.dataset=video-folder", "--set", f"data.options.path={root}"]
    for key, value in {
        "data.options.frames": 6,
        "data.options.size": "[16,16]",
        "data.stream": "true",
        "data.workers": 0,
        "split.stratify": "false",
        "preprocess.video.frames": 3,
        "model.widths": "[4]",
        "train.epochs": 1,
    }.items():
        args += ["--set", f"{key}={value}"]
    with pytest.raises(SystemExit) as info:
        main([*args, "--out-dir", str(out), "-q"])
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "bad.mp4" in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_streamed_frames_are_normalized_as_in_memory(folder):
    recipe = _recipe(folder, **{"preprocess.normalize": "standard"})
    memory = prepare_data(recipe)
    streamed = prepare_data(recipe.override({"data.stream": True, "data.workers": 0}))
    try:
        got = torch.cat([b["x"] for b in streamed.test[0]])
        assert torch.allclose(got, memory.test[0], atol=1e-5)
        assert streamed.preprocessor.state_dict() == memory.preprocessor.state_dict()
    finally:
        streamed.close()


def test_a_fit_on_some_of_the_training_clips_is_said(folder, monkeypatch):
    from trainlab.data.stream import video as stream_video

    monkeypatch.setattr(stream_video, "FIT_CLIPS", 3)
    data = prepare_data(_recipe(folder, **{"data.stream": True}))
    try:
        said = [n for n in data.summary["notes"] if "fitted on" in n]
        assert said == [
            f"flow scale and frame statistics fitted on 3 of {data.sizes['train']} training "
            "clips, spread over the files"
        ]
    finally:
        data.close()


def test_a_stream_gives_the_rows_asked_for_as_in_memory(folder):
    recipe = _recipe(folder, **{"preprocess.normalize": "standard"})
    memory = prepare_data(recipe)
    streamed = prepare_data(recipe.override({"data.stream": True, "data.workers": 0}))
    try:
        rows = [2, 0, 1]
        got = streamed.test[0].examples(rows)
        assert torch.allclose(got, memory.test[0][rows], atol=1e-5)
    finally:
        streamed.close()


def test_the_augmentation_preview_reads_a_streamed_folder(folder):
    from trainlab.workflows.preview import augmented_draws

    recipe = _recipe(folder, **{"augment": [{"name": "flip", "hflip": 1.0}]})
    memory = augmented_draws(recipe, rows=2, draws=1)
    streamed = augmented_draws(
        recipe.override({"data.stream": True, "data.workers": 0}), rows=2, draws=1
    )
    assert torch.allclose(streamed[0], memory[0], atol=1e-5)
    assert torch.allclose(streamed[1][0], memory[1][0], atol=1e-5)
