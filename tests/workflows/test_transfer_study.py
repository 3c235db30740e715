"""The transferability study, end to end on a tiny budget, and its bad inputs."""

import json

import pytest

from htmlcheck import parse
from trainlab.core.errors import ConfigError
from trainlab.workflows.transfer_study import TransferStudy, run_transfer_study

TINY = {"data.limit": 400, "model.widths": [4, 8], "train.batch_size": 64, "model.dropout": 0.0}


def test_default_tasks_split_the_classes_in_half():
    spec = TransferStudy(seeds=[0]).spec("/tmp/unused")
    a = spec.recipe_for("baseA", 0).data.classes
    b = spec.recipe_for("baseB", 0).data.classes
    assert a == ["0", "1", "2", "3", "4"] and b == ["5", "6", "7", "8", "9"]
    assert [v.name for v in spec.variants][3:7] == ["BnB1", "BnB+1", "AnB1", "AnB+1"]
    r = spec.recipe_for("AnB3", 2)
    assert r.transfer.strategy == "freeze-first-n" and r.transfer.stages == 3
    assert r.transfer.checkpoint.endswith("models/baseA-seed{seed}.safetensors")
    assert spec.recipe_for("baseB-2x", 0).train.epochs == 2 * spec.base.train.epochs


def test_task_b_alone_makes_task_a_the_rest():
    spec = TransferStudy(task_b=["5", 7, "9"], seeds=[0]).spec("/tmp/unused")
    assert spec.recipe_for("baseA", 0).data.classes == ["0", "1", "2", "3", "4", "6", "8"]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"task_a": [0, 1], "task_b": [1, 2]}, "share classes (1)"),
        ({"task_a": [0]}, "at least 2 classes"),
        ({"depths": [4]}, "depth 4 is outside 1..3"),
        ({"arms": ["CnB"]}, "unknown arm 'CnB'"),
        ({"overrides": {"data.classes": [1, 2]}}, "sets data.classes itself"),
        ({"task_a": ["eleven"]}, "no class 'eleven'"),
    ],
)
def test_bad_studies(kwargs, fragment):
    with pytest.raises(ConfigError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        TransferStudy(seeds=[0], **kwargs).spec("/tmp/unused")


def test_tiny_study_end_to_end_and_resumed(tmp_path):
    study = TransferStudy(
        seeds=[0, 1], epochs=1, depths=[1, 2], arms=["AnB", "AnB+"], overrides=TINY, name="t"
    )
    result = run_transfer_study(study, out_dir=tmp_path, progress=False, echo=None)
    folder = tmp_path / "t"
    assert sorted(p.name for p in (folder / "models").iterdir()) == [
        "baseA-seed0.safetensors",
        "baseA-seed1.safetensors",
        "baseB-seed0.safetensors",
        "baseB-seed1.safetensors",
    ]
    a = result.analysis
    assert a.arms == ["AnB", "AnB+"] and a.depths == [1, 2]
    assert a.points["AnB+"][2].n == 2 and set(a.bases) == {"baseA", "baseB", "baseB-2x"}
    numbers = json.loads((folder / "transfer.json").read_text())
    assert {c["reference"] for c in numbers["comparisons"]} == {"baseB", "baseB-2x"}
    page = parse((folder / "transfer.html").read_text(encoding="utf-8"))
    assert not page.errors and len(page.images) == 1
    assert page.images[0]["src"].startswith("data:image/png;base64,")
    assert "AnB+2" in page.text and "Epochs to reach" in page.text
    assert (folder / "transferability.png").read_bytes()[:4] == b"\x89PNG"
    assert "| n | AnB | AnB+ |" in (folder / "transfer.md").read_text()
    again = run_transfer_study(study, out_dir=tmp_path, progress=False, echo=None)
    assert again.seconds == 0.0  # every trial was kept
    assert again.analysis.points["AnB"][1] == a.points["AnB"][1]


def test_cli_bad_input_is_one_line(cli, one_line_error, tmp_path):
    code, _, err = cli(
        "transfer-study", "--task-a", "0,1", "--task-b", "1,2", "--out-dir", str(tmp_path)
    )
    one_line_error(code, err, "share classes")
    code, _, err = cli("transfer-study", "--depths", "x", "--out-dir", str(tmp_path))
    one_line_error(code, err, "--depths", "integers")
    assert not list(tmp_path.iterdir())


def test_a_regression_target_is_refused_in_one_line(tmp_path):
    recipe = {"data": {"dataset": "diabetes"}, "model": {"name": "mlp", "widths": [8, 8]}}
    with pytest.raises(ConfigError) as e:
        TransferStudy(recipe=recipe, seeds=[0]).spec(tmp_path)
    said = str(e.value)
    assert "\n" not in said and said.startswith("transfer-study: diabetes learns progression")
    assert "(regression)" in said and "one classification target" in said
