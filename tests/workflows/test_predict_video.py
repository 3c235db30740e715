"""``predict`` on video files: each read as the model's training clips were, then its saved
video pipeline (nothing refitted); every bad file one line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from trainlab.config.recipe import Recipe
from trainlab.core.errors import DataError
from trainlab.core.video_file import write_video
from trainlab.data.datasets import load_dataset
from trainlab.io.model_file import load_model
from trainlab.preprocess.video.pipeline import VideoPipeline
from trainlab.workflows.evaluate import SavedModel, evaluate_checkpoint
from trainlab.workflows.predict import predict_file
from trainlab.workflows.predict_video import clip_spec, read_video_clips
from trainlab.workflows.run import run_recipe
from videokit import opencv_data

pytest.importorskip("av")
pytest.importorskip("cv2")

FRAMES, SIDE = 8, 16


def _moving_square(direction: int, row: int, t: int = FRAMES) -> np.ndarray:
    """A bright 4x4 square sliding 1 pixel a frame right (+1) or left (-1); uint8 (T, H, W, 3)."""
    out = np.zeros((t, SIDE, SIDE, 3), np.uint8)
    for i in range(t):
        col = 2 + i if direction > 0 else SIDE - 6 - i
        out[i, row : row + 4, col : col + 4] = (250, 180, 90)
    return out


def write_clips(root: Path, per_class: int = 4) -> Path:
    """``root/left`` and ``root/right``: FFV1 clips of a square moving that way."""
    for name, direction in (("left", -1), ("right", 1)):
        for k in range(per_class):
            write_video(
                root / name / f"{k}.mkv", _moving_square(direction, 2 + 2 * k), codec="ffv1"
            )
    return root


def folder_recipe(root: Path, **sets) -> Recipe:
    base = {
        "name": "squares",
        "data.dataset": "video-folder",
        "data.options": {"path": str(root), "frames": FRAMES, "size": [SIDE, SIDE]},
        "split.val": 0.0,
        "split.test": 0.25,
        "preprocess.normalize": "none",
        "preprocess.video.frames": 4,
        "preprocess.video.flow": "dis",
        "model.widths": [4],
        "train.epochs": 1,
        "train.batch_size": 8,
        "train.progress": False,
        "train.threads": 1,
    }
    return Recipe().override({**base, **sets})


@pytest.fixture(scope="module")
def squares(tmp_path_factory) -> Path:
    return write_clips(tmp_path_factory.mktemp("squares"))


@pytest.fixture(scope="module")
def square_model(squares, tmp_path_factory) -> Path:
    return run_recipe(folder_recipe(squares), out_dir=tmp_path_factory.mktemp("runs")).folder


def _probabilities(table) -> np.ndarray:
    return np.array([[float(c) for c in row[2:]] for row in table.rows])


def test_a_folder_of_clips_gets_one_row_per_file_as_the_saved_model_sees_them(
    square_model, squares
):
    table = predict_file(square_model, squares)
    assert table.columns == ["file", "label", "p_left", "p_right"]
    assert [row[0] for row in table.rows] == [
        f"{c}/{k}.mkv" for c in ("left", "right") for k in range(4)
    ]
    # the oracle: the loader's clips, the checkpoint's own pipeline, the saved member
    models, meta = load_model(square_model / "model.safetensors")
    bundle = load_dataset(
        "video-folder", {"path": str(squares), "frames": FRAMES, "size": [SIDE, SIDE]}
    )
    x = VideoPipeline.from_state_dict(meta["preprocess"]["video"]).transform(bundle.train.x)
    with torch.no_grad():
        expected = torch.softmax(models[0](torch.from_numpy(x)), 1).double().numpy()
    np.testing.assert_allclose(_probabilities(table), expected, atol=1e-5)
    assert [row[1] for row in table.rows] == [["left", "right"][i] for i in expected.argmax(1)]


def test_one_file_is_predicted_as_in_its_folder_nothing_refitted(square_model, squares):
    whole = predict_file(square_model, squares)
    one = predict_file(square_model / "model.safetensors", squares / "right" / "2.mkv")
    assert one.rows == [["2.mkv", *whole.rows[6][1:]]]


def test_the_clips_are_read_at_the_training_length_size_and_channels(square_model):
    saved = SavedModel.load(square_model)
    spec = clip_spec(saved)
    assert (spec.frames, spec.size, spec.channels, spec.on_short) == (
        FRAMES,
        (SIDE, SIDE),
        3,
        "pad",
    )


def test_a_longer_larger_clip_is_sampled_by_time_and_resized(square_model, tmp_path):
    """Twice the frame rate and twice the size: the same times, area-resized, the same rows."""
    clip = _moving_square(1, 4)
    fine = np.repeat(np.repeat(np.repeat(clip, 2, axis=0), 2, axis=1), 2, axis=2)
    a = write_video(tmp_path / "a.mkv", clip, fps=10, codec="ffv1")
    b = write_video(tmp_path / "b.mkv", fine, fps=20, codec="ffv1")
    # b's frames 2i and 2i+1 are a's frame i: uniform by time picks one of them for each i
    ra, rb = predict_file(square_model, a).rows[0], predict_file(square_model, b).rows[0]
    assert ra[1:] == rb[1:]


def test_a_short_clip_is_padded_with_a_warning_or_refused(squares, square_model, tmp_path):
    short = write_video(tmp_path / "short.mkv", _moving_square(1, 4, t=5), codec="ffv1")
    with pytest.warns(UserWarning, match=r"short\.mkv holds fewer than 8 frames"):
        assert len(predict_file(square_model, short).rows) == 1
    strict = folder_recipe(squares, **{"data.options.on_short": "fail"})
    model = run_recipe(strict, out_dir=tmp_path / "runs").folder
    with pytest.raises(DataError, match=r"short\.mkv: holds fewer than the 8 frames") as e:
        predict_file(model, short)
    assert "\n" not in str(e.value)


def test_a_moving_digits_model_reads_a_file_of_its_own_clips(tmp_path):
    """Lossless grayscale files of the model's own test clips predict as its test split."""
    r = Recipe.load("moving-digits-cnn").override(
        {
            "data.options": {"n": 24, "size": 32, "frames": 10, "moving": 3, "speed": 1},
            "split.val": 0.0,
            "model.widths": [4],
            "preprocess.video.frames": 4,
            "train.epochs": 1,
            "train.progress": False,
            "train.threads": 1,
        }
    )
    result = run_recipe(r, out_dir=tmp_path / "runs")
    clips = load_dataset("moving-digits", r.data.options).train.x  # (N, F, 1, H, W)
    folder = tmp_path / "clips"
    for i in range(3):
        write_video(folder / f"{i}.mkv", clips[i].transpose(0, 2, 3, 1), codec="ffv1")
    table = predict_file(result.folder, folder)
    assert table.columns == ["file", "direction", "p_right", "p_left", "p_down", "p_up"]
    assert len(table.rows) == 3
    saved = SavedModel.load(result.folder)
    x = VideoPipeline.from_state_dict(saved.meta["preprocess"]["video"]).transform(clips[:3])
    pred = saved.predict(torch.from_numpy(x))
    pred = (pred["direction"] if isinstance(pred, dict) else pred).double().numpy()
    got = np.array([[float(c) for c in row[2:6]] for row in table.rows])
    np.testing.assert_allclose(got, pred, atol=1e-5)


