"""Bad video through the command line: one line naming the file and what was expected, exit
2, no traceback, nothing left in the runs folder; ``on_error: skip`` leaves the file out,
says so, and runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from trainlab.core.video_file import write_video

av = pytest.importorskip("av")
pytest.importorskip("cv2")

FRAMES, SIDE = 8, 16


def _clip(direction: int, row: int, t: int = FRAMES, side: int = SIDE) -> np.ndarray:
    """A bright square sliding right (+1) or left (-1), uint8 (T, H, W, 3)."""
    out = np.zeros((t, side, side, 3), np.uint8)
    for i in range(t):
        col = 2 + i if direction > 0 else side - 6 - i
        out[i, row : row + 4, col : col + 4] = (250, 180, 90)
    return out


def _clips(root: Path, per_class: int = 3) -> Path:
    for name, direction in (("left", -1), ("right", 1)):
        for k in range(per_class):
            write_video(root / name / f"{k}.mkv", _clip(direction, 2 + 3 * k), codec="ffv1")
    return root


def _recipe(tmp_path: Path, root: Path, **options) -> Path:
    """A tiny video-folder recipe (1 epoch) as a file."""
    opts = {"path": str(root), "frames": FRAMES, "size": [SIDE, SIDE], **options}
    text = f"""name: clips
