"""The normalization check: each kind of mismatch, and adopt / own / fail."""

import copy

import pytest

from trainlab.core.errors import DataError
from trainlab.engine.transfer.normalization import preprocessing_mismatches
from trainlab.engine.transfer.source import load_source
from transferkit import tiny


def _state(mean=0.13, scale=0.31, size=(28, 28), channels=1, vrange=(0.0, 1.0)):
    norm = {
        "name": "standard",
        "per": "channel",
        "shape": [channels, 1, 1],
        "stats": {"mean": [mean] * channels, "scale": [scale] * channels},
    }
    pipe = {
        "pixel_scale": True,
        "normalizer": norm,
        "input_shape": [channels, *size],
        "value_range": list(vrange),
        "input_dtype": "uint8",
    }
    return {"pipeline": pipe, "image": {"size": list(size), "channels": channels, "fit": "pad"}}


def test_identical_or_close_preprocessing_is_no_mismatch():
    assert preprocessing_mismatches(_state(), _state()) == []
    assert preprocessing_mismatches(_state(mean=0.13), _state(mean=0.14)) == []  # 0.03 σ


@pytest.mark.parametrize(
    ("changed", "fragment"),
    [
        ({"mean": 0.5}, "normalization mean 0.13 in the checkpoint, 0.5 in the data"),
        ({"scale": 0.5}, "normalization scale 0.31 in the checkpoint, 0.5 in the data"),
        ({"size": (32, 32)}, "input size 28×28 in the checkpoint, 32×32 in the data"),
        ({"channels": 3}, "channels 1 in the checkpoint, 3 in the data"),
        ({"vrange": (0.0, 255.0)}, "value range [0, 1] in the checkpoint, [0, 255] in the data"),
    ],
)
def test_each_mismatch_is_named(changed, fragment):
    lines = preprocessing_mismatches(_state(), _state(**changed))
    assert any(fragment in line for line in lines), lines


def test_another_normalization_or_pixel_scaling():
    other = _state()
    other["pipeline"]["normalizer"] = {
        "name": "minmax",
        "per": "global",
        "shape": [1, 1, 1],
        "stats": {"min": [0.0], "range": [1.0]},
    }
    other["pipeline"]["pixel_scale"] = False
    lines = preprocessing_mismatches(_state(), other)
    assert "pixel scaling on in the checkpoint, off in the data" in lines
    assert any("standard per channel in the checkpoint, minmax per global" in ln for ln in lines)


def test_tabular_feature_count():
    a, b = copy.deepcopy(_state()), copy.deepcopy(_state())
    a["image"] = b["image"] = None
    b["pipeline"]["input_shape"] = [13]
    assert any("input shape" in ln for ln in preprocessing_mismatches(a, b))


def test_adopt_is_the_default_and_says_so(base_minmax_20, tmp_path):
    from trainlab.workflows.run import prepare_run_data

    r = tiny(**{"transfer.checkpoint": str(base_minmax_20)})
    with pytest.warns(UserWarning, match="adopting the checkpoint's") as said:
        data = prepare_run_data(r)
    assert "input size 20×20 in the checkpoint, 28×28 in the data" in str(said[0].message)
    assert data.in_shape == (1, 20, 20)
    assert data.preprocessor.state_dict() == load_source(base_minmax_20).preprocess["pipeline"]
    assert any("adopted" in n for n in data.summary["notes"])


def test_own_keeps_the_data_preprocessing(base_minmax_20):
    from trainlab.workflows.run import prepare_run_data

    r = tiny(
        **{
            "transfer.checkpoint": str(base_minmax_20),
            "transfer.preprocessing": "own",
            "model.name": "cnn",
        }
    )
    with pytest.warns(UserWarning, match="keeping the data's own"):
        data = prepare_run_data(r)
    assert data.in_shape == (1, 28, 28)
    assert data.preprocessor.normalizer.name == "standard"