def _junk(folder: Path) -> Path:
    path = folder / "junk.mp4"
    path.write_bytes(b"\x00garbage" * 300)
    return path


def _text(folder: Path) -> Path:
    path = folder / "notes.txt"
    path.write_text("hello\n")
    return path


def _empty(folder: Path) -> Path:
    (folder / "empty").mkdir()
    (folder / "empty" / "a.png").write_bytes(b"")
    return folder / "empty"


@pytest.mark.parametrize(
    ("make", "fragments"),
    [
        (_junk, ["junk.mp4", "not readable as video"]),
        (_text, ["notes.txt", "not a video file", "mp4"]),
        (_empty, ["empty", "no video files in this folder"]),
        (lambda folder: folder / "nothing", ["nothing", "no such file or folder"]),
    ],
)
def test_bad_video_input_is_one_line(square_model, tmp_path, make, fragments):
    with pytest.raises(DataError) as e:
        predict_file(square_model, make(tmp_path))
    assert "\n" not in str(e.value)
    for fragment in fragments:
        assert fragment in str(e.value)


def test_a_video_file_for_a_model_of_other_data_is_one_line(squares, tmp_path):
    from trainlab.workflows.assemble import build_run_model
    from trainlab.workflows.outputs import save_run_model
    from trainlab.workflows.prepare import prepare_data

    r = Recipe.load("wine-mlp")
    save_run_model(
        tmp_path / "model.safetensors",
        r,
        prepare_data(r),
        [build_run_model(r, prepare_data(r))],
        {},
    )
    with pytest.raises(
        DataError, match=r"0\.mkv: a video file, but this model learned from tabular"
    ):
        predict_file(tmp_path, squares / "left" / "0.mkv")