data: {{dataset: video-folder, options: {opts!r}}}
split: {{val: 0.0, test: 0.25}}
preprocess: {{normalize: none, video: {{frames: 4}}}}
model: {{widths: [4]}}
train: {{epochs: 1, batch_size: 8, progress: false, threads: 1}}
"""
    path = tmp_path / "clips.yaml"
    path.write_text(text.replace("'", '"'))
    return path


# -- the bad files ---------------------------------------------------------------------------
def _corrupt(folder: Path) -> Path:
    path = folder / "junk.mp4"
    path.write_bytes(np.random.default_rng(0).bytes(3000))
    return path


def _truncated(folder: Path) -> Path:
    full = write_video(folder.parent / "full.mkv", _clip(1, 4, t=32), codec="ffv1")
    data = full.read_bytes()
    path = folder / "cut.mkv"
    path.write_bytes(data[: len(data) // 2])
    return path


def _zero_frames(folder: Path) -> Path:
    path = folder / "zero.avi"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=25)
        stream.width = stream.height = SIDE
        stream.pix_fmt = "yuv420p"
        container.start_encoding()
        container.mux(stream.encode())
    return path


def _short(folder: Path) -> Path:
    return write_video(folder / "short.mkv", _clip(1, 4, t=5), codec="ffv1")


def _huge(folder: Path) -> Path:
    return write_video(folder / "huge.mkv", _clip(1, 4, side=64), codec="ffv1")


BAD = [
    pytest.param(_corrupt, {}, ["junk.mp4", "not readable as video"], id="corrupt"),
    pytest.param(_truncated, {}, ["cut.mkv", "corrupt or truncated"], id="truncated"),
    pytest.param(_zero_frames, {}, ["zero.avi", "holds no frames"], id="zero-frames"),
    pytest.param(
        _short,
        {"on_short": "fail"},
        ["short.mkv", "holds 5 frames, fewer than frames=8", "on_short=pad"],
        id="short",
    ),
    pytest.param(
        _huge,
        {"max_pixels": 1000},
        ["huge.mkv", "64x64 frames", "max_pixels=1,000"],
        id="huge",
    ),
]


def _runs_left(runs: Path) -> list[Path]:
    return sorted(runs.rglob("*")) if runs.exists() else []


@pytest.mark.parametrize(("make", "options", "fragments"), BAD)
def test_a_bad_file_stops_the_run_in_one_line(
    cli, one_line_error, tmp_path, make, options, fragments
):
    root = _clips(tmp_path / "clips")
    make(root / "right")
    runs = tmp_path / "runs"
    code, _, err = cli("run", str(_recipe(tmp_path, root, **options)), "--out-dir", str(runs), "-q")
    one_line_error(code, err, *fragments)
    assert _runs_left(runs) == []


@pytest.mark.parametrize(("make", "options", "fragments"), BAD)
def test_on_error_skip_leaves_the_file_out_and_says_so(cli, tmp_path, make, options, fragments):
    root = _clips(tmp_path / "clips")
    make(root / "right")
    runs = tmp_path / "runs"
    recipe = _recipe(tmp_path, root, on_error="skip", **options)
    code, _, err = cli("run", str(recipe), "--out-dir", str(runs), "-q")
    assert code == 0, err
    warned = [ln for ln in err.splitlines() if ln.startswith("trainlab: warning: video-folder")]
    assert len(warned) == 1 and "skipped" in warned[0], err
    for fragment in fragments[:2]:
        assert fragment in warned[0]
    assert "Traceback" not in err
    (folder,) = [p for p in runs.iterdir() if p.is_dir()]
    assert "skipped 1 unusable video file" in (folder / "report.html").read_text(encoding="utf-8")


# -- predict ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def video_model(tmp_path_factory) -> Path:
    from trainlab.config.recipe import Recipe
    from trainlab.workflows.run import run_recipe

    tmp = tmp_path_factory.mktemp("video-model")
    recipe = Recipe.load(_recipe(tmp, _clips(tmp / "clips")))
    return run_recipe(recipe, out_dir=tmp / "runs").folder


@pytest.fixture(scope="module")
def table_model(tmp_path_factory) -> Path:
    from trainlab.config.recipe import Recipe
    from trainlab.workflows.assemble import build_run_model
    from trainlab.workflows.outputs import save_run_model
    from trainlab.workflows.prepare import prepare_data

    folder = tmp_path_factory.mktemp("table-model")
    r = Recipe.load("wine-mlp")
    data = prepare_data(r)
    save_run_model(folder / "model.safetensors", r, data, [build_run_model(r, data)], {})
    return folder


def test_predict_writes_a_row_per_clip(cli, video_model, tmp_path):
    root = _clips(tmp_path / "clips", per_class=1)
    out = tmp_path / "p.csv"
    code, stdout, err = cli("predict", str(video_model), str(root), "--out", str(out))
    assert code == 0, err
    assert "2 predictions (file, label, p_left, p_right)" in stdout
    lines = out.read_text().splitlines()
    assert lines[0] == "file,label,p_left,p_right"
    assert [ln.split(",")[0] for ln in lines[1:]] == ["left/0.mkv", "right/0.mkv"]


def _empty_folder(folder: Path) -> Path:
    (folder / "nothing" / "sub").mkdir(parents=True)
    (folder / "nothing" / "sub" / "a.png").write_bytes(b"\x89PNG")
    return folder / "nothing"


def _text_file(folder: Path) -> Path:
    path = folder / "table.csv"
    path.write_text("a,b\n1,2\n")
    return path


@pytest.mark.parametrize(
    ("model", "make", "fragments"),
    [
        ("video", _corrupt, ["junk.mp4", "not readable as video"]),
        ("video", _truncated, ["cut.mkv", "corrupt or truncated"]),
        ("video", _empty_folder, ["nothing", "no video files in this folder"]),
        ("video", _text_file, ["table.csv", "not a video file", "this model learned from video"]),
        ("table", _short, ["short.mkv", "a video file", "learned from tabular data"]),
    ],
)
def test_predict_on_bad_input_is_one_line_and_writes_nothing(
    cli, one_line_error, video_model, table_model, tmp_path, model, make, fragments
):
    (tmp_path / "in").mkdir()
    target = make(tmp_path / "in")
    out = tmp_path / "p.csv"
    saved = video_model if model == "video" else table_model
    code, _, err = cli("predict", str(saved), str(target), "--out", str(out))
    one_line_error(code, err, *fragments)
    assert not out.exists()


# -- evaluate --file -------------------------------------------------------------------------
def test_evaluate_file_scores_a_folder_of_clips_or_names_its_bad_file(
    cli, one_line_error, video_model, tmp_path
):
    import json

    root = _clips(tmp_path / "clips", per_class=2)
    code, stdout, err = cli("evaluate", str(video_model), "--file", str(root), "--json")
    assert code == 0, err
    metrics = json.loads(stdout)
    assert metrics["n"] == 4 and metrics["split"] == "all" and 0.0 <= metrics["acc"] <= 1.0
    _corrupt(root / "left")
    code, _, err = cli("evaluate", str(video_model), "--file", str(root))
    one_line_error(code, err, "junk.mp4", "not readable as video")