def test_fail_stops_before_training(base_minmax_20, tmp_path, cli, one_line_error):
    from trainlab.workflows.run import prepare_run_data

    r = tiny(**{"transfer.checkpoint": str(base_minmax_20), "transfer.preprocessing": "fail"})
    with pytest.raises(DataError, match="differs from the checkpoint's"):
        prepare_run_data(r)
    code, _, err = cli(
        "run",
        "digits-cnn",
        "-q",
        "--out-dir",
        str(tmp_path),
        "--set",
        f"transfer.checkpoint={base_minmax_20}",
        "--set",
        "transfer.preprocessing=fail",
    )
    one_line_error(code, err, "input size 20×20", "transfer.preprocessing")
    assert not list(tmp_path.iterdir()), "a run folder was left behind"


def test_a_study_trial_keeps_the_warning_instead_of_printing_it(base_minmax_20, capfd):
    from trainlab.workflows.study.trial import run_trial

    r = tiny(**{"transfer.checkpoint": str(base_minmax_20), "train.epochs": 1})
    out = run_trial(r.to_dict(), probes=False)
    assert out["error"] is None
    (said,) = out["metrics"]["warnings"]
    assert "adopting the checkpoint's" in said and "input size 20×20" in said
    assert "warning" not in capfd.readouterr().err.lower()


def test_a_text_checkpoint_with_another_vocabulary_is_named():
    from trainlab.engine.transfer.normalization import preprocessing_mismatches
    from trainlab.preprocess.text.pipeline import TextPipeline

    a = TextPipeline(representation="sequence").fit(["a cat sat", "a dog ran"])
    b = TextPipeline(representation="sequence").fit(["the sun rose", "the moon set"])
    same = {"pipeline": {}, "text": a.state_dict()}
    assert preprocessing_mismatches(same, {"pipeline": {}, "text": a.state_dict()}) == []
    said = preprocessing_mismatches(same, {"pipeline": {}, "text": b.state_dict()})
    assert said == ["another vocabulary in the checkpoint (token ids name other words)"]
    c = TextPipeline(representation="sequence", max_length=50).fit(["a cat sat", "a dog ran"])
    assert preprocessing_mismatches(same, {"pipeline": {}, "text": c.state_dict()}) == [
        "text max_length 200 in the checkpoint, 50 in the data"
    ]


def _frames(channels=1, size=(28, 28), video=None, pixel_scale=False):
    norm = {"name": "none", "per": "channel", "shape": [], "stats": {}}
    pipeline = {
        "pixel_scale": pixel_scale,
        "normalizer": norm,
        "input_shape": [channels, *size],
        "value_range": [0.0, 1.0],
    }
    return {"pipeline": pipeline, "image": None, **({"video": video} if video else {})}


def _video(flow="none", scale=None):
    config = {
        "frames": 8,
        "sampling": "uniform",
        "motion": "difference",
        "flow": flow,
        "masks": "none",
        "mask_threshold": 1.0,
        "flow_scale": None,
    }
    return {"config": config, "fitted_flow_scale": scale}


def test_an_image_checkpoint_is_compared_with_one_frame_of_the_clips():
    image = _frames(pixel_scale=True)  # uint8 images scaled by the pipeline
    clips = _frames(video=_video())  # scaled by the video pipeline itself
    assert preprocessing_mismatches(image, clips) == []
    assert preprocessing_mismatches(image, _frames(size=(48, 48), video=_video())) == [
        "input shape 1×28×28 in the checkpoint, frame shape 1×48×48 in the data"
    ]


def test_video_channel_settings_differ_but_the_frames_sampled_do_not():
    a = _frames(3, video=_video("dis", 2.0))
    other_count = copy.deepcopy(a)
    other_count["video"]["config"].update(frames=3, sampling="motion")
    assert preprocessing_mismatches(a, other_count) == []
    assert preprocessing_mismatches(a, _frames(3, video=_video("farneback", 2.0))) == [
        "video flow dis in the checkpoint, farneback in the data"
    ]
    assert preprocessing_mismatches(a, _frames(3, video=_video("dis", 3.0))) == [
        "flow scale 2 in the checkpoint, 3 in the data"
    ]