def test_evaluate_scores_a_folder_of_clips_as_predict_reads_it(square_model, squares, tmp_path):
    other = write_clips(tmp_path / "other", per_class=2)
    m = evaluate_checkpoint(square_model, file=other, split="all")
    assert m["n"] == 4 and m["file"] == str(other)
    rows = predict_file(square_model, other).rows
    truth = [name.split("/")[0] for name, *_ in rows]
    assert m["acc"] == pytest.approx(
        np.mean([row[1] == t for row, t in zip(rows, truth, strict=True)])
    )


def test_a_real_clip_is_read_as_opencv_decodes_it(square_model):
    """opencv-doc's tree.avi (68 frames, 15 fps) is read as OpenCV decodes it (area-resized, at
    the frames nearest to evenly spaced times), and those clips are what the model predicts."""
    import cv2

    from trainlab.data.datasets.video.folder import uniform_indices

    folder = opencv_data("tree.avi")
    if folder is None:
        pytest.skip("opencv-doc's example clips are not unpacked")
    table = predict_file(square_model, folder / "tree.avi")
    cap = cv2.VideoCapture(str(folder / "tree.avi"))
    frames, fps = [], cap.get(cv2.CAP_PROP_FPS)
    while (got := cap.read())[0]:
        rgb = got[1][:, :, ::-1]
        frames.append(cv2.resize(rgb, (SIDE, SIDE), interpolation=cv2.INTER_AREA))
    pick = uniform_indices(np.arange(len(frames)) / fps, FRAMES)
    clips = np.stack(frames)[pick].transpose(0, 3, 1, 2)[None]
    saved = SavedModel.load(square_model)
    names, read = read_video_clips(saved, folder / "tree.avi")
    assert names == ["tree.avi"] and read.shape == clips.shape
    assert np.abs(read.astype(int) - clips).mean() < 2.0  # the same frames, the same decoder
    x = VideoPipeline.from_state_dict(saved.meta["preprocess"]["video"]).transform(read)
    expected = saved.predict(torch.from_numpy(x)).double().numpy()
    np.testing.assert_allclose(_probabilities(table), expected, atol=1e-5)


def test_a_standardized_model_s_frames_are_standardized_as_in_training(squares, tmp_path):
    folder = run_recipe(
        folder_recipe(squares, **{"preprocess.normalize": "standard"}), out_dir=tmp_path
    ).folder
    saved = SavedModel.load(folder)
    stats = saved.meta["preprocess"]["pipeline"]["normalizer"]["stats"]
    mean = np.asarray(stats["mean"], np.float32).reshape(1, 1, -1, 1, 1)  # per channel
    scale = np.asarray(stats["scale"], np.float32).reshape(1, 1, -1, 1, 1)
    _, clips = read_video_clips(saved, squares)
    pipe = VideoPipeline.from_state_dict(saved.meta["preprocess"]["video"])
    x = pipe.transform(clips)
    expected = saved.predict(torch.from_numpy((x - mean) / scale)).numpy()
    got = _probabilities(predict_file(folder, squares))
    np.testing.assert_allclose(got, expected, atol=1e-5)
    unscaled = saved.predict(torch.from_numpy(x)).numpy()
    assert not np.allclose(got, unscaled, atol=1e-3)  # the normalization matters here


def test_evaluate_scores_a_folder_for_a_model_trained_streamed(squares, tmp_path):
    streamed = run_recipe(
        folder_recipe(squares, **{"data.stream": True, "data.workers": 0}), out_dir=tmp_path
    ).folder
    other = write_clips(tmp_path / "other", per_class=2)
    m = evaluate_checkpoint(streamed, file=other, split="all")
    rows = predict_file(streamed, other).rows
    truth = [name.split("/")[0] for name, *_ in rows]
    assert m["n"] == 4
    assert m["acc"] == pytest.approx(np.mean([r[1] == t for r, t in zip(rows, truth, strict=True)]))
